"""Demo Skolegårdsundersøkelsen: a round in 4A with a few talks, and a cluster of concerns for "Hvor og når"."""
from datetime import time, timedelta

from ..capture import rules as capture_rules
from ..capture import store as capture
from ..db import one
from ..demo import at, demo_step, school_day
from ..school.store import zones_of
from . import store
from .rules import parse_marks

# (play, company, bothered, seen bothered, marks as (kind, x, y))
TALKS = [
    ("Fotball og sisten.", "Ja, Emil og Sara.", "Nei.", "Ja, bak gymsalen.",
     [("leke", .70, .72), ("utrygt", .97, .20), ("voksne", .97, .22)]),
    ("Klatre.", "Noen ganger.", "Ja, de sier stygge ting ved gjerdet.", "Nei.",
     [("leke", .25, .88), ("utrygt", .97, .18), ("utrygt", .72, .80), ("voksne", .72, .78)]),
    ("Sandkassa.", "Ja.", "Nei.", "Nei.", [("leke", .17, .62), ("voksne", .30, .60)]),
    ("Ballbingen.", "Ja, hele klassen.", "Nei.", "Ja, på idrettsplassen.",
     [("leke", .75, .70), ("utrygt", .80, .82), ("voksne", .98, .19)]),
]


@demo_step
def survey_demo(db, context):
    """A round for 4A with four talks, and concerns clustered by the goal in the last slot of storefri."""
    now, school, users, pupils = context["now"], context["school"], context["users"], context["pupils"]
    zones = zones_of(db, school, active_only=True)
    class_id = one(db, "SELECT class_id FROM pupil WHERE id = ?", [pupils["4A"][0]])["class_id"]
    round_id = store.open_round(db, school, class_id, users["leder"], at(school_day(now, 3), time(8, 0)))
    survey_round = store.round_details(db, round_id)
    for index, (play, company, bothered, seen, marks) in enumerate(TALKS):
        answers = {"play": play, "company": company, "bothered": bothered, "seen_bothered": seen}
        store.add_talk(db, survey_round, pupils["4A"][index], answers,
                       parse_marks([f"{kind}:{x}:{y}" for kind, x, y in marks], zones), users["ansatt"],
                       at(school_day(now, 3), time(9, 0)) + timedelta(minutes=12 * index))
    _hotspot(db, context, zones)


def _hotspot(db, context, zones):
    """Concerns by the sports field's goal, 11:45–12:00, over six weeks: a hotspot the map shows."""
    rng, now, school, users = context["rng"], context["now"], context["school"], context["users"]
    field = next((zone for zone in zones if zone["name"] == "Idrettsplass"), zones[-1])
    everyone = [pupil for ids in context["pupils"].values() for pupil in ids]
    author = one(db, "SELECT id, full_name FROM user WHERE id = ?", [users["jonas.berg"]])
    for index in range(14):
        day = school_day(now, 3 + index * 2)
        observed = at(day, time(11, 46 + rng.randint(0, 12)))
        pupils = rng.sample(everyone, 2)
        record = capture_rules.new_record(
            kind="concern", observed_at=observed, context="friminutt", zone_id=field["id"],
            map_x=round(rng.uniform(.74, .82), 4), map_y=round(rng.uniform(.76, .84), 4),
            offence_types=["fysisk"], labels=["konflikt"], intervened=1, outcome="solved",
            facts="Krangel og dytting ved målet om hvem som skulle stå i mål.",
            pupils=[(pupils[0], "utsatt"), (pupils[1], "utøver")])
        capture.save_observation(db, school=school, author=author, record=record, client_id=f"demo-hot{index:03d}",
                                 now=observed + timedelta(minutes=5))
