"""Log in with Feide against a real OpenID Connect provider on loopback: who gets in, who is refused, and why."""
import socket
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from webapp.feide import texts

from . import data
from .conftest import Auth, make_app
from .feide_data import (  # noqa: F401  fixtures by name
    KARI,
    RITA,
    STRANGER,
    feide_app,
    feide_dance,
    feide_db,
    feide_settings,
    idp,
    link,
    provider,
)
from .oidc_provider import MFA_ACR, MISBEHAVIOURS


def text_of(response):
    return response.get_data(as_text=True)


def signed_in(client):
    """Whether the client's session is someone's: the home screen answers instead of the log-in page."""
    return client.get("/").status_code == 200


# ------------------------------------------------------------------ the log-in page


def test_login_page_offers_feide_when_an_owner_has_switched_it_on(feide_app):
    assert "Logg inn med Feide" in text_of(feide_app.test_client().get("/logg-inn"))


def test_login_page_without_feide_when_the_owner_has_it_off(feide_app):
    feide_settings(feide_app, enabled=False)
    client = feide_app.test_client()
    assert "Logg inn med Feide" not in text_of(client.get("/logg-inn"))
    assert client.get("/feide/logg-inn").status_code == 404


def test_login_page_without_feide_when_trygg_has_no_feide_client(tmp_path):
    app = make_app(tmp_path)
    feide_settings(app)
    client = app.test_client()
    assert "Logg inn med Feide" not in text_of(client.get("/logg-inn"))
    assert client.get("/feide/logg-inn").status_code == 404
    assert client.get("/feide/tilbake?code=x&state=y").status_code == 404


# ------------------------------------------------------------------ who gets in


