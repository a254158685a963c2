"""Log-in, log-out, sessions, passwords and throttling."""
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

from webapp import create_app
from webapp.db import transaction

from . import data
from .conftest import Auth, csrf_token


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


def refused(app, cookie_name, value):
    """Whether a cookie replayed in a browser of its own gets the log-in page."""
    replay = app.test_client()
    replay.set_cookie(cookie_name, value)
    return replay.get("/").headers.get("Location") == "/logg-inn"


def cookies_of(device):
    """The session and remember cookies a browser holds, to replay them later."""
    return [(name, device.get_cookie(name).value) for name in ("trygg_session", "trygg_husk")]


def test_replayed_cookie_after_logout_is_refused(app, client, auth):
    auth.login("ansatt")
    stolen = client.get_cookie("trygg_session").value
    auth.logout()
    assert refused(app, "trygg_session", stolen)


def test_replayed_remember_cookie_after_logout_is_refused(app, client, auth):
    auth.login("ansatt", remember=True)
    remembered = client.get_cookie("trygg_husk").value
    auth.logout()
    assert refused(app, "trygg_husk", remembered)


def test_remember_me_restores_session_after_browser_restart(app, client, auth):
    auth.login("ansatt", remember=True)
    remembered = client.get_cookie("trygg_husk").value
    later = app.test_client()  # the session cookie is gone, the remember cookie is not
    later.set_cookie("trygg_husk", remembered)
    assert later.get("/").status_code == 200


def test_deactivated_user_is_logged_out_at_once(app, client, auth, db):
    auth.login("ansatt")
    leader = app.test_client()
    Auth(leader).login("leder")
    Auth(leader).post(f"/skole/ansatte/{data.STAFF}/aktiv", {"active": "0"}, page="/skole/ansatte")
    assert client.get("/").headers["Location"] == "/logg-inn"
    assert auth.login("ansatt").status_code == 401


IPAD = ("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.5 Mobile/15E148 Safari/604.1")
ANDROID = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/126.0.0.0 Mobile Safari/537.36")


def on_a_device(app, username, remember=False, user_agent=ANDROID):
    """A browser of its own, logged in as `username`: (client, Auth)."""
    device = app.test_client()
    device.environ_base["HTTP_USER_AGENT"] = user_agent
    assert Auth(device).login(username, remember=remember).status_code == 302
    return device, Auth(device)


def test_logging_out_on_a_shared_ipad_leaves_the_persons_other_devices_signed_in(app):
    ipad, ipad_auth = on_a_device(app, "ansatt", remember=True, user_agent=IPAD)
    phone, _ = on_a_device(app, "ansatt", remember=True)
    ipad_cookies = cookies_of(ipad)
    ipad_auth.logout()
    assert ipad.get_cookie("trygg_husk") is None  # nothing of the person's is left on the shared iPad
    assert ipad.get("/").headers["Location"] == "/logg-inn"
    assert all(refused(app, name, value) for name, value in ipad_cookies)
    assert phone.get("/").status_code == 200
    assert not refused(app, "trygg_husk", phone.get_cookie("trygg_husk").value)


def test_logg_ut_overalt_ends_every_session_and_remember_cookie_of_the_person(app):
    ipad, _ = on_a_device(app, "ansatt", remember=True, user_agent=IPAD)
    ipad_cookies = cookies_of(ipad)
    phone, phone_auth = on_a_device(app, "ansatt")
    colleague, _ = on_a_device(app, "leder", remember=True)
    page = phone.get("/passord").get_data(as_text=True)
    assert 'name="overalt" value="1">' in page and "Logg ut overalt</button>" in page
    response = phone_auth.post("/logg-ut", {"overalt": "1"}, page="/passord")
    assert response.headers["Location"] == "/logg-inn"
    assert "Du er logget ut på alle enheter." in phone.get("/logg-inn").get_data(as_text=True)
    assert phone.get("/").headers["Location"] == "/logg-inn"
    assert ipad.get("/").headers["Location"] == "/logg-inn"
    assert all(refused(app, name, value) for name, value in ipad_cookies)
    # another person's sessions are their own
    assert colleague.get("/").status_code == 200
    assert not refused(app, "trygg_husk", colleague.get_cookie("trygg_husk").value)


def test_a_new_password_ends_the_other_devices_sessions_and_keeps_this_one_as_it_was(app):
    ipad, _ = on_a_device(app, "ansatt", remember=True, user_agent=IPAD)
    ipad_remembered = ipad.get_cookie("trygg_husk").value
    phone, phone_auth = on_a_device(app, "ansatt", remember=True)
    response = phone_auth.post("/passord", {"current_password": data.PASSWORD, "new_password": "mitt eget passord",
                                            "repeat_password": "mitt eget passord"}, page="/passord")
    assert response.headers["Location"] == "/"
    assert "Du er logget ut på alle andre enheter." in phone.get("/").get_data(as_text=True)
    assert ipad.get("/").headers["Location"] == "/logg-inn"
    assert refused(app, "trygg_husk", ipad_remembered)
    # this phone had "husk meg", and keeps it with its new session
    assert not refused(app, "trygg_husk", phone.get_cookie("trygg_husk").value)


