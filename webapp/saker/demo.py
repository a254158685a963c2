"""Demo records for leadership: meldinger acknowledged and not, a pupil who trips the
pattern rule, an open case in Iverksette tiltak with an aktivitetsplan, and an escalated
§12-5 case the school owner sees. Everything is invented.
"""
import json
from datetime import time, timedelta

from ..capture import rules as capture_rules
from ..capture import store as capture
from ..demo import YARD, at, demo_step, latest_in, moment_in, school_day, school_time_before
from ..feed import store as feed
from . import store as saker


def _zones(db, school_id):
    """The school's zone ids in display order, with the box their outline spans."""
    zones = {}
    for row in db.query("SELECT id, polygon FROM zone WHERE school_id = ? ORDER BY sort_order", [school_id]):
        points = json.loads(row["polygon"])
        xs, ys = [x for x, _ in points], [y for _, y in points]
        zones[row["id"]] = (min(xs), min(ys), max(xs), max(ys))
    return zones


@demo_step
def leadership_demo(db, context):
    """Add leadership's demo records to the demo school."""
    now, rng, users, pupils = context["now"], context["rng"], context["users"], context["pupils"]
    school = context["school"]
    boxes = _zones(db, school)
    zones = list(boxes)
    staff = [users[name] for name in ("ansatt", "marte.dahl", "jonas.berg", "sofie.haugen", "emil.strand",
                                      "nora.vik", "olav.moen", "tor.bakke", "liv.eide")]
    leader = users["leder"]
    all_pupils = [p for ids in pupils.values() for p in ids]
    names = {row["id"]: row["full_name"] for row in db.query("SELECT id, full_name FROM user")}
    made = []

    def observe(observed, author, pupil_roles, kind="concern", context="friminutt", **fields):
        """One demo observation, somewhere on the map, saved as capture saves it a minute later; its id."""
        zone = fields.pop("zone", rng.choice(zones))
        if zone:  # a point inside the zone's outline (the demo zones are rectangles)
            x0, y0, x1, y1 = boxes[zone]
            fields.update(map_x=round(rng.uniform(x0 + 0.03, x1 - 0.03), 4),
                          map_y=round(rng.uniform(y0 + 0.03, y1 - 0.03), 4))
        record = capture_rules.new_record(kind=kind, observed_at=observed, context=context, zone_id=zone,
                                          pupils=pupil_roles, **fields)
        observation_id, _ = capture.save_observation(
            db, school=school, author={"id": author, "full_name": names[author]}, record=record,
            client_id=f"demo-leadership-{len(made)}", now=observed + timedelta(minutes=1))
        made.append(observation_id)
        return observation_id

    def in_a_break(back):
        """A moment in the yard `back` school days ago."""
        return moment_in(rng, school_day(now, back), YARD)

    # everyday observations over the last month: mostly positive, some small concerns solved on the spot
    for _ in range(40):
        observed = in_a_break(rng.randint(1, 21))
        if rng.random() < 0.7:
            observe(observed, rng.choice(staff), {p: "med" for p in rng.sample(all_pupils, 3)}, kind="positive",
                    labels=["leker_sammen", "inkludering"], facts="Leker sammen og inkluderer andre i leken.")
        else:
            a, b = rng.sample(all_pupils, 2)
            observe(observed, rng.choice(staff), {a: "utsatt", b: "utøver"}, labels=["konflikt"],
                    offence_types=["verbal"], outcome="solved", intervened=1,
                    facts="Krangel om ballen. Snakket med begge, de ble enige.")

    # a pupil who trips the pattern rule: utsatt four times in two weeks, seen by different adults
    target, other = pupils["4A"][3], pupils["4A"][5]
    for back, author, facts in [(7, staff[1], "Ble dyttet i køen inn etter friminuttet."),
                                (5, staff[3], "Ble kalt stygge ord ved sandkassen."),
                                (2, staff[0], "Fikk ikke være med i fotballen, ble sendt bort."),
                                (1, staff[5], "Ble holdt fast og ertet ved klatrestativet.")]:
        observe(in_a_break(back), author, {target: "utsatt", other: "utøver"},
                labels=["mulig_mobbing"], offence_types=["verbal", "fysisk"], outcome="solved", intervened=1,
                facts=facts)

    # a pupil seen alone or left out by different adults in different places
    alone = pupils["5A"][2]
    for back, author, zone in [(6, staff[2], zones[0]), (4, staff[4], zones[1]), (2, staff[6], zones[2])]:
        observe(in_a_break(back), author, {alone: "utsatt"}, labels=["utenforskap"],
                offence_types=["indirekte"], zone=zone, facts="Gikk alene langs gjerdet hele friminuttet.")

    # meldinger (capture makes one from each record that needs follow-up): two waiting (one for
    # longer than the school's alert time), one received, one closed
    a, b = pupils["3A"][1], pupils["3A"][4]
    observe(latest_in(YARD, school_time_before(now, timedelta(minutes=25))), users["ansatt"],
            {a: "utsatt", b: "utøver"}, labels=["vold"], offence_types=["fysisk"], outcome="follow_up", intervened=1,
            facts="Ble slått i ansiktet ved klatrestativet. Gråt og ville ikke gå inn.")
    c = pupils["6A"][7]
    observe(school_time_before(now, timedelta(hours=5)), staff[1], {c: "utsatt"}, labels=["trakassering"],
            offence_types=["digital"], outcome="follow_up", context="digital", zone=None,
            facts="Eleven viste meg meldinger i klassechatten der hen blir hengt ut.")
    d, e = pupils["5A"][9], pupils["5A"][11]
    received = observe(at(school_day(now, 1), time(11, 12)), users["ansatt"], {d: "utsatt", e: "utøver"},
                       labels=["identitetsbasert"], offence_types=["verbal"], outcome="follow_up",
                       context="overgang", zone=None, facts="Kommentarer om elevens hudfarge i garderoben.")
    saker.assign_melding(db, capture.melding_of(db, received), leader, leader, at(school_day(now, 1), time(12, 20)))
    f = pupils["3A"][8]
    closed = observe(at(school_day(now, 3), time(15, 10)), staff[4], {f: "utsatt"}, context="sfo_innelek",
                     zone=None, outcome="follow_up", facts="Lei seg etter SFO, ville ikke si hvorfor.")
    melding = capture.melding_of(db, closed)
    saker.acknowledge(db, melding, leader, at(school_day(now, 3), time(15, 40)))
    saker.close_melding(db, melding, "Snakket med eleven og foresatte: uenighet hjemme, ikke skolemiljøet.",
                        leader, at(school_day(now, 2), time(10, 30)))

    _case_in_iverksette(db, context, school, leader, target, other)
    _escalated_12_5_case(db, context, school, leader, staff, names)


