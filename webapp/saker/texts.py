"""The plan's fixed texts, word for word (Vedlegg 9, 10, 12 and 13 of "Trygt skolemiljø").

Line breaks from the printed plan are joined; nothing else is changed, except where a
comment says why (a misprinted law, a sentence that would be untrue).
Guidance printed in the templates between asterisks is shown to the writer
as hints, and left out of the documents Trygg produces.
"""

# ------------------------------------------------------------------ Vedlegg 9
STOPP_TITLE = "Stopp-samtale"
STOPP_UTSATT_TITLE = "Samtale med utsatt"
STOPP_UTSATT = [
    "Start med å si at du vet om krenking/mobbing",
    "Si klart og bestemt at dette ikke er greit og at dette skal stoppe (gi eleven støtte)",
    "La eleven fortelle om sin opplevelse uten å presse.",
    "Fortell i grove trekk hva du/skolen skal gjøre og at rektor er informert",
    "Avslutt ved å fortelle om hvordan du skal holde eleven oppdatert om hva som skjer fremover "
    "og avtal et nytt møte.",
    "Kontakt elevens foresatte",
]
STOPP_UTOVER_TITLE = "Samtale med utøver"
STOPP_UTOVER = [
    "Start med å si at du vet om krenking/mobbing",
    "Si klart og bestemt at du og skolen ikke aksepterer det, at mobbingen skal ta slutt "
    "umiddelbart og at rektor er informert",
    "Spør om eleven vil si noe (lytt og ikke gå inn i diskusjon)",
    "Gjenta at mobbingen skal ta slutt umiddelbart",
    "Inviter den som mobber til samarbeid, f. eks. ved å spørre om han/hun har sett at andre "
    "plager den som blir mobbet. Hvis ja: spør hva eleven kan bidra med",
    "Hva trenger eleven av voksne for å klare å endre atferd som oppleves som krenkende?",
    "Avslutt ved å fortelle at saken følges opp videre, og følg eleven tilbake til klassen.",
    "Hent ut neste elev",
    "Kontakt eleven(e)s foresatte",
]

# ------------------------------------------------------------------ Vedlegg 10
LETTER_TITLE = "Melding om mottatt bekymring om skolemiljøet"
# Not in the plan's template, which has no addressee nor date: a letter to parents needs both.
LETTER_ADDRESSEE = "Til foresatte til {elev}"
LETTER_DATE = "Dato: {brevdato}"
# the template's «elev/foresatte» and «e-post/utviklingssamtale/telefon» filled in from what was recorded
LETTER_SOURCES = {"elev": "elev", "foresatt": "foresatte", "ansatt": "en ansatt ved skolen"}
LETTER_CHANNELS = {"trygg": "registrering i Trygg", "e-post": "e-post", "telefon": "telefon",
                   "utviklingssamtale": "utviklingssamtale", "mobbeknapp": "mobbeknappen", "oppmøte": "oppmøte"}
# «placeholders» of the template become {fields}
LETTER_OPENING = (
    "{skole} mottok bekymring for skolemiljøet i klassen/på skolen fra {fra} via {kanal} "
    "datert {dato}."
)
LETTER_LAW = (
    "Etter opplæringslovens § 12-1 har elever rett til et trygt og godt skolemiljø som fremmer "
    "helse, inkludering, trivsel og læring. Skolen skal arbeide kontinuerlig og systematisk for å "
    "fremme elevenes læringsmiljø, og alle som jobber på skolen har en aktivitetsplikt for at "
    "eleven skal få det bedre. Skolen skal så langt det fins egnede tiltak sørge for at eleven får "
    "et trygt og godt skolemiljø."
)
# The plan's template says "fra foresatte" here, as if every concern came from parents;
# Trygg writes who raised it ({fra}), as the template's first sentence does, so the
# letter never tells parents they reported what a pupil or an employee did.
LETTER_REFERENCE = (
    "Vi viser til henvendelse av {dato} fra {fra} i {kanal} til {mottaker} som angår "
    "skolemiljøet for {elev}, født {fodt}."
)
LETTER_INVESTIGATION = (
    "Skolens ledelse vil innhente informasjon om saken. I undersøkelsen vil det blant annet bli "
    "benyttet samtaler, observasjon og loggbøker. Vi inviterer til et oppstartsmøte {motetid} "
    "med {deltakere}."
)
LETTER_AGENDA_TITLE = "OPPSTARTSMØTET VIL HA FØLGENDE AGENDA:"
LETTER_AGENDA = [
    "Presentasjon av skolens rutiner for håndtering av § 12-saker",
    "Informasjon om saken fra hjem og skole",
    "Definere plan for videre undersøkelse og oppfølging av eleven(e) og foresatte",
    "Dato for oppfølgingsmøte",
]
LETTER_REPLY = (
    "Gi tilbakemelding til {saksansvarlig} på e-post eller telefon dersom tidspunktet ikke passer."
)
LETTER_GREETING = "Hilsen"

