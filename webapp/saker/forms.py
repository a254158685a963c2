"""Forms of a sak: talks, the aktivitetsplan and its tiltak, the letter's details, closing, escalating."""
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    SelectField,
)
from wtforms.validators import (
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from ..feed.forms import CHANNELS
from ..forms import DATE_MESSAGE, REQUIRED, CleanStringField, CleanTextAreaField, Form, choices
from . import rules as routine
from . import texts


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
    receiver = CleanStringField(
        "Til hvem", validators=[InputRequired(REQUIRED), Length(max=120)],
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
