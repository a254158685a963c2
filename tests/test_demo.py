"""The demo as a newcomer meets it: the README's first steps, `make run`, the map's Norwegian letters,
records as the screens would have saved them, made in a school's hours and proportions whenever it is made."""
import subprocess
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import ImageFont

from webapp import clock, create_app
from webapp.capture import rules as capture_rules
from webapp.capture import store as capture
from webapp.feed import store as feed_store
from webapp.school import demo

from .conftest import TEST_HASH_METHOD, demo_database

MISSING = "\U0010fffd"  # a private-use character no font draws: what a missing letter looks like


def test_demo_map_font_draws_every_letter_of_its_labels():
    font = ImageFont.truetype(str(demo.MAP_FONT), 40)
    box = bytes(font.getmask(MISSING))
    letters = sorted(set("".join(demo.MAP_LABELS)) - {" "})
    assert "Ø" in letters
    assert [letter for letter in letters + list("ÆØÅæøå") if bytes(font.getmask(letter)) == box] == []


def test_demo_map_font_ships_with_its_licence():
    assert demo.MAP_FONT.is_relative_to(Path(demo.__file__).parent)  # in the repo, never fetched
    assert "Bitstream" in (demo.MAP_FONT.parent / "LICENSE").read_text()


ROOT = Path(__file__).resolve().parent.parent


def test_readme_tells_a_newcomer_what_to_click_as_each_demo_user():
    readme = (ROOT / "README.md").read_text()
    rows = {line.split("|")[1].strip(" `"): line.split("|")[3].strip() for line in readme.splitlines()
            if line.startswith("| `")}
    assert [username for username, *_ in demo.DEMO_LOGINS if not rows.get(username)] == []
    assert "../shared" not in readme  # not in a clone
    assert "FLASK_NOW=" in readme and "PORT=" in readme


