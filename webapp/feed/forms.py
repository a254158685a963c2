"""The melding a leader enters for someone else: a pupil, parents or another adult (/meldinger/ny)."""
from wtforms import BooleanField, DateField, SelectField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..forms import DATE_MESSAGE, CleanStringField, CleanTextAreaField, Form, IdsField, choices, clean_text, strip_text

SOURCES = [("foresatt", "Foresatte"), ("elev", "Eleven selv"), ("ansatt", "Ansatt"), ("annen", "Andre")]

CHANNELS = [("e-post", "E-post"), ("telefon", "Telefon"), ("utviklingssamtale", "Utviklingssamtale"),
            ("mobbeknapp", "Mobbeknappen"), ("oppmøte", "Oppmøte")]


class OnBehalfForm(Form):
    """A melding a leader enters for a pupil or parent who reported by other means."""
    source = SelectField("Hvem meldte fra", choices=choices(SOURCES))
    raised_by = CleanStringField("Navn på den som meldte fra", validators=[Optional(), Length(max=120)],
                            description="F.eks. «mor til eleven». Valgfritt.")
    channel = SelectField("Hvordan kom meldingen", choices=choices(CHANNELS))
    received_on = DateField("Dato mottatt", validators=[InputRequired(DATE_MESSAGE)])
    # choices are checked against the school in the view (unknown ids answer 404)
    received_by_id = SelectField("Hvem tok imot", coerce=int, choices=[], validate_choice=False)
    pupil_id = SelectField("Eleven det gjelder (utsatt)", coerce=int, choices=[], validate_choice=False)
    other_pupils = IdsField("Andre elever som er nevnt (utøver)", coerce=int, choices=[], validate_choice=False)
    # the facts are required: only spaces is nothing written
    summary = CleanTextAreaField("Hva ble meldt", filters=[clean_text, strip_text],
                                 validators=[DataRequired("Skriv hva som ble meldt."), Length(max=5000)],
                                 description="Skriv det som ble sagt, ikke tolkningen.")
    section_12_5 = BooleanField("Gjelder en ansatt som krenker en elev (§12-5)")
    # § 12-5: who the adult was, in words (never a list of the school's staff); required in the view
    adult_involved = CleanStringField("Hvem er den ansatte det gjelder (§12-5)", filters=[clean_text, strip_text],
                                      validators=[Length(max=200)],
                                      description="Navn, eller rolle og hvor hen jobber. Bare skoleledelsen og "
                                                  "skoleeier ser det, og bare skoleeier når det gjelder en leder.")
    concerns_leader = BooleanField("Gjelder en leder ved skolen (går rett til skoleeier)")
