"""Offline capture's server side: the manifest, the service worker, what it keeps, the outbox's key and answers."""
import json
from io import BytesIO

from PIL import Image

from webapp.db import connect
from webapp.security import CSP

from . import data
from .conftest import STATIC, Auth, csrf_token, make_app
from .test_capture_views import NOW
from .test_capture_views import form as capture_form


def test_the_manifest_makes_trygg_an_app_on_the_home_screen(client):
    response = client.get("/static/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    assert manifest["theme_color"] == "#0b3d6b" and manifest["lang"] == "nb"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        image = Image.open(BytesIO(client.get(icon["src"]).data))
        assert image.format == "PNG" and "x".join(map(str, image.size)) == icon["sizes"]


def test_every_page_links_the_manifest_and_registers_the_service_worker(client, auth):
    auth.login("ansatt")
    html = client.get("/").get_data(as_text=True)
    assert 'rel="manifest"' in html
    assert 'data-sw="/sw.js?shell=' in html
    assert "data-outbox-badge" in html  # the badge "N ikke sendt", shown by offline.js


def test_the_service_worker_is_served_from_the_root_under_the_strict_policy(client):
    response = client.get("/sw.js?shell=1")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"  # phones ask for a new one every time
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.data == (STATIC / "sw.js").read_bytes()


def test_the_service_worker_keeps_only_the_offline_screen_and_static_files(client, auth):
    auth.login("ansatt")
    files = client.get("/frakoblet/filer.json").get_json()
    assert files["urls"][0] == "/frakoblet"
    assert all(url == "/frakoblet" or url.startswith("/static/") for url in files["urls"])
    for url in files["urls"]:
        assert client.get(url).status_code == 200, url
    assert f"/sw.js?shell={files['version']}" in client.get("/").get_data(as_text=True)


def test_the_offline_screen_holds_no_personal_data(client, auth):
    anonymous = client.get("/frakoblet").get_data(as_text=True)
    auth.login("ansatt")
    signed_in = client.get("/frakoblet")
    assert signed_in.get_data(as_text=True) == anonymous  # the same for everyone
    assert "Kari" not in anonymous and "Aksel" not in anonymous and "csrf_token" not in anonymous
    assert 'id="capture-form"' in anonymous and 'action="/registrer/ny"' in anonymous


def test_the_outbox_key_is_a_fresh_token_for_the_user_signed_in(client, auth):
    auth.login("ansatt")
    answer = client.get("/frakoblet/nokkel", headers={"Accept": "application/json"})
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.get_json()["user"] == data.STAFF and answer.get_json()["csrf_token"]


def test_after_the_session_ended_the_outbox_is_told_so_and_not_sent_to_the_log_in_page(client):
    answer = client.get("/frakoblet/nokkel", headers={"Accept": "application/json"})
    assert answer.status_code == 401 and answer.get_json() == {"error": "logget ut"}
    with client.session_transaction() as session:
        assert "next_path" not in session  # logging in again goes home, not to the JSON


def outbox_post(client, form):
    """A save as the phone's outbox sends it: the form, a fresh token, JSON answers."""
    token = client.get("/frakoblet/nokkel", headers={"Accept": "application/json"}).get_json()["csrf_token"]
    return client.post("/registrer/ny", data={**form, "csrf_token": token},
                       headers={"Accept": "application/json", "X-CSRFToken": token})


def test_the_outbox_gets_the_same_record_for_a_resend_and_a_reason_for_a_refusal(tmp_path):
    app = make_app(tmp_path, NOW=NOW)
    client = app.test_client()
    Auth(client).login("ansatt")
    form = capture_form(client_id="fra-telefonen-1", facts="Dyttet.")
    first, again = outbox_post(client, form), outbox_post(client, form)
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json()
    db = connect(app.config["DATABASE"])
    assert db.execute("SELECT count(*) FROM observation WHERE client_id = 'fra-telefonen-1'").fetchone()[0] == 1

    refused = outbox_post(client, {**form, "client_id": "fra-telefonen-2", "zone_id": "999"})
    assert refused.status_code == 422
    assert refused.get_json() == {"errors": {"zone_id": "Velg en sone fra listen."}}
    changed = outbox_post(client, {**form, "facts": "Noe annet."})
    assert changed.status_code == 409 and "allerede lagret" in changed.get_json()["errors"]["form"]
    db.conn.close()


def test_the_outbox_is_told_when_a_pupil_has_left_the_school(tmp_path):
    app = make_app(tmp_path, NOW=NOW)
    client = app.test_client()
    Auth(client).login("ansatt")
    db = connect(app.config["DATABASE"])
    db.execute("UPDATE pupil SET active = 0 WHERE id = ?", [data.PUPIL_A])  # left before the phone was online
    form = capture_form(client_id="fra-telefonen-3", facts="Dyttet.", pupil=[str(data.PUPIL_A)],
                        **{f"role_{data.PUPIL_A}": "utsatt"})
    refused = outbox_post(client, form)
    assert refused.status_code == 422
    assert refused.get_json() == {"errors": {"pupils": "Aksel Andersen har sluttet ved skolen. "
                                                       "Fjern eleven fra registreringen, eller velg en annen elev."}}
    assert db.execute("SELECT count(*) FROM observation").fetchone()[0] == 0
    db.conn.close()


def test_the_page_form_is_answered_as_before(tmp_path):
    client = make_app(tmp_path, NOW=NOW).test_client()
    Auth(client).login("ansatt")
    token = csrf_token(client, "/registrer/ny/bekymring")
    saved = client.post("/registrer/ny", data={**capture_form(client_id="fra-siden-1"), "csrf_token": token})
    assert saved.status_code == 303 and saved.headers["Location"].endswith("?lagret=1")
    refused = client.post("/registrer/ny", data={**capture_form(client_id="fra-siden-2", zone_id="999"),
                                                 "csrf_token": token})
    assert refused.status_code == 422 and refused.mimetype == "text/html"


def test_the_outbox_gets_json_not_a_page_when_the_user_must_first_enrol_or_change_password(tmp_path):
    app = make_app(tmp_path, NOW=NOW)
    client = app.test_client()
    Auth(client).login("ansatt")
    db = connect(app.config["DATABASE"])
    for change in ({"second_factor_required": 1}, {"second_factor_required": 0, "must_change_password": 1}):
        db["user"].update(data.STAFF, change)  # e.g. a leader asks staff for a second factor meanwhile
        answer = client.get("/frakoblet/nokkel", headers={"Accept": "application/json"})
        assert answer.status_code == 403 and answer.is_json  # the outbox keeps its records, asks to log in
        assert client.get("/frakoblet/nokkel").status_code == 302  # a page still goes to the step to do first
    db.conn.close()
