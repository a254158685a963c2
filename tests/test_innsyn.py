"""Innsyn: a copy of everything recorded about one pupil, other pupils as "Elev A", "Elev B" …; fortrolig adresse."""
import io
import re
from datetime import timedelta

import pytest
from docx import Document

from webapp import clock
from webapp.db import transaction
from webapp.innsyn import rules
from webapp.saker import store as saker

from . import data
from .conftest import csrf_token, login, make_app
from .meldinger import add_melding, add_observation, db_of, form_id

NOW = "2026-11-26T10:00:00+01:00"

# pupil A (Aksel Andersen, 5A) is the subject; Cato Dahle (6A, født 20.01.2014) and Bea Berge (5A,
# født 01.06.2015) are other pupils of the school; Kari Lærer and Rita Rektor are staff
OTHER_PUPILS = ("Cato", "Dahle", "6A", "20.01.2014", "2014-01-20", "Bea", "Berge", "01.06.2015", "2015-06-01")


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path, NOW=NOW)


def docx_text(data_bytes):
    """Every paragraph and table cell of a .docx, one per line."""
    document = Document(io.BytesIO(data_bytes))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def records_about_aksel(app):
    """An incident, a note, a melding and a case with a talk and an aktivitetsplan, naming other pupils."""
    add_observation(app, pupils={data.PUPIL_A: "utsatt", data.PUPIL_A3: "utøver"},
                    facts="Cato Dahle dyttet Aksel ned fra stativet. Catos venn Bea lo.",
                    comment="Kari Lærer grep inn. Cato (6A, født 20.01.2014) var sint.", outcome="solved")
    melding_id = add_melding(app, observation=False, pupils={data.PUPIL_A: "utsatt", data.PUPIL_A2: "tilskuer"},
                             summary="Mor ringte: Bea Berge har sett at Aksel blir holdt utenfor.")
    db = db_of(app)
    now = clock.parse(NOW)
    with transaction(db):
        sak_id = saker.open_sak(db, db["melding"].get(melding_id), data.PUPIL_A, data.LEADER, data.LEADER, now)
        sak = db["sak"].get(sak_id)
        saker.add_talk(db, sak, "utover", data.PUPIL_A3, "2026-11-25T12:00", "Rita Rektor, Cato",
                       "Cato sier at Aksel begynte. Rita Rektor forklarte reglene.", data.LEADER, now)
        saker.save_plan(db, sak, {"background": "Aksel blir dyttet av Cato Dahle i 6A.", "investigations": "",
                                  "perspectives": "", "findings": "", "coordinator_id": data.STAFF},
                        data.LEADER, now)
    db.conn.close()
    return sak_id


def export(app, client, auth, pupil_id=data.PUPIL_A, recipient="foreldre", name="Mor og far Andersen",
           client_id=None):
    """Release a copy through the form, as a leader does; the response."""
    return auth.post(f"/innsyn/elev/{pupil_id}", {"recipient": recipient, "recipient_name": name,
                                                 "client_id": client_id or form_id()},
                     page=f"/innsyn/elev/{pupil_id}")


def released(client, response):
    """The copy a release redirected to: (its id, the text of its .docx)."""
    assert response.status_code == 303, response.get_data(as_text=True)
    export_id = int(re.search(r"/innsyn/(\d+)$", response.headers["Location"]).group(1))
    download = client.get(f"/innsyn/{export_id}.docx")
    assert download.status_code == 200
    assert download.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    return export_id, docx_text(download.data)


# ---------------------------------------------------------------- the rules

def test_aliases_run_from_a_to_z_and_on():
    assert [rules.alias(n) for n in (0, 1, 25, 26, 27)] == ["Elev A", "Elev B", "Elev Z", "Elev AA", "Elev AB"]


def test_redactor_gives_one_alias_per_pupil_and_keeps_staff_and_the_subject():
    subject = {"id": 1, "full_name": "Aksel Andersen", "class_name": "5A"}
    others = [{"id": 2, "full_name": "Per Lie", "class_name": "6A", "birth_date": "2014-01-20"},
              {"id": 3, "full_name": "Ida Moe", "class_name": "5A", "birth_date": None}]
    redactor = rules.Redactor(subject, others, ["Per Hansen"])
    text = redactor.text("Per Lie slo Aksel. Pers lue lå igjen; Per Hansen og ida så det. Aksel og Idas mor.")
    assert text == "Elev A slo Aksel. Elev As lue lå igjen; Per Hansen og Elev B så det. Aksel og Elev Bs mor."
    assert redactor.name(2) == "Elev A" and redactor.name(1) == "Aksel Andersen"
    assert redactor.text("Per i 6A, født 20.1.2014, og 5A.") == "Elev A i [klasse], født [dato], og 5A."
    assert redactor.redactions() == [("Elev A", ["navn", "klasse", "fødselsdato"]), ("Elev B", ["navn"])]


