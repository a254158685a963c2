"""At phone size: a staff member with a duty now starts it from home, reads the routine, ends it."""
import pytest

from webapp.db import connect

from .conftest import assert_accessible, assert_fits_phone, browser_login, make_app
from .duty_data import TUNET, load_roster

pytestmark = pytest.mark.browser


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path, NOW="2026-11-23T08:25:00+01:00")
    db = connect(app.config["DATABASE"])
    app.slots = load_roster(db)
    db.execute("INSERT INTO watch_flag (school_id, pupil_id, look_for, until, created_by, created_at) "
               "VALUES (1, 2, 'Går mye alene i storefri', '2026-12-31', 2, '2026-11-20T10:00:00+00:00')")
    db.conn.close()
    return app


def check(page, label):
    """Every screen: no axe violations, nothing wider than the phone."""
    assert_accessible(page)
    assert_fits_phone(page, label)


def test_staff_starts_duty_from_home_sees_routine_and_ends_it(live_server, phone):
    page = phone()
    browser_login(page, live_server.url, "ansatt")
    assert page.get_by_text("Du har vakt nå:").is_visible()
    check(page, "home")

    page.get_by_role("button", name="Start vakt").click()
    page.wait_for_url("**/tilsyn/vakt/*")
    assert page.get_by_role("heading", name="Vakt: Tunet").is_visible()
    assert page.get_by_text("Utevakter skal bruke vest.").is_visible()
    assert page.get_by_text("Går mye alene i storefri").is_visible()
    page.get_by_text("Oppmuntring", exact=True).click()
    assert page.get_by_text("Bruk 5:1-regelen").is_visible()
    check(page, "duty screen")

    page.get_by_role("link", name="Avslutt vakt").click()
    page.wait_for_url("**/avslutt")
    check(page, "end duty")
    page.get_by_label("Beskjed til neste på vakt").fill("Ballen ligger på taket.")
    page.get_by_role("button", name="Avslutt vakt").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_text("Vakten er avsluttet.").is_visible()
    check(page, "home after duty")

    for path in ["/tilsyn/", "/tilsyn/plan", "/tilsyn/plan/utskrift", "/tilsyn/folg-med",
                 f"/tilsyn/bytte/2026-11-24/{live_server.app.slots['morning']}/{TUNET}"]:
        page.goto(live_server.url + path)
        check(page, path)


def test_leader_tilsyn_screens_are_accessible_at_phone_size(live_server, phone):
    page = phone()
    browser_login(page, live_server.url, "leder")
    slots = live_server.app.slots
    for path in ["/tilsyn/", "/tilsyn/plan", "/tilsyn/plan/rediger", f"/tilsyn/plan/{slots['morning']}/1/0",
                 f"/tilsyn/plan/tider/{slots['lunch']}", "/tilsyn/plan/import", "/tilsyn/bytter",
                 "/tilsyn/logg", "/tilsyn/fridager", "/tilsyn/folg-med",
                 f"/tilsyn/omfordel/2026-11-23/{slots['lunch']}/3/2"]:
        page.goto(live_server.url + path)
        check(page, path)
    page.goto(live_server.url + "/tilsyn/dekning")
    assert page.get_by_text("Ingen har startet").first.is_visible()
    check(page, "coverage")
    # the board refreshes itself without reloading the page (every BROWSER_POLL_SECONDS here)
    with page.expect_response(lambda r: "/tilsyn/dekning" in r.url, timeout=3_000):
        pass
    assert page.get_by_role("heading", name="Dekning nå").is_visible()
