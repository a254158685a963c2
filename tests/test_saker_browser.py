"""On a phone: staff record a melding, the leader opens a sak and downloads the Vedlegg 10 letter,
which says truthfully who raised the concern, how and to whom."""
import io
import re

import pytest
from docx import Document

from webapp import clock
from webapp.db import transaction
from webapp.saker import store as saker

from . import data
from .conftest import assert_accessible, assert_fits_phone, browser_login, make_app
from .meldinger import add_melding, db_of

pytestmark = pytest.mark.browser

NOW = "2026-11-26T10:00:00+01:00"


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path, NOW=NOW)


def test_staff_melding_becomes_a_sak_whose_letter_says_an_employee_raised_it(app, live_server, phone):
    staff = phone()
    browser_login(staff, live_server.url, "ansatt")
    staff.get_by_role("link", name="Bekymring / hendelse").first.click()
    staff.wait_for_url(re.compile(r".*/registrer/ny/bekymring$"))
    staff.get_by_label("Søk på de første bokstavene i navnet").fill("ak")
    staff.locator("#pupil-results label.chip", has_text="Aksel Andersen").click()
    staff.locator(f"input[name=pupil][value='{data.PUPIL_A}']").wait_for(state="attached")
    staff.locator("label.chip", has_text="Friminutt").click()  # off duty, the context is chosen
    staff.locator("label.chip", has_text="Krever videre arbeid").click()
    staff.get_by_label("Hva så du?").fill("Dyttet ned fra klatrestativet, gråt etterpå.")
    staff.get_by_role("button", name="Lagre").click()
    staff.get_by_text("Lagret. Meldingen er sendt til skoleledelsen.").wait_for()
    db = db_of(app)
    melding_id = db.execute("SELECT id FROM melding WHERE author_id = ?", [data.STAFF]).fetchone()[0]
    db.conn.close()

    leader = phone()
    browser_login(leader, live_server.url, "leder")
    leader.goto(f"{live_server.url}/meldinger/{melding_id}")
    leader.get_by_role("button", name="Marker som mottatt").click()
    leader.get_by_text("Meldingen er markert som mottatt.").wait_for()
    leader.get_by_role("button", name="Opprett sak og start undersøkelse").click()
    leader.get_by_text("Saken er opprettet. Undersøkelsen starter nå.").wait_for()
    leader.get_by_role("link", name="Melding om mottatt bekymring (Vedlegg 10)").click()
    leader.wait_for_url(re.compile(r".*/saker/\d+/brev$"))
    letter = leader.locator("article.document")
    assert letter.get_by_text("Til foresatte til Aksel Andersen").is_visible()
    assert "fra en ansatt ved skolen via registrering i Trygg datert 26.11.2026" in letter.inner_text()
    leader.get_by_text("Hvem meldte, hvordan og til hvem").click()
    assert leader.get_by_label("Til hvem").input_value() == "Rita Rektor"
    assert_accessible(leader)
    assert_fits_phone(leader)

    with leader.expect_download() as download:
        leader.get_by_role("link", name="Word-fil (.docx)").click()
    with open(download.value.path(), "rb") as file:
        document = Document(io.BytesIO(file.read()))
    lines = [paragraph.text for paragraph in document.paragraphs]
    assert lines[:3] == ["Testbakken skole", "Til foresatte til Aksel Andersen", "Dato: 26.11.2026"]
    assert ("Testbakken skole mottok bekymring for skolemiljøet i klassen/på skolen fra en ansatt ved skolen via "
            "registrering i Trygg datert 26.11.2026.") in lines
    assert ("Vi viser til henvendelse av 26.11.2026 fra en ansatt ved skolen i registrering i Trygg til Rita Rektor "
            "som angår skolemiljøet for Aksel Andersen, født 04.03.2015.") in lines
    text = "\n".join(lines)
    assert "foresatte i" not in text and "Kari Lærer" not in text


def test_a_teacher_made_coordinator_finds_and_reads_the_case_on_a_phone(app, live_server, phone):
    melding_id = add_melding(app)
    db = db_of(app)
    with transaction(db):
        sak_id = saker.open_sak(db, db["melding"].get(melding_id), data.PUPIL_A, data.LEADER, data.LEADER,
                                clock.parse(NOW))
    db.conn.close()
    leader = phone()
    browser_login(leader, live_server.url, "leder")
    leader.goto(f"{live_server.url}/saker/{sak_id}/aktivitetsplan")
    leader.get_by_label("Koordinator for aktivitetsplanen").select_option(label="Kari Lærer")
    leader.get_by_role("button", name="Lagre planen").click()
    leader.get_by_text("Kari Lærer kan nå åpne saken og aktivitetsplanen.").wait_for()
    assert_accessible(leader)

    staff = phone()
    browser_login(staff, live_server.url, "ansatt")
    staff.get_by_role("heading", name="Aktivitetsplaner du koordinerer").wait_for()
    assert_accessible(staff)
    staff.locator(f'a[href="/saker/{sak_id}"]').click()
    staff.wait_for_url(f"{live_server.url}/saker/{sak_id}")
    assert staff.get_by_text("Du ser saken fordi du er koordinator for aktivitetsplanen.").is_visible()
    assert staff.get_by_role("button", name=re.compile("Gå videre")).count() == 0
    assert_accessible(staff)
    assert_fits_phone(staff)
    staff.get_by_role("link", name="Aktivitetsplan (Vedlegg 12)").click()
    staff.wait_for_url(f"{live_server.url}/saker/{sak_id}/aktivitetsplan")
    assert staff.get_by_role("button", name="Lagre planen").count() == 0
    assert_accessible(staff)
    assert_fits_phone(staff)