def _case_in_iverksette(db, context, school, leader, target, other):
    """A parent's phone call three weeks ago became a case now in Iverksette tiltak, with an aktivitetsplan."""
    now, users = context["now"], context["users"]

    def on(back, clock_time):
        """A clock time `back` school days ago."""
        return at(school_day(now, back), clock_time)

    opened = on(14, time(13, 10))
    melding, _ = feed.enter_melding(
        db, school=school, author_id=leader, pupils={target: "utsatt", other: "utøver"}, source="foresatt",
        channel="telefon", raised_by="Mor til eleven", received_by_id=leader, now=opened,
        summary="Mor forteller at eleven gruer seg til skolen og blir plaget i friminuttene.")
    sak_id = saker.open_sak(db, melding, target, leader, leader, opened + timedelta(minutes=5))
    sak = db["sak"].get(sak_id)
    saker.set_start_meeting(db, sak, on(12, time(14)).strftime("%Y-%m-%dT%H:%M"),
                            "foresatte, rektor, kontaktlærer", leader, opened + timedelta(minutes=10))
    for kind, held, referat in [
            ("utsatt", on(14, time(14, 20)),
             "Eleven forteller om dytting og kallenavn over flere uker, mest ved klatrestativet."),
            ("utsatt_foresatte", on(14, time(15, 0)),
             "Mor informert om undersøkelsen. Melding om mottatt bekymring sendt."),
            ("utover", on(13, time(10, 15)), "Eleven erkjenner erting. Fikk klar beskjed om at det skal stoppe."),
            ("utover_foresatte", on(13, time(13, 40)), "Far informert, støtter skolens tiltak.")]:
        saker.add_talk(db, sak, kind, target if kind.startswith("utsatt") else other, held.strftime("%Y-%m-%dT%H:%M"),
                       "rektor, kontaktlærer", referat, leader, held + timedelta(minutes=30))
    # the earlier steps were done on time; regular follow-up talks are what is now overdue
    _phase_done(db, sak_id, leader, on(10, time(8, 40)))
    saker.enter_phase(db, db["sak"].get(sak_id), "utforme_tiltak", leader, on(10, time(8, 45)))
    plan_values = {
        "background": "Mor meldte fra på telefon om at eleven gruer seg til skolen og blir plaget i friminuttene.",
        "investigations": "Samtaler med eleven, medelever og foresatte. Observasjon i friminutt i to uker "
                          "(individnivå). Klassetrivsel – undersøke i klassen (klasse/systemnivå).",
        "perspectives": "Eleven og foresatte er hørt i egne samtaler og i oppstartsmøtet.",
        "findings": "Eleven har over tid blitt utsatt for erting og utestenging i friminuttene. "
                    "Barnets beste: trygghet i friminuttene veier tyngst.",
        "coordinator_id": users["marte.dahl"],
    }
    saker.save_plan(db, db["sak"].get(sak_id), plan_values, leader, on(9, time(14, 30)))
    start = school_day(now, 7)
    for level, name, description in [
            ("individ", "Trygg voksen i friminuttene", "En fast voksen er sammen med eleven i storefri."),
            ("system", "Organisert lek i storefri", "Voksenstyrt lek ved klatrestativet tre dager i uken.")]:
        saker.save_tiltak(db, db["sak"].get(sak_id), {
            "level": level, "name": name, "description": description,
            "justification": "Hendelsene skjer i friminuttene der det er få voksne.",
            "participation": "Eleven valgte selv hvem som er trygg voksen; foresatte enige i møtet.",
            "start_on": start.isoformat(), "responsible": "Marte Dahl",
            "evaluation_on": (start + timedelta(weeks=4)).isoformat(),
            "evaluation_participants": "eleven, foresatte, kontaktlærer, rektor", "conclusion": ""},
            leader, on(8, time(13, 0)))
    saker.save_best_interests(db, db["sak"].get(sak_id), {
        key: {"information": info, "evaluation": "", "notes": "", "weighting": weight}
        for key, info, weight in [
            ("synspunkter", "Eleven vil ha det fint i friminuttene og en voksen å gå til.", "Veier tyngst."),
            ("identitet", "", ""), ("familie", "Foresatte er engasjerte og samarbeider godt.", ""),
            ("beskyttelse", "Trenger voksne nær i friminuttene.", "Veier tungt."),
            ("sarbarhet", "Har vært utsatt over tid.", ""), ("sosiale", "Få venner i klassen.", ""),
            ("helse", "Vondt i magen om morgenen.", ""), ("utdanning", "Konsentrasjonen er dårligere.", "")]},
        leader, on(8, time(13, 30)))
    _phase_done(db, sak_id, leader, on(7, time(8, 40)))
    saker.enter_phase(db, db["sak"].get(sak_id), "iverksette_tiltak", leader, on(7, time(8, 45)))
    sak = db["sak"].get(sak_id)
    started = next(task for task in saker.open_tasks(db, sak) if task["task_key"] == "iverksette")
    saker.update_task(db, sak, started, leader, on(6, time(9, 0)), done=True)


