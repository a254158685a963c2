"""Forms a leader fills in to set up the school."""
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from ..docx_text import one_line
from ..feide.rules import FEIDE_ID_MAX, clean_feide_id
from ..forms import REQUIRED, Form, choices
from .rules import CLASS_NAME_MAX, EMAIL, EMAIL_MAX, NAME_MAX, TITLE_MAX


class StaffForm(Form):
    username = StringField("Brukernavn", validators=[InputRequired(REQUIRED), Length(2, 40)],
                           description="Små bokstaver, f.eks. kari.nordmann")
    # cleaned and limited as the staff CSV import cleans and limits them (rules.staff_problems)
    full_name = StringField("Fullt navn", filters=[one_line],
                            validators=[InputRequired(REQUIRED), Length(max=NAME_MAX)])
    title = StringField("Stilling", filters=[one_line], validators=[Optional(), Length(max=TITLE_MAX)],
                        description="F.eks. lærer, assistent, SFO-ansatt, rektor")
    email = StringField("E-post", filters=[one_line], validators=[
        Optional(), Regexp(EMAIL, message="Ugyldig e-postadresse."), Length(max=EMAIL_MAX)])
    role = SelectField("Rolle", choices=choices([("staff", "Ansatt"), ("leader", "Skoleledelse")]))
    # shown and kept only where the school's owner uses Feide (webapp/feide); checked there too
    feide_id = StringField("Feide-brukernavn", filters=[clean_feide_id],
                           validators=[Optional(), Length(max=FEIDE_ID_MAX)],
                           description="F.eks. kari.nordmann@kommune.no. Da kan personen logge inn med Feide.")


class StaffEditForm(StaffForm):
    username = None


class ClassForm(Form):
    name = StringField("Klasse eller gruppe", filters=[one_line],
                       validators=[InputRequired(REQUIRED), Length(max=CLASS_NAME_MAX)],
                       description="F.eks. 5A eller 3. trinn")
    contact_teacher_id = SelectField("Kontaktlærer", coerce=int, choices=[])


class PupilForm(Form):
    # cleaned here and checked (its length too) by rules.pupil_problems, as the CSV import is
    full_name = StringField("Navn", filters=[one_line], validators=[InputRequired("Skriv inn elevens navn.")])
    class_id = SelectField("Klasse", coerce=int, choices=[])
    birth_date = StringField("Fødselsdato", validators=[Optional()], description="dd.mm.åååå")
    active = BooleanField("Aktiv elev ved skolen", default=True)


class ZoneForm(Form):
    name = StringField("Navn på sonen", validators=[InputRequired(REQUIRED), Length(max=60)])
    polygon = TextAreaField(
        "Punkter (x,y i prosent av kartet, ett per linje)",
        description="Trykk på kartet for å sette punkter, eller skriv dem her.",
    )
    sort_order = IntegerField("Rekkefølge", default=0,
                              validators=[Optional(), NumberRange(0, 999, "Velg et tall fra 0 til 999.")])
    active = BooleanField("I bruk", default=True)


class UploadForm(Form):
    file = FileField("Fil")


class SettingsForm(Form):
    name = StringField("Skolens navn", validators=[InputRequired(REQUIRED), Length(max=120)])
    municipality = StringField("Kommune", validators=[Optional(), Length(max=80)])
    pattern_threshold = IntegerField(
        "Mønster: antall hendelser", validators=[NumberRange(2, 20, "Velg et tall fra 2 til 20.")],
        description="Hvor mange negative observasjoner der samme elev er utsatt før Trygg varsler.")
    pattern_window_days = IntegerField(
        "Mønster: innenfor antall dager", validators=[NumberRange(1, 90, "Velg et tall fra 1 til 90.")])
    unacknowledged_alert_minutes = IntegerField(
        "Varsle om ubesvart melding etter (minutter)",
        validators=[NumberRange(5, 7 * 24 * 60, "Velg et tall fra 5 til 10080.")])
