"""Log-in, log-out, sessions, passwords and throttling."""
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

from webapp import create_app
from webapp.db import transaction

from . import data
from .conftest import csrf_token


def test_login_lands_on_home_and_logout_ends_session(client, auth):
    response = auth.login("ansatt")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Hei, Kari" in client.get("/").get_data(as_text=True)
    auth.logout()
    assert client.get("/").headers["Location"] == "/logg-inn"


def test_wrong_password_is_refused_in_norwegian(client, auth):
    response = auth.login("ansatt", "feil-passord")
    assert response.status_code == 401
    assert "Feil brukernavn eller passord." in response.get_data(as_text=True)
    assert 'value="ansatt"' in response.get_data(as_text=True)  # what they typed is kept


def test_login_starts_a_new_session(client, auth):
    client.get("/logg-inn")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login("ansatt")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_replayed_cookie_after_logout_is_refused(app, client, auth):
    auth.login("ansatt")
    stolen = client.get_cookie("trygg_session").value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("trygg_session", stolen)
    assert thief.get("/").headers["Location"] == "/logg-inn"


def test_replayed_remember_cookie_after_logout_is_refused(app, client, auth):
    auth.login("ansatt", remember=True)
    remembered = client.get_cookie("trygg_husk").value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("trygg_husk", remembered)
    assert thief.get("/").headers["Location"] == "/logg-inn"


def test_remember_me_restores_session_after_browser_restart(app, client, auth):
    auth.login("ansatt", remember=True)
    remembered = client.get_cookie("trygg_husk").value
    later = app.test_client()  # the session cookie is gone, the remember cookie is not
    later.set_cookie("trygg_husk", remembered)
    assert later.get("/").status_code == 200


def test_deactivated_user_is_logged_out_at_once(app, client, auth, db):
    auth.login("ansatt")
    leader = app.test_client()
    from .conftest import Auth

    Auth(leader).login("leder")
    Auth(leader).post(f"/skole/ansatte/{data.STAFF}/aktiv", {"active": "0"}, page="/skole/ansatte")
    assert client.get("/").headers["Location"] == "/logg-inn"
    assert auth.login("ansatt").status_code == 401


def test_idle_session_expires(app, client, auth):
    auth.login("ansatt")
    with client.session_transaction() as session:
        session["last_seen"] = (datetime.now(timezone.utc) - timedelta(hours=3)).isoformat()
    assert client.get("/").headers["Location"] == "/logg-inn"


def test_a_page_polling_on_its_own_does_not_keep_an_idle_session_alive(app, client, auth):
    moment = {"now": datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)}
    app.config["NOW"] = lambda: moment["now"]
    auth.login("leder")
    assert client.get("/meldinger/").status_code == 200
    poll = {"HX-Request": "true", "X-Trygg-Poll": "1"}  # as trygg.js marks hx-trigger="every …"
    for _ in range(6):  # the feed left open for an hour, nobody at the screen
        moment["now"] += timedelta(minutes=app.config["IDLE_TIMEOUT_MINUTES"] / 6)
        assert client.get("/meldinger/liste", headers=poll).status_code == 200
    moment["now"] += timedelta(minutes=1)
    response = client.get("/meldinger/liste", headers=poll)
    assert response.status_code == 401 and response.headers["HX-Redirect"] == "/logg-inn"
    # someone at the screen keeps it alive: a tap between the polls counts, the polls do not
    auth.login("leder")
    moment["now"] += timedelta(minutes=30)
    assert client.get("/meldinger/", headers={"HX-Request": "true"}).status_code == 200
    moment["now"] += timedelta(minutes=50)
    assert client.get("/meldinger/liste", headers=poll).status_code == 200
    moment["now"] += timedelta(minutes=11)
    assert client.get("/meldinger/liste", headers=poll).status_code == 401


