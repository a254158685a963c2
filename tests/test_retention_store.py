"""`flask retention run` with a frozen clock: it deletes exactly the notes "løst der og da" that are due,
nothing that belongs to a sak, audits each deletion with ids only, and a dry run deletes nothing."""
from datetime import datetime

import pytest

from webapp import clock
from webapp.capture import rules as capture_rules
from webapp.capture import store as capture
from webapp.db import connect, scalar, transaction
from webapp.retention import store
from webapp.saker import store as saker

from . import data
from .conftest import make_app
from .records import correct_record, save_record

NOW = "2026-08-05T09:00:00+02:00"  # school year 2024/25 has waited 12 months; 2025/26 has not


def _solved(db, when, pupils=None, facts="Uenighet om ballen, løst på stedet."):
    return save_record(db, kind="concern", observed_at=when, context="friminutt", outcome="solved",
                       pupils=pupils or {data.PUPIL_A: "utsatt", data.PUPIL_A2: "utøver"}, facts=facts,
                       intervened=1, labels=["konflikt"])


@pytest.fixture
def school(tmp_path):
    """Notes at both schools: old and new, one made a melding in a sak, one kept in a systematic observation."""
    app = make_app(tmp_path, NOW=NOW)
    db = connect(app.config["DATABASE"])
    old = datetime(2025, 3, 10, 10, 0, tzinfo=clock.OSLO)
    ids = {}
    with app.app_context(), transaction(db):
        ids["old"] = _solved(db, old)
        correct_record(db, ids["old"], now=old, kind="concern", observed_at=old, context="friminutt",
                       outcome="solved", pupils={data.PUPIL_A: "utsatt", data.PUPIL_A2: "utøver"},
                       facts="Uenighet om ballen, løst.", intervened=1, labels=["konflikt"])
        ids["old_at_b"] = _solved(db, old, pupils={data.PUPIL_B: "utsatt"})
        db.execute("UPDATE observation SET school_id = ? WHERE id = ?", [data.SCHOOL_B, ids["old_at_b"]])
        ids["last_day"] = _solved(db, datetime(2025, 7, 31, 20, 0, tzinfo=clock.OSLO))
        ids["new"] = _solved(db, datetime(2025, 8, 1, 8, 30, tzinfo=clock.OSLO))
        ids["in_sak"] = _solved(db, old)
        observation = db["observation"].get(ids["in_sak"])
        record = capture_rules.record_from_row(observation, capture.observation_pupils(db, ids["in_sak"]))
        melding_id, _ = capture.create_melding(db, ids["in_sak"], data.SCHOOL_A, data.author(db, data.STAFF),
                                               record, old)
        ids["sak"] = saker.open_sak(db, db["melding"].get(melding_id), data.PUPIL_A, data.LEADER, data.LEADER,
                                    clock.now())
        ids["positive"] = save_record(db, kind="positive", observed_at=old, context="friminutt",
                                      pupils={data.PUPIL_A: "med"}, facts="Hjalp en venn.")
        ids["in_log"] = _solved(db, old)
        plan_id = db["observation_plan"].insert({
            "school_id": data.SCHOOL_A, "class_id": data.CLASS_A, "starts_on": "2025-03-01",
            "ends_on": "2025-03-31", "created_by": data.LEADER, "created_at": clock.utc_iso_now(),
            "updated_at": clock.utc_iso_now()}).last_pk
        db["observation_log_entry"].insert({"plan_id": plan_id, "observation_id": ids["in_log"],
                                            "decision": "kept", "decided_by": data.LEADER,
                                            "decided_at": clock.utc_iso_now()})
    ids["notes_old"] = [r["id"] for r in db.query("SELECT id FROM pupil_note WHERE observation_id = ?", [ids["old"]])]
    db.conn.close()
    return app, ids


def _observations(app):
    db = connect(app.config["DATABASE"])
    try:
        return {row["id"] for row in db.query("SELECT id FROM observation")}
    finally:
        db.conn.close()


def test_the_run_deletes_exactly_what_is_due_and_nothing_of_a_sak(school):
    app, ids = school
    before = _observations(app)
    result = app.test_cli_runner().invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    gone = before - _observations(app)
    assert gone == {ids["old"], ids["old_at_b"], ids["last_day"]}
    db = connect(app.config["DATABASE"])
    # the note in the pupil's file and the correction's earlier version went with the observation
    assert not scalar(db, "SELECT count(*) FROM pupil_note WHERE observation_id IN (?, ?, ?)",
                      [ids["old"], ids["old_at_b"], ids["last_day"]])
    assert not scalar(db, "SELECT count(*) FROM observation_revision WHERE observation_id = ?", [ids["old"]])
    # the sak, its melding and the observation it came from are kept, as are its notes
    assert db["sak"].get(ids["sak"])
    assert scalar(db, "SELECT count(*) FROM pupil_note WHERE observation_id = ?", [ids["in_sak"]]) == 2
    # every deletion is in the audit log, with ids and no names
    lines = list(db.query("SELECT * FROM audit_log WHERE action = 'delete' ORDER BY id"))
    assert {(line["entity"], line["entity_id"]) for line in lines} >= (
        {("observation", ids["old"])} | {("pupil_note", note_id) for note_id in ids["notes_old"]})
    assert {line["school_id"] for line in lines
            if (line["entity"], line["entity_id"]) == ("observation", ids["old_at_b"])} == {data.SCHOOL_B}
    assert all("Aksel" not in line["detail"] and "ballen" not in line["detail"] for line in lines)
    db.conn.close()
    # a second run the same day finds nothing more
    again = app.test_cli_runner().invoke(args=["retention", "run"])
    assert "Slettet 0 observasjoner" in again.output


def test_a_dry_run_lists_counts_and_ids_and_deletes_nothing(school):
    app, ids = school
    before = _observations(app)
    result = app.test_cli_runner().invoke(args=["retention", "run", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert _observations(app) == before
    assert f"observasjoner {ids['old']}, {ids['last_day']}" in result.output
    assert "Ville slettet 3 observasjoner" in result.output
    assert "Aksel" not in result.output and "Testbakken" not in result.output
    db = connect(app.config["DATABASE"])
    assert not scalar(db, "SELECT count(*) FROM audit_log WHERE action = 'delete'")
    db.conn.close()


def test_the_owners_longer_setting_keeps_the_notes(school):
    app, ids = school
    db = connect(app.config["DATABASE"])
    with transaction(db):
        store.save_owner_months(db, data.OWNER, 24, clock.utc_iso_now())
    assert store.school_months(db, data.SCHOOL_A) == 24
    db.conn.close()
    before = _observations(app)
    app.test_cli_runner().invoke(args=["retention", "run"])
    assert _observations(app) == before


def test_a_school_without_an_owners_setting_keeps_notes_twelve_months(tmp_path):
    app = make_app(tmp_path)
    db = connect(app.config["DATABASE"])
    assert store.school_months(db, data.SCHOOL_A) == 12
    db.conn.close()