def test_make_run_serves_on_the_port_asked_for():
    commands = subprocess.run(["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout
    assert "--port 8123" in commands and "http://127.0.0.1:8123" in commands


def seeded(path, now):
    """A fresh database at `path` with the demo made at `now`; returns the connection."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE": str(path),
                      "PASSWORD_HASH_METHOD": TEST_HASH_METHOD})
    return demo_database(app, path, now)


@pytest.fixture(scope="module")
def tuesday_demo(tmp_path_factory):
    """The demo made on the README's Tuesday morning, 09:40."""
    db = seeded(tmp_path_factory.mktemp("demo") / "demo.sqlite", clock.parse("2026-11-24T09:40:00+01:00"))
    yield db
    db.conn.close()


def test_every_demo_record_is_what_the_screens_would_have_saved(tuesday_demo):
    db = tuesday_demo
    observations = list(db.query("SELECT * FROM observation"))
    assert len(observations) > 100
    for observation in observations:
        pupils = capture.observation_pupils(db, observation["id"])
        record = capture_rules.record_from_row(observation, pupils, capture.melding_of(db, observation["id"]))
        assert (observation["content_hash"], observation["version"]) == (capture_rules.content_hash(record), 1)
    # each pupil's copies of the record's time and kind, and of the pupil's class
    assert db.execute(
        "SELECT count(*) FROM observation_pupil AS copy JOIN observation ON observation.id = copy.observation_id "
        "JOIN pupil ON pupil.id = copy.pupil_id WHERE copy.observed_at != observation.observed_at "
        "OR copy.kind != observation.kind OR copy.class_id IS NOT pupil.class_id").fetchone() == (0,)
    # a melding from a record names its pupils; one without a record was entered by a leader
    for melding in db.query("SELECT melding.*, user.role FROM melding JOIN user ON user.id = melding.author_id"):
        named = set(db.execute("SELECT pupil_id, role FROM melding_pupil WHERE melding_id = ?", [melding["id"]]))
        if melding["observation_id"]:
            assert named == set(db.execute("SELECT pupil_id, role FROM observation_pupil WHERE observation_id = ?",
                                           [melding["observation_id"]]))
        else:
            assert melding["role"] == "leader" and named


# when a newcomer might run `make run` first: the README's Tuesday morning, a Monday just after eight
# (the weekend behind it), Wednesday after SFO has closed, Thursday night, Saturday night, the Monday
# after summer time began
MOMENTS = ["2026-11-24T09:40:00+01:00", "2026-11-23T08:05:00+01:00", "2026-11-25T16:45:00+01:00",
           "2026-11-26T03:00:00+01:00", "2026-11-28T22:00:00+01:00", "2026-03-30T08:10:00+02:00"]


@pytest.fixture(scope="module", params=MOMENTS)
def demo_at(request, tmp_path_factory):
    """(database, now): the demo made at one of MOMENTS."""
    now = clock.parse(request.param)
    db = seeded(tmp_path_factory.mktemp("demo") / "demo.sqlite", now)
    yield db, now
    db.conn.close()


def school_hours(local):
    """Whether an Oslo time is on a weekday between 08:00 and 16:30."""
    return local.weekday() < 5 and "08:00:00" <= local.strftime("%H:%M:%S") <= "16:30:00"


# every moment the demo gives a record, a receipt or a case step, by table
WHEN = {"observation": ["observed_at", "recorded_at"], "melding": ["created_at", "acknowledged_at", "closed_at"],
        "sak": ["opened_at", "escalated_at"], "sak_event": ["at"], "sak_talk": ["held_at", "created_at"],
        "sak_task": ["done_at"], "observation_log_entry": ["decided_at"], "sak_observation_plan": ["attached_at"]}


def test_the_demo_happens_on_school_days_between_eight_and_half_past_four(demo_at):
    db, now = demo_at
    outside, checked = [], 0
    for table, columns in WHEN.items():
        for column in columns:
            for (stamp,) in db.execute(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL"):
                local = clock.local(stamp)  # stored in UTC; a talk's held_at is typed in Oslo time
                checked += 1
                if not school_hours(local) or local > now:
                    outside.append(f"{table}.{column} {local:%a %d.%m %H:%M}")
    assert checked > 300 and outside == []


def test_each_demo_step_comes_after_what_it_follows(demo_at):
    db, _ = demo_at
    assert db.execute("SELECT count(*) FROM observation WHERE recorded_at < observed_at").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM melding JOIN observation ON observation.id = melding.observation_id "
                      "WHERE melding.created_at < observation.observed_at").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM melding WHERE acknowledged_at < created_at "
                      "OR closed_at < coalesce(acknowledged_at, created_at)").fetchone() == (0,)
    # a case opens after its first melding, and every step of it comes after that
    assert db.execute("SELECT count(*) FROM sak WHERE opened_at < (SELECT min(melding.created_at) FROM melding "
                      "JOIN sak_melding ON sak_melding.melding_id = melding.id WHERE sak_melding.sak_id = sak.id)"
                      ).fetchone() == (0,)
    for table, column in [("sak_event", "at"), ("sak_talk", "created_at"), ("sak_task", "done_at"),
                          ("sak_observation_plan", "attached_at")]:
        assert db.execute(f"SELECT count(*) FROM {table} JOIN sak ON sak.id = {table}.sak_id "
                          f"WHERE {table}.{column} < sak.opened_at").fetchone() == (0,), table
    assert db.execute("SELECT count(*) FROM observation_log_entry JOIN observation "
                      "ON observation.id = observation_log_entry.observation_id "
                      "WHERE observation_log_entry.decided_at < observation.observed_at").fetchone() == (0,)


def test_a_demo_week_looks_like_a_school_week(demo_at):
    db, now = demo_at
    weeks = {}
    for stamp, kind, context in db.execute("SELECT observed_at, kind, context FROM observation"):
        local = clock.local(stamp)
        weeks.setdefault(local.date() - timedelta(days=local.weekday()), Counter()).update([kind, context])
        if context.startswith("sfo"):
            assert local.strftime("%H:%M") >= "13:30", "SFO starts when the school day ends"
    last_day = clock.local(db.execute("SELECT max(observed_at) FROM observation").fetchone()[0]).date()
    # the weeks of the last three the demo fills from Monday to Friday, and the demo as a whole
    full = [monday for monday in weeks
            if last_day - timedelta(days=21) <= monday and monday + timedelta(days=4) <= last_day]
    assert len(full) >= 2
    for counts in [weeks[monday] for monday in full] + [sum(weeks.values(), Counter())]:
        assert counts["positive"] > counts["concern"] and counts["friminutt"] > counts["klasserom"] > 0, counts


def test_the_demo_tells_its_stories_whenever_it_is_made(demo_at):
    db, now = demo_at
    school = db["school"].get(1)
    assert school["name"] == "Solbakken skole"
    four_a = {row[0] for row in db.execute("SELECT pupil.id FROM pupil JOIN school_class ON school_class.id = "
                                           "pupil.class_id WHERE school_class.name = '4A'")}
    assert four_a & {flagged["pupil"]["id"] for flagged in feed_store.school_patterns(db, school, now)}
    statuses = {row[0] for row in db.execute("SELECT status FROM melding")}
    assert {"ny", "mottatt", "lukket", "sak"} <= statuses
    assert db.execute("SELECT count(*) FROM melding WHERE section_12_5").fetchone()[0] >= 2
    active = db.execute("SELECT id FROM sak WHERE phase = 'iverksette_tiltak'").fetchone()[0]
    assert db.execute("SELECT count(*) FROM tiltak WHERE sak_id = ?", [active]).fetchone()[0] >= 2
    assert db.execute("SELECT count(*) FROM sak WHERE section_12_5 AND escalated_at IS NOT NULL AND avvik_filed"
                      ).fetchone()[0] == 1
    # this week's observation of 3A runs on the last school day, with the demo user's log of that day
    last_school_day = date.fromisoformat(db.execute("SELECT max(log_date) FROM observation_log").fetchone()[0])
    assert last_school_day.weekday() < 5 and last_school_day <= now.date()
    assert db.execute("SELECT count(*) FROM observation_log JOIN user ON user.id = observation_log.observer_id "
                      "WHERE user.username = 'ansatt' AND log_date = ?", [last_school_day.isoformat()]
                      ).fetchone() == (1,)
