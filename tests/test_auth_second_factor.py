"""The second factor: enrolment, log-in with a code, recovery codes, replays and the throttle; the idle warning."""
import re
from datetime import datetime, timedelta, timezone

import pyotp
import pytest

from webapp.auth.second_factor import unseal

from . import data
from .conftest import Auth, csrf_token, make_app

START = datetime(2026, 11, 26, 9, 0, 10, tzinfo=timezone.utc)  # 10 s into a 30-second step


@pytest.fixture
def moment(app):
    """The app's clock, moved on by the test."""
    clock = {"now": START}
    app.config["NOW"] = lambda: clock["now"]
    return clock


def code_at(secret, moment):
    return pyotp.TOTP(secret).at(moment["now"])


def password_step(client, username):
    """The log-in form with the right password: where it sends the person."""
    token = csrf_token(client, "/logg-inn")
    response = client.post("/logg-inn", data={"username": username, "password": data.PASSWORD, "csrf_token": token})
    return response.headers.get("Location")


def give_code(client, code):
    token = csrf_token(client, "/logg-inn/kode")
    return client.post("/logg-inn/kode", data={"code": code, "csrf_token": token})


def without_second_factor(db, user_id):
    db.execute("DELETE FROM second_factor WHERE user_id = ?", [user_id])


def enrol(client, auth):
    """Enrol through the page as a person does (key typed from the text); (the secret, the recovery codes)."""
    html = client.get("/totrinn/ny").get_data(as_text=True)
    assert "<svg" in html and "QR-kode for appen" in html
    secret = re.search(r'<p class="secret" aria-label="Nøkkel">([A-Z2-7 ]+)</p>', html).group(1).replace(" ", "")
    return secret, html


def confirm(client, auth, secret, moment):
    response = auth.post("/totrinn/ny", {"code": code_at(secret, moment)}, page="/totrinn/ny")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", html)
    return codes, html


# ---------------------------------------------------------------- a leader without a second factor

def test_a_leader_enrols_then_logs_in_with_a_code(app, client, auth, db, moment):
    without_second_factor(db, data.LEADER)
    assert password_step(client, "leder") == "/totrinn/ny"  # signed in, but only to enrol
    assert client.get("/meldinger/").headers["Location"] == "/totrinn/ny"
    secret, html = enrol(client, auth)
    assert "Du må bruke totrinnsinnlogging" in html
    assert 'aria-label="Hovedmeny"' not in html  # no tabs to pages it cannot reach yet, nor their badges' polls
    assert client.get("/totrinn/ny").get_data(as_text=True).count(secret[:4]) == 1  # the same key on reload
    wrong = auth.post("/totrinn/ny", {"code": "000000"}, page="/totrinn/ny")
    assert wrong.status_code == 422 and "Koden stemmer ikke" in wrong.get_data(as_text=True)
    codes, html = confirm(client, auth, secret, moment)
    assert len(codes) == 10 == len(set(codes)) and "vises bare nå" in html
    assert client.get("/meldinger/").status_code == 200
    # stored sealed, the recovery codes hashed: the database alone tells neither
    row = db["second_factor"].get(data.LEADER)
    assert secret not in row["secret"] and row["pending_secret"] is None
    with app.app_context():
        assert unseal(row["secret"]) == secret
    hashes = [r["code_hash"] for r in db.query("SELECT code_hash FROM recovery_code WHERE user_id = ?",
                                              [data.LEADER])]
    assert len(hashes) == 10 and not any(code in h or code.replace("-", "") in h for code in codes for h in hashes)

    auth.logout()
    assert password_step(client, "leder") == "/logg-inn/kode"
    assert client.get("/meldinger/").headers["Location"].startswith("/logg-inn")  # no session yet
    # the enrolment's code was taken: the same one again is a replay
    replay = give_code(client, code_at(secret, moment))
    assert replay.status_code == 401 and "allerede brukt" in replay.get_data(as_text=True)
    moment["now"] += timedelta(seconds=30)
    # on to where they were going before the log-in
    assert give_code(client, code_at(secret, moment)).headers["Location"] == "/meldinger/"
    assert client.get("/meldinger/").status_code == 200


def test_the_secret_is_not_read_with_another_secret_key(tmp_path, db):
    other = make_app(tmp_path / "other", SECRET_KEY="a-different-key")
    with other.app_context():
        assert unseal(db["second_factor"].get(data.LEADER)["secret"]) is None
    fallback = make_app(tmp_path / "rotated", SECRET_KEY="a-new-key", SECRET_KEY_FALLBACKS=[data.SECRET_KEY])
    with fallback.app_context():
        assert unseal(db["second_factor"].get(data.LEADER)["secret"]) == data.TOTP_SECRETS[data.LEADER]


