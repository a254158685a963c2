"""The documents a case produces, opened with python-docx: the pupil, dates and measures are in them."""
import io
import zipfile
from datetime import date, timedelta

import pytest
from docx import Document
from docx.oxml.ns import qn

from webapp import clock, docx_template
from webapp.db import one, transaction
from webapp.saker import documents, texts
from webapp.saker import store as saker

from . import data
from .conftest import Auth, make_app
from .meldinger import add_melding, db_of


@pytest.fixture
def sak(app):
    """A case from a parent's phone call, with a start meeting, a talk, two measures and barnets beste."""
    melding_id = add_melding(app, observation=False, source="foresatt", channel="telefon",
                             received_on=date(2026, 11, 2), received_by_id=data.LEADER, summary="Mor ringte.")
    db = db_of(app)
    now = clock.now()
    with transaction(db):
        sak_id = saker.open_sak(db, db["melding"].get(melding_id), data.PUPIL_A, data.LEADER, data.LEADER, now)
        sak = db["sak"].get(sak_id)
        saker.set_start_meeting(db, sak, "2026-11-05T14:00", "foresatte, rektor, kontaktlærer", data.LEADER, now)
        saker.add_talk(db, sak, "utsatt", data.PUPIL_A, "2026-11-02T10:00", "rektor",
                       "Eleven fortalte om dytting i køen.", data.LEADER, now)
        saker.save_plan(db, sak, {"background": "Mor meldte fra på telefon.", "investigations": "Observasjon.",
                                  "perspectives": "Eleven ble hørt.", "findings": "Utsatt over tid.",
                                  "coordinator_id": data.STAFF}, data.LEADER, now)
        for level, name in (("individ", "Trygg voksen i storefri"), ("system", "Organisert lek")):
            saker.save_tiltak(db, sak, {
                "level": level, "name": name, "description": "Beskrivelse av " + name.lower(),
                "justification": "Begrunnelse.", "participation": "Eleven valgte selv.",
                "start_on": "2026-11-09", "responsible": "Kari Lærer", "evaluation_on": "2026-12-14",
                "evaluation_participants": "eleven, foresatte", "conclusion": ""}, data.LEADER, now)
        saker.save_best_interests(db, sak, {key: {"information": f"Info om {key}", "evaluation": "",
                                                  "notes": "", "weighting": ""}
                                            for key, _ in texts.BEST_HEADINGS}, data.LEADER, now)
    db.conn.close()
    return sak_id


def _open(response):
    """Open a .docx response: its paragraphs' text and its table cells' text."""
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response.headers["Content-Disposition"]
    document = Document(io.BytesIO(response.data))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    return paragraphs, cells


def test_letter_melding_om_mottatt_bekymring_is_prefilled_word_for_word(auth, client, sak):
    auth.login("leder")
    text, _ = _open(client.get(f"/saker/{sak}/brev.docx"))
    assert ("Testbakken skole mottok bekymring for skolemiljøet i klassen/på skolen fra foresatte via telefon "
            "datert 02.11.2026.") in text
    assert ("Vi viser til henvendelse av 02.11.2026 fra foresatte i telefon til Rita Rektor som angår "
            "skolemiljøet for Aksel Andersen, født 04.03.2015.") in text
    assert ("Vi inviterer til et oppstartsmøte torsdag 5. november 2026 kl. 14:00 med foresatte, rektor, "
            "kontaktlærer.") in text
    assert texts.LETTER_LAW in text
    assert "OPPSTARTSMØTET VIL HA FØLGENDE AGENDA:" in text
    for item in texts.LETTER_AGENDA:
        assert item in text
    assert "Gi tilbakemelding til Rita Rektor på e-post eller telefon dersom tidspunktet ikke passer." in text


