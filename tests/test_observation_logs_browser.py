"""On a phone: an observer fills two sections of the observation log, reloads and finds them;
text typed without a connection, or in a tab that was closed, is saved later. Axe on every screen."""
import pytest

from .conftest import assert_accessible, assert_fits_phone, browser_drafts, browser_login
from .observation_fixtures import app, open_section, reopened, start_todays_log, task  # noqa: F401 (app, task: fixtures)

pytestmark = pytest.mark.browser


def test_observer_fills_two_sections_reloads_and_finds_them(live_server, phone, task):
    page = phone()
    browser_login(page, live_server.url, "ansatt")
    assert page.get_by_role("heading", name="Observasjon i dag").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Skriv logg").click()
    page.wait_for_url("**/observasjon/logg/*")
    assert page.get_by_text("Skriv det du ser, ikke det du tror du ser.").is_visible()
    assert_accessible(page)
    assert_fits_phone(page)

    open_section(page, "1. Organisering")
    page.locator("#seen-1-antall_voksne").fill("To voksne ved tavla, én går rundt.")
    page.locator("#status-seksjon-1").get_by_text("Lagret kl. 12:00").wait_for()
    open_section(page, "5. Friminutt")
    page.locator("#seen-5-eleven").fill("Står ved gjerdet i ti minutter.")
    page.locator("#comment-5-eleven").fill("Virker lei seg.")
    page.locator("#status-seksjon-5").get_by_text("Lagret kl. 12:00").wait_for()
    page.get_by_label("Varighet").fill("30 min")
    page.locator("#status-hode").get_by_text("Lagret kl. 12:00").wait_for()
    assert_accessible(page)

    page.reload()
    assert page.locator("#seen-1-antall_voksne").input_value() == "To voksne ved tavla, én går rundt."
    assert page.locator("#seen-5-eleven").input_value() == "Står ved gjerdet i ti minutter."
    assert page.locator("#comment-5-eleven").input_value() == "Virker lei seg."
    assert page.get_by_label("Varighet").input_value() == "30 min"
    assert page.locator("#seen-5-eleven").is_visible()  # filled sections open by themselves
    assert browser_drafts(page) == {}
    assert_accessible(page)

    # back through the home screen: the task now continues the same log
    page.get_by_role("link", name="Hjem").click()
    page.get_by_role("link", name="Fortsett loggen").click()
    page.wait_for_url("**/observasjon/logg/*")
    page.wait_for_function("() => window.Trygg.modules.observationLog !== undefined")
    assert page.locator("#seen-5-eleven").input_value() == "Står ved gjerdet i ti minutter."

    page.get_by_role("link", name="← Observasjonen").click()
    page.wait_for_url(f"**/observasjon/{task}")
    assert page.get_by_text("Står ved gjerdet i ti minutter.").is_visible()
    assert_accessible(page)
    assert_fits_phone(page)


def test_text_typed_offline_or_in_a_closed_tab_is_not_lost(live_server, phone, task, db):
    page = phone()
    start_todays_log(page, live_server.url)
    log_url = page.url

    # the connection drops while typing: the text waits on the phone and goes when it is back
    page.context.set_offline(True)
    open_section(page, "2. Klassemiljø")
    page.locator("#seen-2-elevrelasjoner").fill("Tre elever snur seg bort når hun kommer.")
    page.locator("#status-seksjon-2").get_by_text("ingen forbindelse", exact=False).wait_for()
    assert_accessible(page)
    page.context.set_offline(False)
    page.locator("#status-seksjon-2").get_by_text("Lagret kl. 12:00").wait_for()

    # typed offline, then the tab is closed: the next visit puts the text back and saves it
    page.context.set_offline(True)
    open_section(page, "4. Overgangssituasjoner")
    page.locator("#seen-4-eleven").fill("Kommer sist ut i garderoben.")
    page.locator("#status-seksjon-4").get_by_text("ingen forbindelse", exact=False).wait_for()
    again = reopened(page)
    again.goto(log_url)
    again.locator("#status-seksjon-4").get_by_text("Lagret kl. 12:00").wait_for()
    assert again.locator("#seen-4-eleven").input_value() == "Kommer sist ut i garderoben."

    items = {row["item"]: row["seen"] for row in db.query("SELECT item, seen FROM observation_log_item")}
    assert items == {"2-elevrelasjoner": "Tre elever snur seg bort når hun kommer.",
                     "4-eleven": "Kommer sist ut i garderoben."}


def test_leader_screens_are_accessible_on_a_phone(live_server, phone, task):
    page = phone()
    browser_login(page, live_server.url, "leder")
    for path in ["/observasjon/", "/observasjon/ny", f"/observasjon/{task}", f"/observasjon/{task}/plan",
                 f"/observasjon/{task}/fordeling", f"/observasjon/{task}/utskrift"]:
        page.goto(live_server.url + path)
        assert_accessible(page)
        assert_fits_phone(page)


def test_choosing_a_class_on_the_plan_form_lists_that_class_pupils(live_server, phone, task):
    page = phone()
    browser_login(page, live_server.url, "leder")
    page.goto(live_server.url + "/observasjon/ny")
    pupil = page.get_by_label("Enkeltelev")
    assert "Aksel Andersen" in pupil.inner_text() and "Cato Dahle" not in pupil.inner_text()
    page.get_by_label("Hva ønsker dere å finne ut?").fill("Om Cato blir holdt utenfor.")
    page.get_by_label("Klasse", exact=True).select_option(label="6A")
    page.locator("#pupil_id option", has_text="Cato Dahle").wait_for(state="attached")
    assert "Aksel Andersen" not in page.get_by_label("Enkeltelev").inner_text()
    # only the pupil list was swapped: what was typed is still there
    assert page.get_by_label("Hva ønsker dere å finne ut?").input_value() == "Om Cato blir holdt utenfor."
    assert_accessible(page)


def test_each_print_button_prints_once_however_the_leader_got_there(live_server, phone, task):
    page = phone()
    browser_login(page, live_server.url, "leder")
    page.goto(live_server.url + "/tilsyn/plan/utskrift")
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")  # no dialog
    page.get_by_role("button", name="Skriv ut").click()
    assert page.evaluate("window.printed") == 1
    # on through boosted links (the same window, its scripts kept) to an observation's print page
    page.locator(".tabbar").get_by_role("link", name="Mer").click()
    page.locator("#main").get_by_role("link", name="Observasjon").click()
    page.wait_for_url(live_server.url + "/observasjon/")
    page.locator(f'a[href="/observasjon/{task}"]').first.click()
    page.wait_for_url(f"{live_server.url}/observasjon/{task}")
    page.get_by_role("link", name="Utskrift").click()
    page.wait_for_url(f"{live_server.url}/observasjon/{task}/utskrift")
    page.get_by_role("button", name="Skriv ut").click()
    assert page.evaluate("window.printed") == 2
