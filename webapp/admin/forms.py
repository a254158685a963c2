"""The forms operators fill in: a school with its first leader, a school owner."""
from wtforms import SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, Optional

from ..forms import REQUIRED, Form


class SchoolForm(Form):
    name = StringField("Skolens navn", validators=[InputRequired(REQUIRED), Length(max=120)])
    municipality = StringField("Kommune", validators=[Optional(), Length(max=80)])
    leader_username = StringField("Brukernavn for første leder", validators=[InputRequired(REQUIRED)])
    leader_name = StringField("Lederens fulle navn", validators=[InputRequired(REQUIRED), Length(max=120)])
    leader_title = StringField("Stilling", default="Rektor", validators=[Optional(), Length(max=80)])


class OwnerForm(Form):
    username = StringField("Brukernavn", validators=[InputRequired(REQUIRED)])
    full_name = StringField("Fullt navn", validators=[InputRequired(REQUIRED), Length(max=120)])
    title = StringField("Stilling", default="Skolefaglig rådgiver", validators=[Optional()])
    # admin/index.html draws a checkbox per school itself; the choices are what may be sent
    school_ids = SelectMultipleField("Skoler", coerce=int, choices=[])
