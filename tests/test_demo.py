"""The demo as a newcomer meets it: the README's first steps, `make run`, the map's Norwegian letters."""
import subprocess
from pathlib import Path

from PIL import ImageFont

from webapp.school import demo

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
