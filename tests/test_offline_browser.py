"""On a phone with no network: the capture screen still opens, records wait on the phone and arrive exactly once."""
import re
import time
from datetime import datetime, timedelta, timezone

import pytest

from webapp.db import connect

from . import data
from .conftest import BROWSER_POLL_SECONDS, LiveServer, assert_accessible, browser_login, make_app
from .records import save_record

pytestmark = pytest.mark.browser

SAVED = "Lagret på telefonen — sendes når nettet er tilbake"
# the phone keeps its service worker; a Norwegian phone's clock is Oslo time
OFFLINE_PHONE = {"service_workers": "allow", "timezone_id": "Europe/Oslo"}
SHIFT = [timedelta(0)]  # the app's clock runs with real time (the phone stamps what it records), moved by tests


def app_now():
    return datetime.now(timezone.utc) + SHIFT[0]


def offline_app(tmp_path, **config):
    """The app on its clock (app_now), with Kari's recent pupils."""
    SHIFT[0] = timedelta(0)
    app = make_app(tmp_path, NOW=app_now, **config)
    db = connect(app.config["DATABASE"])
    # Kari recorded Aksel and Bea yesterday: they are her recent pupils, kept on the phone for offline use
    save_record(db, kind="positive", observed_at=app_now() - timedelta(days=1), context="friminutt",
                pupils={data.PUPIL_A: "med", data.PUPIL_A2: "med"})
    db.conn.close()
    return app


@pytest.fixture
def app(tmp_path):
    return offline_app(tmp_path)


def records_with(db, facts_start):
    """The observations whose "Hva så du?" starts so."""
    return list(db.query("SELECT * FROM observation WHERE facts LIKE ? ORDER BY id", [facts_start + "%"]))


def online_capture_form(page, base_url):
    """Log in and open the capture form online once: the service worker installs, the recent pupils are kept."""
    browser_login(page, base_url, "ansatt")
    page.goto(base_url + "/registrer/ny/bekymring")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    # the recent pupils are on the phone (IndexedDB) for the offline screen
    page.wait_for_function("""() => TryggOutbox.recent('%d').then(r => !!r && r.pupils.length > 0)"""
                           % data.STAFF)


def record_incident(page, pupil, facts):
    """Choose a pupil and the context, write what happened, save; with no network it is kept on the phone."""
    page.locator("label.chip", has_text=pupil).click()
    page.locator("label.chip", has_text="Friminutt").click()
    page.get_by_label("Hva så du?").fill(facts)
    page.get_by_role("button", name="Lagre").click()


def watch_saving(page):
    """Note in the page the moment of the last tap (Lagre) and of "Lagret på telefonen" on the screen."""
    page.evaluate("""() => {
        window.tapAt = null; window.savedAt = null;
        document.addEventListener('click', event => {
            if (event.target.closest('#save')) window.tapAt = performance.now(); }, true);
        const status = document.querySelector('[data-outbox-status]');
        new MutationObserver(() => {
            if (status.textContent.includes('Lagret på telefonen')) window.savedAt = performance.now();
        }).observe(status, {childList: true, characterData: true, subtree: true});
    }""")


def test_two_incidents_recorded_offline_arrive_once_each_when_the_network_returns(live_server, phone, db):
    page = phone(**OFFLINE_PHONE)
    online_capture_form(page, live_server.url)
    page.context.set_offline(True)

    page.goto(live_server.url + "/registrer/ny/bekymring")  # no network: the service worker's capture screen
    page.get_by_text("Uten nett").first.wait_for()
    page.locator("label.chip", has_text="Aksel Andersen").wait_for()  # her recent pupils, from the phone
    assert_accessible(page)
    watch_saving(page)
    record_incident(page, "Aksel Andersen", "Offline: dyttet ved gjerdet.")
    page.get_by_role("status").filter(has_text=SAVED).wait_for()
    print(f"\nfrom the last tap to «Lagret på telefonen» offline: "
          f"{page.evaluate('window.savedAt - window.tapAt'):.0f} ms")
    record_incident(page, "Bea Berge", "Offline: tok ballen fra en annen.")
    page.get_by_role("link", name="2 ikke sendt").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="2 ikke sendt").click()
    page.get_by_role("heading", name="Ikke sendt").wait_for()
    page.locator(".outbox-item summary").first.click()  # each item can be opened and seen
    page.get_by_text("Offline: dyttet ved gjerdet.").wait_for()
    assert_accessible(page)
    assert records_with(db, "Offline:") == []

    page.context.set_offline(False)  # the network returns: the outbox is sent by itself
    page.get_by_role("status").filter(has_text="2 registreringer er sendt").wait_for()
    assert not page.get_by_role("link", name=re.compile("ikke sendt")).is_visible()
    records = records_with(db, "Offline:")
    assert [r["facts"] for r in records] == ["Offline: dyttet ved gjerdet.", "Offline: tok ballen fra en annen."]
    assert len({r["client_id"] for r in records}) == 2
    assert_accessible(page)


