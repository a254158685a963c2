"""Vedlegg 5, Skolegårdsundersøkelsen, word for word from the plan, and the words around it.

Where the plan prints "rød farge" for both the unsafe places and where the adults
should be, Trygg keeps the plan's words for the first two and gives the third a
distinct colour and shape (blue triangles): with two kinds of red cross on one
map, the principal could not tell "unsafe here" from "an adult should be here".
"""

TITLE = "Skolegårdsundersøkelsen"
ATTACHMENT = "Vedlegg 5"

TO_TEACHER = [
    "Skolegårdsundersøkelsen gjennomføres som en elevsamtale. Etter noen spørsmål skal eleven sette kryss på "
    "kartet der han/hun oppholder seg, og føler seg utrygg.",
    "Hver elev skal ha et nytt ark, slik at de ikke kan se hva andre har svart. Når alle samtalene er "
    "gjennomført, tegner du inn røde og grønne kryss på hvert sitt ark, og leverer det til rektor.",
]
# in Trygg each pupil's map is fresh and the class's map is drawn by the app
IN_TRYGG = ("I Trygg får hver elev et nytt, tomt kart, og skjermen tømmes mellom elevene. Rektor får alle "
            "kryssene samlet på ett kart per spørsmål.")

READ_ALOUD_HEADING = "Les denne teksten for elevene:"
READ_ALOUD = ("På vår skole skal alle ha det bra. Ingen skal bli ertet eller plaget. "
              "Jeg vil gjerne vite hvordan du har det i friminuttene.")

QUESTIONS_HEADING = "Still elevene spørsmål om friminuttet:"
# (column in survey_talk, the question)
QUESTIONS = [
    ("play", "Hva liker du å leke i friminuttene?"),
    ("company", "Har du noen å være sammen med i friminuttene?"),
    ("bothered", "Har du blitt plaget?"),
    ("seen_bothered", "Har du sett noen andre bli plaget?"),
]

MAP_HEADING = "Se på kartet. Sett kryss (forklar ved behov):"
# (kind, the question, the plan's instruction, how Trygg draws it, its shape)
MARKS = [
    ("leke", "Hvor liker du å leke?", "Be eleven sette kryss med grønn farge", "grønne sirkler", "circle"),
    ("utrygt", "Hvor føler du det er utrygt?", "Be eleven sette kryss med rød farge", "røde kryss", "cross"),
    # the plan: "Be eleven sette kryss med rød farge" (printed twice): a third colour here, see above
    ("voksne", "Hvor bør de voksne være?", "Be eleven sette kryss med blå farge", "blå trekanter", "triangle"),
]
MARK_QUESTION = {kind: question for kind, question, _, _, _ in MARKS}
MARK_SHAPE = {kind: shape for kind, _, _, _, shape in MARKS}
MARK_LOOK = {kind: look for kind, _, _, look, _ in MARKS}

OUTSIDE_ZONES = "Utenfor sonene"

# the findings of the round's result, zone by zone
FINDINGS = {
    "unsafe_unseen_unwatched": "Utrygt her, men ingen registreringer og ingen vakt",
    "unsafe_unseen": "Utrygt her, men ingen registreringer",
    "unsafe_unwatched": "Utrygt her, og ingen vakt",
    "unsafe_seen": "Utrygt her, og registrerte hendelser",
    "seen_not_felt": "Registrerte hendelser, men ingen elev markerte utrygt",
    "adults_unwatched": "Elevene vil ha voksne her, men ingen vakt",
}
RECORDS_PERIOD_DAYS = 365
