"""Systematic observation's rules: which log section a duty record lands in, and what flows
from duty and SFO into a running observation."""
from datetime import datetime
from types import SimpleNamespace

import pytest

from webapp import clock
from webapp.observation_logs import rules, store

from . import data
from .observation_fixtures import at
from .records import correct_record, save_record

THURSDAY = datetime(2026, 11, 26, 12, 0, tzinfo=clock.OSLO)


@pytest.mark.parametrize("context, section", [
    ("friminutt", 5), ("sfo_utelek", 5), ("sfo_innelek", 5), ("overgang", 4), ("klasserom", 3),
    ("skolevei", 5), ("tur", 2), ("digital", 6), ("noe_nytt", 6), ("", 6), ("Friminutt", 5),
])
def test_duty_record_lands_in_the_matching_log_section(context, section):
    assert rules.section_for_context(context) == section


def make_plan(db, pupil_id=data.PUPIL_A, class_id=data.CLASS_A, school=data.SCHOOL_A,
              starts_on="2026-11-23", ends_on="2026-11-27", planned_at=None):
    """An observation planned by the leader (on the Friday before, unless told), stored directly."""
    stamp = clock.to_utc_iso(planned_at or at(20, 14))
    plan_id = db["observation_plan"].insert({
        "school_id": school, "class_id": class_id, "pupil_id": pupil_id, "starts_on": starts_on,
        "ends_on": ends_on, "created_by": data.LEADER, "created_at": stamp, "updated_at": stamp}).last_pk
    return db["observation_plan"].get(plan_id)


