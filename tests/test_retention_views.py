"""The retention page, the owner's setting, a closed sak's archive export and mark, and the clean slate in lists."""
import io
import re
import xml.etree.ElementTree as ElementTree
import zipfile
import zlib
from datetime import datetime, timedelta

import pytest
from docx import Document

from webapp import clock
from webapp.db import scalar, transaction
from webapp.retention import documents
from webapp.saker import store as saker

from . import data
from .meldinger import add_melding, db_of
from .records import save_record

NS = {"n": documents.NOARK}


@pytest.fixture
def sak(app):
    """An open case with a talk, an aktivitetsplan with a tiltak, and its letter."""
    melding_id = add_melding(app, observation=False, summary="Mor ringte om dytting.")
    db = db_of(app)
    now = clock.now()
    with transaction(db):
        sak_id = saker.open_sak(db, db["melding"].get(melding_id), data.PUPIL_A, data.LEADER, data.LEADER, now)
        sak = db["sak"].get(sak_id)
        saker.add_talk(db, sak, "utsatt", data.PUPIL_A, "2026-11-02T10:00", "rektor", "Eleven fortalte.",
                       data.LEADER, now)
        saker.save_plan(db, sak, {"background": "Mor meldte fra.", "investigations": "Samtaler.",
                                  "perspectives": "Eleven ble hørt.", "findings": "Utsatt.",
                                  "coordinator_id": data.STAFF}, data.LEADER, now)
        saker.save_tiltak(db, sak, {
            "level": "individ", "name": "Trygg voksen i storefri", "description": "", "justification": "",
            "participation": "", "start_on": "2026-11-09", "responsible": "Kari Lærer",
            "evaluation_on": "2026-12-14", "evaluation_participants": "", "conclusion": ""}, data.LEADER, now)
        plan_id = db["observation_plan"].insert({
            "school_id": data.SCHOOL_A, "class_id": data.CLASS_A, "pupil_id": data.PUPIL_A,
            "starts_on": "2026-11-02", "ends_on": "2026-11-13", "answers": '{"hva": "Hvem leker Aksel med?"}',
            "created_by": data.LEADER, "created_at": clock.utc_iso_now(), "updated_at": clock.utc_iso_now()}).last_pk
        plan = next(p for p in saker.observation_plans_for(db, sak) if p["id"] == plan_id)
        saker.attach_observation_plan(db, sak, plan, data.LEADER, now)
    db.conn.close()
    return sak_id


def _close(app, sak_id):
    db = db_of(app)
    with transaction(db):
        saker.close_sak(db, db["sak"].get(sak_id), "Eleven har det trygt.", clock.today().isoformat(),
                        data.LEADER, clock.now())
    db.conn.close()


def _xmp(pdf):
    """The PDF's XMP metadata packet (its stream decompressed)."""
    for match in re.finditer(rb"<<([^>]*?/Type /Metadata[^>]*?)>>\s*stream\r?\n", pdf):
        start = match.end()
        raw = pdf[start:pdf.index(b"endstream", start)]
        return zlib.decompress(raw) if b"FlateDecode" in match.group(1) else raw
    return b""


def test_the_archive_export_of_a_closed_sak_holds_every_document_and_its_metadata(app, client, auth, sak):
    _close(app, sak)
    auth.login("leder")
    response = client.get(f"/oppbevaring/sak/{sak}/arkivuttrekk.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    root = ElementTree.fromstring(archive.read("arkivuttrekk.xml"))
    mappe = root.find("n:arkivdel/n:mappe", NS)
    assert mappe.get(f"{{{documents.XSI}}}type") == "saksmappe"
    assert mappe.findtext("n:mappeID", namespaces=NS) == f"sak-{sak}"
    assert root.findtext("n:arkivdel/n:kassasjon", namespaces=NS) == "Bevares"
    titles = [r.findtext("n:tittel", namespaces=NS) for r in mappe.findall("n:registrering", NS)]
    assert titles == [f"Sak nr. {sak} – hele saken", "Melding om mottatt bekymring (Vedlegg 10)",
                      "Aktivitetsplan med barnets beste (Vedlegg 12 og 13)",
                      "Systematisk observasjon (Vedlegg 8), 2026-11-02"]
    objects = mappe.findall("n:registrering/n:dokumentbeskrivelse/n:dokumentobjekt", NS)
    described = {o.findtext("n:referanseDokumentfil", namespaces=NS): o for o in objects}
    # every file in the zip is described, with the right checksum and size, and nothing else is
    assert set(described) == set(archive.namelist()) - {"arkivuttrekk.xml"}
    assert len(described) == 8
    for path, objekt in described.items():
        content = archive.read(path)
        assert objekt.findtext("n:sjekksum", namespaces=NS) == documents.sha256(content)
        assert objekt.findtext("n:sjekksumAlgoritme", namespaces=NS) == "SHA256"
        assert int(objekt.findtext("n:filstoerrelse", namespaces=NS)) == len(content)
        assert objekt.findtext("n:filnavn", namespaces=NS) == path.rsplit("/", 1)[1]
        if path.endswith(".pdf"):
            assert content.startswith(b"%PDF-")
            xmp = _xmp(content)
            assert b'pdfaid:part="2"' in xmp and b'pdfaid:conformance="B"' in xmp
            assert objekt.findtext("n:variantformat", namespaces=NS) == "Arkivformat"
        else:
            assert objekt.findtext("n:variantformat", namespaces=NS) == "Produksjonsformat"
            assert "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs).strip()
    whole = next(p for p in described if p.endswith(f"sak-{sak}.docx"))
    assert "Aksel Andersen" in "\n".join(p.text for p in Document(io.BytesIO(archive.read(whole))).paragraphs)
    plan = next(p for p in described if "aktivitetsplan" in p and p.endswith(".docx"))
    plan_text = "\n".join(p.text for p in Document(io.BytesIO(archive.read(plan))).paragraphs)
    assert "Mor meldte fra." in plan_text
    db = db_of(app)
    assert scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'export' AND entity = 'sak' "
                      "AND entity_id = ? AND detail = 'arkivuttrekk'", [sak]) == 1
    db.conn.close()


