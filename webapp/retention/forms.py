"""The owner's retention setting."""
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from ..forms import Form
from . import rules


class SettingForm(Form):
    """How many months after the school year ends a note "løst der og da" is kept."""
    solved_note_months = IntegerField(
        "Måneder etter skoleårets slutt", validators=[
            InputRequired("Skriv et antall måneder."), NumberRange(*rules.SOLVED_NOTE_MONTHS_RANGE)])