def _phase_done(db, sak_id, leader, when):
    """The demo case's open tasks of its current phase done, as a leader who kept the routine would have."""
    sak = db["sak"].get(sak_id)
    for task in saker.open_tasks(db, sak):
        saker.update_task(db, sak, task, leader, when, done=True)


def _escalated_12_5_case(db, context, school, leader, staff, names):
    """A staff member saw an adult offend a pupil in a lesson: §12-5, routed to the owner, escalated with avvik."""
    now, pupils = context["now"], context["pupils"]
    pupil = pupils["6A"][2]
    seen = at(school_day(now, 2), time(10, 20))
    record = capture_rules.new_record(
        kind="concern", observed_at=seen, context="klasserom", pupils={pupil: "utsatt"},
        labels=[capture_rules.SECTION_12_5_LABEL], offence_types=["verbal"], intervened=1,
        adult_involved="Assistent i klassen", facts="En voksen ropte til eleven og kalte hen dum foran hele klassen.")
    observation_id, _ = capture.save_observation(
        db, school=school, author={"id": staff[2], "full_name": names[staff[2]]}, record=record,
        client_id="demo-leadership-12-5", now=seen + timedelta(minutes=15))
    melding = capture.melding_of(db, observation_id)
    sak_id = saker.open_sak(db, melding, pupil, leader, leader, seen + timedelta(hours=1))
    saker.escalate(db, db["sak"].get(sak_id), "Melding etter §12-5. Den ansatte er informert og får uttale seg.",
                   True, leader, seen + timedelta(hours=2))
    talk = seen + timedelta(hours=3)
    saker.add_talk(db, db["sak"].get(sak_id), "utsatt", pupil, talk.strftime("%Y-%m-%dT%H:%M"),
                   "rektor, kontaktlærer", "Eleven bekrefter hendelsen og er lei seg. Tilbudt trygg voksen.",
                   leader, talk + timedelta(minutes=20))