def test_a_first_name_typed_in_lower_case_is_left_out_too_even_where_it_is_also_a_word():
    subject = {"id": 1, "full_name": "Aksel Andersen", "class_name": "5A"}
    redactor = rules.Redactor(subject, [{"id": 2, "full_name": "Liv Lie", "class_name": "5A"}])
    assert redactor.text("liv gråt. Hele livet. LIV LIE") == "Elev A gråt. Hele livet. Elev A"


def test_another_pupils_family_name_on_its_own_is_left_out_but_the_subjects_own_stays():
    subject = {"id": 1, "full_name": "Aksel Andersen", "class_name": "5A"}
    others = [{"id": 2, "full_name": "Cato Dahle", "class_name": "6A"},
              {"id": 3, "full_name": "Bea Andersen", "class_name": "5A"}]
    redactor = rules.Redactor(subject, others, ["Kari Dahle"])
    text = redactor.text("Hilde Dahle ringte. Kari Dahle svarte. Mor Andersen kom.")
    assert text == "Hilde [etternavn] ringte. Kari Dahle svarte. Mor Andersen kom."
    assert redactor.redactions() == [("Elev A", ["navn"])]


def test_a_first_name_several_other_pupils_share_is_left_out_without_guessing_who():
    subject = {"id": 1, "full_name": "Aksel Andersen", "class_name": "5A"}
    others = [{"id": 2, "full_name": "Per Lie", "class_name": "5A"}, {"id": 3, "full_name": "Per Moe",
                                                                       "class_name": "5A"}]
    redactor = rules.Redactor(subject, others)
    assert redactor.text("Per og Per Moe") == "[elev] og Elev A"
    assert redactor.redactions() == [("Elev A", ["navn"]), ("[elev]", ["navn"])]


def test_the_confidential_shield_leaves_out_only_pupils_with_a_fortrolig_adresse():
    subject = {"id": 1, "full_name": "Aksel Andersen", "class_name": "5A"}
    hidden = {"id": 3, "full_name": "Cato Dahle", "class_name": "6A", "birth_date": "2014-01-20"}
    shield = rules.confidential_shield(subject, [hidden, subject])
    assert shield.text("Cato Dahle i 6A og Bea dyttet Aksel.") == "en medelev i [klasse] og Bea dyttet Aksel."


# ---------------------------------------------------------------- the copy

def test_a_copy_for_pupil_a_holds_no_name_class_or_birth_date_of_other_pupils(app, client, auth):
    records_about_aksel(app)
    auth.login("leder")
    _, text = released(client, export(app, client, auth))
    for detail in OTHER_PUPILS:
        assert detail not in text, detail
    # staff names stay; the pupil's own name, class and birth date are there
    for kept in ("Kari Lærer", "Rita Rektor", "Aksel Andersen", "klasse 5A", "født 04.03.2015", "Testbakken skole"):
        assert kept in text, kept
    assert "Cato Dahle dyttet" not in text and "Elev A dyttet Aksel ned fra stativet. Elev As venn Elev B lo." in text
    assert "Referat: Elev A sier at Aksel begynte. Rita Rektor forklarte reglene." in text
    assert "Aksel blir dyttet av Elev A i [klasse]." in text  # the aktivitetsplan's background


def test_the_same_other_pupil_has_the_same_alias_throughout_and_the_list_names_no_one(app, client, auth):
    records_about_aksel(app)
    auth.login("leder")
    _, text = released(client, export(app, client, auth))
    # Cato is met first (the incident's other pupil), Bea second: the same aliases in every record
    assert "Andre elever: Elev A (utøver)" in text
    assert "Andre elever: Elev B (tilskuer)" in text
    assert "Samtale med eleven som krenker/mobber (Elev A)" in text
    assert set(re.findall(r"Elev [A-Z]+\b", text)) == {"Elev A", "Elev B"}
    ending = text[text.index("Dette er tatt ut av kopien"):]
    assert "Elev A: navn, klasse, fødselsdato" in ending and "Elev B: navn" in ending
    assert "Utlevert til Mor og far Andersen (foreldre/foresatte) 26.11.2026 kl. 10:00 av Rita Rektor." in ending


