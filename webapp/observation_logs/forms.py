"""Forms for planning an observation (Vedlegg 8:1) and sharing it out (8:2)."""
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..docx_text import xml_safe
from ..forms import CHOOSE, REQUIRED, Form, choices
from .texts import NEEDS, PLANNING_QUESTIONS


class PlanForm(Form):
    class_id = SelectField("Klasse", coerce=int, choices=[])
    pupil_id = SelectField("Enkeltelev", coerce=int, choices=[],
                           description="Valgfritt: eleven observasjonen handler mest om.")
    starts_on = StringField("Fra dato", validators=[InputRequired(REQUIRED)])
    ends_on = StringField("Til dato", validators=[InputRequired(REQUIRED)])
    # a value not offered gets the lists' "Velg fra listen." (the base form's message would quote the values)
    needs = SelectMultipleField(
        "Hva trenger vi å vite?", validators=[Optional()], invalid_choice_message=CHOOSE,
        choices=choices([(key, label) for _, points in NEEDS for key, label in points]))


for _key, _question in PLANNING_QUESTIONS:
    # the first question is what the observation is for: it must be answered
    _validators = [InputRequired(REQUIRED)] if _key == "finne_ut" else [Optional()]
    setattr(PlanForm, "answer_" + _key,
            TextAreaField(_question, filters=[xml_safe], validators=[
                *_validators, Length(max=4000, message="Skriv høyst 4000 tegn.")]))


def answer_fields(form):
    """The planning questions' fields, in the plan's order."""
    return [getattr(form, "answer_" + key) for key, _ in PLANNING_QUESTIONS]


class AssignmentForm(Form):
    observer_id = SelectField("Observatør", coerce=int, choices=[])
    day = SelectField("Dag", choices=[])
    situation = StringField(
        "Situasjon", filters=[xml_safe],
        validators=[InputRequired(REQUIRED), Length(max=120, message="Skriv høyst 120 tegn.")],
        description="F.eks. Utelek/storefri eller Innelek SFO 14:30–15:30.")
