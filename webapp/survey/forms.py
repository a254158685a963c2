"""Forms of Skolegårdsundersøkelsen: opening a round, and the talk with one pupil."""
from wtforms import SelectField
from wtforms.validators import Length

from ..forms import CleanTextAreaField, Form
from . import rules, texts


class RoundForm(Form):
    """A leader opens a round for a class."""
    class_id = SelectField("Klasse", coerce=int, choices=[], validate_choice=False)


class TalkForm(Form):
    """The talk with one pupil: who, the four questions' answers as the teacher notes them."""
    pupil_id = SelectField("Eleven", coerce=int, choices=[], validate_choice=False)


# one text area per question of Vedlegg 5, labelled with the question itself
for _column, _question in texts.QUESTIONS:
    setattr(TalkForm, _column, CleanTextAreaField(_question, validators=[Length(max=rules.MAX_ANSWER)]))
