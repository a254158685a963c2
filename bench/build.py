"""One school of realistic size for the benchmark, every record written by Trygg's own stores.

`build_school(path, observations=10_000)` makes a database with 600 pupils in 24 classes, 60
staff (the bench's own log-ins among them), the schoolyard map and zones, a year of tilsyn and
`observations` observations. Each observation is a capture form, checked by capture's rules and
saved by capture's store, on a weekday of the past year between 08:00 and 16:30 (more friminutt
than klasserom, more positive than concerns). The meldinger — from staff through capture, from
pupils and parents as a leader enters them through the feed's writer — and the saker, through
the saker store, are drawn from a random sequence of their own: they are the same at every size,
so a filtered page shows as many items at 10,000 observations as at 50,000.
"""
import json
import random
from datetime import datetime, time, timedelta

from werkzeug.datastructures import MultiDict
from werkzeug.security import generate_password_hash

from webapp import clock
from webapp.auth.second_factor import seal
from webapp.capture import rules as capture_rules
from webapp.capture import store as capture
from webapp.capture.demo import CONCERNS, POSITIVE
from webapp.db import connect, init_db, transaction
from webapp.feed import store as feed
from webapp.saker import rules as routine
from webapp.saker import store as saker
from webapp.school import store as school_store
from webapp.school.demo import DEMO_ZONES, FIRST_NAMES, LAST_NAMES, draw_demo_map
from webapp.school.images import process_map_image
from webapp.school.store import create_user

PASSWORD = "bench-passord-2026"
USER, LEADER = "bench.ansatt", "bench.rektor"
# the bench's servers' SECRET_KEY (bench/client.py), which seals the leader's second factor; the leader's key
BENCH_SECRET_KEY = "bench-only-not-secret"
LEADER_TOTP_SECRET = "MJSW4Y3IOJSWW5DPOJSWW33EMVZGK3TE"
SFO_STAFF = 8  # of the staff, those who work at SFO (and record what happens there)

# where and when things are seen on a school day, Oslo time: (context, weight, windows)
BREAKS = [(time(9, 45), time(10, 0)), (time(11, 15), time(12, 0)), (time(13, 15), time(13, 30))]
LESSONS = [(time(8, 30), time(9, 40)), (time(10, 5), time(11, 10)), (time(12, 5), time(13, 10))]
AFTER_SCHOOL = [(time(13, 30), time(16, 30))]
CONTEXTS = [
    ("friminutt", 50, BREAKS),
    ("klasserom", 12, LESSONS),
    ("overgang", 8, [(time(9, 40), time(9, 50)), (time(11, 10), time(11, 20)), (time(12, 0), time(12, 5))]),
    ("sfo_utelek", 14, AFTER_SCHOOL),
    ("sfo_innelek", 6, AFTER_SCHOOL),
    ("skolevei", 4, [(time(8, 0), time(8, 30)), (time(13, 30), time(14, 0))]),
    ("tur", 3, [(time(9, 0), time(13, 0))]),
    ("digital", 3, [(time(8, 0), time(16, 30))]),
]
OUTDOORS = ("friminutt", "overgang", "sfo_utelek")
POSITIVE_SHARE = 0.62
# of the meldinger, those a leader enters for a pupil or parent who told by other means
ON_BEHALF_SHARE = 0.15
# of the meldinger, those about one pupil whose trouble runs all year: the pupil pages show this
# pupil, a full first page at every size, so a difference between sizes is not just a fuller page
PATTERN_SHARE = 0.08


