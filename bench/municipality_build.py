"""A municipality in one database, written fast: bulk inserts (executemany), not the app's stores.

`build_municipality(path, observations=1_000_000)` makes 40 schools, 17,000 pupils in 24 classes a
school, 2,500 staff (a leader a school among them, the bench's own log-ins at the first school), a
school owner covering every school, each school's zones (the map image at the first school only),
a year of tilsyn, and `observations` observations on the weekdays of the past year, day by day
in time order as they are made. Of the observations, one in a hundred is a concern needing
follow-up and makes a melding (2 % of those §12-5), and one in a thousand a sak, opened from
such a melding by the saker store (1,000,000 observations: 10,000 meldinger, 1,000 saker). The
rows are what capture's store writes, its copies in observation_pupil included, except that the
content hash is left empty (no bench request resends a built record) and solved incidents make
no notes in the pupils' files. One pupil at the first school is in about PATTERN_RECORDS
observations at every size, so the chronology's first page is as full at 10,000 as at 1,000,000.
"""
import json
import random
from datetime import datetime, timedelta

from build import (
    BENCH_SECRET_KEY,
    BREAKS,
    CONTEXTS,
    LEADER,
    LEADER_TOTP_SECRET,
    OUTDOORS,
    PASSWORD,
    POSITIVE_SHARE,
    USER,
)
from werkzeug.security import generate_password_hash

from webapp import clock
from webapp.auth.second_factor import seal
from webapp.capture.demo import CONCERNS, POSITIVE
from webapp.capture.rules import SECTION_12_5_LABEL
from webapp.db import connect, init_db, transaction
from webapp.saker import store as saker
from webapp.school import store as school_store
from webapp.school.demo import DEMO_ZONES, FIRST_NAMES, LAST_NAMES, draw_demo_map
from webapp.school.images import process_map_image

SCHOOLS, PUPILS, STAFF = 40, 17_000, 2_500
OWNER = "bench.eier"
MELDING_EVERY, SAK_EVERY = 100, 1_000  # observations per melding, per sak
SECTION_12_5_SHARE = 0.02
PATTERN_RECORDS = 60
GRADES, LETTERS = range(1, 8), "ABC"  # 21 classes a school


def leader_name(school_index):
    """The username of the leader at the school (0-based); the first school's is the bench's own."""
    return LEADER if school_index == 0 else f"rektor{school_index:02d}"


def staff_name(school_index, n):
    """The username of the school's n-th staff member; the first school's first is the bench's own."""
    return USER if (school_index, n) == (0, 0) else f"ansatt{school_index:02d}-{n:02d}"


def build_municipality(path, *, observations=1_000_000, now=None, seed=21):
    """Create the database at `path` with the municipality's year; returns what the bench's requests need."""
    now = now or clock.now()
    rng = random.Random(seed)
    db = connect(str(path))
    init_db(db)
    # the bench's own file, deleted after the run: no fsync per transaction while building it
    db.conn.execute("PRAGMA synchronous = OFF")
    db.conn.execute("PRAGMA cache_size = -400000")
    with transaction(db):
        schools = _people(db, rng, now)
        _duties(db, rng, now, schools)
    pattern = schools[0]["pupils"][len(schools[0]["pupils"]) // 2]
    # the observations' indexes made once, after the rows are in: a million rows are written in time
    # order, but each index's keys (pupil, class, author) would come in random order
    indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                         "AND tbl_name IN ('observation', 'observation_pupil')").fetchall()
    for name, _ in indexes:
        db.conn.execute(f"DROP INDEX {name}")
    meldinger = _observations(db, rng, now, schools, observations, pattern)
    for _, sql in indexes:
        db.conn.execute(sql)
    sak_id = _saker(db, rng, now, schools, meldinger, observations)
    counts = {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in ("school", "pupil", "user", "observation", "observation_pupil", "melding", "sak",
                            "duty_session")}
    db.conn.execute("ANALYZE")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    first = schools[0]
    return {"schools": schools, "counts": counts, "observations": counts["observation"],
            "pupils": first["pupils"], "zones": first["zones"], "pupil_id": pattern, "class_id": first["classes"][0],
            "sak_id": sak_id, "pattern_records": _count_pattern(path, pattern)}


