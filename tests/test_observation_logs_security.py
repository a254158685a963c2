"""Systematic observation keeps what staff record to those who should see it: only leaders and
contact teachers plan and organise, nothing older than the plan or about §12-5 flows in, an
observer sees their own records and what an organiser kept, the analysis is never overwritten
unseen, and what goes into a .docx is text Word can hold."""
import io

from docx import Document

from . import data
from .observation_fixtures import app, assign, at, make_plan  # noqa: F401 (app: a fixture)
from .records import correct_record, save_record
from .test_observation_logs_views import HTMX, not_contact_teacher, plan_form, start_log, switch_to

THIRD_STAFF = 7


def add_third_staff(db):
    """Tore: staff at school A, contact teacher of no class."""
    password_hash = db["user"].get(data.STAFF)["password_hash"]
    db["user"].insert({"id": THIRD_STAFF, "username": "ansatt3", "full_name": "Tore Tredje",
                       "password_hash": password_hash, "role": "staff", "created_at": "2026-01-01T00:00:00+00:00"})
    db["membership"].insert({"user_id": THIRD_STAFF, "school_id": data.SCHOOL_A})


def duty(db, moment, facts, author=data.LEADER, pupils=((data.PUPIL_A, "utsatt"),), **fields):
    """A record from duty, saved as the capture screen saves it."""
    return save_record(db, author=author, kind="concern", observed_at=moment, context="friminutt", facts=facts,
                       pupils=pupils, **fields)


def section_12_5(db, moment, facts, concerns_leader):
    """A §12-5 report: labelled "ansatt krenker elev", its melding possibly about a leader.

    One about a leader is then corrected to drop the label: its melding stays about a leader,
    and that alone must keep the record from leaders.
    """
    record = duty(db, moment, facts, author=data.STAFF, labels=["ansatt_krenker_elev"], adult_involved="Vikar",
                  concerns_leader=concerns_leader)
    if concerns_leader:
        correct_record(db, record, now=moment, kind="concern", observed_at=moment, context="friminutt",
                       facts=facts, pupils=[(data.PUPIL_A, "utsatt")])
    return record


# ------------------------------------------------------------------ who plans

def test_staff_who_is_not_a_contact_teacher_cannot_plan_an_observation(client, auth, db):
    add_third_staff(db)
    auth.login("ansatt3")
    assert "Planlegg ny observasjon" not in client.get("/observasjon/").get_data(as_text=True)
    assert client.get("/observasjon/ny").status_code == 403
    assert auth.post("/observasjon/ny", plan_form(), page="/observasjon/").status_code == 403
    assert db["observation_plan"].count == 0


def test_contact_teacher_plans_for_their_own_class_only(client, auth, db):
    auth.login("ansatt")                                     # Kari is 5A's contact teacher
    assert "Planlegg ny observasjon" in client.get("/observasjon/").get_data(as_text=True)
    page = client.get("/observasjon/ny").get_data(as_text=True)
    assert ">5A<" in page and ">6A<" not in page and "Cato Dahle" not in page
    response = auth.post("/observasjon/ny", plan_form(class_id=data.CLASS_A2, pupil_id=0))
    assert response.status_code == 422 and "Velg fra listen." in response.get_data(as_text=True)
    assert auth.post("/observasjon/ny", plan_form()).status_code == 303


# ------------------------------------------------------------------ what flows in

