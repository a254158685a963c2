"""Systematic observation's rules: which log section a duty record lands in, and what flows
from duty and SFO into a running observation."""
from datetime import datetime

import pytest

from webapp import clock
from webapp.observation_logs import rules
from webapp.observation_logs.records import add_duty_record

from . import data

THURSDAY = datetime(2026, 11, 26, 12, 0, tzinfo=clock.OSLO)


def at(day, hour, minute=0):
    """A moment in the test week (November 2026), Oslo time."""
    return datetime(2026, 11, day, hour, minute, tzinfo=clock.OSLO)


@pytest.mark.parametrize("context, section", [
    ("friminutt", 5), ("sfo_utelek", 5), ("sfo_innelek", 5), ("overgang", 4), ("klasserom", 3),
    ("skolevei", 5), ("tur", 2), ("digital", 6), ("noe_nytt", 6), ("", 6), ("Friminutt", 5),
])
def test_duty_record_lands_in_the_matching_log_section(context, section):
    assert rules.section_for_context(context) == section


def make_plan(db, pupil_id=data.PUPIL_A, class_id=data.CLASS_A, school=data.SCHOOL_A,
              starts_on="2026-11-23", ends_on="2026-11-27"):
    """An observation planned by the leader, stored directly."""
    stamp = clock.to_utc_iso(THURSDAY)
    plan_id = db["observation_plan"].insert({
        "school_id": school, "class_id": class_id, "pupil_id": pupil_id, "starts_on": starts_on,
        "ends_on": ends_on, "created_by": data.LEADER, "created_at": stamp, "updated_at": stamp}).last_pk
    return db["observation_plan"].get(plan_id)


def record(db, moment, context="friminutt", pupils=((data.PUPIL_A, "utsatt"),), school=data.SCHOOL_A,
           author=data.STAFF, **fields):
    """A duty record, as the capture screen would have stored it."""
    return add_duty_record(db, school_id=school, author_id=author, observed_at=moment, context=context,
                           facts="Sto alene ved gjerdet.", pupils=pupils, **fields)


def test_observation_runs_from_its_first_day_to_the_end_of_its_last(db):
    plan = make_plan(db)
    assert rules.status(plan, at(22, 23, 59)) == "planlagt"
    assert rules.status(plan, at(23, 0, 0)) == "pågår"
    assert rules.is_running(plan, at(27, 23, 59))
    assert rules.status(plan, at(28, 0, 0)) == "avsluttet"


def test_plan_days_are_the_weekdays_of_the_period(db):
    plan = make_plan(db, starts_on="2026-11-23", ends_on="2026-11-29")
    assert [d.isoformat() for d in rules.plan_days(plan)] == [
        "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"]


def test_records_about_the_pupil_or_class_flow_into_a_running_observation(db):
    plan = make_plan(db)
    in_friminutt = record(db, at(24, 10, 0), "friminutt")
    in_overgang = record(db, at(25, 11, 30), "overgang")
    about_classmate = record(db, at(26, 9, 0), "klasserom", pupils=[(data.PUPIL_A2, "utøver")])
    gathered = rules.duty_records(db, plan, THURSDAY)
    assert [r["id"] for r in gathered] == [in_friminutt, in_overgang, about_classmate]
    assert [r["section"] for r in gathered] == [5, 4, 3]
    first = gathered[0]
    assert first["author_name"] == "Kari Lærer"          # attributed
    assert first["observed_at"] == clock.to_utc_iso(at(24, 10, 0))  # timestamped
    assert first["decision"] is None                     # waiting for keep or drop
    assert first["pupils"] == [{"id": data.PUPIL_A, "full_name": "Aksel Andersen", "role": "utsatt",
                                "role_name": "utsatt"}]
    assert first["kind_name"] == "Bekymring / hendelse"  # capture's words
    grouped = rules.by_section(gathered)
    assert [r["id"] for r in grouped[5]] == [in_friminutt] and grouped[1] == []


def test_records_outside_the_observation_do_not_flow_in(db):
    plan = make_plan(db)
    record(db, at(20, 10, 0))                                   # before it started
    record(db, at(26, 13, 0))                                   # after "now"
    record(db, at(24, 10, 0), pupils=[(data.PUPIL_A3, "utsatt")])  # another class
    record(db, at(24, 10, 0), pupils=[(data.PUPIL_B, "utsatt")], school=data.SCHOOL_B,
           author=data.STAFF_B)                                # another school
    assert rules.duty_records(db, plan, THURSDAY) == []


def test_nothing_flows_into_an_observation_that_has_not_started(db):
    plan = make_plan(db, starts_on="2026-11-30", ends_on="2026-12-04")
    record(db, at(26, 10, 0))
    assert rules.duty_records(db, plan, THURSDAY) == []


def test_kept_and_dropped_records_carry_the_decision(db):
    plan = make_plan(db)
    kept = record(db, at(24, 10, 0))
    dropped = record(db, at(24, 11, 0))
    for observation_id, decision in [(kept, "kept"), (dropped, "dropped")]:
        db["observation_log_entry"].insert({"plan_id": plan["id"], "observation_id": observation_id,
                                            "decision": decision, "decided_by": data.STAFF,
                                            "decided_at": clock.to_utc_iso(THURSDAY)})
    assert [r["decision"] for r in rules.duty_records(db, plan, THURSDAY)] == ["kept", "dropped"]


def test_a_class_observation_without_one_pupil_gathers_the_whole_class(db):
    plan = make_plan(db, pupil_id=None)
    one = record(db, at(24, 10, 0), pupils=[(data.PUPIL_A2, "med")])
    assert [r["id"] for r in rules.duty_records(db, plan, THURSDAY)] == [one]


def test_period_must_be_real_dates_in_order():
    assert rules.parse_period("23.11.2026", "2026-11-27")[2] == {}
    assert "ends_on" in rules.parse_period("2026-11-27", "2026-11-23")[2]
    assert set(rules.parse_period("i morgen", "")[2]) == {"starts_on", "ends_on"}


def test_positive_records_show_capture_labels_in_the_log(db):
    plan = make_plan(db)
    record(db, at(24, 10, 0), "friminutt", kind="positive", pupils=[(data.PUPIL_A, "med")],
           labels='["leker_sammen", "hjelper"]')
    gathered = rules.duty_records(db, plan, THURSDAY)
    assert gathered[0]["label_names"] == ["Leker sammen", "Hjelper andre"]
    assert gathered[0]["pupils"][0]["role_name"] == "med"