def test_aktivitetsplan_docx_has_pupil_dates_measures_and_barnets_beste(auth, client, sak):
    auth.login("leder")
    response = client.get(f"/saker/{sak}/aktivitetsplan.docx")
    assert response.headers["Cache-Control"] == "no-store"
    text, cells = _open(response)
    assert texts.PLAN_EXEMPT in text and texts.PLAN_INTRO in text
    assert "Navn: Aksel Andersen" in text and "Klasse: 5A" in text
    assert "Dato og type: 02.11.2026, telefon" in text and "Mottaker: Rita Rektor" in text
    assert "TILTAK 1  Konkrete individuelle tiltak – Trygg voksen i storefri" in text
    assert "TILTAK 2  Konkrete klasse/systemtiltak – Organisert lek" in text
    assert "Dato for igangsetting av tiltaket: 09.11.2026" in text
    assert "Dato og deltakere på evalueringsmøtet: 14.12.2026, eleven, foresatte" in text
    assert "Navn på ansatt: Kari Lærer" in text
    assert texts.BEST_STEPS in text
    for column in texts.BEST_COLUMNS:
        assert column in cells
    for key, heading in texts.BEST_HEADINGS:
        assert heading in cells and f"Info om {key}" in cells


def test_whole_case_exports_as_one_document_with_its_history(app, auth, client, sak):
    auth.login("leder")
    text, cells = _open(client.get(f"/saker/{sak}/eksport.docx"))
    assert f"Sak nr. {sak} – Aksel Andersen" in text
    assert "Mor ringte." in text and "Eleven fortalte om dytting i køen." in text
    assert "Trygg voksen i storefri" in text and "Aktivitetsplan" in text
    assert "Sak opprettet" in cells and "Tiltak lagt til" in cells and "Rita Rektor" in cells
    assert db_of(app).execute("SELECT count(*) FROM audit_log WHERE entity = 'sak' AND action = 'export' "
                         "AND entity_id = ?", [sak]).fetchone()[0] == 1


@pytest.mark.parametrize("document, paragraph_styles, table_styles", [
    ("brev.docx", {"Normal", "Heading 1", "List Bullet"}, set()),
    ("aktivitetsplan.docx", {"Normal", "Heading 1", "Heading 2", "List Bullet"}, {"Table Grid"}),
    ("eksport.docx", {"Normal", "Heading 1", "Heading 2", "List Bullet"}, {"Table Grid"}),
])
def test_documents_use_only_the_styles_of_trygg_template(auth, client, sak, document, paragraph_styles, table_styles):
    auth.login("leder")
    data = client.get(f"/saker/{sak}/{document}").data
    template = zipfile.ZipFile(docx_template.PATH)
    package = zipfile.ZipFile(io.BytesIO(data))
    assert package.namelist() == template.namelist()
    assert not [name for name in package.namelist() if "stylesWithEffects" in name or "thumbnail" in name]
    assert package.read("word/styles.xml") == template.read("word/styles.xml")
    word = Document(io.BytesIO(data))
    used = {element.get(qn("w:val"))
            for element in word.element.body.iter(qn("w:pStyle"), qn("w:rStyle"), qn("w:tblStyle"))}
    assert used <= {style_id for style_id, _ in docx_template.STYLES}
    assert {p.style.name for p in word.paragraphs} == paragraph_styles
    assert {table.style.name for table in word.tables} == table_styles
    bold = {run.text for p in word.paragraphs for run in p.runs if run.bold}
    assert bold & {"OPPSTARTSMØTET VIL HA FØLGENDE AGENDA:", "Navn: ", "Skole: "}


def test_documents_keep_markup_as_text_and_word_breaks_as_breaks():
    document = docx_template.new_document()
    documents._paragraph(document, " <b>Fet & «sitat»</b>\tkolonne\x0bny linje\x01 ")
    documents._labelled(document, "Hva så du?", "Dyttet\nham")
    documents._table(document, ("Når", "Hva"), [("i går", None)])
    word = Document(io.BytesIO(docx_template.save(document)))
    first, labelled = word.paragraphs
    assert first.text == " <b>Fet & «sitat»</b>\tkolonne\nny linje "
    assert first._p.xpath("w:r/w:t/@xml:space") == ["preserve", "preserve"] and first._p.xpath("w:r/w:tab")
    assert [(run.text, run.bold) for run in labelled.runs] == [("Hva så du? ", True), ("Dyttet\nham", None)]
    assert [[cell.text for cell in row.cells] for row in word.tables[0].rows] == [["Når", "Hva"], ["i går", ""]]


