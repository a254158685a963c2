"""Forms for the tilsynsplan, swaps, the end of a duty, no-duty dates and the watch list."""
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..school_forms import REQUIRED


class SlotForm(FlaskForm):
    starts = StringField("Fra", validators=[InputRequired(REQUIRED)], description="F.eks. 09:45")
    ends = StringField("Til", validators=[InputRequired(REQUIRED)], description="F.eks. 10:00")


class SwapForm(FlaskForm):
    to_user_id = SelectField("Hvem skal ta vakten?", coerce=int, choices=[])
    note = StringField("Melding til kollegaen (valgfritt)", validators=[Optional(), Length(max=200)])


class ReassignForm(FlaskForm):
    to_user_id = SelectField("Gi vakten til", coerce=int, choices=[])
    note = StringField("Grunn (valgfritt)", validators=[Optional(), Length(max=200)],
                       description="F.eks. sykdom eller møte")


class EndForm(FlaskForm):
    handover_note = TextAreaField(
        "Beskjed til neste på vakt (valgfritt)", validators=[Optional(), Length(max=500)],
        description="Vaktskifte: det den neste i samme sone bør vite. Ikke skriv mer om elever enn nødvendig.")


class FreeDayForm(FlaskForm):
    day = StringField("Dato", validators=[InputRequired(REQUIRED)])
    reason = StringField("Hvorfor (valgfritt)", validators=[Optional(), Length(max=80)],
                         description="F.eks. planleggingsdag eller turdag")


class WatchForm(FlaskForm):
    pupil_id = SelectField("Elev", coerce=int, choices=[])
    look_for = StringField("Hva skal de på vakt se etter?", validators=[Optional()],
                           description="Én kort linje, f.eks. «Er mye alene – se om hen får være med i lek.»")
    until = StringField("Til og med", validators=[Optional()])