def test_marking_a_closed_sak_archived_is_audited_and_keeps_the_sak(app, client, auth, sak):
    _close(app, sak)
    auth.login("leder")
    page = client.get(f"/oppbevaring/sak/{sak}").get_data(as_text=True)
    assert "Marker som arkivert" in page and "arkivuttrekk.zip" in page
    response = auth.post(f"/oppbevaring/sak/{sak}/arkiver", page=f"/oppbevaring/sak/{sak}")
    assert response.status_code == 303
    db = db_of(app)
    row = db["sak"].get(sak)
    assert row["archived_at"] and row["archived_by"] == data.LEADER
    assert scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'update' AND entity = 'sak' "
                      "AND entity_id = ? AND detail = 'arkivert'", [sak]) == 1
    assert scalar(db, "SELECT count(*) FROM sak_event WHERE sak_id = ? AND action = 'Sak arkivert'", [sak]) == 1
    db.conn.close()
    assert "Arkivert" in client.get(f"/oppbevaring/sak/{sak}").get_data(as_text=True)
    again = auth.post(f"/oppbevaring/sak/{sak}/arkiver", page=f"/oppbevaring/sak/{sak}")
    assert again.status_code == 409


def test_an_open_sak_cannot_be_archived_or_exported(app, client, auth, sak):
    auth.login("leder")
    response = auth.post(f"/oppbevaring/sak/{sak}/arkiver", page=f"/oppbevaring/sak/{sak}")
    assert response.status_code == 409
    assert "ikke avsluttet" in response.get_data(as_text=True)
    assert client.get(f"/oppbevaring/sak/{sak}/arkivuttrekk.zip").status_code == 409
    db = db_of(app)
    assert db["sak"].get(sak)["archived_at"] is None
    assert not scalar(db, "SELECT count(*) FROM audit_log WHERE detail = 'arkivert'")
    db.conn.close()


def test_another_schools_leader_cannot_reach_the_sak_archive(app, client, auth, sak):
    _close(app, sak)
    auth.login("leder2")
    assert client.get(f"/oppbevaring/sak/{sak}").status_code == 404
    assert client.get(f"/oppbevaring/sak/{sak}/arkivuttrekk.zip").status_code == 404
    assert auth.post(f"/oppbevaring/sak/{sak}/arkiver", page="/").status_code == 404


def test_leaders_read_the_rules_and_owners_set_the_months(app, client, auth):
    auth.login("leder")
    page = client.get("/oppbevaring/").get_data(as_text=True)
    assert "Bevares for alltid" in page and "12 måneder" in page and "Lagre" not in page
    assert auth.post("/oppbevaring/", {"solved_note_months": "6"}, page="/oppbevaring/").status_code == 403
    auth.logout()
    auth.login("skoleeier")
    bad = auth.post("/oppbevaring/", {"solved_note_months": "0"}, page="/oppbevaring/")
    assert bad.status_code == 422 and 'value="0"' in bad.get_data(as_text=True)
    assert auth.post("/oppbevaring/", {"solved_note_months": "18"}, page="/oppbevaring/").status_code == 303
    assert "18 måneder" in client.get("/oppbevaring/").get_data(as_text=True)
    auth.logout()
    auth.login("leder")
    assert "18 måneder" in client.get("/oppbevaring/").get_data(as_text=True)


# ---------------------------------------------------------------- clean slate


def test_lists_and_the_chronology_show_this_and_last_school_year_unless_older_is_asked_for(app, client, auth):
    start = datetime.combine(clock.today().replace(month=8, day=1), datetime.min.time(), tzinfo=clock.OSLO)
    if clock.today() < start.date():
        start = start.replace(year=start.year - 1)
    old, recent = start.replace(year=start.year - 1) - timedelta(days=3), start - timedelta(days=30)
    db = db_of(app)
    with transaction(db):
        for when, facts in ((old, "Gammel hendelse i skolegården."), (recent, "Nyere hendelse i skolegården.")):
            save_record(db, kind="concern", observed_at=when, context="friminutt", outcome="solved", intervened=1,
                        pupils={data.PUPIL_A: "utsatt"}, facts=facts, recorded=when)
    db.conn.close()
    auth.login("leder")
    for url in ("/meldinger/", f"/meldinger/elever/{data.PUPIL_A}"):
        page = client.get(url).get_data(as_text=True)
        assert "Nyere hendelse" in page and "Gammel hendelse" not in page, url
        assert "Vis eldre" in page
        older = client.get(url + "?eldre=1").get_data(as_text=True)
        assert "Nyere hendelse" in older and "Gammel hendelse" in older, url
        assert "Vis eldre" not in older