def test_linked_user_lands_on_their_home_screen_and_feide_keeps_their_stable_id(feide_app, idp, feide_db):
    idp.user = KARI
    client = feide_app.test_client()
    response = feide_dance(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200 and "Kari Lærer" in text_of(home)
    asked = idp.authorizations[0]
    assert asked["code_challenge_method"] == "S256" and asked["state"] and asked["nonce"]
    assert "groups-edu" in asked["scope"] and "acr_values" not in asked
    assert feide_db["feide_link"].get(data.STAFF)["sub"] == KARI["sub"]


def test_a_later_login_is_known_by_the_stable_id_even_under_a_new_feide_username(feide_app, idp):
    idp.user = KARI
    feide_dance(feide_app.test_client())
    idp.user = {**KARI, "feide_id": "kari.nytt.navn@testbakken.no"}
    client = feide_app.test_client()
    assert feide_dance(client).status_code == 302 and signed_in(client)


def test_first_login_by_the_invited_address_links_the_account(feide_app, idp, feide_db):
    feide_db["user"].update(data.LEADER, {"email": "Rita@Testbakken.no"})
    idp.user = RITA
    client = feide_app.test_client()
    assert feide_dance(client).status_code == 302 and "Rita Rektor" in text_of(client.get("/"))
    linked = feide_db["feide_link"].get(data.LEADER)
    assert (linked["sub"], linked["feide_id"]) == (RITA["sub"], RITA["feide_id"])
    assert feide_db.execute("SELECT count(*) FROM audit_log WHERE entity = 'user' AND entity_id = ? "
                            "AND detail LIKE '%Feide%'", [data.LEADER]).fetchone()[0] == 1


def test_an_invited_address_never_takes_over_an_account_linked_to_another_feide_user(feide_app, idp, feide_db):
    feide_db["user"].update(data.STAFF, {"email": "kari@testbakken.no"})
    idp.user = {**STRANGER, "email": "kari@testbakken.no"}
    client = feide_app.test_client()
    response = feide_dance(client)
    assert response.status_code == 403 and texts.NO_ACCESS in text_of(response)
    assert feide_db["feide_link"].get(data.STAFF)["sub"] is None


def test_a_one_time_password_nobody_changed_stops_working_after_a_feide_login(feide_app, idp, feide_db):
    feide_db["user"].update(data.STAFF, {"must_change_password": 1})
    idp.user = KARI
    client = feide_app.test_client()
    feide_dance(client)
    assert client.get("/registrer/").status_code == 200  # not sent to change a password Feide made needless
    assert feide_db["user"].get(data.STAFF)["password_hash"] is None


# ------------------------------------------------------------------ who is refused


def test_unknown_feide_user_is_refused_and_no_account_is_made(feide_app, idp, feide_db):
    accounts = feide_db["user"].count
    idp.user = STRANGER
    client = feide_app.test_client()
    response = feide_dance(client)
    assert response.status_code == 403
    assert "Du har ikke tilgang til Trygg ved denne skolen – kontakt rektor" in text_of(response)
    assert feide_db["user"].count == accounts and not signed_in(client)


def test_deactivated_account_is_refused(feide_app, idp, feide_db):
    feide_db["user"].update(data.STAFF, {"active": 0})
    idp.user = KARI
    client = feide_app.test_client()
    assert feide_dance(client).status_code == 403 and not signed_in(client)


def test_operator_account_never_logs_in_with_feide(feide_app, idp):
    link(feide_app, data.ADMIN, "adam.drift@kommune.no")
    idp.user = {**STRANGER, "feide_id": "adam.drift@kommune.no"}
    client = feide_app.test_client()
    assert feide_dance(client).status_code == 403 and not signed_in(client)


@pytest.mark.parametrize("misbehaviour", sorted(MISBEHAVIOURS - {"wrong_state"}))
def test_an_answer_that_cannot_be_confirmed_is_refused(feide_app, idp, misbehaviour):
    idp.user, idp.misbehave = KARI, misbehaviour
    client = feide_app.test_client()
    response = feide_dance(client)
    assert response.status_code == 403 and texts.NOT_CONFIRMED in text_of(response)
    assert not signed_in(client)


def test_a_wrong_state_is_refused(feide_app, idp):
    idp.user, idp.misbehave = KARI, "wrong_state"
    client = feide_app.test_client()
    response = feide_dance(client)
    assert response.status_code == 403 and texts.STATE_LOST in text_of(response)
    assert not signed_in(client)


def test_an_answer_from_another_browser_is_refused(feide_app, idp):
    """The code and state someone else's log-in got: this browser's session never asked for them."""
    idp.user = KARI
    started = feide_app.test_client().get("/feide/logg-inn")
    back = urlsplit(requests.get(started.headers["Location"], allow_redirects=False, timeout=10).headers["Location"])
    other = feide_app.test_client()
    assert other.get(f"{back.path}?{back.query}").status_code == 403 and not signed_in(other)


def test_cancelled_at_feide(feide_app, idp):
    client = feide_app.test_client()
    response = feide_dance(client)
    assert response.status_code == 403 and texts.CANCELLED in text_of(response)


# ------------------------------------------------------------------ two factors


def test_mfa_required_and_missing_is_refused(feide_app, idp):
    feide_settings(feide_app, mfa_required=True)
    idp.user = KARI  # her home organisation gives her no second factor
    client = feide_app.test_client()
    response = feide_dance(client)
    assert idp.authorizations[0]["acr_values"] == MFA_ACR
    assert response.status_code == 403 and texts.MFA_MISSING in text_of(response)
    assert not signed_in(client)


def test_mfa_required_and_present_is_accepted(feide_app, idp):
    feide_settings(feide_app, mfa_required=True)
    idp.user = {**KARI, "mfa": True}
    client = feide_app.test_client()
    assert feide_dance(client).status_code == 302 and signed_in(client)


# ------------------------------------------------------------------ passwords off


def test_passwords_off_refuses_staff_passwords_but_keeps_owners_and_operators(feide_app):
    feide_settings(feide_app, passwords_off=True)
    for username in ("ansatt", "leder"):
        client = feide_app.test_client()
        response = Auth(client).login(username)
        assert response.status_code == 401 and texts.PASSWORDS_OFF in text_of(response)
        assert not signed_in(client)
    for username in ("skoleeier", "admin"):
        client = feide_app.test_client()
        assert Auth(client).login(username).status_code == 302


def test_passwords_stay_where_the_owner_has_feide_off(feide_app):
    feide_settings(feide_app, enabled=False, passwords_off=True)
    assert Auth(feide_app.test_client()).login("ansatt").status_code == 302


# ------------------------------------------------------------------ log-out


def test_logout_ends_the_trygg_session_and_goes_to_feides_end_session(feide_app, idp):
    idp.user = KARI
    client = feide_app.test_client()
    feide_dance(client)
    response = Auth(client).logout()
    assert response.status_code == 302 and response.headers["Location"].startswith(idp.url + "/endsession?")
    asked = parse_qs(urlsplit(response.headers["Location"]).query)
    assert asked["post_logout_redirect_uri"] == ["http://localhost/logg-inn"]
    assert asked["id_token_hint"][0].count(".") == 2
    assert not signed_in(client)


def test_logout_after_a_password_login_stays_in_trygg(feide_app):
    client = feide_app.test_client()
    auth = Auth(client)
    auth.login("ansatt")
    assert auth.logout().headers["Location"] == "/logg-inn"


def test_feide_out_of_reach_says_so(tmp_path):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    app = make_app(tmp_path, FEIDE_CLIENT_ID="x", FEIDE_CLIENT_SECRET="y", FEIDE_ISSUER=f"http://127.0.0.1:{port}",
                   FEIDE_TIMEOUT_SECONDS=2)
    feide_settings(app)
    response = app.test_client().get("/feide/logg-inn")
    assert response.status_code == 403 and texts.UNREACHABLE in text_of(response)
