"""The fixed texts of an innsyn copy and of fortrolig adresse, in bokmål."""
from ..saker.texts import PLAN_EXEMPT

EXEMPT = PLAN_EXEMPT
TITLE = "Innsyn: det skolen har registrert om {name}"
INTRO = (
    "Dette er en kopi av alt skolen har registrert om eleven i Trygg: observasjoner, notater, meldinger, "
    "saker med samtaler og referat, aktivitetsplan, brev, systematisk observasjon og sjekklister. "
    "Andre elever er ikke nevnt med navn (offentleglova § 13, jf. forvaltningsloven § 13): de heter "
    "«Elev A», «Elev B» og så videre, den samme eleven med samme betegnelse gjennom hele kopien, og deres "
    "klasse og fødselsdato er tatt ut. Navnene på de ansatte står."
)
CONFIDENTIAL_LEFT_OUT = "Skole og klasse er ikke med i kopien fordi eleven har fortrolig adresse."
NOTHING = "Ingenting registrert."

REDACTED_TITLE = "Dette er tatt ut av kopien"
REDACTED_INTRO = "Opplysninger om andre elever, etter offentleglova § 13, jf. forvaltningsloven § 13:"
NOTHING_REDACTED = "Ingen andre elever er nevnt i kopien."
RELEASED_TITLE = "Dette er utlevert"
RELEASED_LINE = "Utlevert til {name} ({recipient}) {when} av {by}."
