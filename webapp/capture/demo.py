"""Demo records for capture: three weeks of observations, notes and meldinger at the demo school,
on school days as a school records them: mostly in the breaks, some at SFO, a few in lessons and
between them; mostly positive."""
import json
from datetime import time, timedelta

from ..db import one
from ..demo import LESSONS, SFO, TRANSITIONS, YARD, at, demo_step, moment_in, school_day, school_time_after
from ..saker import store as saker
from ..school import store as school_store
from . import rules, store

AUTHORS = ["ansatt", "marte.dahl", "jonas.berg", "sofie.haugen", "nora.vik", "olav.moen",
           "tor.bakke", "liv.eide"]
SFO_AUTHORS = ["emil.strand", "eva.lie"]
# where a record is made, how often, and when (Oslo time): what the demo's weeks look like
WHERE = {"friminutt": 60, "sfo": 24, "klasserom": 8, "overgang": 8}
WHEN = {"friminutt": YARD, "sfo": SFO, "klasserom": LESSONS, "overgang": TRANSITIONS}
POSITIVE_SHARE = 0.7
SCHOOL_DAYS = 15  # three weeks back

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
# in lessons and between them, what is seen indoors
INDOORS_POSITIVE = [
    (["hjelper"], "Forklarte oppgaven til sidemannen uten å bli bedt om det."),
    (["inkludering"], "Inviterte en ny elev inn i gruppa si i gruppearbeidet."),
]
INDOORS_CONCERNS = [
    (["verbal"], ["trakassering"], "Lo høyt og hermet etter da eleven leste høyt.", ""),
    (["fysisk"], ["konflikt"], "Dyttet hverandre i døra ut til garderoben.", ""),
]


def _point_in(zone, rng):
    """A random point inside a (rectangular) demo zone."""
    polygon = json.loads(zone["polygon"])
    xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
    return round(rng.uniform(min(xs) + .02, max(xs) - .02), 4), round(rng.uniform(min(ys) + .02, max(ys) - .02), 4)


@demo_step
def capture_demo(db, context):
    """Three weeks of observations: positive and concerns, across zones, breaks, lessons and SFO."""
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
    for back in range(SCHOOL_DAYS - 1, -1, -1):
        day = school_day(now, back)
        for _ in range(rng.randint(4, 9)):
            where = rng.choices(list(WHERE), list(WHERE.values()))[0]
            observed = moment_in(rng, day, WHEN[where])
            if observed > now - timedelta(minutes=20):
                continue
            outdoors = where in ("friminutt", "sfo")
            context_code = rng.choice(rules.SFO_CONTEXTS) if where == "sfo" else where
            zone = rng.choice(zones) if outdoors and context_code != "sfo_innelek" else None
            map_x = map_y = None
            if zone is not None and rng.random() < 0.7:
                map_x, map_y = _point_in(zone, rng)
            fields = {"observed_at": observed, "context": context_code, "zone_id": zone["id"] if zone else None,
                      "map_x": map_x, "map_y": map_y}
            if rng.random() < POSITIVE_SHARE:
                labels, facts = rng.choice(POSITIVE if outdoors else INDOORS_POSITIVE)
                chosen = rng.sample(everyone, rng.randint(1, 3))
                record = rules.new_record(kind="positive", labels=labels, facts=facts,
                                          pupils={p: rules.POSITIVE_ROLE for p in chosen}, **fields)
            else:
                types, labels, facts, comment = rng.choice(CONCERNS if outdoors else INDOORS_CONCERNS)
                if outdoors and rng.random() < 0.3:
                    types, labels = ["indirekte"], ["mulig_mobbing", "utenforskap"]
                    facts, comment = "Eleven ble holdt utenfor leken igjen av de samme to.", ""
                    pupils = [(target, "utsatt")] + [(b, "utøver") for b in bullies]
                else:
                    chosen = rng.sample(everyone, rng.randint(1, 3))
                    pupils = [(chosen[0], "utsatt")] + [(p, rng.choice(["utøver", "tilskuer"])) for p in chosen[1:]]
                record = rules.new_record(kind="concern", offence_types=types, labels=labels, facts=facts,
                                          comment=comment, pupils=pupils, intervened=int(rng.random() < 0.85),
                                          outcome=rng.choices(["solved", "follow_up", None], [6, 3, 1])[0], **fields)
            recorded = observed + timedelta(minutes=rng.randint(0, 15))
            author_name = rng.choice(SFO_AUTHORS if where == "sfo" else AUTHORS)
            author = {"id": users[author_name], "full_name": names[users[author_name]]}
            observation_id, _ = store.save_observation(
                db, school=school, author=author, record=record, client_id=f"demo{count:06d}", now=recorded)
            count += 1
            melding = store.melding_of(db, observation_id)
            # leadership has received the meldinger of two school days ago and before (within a few
            # hours of school time, so before now); the last day's are still new
            if melding is not None and back >= 2:
                saker.acknowledge(db, melding, leader,
                                  school_time_after(recorded, timedelta(minutes=rng.randint(10, 150))))
    _section_12_5_demo(db, school, users, names, now)


def _section_12_5_demo(db, school, users, names, now):
    """One § 12-5 melding (an employee offending a pupil) in a lesson, received by the principal."""
    pupil = one(db, "SELECT id FROM pupil WHERE school_id = ? ORDER BY id LIMIT 1 OFFSET 30", [school])
    observed = at(school_day(now, 4), time(10, 35))
    record = rules.new_record(
        kind="concern", observed_at=observed, context="klasserom", pupils={pupil["id"]: "utsatt"},
        offence_types=["verbal"], labels=[rules.SECTION_12_5_LABEL], intervened=1,
        facts="En voksen ropte til eleven foran klassen og kalte hen «håpløs».",
        comment="Eleven satt stille resten av timen.", adult_involved="Vikar i matematikk i 6B")
    author = {"id": users["sofie.haugen"], "full_name": names[users["sofie.haugen"]]}
    observation_id, _ = store.save_observation(
        db, school=school, author=author, record=record, client_id="demo-12-5", now=observed + timedelta(minutes=30))
    saker.acknowledge(db, store.melding_of(db, observation_id), users["leder"], observed + timedelta(hours=1))
