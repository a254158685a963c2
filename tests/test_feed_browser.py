"""A staff member's incident reaches a leader's live feed; the leader acknowledges it; the author sees it."""
import re

import pytest

from webapp import clock
from webapp.db import transaction
from webapp.saker import store as saker

from . import data
from .conftest import assert_accessible, assert_fits_phone, browser_login
from .meldinger import add_melding, db_of

pytestmark = pytest.mark.browser


def test_incident_appears_live_in_feed_and_acknowledgement_reaches_the_author(app, live_server, phone):
    staff = phone()
    browser_login(staff, live_server.url, "ansatt")
    leader = phone()
    browser_login(leader, live_server.url, "leder")
    asked = []  # what the leader's page asked the server, and whether it said it was polling
    leader.on("request", lambda request: asked.append((request.url, request.headers.get("x-trygg-poll"))))
    leader.goto(live_server.url + "/meldinger/")
    assert leader.get_by_role("heading", name="Meldinger og hendelser").is_visible()
    assert_accessible(leader)

    # the staff member records an incident needing follow-up on the phone, from the home screen
    assert_accessible(staff)
    staff.get_by_role("link", name="Bekymring / hendelse").first.click()
    staff.wait_for_url(re.compile(r".*/registrer/ny/bekymring$"))
    assert_accessible(staff)
    staff.get_by_label("Søk på de første bokstavene i navnet").fill("ak")
    staff.locator("#pupil-results label.chip", has_text="Aksel Andersen").click()
    staff.locator(f"input[name=pupil][value='{data.PUPIL_A}']").wait_for(state="attached")
    staff.locator("label.chip", has_text="Krever videre arbeid").click()
    staff.locator("label.chip", has_text="Friminutt").click()  # off duty the context is chosen
    staff.get_by_label("Hva så du?").fill("Slått ved sandkassen, trenger oppfølging.")
    assert_accessible(staff)
    staff.get_by_role("button", name="Lagre").click()
    staff.get_by_text("Lagret. Meldingen er sendt til skoleledelsen.").wait_for()
    assert staff.get_by_text("Sendt – ikke mottatt ennå").is_visible()
    assert_accessible(staff)
    db = db_of(app)
    melding_id = next(iter(db.query("SELECT id FROM melding WHERE author_id = ?", [data.STAFF])))["id"]
    db.conn.close()
    staff.get_by_role("link", name="Mine meldinger").click()
    staff.wait_for_url(re.compile(r".*/registrer/mine\?vis=meldinger$"))
    assert_accessible(staff)

    # the leader's feed shows it within seconds, without reloading
    item = leader.locator(f'a[href="/meldinger/{melding_id}"]')
    item.wait_for(timeout=3_000)  # a poll every BROWSER_POLL_SECONDS
    assert "Ny – ikke mottatt" in item.inner_text()
    assert leader.locator(".tabbar .badge").first.inner_text().startswith("1")
    assert_accessible(leader)

    item.click()
    leader.wait_for_url(f"{live_server.url}/meldinger/{melding_id}")
    assert_accessible(leader)
    # the feed's own polls say so (they may end an idle session, never keep it alive); the tap does not
    assert {poll for url, poll in asked if "/meldinger/liste" in url} == {"1"}
    assert [poll for url, poll in asked if url == f"{live_server.url}/meldinger/{melding_id}"] == [None]
    leader.get_by_role("button", name="Marker som mottatt").click()
    leader.get_by_text("Meldingen er markert som mottatt.").wait_for()
    assert leader.get_by_text("Mottatt av Rita Rektor").first.is_visible()
    assert_accessible(leader)

    # the author's list updates by itself: "mottatt av … kl …"
    staff.get_by_text("Mottatt av Rita Rektor kl.").wait_for(timeout=3_000)
    assert_accessible(staff)
    assert_fits_phone(staff)


def test_leader_case_screens_are_accessible_on_a_phone(app, live_server, phone):
    melding_id = add_melding(app, section_12_5=True, labels=["ansatt_krenker_elev"])
    db = db_of(app)
    with transaction(db):
        sak_id = saker.open_sak(db, db["melding"].get(melding_id), data.PUPIL_A, data.LEADER, data.LEADER,
                                clock.now())
        saker.save_tiltak(db, db["sak"].get(sak_id), {
            "level": "individ", "name": "Trygg voksen", "description": "", "justification": "",
            "participation": "", "start_on": None, "responsible": "", "evaluation_on": None,
            "evaluation_participants": "", "conclusion": ""}, data.LEADER, clock.now())
    db.conn.close()
    page = phone()
    browser_login(page, live_server.url, "leder")
    assert_accessible(page)  # home with the §12-5 highlight
    for path in ["/meldinger/?status=ny", "/meldinger/ny", "/meldinger/elever", f"/meldinger/elever/{data.PUPIL_A}",
                 "/meldinger/monstre", f"/meldinger/sjekkliste/ny?klasse={data.CLASS_A}", "/saker/",
                 f"/saker/{sak_id}", f"/saker/{sak_id}/samtaler/ny", f"/saker/{sak_id}/aktivitetsplan",
                 f"/saker/{sak_id}/tiltak/ny", f"/saker/{sak_id}/barnets-beste", f"/saker/{sak_id}/brev",
                 f"/saker/{sak_id}/aktivitetsplan/utskrift", f"/saker/{sak_id}/eksport", f"/saker/{sak_id}/lukk",
                 "/saker/stopp-samtale"]:
        page.goto(live_server.url + path)
        assert_accessible(page)
        assert_fits_phone(page, path)
    page.goto(f"{live_server.url}/saker/{sak_id}")
    page.get_by_role("button", name="Gå videre til Utforme tiltak").click()
    # tasks of the investigation are open: the leader confirms and says why
    page.get_by_role("heading", name="Gå videre til Utforme tiltak?").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Gå videre likevel").click()
    page.get_by_text("Skriv hvorfor saken går videre før oppgavene er utført.").wait_for()
    assert_accessible(page)
    page.get_by_label("Hvorfor går saken videre nå?").fill("Eleven og foresatte er hørt; resten følges opp.")
    page.get_by_role("button", name="Gå videre likevel").click()
    page.get_by_text("Saken er i fasen Utforme tiltak.").wait_for()
    assert page.get_by_text("Begrunnelse: Eleven og foresatte er hørt; resten følges opp.").is_visible()
    owner = phone()
    browser_login(owner, live_server.url, "skoleeier")
    assert_accessible(owner)
    owner.goto(f"{live_server.url}/saker/")
    owner.get_by_role("link", name="Aksel Andersen").click()
    owner.wait_for_url(f"{live_server.url}/saker/{sak_id}")
    assert_accessible(owner)


def test_leader_filters_the_feed_by_a_pupil_found_by_name_on_a_phone(app, live_server, phone):
    add_melding(app)
    page = phone()
    browser_login(page, live_server.url, "leder")
    page.goto(live_server.url + "/meldinger/")
    page.get_by_text("Filter", exact=True).click()
    page.get_by_label("Finn elev: skriv de første bokstavene i navnet").fill("ak")
    page.locator("#f-elev-found label.chip", has_text="Aksel Andersen").click()
    assert_accessible(page)
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url(re.compile(rf".*/meldinger/\?.*elev={data.PUPIL_A}"))
    assert "Aksel" not in page.url  # the name never goes into the URL
    assert page.locator("#f-elev-valgt").is_checked()
    assert "Aksel Andersen" in page.locator("label[for=f-elev-valgt]").inner_text()
    assert_accessible(page)
    assert_fits_phone(page)