# ------------------------------------------------------------------ Vedlegg 12
# The plan prints this line wrongly, as "jfr. offl. § 5 og fvl § 13-13": there is no fvl § 13-13,
# and offl. § 5 only postpones access. What exempts the plan is the duty of confidentiality,
# forvaltningsloven § 13, through offentleglova § 13; Trygg quotes the law as it is.
PLAN_EXEMPT = "Unntatt offentlighet jf. offl. § 13, jf. fvl. § 13"
PLAN_TITLE = "Aktivitetsplan"
PLAN_INTRO = (
    "Kapittel 12 i opplæringsloven fastslår at alle elever har rett til et trygt og godt "
    "skolemiljø. Skolen skal ha nulltoleranse mot krenking, som mobbing, vold, diskriminering og "
    "trakassering. Skolen har plikt til å følge med, gripe inn, melde fra, undersøke og sette inn "
    "tiltak og lage en plan for alle elever som ikke har et trygt og godt skolemiljø, uansett "
    "årsak. Aktivitetsplanen skal dokumentere hva skolen gjør for å oppfylle aktivitetsplikten. I "
    "alt arbeidet skal vurderingen av barnets beste ivaretas og dokumenteres."
)
PLAN_FOR = "PLANEN GJELDER FOR:"
PLAN_NAME = "Navn:"
PLAN_CLASS = "Klasse:"
PLAN_RECEIVED = "MELDINGEN BLE MOTTATT:"
PLAN_RECEIVED_DATE = "Dato og type:"
PLAN_RECEIVED_BY = "Mottaker:"
PLAN_BACKGROUND = "BAKGRUNN FOR VARSLINGEN/BESKRIVELSE AV PROBLEMET:"
PLAN_INVESTIGATIONS = "INFORMASJON OM UNDERSØKELSENE SKOLEN HAR GJORT:"
PLAN_INVESTIGATIONS_HINT = (
    "Her skriver du hvilke undersøkelser dere har gjort for å finne ut hva saken dreier seg om "
    "(f. eks konflikt, mobbing, trakassering, vold etc.). Det må komme tydelig fram at du har "
    "undersøkt saken på individ og klasse/systemnivå- se link. I tillegg til at det er foretatt en "
    "barnets beste vurdering"
)
PLAN_PERSPECTIVES = "Barnet og foreldrenes perspektiv har blitt ivaretatt på følgende måte:"
PLAN_FINDINGS = "SAMLEDE UNDERSØKELSER OG BARNETS BESTE VURDERING VISER:"
PLAN_FINDINGS_HINT = (
    "Her skriver du hva dere har funnet ut etter undersøkelsene på individ og klasse/systemnivå, "
    "en sammenfatning og analyse av undersøkelsene. Skriv tydelig hvordan dere vurderer barnets "
    "beste og hvordan elevens stemme har blitt hørt."
)
TILTAK_HEADING = "TILTAK {number}"
TILTAK_LEVELS = {
    "individ": "Konkrete individuelle tiltak",
    "system": "Konkrete klasse/systemtiltak",
}
TILTAK_DESCRIPTION = "Beskrivelse av tiltaket:"
TILTAK_DESCRIPTION_HINT = "skriv så presist som mulig, se veiledning nedenfor."
TILTAK_JUSTIFICATION = "Begrunnelse for tiltaket:"
TILTAK_PARTICIPATION = "Medvirkning fra elev (når og hvordan) og foresatte:"
TILTAK_START = "Dato for igangsetting av tiltaket:"
TILTAK_RESPONSIBLE = "Ansvarlig for tiltaket:"
TILTAK_EVALUATION = "Dato og deltakere på evalueringsmøtet:"
TILTAK_CONCLUSION = "Konklusjon fra evalueringsmøte:"
TILTAK_CONCLUSION_HINT = "Dersom tiltaket avsluttes, skriv dette spesifikt."
TILTAK_GUIDANCE = (
    "Se veiledning i tiltak: Tiltakene skal være så presise som mulig. Hva innebærer tiltaket for "
    "eleven? Hva er målet eller hensikten med tiltaket? Hvilket problem skal det løse?"
)
PLAN_COORDINATOR = "KOORDINATOR FOR AKTIVITETSPLANEN:"
PLAN_COORDINATOR_HINT = "den ansatte som skal følge opp, samordne og være kontaktperson"
PLAN_COORDINATOR_NAME = "Navn på ansatt:"
PLAN_BEST_INTERESTS = (
    "VURDERE DET BESTE FOR ELEVEN (se vedlegg til aktivitetsplanmal for punkter i vurderingen):"
)

