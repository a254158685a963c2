"""Saker through the test client: opening one, its phases, talks, escalation, the aktivitetsplan, closing, history."""

import pytest

from webapp import clock
from webapp.db import one, transaction

from . import data
from .meldinger import add_melding, db_of, form_id, records  # noqa: F401 (records: a fixture)


def test_opening_a_sak_starts_the_investigation_with_due_tasks(app, auth, client, records):
    auth.login("leder")
    response = auth.post(f"/meldinger/{records['melding']}/sak",
                         {"pupil_id": data.PUPIL_A, "owner_id": data.LEADER})
    assert response.status_code == 303
    sak_id = int(response.headers["Location"].rsplit("/", 1)[1])
    db = db_of(app)
    sak = db["sak"].get(sak_id)
    assert sak["phase"] == "undersokelse" and sak["pupil_id"] == data.PUPIL_A
    assert db["melding"].get(records["melding"])["status"] == "sak"
    tasks = {t["task_key"]: t for t in db.query("SELECT * FROM sak_task WHERE sak_id = ?", [sak_id])}
    assert tasks["bekymring_referat"]["done_at"]
    assert tasks["samtale_utsatt"]["due_on"] == clock.today().isoformat()
    history = [e["action"] for e in db.query("SELECT action FROM sak_event WHERE sak_id = ?", [sak_id])]
    assert history[0] == "Sak opprettet"
    # a pupil not in the melding cannot be chosen
    other = add_melding(app)
    assert auth.post(f"/meldinger/{other}/sak", {"pupil_id": data.PUPIL_B}).status_code == 404


def test_case_moves_through_phases_and_every_change_is_in_its_history(app, auth, client, records):
    db = db_of(app)
    with transaction(db):  # a second leader at the school, to hand a task to
        db["user"].insert({"id": 50, "username": "avd", "full_name": "Anne Avdeling", "role": "leader",
                           "created_at": clock.utc_iso_now()})
        db["membership"].insert({"user_id": 50, "school_id": data.SCHOOL_A})
    auth.login("leder")
    sak = records["sak"]
    moved = {"phase": "utforme_tiltak", "confirm": "1", "reason": "Undersøkelsen er ferdig."}
    assert auth.post(f"/saker/{sak}/fase", moved).status_code == 303
    assert auth.post(f"/saker/{sak}/fase", {**moved, "phase": "iverksette_tiltak"}).status_code == 303
    row = db["sak"].get(sak)
    # no tiltak has a start date yet: the measures have not started and the six weeks do not run
    assert row["phase"] == "iverksette_tiltak" and row["measures_started_on"] is None
    evaluation = one(db, "SELECT * FROM sak_task WHERE sak_id = ? AND task_key = 'evalueringsmote'", [sak])
    assert evaluation["due_on"] is None
    task = one(db, "SELECT * FROM sak_task WHERE sak_id = ? AND task_key = 'undersoke'", [sak])
    assert auth.post(f"/saker/{sak}/oppgaver/{task['id']}", {"done": "1"}).status_code == 303
    assert auth.post(f"/saker/{sak}/oppgaver/{task['id']}",
                     {"owner_id": 50, "due_on": "2026-12-24"}).status_code == 303
    task = db["sak_task"].get(task["id"])
    assert task["done_at"] and task["owner_id"] == 50 and task["due_on"] == "2026-12-24"
    actions = [e["action"] for e in db.query("SELECT action FROM sak_event WHERE sak_id = ? ORDER BY id", [sak])]
    assert actions[-7:] == ["Gikk videre med åpne oppgaver", "Fase", "Gikk videre med åpne oppgaver", "Fase",
                            "Oppgave utført", "Oppgave fikk ansvarlig", "Frist endret"]
    # a stale form (the phase already moved) changes nothing
    auth.post(f"/saker/{sak}/fase", moved)
    assert db["sak"].get(sak)["phase"] == "iverksette_tiltak"