def test_a_code_from_the_step_before_or_after_is_taken_but_not_older(client, moment):
    secret = data.TOTP_SECRETS[data.LEADER]
    password_step(client, "leder")
    old = pyotp.TOTP(secret).at(moment["now"] - timedelta(seconds=60))
    assert give_code(client, old).status_code == 401
    assert give_code(client, pyotp.TOTP(secret).at(moment["now"] - timedelta(seconds=30))).status_code == 302


# ---------------------------------------------------------------- wrong codes, replays, recovery codes

def test_a_wrong_code_is_refused_and_codes_are_throttled(app, client, moment):
    secret = data.TOTP_SECRETS[data.LEADER]
    assert password_step(client, "leder") == "/logg-inn/kode"
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        response = give_code(client, "123456" if code_at(secret, moment) != "123456" else "654321")
        assert response.status_code == 401 and "Feil kode" in response.get_data(as_text=True)
    # the right code now waits too; a new password try does not forgive the failed codes
    assert password_step(client, "leder") == "/logg-inn/kode"
    blocked = give_code(client, code_at(secret, moment))
    assert blocked.status_code == 401 and "For mange feil koder" in blocked.get_data(as_text=True)
    assert client.get("/meldinger/").status_code == 302
    moment["now"] += timedelta(minutes=app.config["LOGIN_THROTTLE_MINUTES"], seconds=1)
    assert password_step(client, "leder") == "/logg-inn/kode"
    assert give_code(client, code_at(secret, moment)).headers["Location"] == "/meldinger/"


def test_a_code_is_taken_once_even_on_two_devices(app, moment):
    secret = data.TOTP_SECRETS[data.OWNER]
    first, second = app.test_client(), app.test_client()
    assert password_step(first, "skoleeier") == password_step(second, "skoleeier") == "/logg-inn/kode"
    code = code_at(secret, moment)
    assert give_code(first, code).status_code == 302
    replay = give_code(second, code)
    assert replay.status_code == 401 and "allerede brukt" in replay.get_data(as_text=True)
    assert second.get("/saker/").status_code == 302


def test_the_code_step_waits_five_minutes_at_most(client, moment):
    password_step(client, "leder")
    token = csrf_token(client, "/logg-inn/kode")
    moment["now"] += timedelta(minutes=5, seconds=1)
    code = code_at(data.TOTP_SECRETS[data.LEADER], moment)
    response = client.post("/logg-inn/kode", data={"code": code, "csrf_token": token})
    assert response.headers["Location"] == "/logg-inn"
    assert "Det tok for lang tid" in client.get("/logg-inn").get_data(as_text=True)


def test_recovery_codes_work_once_each(app, client, auth, db, moment):
    without_second_factor(db, data.LEADER)
    password_step(client, "leder")
    secret, _ = enrol(client, auth)
    codes, _ = confirm(client, auth, secret, moment)
    auth.logout()
    password_step(client, "leder")
    response = give_code(client, codes[3].upper().replace("-", " "))  # as typed off paper
    assert response.headers["Location"] == "/"
    assert "har 9 igjen" in client.get("/").get_data(as_text=True)
    auth.logout()
    password_step(client, "leder")
    again = give_code(client, codes[3])
    assert again.status_code == 401 and "Feil kode" in again.get_data(as_text=True)
    assert give_code(client, codes[4]).status_code == 302

    # new recovery codes, for a code from the app: the old ones stop working
    moment["now"] += timedelta(seconds=30)
    response = auth.post("/totrinn/reservekoder", {"code": code_at(secret, moment)}, page="/totrinn")
    new_codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", response.get_data(as_text=True))
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)
    auth.logout()
    password_step(client, "leder")
    assert give_code(client, codes[5]).status_code == 401
    assert give_code(client, new_codes[0]).status_code == 302


# ---------------------------------------------------------------- staff: their own choice, or the school's

def test_staff_opt_in_and_out_from_their_own_settings(client, auth, db, moment):
    auth.login("ansatt")
    page = client.get("/passord").get_data(as_text=True)
    assert "Ikke slått på" in page and "/totrinn" in page
    assert "Slå på" in client.get("/totrinn").get_data(as_text=True)
    secret, html = enrol(client, auth)
    assert "Du må bruke" not in html
    confirm(client, auth, secret, moment)
    assert "Slå av" in client.get("/totrinn").get_data(as_text=True)
    auth.logout()
    assert password_step(client, "ansatt") == "/logg-inn/kode"
    moment["now"] += timedelta(seconds=30)
    assert give_code(client, code_at(secret, moment)).status_code == 302
    # off again, with a code
    moment["now"] += timedelta(seconds=30)
    wrong = auth.post("/totrinn/av", {"code": "abc"}, page="/totrinn")
    assert wrong.status_code == 422 and db["second_factor"].count_where("user_id = ?", [data.STAFF]) == 1
    response = auth.post("/totrinn/av", {"code": code_at(secret, moment)}, page="/totrinn")
    assert response.headers["Location"] == "/totrinn"
    auth.logout()
    assert password_step(client, "ansatt") == "/"