# ------------------------------------------------------------------ Vedlegg 13
BEST_TITLE = "Momenter i barnets beste vurdering"
BEST_INTRO = (
    "I alle kap. 12 saker der skolen skal utarbeide en aktivitetsplan, skal det gjøres en barnets "
    "beste vurdering for tiltakene. Barnets beste vurdering må være innenfor lovene som er aktuelle "
    "(barnekonvensjonen, grunnloven §104 og opplæringsloven), og følgende må tas hensyn til:"
)
BEST_POINTS = [
    "Konkrete omstendigheter, barnets situasjon og behov",
    "Dersom flere barn påvirkes (eks. mobbing, klassemiljøsaker, visse saker med utfordring med "
    "nærvær), må berørte barns situasjon og behov også tas hensyn til",
    "Spesielt hensyn til barn med særskilt sårbarhet",
]
BEST_RESOURCES = (
    "Det er viktig at skolen er oppmerksom på at skolens ressurser ikke kan vektes eller legges til "
    "grunn for å velge bort tiltak som tydelig vil være til barnets beste."
)
BEST_STEPS_TITLE = "Vurdering av barnets beste steg for steg"
BEST_STEPS = (
    "Barnets beste skal vurderes gjennom en tretrinnsmodell bestående av å: vurdere-vekte-vise "
    "(å vise vil si at man dokumenterer)."
)
BEST_TABLE_INTRO = "Følgende momenter skal inngå i barnets beste vurdering:"
BEST_COLUMNS = [
    "Momenter i en helhetsvurdering",
    "Informasjon om dette",
    "Evaluering av info",
    "Notater",
    "Vekte",
]
# what the columns after the first are stored as (barnets_beste), in BEST_COLUMNS' order
BEST_FIELDS = ["information", "evaluation", "notes", "weighting"]
# (key, heading) in the plan's order
BEST_HEADINGS = [
    ("synspunkter", "Barnets synspunkter"),
    ("identitet", "Barnets identitet (kultur)"),
    ("familie", "Familiemiljø og nære relasjoner"),
    ("beskyttelse", "Beskyttelse, omsorg og sikkerhet"),
    ("sarbarhet", "Sårbarhet (utsatt for vold (mobbing defineres som vold) minoritet, evt. "
                  "diagnoser, sosioøkonomiske forhold, flyttinger, klassemiljø, lærerbytter o.l.)"),
    ("sosiale", "Sosiale relasjoner"),
    ("helse", "Rett til helse og vurder helsetilstand (fysisk og psykisk)"),
    ("utdanning", "Retten til utdanning"),
]
