"""On a phone: record an incident in a few taps, with two pupils, their roles and a point on the map."""
import re

import pytest

from webapp import clock

from . import data
from .conftest import assert_accessible, assert_fits_phone, browser_login, make_app
from .records import save_record
from .test_capture_views import NOW

pytestmark = pytest.mark.browser


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path, NOW=NOW)
    from webapp.db import connect

    db = connect(app.config["DATABASE"])
    data.add_map(db)
    # Kari recorded Aksel and Bea playing together yesterday: they are her recent pupils
    save_record(db, kind="positive", observed_at=clock.parse("2026-11-25T10:50:00+00:00"), context="friminutt",
                pupils={data.PUPIL_A: "med", data.PUPIL_A2: "med"}, recorded=clock.parse("2026-11-25T10:52:00+00:00"),
                client_id="earlier-record-1")
    db.conn.close()
    return app


def test_incident_with_two_pupils_in_different_roles_and_a_map_point(live_server, phone, db):
    page = phone()
    browser_login(page, live_server.url, "ansatt")
    assert_accessible(page)
    taps = 0

    def tap(locator, **kwargs):
        nonlocal taps
        locator.click(**kwargs)
        taps += 1

    tap(page.get_by_role("link", name="Bekymring / hendelse").first)  # 1: kind, and the time
    page.wait_for_url(re.compile(r".*/registrer/ny/bekymring$"))
    assert_accessible(page)
    assert_fits_phone(page)

    tap(page.locator("label.chip", has_text="Aksel Andersen"))  # 2: the first pupil is utsatt
    tap(page.locator("label.chip", has_text="Bea Berge"))  # 3: the next one utøver
    assert page.get_by_role("radio", name="Utsatt").first.is_checked()
    assert page.locator(f"input[name=role_{data.PUPIL_A2}][value=utøver]").is_checked()
    assert_accessible(page)

    figure = page.locator("#capture-map")
    box = figure.bounding_box()
    tap(figure, position={"x": box["width"] * 0.8, "y": box["height"] * 0.7})  # 4: on the sports field
    assert page.get_by_role("radio", name="Idrettsplass").is_checked()
    assert page.locator("#capture-map circle.mark").count() == 1
    tap(page.locator("label.chip", has_text="Friminutt"))  # 5: off duty the context is chosen, not guessed

    # 6: save; the button is disabled while the save is in flight
    taps += 1
    disabled_in_flight = page.evaluate(
        "() => { const b = document.getElementById('save'); b.click(); return b.disabled; }")
    assert disabled_in_flight
    page.wait_for_url(re.compile(r".*/registrer/\d+\?lagret=1$"))
    assert page.get_by_text("Lagret. Et notat").count() == 0  # no outcome chosen: no note, no melding
    assert page.get_by_role("heading", name="Bekymring / hendelse").is_visible()
    assert_accessible(page)
    assert_fits_phone(page)
    assert taps == 6

    observation = next(iter(db.query("SELECT * FROM observation WHERE client_id != 'earlier-record-1'")))
    assert observation["kind"] == "concern"
    assert observation["zone_id"] == data.ZONE_A + 2  # Idrettsplass
    assert 0.75 < observation["map_x"] < 0.85 and 0.65 < observation["map_y"] < 0.75
    roles = {r["pupil_id"]: r["role"] for r in db.query(
        "SELECT * FROM observation_pupil WHERE observation_id = ?", [observation["id"]])}
    assert roles == {data.PUPIL_A: "utsatt", data.PUPIL_A2: "utøver"}

    # the solved incident becomes a melding with one tap, and the author sees it is not seen yet
    page.get_by_label("Hva så du?").fill("Dyttet ved målet.")  # a melding says what was seen
    page.get_by_role("button", name="Gjør om til melding").click()
    page.get_by_text("Meldingen er sendt til skoleledelsen.").wait_for()
    assert page.get_by_text("Sendt – ikke mottatt ennå").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Rett registreringen").click()
    page.wait_for_url(re.compile(r".*/rett$"))
    assert page.locator(f"input[name=pupil][value='{data.PUPIL_A}']").is_checked()
    assert_accessible(page)

    page.get_by_role("link", name="Registrer", exact=True).click()
    page.wait_for_url(re.compile(r".*/registrer/$"))
    assert_accessible(page)
    page.get_by_role("link", name="Alle mine registreringer").click()
    page.get_by_text("Sendt – ikke mottatt ennå").first.wait_for()
    assert_accessible(page)


