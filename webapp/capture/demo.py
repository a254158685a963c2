"""Demo records for capture: a few weeks of observations, notes and meldinger at the demo school."""
import json
from datetime import datetime, time, timedelta

from .. import clock
from ..db import one
from ..demo import demo_step
from ..saker import store as saker
from ..school import store as school_store
from . import rules, store

AUTHORS = ["ansatt", "marte.dahl", "jonas.berg", "sofie.haugen", "nora.vik", "olav.moen",
           "tor.bakke", "liv.eide"]
SFO_AUTHORS = ["emil.strand", "eva.lie"]
BREAKS = [(time(9, 45), time(10, 0)), (time(11, 15), time(12, 15))]
SFO_HOURS = (time(14, 30), time(15, 50))

POSITIVE = [
    (["inkludering"], "Inviterte en som sto alene, med i fotballen."),
    (["hjelper"], "Hjalp en yngre elev som hadde falt, og hentet en voksen."),
    (["leker_sammen"], "En stor gruppe lekte sisten sammen, på tvers av klassene."),
    (["leker_sammen", "inkludering"], "Delte spadene i sandkassa og laget plass til to nye."),
    (["hjelper"], "Ryddet ballene inn uten at noen ba om det."),
    ([], "Rolig og god stemning ved klatrestativet hele friminuttet."),
]
CONCERNS = [
    (["fysisk"], ["konflikt"], "To elever dyttet hverandre i køen til ballbingen. Den ene falt.", ""),
    (["verbal"], ["trakassering"], "Hørte en elev si «ingen vil være med deg» til en annen ved sandkassa.",
     "Virket lei seg etterpå."),
    (["indirekte"], ["utenforskap"], "Eleven gikk alene langs gjerdet hele friminuttet. Spurte om å være med i "
     "sisten og fikk nei.", ""),
    (["indirekte"], ["mulig_mobbing", "utenforskap"], "Gruppen snudde ryggen til da eleven kom bort, og gikk "
     "et annet sted.", "Tredje gang denne uka jeg ser det."),
    (["digital"], ["trakassering"], "Elever viste hverandre et bilde på mobilen og lo. En elev gråt etterpå.", ""),
    (["fysisk"], ["vold"], "En elev slo en annen i ansiktet etter en krangel om ballen.", ""),
    (["verbal"], ["rasisme"], "En elev kommenterte hudfargen til en annen og sa at hen «ikke hører hjemme her».",
     ""),
    (["verbal"], ["konflikt"], "Krangel om hvem som skulle stå i mål. Roet seg etter at jeg kom.", ""),
]


def _moment(rng, day, window):
    """A random local moment on the day within a (start, end) window of clock times."""
    start = datetime.combine(day, window[0], tzinfo=clock.OSLO)
    end = datetime.combine(day, window[1], tzinfo=clock.OSLO)
    return start + timedelta(seconds=rng.randint(0, int((end - start).total_seconds())))


def _point_in(zone, rng):
    """A random point inside a (rectangular) demo zone."""
    polygon = json.loads(zone["polygon"])
    xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
    return round(rng.uniform(min(xs) + .02, max(xs) - .02), 4), round(rng.uniform(min(ys) + .02, max(ys) - .02), 4)