def _count_pattern(path, pupil_id):
    """How many observations the pattern pupil is in."""
    db = connect(str(path))
    try:
        return db.execute("SELECT count(*) FROM observation_pupil WHERE pupil_id = ?", [pupil_id]).fetchone()[0]
    finally:
        db.conn.close()


def _people(db, rng, now):
    """Schools, classes, pupils, staff, leaders, the owner and zones; per school {id, pupils, classes, ...}."""
    stamp = clock.to_utc_iso(now)
    # a cheaper scrypt factor than the app's: the bench signs in hundreds of sessions
    password_hash = generate_password_hash(PASSWORD, method="scrypt:16384:8:1")
    db.conn.executemany("INSERT INTO school (id, name, municipality, created_at) VALUES (?, ?, 'Benkemark', ?)",
                        [(n + 1, f"Benkemark {n + 1:02d} skole", stamp) for n in range(SCHOOLS)])
    schools = [{"id": n + 1, "index": n} for n in range(SCHOOLS)]
    users, memberships, user_id = [], [], 0
    staff_per_school = [STAFF // SCHOOLS + (1 if n < STAFF % SCHOOLS else 0) for n in range(SCHOOLS)]
    for school, count in zip(schools, staff_per_school):
        school["staff"], school["sfo"] = [], []
        for n in range(count):  # the first of each school's staff is its leader
            user_id += 1
            username = leader_name(school["index"]) if n == 0 else staff_name(school["index"], n - 1)
            role, title = ("leader", "Rektor") if n == 0 else ("staff", "SFO-ansatt" if n % 8 == 0 else "Lærer")
            users.append((user_id, username, f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", password_hash,
                          role, title, stamp))
            memberships.append((user_id, school["id"]))
            if n == 0:
                school["leader"] = user_id
            else:
                (school["sfo"] if title == "SFO-ansatt" else school["staff"]).append(user_id)
    user_id += 1
    users.append((user_id, OWNER, "Benk Eier", password_hash, "owner", "Kommunalsjef", stamp))
    memberships += [(user_id, school["id"]) for school in schools]
    db.conn.executemany("INSERT INTO user (id, username, full_name, password_hash, role, title, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)", users)
    db.conn.executemany("INSERT INTO membership (user_id, school_id) VALUES (?, ?)", memberships)
    # leaders and the owner sign in with a second factor: the bench's one known secret (bench/client.py)
    sealed = seal(LEADER_TOTP_SECRET, BENCH_SECRET_KEY)
    db.conn.executemany("INSERT INTO second_factor (user_id, secret, confirmed_at) VALUES (?, ?, ?)",
                        [(user[0], sealed, stamp) for user in users if user[4] in ("leader", "owner")])
    classes, class_id = [], 0
    for school in schools:
        school["classes"], school["class_grade"] = [], {}
        for grade in GRADES:
            for letter in LETTERS:
                class_id += 1
                classes.append((class_id, school["id"], f"{grade}{letter}"))
                school["classes"].append(class_id)
                school["class_grade"][class_id] = grade
    db.conn.executemany("INSERT INTO school_class (id, school_id, name) VALUES (?, ?, ?)", classes)
    pupils, pupil_id = [], 0
    for school in schools:
        school["pupils"], school["pupil_class"] = [], {}
        for n in range(PUPILS // SCHOOLS):
            pupil_id += 1
            klass = school["classes"][n % len(school["classes"])]
            pupils.append((pupil_id, school["id"], klass, f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                           f"{now.year - 6 - school['class_grade'][klass]}-{rng.randint(1, 12):02d}-"
                           f"{rng.randint(1, 28):02d}", stamp))
            school["pupils"].append(pupil_id)
            school["pupil_class"][pupil_id] = klass
    db.conn.executemany("INSERT INTO pupil (id, school_id, class_id, full_name, birth_date, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)", pupils)
    zones = [(school["id"], name, json.dumps(polygon), order)
             for school in schools for order, (name, polygon) in enumerate(DEMO_ZONES.items())]
    db.conn.executemany("INSERT INTO zone (school_id, name, polygon, sort_order) VALUES (?, ?, ?, ?)", zones)
    for school in schools:
        school["zones"] = [row[0] for row in db.execute("SELECT id FROM zone WHERE school_id = ? ORDER BY id",
                                                        [school["id"]])]
        school["zone_boxes"] = {zone: json.loads(polygon) for zone, polygon in db.execute(
            "SELECT id, polygon FROM zone WHERE school_id = ?", [school["id"]])}
    # the capture screen measured is the first school's, with its map
    school_store.save_map(db, schools[0]["id"], *process_map_image(draw_demo_map(), 40_000_000), uploaded_at=stamp)
    return schools


def _school_days(now):
    """The weekdays of the year before `now`, oldest first."""
    today = now.astimezone(clock.OSLO).date()
    return [today - timedelta(days=back) for back in range(365, 0, -1)
            if (today - timedelta(days=back)).weekday() < 5]


def _duties(db, rng, now, schools):
    """A year of tilsyn: every break of every weekday in every zone at every school."""
    rows = []
    for day in _school_days(now):
        for start, end in BREAKS:
            started, ended = (clock.to_utc_iso(_at(day, moment)) for moment in (start, end))
            for school in schools:
                for zone in school["zones"]:
                    rows.append((school["id"], rng.choice(school["staff"]), zone, day.isoformat(), started, ended,
                                 "user", ended))
    db.conn.executemany("INSERT INTO duty_session (school_id, user_id, zone_id, duty_date, started_at, ended_at, "
                        "ended_by, planned_end_at) VALUES (?,?,?,?,?,?,?,?)", rows)


def _at(day, moment):
    """The moment on the day, Oslo time."""
    return datetime.combine(day, moment, tzinfo=clock.OSLO)


def _observations(db, rng, now, schools, total, pattern):
    """`total` observations, day by day in time order; the meldinger made: [(melding id, school, utsatt, at)]."""
    days = _school_days(now)
    per_day, extra = divmod(total, len(days))
    weights = [weight for _, weight, _ in CONTEXTS]
    # the pattern pupil is in about PATTERN_RECORDS of the first school's observations, at every size
    pattern_share = PATTERN_RECORDS / max(1, total / SCHOOLS)
    first = schools[0]
    meldinger, observation_id, melding_id = [], 0, 0
    for index, day in enumerate(days):
        rows, pupil_rows, melding_rows, melding_pupils = [], [], [], []
        moments = []
        for _ in range(per_day + (1 if index < extra else 0)):
            context, _, windows = rng.choices(CONTEXTS, weights)[0]
            start, end = rng.choice(windows)
            minutes = (end.hour - start.hour) * 60 + end.minute - start.minute
            moment = _at(day, start) + timedelta(minutes=rng.randrange(minutes), seconds=rng.randrange(60))
            if moment < now - timedelta(minutes=20):
                moments.append((moment, context))
        moments.sort(key=lambda item: item[0])
        for moment, context in moments:
            observation_id += 1
            school = schools[rng.randrange(SCHOOLS)]
            author = rng.choice(school["sfo"] if context.startswith("sfo") else school["staff"])
            makes_melding = observation_id % MELDING_EVERY == 0
            kind = "concern" if makes_melding or rng.random() >= POSITIVE_SHARE else "positive"
            chosen = rng.sample(school["pupils"], rng.choice([1, 1, 2, 2, 2, 3]))
            if school is first and pattern not in chosen and rng.random() < pattern_share:
                chosen = [pattern] + chosen[:2]
            zone, map_x, map_y = None, None, None
            if context in OUTDOORS:
                zone = rng.choice(school["zones"])
                if rng.random() < 0.7:
                    xs, ys = zip(*school["zone_boxes"][zone])
                    map_x = round(rng.uniform(min(xs) + .02, max(xs) - .02), 4)
                    map_y = round(rng.uniform(min(ys) + .02, max(ys) - .02), 4)
            section_12_5 = makes_melding and rng.random() < SECTION_12_5_SHARE
            if kind == "positive":
                labels, facts = rng.choice(POSITIVE)
                types, comment, outcome, intervened, roles = [], "", None, None, ["med"] * len(chosen)
            else:
                types, labels, facts, comment = rng.choice(CONCERNS)
                outcome = "follow_up" if makes_melding else rng.choice(["solved", "solved", None])
                intervened = 1 if rng.random() < 0.85 else 0
                roles = ["utsatt"] + [rng.choice(["utøver", "utøver", "tilskuer"]) for _ in chosen[1:]]
            if section_12_5:
                labels, facts = [SECTION_12_5_LABEL], "En voksen ropte til eleven foran de andre."
            observed = clock.to_utc_iso(moment)
            recorded = clock.to_utc_iso(moment + timedelta(minutes=rng.randint(1, 15)))
            rows.append((observation_id, school["id"], author, f"m{observation_id:07d}", observed, recorded,
                         recorded, kind, context, zone, map_x, map_y, json.dumps(types), json.dumps(labels),
                         intervened, outcome, facts, comment, "Vikar i matematikk" if section_12_5 else ""))
            pupil_rows += [(observation_id, pupil, role, observed, kind, school["pupil_class"][pupil])
                           for pupil, role in zip(chosen, roles)]
            if makes_melding:
                melding_id += 1
                melding_rows.append((melding_id, school["id"], observation_id, author, recorded,
                                     f"{facts} (meldt fra {context})", int(section_12_5),
                                     "Vikar i matematikk" if section_12_5 else ""))
                melding_pupils += [(melding_id, pupil, role) for pupil, role in zip(chosen, roles)]
                meldinger.append((melding_id, school, chosen[0], moment))
        with transaction(db):
            db.conn.executemany(
                "INSERT INTO observation (id, school_id, author_id, client_id, observed_at, recorded_at, updated_at, "
                "kind, context, zone_id, map_x, map_y, offence_types, labels, intervened, outcome, facts, comment, "
                "adult_involved) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            db.conn.executemany("INSERT INTO observation_pupil (observation_id, pupil_id, role, observed_at, kind, "
                                "class_id) VALUES (?,?,?,?,?,?)", pupil_rows)
            db.conn.executemany("INSERT INTO melding (id, school_id, observation_id, author_id, created_at, source, "
                                "channel, summary, section_12_5, adult_involved, status) "
                                "VALUES (?,?,?,?,?,'ansatt','trygg',?,?,?,'ny')", melding_rows)
            db.conn.executemany("INSERT INTO melding_pupil (melding_id, pupil_id, role) VALUES (?,?,?)",
                                melding_pupils)
    return meldinger


def _saker(db, rng, now, schools, meldinger, total):
    """Saker opened from meldinger by the saker store; the others received or closed in bulk; a sak at school 1."""
    older = [item for item in meldinger if item[3] < now - timedelta(days=2)]  # the last two days' wait still
    opened = rng.sample(older, min(len(older), total // SAK_EVERY))
    in_sak, first_sak = {item[0] for item in opened}, None
    with transaction(db):
        for melding_id, school, utsatt, moment in opened:
            at = min(moment + timedelta(hours=1), now)
            sak_id = saker.open_sak(db, db["melding"].get(melding_id), utsatt, school["leader"], school["leader"], at)
            if school["index"] == 0 and first_sak is None:
                first_sak = sak_id
        received, closed = [], []
        for melding_id, school, _, moment in older:
            if melding_id in in_sak:
                continue
            status = rng.choices(["ny", "mottatt", "lukket"], [1, 5, 4])[0]
            if status != "ny":
                received.append((clock.to_utc_iso(moment + timedelta(minutes=30)), school["leader"],
                                 clock.local(moment).date().isoformat(), school["leader"], melding_id))
            if status == "lukket":
                closed.append((clock.to_utc_iso(moment + timedelta(days=1)), school["leader"], melding_id))
        db.conn.executemany("UPDATE melding SET status = 'mottatt', acknowledged_at = ?, acknowledged_by = ?, "
                            "received_on = ?, received_by_id = ? WHERE id = ?", received)
        db.conn.executemany("UPDATE melding SET status = 'lukket', closed_at = ?, closed_by = ?, "
                            "closed_reason = 'Snakket med elevene; ikke noe mer å følge opp.' WHERE id = ?", closed)
    return first_sak