def test_a_password_reset_by_a_leader_ends_every_session_of_the_person(app):
    ipad, _ = on_a_device(app, "ansatt", remember=True, user_agent=IPAD)
    ipad_remembered = ipad.get_cookie("trygg_husk").value
    _, leader = on_a_device(app, "leder")
    assert leader.post(f"/skole/ansatte/{data.STAFF}/nytt-passord", page="/skole/ansatte").status_code == 200
    assert ipad.get("/").headers["Location"] == "/logg-inn"
    assert refused(app, "trygg_husk", ipad_remembered)


def test_an_account_turned_off_and_on_again_does_not_bring_back_its_old_sessions(app):
    ipad, _ = on_a_device(app, "ansatt", remember=True, user_agent=IPAD)
    ipad_cookies = cookies_of(ipad)
    _, leader = on_a_device(app, "leder")
    for active in ("0", "1"):
        leader.post(f"/skole/ansatte/{data.STAFF}/aktiv", {"active": active}, page="/skole/ansatte")
    assert all(refused(app, name, value) for name, value in ipad_cookies)
    assert ipad.get("/").headers["Location"] == "/logg-inn"


def test_the_account_page_shows_the_devices_one_is_signed_in_on_and_when_each_was_last_used(app, db):
    moment = {"now": datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)}
    app.config["NOW"] = lambda: moment["now"]
    ipad, ipad_auth = on_a_device(app, "leder", remember=True, user_agent=IPAD)
    phone, _ = on_a_device(app, "leder")
    assert "Min konto" in phone.get("/").get_data(as_text=True)  # the topbar's link to the account page
    page = phone.get("/passord").get_data(as_text=True)
    assert "Android, Chrome (denne enheten)" in page and "iPad, Safari</strong>" in page
    assert "Logget inn 26.11.2026 kl. 10:00, husk meg" in page

    def last_seen():
        return db.execute("SELECT last_seen_at FROM user_session WHERE device = 'iPad, Safari'").fetchone()[0]

    moment["now"] += timedelta(minutes=5)
    ipad.get("/meldinger/liste", headers={"HX-Request": "true", "X-Trygg-Poll": "1"})
    assert last_seen() == "2026-11-26T09:00:00+00:00"  # a poll is not the person at the screen
    ipad.get("/")
    assert last_seen() == "2026-11-26T09:05:00+00:00"
    ipad.get("/")
    assert "sist brukt 26.11.2026 kl. 10:05" in phone.get("/passord").get_data(as_text=True)
    # idle past the limit: the phone's session without "husk meg" can no longer be used, and is not listed;
    # the iPad's "husk meg" brings its own session back
    moment["now"] += timedelta(minutes=app.config["IDLE_TIMEOUT_MINUTES"] + 1)
    page = ipad.get("/passord").get_data(as_text=True)
    assert "iPad, Safari (denne enheten)" in page and "Android, Chrome" not in page
    ipad_auth.logout()
    assert "iPad, Safari" not in on_a_device(app, "leder")[0].get("/passord").get_data(as_text=True)


def test_a_device_is_named_in_two_words_from_its_user_agent():
    from webapp.auth.rules import device_name

    assert device_name(IPAD) == "iPad, Safari"
    assert device_name(ANDROID) == "Android, Chrome"
    assert device_name("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0") == "Windows, Edge"
    # an iPad's Safari asks for the desktop site as a Mac does
    assert device_name("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                       "Version/17.5 Safari/605.1.15") == "Mac eller iPad, Safari"
    assert device_name("") == device_name("curl/8.5") == "Ukjent enhet"


def test_the_sessions_migration_upgrades_an_older_database_and_old_cookies_log_in_again(app, client, db):
    from webapp.db import migrate

    db.execute("DROP TABLE user_session")
    db.execute("ALTER TABLE user ADD COLUMN session_version INTEGER NOT NULL DEFAULT 1")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'user_session_per_device'")
    assert migrate(db) == ["user_session_per_device"]
    assert "session_version" not in db["user"].columns_dict and db["user"].count == len(data.USERS)
    assert db["user_session"].count == 0
    with client.session_transaction() as session:
        session["_user_id"] = f"{data.STAFF}:1"  # a cookie from before: user and session version
    assert client.get("/").headers["Location"] == "/logg-inn"
    assert Auth(client).login("ansatt").status_code == 302 and client.get("/").status_code == 200


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
        from webapp.auth.passwords import hash_password, password_matches

        hashed = hash_password("et langt passord")
        assert hashed.startswith("scrypt:131072:8:1$")
        assert password_matches(hashed, "et langt passord")


def test_reset_password_forces_a_new_one(app, client, auth, db):
    leader = app.test_client()
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
    """A cookie sent again and again is still refused once it is older than the session's lifetime."""
    auth.login("ansatt")
    assert client.get("/passord").status_code == 200
    assert client.get("/passord").status_code == 200  # the same cookie again
    later = time.time() + app.permanent_session_lifetime.total_seconds() + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get("/passord").headers["Location"] == "/logg-inn"


def test_a_session_cookie_with_a_changed_signature_is_refused(app, client, auth):
    auth.login("ansatt")
    cookie = client.get_cookie("trygg_session").value
    forged = app.test_client()
    forged.set_cookie("trygg_session", cookie[:-2] + ("yy" if cookie.endswith("xx") else "xx"))
    assert forged.get("/").headers["Location"] == "/logg-inn"