def test_talk_with_referat_completes_its_routine_task(app, auth, client, records):
    auth.login("leder")
    sak = records["sak"]
    response = auth.post(f"/saker/{sak}/samtaler/ny", {"kind": "utsatt", "pupil_id": data.PUPIL_A,
                                                       "held_at": "2026-11-26T10:00", "referat": ""})
    assert response.status_code == 422 and "Skriv et referat" in response.get_data(as_text=True)
    response = auth.post(f"/saker/{sak}/samtaler/ny", {"kind": "utsatt", "pupil_id": data.PUPIL_A,
                                                       "held_at": "2026-11-26T10:00", "participants": "rektor",
                                                       "referat": "Eleven fortalte om dytting.",
                                                       "client_id": form_id()})
    assert response.status_code == 303
    db = db_of(app)
    assert one(db, "SELECT done_at FROM sak_task WHERE sak_id = ? AND task_key = 'samtale_utsatt'", [sak])["done_at"]
    assert "Eleven fortalte om dytting." in client.get(f"/saker/{sak}").get_data(as_text=True)
    talk_page = client.get(f"/saker/{sak}/samtaler/ny").get_data(as_text=True)
    assert "Start med å si at du vet om krenking/mobbing" in talk_page


def test_escalation_needs_avvik_and_the_owner_then_sees_the_case(app, auth, client, records):
    auth.login("leder")
    sak = records["sak"]
    auth.post(f"/saker/{sak}/eskaler", {"note": "Alvorlig"})
    assert db_of(app)["sak"].get(sak)["escalated_at"] is None
    assert auth.post(f"/saker/{sak}/eskaler", {"avvik_filed": "y", "note": "Alvorlig"}).status_code == 303
    row = db_of(app)["sak"].get(sak)
    assert row["escalated_at"] and row["avvik_filed"] == 1
    auth.logout()
    auth.login("skoleeier")
    assert client.get(f"/saker/{sak}").status_code == 200
    assert auth.post(f"/saker/{sak}/eskaler", {"avvik_filed": "y"}).status_code == 403


def test_aktivitetsplan_with_measures_and_barnets_beste(app, auth, client, records):
    auth.login("leder")
    sak = records["sak"]
    assert auth.post(f"/saker/{sak}/aktivitetsplan", {
        "background": "Mor ringte.", "investigations": "Samtaler og observasjon.", "perspectives": "Hørt.",
        "findings": "Utsatt over tid.", "coordinator_id": data.STAFF}).status_code == 303
    measure = {"level": "individ", "name": "Trygg voksen", "description": "Fast voksen i storefri.",
               "justification": "Skjer i storefri.", "participation": "Eleven valgte.",
               "start_on": "2026-11-02", "responsible": "Kari Lærer", "evaluation_on": "2026-12-20",
               "evaluation_participants": "eleven, foresatte", "conclusion": ""}
    response = auth.post(f"/saker/{sak}/tiltak/ny", {**measure, "client_id": form_id()})
    assert response.status_code == 422 and "senest seks uker" in response.get_data(as_text=True)
    assert auth.post(f"/saker/{sak}/tiltak/ny", {**measure, "evaluation_on": "2026-12-10",
                                                 "client_id": form_id()}).status_code == 303
    assert auth.post(f"/saker/{sak}/tiltak/ny", {**measure, "level": "system", "name": "Organisert lek",
                                                 "evaluation_on": "2026-12-01",
                                                 "client_id": form_id()}).status_code == 303
    form = {"synspunkter-information": "Vil ha en voksen å gå til.", "synspunkter-weighting": "Veier tyngst."}
    assert auth.post(f"/saker/{sak}/barnets-beste", form).status_code == 303
    db = db_of(app)
    assert db["aktivitetsplan"].get(sak)["coordinator_id"] == data.STAFF
    levels = [t["level"] for t in db.query("SELECT level FROM tiltak WHERE sak_id = ? ORDER BY id", [sak])]
    assert levels == ["individ", "system"]
    assert one(db, "SELECT information FROM barnets_beste WHERE sak_id = ? AND heading = 'synspunkter'",
               [sak])["information"] == "Vil ha en voksen å gå til."
    tiltak_id = one(db, "SELECT id FROM tiltak WHERE sak_id = ? AND level = 'individ'", [sak])["id"]
    assert auth.post(f"/saker/{sak}/tiltak/{tiltak_id}", {**measure, "evaluation_on": "2026-12-10",
                                                          "conclusion": "Fortsetter."}).status_code == 303
    actions = [e["detail"] for e in db.query(
        "SELECT detail FROM sak_event WHERE sak_id = ? AND action = 'Tiltak endret'", [sak])]
    assert actions == ["Trygg voksen: konklusjon"]
    # a coordinator from another school is refused
    assert auth.post(f"/saker/{sak}/aktivitetsplan", {"coordinator_id": data.STAFF_B}).status_code in (404, 422)


