"""The demo as a newcomer meets it: the README's first steps, `make run`, the map's Norwegian letters,
records as the screens would have saved them."""
import subprocess
from pathlib import Path

import pytest
from PIL import ImageFont

from webapp import clock, create_app
from webapp.capture import rules as capture_rules
from webapp.capture import store as capture
from webapp.db import connect, init_db
from webapp.demo import seed_demo
from webapp.school import demo

from .conftest import TEST_HASH_METHOD

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
    db = connect(str(path))
    init_db(db)
    with app.app_context():
        seed_demo(db, now)
    return db


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