def precache_bytes(page):
    """What the service worker keeps, in bytes (the bodies as stored)."""
    return page.evaluate("""async () => {
        let total = 0;
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) total += (await (await cache.match(request)).blob()).size;
        }
        return total;
    }""")


def test_records_made_while_the_server_is_down_arrive_once_it_is_back(app, phone, db):
    app.config["POLL_SECONDS"] = dict.fromkeys(app.config["POLL_SECONDS"], BROWSER_POLL_SECONDS)
    server = LiveServer(app).__enter__()
    port, url = server.server.server_port, server.url
    try:
        page = phone(**OFFLINE_PHONE)
        online_capture_form(page, url)
        print(f"\nthe service worker's precache: {precache_bytes(page)} bytes")
        server.__exit__(None, None, None)  # the server goes down; the phone has a network

        watch_saving(page)
        record_incident(page, "Aksel Andersen", "Nede: slo med en pinne.")
        page.get_by_role("status").filter(has_text=SAVED).wait_for()
        print(f"from the last tap to «Lagret på telefonen», server down: "
              f"{page.evaluate('window.savedAt - window.tapAt'):.0f} ms")
        record_incident(page, "Bea Berge", "Nede: gikk etter en annen.")
        page.get_by_role("link", name="2 ikke sendt").wait_for()
        assert_accessible(page)
        page.goto(url + "/")  # the server is still down: the offline screen, with the badge
        page.get_by_role("link", name="2 ikke sendt").wait_for()
        assert records_with(db, "Nede:") == []

        server = LiveServer(app, port=port).__enter__()  # back, on the same address and database
        page.goto(url + "/")  # a page load sends the outbox
        page.get_by_role("status").filter(has_text="2 registreringer er sendt").wait_for()
        assert [r["facts"] for r in records_with(db, "Nede:")] == ["Nede: slo med en pinne.",
                                                                   "Nede: gikk etter en annen."]
    finally:
        server.__exit__(None, None, None)


def record_offline(page, base_url, records):
    """With no network, open the capture screen and record each (pupil, facts); they wait on the phone."""
    page.context.set_offline(True)
    page.goto(base_url + "/registrer/ny/bekymring")
    for pupil, facts in records:
        record_incident(page, pupil, facts)
        page.get_by_role("status").filter(has_text=SAVED).wait_for()
    page.get_by_role("link", name=f"{len(records)} ikke sendt").wait_for()


@pytest.fixture
def short_token_app(tmp_path):
    """CSRF tokens that last three seconds, as hours offline make them stale."""
    return offline_app(tmp_path, WTF_CSRF_TIME_LIMIT=3)


def test_records_are_sent_after_the_pages_csrf_token_went_stale(short_token_app, phone):
    with LiveServer(short_token_app) as server:
        page = phone(**OFFLINE_PHONE)
        online_capture_form(page, server.url)
        record_offline(page, server.url, [("Aksel Andersen", "Sent: holdt en annen fast.")])
        time.sleep(4)  # the token every page carries (and the one on this phone) is stale now
        page.context.set_offline(False)
        page.get_by_role("status").filter(has_text="1 registrering er sendt").wait_for()
        db = connect(short_token_app.config["DATABASE"])
        assert len(records_with(db, "Sent:")) == 1
        db.conn.close()