def test_a_copy_is_audited_kept_and_listed_for_leaders(app, client, auth, db):
    records_about_aksel(app)
    auth.login("leder")
    export_id, _ = released(client, export(app, client, auth, recipient="eleven", name="Aksel Andersen"))
    row = db["innsyn_export"].get(export_id)
    assert (row["pupil_id"], row["exported_by"], row["recipient"], row["redacted"]) == (
        data.PUPIL_A, data.LEADER, "eleven", 2)
    assert '"observasjoner": 1' in row["counts"] and '"saker": 1' in row["counts"]
    lines = list(db.query("SELECT action, entity, entity_id, pupil_id, detail FROM audit_log "
                          "WHERE entity = 'innsyn' AND action = 'export' ORDER BY id"))
    assert lines[0]["entity_id"] == export_id and lines[0]["pupil_id"] == data.PUPIL_A
    assert "Aksel" not in lines[0]["detail"]  # ids and counts in the audit trail, never names
    assert lines[1]["detail"] == "lastet ned"
    listing = client.get("/innsyn/").get_data(as_text=True)
    assert "Aksel Andersen" in listing and "Rita Rektor" in listing and "(eleven selv)" in listing
    shown = client.get(f"/innsyn/{export_id}").get_data(as_text=True)
    assert "Observasjoner og hendelser" in shown and "Last ned kopien (.docx)" in shown


def test_a_double_tap_releases_one_copy(app, client, auth, db):
    auth.login("leder")
    same = form_id()
    first = export(app, client, auth, client_id=same)
    second = export(app, client, auth, client_id=same)
    assert first.headers["Location"] == second.headers["Location"]
    assert db.execute("SELECT count(*) FROM innsyn_export").fetchone()[0] == 1


def test_a_copy_without_a_recipient_name_says_so_and_keeps_the_choice(app, client, auth, db):
    auth.login("leder")
    response = export(app, client, auth, recipient="eleven", name="  ")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Skriv navnet på den som får kopien." in html and 'value="eleven" checked' in html
    assert db.execute("SELECT count(*) FROM innsyn_export").fetchone()[0] == 0


def test_a_leader_of_another_school_gets_404_for_the_pupil_and_the_copy(app, client, auth):
    auth.login("leder")
    export_id, _ = released(client, export(app, client, auth))
    other, other_auth = login(app, "leder2")
    for url in (f"/innsyn/elev/{data.PUPIL_A}", f"/innsyn/{export_id}", f"/innsyn/{export_id}.docx"):
        assert other.get(url).status_code == 404, url
    token = csrf_token(other, "/")
    assert other.post(f"/innsyn/elev/{data.PUPIL_A}", data={"csrf_token": token, "recipient": "eleven",
                                                           "recipient_name": "X", "client_id": form_id()}
                      ).status_code == 404
    assert other.post(f"/innsyn/elev/{data.PUPIL_A}/fortrolig", data={"csrf_token": token, "fortrolig": "1"}
                      ).status_code == 404
    assert "Aksel" not in other.get("/innsyn/").get_data(as_text=True)


def test_a_record_only_owners_may_see_is_not_in_a_leaders_copy(app, client, auth):
    add_melding(app, observation=False, section_12_5=True, concerns_leader=True,
                summary="Rektor lugget eleven.", pupils={data.PUPIL_A: "utsatt"})
    auth.login("leder")
    _, text = released(client, export(app, client, auth))
    assert "lugget" not in text


# ---------------------------------------------------------------- fortrolig adresse

def mark_confidential(client, auth, pupil_id=data.PUPIL_A3):
    """A leader marks a pupil as having a fortrolig adresse."""
    response = auth.post(f"/innsyn/elev/{pupil_id}/fortrolig", {"fortrolig": "1"}, page=f"/innsyn/elev/{pupil_id}")
    assert response.status_code == 303