def test_printable_pages_say_the_same_as_the_word_files(auth, client, sak):
    auth.login("leder")
    letter = client.get(f"/saker/{sak}/brev").get_data(as_text=True)
    assert "Aksel Andersen, født 04.03.2015" in letter and "OPPSTARTSMØTET VIL HA FØLGENDE AGENDA:" in letter
    plan = client.get(f"/saker/{sak}/aktivitetsplan/utskrift").get_data(as_text=True)
    assert "TILTAK 2  Konkrete klasse/systemtiltak – Organisert lek" in plan and "Retten til utdanning" in plan
    export = client.get(f"/saker/{sak}/eksport").get_data(as_text=True)
    assert "Sakens historikk" in export and "Eleven fortalte om dytting i køen." in export


def test_letter_and_plan_read_only_what_they_show_and_say_what_the_whole_case_says(app, sak):
    db = db_of(app)
    row = db["sak"].get(sak)
    with app.app_context():
        whole = saker.case_bundle(db, row)
        today = clock.today()
        assert documents.letter_values(saker.letter_bundle(db, row), today) == documents.letter_values(whole, today)
        assert documents.plan_values(saker.plan_bundle(db, row)) == documents.plan_values(whole)


# ---------------------------------------------------------------- what the letter and the plan say of the concern

NOW = "2026-11-26T10:00:00+01:00"


@pytest.fixture
def pinned(tmp_path):
    """The test app with its clock pinned to NOW."""
    return make_app(tmp_path, NOW=NOW)


@pytest.fixture
def staff_sak(pinned):
    """A case from a melding Kari Lærer (staff) recorded in Trygg at 09:55, acknowledged by Rita Rektor at 10:00."""
    melding_id = add_melding(pinned)  # recorded on the capture screen: from an employee, through Trygg
    db = db_of(pinned)
    now = clock.parse(NOW)
    with transaction(db):
        saker.acknowledge(db, db["melding"].get(melding_id), data.LEADER, now)
        sak_id = saker.open_sak(db, db["melding"].get(melding_id), data.PUPIL_A, data.LEADER, data.LEADER,
                                now + timedelta(hours=2))
    db.conn.close()
    return sak_id


def _client(app, username="leder"):
    """A client of the app, signed in."""
    client = app.test_client()
    Auth(client).login(username)
    return client


def test_letter_for_a_staff_melding_says_an_employee_raised_it_through_trygg_to_the_leader(pinned, staff_sak):
    client = _client(pinned)
    text, _ = _open(client.get(f"/saker/{staff_sak}/brev.docx"))
    lines = text.splitlines()
    assert lines[:3] == ["Testbakken skole", "Til foresatte til Aksel Andersen", "Dato: 26.11.2026"]
    assert ("Testbakken skole mottok bekymring for skolemiljøet i klassen/på skolen fra en ansatt ved skolen "
            "via registrering i Trygg datert 26.11.2026.") in lines
    assert ("Vi viser til henvendelse av 26.11.2026 fra en ansatt ved skolen i registrering i Trygg til Rita Rektor "
            "som angår skolemiljøet for Aksel Andersen, født 04.03.2015.") in lines
    # never that parents raised it, never the author as the one who received it
    assert "foresatte i" not in text and "Kari Lærer" not in text and "melding i Trygg" not in text
    page = client.get(f"/saker/{staff_sak}/brev").get_data(as_text=True)
    assert "Til foresatte til Aksel Andersen" in page and "fra en ansatt ved skolen via registrering i Trygg" in page