def record(db, moment, context="friminutt", pupils=((data.PUPIL_A, "utsatt"),), school=data.SCHOOL_A,
           author=data.STAFF, kind="concern", **fields):
    """A duty record, saved as the capture screen saves it."""
    return save_record(db, author=author, school=school, kind=kind, observed_at=moment, context=context,
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


def test_records_about_the_pupil_flow_into_a_running_observation(db):
    plan = make_plan(db)
    in_friminutt = record(db, at(24, 10, 0), "friminutt")
    in_overgang = record(db, at(25, 11, 30), "overgang")
    in_class = record(db, at(26, 9, 0), "klasserom", pupils=[(data.PUPIL_A, "utsatt"), (data.PUPIL_A2, "utøver")])
    gathered = store.duty_records(db, plan, THURSDAY)
    assert [r["id"] for r in gathered] == [in_friminutt, in_overgang, in_class]
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
    assert store.duty_records(db, plan, THURSDAY) == []


def test_nothing_flows_into_an_observation_that_has_not_started(db):
    plan = make_plan(db, starts_on="2026-11-30", ends_on="2026-12-04")
    record(db, at(26, 10, 0))
    assert store.duty_records(db, plan, THURSDAY) == []


def test_kept_and_dropped_records_carry_the_decision(db):
    plan = make_plan(db)
    kept = record(db, at(24, 10, 0))
    dropped = record(db, at(24, 11, 0))
    for observation_id, decision in [(kept, "kept"), (dropped, "dropped")]:
        db["observation_log_entry"].insert({"plan_id": plan["id"], "observation_id": observation_id,
                                            "decision": decision, "decided_by": data.STAFF,
                                            "decided_at": clock.to_utc_iso(THURSDAY)})
    assert [r["decision"] for r in store.duty_records(db, plan, THURSDAY)] == ["kept", "dropped"]


def test_a_class_observation_without_one_pupil_gathers_the_whole_class(db):
    plan = make_plan(db, pupil_id=None)
    one = record(db, at(24, 10, 0), kind="positive", pupils=[(data.PUPIL_A2, "med")])
    assert [r["id"] for r in store.duty_records(db, plan, THURSDAY)] == [one]


def test_an_individual_observation_takes_only_records_naming_its_pupil(db):
    individual = make_plan(db)                      # Aksel, 5A
    whole_class = make_plan(db, pupil_id=None)      # 5A
    classmates = record(db, at(24, 10, 0), pupils=[(data.PUPIL_A2, "utsatt")])  # Bea's incident, Aksel not in it
    about_aksel = record(db, at(24, 11, 0), pupils=[(data.PUPIL_A, "tilskuer"), (data.PUPIL_A2, "utsatt")])
    assert [r["id"] for r in store.duty_records(db, individual, THURSDAY)] == [about_aksel]
    assert [r["id"] for r in store.duty_records(db, whole_class, THURSDAY)] == [classmates, about_aksel]


def test_a_plan_made_now_takes_the_records_of_its_first_day_up_to_and_including_now(db):
    # made "now" (as under a pinned clock, where every save and record is stamped with the same moment)
    plan = make_plan(db, starts_on="2026-11-26", ends_on="2026-11-27", planned_at=THURSDAY)
    yesterday = record(db, at(25, 10, 0))
    this_morning = record(db, at(26, 0, 5))
    just_now = record(db, THURSDAY)
    assert rules.flow_start(plan) == at(26, 0, 0)
    assert [r["id"] for r in store.duty_records(db, plan, THURSDAY)] == [this_morning, just_now]
    assert yesterday not in [r["id"] for r in store.duty_records(db, plan, at(27, 12, 0))]


def test_period_must_be_real_dates_in_order():
    assert rules.parse_period("23.11.2026", "2026-11-27")[2] == {}
    assert "ends_on" in rules.parse_period("2026-11-27", "2026-11-23")[2]
    assert set(rules.parse_period("i morgen", "")[2]) == {"starts_on", "ends_on"}


def test_positive_records_show_capture_labels_in_the_log(db):
    plan = make_plan(db)
    record(db, at(24, 10, 0), "friminutt", kind="positive", pupils=[(data.PUPIL_A, "med")],
           labels=["leker_sammen", "hjelper"])
    gathered = store.duty_records(db, plan, THURSDAY)
    assert gathered[0]["label_names"] == ["Hjelper andre", "Leker sammen"]  # in capture's order
    assert gathered[0]["pupils"][0]["role_name"] == "med"


# ------------------------------------------------------------------ what never flows in, and to whom

def staff(user_id=data.STAFF):
    """A signed-in staff member, as the rules see one."""
    return SimpleNamespace(id=user_id, role="staff")


def test_records_from_before_the_day_the_plan_was_made_never_flow_in(db):
    plan = make_plan(db, planned_at=at(25, 12, 0))     # planned on Wednesday for the whole week
    record(db, at(24, 10, 0))                            # Tuesday: history, stays out
    that_morning = record(db, at(25, 11, 59))            # the day it was planned: in, from its start
    after = record(db, at(25, 12, 30))
    assert [r["id"] for r in store.duty_records(db, plan, THURSDAY)] == [that_morning, after]


def test_a_plan_reaching_back_two_months_opens_no_history(db):
    plan = make_plan(db, starts_on="2026-09-28", ends_on="2026-11-26", planned_at=THURSDAY)
    record(db, at(2, 10, 0))
    today = record(db, at(26, 11, 0))
    assert [r["id"] for r in store.duty_records(db, plan, at(26, 23, 0))] == [today]


def test_section_12_5_records_never_flow_into_an_observation(db):
    plan = make_plan(db)
    adult = record(db, at(24, 10), labels=["ansatt_krenker_elev"], adult_involved="En vikar")
    # an impossible state on purpose: the label alone (its melding taken away) keeps the record out
    db.execute("DELETE FROM melding_pupil WHERE melding_id IN (SELECT id FROM melding WHERE observation_id = ?)",
               [adult])
    db.execute("DELETE FROM melding WHERE observation_id = ?", [adult])
    # about a leader, then corrected to drop the label: its melding stays § 12-5 about a leader
    about_leader = record(db, at(24, 11), labels=["ansatt_krenker_elev"], adult_involved="Rektor",
                          concerns_leader=True)
    correct_record(db, about_leader, now=at(24, 11, 20), kind="concern", observed_at=at(24, 11),
                   context="friminutt", pupils=[(data.PUPIL_A, "utsatt")], facts="Sto alene ved gjerdet.")
    assert db.execute("SELECT labels FROM observation WHERE id = ?", [about_leader]).fetchone() == ("[]",)
    ordinary = record(db, at(24, 12))
    assert [r["id"] for r in store.duty_records(db, plan, THURSDAY)] == [ordinary]
    assert adult not in [r["id"] for r in store.duty_records(db, plan, THURSDAY, viewer=staff())]


def test_a_staff_observer_sees_their_own_records_and_those_an_organiser_kept(db):
    db.execute("UPDATE school_class SET contact_teacher_id = NULL WHERE id = ?", [data.CLASS_A])
    plan = make_plan(db)
    own = record(db, at(24, 10), author=data.STAFF)
    kept_by_leader = record(db, at(24, 11), author=data.LEADER)
    waiting = record(db, at(24, 12), author=data.LEADER)
    kept_by_observer = record(db, at(24, 13), author=data.LEADER)
    for observation_id, decider in [(kept_by_leader, data.LEADER), (kept_by_observer, data.STAFF_B)]:
        db["observation_log_entry"].insert({"plan_id": plan["id"], "observation_id": observation_id,
                                            "decision": "kept", "decided_by": decider,
                                            "decided_at": clock.to_utc_iso(THURSDAY)})
    seen = [r["id"] for r in store.duty_records(db, plan, THURSDAY, viewer=staff())]
    assert seen == [own, kept_by_leader]
    leader = SimpleNamespace(id=data.LEADER, role="leader")
    assert [r["id"] for r in store.duty_records(db, plan, THURSDAY, viewer=leader)] == [
        own, kept_by_leader, waiting, kept_by_observer]


def test_only_leaders_and_contact_teachers_plan_and_organise(db):
    plan = make_plan(db)
    leader = SimpleNamespace(id=data.LEADER, role="leader")
    assert store.can_plan(db, data.SCHOOL_A, leader) and store.can_organise(db, plan, leader)
    assert store.plannable_class_ids(db, data.SCHOOL_A, staff()) == [data.CLASS_A]   # Kari teaches 5A
    assert store.can_organise(db, plan, staff())
    db.execute("UPDATE school_class SET contact_teacher_id = NULL WHERE id = ?", [data.CLASS_A])
    assert not store.can_plan(db, data.SCHOOL_A, staff())
    assert not store.can_organise(db, plan, staff()) and not store.can_open(db, plan, staff())
    owner = SimpleNamespace(id=data.OWNER, role="owner")
    assert not store.can_plan(db, data.SCHOOL_A, owner) and not store.can_organise(db, plan, owner)
