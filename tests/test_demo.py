"""The demo as a newcomer sees it: the schoolyard map's labels in Norwegian letters."""
from pathlib import Path

from PIL import ImageFont

from webapp import demo

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
