"""Forms for the tilsynsplan, swaps, the end of a duty, no-duty dates and the watch list."""
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..forms import REQUIRED, Form
from ..scope import parse_id
from .rules import HANDOVER_MAX, NOTE_MAX


def id_or_zero(value):
    """A chosen id as int; anything else (a huge number too) is 0 ("nothing chosen"), checked by the view."""
    return parse_id(value) or 0


def too_long(limit):
    """A Norwegian length limit."""
    return Length(max=limit, message=f"Hold det kort: høyst {limit} tegn.")


def person_field(label):
    """A choice of colleague; the view checks the choice belongs to the school."""
    return SelectField(label, coerce=id_or_zero, choices=[], validate_choice=False)


class SlotForm(Form):
    starts = StringField("Fra", validators=[InputRequired(REQUIRED)], description="F.eks. 09:45")
    ends = StringField("Til", validators=[InputRequired(REQUIRED)], description="F.eks. 10:00")


class SwapForm(Form):
    to_user_id = person_field("Hvem skal ta vakten?")
    note = StringField("Melding til kollegaen (valgfritt)", validators=[Optional(), too_long(NOTE_MAX)])


class ReassignForm(Form):
    to_user_id = person_field("Gi vakten til")
    note = StringField("Grunn (valgfritt)", validators=[Optional(), too_long(NOTE_MAX)],
                       description="F.eks. sykdom eller møte")


class EndForm(Form):
    handover_note = TextAreaField(
        "Beskjed til neste på vakt (valgfritt)", validators=[Optional(), too_long(HANDOVER_MAX)],
        description="Vaktskifte: det den neste i samme sone bør vite. Ikke skriv mer om elever enn nødvendig.")


class FreeDayForm(Form):
    day = StringField("Dato", validators=[InputRequired(REQUIRED)])
    reason = StringField("Hvorfor (valgfritt)", validators=[Optional(), too_long(80)],
                         description="F.eks. planleggingsdag eller turdag")


class WatchForm(Form):
    pupil_id = SelectField("Elev", coerce=id_or_zero, choices=[], validate_choice=False)
    look_for = StringField("Hva skal de på vakt se etter?", validators=[Optional()],
                           description="Én kort linje, f.eks. «Er mye alene – se om hen får være med i lek.»")
    until = StringField("Til og med", validators=[Optional()])
