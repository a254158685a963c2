"""Forms leaders fill in: meldinger on behalf of others, talks, the aktivitetsplan, tiltak."""
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from ..docx_text import xml_safe
from ..forms import Form, choices
from ..scope import parse_id
from . import rules as routine
from . import texts

REQUIRED = "Dette feltet må fylles ut."


def _clean(value):
    """Typed or pasted text without the control characters Word puts in (they break .docx exports)."""
    return value if value is None else xml_safe(value)


class CleanStringField(StringField):
    """A one-line text field whose text is cleaned of control characters on input."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("filters", [_clean])
        super().__init__(*args, **kwargs)


def _strip(value):
    """Text without the spaces around it, so that only spaces count as nothing written."""
    return value.strip() if isinstance(value, str) else value


class IdsField(SelectMultipleField):
    """Several ids chosen from a list; nothing chosen (or an empty option) is none, not an error.

    SelectMultipleField(coerce=int) fails on an empty value and leaves its data None.
    """

    def process_formdata(self, valuelist):
        ids = [parse_id(value) for value in valuelist if value.strip()]
        self.data = [i for i in ids if i is not None]
        if None in ids:
            raise ValueError("Velg fra listen.")


class CleanTextAreaField(TextAreaField):
    """A text area whose text is cleaned of control characters on input (Word's breaks become newlines)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("filters", [_clean])
        super().__init__(*args, **kwargs)
DATE_MESSAGE = "Skriv en gyldig dato."

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
    summary = CleanTextAreaField("Hva ble meldt", filters=[_clean, _strip],
                                 validators=[DataRequired("Skriv hva som ble meldt."), Length(max=5000)],
                                 description="Skriv det som ble sagt, ikke tolkningen.")
    section_12_5 = BooleanField("Gjelder en ansatt som krenker en elev (§12-5)")
    # § 12-5: who the adult was, in words (never a list of the school's staff); required in the view
    adult_involved = CleanStringField("Hvem er den ansatte det gjelder (§12-5)", filters=[_clean, _strip],
                                      validators=[Length(max=200)],
                                      description="Navn, eller rolle og hvor hen jobber. Bare skoleledelsen og "
                                                  "skoleeier ser det, og bare skoleeier når det gjelder en leder.")
    concerns_leader = BooleanField("Gjelder en leder ved skolen (går rett til skoleeier)")


class TalkForm(Form):
    """A talk or meeting in a case, with its referat."""
    kind = SelectField("Samtale", choices=choices([(k, label) for k, label, _ in routine.TALK_KINDS]))
    pupil_id = SelectField("Elev", coerce=int, choices=[])
    held_at = DateTimeLocalField("Når", format="%Y-%m-%dT%H:%M", validators=[InputRequired(DATE_MESSAGE)])
    participants = CleanStringField("Til stede", validators=[Optional(), Length(max=300)])
    referat = CleanTextAreaField("Referat", validators=[InputRequired("Skriv et referat fra samtalen."),
                                                   Length(max=10000)])


class PlanForm(Form):
    """The aktivitetsplan's own fields (Vedlegg 12)."""
    background = CleanTextAreaField(texts.PLAN_BACKGROUND.rstrip(":").capitalize(), validators=[Length(max=10000)])
    investigations = CleanTextAreaField("Undersøkelsene skolen har gjort", validators=[Length(max=10000)],
                                   description=texts.PLAN_INVESTIGATIONS_HINT)
    perspectives = CleanTextAreaField(texts.PLAN_PERSPECTIVES.rstrip(":"), validators=[Length(max=10000)])
    findings = CleanTextAreaField("Samlede undersøkelser og barnets beste vurdering viser",
                             validators=[Length(max=10000)], description=texts.PLAN_FINDINGS_HINT)
    coordinator_id = SelectField("Koordinator for aktivitetsplanen", coerce=int, choices=[],
                                 description=texts.PLAN_COORDINATOR_HINT)


class TiltakForm(Form):
    """One measure of the aktivitetsplan."""
    level = SelectField("Nivå", choices=choices([("individ", "Individuelt tiltak"),
                                                 ("system", "Klasse-/systemtiltak")]))
    name = CleanStringField("Navn på tiltaket", validators=[InputRequired(REQUIRED), Length(max=200)])
    description = CleanTextAreaField("Beskrivelse av tiltaket", validators=[Length(max=5000)],
                                description=texts.TILTAK_GUIDANCE)
    justification = CleanTextAreaField("Begrunnelse for tiltaket", validators=[Length(max=5000)])
    participation = CleanTextAreaField("Medvirkning fra elev (når og hvordan) og foresatte",
                                  validators=[Length(max=5000)])
    start_on = DateField("Dato for igangsetting", validators=[InputRequired("Skriv datoen tiltaket settes i gang.")])
    responsible = CleanStringField("Ansvarlig for tiltaket", validators=[
        InputRequired("Skriv hvem som er ansvarlig for tiltaket."), Length(max=200)])
    evaluation_on = DateField("Dato for evalueringsmøtet",
                              validators=[InputRequired("Skriv datoen for evalueringsmøtet.")],
                              description="Senest seks uker etter at tiltaket settes i gang.")
    evaluation_participants = CleanStringField("Deltakere på evalueringsmøtet", validators=[Length(max=300)])
    conclusion = CleanTextAreaField("Konklusjon fra evalueringsmøte", validators=[Length(max=5000)],
                               description=texts.TILTAK_CONCLUSION_HINT)


# who raised a concern and how it came, as the Vedlegg 10 letter can say it
LETTER_SOURCES = [("foresatt", "Foresatte"), ("elev", "Eleven"), ("ansatt", "En ansatt ved skolen"),
                  ("annen", "Andre (skriv hvem)")]
LETTER_CHANNELS = [("trygg", "Registrering i Trygg"), *CHANNELS]


class LetterDetailsForm(Form):
    """How the concern came, as the Vedlegg 10 letter and the aktivitetsplan say it; a leader corrects it."""
    source = SelectField("Hvem meldte bekymringen", choices=choices(LETTER_SOURCES))
    raised_by = CleanStringField("Hvem, når det er andre", validators=[Length(max=120)],
                                 description="F.eks. «helsesykepleier». Står i brevet der det står hvem som meldte.")
    channel = SelectField("Hvordan kom bekymringen", choices=choices(LETTER_CHANNELS))
    concern_on = DateField("Datert", validators=[InputRequired(DATE_MESSAGE)])
    receiver = CleanStringField("Til hvem", validators=[InputRequired(REQUIRED), Length(max=120)],
                                description="Den som først tok imot bekymringen, f.eks. kontaktlærer eller avdelingsleder.")
    received_on = DateField("Mottatt dato", validators=[Optional()])
    letter_on = DateField("Brevets dato", validators=[InputRequired(DATE_MESSAGE)])

    def validate_raised_by(self, field):
        """"Andre" says who."""
        if self.source.data == "annen" and not (field.data or "").strip():
            raise ValidationError("Skriv hvem som meldte bekymringen.")

    def dates_ahead_of(self, today):
        """Whether the concern or its receipt is dated after today (each such field gets a message)."""
        ahead = [field for field in (self.concern_on, self.received_on) if field.data and field.data > today]
        for field in ahead:
            field.errors.append("Datoen kan ikke være frem i tid.")
        return bool(ahead)

    def values(self):
        """What to store (`saker.save_letter_details`): dates as 'YYYY-MM-DD', a name only for "Andre"."""
        return {"source": self.source.data,
                "raised_by": self.raised_by.data.strip() if self.source.data == "annen" else "",
                "channel": self.channel.data, "concern_on": self.concern_on.data.isoformat(),
                "receiver": self.receiver.data.strip(),
                "received_on": self.received_on.data.isoformat() if self.received_on.data else None,
                "letter_on": self.letter_on.data.isoformat()}


class StartMeetingForm(Form):
    """The start meeting the Vedlegg 10 letter invites to."""
    start_meeting_at = DateTimeLocalField("Oppstartsmøte", format="%Y-%m-%dT%H:%M",
                                          validators=[InputRequired(DATE_MESSAGE)])
    start_meeting_participants = CleanStringField(
        "Deltakere", validators=[InputRequired(REQUIRED), Length(max=300)],
        description="F.eks. foresatte, rektor, kontaktlærer")


class CloseSakForm(Form):
    """Closing a case: a reason, and that the pupil says they are safe."""
    reason = CleanTextAreaField("Begrunnelse", validators=[InputRequired("Skriv hvorfor saken avsluttes."),
                                                      Length(max=5000)])
    pupil_says_safe = BooleanField("Eleven sier selv at hen har det trygt og godt")
    pupil_says_safe_on = DateField("Dato eleven sa det", validators=[Optional()])


class EscalateForm(Form):
    """Sending a serious case to the school owner."""
    avvik_filed = BooleanField("Avvik er meldt i Kvalitetsportalen")
    note = CleanTextAreaField("Kommentar til skoleeier", validators=[Length(max=3000)])