def test_positive_with_search_by_letters_and_an_error_that_keeps_the_input(live_server, phone, db):
    page = phone()
    browser_login(page, live_server.url, "ansatt")
    page.get_by_role("link", name="Positivt").first.click()
    page.wait_for_url(re.compile(r".*/registrer/ny/positiv$"))
    page.get_by_label("Søk på de første bokstavene i navnet").fill("ca")
    page.locator("#pupil-results label.chip", has_text="Cato Dahle").click()
    # chosen from the results, Cato stays chosen when the next search replaces them
    page.get_by_label("Søk på de første bokstavene i navnet").fill("b")
    page.locator("#pupil-results label.chip", has_text="Bea Berge").wait_for(state="detached")
    page.get_by_label("Klasse", exact=True).select_option(label="5A")
    page.locator("#pupil-results").get_by_text("Ingen elever passer").wait_for()  # 5A's pupils are listed above
    assert page.locator(f"input[name=pupil][value='{data.PUPIL_A3}']").is_checked()
    page.locator("label.chip", has_text="Leker sammen").click()
    page.locator("label.chip", has_text="Friminutt").click()
    page.get_by_label("Hva så du?").fill("Cato lærte de yngste en ny lek.")
    page.get_by_label("Klokkeslett").fill("11:30")  # later than now
    page.get_by_role("button", name="Lagre").click()
    page.get_by_text("Tidspunktet kan ikke være fram i tid.").first.wait_for()
    assert page.get_by_label("Hva så du?").input_value() == "Cato lærte de yngste en ny lek."
    assert page.locator(f"input[name=pupil][value='{data.PUPIL_A3}']").is_checked()
    assert_accessible(page)
    assert_fits_phone(page)

    page.get_by_label("Klokkeslett").fill("09:55")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(re.compile(r".*/registrer/\d+\?lagret=1$"))
    rows = list(db.query("SELECT * FROM observation WHERE kind = 'positive' AND client_id != 'earlier-record-1'"))
    assert len(rows) == 1 and rows[0]["labels"] == '["leker_sammen"]'
    assert [r["pupil_id"] for r in db.query(
        "SELECT pupil_id FROM observation_pupil WHERE observation_id = ?", [rows[0]["id"]])] == [data.PUPIL_A3]


def test_leader_reads_meldinger_on_the_phone(live_server, phone, db):
    page = phone()
    browser_login(page, live_server.url, "ansatt")
    page.get_by_role("link", name="Bekymring / hendelse").first.click()
    page.locator("label.chip", has_text="Ansatt krenker elev").click()
    assert page.get_by_text("sendes alltid som melding til skoleledelsen").is_visible()
    assert_accessible(page)
    page.locator("label.chip", has_text="Klasserom").click()
    page.get_by_role("button", name="Lagre").click()
    # a melding needs what was seen, and a § 12-5 one who the adult was: asked for, the rest kept
    page.get_by_text("Skriv hvem den voksne var").first.wait_for()
    assert page.locator("#label-ansatt_krenker_elev").is_checked() and page.locator("#context-klasserom").is_checked()
    assert_accessible(page)
    page.get_by_label("Hvem var den voksne?").fill("Vikar i 5A")
    page.get_by_label("Hva så du?").fill("Ropte til eleven foran klassen.")
    page.get_by_role("button", name="Lagre").click()
    page.get_by_text("Meldingen er sendt til skoleledelsen.").wait_for()

    leader = phone()
    browser_login(leader, live_server.url, "leder")
    leader.get_by_role("link", name="Registrer", exact=True).click()
    leader.wait_for_url(re.compile(r".*/registrer/$"))
    leader.get_by_role("link", name="Meldinger og hendelser").click()  # capture leads leaders to the feed
    leader.wait_for_url(re.compile(r".*/meldinger/$"))
    leader.locator(".feed-item.section-12-5").first.wait_for()
    assert "§12-5" in leader.locator(".feed-item.section-12-5").first.inner_text()
    assert_accessible(leader)
    assert_fits_phone(leader)


def test_typing_on_the_phone_nothing_covers_the_text_and_the_pin_and_chosen_chips_are_clear(live_server, phone, db):
    page = phone()
    browser_login(page, live_server.url, "ansatt")
    page.goto(live_server.url + "/registrer/ny/bekymring")
    # a pin big enough to see under a finger (the map is drawn scaled down to the phone)
    figure = page.locator("#capture-map")
    box = figure.bounding_box()
    figure.click(position={"x": box["width"] * 0.5, "y": box["height"] * 0.5})
    pin = page.locator("#capture-map circle.mark").bounding_box()
    assert pin["width"] >= 24 and pin["height"] >= 24
    # the chosen outcome with its hint: readable on the blue (axe checks the contrast of what shows)
    page.locator("label[for=outcome-solved]").click()
    assert_accessible(page)
    colours = page.evaluate("""() => { const chip = document.querySelector('label[for=outcome-solved]');
        const hint = chip.querySelector('.chip-hint');
        return [getComputedStyle(chip).backgroundColor, getComputedStyle(hint).color]; }""")
    assert colours == ["rgb(11, 61, 107)", "rgb(255, 255, 255)"]
    # the keyboard takes the lower half of the screen; the browser brings the field into view above it
    page.set_viewport_size({"width": 390, "height": 420})
    for field in ("#facts", "#comment", "#adult_involved"):
        if field == "#adult_involved":
            page.locator("label.chip", has_text="Ansatt krenker elev").click()
        page.locator(field).focus()
        page.evaluate(f"document.querySelector('{field}').scrollIntoView({{block: 'end'}})")
        text = page.locator(field).bounding_box()
        for cover in (".savebar", ".tabbar", ".topbar"):
            other = page.locator(cover).bounding_box()
            overlaps = text["y"] < other["y"] + other["height"] and other["y"] < text["y"] + text["height"]
            assert not overlaps, f"{cover} covers {field}"
    page.evaluate("document.activeElement.blur()")  # done typing
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("window.scrollTo(0, 0)")
    bar = page.locator(".savebar").bounding_box()
    assert bar["y"] + bar["height"] <= 844 - 60  # not typing: the save button is at hand again, above the tab bar
