"""Log in with Feide on a phone, against the loopback provider: the whole dance, refusals, the Feide screens."""
import pytest

from . import data
from .conftest import LiveServer, assert_accessible, assert_fits_phone, browser_login
from .feide_data import (  # noqa: F401  fixtures by name
    KARI,
    STRANGER,
    feide_app,
    feide_settings,
    idp,
    provider,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def feide_server(feide_app):
    with LiveServer(feide_app) as server:
        yield server


def test_staff_logs_in_with_feide_lands_home_and_logs_out_at_feide(feide_server, idp, phone):
    idp.user = KARI
    page = phone()
    page.goto(feide_server.url + "/registrer/")
    assert page.url.endswith("/logg-inn")
    assert_accessible(page)
    assert_fits_phone(page)
    page.get_by_role("link", name="Logg inn med Feide").click()
    # where she was going before she logged in
    page.wait_for_url(feide_server.url + "/registrer/")
    page.goto(feide_server.url + "/")
    assert page.get_by_role("heading", name="Hei, Kari").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(feide_server.url + "/logg-inn")
    assert page.get_by_text("Du er logget ut.").is_visible()
    ended = idp.end_sessions[0]
    assert ended["post_logout_redirect_uri"] == feide_server.url + "/logg-inn" and ended["id_token_hint"]
    page.goto(feide_server.url + "/")
    assert page.url.endswith("/logg-inn")


@pytest.mark.parametrize("who, mfa_required, message", [
    (STRANGER, False, "Du har ikke tilgang til Trygg ved denne skolen – kontakt rektor"),
    (KARI, True, "Skoleeier krever innlogging med to faktorer"),
])
def test_a_refused_login_says_why_on_the_phone(feide_app, feide_server, idp, phone, who, mfa_required, message):
    feide_settings(feide_app, mfa_required=mfa_required)
    idp.user = who
    page = phone()
    page.goto(feide_server.url + "/logg-inn")
    page.get_by_role("link", name="Logg inn med Feide").click()
    page.wait_for_url(feide_server.url + "/feide/tilbake*")
    assert page.get_by_role("alert").inner_text().startswith(message)
    assert_accessible(page)
    assert_fits_phone(page)
    page.get_by_role("link", name="Til innloggingssiden").click()
    page.wait_for_url(feide_server.url + "/logg-inn")


def test_the_leaders_and_the_owners_feide_screens_are_accessible(feide_server, idp, phone):
    idp.user = KARI
    teacher = phone()
    teacher.goto(feide_server.url + "/feide/logg-inn")
    teacher.wait_for_url(feide_server.url + "/")

    leader = phone()
    browser_login(leader, feide_server.url, "leder")
    leader.goto(feide_server.url + "/skole/klasser")
    leader.get_by_role("link", name="Klasser fra Feide").click()
    leader.wait_for_url(feide_server.url + "/skole/feide-grupper")
    assert_accessible(leader)
    assert_fits_phone(leader)
    leader.get_by_label("5A basisgruppe").select_option(label="5A")
    leader.get_by_role("button", name="Lagre koblingene").click()
    leader.get_by_text("Koblingene er lagret.").wait_for()
    assert leader.get_by_label("5A basisgruppe").input_value() == str(data.CLASS_A)
    for path in (f"/skole/ansatte/{data.STAFF}", "/skole/ansatte"):
        leader.goto(feide_server.url + path)
        assert leader.get_by_label("Feide-brukernavn").is_visible()
        assert_accessible(leader)

    owner = phone()
    browser_login(owner, feide_server.url, "skoleeier")
    owner.get_by_role("link", name="Innstillinger for Feide").click()
    owner.wait_for_url(feide_server.url + "/skoleeier/feide")
    assert_accessible(owner)
    assert_fits_phone(owner)
    owner.get_by_label("Krev innlogging med to faktorer i Feide").check()
    owner.get_by_role("button", name="Lagre").click()
    owner.get_by_text("Feide-innstillingene er lagret.").wait_for()
    assert owner.get_by_label("Krev innlogging med to faktorer i Feide").is_checked()
