"""On a phone: what was typed into the capture form survives an idle log-out, and is gone after saving or logging out."""
import re
from datetime import timedelta

import pytest

from webapp import clock

from .conftest import assert_accessible, browser_login, make_app
from .test_capture import NOW

pytestmark = pytest.mark.browser

DRAFT_KEYS = "Object.keys(localStorage).filter(k => k.startsWith('trygg-capture-draft:')).length"


MOMENT = [clock.parse(NOW)]  # the app's clock; the test moves it on


@pytest.fixture
def app(tmp_path):
    MOMENT[0] = clock.parse(NOW)
    return make_app(tmp_path, NOW=lambda: MOMENT[0])


def test_capture_text_survives_the_session_ending_before_saving(live_server, phone):
    page = phone()
    browser_login(page, live_server.url, "ansatt")
    page.goto(live_server.url + "/registrer/ny/bekymring")
    page.locator("label.chip", has_text="Friminutt").click()  # off duty the context is chosen
    page.get_by_label("Hva så du?").fill("Tre elever holdt en fjerde fast ved gjerdet.")
    assert page.evaluate(DRAFT_KEYS) == 1
    MOMENT[0] += timedelta(minutes=61)  # the session idles out while the teacher is busy
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(re.compile(r".*/logg-inn.*"))
    browser_login(page, live_server.url, "ansatt")

    page.goto(live_server.url + "/registrer/ny/bekymring")
    offer = page.get_by_role("button", name="Gjenopprett det du skrev")
    offer.wait_for()
    assert_accessible(page)
    offer.click()
    page.wait_for_url(re.compile(r".*/registrer/utkast$"))
    assert page.get_by_label("Hva så du?").input_value() == "Tre elever holdt en fjerde fast ved gjerdet."
    assert page.locator("#context-friminutt").is_checked()  # the choice is kept with the text
    assert_accessible(page)
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(re.compile(r".*/registrer/\d+\?lagret=1$"))
    page.wait_for_function(f"{DRAFT_KEYS} === 0")  # saved: nothing is kept (the receipt's script may still load)

    page.goto(live_server.url + "/registrer/ny/bekymring")
    assert not page.get_by_role("button", name="Gjenopprett det du skrev").is_visible()
    page.get_by_label("Hva så du?").fill("Noe annet.")
    assert page.evaluate(DRAFT_KEYS) == 1
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(re.compile(r".*/logg-inn.*"))
    assert page.evaluate(DRAFT_KEYS) == 0  # logging out leaves nothing on the phone