@demo_step
def capture_demo(db, context):
    """About three weeks of observations: positive and concerns, across zones, breaks and SFO."""
    rng, now, school = context["rng"], context["now"], context["school"]
    users = context["users"]
    names = {row["id"]: row["full_name"] for row in db.query("SELECT id, full_name FROM user")}
    zones = school_store.zones_of(db, school, active_only=True)
    classes = context["pupils"]
    everyone = [pupil for ids in classes.values() for pupil in ids]
    # a pattern for leadership to find: one pupil in 4A left out again and again by the same two
    target, bullies = classes["4A"][3], classes["4A"][5:7]
    leader = users["leder"]
    count = 0
    today = now.astimezone(clock.OSLO).date()
    for back in range(21, -1, -1):
        day = today - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        for _ in range(rng.randint(4, 9)):
            sfo = rng.random() < 0.25
            author_name = rng.choice(SFO_AUTHORS if sfo else AUTHORS)
            observed = _moment(rng, day, SFO_HOURS if sfo else rng.choice(BREAKS))
            if observed > now - timedelta(minutes=20):
                continue
            context_code = rng.choice(rules.SFO_CONTEXTS) if sfo else "friminutt"
            zone = None if context_code == "sfo_innelek" else rng.choice(zones)
            map_x = map_y = None
            if zone is not None and rng.random() < 0.7:
                map_x, map_y = _point_in(zone, rng)
            record = {
                "observed_at": observed, "context": context_code, "zone_id": zone["id"] if zone else None,
                "map_x": map_x, "map_y": map_y, "pupils_unclear": 0, "concerns_leader": 0,
                "section_12_5": 0, "intervened": None, "outcome": None, "offence_types": [], "comment": "",
                "adult_involved": "",
            }
            if rng.random() < 0.65:
                labels, facts = rng.choice(POSITIVE)
                chosen = rng.sample(everyone, rng.randint(1, 3))
                record.update(kind="positive", labels=labels, facts=facts,
                              pupils=sorted((p, rules.POSITIVE_ROLE) for p in chosen))
            else:
                types, labels, facts, comment = rng.choice(CONCERNS)
                if rng.random() < 0.3:
                    types, labels = ["indirekte"], ["mulig_mobbing", "utenforskap"]
                    facts = "Eleven ble holdt utenfor leken igjen av de samme to."
                    pupils = [(target, "utsatt")] + [(b, "utøver") for b in bullies]
                else:
                    chosen = rng.sample(everyone, rng.randint(1, 3))
                    pupils = [(chosen[0], "utsatt")] + [(p, rng.choice(["utøver", "tilskuer"])) for p in chosen[1:]]
                record.update(kind="concern", offence_types=types, labels=labels, facts=facts, comment=comment,
                              pupils=sorted(pupils), intervened=int(rng.random() < 0.85),
                              outcome=rng.choices(["solved", "follow_up", None], [6, 3, 1])[0])
            recorded = observed + timedelta(minutes=rng.randint(0, 15))
            author = {"id": users[author_name], "full_name": names[users[author_name]]}
            observation_id, _ = store.save_observation(
                db, school=school, author=author, record=record, client_id=f"demo{count:06d}", now=recorded)
            count += 1
            melding = store.melding_of(db, observation_id)
            # leadership has seen the older meldinger; the last few days' are still new
            if melding is not None and back >= 3:
                saker.acknowledge(db, melding, leader, recorded + timedelta(minutes=rng.randint(10, 150)))
    _section_12_5_demo(db, school, users, names, now)


def _section_12_5_demo(db, school, users, names, now):
    """One § 12-5 melding (an employee offending a pupil), acknowledged by the principal."""
    pupil = one(db, "SELECT id FROM pupil WHERE school_id = ? ORDER BY id LIMIT 1 OFFSET 30", [school])
    observed = now - timedelta(days=6, hours=3)
    record = {
        "kind": "concern", "observed_at": observed, "context": "klasserom", "zone_id": None, "map_x": None,
        "map_y": None, "pupils": [(pupil["id"], "utsatt")], "pupils_unclear": 0, "offence_types": ["verbal"],
        "labels": [rules.SECTION_12_5_LABEL], "intervened": 1, "outcome": "follow_up", "section_12_5": 1,
        "concerns_leader": 0, "facts": "En voksen ropte til eleven foran klassen og kalte hen «håpløs».",
        "comment": "Eleven satt stille resten av timen.", "adult_involved": "Vikar i matematikk i 6B",
    }
    author = {"id": users["sofie.haugen"], "full_name": names[users["sofie.haugen"]]}
    observation_id, _ = store.save_observation(
        db, school=school, author=author, record=record, client_id="demo-12-5", now=observed + timedelta(minutes=30))
    saker.acknowledge(db, store.melding_of(db, observation_id), users["leder"], observed + timedelta(hours=1))