def build_school(path, *, observations=10_000, pupils=600, staff=60, meldinger=500, saker_count=60,
                 now=None, seed=12):
    """Create the database at `path` and fill it with one school's year; returns what the requests need."""
    now = now or clock.now()
    rng = random.Random(seed)
    db = connect(str(path))
    init_db(db)
    with transaction(db):
        school, people, pupil_ids, class_ids = _school(db, rng, now, staff, pupils)
        zones = school_store.zones_of(db, school, active_only=True)
        _duties(db, rng, now, school, people, zones)
        leader = people[LEADER]["id"]
        # who records: SFO staff at SFO, other staff elsewhere
        authors = {sfo: [person for person in people.values() if person["id"] != leader
                         and (person["title"] == "SFO-ansatt") == sfo] for sfo in (True, False)}
        # the meldinger's own sequence, then the everyday records around them
        told = random.Random(seed + 1)
        pattern = pupil_ids[len(pupil_ids) // 2]
        reports = [_report(told, now, authors, leader, pupil_ids, zones, pattern) for _ in range(meldinger)]
        seen = random.Random(seed + 2)
        everyday = [_everyday(seen, now, authors, pupil_ids, zones)
                    for _ in range(observations - sum("form" in report for report in reports))]
        pupil_set = set(pupil_ids)
        for n, item in enumerate(sorted(reports + everyday, key=lambda item: item["at"])):
            if "on_behalf" in item:  # told by a pupil or parent: a leader enters it in the feed
                item["melding_id"] = feed.enter_melding(db, school=school, **item["on_behalf"])[0]["id"]
                continue
            observation_id = _save(db, school, item, f"bench{n:07d}", pupil_set, zones)
            if item.get("follow_up"):  # capture made the melding from the record
                item["melding_id"] = capture.melding_of(db, observation_id)["id"]
        sak_id = _follow_up(db, told, now, reports, leader, saker_count)
        counts = {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                  for table in ("observation", "melding", "sak", "duty_session")}
        pattern_meldinger = db.execute("SELECT count(*) FROM melding_pupil WHERE pupil_id = ?", [pattern]).fetchone()[0]
    db.conn.execute("ANALYZE")
    db.conn.close()
    return {"school": school, "pupils": pupil_ids, "zones": [zone["id"] for zone in zones],
            "staff": len(people), "observations": counts["observation"], "meldinger": counts["melding"],
            "saker": counts["sak"], "duty_sessions": counts["duty_session"], "pupil_id": pattern,
            "pupil_meldinger": pattern_meldinger, "sak_id": sak_id, "class_id": class_ids[0]}


def _school(db, rng, now, staff, pupils):
    """The school, its people (username -> {id, full_name, title}), pupils, classes, map and zones."""
    stamp = clock.to_utc_iso(now)
    school = db["school"].insert({"name": "Benkemark skole", "created_at": stamp}).last_pk
    # a cheaper scrypt factor than the app's (as the tests use): the bench signs in some 60 sessions
    # per school, and signing in is not what it measures
    password_hash = generate_password_hash(PASSWORD, method="scrypt:16384:8:1")
    names = [(USER, "Benk Ansatt", "staff", "Lærer"), (LEADER, "Benk Rektor", "leader", "Rektor")]
    for n in range(staff - len(names)):
        title = "SFO-ansatt" if n >= staff - len(names) - SFO_STAFF else rng.choice(["Lærer", "Lærer", "Assistent"])
        names.append((f"ansatt{n:02d}", f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", "staff", title))
    people = {}
    for username, full_name, role, title in names:
        user_id = create_user(db, username=username, full_name=full_name, role=role, title=title,
                              school_ids=[school], password_hash=password_hash)
        people[username] = {"id": user_id, "full_name": full_name, "title": title}
    # leaders sign in with a second factor
    db["second_factor"].insert({"user_id": people[LEADER]["id"], "secret": seal(LEADER_TOTP_SECRET, BENCH_SECRET_KEY),
                                "confirmed_at": stamp})
    classes = [(grade, f"{grade}{letter}") for grade in range(1, 7) for letter in "ABCD"]
    class_ids = [db["school_class"].insert({"school_id": school, "name": name}).last_pk for _, name in classes]
    rows = []
    for n in range(pupils):
        grade, _ = classes[n % len(classes)]
        rows.append({"school_id": school, "class_id": class_ids[n % len(classes)],
                     "full_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                     "birth_date": f"{now.year - 6 - grade}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                     "created_at": stamp})
    db["pupil"].insert_all(rows)
    pupil_ids = [row[0] for row in db.execute("SELECT id FROM pupil WHERE school_id = ? ORDER BY id", [school])]
    school_store.save_map(db, school, *process_map_image(draw_demo_map(), 40_000_000), uploaded_at=stamp)
    for order, (name, polygon) in enumerate(DEMO_ZONES.items()):
        school_store.store_zone(db, school, {"name": name, "polygon": json.dumps(polygon), "sort_order": order})
    return school, people, pupil_ids, class_ids


def _duties(db, rng, now, school, people, zones):
    """A year of tilsyn: every break of every weekday in every zone, ended by the adult on duty."""
    on_duty = [person["id"] for person in people.values() if person["title"] != "Rektor"]
    today = now.astimezone(clock.OSLO).date()
    rows = []
    for back in range(1, 366):
        day = today - timedelta(days=back)
        if day.weekday() > 4:
            continue
        for start, end in BREAKS:
            for zone in zones:
                started, ended = (clock.to_utc_iso(datetime.combine(day, moment, tzinfo=clock.OSLO))
                                  for moment in (start, end))
                rows.append((school, rng.choice(on_duty), zone["id"], day.isoformat(), started, ended, "user", ended))
    db.conn.executemany("INSERT INTO duty_session (school_id, user_id, zone_id, duty_date, started_at, ended_at, "
                        "ended_by, planned_end_at) VALUES (?,?,?,?,?,?,?,?)", rows)


def _moment(rng, now, windows):
    """A whole minute on a weekday of the year before `now`, inside one of the windows (Oslo time)."""
    today = now.astimezone(clock.OSLO).date()
    while True:
        day = today - timedelta(days=rng.randrange(365))
        start, end = rng.choice(windows)
        minutes = (end.hour - start.hour) * 60 + end.minute - start.minute
        moment = datetime.combine(day, start, tzinfo=clock.OSLO) + timedelta(minutes=rng.randrange(minutes))
        if day.weekday() < 5 and moment < now - timedelta(minutes=20):
            return moment


def _capture_form(rng, moment, context, zones, pupil_ids, *, kind, outcome=None, section_12_5=False, utsatt=None):
    """What the capture screen posts for one observation: its fields as a browser sends them."""
    form = [("kind", kind), ("observed_date", moment.date().isoformat()),
            ("observed_time", moment.strftime("%H:%M")), ("context", context)]
    if context in OUTDOORS:
        zone = rng.choice(zones)
        form.append(("zone_id", str(zone["id"])))
        if rng.random() < 0.7:  # a tap on the map, inside the zone's outline (the bench's zones are boxes)
            xs, ys = zip(*json.loads(zone["polygon"]))
            form += [("map_x", f"{rng.uniform(min(xs) + .02, max(xs) - .02):.4f}"),
                     ("map_y", f"{rng.uniform(min(ys) + .02, max(ys) - .02):.4f}")]
    chosen = rng.sample(pupil_ids, rng.choice([1, 1, 2, 2, 2, 3]))
    if utsatt is not None:  # this pupil first, the one offended against
        chosen = [utsatt] + [pupil for pupil in chosen if pupil != utsatt][:len(chosen) - 1]
    if kind == "positive":
        labels, facts = rng.choice(POSITIVE)
        form += [("pupil", str(pupil)) for pupil in chosen]
        form += [("label", label) for label in labels] + [("facts", facts)]
        return MultiDict(form)
    types, labels, facts, comment = rng.choice(CONCERNS)
    for index, pupil in enumerate(chosen):
        form += [("pupil", str(pupil)), (f"role_{pupil}", "utsatt" if index == 0 else rng.choice(
            ["utøver", "utøver", "tilskuer"]))]
    if section_12_5:
        labels, facts = [capture_rules.SECTION_12_5_LABEL], "En voksen ropte til eleven foran de andre."
        form.append(("adult_involved", "Vikar i matematikk"))
    form += [("offence_type", offence) for offence in types] + [("label", label) for label in labels]
    form += [("intervened", "1" if rng.random() < 0.85 else "0"), ("outcome", outcome or ""),
             ("facts", facts), ("comment", comment)]
    return MultiDict(form)


def _everyday(rng, now, authors, pupil_ids, zones):
    """One everyday observation: positive, or a concern solved on the spot or left as an incident."""
    context, _, windows = rng.choices(CONTEXTS, [weight for _, weight, _ in CONTEXTS])[0]
    moment = _moment(rng, now, windows)
    kind = "positive" if rng.random() < POSITIVE_SHARE else "concern"
    outcome = rng.choices(["solved", ""], [65, 35])[0] if kind == "concern" else None
    return {"at": moment, "recorded": moment + timedelta(minutes=rng.randint(1, 15)),
            "author": rng.choice(authors[context.startswith("sfo")]),
            "form": _capture_form(rng, moment, context, zones, pupil_ids, kind=kind, outcome=outcome)}


def _report(rng, now, authors, leader, pupil_ids, zones, pattern):
    """One melding: from staff, a concern needing follow-up (2 % § 12-5); else told by a pupil or parent."""
    context, _, windows = rng.choices(CONTEXTS, [weight for _, weight, _ in CONTEXTS])[0]
    moment = _moment(rng, now, windows)
    utsatt = pattern if rng.random() < PATTERN_SHARE else rng.choice(pupil_ids)
    if rng.random() >= ON_BEHALF_SHARE:
        form = _capture_form(rng, moment, context, zones, pupil_ids, kind="concern", outcome="follow_up",
                             section_12_5=rng.random() < 0.02, utsatt=utsatt)
        return {"at": moment, "recorded": moment + timedelta(minutes=rng.randint(1, 15)), "follow_up": True,
                "author": rng.choice(authors[context.startswith("sfo")]), "form": form,
                "utsatt": int(form.getlist("pupil")[0])}
    other = rng.choice([pupil for pupil in pupil_ids if pupil != utsatt])
    source = rng.choice(["foresatt", "foresatt", "elev"])
    return {"at": moment, "utsatt": utsatt, "on_behalf": {
        "author_id": leader, "now": moment, "pupils": {utsatt: "utsatt", other: "utøver"},
        "summary": "Forteller at eleven blir holdt utenfor og kalt stygge ting i friminuttene.",
        "source": source, "channel": rng.choice(["e-post", "telefon", "utviklingssamtale", "oppmøte"]),
        "raised_by": "Mor til eleven" if source == "foresatt" else "", "received_by_id": leader}}


def _save(db, school, item, client_id, pupil_ids, zones):
    """Check the form with capture's rules and save the record with capture's store; its id."""
    record, errors = capture_rules.parse_capture(item["form"], item["recorded"], pupil_ids=pupil_ids, zones=zones,
                                                 has_map=lambda: True)
    if errors:
        raise ValueError(f"capture refuses the bench's form: {errors}")
    observation_id, _ = capture.save_observation(db, school=school, author=item["author"], record=record,
                                                 client_id=client_id, now=item["recorded"])
    return observation_id


def _follow_up(db, rng, now, reports, leader, count):
    """What leadership did with the meldinger: cases opened, the others received or closed; the last case's id."""
    cases = rng.sample(range(len(reports)), min(count, len(reports)))
    sak_id, opened_from = None, set(cases)
    for index in cases:
        report = reports[index]
        opened = min(report["at"] + timedelta(hours=1), now)
        sak_id = saker.open_sak(db, db["melding"].get(report["melding_id"]), report["utsatt"], leader, leader, opened)
        sak = db["sak"].get(sak_id)
        saker.add_talk(db, sak, "utsatt", report["utsatt"], clock.local(opened).strftime("%Y-%m-%dT%H:%M"),
                       "rektor, eleven", "Eleven fortalte om friminuttene.", leader, opened)
        moment = opened + timedelta(days=1)
        for level in ("individ", "system"):
            saker.save_tiltak(db, sak, {
                "level": level, "name": f"Tiltak ({level})", "description": "Voksen tett på i friminuttene.",
                "justification": "Eleven skal være trygg ute.", "participation": "Eleven og foresatte medvirket.",
                "start_on": clock.local(moment).date().isoformat(), "responsible": "Kontaktlærer",
                "evaluation_on": (clock.local(moment).date() + timedelta(weeks=5)).isoformat(),
                "evaluation_participants": "eleven, foresatte", "conclusion": ""}, leader, min(moment, now))
        for phase in routine.PHASE_KEYS[2:2 + rng.randint(0, len(routine.PHASE_KEYS) - 3)]:
            saker.enter_phase(db, db["sak"].get(sak_id), phase, leader, min(moment, now),
                              reason="Benchmark: videre uten å utføre oppgavene.")
            moment += timedelta(days=rng.randint(2, 10))
    for index, report in enumerate(reports):
        if index in opened_from or report["at"] > now - timedelta(days=2):
            continue  # the last two days' meldinger are still new
        status = rng.choices(["ny", "mottatt", "lukket"], [1, 5, 4])[0]
        melding = db["melding"].get(report["melding_id"])
        if status != "ny":
            saker.acknowledge(db, melding, leader, report["at"] + timedelta(minutes=30))
        if status == "lukket":
            saker.close_melding(db, melding, "Snakket med elevene og foresatte; ikke noe mer å følge opp.",
                                leader, report["at"] + timedelta(days=1))
    return sak_id