def test_a_plan_reaching_back_opens_no_earlier_records_and_never_section_12_5(client, auth, db):
    duty(db, at(10, 10), "FØR-PLANEN-OM-AKSEL")
    section_12_5(db, at(25, 10), "HEMMELIG-ANSATT-KRENKER", concerns_leader=False)
    auth.login("leder")
    response = auth.post("/observasjon/ny", plan_form(starts_on="2026-10-28", ends_on="2026-11-26"))
    plan_id = int(response.location.split("/")[2])
    section_12_5(db, at(26, 12, 30), "HEMMELIG-OM-REKTOR", concerns_leader=True)
    section_12_5(db, at(26, 12, 40), "HEMMELIG-12-5-ETTERPÅ", concerns_leader=False)
    after = duty(db, at(26, 12, 50), "ETTER-PLANEN-OM-AKSEL")
    client.application.config["NOW"] = at(26, 13).isoformat()
    for url in [f"/observasjon/{plan_id}", f"/observasjon/{plan_id}/utskrift"]:
        page = client.get(url).get_data(as_text=True)
        assert "FØR-PLANEN" not in page and "HEMMELIG" not in page, url
    assert "ETTER-PLANEN-OM-AKSEL" in client.get(f"/observasjon/{plan_id}").get_data(as_text=True)
    auth.post(f"/observasjon/{plan_id}/tilsyn/{after}", {"decision": "kept"})
    document = client.get(f"/observasjon/{plan_id}/observasjon.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(document.data)).paragraphs)
    assert "ETTER-PLANEN-OM-AKSEL" in text and "HEMMELIG" not in text and "FØR-PLANEN" not in text


def test_a_staff_observer_sees_only_their_own_records_and_those_an_organiser_kept(client, auth, db):
    plan_id = make_plan(db)
    assign(db, plan_id, observer=data.STAFF, day="2026-11-25")
    not_contact_teacher(db)
    duty(db, at(25, 10), "KARI-SELV-SÅ-DET", author=data.STAFF)
    by_leader = duty(db, at(25, 11), "RITA-SÅ-DET")
    kept = duty(db, at(25, 12), "RITA-BEHOLDT-DET")
    auth.login("leder")
    assert auth.post(f"/observasjon/{plan_id}/tilsyn/{kept}", {"decision": "kept"}).status_code == 303
    switch_to(auth, "ansatt")
    log_id = start_log(auth, plan_id, assignment_id=db["observation_assignment"].get(1)["id"])
    for url in [f"/observasjon/{plan_id}", f"/observasjon/logg/{log_id}"]:
        page = client.get(url).get_data(as_text=True)
        assert "KARI-SELV-SÅ-DET" in page and "RITA-BEHOLDT-DET" in page, url
        assert "RITA-SÅ-DET" not in page, url
    # nor can she keep, drop or undo what is not hers
    for observation_id in (by_leader, kept):
        assert auth.post(f"/observasjon/{plan_id}/tilsyn/{observation_id}",
                         {"decision": "dropped"}).status_code in (403, 404)
    assert db["observation_log_entry"].get((plan_id, kept))["decision"] == "kept"
    switch_to(auth, "leder")
    assert "RITA-SÅ-DET" in client.get(f"/observasjon/{plan_id}").get_data(as_text=True)


def test_one_audit_line_per_pupil_whose_records_are_shown_or_exported(client, auth, db):
    plan_id = make_plan(db)
    duty(db, at(24, 10), "Om to elever.", pupils=[(data.PUPIL_A, "utsatt"), (data.PUPIL_A2, "utøver")])
    auth.login("leder")
    client.get(f"/observasjon/{plan_id}")
    views = db.execute(
        "SELECT pupil_id FROM audit_log WHERE action = 'view' AND entity = 'observation_plan' "
        "AND entity_id = ? ORDER BY pupil_id", [plan_id]).fetchall()
    assert [row[0] for row in views] == [data.PUPIL_A, data.PUPIL_A2]
    auth.post(f"/observasjon/{plan_id}/tilsyn/1", {"decision": "kept"})
    client.get(f"/observasjon/{plan_id}/observasjon.docx")
    exports = db.execute("SELECT pupil_id FROM audit_log WHERE action = 'export' AND entity_id = ? "
                         "ORDER BY pupil_id", [plan_id]).fetchall()
    assert [row[0] for row in exports] == [data.PUPIL_A, data.PUPIL_A2]


# ------------------------------------------------------------------ Word

def test_docx_export_survives_control_characters_pasted_from_word(client, auth, db):
    plan_id = make_plan(db)
    assign(db, plan_id)
    auth.login("ansatt")
    log_id = start_log(auth, plan_id)
    # typed today: cleaned on the way in
    auth.post(f"/observasjon/logg/{log_id}/seksjon/5", {"seen-5-eleven": "Første linje\x0bandre\x01 linje"},
              headers=HTMX)
    assert db["observation_log_item"].get((log_id, "5-eleven"))["seen"] == "Første linje\nandre linje"
    # stored before the cleaning came in: cleaned on the way out
    db.execute("UPDATE observation_log_item SET comment = 'Gammel\x0btekst\x02' WHERE log_id = ?", [log_id])
    db.execute("UPDATE observation_plan SET analysis = 'Analyse\x0cside to\x1b' WHERE id = ?", [plan_id])
    response = client.get(f"/observasjon/{plan_id}/observasjon.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Første linje\nandre linje" in cells and "Gammel\ntekst" in cells
    assert "Analyse\nside to" in "\n".join(p.text for p in document.paragraphs)


def test_plan_answers_are_cleaned_of_control_characters(client, auth, db):
    auth.login("leder")
    auth.post("/observasjon/ny", plan_form(answer_finne_ut="Om Aksel\x0bblir holdt\x07 utenfor."))
    assert "Om Aksel\\nblir holdt utenfor." in db["observation_plan"].get(1)["answers"]


# ------------------------------------------------------------------ the analysis

def test_only_leaders_and_the_organiser_write_the_analysis(client, auth, db):
    plan_id = make_plan(db)
    assign(db, plan_id)
    not_contact_teacher(db)
    auth.login("ansatt")
    page = client.get(f"/observasjon/{plan_id}").get_data(as_text=True)
    assert 'name="analysis"' not in page
    assert auth.post(f"/observasjon/{plan_id}/analyse", {"analysis": "Min analyse.", "analysis_version": "0"},
                     headers=HTMX).status_code == 403
    assert db["observation_plan"].get(plan_id)["analysis"] == ""
    db.execute("UPDATE school_class SET contact_teacher_id = ? WHERE id = ?", [data.STAFF, data.CLASS_A])
    assert auth.post(f"/observasjon/{plan_id}/analyse", {"analysis": "Kontaktlærerens analyse.",
                                                         "analysis_version": "0"}, headers=HTMX).status_code == 200


def test_analysis_saved_over_newer_text_is_a_conflict_that_loses_nothing(client, auth, db):
    plan_id = make_plan(db)
    auth.login("leder")
    first = auth.post(f"/observasjon/{plan_id}/analyse", {"analysis": "Rita skrev dette.",
                                                          "analysis_version": "0"}, headers=HTMX)
    assert first.status_code == 200 and first.headers["X-Draft-Base"] == "1"
    # a delayed resend of older text, based on version 0
    late = auth.post(f"/observasjon/{plan_id}/analyse", {"analysis": "Gammel tekst.", "analysis_version": "0"},
                     headers=HTMX)
    assert late.status_code == 409
    answer = late.get_data(as_text=True)
    assert "noen andre har lagret analysen" in answer and "Rita skrev dette." in answer
    assert 'name="overwrite_version" value="1"' in answer
    assert db["observation_plan"].get(plan_id)["analysis"] == "Rita skrev dette."
    # the same text again is no conflict
    assert auth.post(f"/observasjon/{plan_id}/analyse", {"analysis": "Rita skrev dette.",
                                                         "analysis_version": "0"}, headers=HTMX).status_code == 200
    # choosing one's own text after seeing the other
    chosen = auth.post(f"/observasjon/{plan_id}/analyse", {"analysis": "Gammel tekst.", "analysis_version": "0",
                                                           "overwrite_version": "1"}, headers=HTMX)
    assert chosen.status_code == 200 and chosen.headers["X-Draft-Base"] == "2"
    assert db["observation_plan"].get(plan_id)["analysis"] == "Gammel tekst."


def test_analysis_conflict_without_javascript_keeps_the_typed_text_on_the_page(client, auth, db):
    plan_id = make_plan(db)
    db.execute("UPDATE observation_plan SET analysis = 'Lagret av andre.', analysis_version = 3 WHERE id = ?",
               [plan_id])
    auth.login("leder")
    response = auth.post(f"/observasjon/{plan_id}/analyse", {"analysis": "Min nye tekst.", "analysis_version": "2"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert ">Min nye tekst.</textarea>" in page and "Lagret av andre." in page
    assert db["observation_plan"].get(plan_id)["analysis"] == "Lagret av andre."