def test_leaders_and_owners_cannot_turn_their_second_factor_off(client, auth, db, moment):
    auth.login("leder")
    assert "Slå av" not in client.get("/totrinn").get_data(as_text=True)
    moment["now"] += timedelta(seconds=30)
    auth.post("/totrinn/av", {"code": code_at(data.TOTP_SECRETS[data.LEADER], moment)}, page="/totrinn")
    assert db["second_factor"].count_where("user_id = ?", [data.LEADER]) == 1


def test_a_leader_requires_a_second_factor_of_a_staff_member_and_resets_it(app, client, auth, db, moment):
    auth.login("leder")
    assert "Krev totrinnsinnlogging" in client.get(f"/skole/ansatte/{data.STAFF}").get_data(as_text=True)
    auth.post(f"/skole/ansatte/{data.STAFF}/totrinn", {"required": "1"}, page=f"/skole/ansatte/{data.STAFF}")
    assert db["user"].get(data.STAFF)["second_factor_required"] == 1
    staff, staff_auth = app.test_client(), None
    staff_auth = Auth(staff)
    assert password_step(staff, "ansatt") == "/totrinn/ny"
    assert staff.get("/registrer/").headers["Location"] == "/totrinn/ny"
    secret, _ = enrol(staff, staff_auth)
    confirm(staff, staff_auth, secret, moment)
    assert staff.get("/registrer/").status_code == 200
    assert "Slå av" not in staff.get("/totrinn").get_data(as_text=True)
    # a lost phone: the leader resets it, the person is signed out and enrols again at the next log-in
    auth.post(f"/skole/ansatte/{data.STAFF}/totrinn", {"action": "reset"}, page=f"/skole/ansatte/{data.STAFF}")
    assert db["second_factor"].count_where("user_id = ?", [data.STAFF]) == 0
    assert staff.get("/registrer/").status_code == 302
    assert password_step(staff, "ansatt") == "/totrinn/ny"
    assert db.execute("SELECT count(*) FROM audit_log WHERE entity = 'user' AND entity_id = ? "
                      "AND detail LIKE 'totrinn%'", [data.STAFF]).fetchone()[0] == 2


def test_a_leader_cannot_reset_their_own_second_factor(client, auth, db):
    auth.login("leder")
    auth.post(f"/skole/ansatte/{data.LEADER}/totrinn", {"action": "reset"}, page=f"/skole/ansatte/{data.LEADER}")
    assert db["second_factor"].count_where("user_id = ?", [data.LEADER]) == 1


# ---------------------------------------------------------------- the idle warning's server side

def test_every_answer_tells_how_long_the_session_has_left_and_extending_starts_it_again(app, client, auth, moment):
    limit = app.config["IDLE_TIMEOUT_MINUTES"] * 60
    auth.login("ansatt")
    page = client.get("/")
    assert page.headers["X-Trygg-Idle-Seconds"] == str(limit)
    assert f'data-idle-seconds="{limit}"' in page.get_data(as_text=True)
    poll = {"X-Trygg-Poll": "1"}
    moment["now"] += timedelta(seconds=limit - 90)
    status = client.get("/okt", headers=poll)
    assert status.status_code == 204 and status.headers["X-Trygg-Idle-Seconds"] == "90"  # a poll moved nothing
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    extended = client.post("/okt/forleng", headers={"X-CSRFToken": token})
    assert extended.status_code == 204 and extended.headers["X-Trygg-Idle-Seconds"] == str(limit)
    moment["now"] += timedelta(seconds=limit - 10)
    assert client.get("/okt", headers=poll).status_code == 204  # still signed in, thanks to the tap
    moment["now"] += timedelta(seconds=20)
    ended = client.get("/okt", headers=poll)
    assert ended.status_code == 302 and ended.headers["Location"] == "/logg-inn"
    # the poll that found the session over is not where the person goes after logging in again
    auth.login("ansatt")
    assert client.get("/").status_code == 200


def test_extending_needs_the_csrf_token(app, client, auth):
    auth.login("ansatt")
    assert client.post("/okt/forleng").status_code == 400


def test_a_husk_meg_session_has_no_idle_warning(client, auth):
    auth.login("ansatt", remember=True)
    page = client.get("/")
    assert "X-Trygg-Idle-Seconds" not in page.headers and "idle-warning" not in page.get_data(as_text=True)
