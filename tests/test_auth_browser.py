"""A person's account page on a phone: found from the topbar, where they are signed in, "Logg ut overalt"."""
import pytest

from .conftest import assert_accessible, browser_login

pytestmark = pytest.mark.browser


def test_staff_finds_their_account_in_the_topbar_and_logs_out_everywhere(live_server, phone):
    shared_ipad = phone()
    browser_login(shared_ipad, live_server.url, "ansatt")
    page = phone()
    browser_login(page, live_server.url, "ansatt")
    page.goto(live_server.url + "/registrer/ny/bekymring")
    page.get_by_label("Hva så du?").fill("Tre elever holdt en fjerde fast ved gjerdet.")
    assert page.evaluate("localStorage.length") == 1  # a draft kept on this phone

    page.get_by_role("link", name="Min konto").click()
    page.wait_for_url(live_server.url + "/passord")
    assert page.get_by_role("heading", name="Innlogget på").is_visible()
    assert page.get_by_text("(denne enheten)").count() == 1
    assert page.locator("#devices-heading + ul > li").count() == 2
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("button", name="Logg ut overalt").click()
    page.wait_for_url(live_server.url + "/logg-inn")
    assert page.get_by_text("Du er logget ut på alle enheter.").is_visible()
    assert page.evaluate("localStorage.length") == 0  # nothing about pupils is left on this phone
    shared_ipad.reload()
    assert shared_ipad.url.endswith("/logg-inn")
