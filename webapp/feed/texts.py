"""The plan's fixed texts the feed shows, word for word: the Vedlegg 6 checklist "Ved mistanke om mobbing"."""

CHECKLIST_TITLE = "Ved mistanke om mobbing"
CHECKLIST_INTRO = (
    "Lærerteamet gjennomgår sjekklisten. Er det svart ”ja” på flere av spørsmålene, er det god "
    "grunn til å igangsette undersøkelser med formål om å avdekke mobbing."
)
CHECKLIST_QUESTIONS = [
    "Er det særlig sårbare elever i gruppa?",
    "Har noen av elevene tidligere vært involvert i mobbing?",
    "Er det ekskluderende atferd i gruppa?",
    "Har det vært enkeltepisoder med krenkelser?",
    "Har det vært endringer i forholdet til de voksne i gruppa?",
    "Ser det ut til at det er uvanlig mange klikker i gruppa?",
    "Er det elever som har høy status i gruppa?",
    "Er det elever som har lav status i gruppa?",
    "Har det vært episoder med utagering/vold?",
]