def test_letter_for_a_parents_melding_entered_by_a_leader_says_parents_and_who_took_it(pinned):
    client = _client(pinned)
    auth = Auth(client)
    # the contact teacher took the mother's call on Monday; the leader enters it on Thursday
    response = auth.post("/meldinger/ny", {
        "source": "foresatt", "raised_by": "Mor", "channel": "telefon", "received_on": "2026-11-23",
        "received_by_id": data.STAFF, "pupil_id": data.PUPIL_A, "summary": "Mor ringte om erting.",
        "client_id": "a" * 32})
    melding_id = int(response.headers["Location"].rsplit("/", 1)[1])
    response = auth.post(f"/meldinger/{melding_id}/sak", {"pupil_id": data.PUPIL_A})
    sak_id = int(response.headers["Location"].rsplit("/", 1)[1])
    text, _ = _open(client.get(f"/saker/{sak_id}/brev.docx"))
    assert "Til foresatte til Aksel Andersen" in text and "Dato: 26.11.2026" in text
    assert ("Testbakken skole mottok bekymring for skolemiljøet i klassen/på skolen fra foresatte via telefon "
            "datert 23.11.2026.") in text
    assert "Vi viser til henvendelse av 23.11.2026 fra foresatte i telefon til Kari Lærer som angår" in text
    plan, _ = _open(client.get(f"/saker/{sak_id}/aktivitetsplan.docx"))
    assert "Dato og type: 23.11.2026, telefon" in plan and "Mottaker: Kari Lærer, 23.11.2026" in plan


def test_plan_names_the_leader_who_received_the_melding_and_when_never_its_author(pinned, staff_sak):
    client = _client(pinned)
    text, _ = _open(client.get(f"/saker/{staff_sak}/aktivitetsplan.docx"))
    assert "Dato og type: 26.11.2026, registrering i Trygg" in text
    assert "Mottaker: Rita Rektor, 26.11.2026 kl. 10:00" in text
    assert "Kari Lærer" not in text
    # the law as it is, not the plan's misprint
    assert text.splitlines()[0] == "Unntatt offentlighet jf. offl. § 13, jf. fvl. § 13" and "13-13" not in text
    printed = client.get(f"/saker/{staff_sak}/aktivitetsplan/utskrift").get_data(as_text=True)
    assert "<strong>Mottaker:</strong> <span class=\"prewrap\">Rita Rektor, 26.11.2026 kl. 10:00</span>" in printed
    assert "fvl. § 13" in printed


def test_leader_corrects_how_the_concern_came_and_the_letter_and_plan_say_so(pinned, staff_sak):
    client = _client(pinned)
    auth = Auth(client)
    page = f"/saker/{staff_sak}/brev"
    form = {"source": "annen", "raised_by": "", "channel": "utviklingssamtale", "concern_on": "2026-11-24",
            "receiver": "Kari Lærer (kontaktlærer)", "received_on": "2026-11-24", "letter_on": "2026-11-27"}
    response = auth.post(f"{page}/opplysninger", form, page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Skriv hvem som meldte bekymringen." in html
    assert 'value="Kari Lærer (kontaktlærer)"' in html  # what was typed is kept
    response = auth.post(f"{page}/opplysninger", {**form, "concern_on": "2026-12-01", "raised_by": "helsesykepleier"},
                         page=page)
    assert response.status_code == 422 and "Datoen kan ikke være frem i tid." in response.get_data(as_text=True)
    assert auth.post(f"{page}/opplysninger", {**form, "source": "elev"}, page=page).status_code == 303

    text, _ = _open(client.get(f"/saker/{staff_sak}/brev.docx"))
    assert "Dato: 27.11.2026" in text
    assert "fra elev via utviklingssamtale datert 24.11.2026." in text
    assert ("Vi viser til henvendelse av 24.11.2026 fra elev i utviklingssamtale til Kari Lærer (kontaktlærer) "
            "som") in text
    assert "fra elev via utviklingssamtale datert 24.11.2026." in client.get(page).get_data(as_text=True)
    plan, _ = _open(client.get(f"/saker/{staff_sak}/aktivitetsplan.docx"))
    assert "Dato og type: 24.11.2026, utviklingssamtale" in plan
    assert "Mottaker: Kari Lærer (kontaktlærer), 24.11.2026" in plan
    db = db_of(pinned)
    corrected = one(db, "SELECT detail FROM sak_event WHERE sak_id = ? AND action = 'Brevet rettet'", [staff_sak])
    assert corrected["detail"] == "hvem meldte, kanal, dato for henvendelsen, mottaker, mottatt dato, brevets dato"
