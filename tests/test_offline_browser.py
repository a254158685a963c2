"""On a phone with no network: the capture screen still opens, records wait on the phone and arrive exactly once."""
import re
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


@pytest.fixture
def app(tmp_path):
    SHIFT[0] = timedelta(0)
    app = make_app(tmp_path, NOW=app_now)
    db = connect(app.config["DATABASE"])
    # Kari recorded Aksel and Bea yesterday: they are her recent pupils, kept on the phone for offline use
    save_record(db, kind="positive", observed_at=app_now() - timedelta(days=1), context="friminutt",
                pupils={data.PUPIL_A: "med", data.PUPIL_A2: "med"})
    db.conn.close()
    return app


def records_with(db, facts_start):
    """The observations whose "Hva så du?" starts so."""
    return list(db.query("SELECT * FROM observation WHERE facts LIKE ? ORDER BY id", [facts_start + "%"]))


def online_capture_form(page, base_url):
    """Log in and open the capture form online once: the service worker installs, the recent pupils are kept."""
    browser_login(page, base_url, "ansatt")
    page.goto(base_url + "/registrer/ny/bekymring")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    # the recent pupils are on the phone (IndexedDB) for the offline screen
    page.wait_for_function("""new Promise(done => TryggOutbox.recent('%d').then(r => done(!!r && r.pupils.length)))"""
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
