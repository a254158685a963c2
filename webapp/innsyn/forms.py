"""The innsyn form: who the copy is released to."""
from wtforms import RadioField
from wtforms.validators import DataRequired, Length

from ..forms import CleanStringField, Form, choices, clean_text, strip_text
from .rules import RECIPIENTS


class ExportForm(Form):
    """A copy of the pupil's records: to the pupil or the parents, named."""
    recipient = RadioField("Hvem får kopien",
                           choices=choices([(key, name.capitalize()) for key, name in RECIPIENTS.items()]),
                           validators=[DataRequired("Velg hvem kopien skal til.")])
    recipient_name = CleanStringField("Navn på mottaker", filters=[clean_text, strip_text],
                                      validators=[DataRequired("Skriv navnet på den som får kopien."),
                                                  Length(max=200)],
                                      description="Den eller de som ba om innsyn, f.eks. «Kari og Ola Hansen».")
