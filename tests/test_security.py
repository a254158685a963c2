"""CSRF, security headers, caching, escaping, and no personal data in logs or URLs."""
import logging
import re

from . import data


def test_post_without_csrf_token_is_refused(client, auth, db):
    auth.login("leder")
    response = client.post("/skole/klasser", data={"name": "7A", "contact_teacher_id": "0"})
    assert response.status_code == 400
    assert "Skjemaet er utløpt" in response.get_data(as_text=True)
    assert db["school_class"].count_where("name = '7A'") == 0


def test_login_without_csrf_token_is_refused(client):
    response = client.post("/logg-inn", data={"username": "ansatt", "password": data.PASSWORD})
    assert response.status_code == 400


def test_htmx_sends_csrf_token_in_a_header(client, auth, db):
    auth.login("leder")
    html = client.get("/").get_data(as_text=True)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
    response = client.post("/skole/klasser", data={"name": "7B", "contact_teacher_id": "0"},
                           headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 302
    assert db["school_class"].count_where("name = '7B'") == 1


def test_every_response_carries_security_headers(client, auth):
    auth.login("ansatt")
    for url in ["/", "/logg-inn", "/finnes-ikke", "/static/trygg.css"]:
        response = client.get(url)
        headers = response.headers
        response.close()
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "object-src 'none'" in csp and "base-uri 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]
        assert "HX-Request" in headers["Vary"]


def test_hsts_outside_debug(app, client):
    app.config["HSTS"] = True
    assert "max-age=" in client.get("/logg-inn").headers["Strict-Transport-Security"]


def test_pages_with_personal_data_are_not_cached(client, auth):
    auth.login("leder")
    assert client.get("/skole/elever").headers["Cache-Control"] == "no-store"


def test_static_files_are_versioned_and_cached_for_a_year(client):
    html = client.get("/logg-inn").get_data(as_text=True)
    css_url = re.search(r'href="(/static/trygg\.css\?v=[0-9a-f]{10})"', html).group(1)
    response = client.get(css_url)
    assert "max-age=31536000" in response.headers["Cache-Control"]
    response.close()


def test_cookies_are_httponly_samesite_and_secure_outside_debug(tmp_path):
    from .conftest import Auth, make_app

    app = make_app(tmp_path, SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    client = app.test_client()
    response = Auth(client).login("ansatt", remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("trygg_session="))
    remember_cookie = next(c for c in cookies if c.startswith("trygg_husk="))
    for cookie in (session_cookie, remember_cookie):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_output_is_escaped(client, auth, db):
    db.execute("UPDATE pupil SET full_name = ? WHERE id = ?", ['<script>alert(1)</script>', data.PUPIL_A])
    auth.login("leder")
    html = client.get("/skole/elever").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_no_personal_data_in_logs(client, auth, caplog):
    caplog.set_level(logging.DEBUG)
    auth.login("leder")
    client.get(f"/skole/elever/{data.PUPIL_A}")
    auth.post(f"/skole/elever/{data.PUPIL_A}", {"full_name": "Aksel Andersen", "class_id": data.CLASS_A,
                                               "birth_date": "04.03.2015", "active": "y"}, page="/")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Aksel" not in logged and data.PASSWORD not in logged


def test_viewing_and_changing_a_pupil_is_audited(client, auth, db):
    """Both go to the one audit trail, in the order they happened."""
    auth.login("leder")
    client.get(f"/skole/elever/{data.PUPIL_A}")
    auth.post(f"/skole/elever/{data.PUPIL_A}", {"full_name": "Aksel Andersen", "class_id": data.CLASS_A,
                                               "birth_date": "04.03.2015", "active": "y"}, page="/")
    lines = "SELECT user_id, action, entity, pupil_id FROM audit_log WHERE pupil_id = ? ORDER BY id"
    assert list(db.query(lines, [data.PUPIL_A])) == [
        {"user_id": data.LEADER, "action": "view", "entity": "pupil", "pupil_id": data.PUPIL_A},
        {"user_id": data.LEADER, "action": "update", "entity": "pupil", "pupil_id": data.PUPIL_A}]


def test_errors_are_norwegian_pages_not_stack_traces(app, client, auth):
    auth.login("leder")
    response = client.get("/skole/elever/999999")
    assert response.status_code == 404 and "Fant ikke siden" in response.get_data(as_text=True)