def test_a_leader_marks_a_fortrolig_adresse_and_staff_see_the_warning(app, client, auth, db):
    sak_id = records_about_aksel(app)
    auth.login("leder")
    assert "Fortrolig adresse</span>" not in client.get(f"/meldinger/elever/{data.PUPIL_A}").get_data(as_text=True)
    mark_confidential(client, auth, data.PUPIL_A)
    assert db["pupil"].get(data.PUPIL_A)["confidential_address"] == 1
    for url in (f"/meldinger/elever/{data.PUPIL_A}", f"/skole/elever/{data.PUPIL_A}", f"/saker/{sak_id}",
                f"/saker/{sak_id}/aktivitetsplan", f"/innsyn/elev/{data.PUPIL_A}"):
        assert "Fortrolig adresse</span>" in client.get(url).get_data(as_text=True), url
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'update' AND entity = 'pupil' "
                      "AND pupil_id = ? AND detail = 'fortrolig adresse: ja'", [data.PUPIL_A]).fetchone()[0] == 1
    auth.post(f"/innsyn/elev/{data.PUPIL_A}/fortrolig", {"fortrolig": "0"}, page=f"/innsyn/elev/{data.PUPIL_A}")
    assert db["pupil"].get(data.PUPIL_A)["confidential_address"] == 0


def test_a_fortrolig_pupil_is_left_out_of_the_letter_and_plan_to_another_pupils_parents(app, client, auth):
    sak_id = records_about_aksel(app)
    db = db_of(app)
    with transaction(db):
        db.execute("UPDATE sak SET start_meeting_participants = 'foresatte, rektor og Cato Dahles kontaktlærer' "
                   "WHERE id = ?", [sak_id])
    db.conn.close()
    auth.login("leder")
    before = docx_text(client.get(f"/saker/{sak_id}/aktivitetsplan.docx").data)
    assert "Aksel blir dyttet av Cato Dahle i 6A." in before  # without the mark the plan is as written
    mark_confidential(client, auth)
    plan = docx_text(client.get(f"/saker/{sak_id}/aktivitetsplan.docx").data)
    letter = docx_text(client.get(f"/saker/{sak_id}/brev.docx").data)
    page = client.get(f"/saker/{sak_id}/aktivitetsplan/utskrift").get_data(as_text=True)
    printed = page[page.index('<main id="main"'):page.index("</main>")]  # the page's CSRF token is random text
    for document in (plan, letter, printed):
        assert "Cato" not in document and "Dahle" not in document and "6A" not in document
    assert "Aksel blir dyttet av en medelev i [klasse]." in plan
    assert "rektor og en medelevs kontaktlærer" in letter
    assert "Aksel Andersen" in plan and "Aksel Andersen" in letter  # the case's own pupil stays
    assert "I dokumentet står «en medelev» i stedet" in printed
    assert "I dokumentet står «en medelev» i stedet" in client.get(f"/saker/{sak_id}/brev").get_data(as_text=True)


def test_a_copy_about_a_fortrolig_pupil_names_neither_their_school_nor_class(app, client, auth):
    add_observation(app, pupils={data.PUPIL_A3: "utsatt"}, facts="Cato satt alene på Testbakken skole, 6A.",
                    ago=timedelta(hours=2))
    auth.login("leder")
    mark_confidential(client, auth)
    _, text = released(client, export(app, client, auth, pupil_id=data.PUPIL_A3, name="Far Dahle"))
    assert "Testbakken" not in text and "6A" not in text
    assert "Skole og klasse er ikke med i kopien fordi eleven har fortrolig adresse." in text
    assert "Cato satt alene på [skolen], [klasse]." in text and "Cato Dahle, født 20.01.2014" in text


def test_a_fortrolig_pupil_in_another_pupils_copy_is_an_alias_like_any_other(app, client, auth):
    records_about_aksel(app)
    auth.login("leder")
    mark_confidential(client, auth)
    _, text = released(client, export(app, client, auth))
    for detail in OTHER_PUPILS:
        assert detail not in text, detail
    assert "en medelev" not in text and "Elev A dyttet Aksel" in text


def test_a_corrected_observation_shows_what_it_said_before_with_other_pupils_left_out(app, client, auth):
    from .records import correct_record

    observation_id = add_observation(app, pupils={data.PUPIL_A: "utsatt"}, facts="Cato Dahle tok lua.",
                                     ago=timedelta(minutes=10))
    db = db_of(app)
    with transaction(db):
        correct_record(db, observation_id, now=clock.parse(NOW), kind="concern",
                       observed_at=clock.parse(NOW) - timedelta(minutes=10), context="friminutt",
                       pupils={data.PUPIL_A: "utsatt"}, facts="En elev tok lua.")
    db.conn.close()
    auth.login("leder")
    _, text = released(client, export(app, client, auth))
    assert "Hva så du? En elev tok lua." in text and "Hva så du? Elev A tok lua." in text
    assert "Versjon 1, rettet 26.11.2026 kl. 10:00 av Kari Lærer:" in text and "Cato" not in text