def test_htmx_request_with_expired_session_gets_hx_redirect(client):
    response = client.get("/skole/elever", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/logg-inn"
    assert b"<form" not in response.data


def test_failed_logins_are_throttled_per_account(client, auth):
    for _ in range(5):
        assert auth.login("ansatt", "feil").status_code == 401
    response = auth.login("ansatt", data.PASSWORD)  # even the right password waits now
    assert response.status_code == 401
    assert "For mange mislykkede forsøk" in response.get_data(as_text=True)
    assert auth.login("leder").status_code == 302  # other accounts are not locked


def test_failed_logins_are_throttled_per_address(app, client, auth):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    for name in ("a1", "a2", "a3"):
        auth.login(name, "feil")
    response = auth.login("leder")
    assert "For mange mislykkede forsøk" in response.get_data(as_text=True)


def test_wrong_passwords_sent_at_once_are_checked_no_more_than_the_limit(app, db):
    """Six wrong passwords in parallel: five are checked and refused, the sixth waits as a seventh would."""
    clients = [app.test_client() for _ in range(6)]
    tokens = [csrf_token(client) for client in clients]
    start, answers = threading.Barrier(len(clients)), []

    def try_password(client, token):
        start.wait()
        answers.append(client.post("/logg-inn", data={"username": "ansatt", "password": "feil-passord",
                                                      "csrf_token": token}).get_data(as_text=True))
    threads = [threading.Thread(target=try_password, args=pair) for pair in zip(clients, tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sum("Feil brukernavn eller passord." in answer for answer in answers) == 5
    assert sum("For mange mislykkede forsøk" in answer for answer in answers) == 1
    assert db["login_attempt"].count_where("username = 'ansatt' AND success = 0") == 5


def test_a_right_password_forgives_the_failures_before_it(client, auth, db):
    for _ in range(4):
        auth.login("ansatt", "feil")
    assert auth.login("ansatt").status_code == 302
    assert db.execute("SELECT success FROM login_attempt WHERE username = 'ansatt'").fetchall() == [(1,)]


def test_throttle_counts_are_shared_through_the_database(app, db):
    """Another worker (a second app on the same file) sees the same failures."""
    with transaction(db):
        for _ in range(5):
            db["login_attempt"].insert({"at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                        "username": "ansatt", "address": "10.0.0.9", "success": 0})
    other_worker = create_app({**app.config})
    client = other_worker.test_client()
    token = csrf_token(client)
    response = client.post("/logg-inn", data={"username": "ansatt", "password": data.PASSWORD,
                                              "csrf_token": token})
    assert "For mange mislykkede forsøk" in response.get_data(as_text=True)


def test_passwords_use_owasp_scrypt_work_factor(tmp_path):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "x.sqlite")})
    assert app.config["PASSWORD_HASH_METHOD"] == "scrypt:131072:8:1"
    with app.app_context():
        from webapp.security import hash_password, password_matches

        hashed = hash_password("et langt passord")
        assert hashed.startswith("scrypt:131072:8:1$")
        assert password_matches(hashed, "et langt passord")


def test_reset_password_forces_a_new_one(app, client, auth, db):
    leader = app.test_client()
    from .conftest import Auth

    Auth(leader).login("leder")
    page = Auth(leader).post(f"/skole/ansatte/{data.STAFF}/nytt-passord", page="/skole/ansatte")
    html = page.get_data(as_text=True)
    one_time = html.split('class="password" aria-label="Engangspassord">')[1].split("<")[0]
    assert auth.login("ansatt", one_time).headers["Location"] == "/passord"
    assert client.get("/skole/elever").status_code in (302, 403)
    assert client.get("/").headers["Location"] == "/passord"
    response = auth.post("/passord", {"current_password": one_time, "new_password": "mitt eget passord",
                                      "repeat_password": "mitt eget passord"}, page="/passord")
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_weak_new_password_is_refused(client, auth):
    auth.login("ansatt")
    response = auth.post("/passord", {"current_password": data.PASSWORD, "new_password": "kort",
                                      "repeat_password": "kort"}, page="/passord")
    assert response.status_code == 422
    assert "minst 10 tegn" in response.get_data(as_text=True)


def test_app_refuses_to_start_without_secret_key_outside_debug(tmp_path, monkeypatch):
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"DATABASE": str(tmp_path / "x.sqlite")})


def test_settings_come_from_flask_environment_variables(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_SECRET_KEY", "from-env")
    monkeypatch.setenv("FLASK_DATABASE", str(tmp_path / "env.sqlite"))
    monkeypatch.setenv("FLASK_IDLE_TIMEOUT_MINUTES", "15")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["DATABASE"] == str(tmp_path / "env.sqlite")
    assert app.config["IDLE_TIMEOUT_MINUTES"] == 15
    assert create_app({"IDLE_TIMEOUT_MINUTES": 5}).config["IDLE_TIMEOUT_MINUTES"] == 5


def test_session_cookie_is_resent_once_a_minute_not_on_every_request(app, client, auth):
    moment = {"now": datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)}
    app.config["NOW"] = lambda: moment["now"]
    auth.login("ansatt")
    client.get("/")
    assert client.get("/").headers.get("Set-Cookie") is None  # nothing changed: no new cookie
    moment["now"] += timedelta(seconds=59)
    assert client.get("/").headers.get("Set-Cookie") is None
    moment["now"] += timedelta(seconds=2)
    assert "trygg_session=" in client.get("/").headers["Set-Cookie"]  # last_seen moved on
    with client.session_transaction() as session:
        assert session["last_seen"] == "2026-11-26T09:01:01+00:00"
    # an active user is never timed out, though last_seen lags up to a minute
    for _ in range(3):
        moment["now"] += timedelta(minutes=app.config["IDLE_TIMEOUT_MINUTES"] - 1)
        assert client.get("/").status_code == 200
    moment["now"] += timedelta(minutes=app.config["IDLE_TIMEOUT_MINUTES"] + 1)
    assert client.get("/").headers["Location"] == "/logg-inn"


def test_a_session_cookie_seen_before_still_expires_with_its_lifetime(app, client, auth, monkeypatch):
    """A worker remembers cookies it has checked, but not past the session's lifetime."""
    auth.login("ansatt")
    assert client.get("/passord").status_code == 200
    assert client.get("/passord").status_code == 200  # the same cookie again: known to the worker
    later = time.time() + app.permanent_session_lifetime.total_seconds() + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get("/passord").headers["Location"] == "/logg-inn"


def test_a_remembered_session_is_a_copy_no_request_changes_another(app):
    """Two requests with the same cookie each get their own session: a change in one is not seen by the other."""
    interface = app.session_interface
    cookie = interface.get_signing_serializer(app).dumps({"_user_id": "1", "last_seen": "x"})
    with app.test_request_context(headers={"Cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}"}):
        from flask import request
        first = interface.open_session(app, request)
        first["last_seen"] = "changed"
        first["extra"] = 1
        second = interface.open_session(app, request)
        assert dict(second) == {"_user_id": "1", "last_seen": "x"}
        tampered = request.cookies[app.config["SESSION_COOKIE_NAME"]][:-2] + "xx"
    with app.test_request_context(headers={"Cookie": f"{app.config['SESSION_COOKIE_NAME']}={tampered}"}):
        assert dict(interface.open_session(app, request)) == {}