def test_case_with_a_plan_closes_only_when_the_pupil_says_they_are_safe(app, auth, client, records):
    auth.login("leder")
    sak = records["sak"]
    measure = {"level": "individ", "name": "Trygg voksen", "start_on": clock.today().isoformat(),
               "responsible": "Kari Lærer", "evaluation_on": clock.today().isoformat()}
    assert auth.post(f"/saker/{sak}/tiltak/ny", {**measure, "client_id": form_id()}).status_code == 303
    response = auth.post(f"/saker/{sak}/lukk", {"reason": "Atferden har opphørt."})
    assert response.status_code == 422 and "trygt og godt" in response.get_data(as_text=True)
    assert auth.post(f"/saker/{sak}/lukk", {"reason": "Atferden har opphørt.",
                                            "pupil_says_safe": "y"}).status_code == 303
    row = db_of(app)["sak"].get(sak)
    assert row["phase"] == "avsluttet" and row["pupil_says_safe_on"] == clock.today().isoformat()
    # closed cases are kept as they are
    auth.post(f"/saker/{sak}/tiltak/ny", {**measure, "name": "Etterpå", "client_id": form_id()})
    assert db_of(app).execute("SELECT count(*) FROM tiltak WHERE sak_id = ?", [sak]).fetchone()[0] == 1


def test_case_history_cannot_be_changed_or_deleted(app, records):
    db = db_of(app)
    import sqlite3
    with pytest.raises(sqlite3.DatabaseError):
        db.execute("DELETE FROM sak_event WHERE sak_id = ?", [records["sak"]])
    with pytest.raises(sqlite3.DatabaseError):
        db.execute("UPDATE sak_event SET detail = 'x' WHERE sak_id = ?", [records["sak"]])


def test_overdue_tasks_show_on_the_leaders_home_screen(app, auth, client, records):
    db = db_of(app)
    with transaction(db):
        db.execute("UPDATE sak_task SET due_on = '2020-01-01' WHERE sak_id = ? AND task_key = 'undersoke'",
                   [records["sak"]])
    auth.login("leder")
    html = client.get("/").get_data(as_text=True)
    assert "Oppgaver over fristen" in html and "Rektor undersøker saken" in html


def test_a_new_melding_is_added_to_the_pupils_open_case(app, auth, client, records):
    auth.login("leder")
    html = client.get(f"/meldinger/{records['melding']}").get_data(as_text=True)
    assert f"Sak nr. {records['sak']}: Aksel Andersen" in html
    assert auth.post(f"/meldinger/{records['melding']}/legg-til-sak", {"sak_id": records["sak_b"]}).status_code == 404
    response = auth.post(f"/meldinger/{records['melding']}/legg-til-sak", {"sak_id": records["sak"]})
    assert response.status_code == 303
    db = db_of(app)
    assert db["melding"].get(records["melding"])["status"] == "sak"
    assert one(db, "SELECT 1 FROM sak_melding WHERE sak_id = ? AND melding_id = ?",
               [records["sak"], records["melding"]])
    assert "Melding lagt til" in client.get(f"/saker/{records['sak']}").get_data(as_text=True)


def test_leaders_home_screen_lists_the_first_overdue_tasks_and_counts_the_rest(app, auth, client, records):
    from webapp.feed import views as panels

    db = db_of(app)
    with transaction(db):
        db.execute("UPDATE sak_task SET due_on = '2020-01-01', done_at = NULL WHERE sak_id = ?", [records["sak"]])
    overdue = db.execute("SELECT count(*) FROM sak_task WHERE sak_id = ?", [records["sak"]]).fetchone()[0]
    assert overdue > panels.HOME_LIST  # the routine gives a case more tasks than the home screen lists
    auth.login("leder")
    html = client.get("/").get_data(as_text=True)
    section = html.split("Oppgaver over fristen")[1].split("</section>")[0]
    assert section.count("<li>") == panels.HOME_LIST
    assert f"({overdue - panels.HOME_LIST} oppgaver til over fristen)" in section
