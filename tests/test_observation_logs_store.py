"""observation_logs/store.py's writes that no page test pins down: each against a real database."""
from datetime import datetime

from webapp import clock
from webapp.db import transaction
from webapp.observation_logs import store

from . import data
from .observation_fixtures import make_plan
from .records import save_record

STAMP = "2026-11-26T11:00:00Z"


def _log(db, plan_id):
    """A log of Kari's in the plan, started without a task."""
    with transaction(db):
        log_id, created = store.start_log(db, plan_id=plan_id, school_id=data.SCHOOL_A, observer_id=data.STAFF,
                                          client_id="klient-aaaa1111", assignment=None,
                                          today=datetime(2026, 11, 26).date(), stamp="2026-11-26T09:00:00Z")
    assert created
    return log_id


def test_a_section_keeps_fields_not_sent_and_an_emptied_item_goes(db):
    log_id = _log(db, make_plan(db))
    with transaction(db):
        store.save_section(db, log_id, {"5-eleven": ("Alene ved gjerdet.", "Vil ikke være med?"),
                                        "5-voksne": ("To voksne ute.", None)}, STAMP)
    with transaction(db):
        store.save_section(db, log_id, {"5-eleven": (None, "Spurte ikke."), "5-voksne": ("  ", ""),
                                        "5-annet": (None, None)}, "2026-11-26T11:05:00Z")
    items = store.items_of(db, log_id)
    assert list(items) == ["5-eleven"]
    assert (items["5-eleven"]["seen"], items["5-eleven"]["comment"]) == ("Alene ved gjerdet.", "Spurte ikke.")
    assert db["observation_log"].get(log_id)["updated_at"] == "2026-11-26T11:05:00Z"


def test_a_kept_or_dropped_duty_record_can_be_taken_back(db):
    plan_id = make_plan(db)
    record = save_record(db, author=data.LEADER, kind="concern", context="friminutt",
                         observed_at=datetime(2026, 11, 26, 10, 15, tzinfo=clock.OSLO),
                         pupils=[(data.PUPIL_A, "utsatt")])
    with transaction(db):
        store.decide(db, plan_id, record, "kept", data.STAFF, STAMP)
        store.decide(db, plan_id, record, "dropped", data.LEADER, STAMP)
    entry = db["observation_log_entry"].get((plan_id, record))
    assert (entry["decision"], entry["decided_by"]) == ("dropped", data.LEADER)
    with transaction(db):
        store.decide(db, plan_id, record, "undo", data.LEADER, STAMP)
    assert db.execute("SELECT count(*) FROM observation_log_entry").fetchone()[0] == 0


def test_the_same_task_on_several_days_is_counted_once_per_new_day(db):
    plan_id = make_plan(db)
    with transaction(db):
        assert store.add_assignments(db, plan_id, data.SCHOOL_A, data.STAFF, ["2026-11-26"], "Storefri") == 1
        assert store.add_assignments(db, plan_id, data.SCHOOL_A, data.STAFF,
                                     ["2026-11-25", "2026-11-26", "2026-11-27"], "Storefri") == 2
    task = store.assignments_of(db, plan_id)[0]
    with transaction(db):
        assert store.delete_assignment(db, plan_id + 1, task["id"]) is False   # not this plan's task
        assert store.delete_assignment(db, plan_id, task["id"]) is True
    assert len(store.assignments_of(db, plan_id)) == 2
