"""On a phone: what was typed into the capture form survives an idle log-out, and is gone after saving or
logging out; on a shared phone it is its author's alone."""
import re
from datetime import timedelta

import pytest

from webapp import clock

from . import data
from .conftest import assert_accessible, browser_drafts, browser_login, make_app
from .test_capture_views import NOW

pytestmark = pytest.mark.browser


CAPTURE_DRAFT = "trygg-draft:%d:capture:"  # the user's capture drafts (static/drafts.js, capture.js)


def capture_drafts(page, user=data.STAFF):
    """The user's capture drafts kept in this browser: {key: fields}."""
    return {key: fields for key, fields in browser_drafts(page).items() if key.startswith(CAPTURE_DRAFT % user)}


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
    assert len(capture_drafts(page)) == 1
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
    # saved: nothing is kept on the phone (the receipt's script may still be loading)
    page.wait_for_function(f"() => !Object.keys(localStorage).some(k => k.startsWith('{CAPTURE_DRAFT % data.STAFF}'))")

    page.goto(live_server.url + "/registrer/ny/bekymring")
    assert not page.get_by_role("button", name="Gjenopprett det du skrev").is_visible()
    page.get_by_label("Hva så du?").fill("Noe annet.")
    assert len(capture_drafts(page)) == 1
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(re.compile(r".*/logg-inn.*"))
    assert browser_drafts(page) == {}  # logging out leaves nothing on the phone


def test_on_a_shared_phone_a_draft_waits_for_its_author_when_someone_else_logs_out(live_server, phone):
    page = phone()
    browser_login(page, live_server.url, "ansatt")
    page.goto(live_server.url + "/registrer/ny/bekymring")
    page.get_by_label("Hva så du?").fill("Holdt igjen ved porten.")
    assert len(capture_drafts(page)) == 1
    MOMENT[0] += timedelta(minutes=61)  # Kari's session idles out; the leader picks up the phone
    browser_login(page, live_server.url, "leder")
    page.goto(live_server.url + "/registrer/ny/bekymring")
    assert not page.get_by_role("button", name="Gjenopprett det du skrev").is_visible()  # not hers
    page.get_by_label("Hva så du?").fill("Rektors eget utkast.")
    assert len(capture_drafts(page, data.LEADER)) == 1
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(re.compile(r".*/logg-inn.*"))
    assert capture_drafts(page, data.LEADER) == {}  # the leader's own go with her
    assert len(capture_drafts(page)) == 1  # Kari's stay for Kari

    browser_login(page, live_server.url, "ansatt")
    page.goto(live_server.url + "/registrer/ny/bekymring")
    page.get_by_role("button", name="Gjenopprett det du skrev").click()
    page.wait_for_url(re.compile(r".*/registrer/utkast$"))
    assert page.get_by_label("Hva så du?").input_value() == "Holdt igjen ved porten."