def test_after_the_session_ended_the_user_logs_in_again_and_every_record_arrives(live_server, phone, db):
    page = phone(**OFFLINE_PHONE)
    online_capture_form(page, live_server.url)
    record_offline(page, live_server.url, [("Aksel Andersen", "Økt: kastet sand."), ("Bea Berge", "Økt: ertet.")])
    SHIFT[0] = timedelta(minutes=61)  # hours offline: the session has idled out

    page.context.set_offline(False)
    page.get_by_text("Du er logget ut. Det som ligger på telefonen, er tatt vare på").wait_for()
    assert page.get_by_role("link", name="2 ikke sendt").is_visible()  # every item kept
    assert records_with(db, "Økt:") == []
    assert_accessible(page)

    page.get_by_role("link", name="Logg inn igjen").click()
    page.get_by_label("Brukernavn").fill("ansatt")
    page.get_by_label("Passord").fill(data.PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_role("status").filter(has_text="2 registreringer er sendt").wait_for()
    assert len(records_with(db, "Økt:")) == 2


def test_logging_out_is_refused_while_records_wait_and_send_now_sends_them(app, phone, db):
    with LiveServer(app) as first:
        port, url = first.server.server_port, first.url
        page = phone(**OFFLINE_PHONE)
        online_capture_form(page, url)
    # the server is down; the capture form stays open on the phone, and the save waits there
    record_incident(page, "Aksel Andersen", "Utlogging: dyttet.")
    page.get_by_role("status").filter(has_text=SAVED).wait_for()

    page.get_by_role("button", name="Logg ut").click()
    page.get_by_text("Du kan ikke logge ut ennå: 1 registrering som ikke er sendt").wait_for()
    assert page.url.endswith("/registrer/ny/bekymring")  # still here, still logged in
    assert_accessible(page)

    with LiveServer(app, port=port):
        page.get_by_role("button", name="Send nå").click()
        page.get_by_role("status").filter(has_text="Alt er sendt. Nå kan du logge ut.").wait_for()
        assert len(records_with(db, "Utlogging:")) == 1
        page.get_by_role("button", name="Logg ut").click()
        page.wait_for_url(re.compile(r".*/logg-inn$"))
        # logged out: the recent pupils are gone from the phone
        assert page.evaluate("TryggOutbox.recent('%d')" % data.STAFF) is None


def test_the_same_record_sent_twice_at_once_makes_one(live_server, phone, db):
    page = phone(**OFFLINE_PHONE)
    online_capture_form(page, live_server.url)
    page.locator("label.chip", has_text="Aksel Andersen").click()
    page.locator("label.chip", has_text="Friminutt").click()
    page.get_by_label("Hva så du?").fill("To ganger: én hendelse.")
    answers = page.evaluate("""async () => {
        const form = document.getElementById('capture-form');
        const fields = [...new FormData(form)].filter(([name]) => name !== 'csrf_token');
        const item = {client_id: form.elements.client_id.value, fields};
        const signedIn = await TryggOutbox.status();
        const answers = await Promise.all([TryggOutbox.send(item, signedIn.token),
                                           TryggOutbox.send(item, signedIn.token)]);
        return answers.map(answer => answer.result);
    }""")
    assert answers == ["saved", "saved"]  # both are answered with the one record
    assert len(records_with(db, "To ganger:")) == 1


def test_a_record_the_server_refuses_stays_with_its_reason_to_correct_or_discard(live_server, phone, db):
    page = phone(**OFFLINE_PHONE)
    online_capture_form(page, live_server.url)
    page.context.set_offline(True)
    page.goto(live_server.url + "/registrer/ny/bekymring")
    for pupil, facts in (("Aksel Andersen", "Avvist: ved porten."), ("Bea Berge", "Avvist: forkastes.")):
        page.locator("label.chip", has_text="Tunet").click()  # a zone kept on the phone from the last visit
        record_incident(page, pupil, facts)
        page.get_by_role("status").filter(has_text=SAVED).wait_for()
    db.execute("UPDATE zone SET active = 0 WHERE id = ?", [data.ZONE_A])  # meanwhile the zone is removed

    page.context.set_offline(False)
    page.get_by_role("status").filter(has_text="2 registreringer ble ikke tatt imot").wait_for()
    page.get_by_role("link", name="2 ikke sendt").click()
    reasons = page.get_by_text("Ikke tatt imot: Velg en sone fra listen.")
    reasons.first.wait_for()
    assert reasons.count() == 2
    assert_accessible(page)
    assert records_with(db, "Avvist:") == []

    second = page.locator(".outbox-item", has_text="Bea Berge")
    second.get_by_role("button", name="Forkast").click()
    second.get_by_role("button", name="Trykk igjen for å forkaste for godt").click()
    page.get_by_role("status").filter(has_text="Registreringen er forkastet.").wait_for()
    page.get_by_role("link", name="1 ikke sendt").wait_for()

    page.locator(".outbox-item", has_text="Aksel Andersen").get_by_role("button", name="Rett").click()
    page.wait_for_url(re.compile(r".*/registrer/utkast$"))  # the server's form, with what was written
    assert page.get_by_label("Hva så du?").input_value() == "Avvist: ved porten."
    assert page.locator("#zone-none").is_checked()
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(re.compile(r".*/registrer/\d+\?lagret=1$"))
    page.wait_for_function("() => TryggOutbox.list('%d').then(items => items.length === 0)" % data.STAFF)
    assert not page.get_by_role("link", name=re.compile("ikke sendt")).is_visible()
    records = records_with(db, "Avvist:")
    assert [r["facts"] for r in records] == ["Avvist: ved porten."]


def test_twenty_records_kept_offline_are_sent_in_one_go(live_server, phone, db):
    page = phone(**OFFLINE_PHONE)
    online_capture_form(page, live_server.url)
    record_offline(page, live_server.url, [("Aksel Andersen", "Tjue: 1")])
    # nineteen more like it, each with its own form id, as nineteen more saves would make them
    page.evaluate("""async () => {
        const [first] = await TryggOutbox.list('%d');
        for (let n = 2; n <= 20; n++) {
            const fields = first.fields.map(([name, value]) => [name,
                name === 'facts' ? 'Tjue: ' + n : name === 'client_id' ? 'tjue-' + n + '-' + Date.now() : value]);
            await TryggOutbox.put({...first, client_id: fields.find(([name]) => name === 'client_id')[1],
                                   fields, saved: first.saved + n});
        }
        window.addEventListener('online', () => { window.onlineAt = performance.now(); });
        const status = document.querySelector('[data-outbox-status]');
        new MutationObserver(() => {
            if (status.textContent.includes('er sendt')) window.sentAt = performance.now();
        }).observe(status, {childList: true, characterData: true, subtree: true});
    }""" % data.STAFF)
    page.context.set_offline(False)
    page.get_by_role("status").filter(has_text="20 registreringer er sendt").wait_for()
    print(f"\nthe outbox's flush of 20 records: {page.evaluate('window.sentAt - window.onlineAt'):.0f} ms")
    assert len(records_with(db, "Tjue:")) == 20


def test_background_sync_sends_the_outbox_with_no_page_of_trygg_open(live_server, phone, db):
    page = phone(**OFFLINE_PHONE)
    online_capture_form(page, live_server.url)
    record_offline(page, live_server.url, [("Aksel Andersen", "Synk: dyttet i køen.")])
    page.goto("about:blank")  # Trygg is closed; the network returns
    page.context.set_offline(False)
    assert records_with(db, "Synk:") == []

    # the browser fires the sync the page asked for (offline.js), as it does when the network is back
    session = page.context.new_cdp_session(page)
    registrations = []
    session.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    session.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not registrations and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    session.send("ServiceWorker.dispatchSyncEvent", {"origin": live_server.url, "tag": "trygg-outbox",
                                                     "registrationId": registrations[0]["registrationId"],
                                                     "lastChance": False})
    while not records_with(db, "Synk:") and time.monotonic() < deadline + 10:
        page.wait_for_timeout(100)
    assert len(records_with(db, "Synk:")) == 1
