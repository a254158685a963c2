"""On a phone: a teacher holds Skolegårdsundersøkelsen with two pupils, the second on a clean map; the
leader sees both pupils' marks and the comparison with what was recorded, and Hvor og når. Axe on every screen."""
import pytest

from webapp import clock
from webapp.db import transaction
from webapp.survey import store

from . import data
from .conftest import assert_accessible, assert_fits_phone, browser_login
from .records import save_record

pytestmark = pytest.mark.browser


def tap(page, x, y):
    """A tap on the map at (x, y) in 0..1 of its size."""
    page.locator("#survey-map").scroll_into_view_if_needed()
    box = page.locator("#survey-map").bounding_box()
    page.mouse.click(box["x"] + x * box["width"], box["y"] + y * box["height"])


def test_teacher_holds_two_talks_and_the_leader_sees_both_and_the_comparison(live_server, phone, db):
    data.add_map(db)
    with transaction(db):
        save_record(db, kind="concern", observed_at=clock.now(), context="friminutt", zone_id=data.ZONE_A,
                    map_x=0.2, map_y=0.6, labels=["konflikt"], pupils={data.PUPIL_A2: "utsatt"}, facts="Dyttet.")
    with transaction(db):
        round_id = store.open_round(db, data.SCHOOL_A, data.CLASS_A, data.LEADER, clock.now())
    page = phone()
    browser_login(page, live_server.url, "ansatt")
    page.get_by_role("link", name="Skolegården").click()
    page.get_by_role("link", name="5A").click()
    assert_accessible(page)
    page.get_by_role("link", name="Start første samtale").click()
    page.wait_for_url(f"**/skolegard/{round_id}/samtale")
    page.locator("#survey-form[data-ready='1']").wait_for(state="attached")
    assert page.get_by_text("På vår skole skal alle ha det bra.").is_visible()
    assert_accessible(page)
    assert_fits_phone(page)

    page.get_by_label("Eleven").select_option(label="Aksel Andersen")
    page.get_by_label("Hva liker du å leke i friminuttene?").fill("Fotball")
    page.get_by_label("Har du blitt plaget?").fill("Ja, bak skolen.")
    tap(page, 0.2, 0.6)                                        # green: where I like to play (Tunet)
    page.locator("label[for=kind-utrygt]").click()
    tap(page, 0.97, 0.2)                                       # red: unsafe, outside every zone
    page.locator("label[for=kind-voksne]").click()
    tap(page, 0.7, 0.7)                                        # blue: adults should be here
    assert page.locator("#survey-map g.marks > *").count() == 3
    assert page.locator("#survey-map path.survey-utrygt").count() == 1
    assert_accessible(page)
    page.get_by_role("button", name="Lagre og tøm skjermen").click()
    page.get_by_text("Kartet er tømt for neste elev.").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Neste elev").click()
    page.wait_for_url(f"**/skolegard/{round_id}/samtale")
    page.locator("#survey-form[data-ready='1']").wait_for(state="attached")
    # the second pupil sees a clean map, and the first pupil's answers are nowhere
    assert page.locator("#survey-map g.marks > *").count() == 0
    assert page.locator("input[name=mark]").count() == 0
    assert page.get_by_label("Hva liker du å leke i friminuttene?").input_value() == ""
    assert page.get_by_text("Ja, bak skolen.").count() == 0
    page.get_by_label("Eleven").select_option(label="Bea Berge")
    page.locator("label[for=kind-utrygt]").click()
    tap(page, 0.96, 0.25)
    page.get_by_text("Velg soner fra listen i stedet for kartet").click()
    page.locator("fieldset", has_text="Hvor liker du å leke?").get_by_label("Idrettsplass").check()
    assert_accessible(page)
    page.get_by_role("button", name="Lagre og tøm skjermen").click()
    page.get_by_text("Kartet er tømt for neste elev.").wait_for()

    leader = phone()
    browser_login(leader, live_server.url, "leder")
    leader.goto(f"{live_server.url}/skolegard/")
    assert_accessible(leader)
    leader.get_by_role("link", name="5A").click()
    leader.get_by_role("link", name="Se resultatet").wait_for()
    assert_accessible(leader)
    leader.get_by_role("link", name="Se resultatet").click()
    leader.wait_for_url(f"**/skolegard/{round_id}/resultat")
    assert leader.locator("#resultat-leke g.marks > *").count() == 1      # the list's zone has no point
    assert leader.locator("#resultat-utrygt g.marks > *").count() == 2    # both pupils' unsafe marks
    assert leader.locator("#resultat-voksne g.marks > *").count() == 1
    finding = leader.locator("li.finding")
    assert finding.count() == 1 and "Utenfor sonene" in finding.inner_text()
    assert "utrygt her, men ingen registreringer og ingen vakt" in finding.inner_text()
    assert "Ja, bak skolen." in leader.locator(".survey-answers").first.inner_text()
    assert_accessible(leader)
    assert_fits_phone(leader)

    leader.goto(f"{live_server.url}/hvor-og-naar/")
    leader.locator("#heatmap img").wait_for()
    assert leader.evaluate("document.querySelector('#heatmap img').naturalWidth") == 800
    assert_accessible(leader)
    assert_fits_phone(leader)
    # the table is the map's text alternative and its drill-down
    leader.locator(".hotspot-table tbody a").first.click()
    leader.wait_for_url("**/hvor-og-naar/registreringer*")
    assert leader.locator("ul.list li a").count() == 1
    assert_accessible(leader)
    assert_fits_phone(leader)
