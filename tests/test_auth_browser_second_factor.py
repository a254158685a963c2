"""On a phone: a leader enrols a second factor and logs in with a code; the idle warning and its one tap."""
import pyotp
import pytest

from . import data
from .conftest import assert_accessible, assert_fits_phone, browser_login

pytestmark = pytest.mark.browser


def test_a_leader_enrols_with_the_key_and_logs_in_with_a_code(live_server, phone, db):
    db.execute("DELETE FROM second_factor WHERE user_id = ?", [data.LEADER])
    page = phone()
    page.goto(live_server.url + "/logg-inn")
    page.get_by_label("Brukernavn").fill("leder")
    page.get_by_label("Passord").fill(data.PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(live_server.url + "/totrinn/ny")
    assert page.get_by_role("img", name="QR-kode for appen").is_visible()
    assert_accessible(page)
    assert_fits_phone(page)
    page.goto(live_server.url + "/meldinger/")  # nothing else until it is done
    page.wait_for_url(live_server.url + "/totrinn/ny")

    secret = page.get_by_label("Nøkkel").inner_text().replace(" ", "")
    page.get_by_label("Kode fra appen").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Bekreft og slå på").click()
    page.get_by_role("heading", name="Reservekoder").wait_for()
    assert page.get_by_role("list", name="Reservekoder").get_by_role("listitem").count() == 10
    assert_accessible(page)
    assert_fits_phone(page)
    page.get_by_role("link", name="Jeg har tatt vare på kodene").click()
    page.wait_for_url(live_server.url + "/")
    for path in ["/totrinn", f"/skole/ansatte/{data.STAFF}"]:  # one's own settings; a staff member's
        page.goto(live_server.url + path)
        assert page.get_by_role("heading", name="Totrinnsinnlogging").is_visible()
        assert_accessible(page)
        assert_fits_phone(page, path)

    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(live_server.url + "/logg-inn")
    page.get_by_label("Brukernavn").fill("leder")
    page.get_by_label("Passord").fill(data.PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(live_server.url + "/logg-inn/kode")
    page.get_by_text("Har du ikke telefonen? Bruk en reservekode").click()
    assert page.get_by_label("Reservekode").is_visible()
    assert_accessible(page)
    page.get_by_label("Kode fra appen").fill("000000")
    page.get_by_role("button", name="Logg inn", exact=True).click()
    assert page.get_by_role("alert").inner_text().startswith("Feil kode")
    db.execute("UPDATE second_factor SET last_step = 0 WHERE user_id = ?", [data.LEADER])  # the next step came
    page.get_by_label("Kode fra appen").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Logg inn", exact=True).click()
    page.wait_for_url(live_server.url + "/")


def test_the_idle_warning_comes_two_minutes_before_and_one_tap_keeps_the_session(app, live_server, phone):
    app.config["IDLE_TIMEOUT_MINUTES"] = 2.1  # the warning after 6 seconds
    page = phone()
    browser_login(page, live_server.url, "leder")
    warning = page.get_by_role("dialog", name="Er du der fortsatt?")
    assert not warning.is_visible()
    warning.wait_for(timeout=15_000)
    assert "klokken" in warning.inner_text()
    assert_accessible(page)
    assert_fits_phone(page)
    button = warning.get_by_role("button", name="Fortsett å være innlogget")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Fortsett å være innlogget"
    button.click()
    warning.wait_for(state="hidden")
    left = page.evaluate("""fetch('/okt', {headers: {'X-Trygg-Poll': '1'}})
        .then(r => [r.status, +r.headers.get('X-Trygg-Idle-Seconds')])""")
    assert left[0] == 204 and left[1] > 120
    page.get_by_role("link", name="Meldinger").first.click()  # still signed in
    page.wait_for_url(live_server.url + "/meldinger/")


def test_a_session_left_idle_ends_on_the_screen_too(app, live_server, phone):
    app.config["IDLE_TIMEOUT_MINUTES"] = 0.1  # six seconds: warned at once
    page = phone()
    browser_login(page, live_server.url, "ansatt")
    page.get_by_role("dialog", name="Er du der fortsatt?").wait_for()
    page.wait_for_url(live_server.url + "/logg-inn", timeout=20_000)
    assert page.get_by_role("button", name="Logg inn").is_visible()
