"""duty/store.py's writes and reads that no page test pins down: each against a real database."""
from datetime import timedelta

from webapp.duty.store import (
    active_flags,
    add_flag,
    add_free_day,
    end_flag,
    free_day,
    free_days_from,
    remove_free_day,
)

from . import data
from .duty_data import MONDAY

A, B = data.SCHOOL_A, data.SCHOOL_B
STAMP = "2026-11-20T10:00:00+00:00"


def test_free_days_are_listed_from_a_date_on_and_can_be_given_back(db):
    for school, day in ((A, MONDAY + timedelta(days=3)), (A, MONDAY), (A, MONDAY - timedelta(days=7)),
                        (B, MONDAY + timedelta(days=1))):
        add_free_day(db, school, day, "Planleggingsdag", data.LEADER, STAMP)
    assert [row["day"] for row in free_days_from(db, A, MONDAY)] == ["2026-11-23", "2026-11-26"]
    remove_free_day(db, B, MONDAY)          # another school's date: nothing happens
    remove_free_day(db, A, MONDAY)
    assert free_day(db, A, MONDAY) is None
    assert [row["day"] for row in free_days_from(db, A, MONDAY)] == ["2026-11-26"]
    assert free_days_from(db, B, MONDAY)[0]["day"] == "2026-11-24"


def test_a_flag_taken_off_the_list_keeps_who_took_it_off_first(db):
    flag = add_flag(db, A, data.PUPIL_A, "Går alene", MONDAY + timedelta(days=7), data.STAFF, STAMP)
    assert [f["id"] for f in active_flags(db, A, MONDAY)] == [flag]
    end_flag(db, flag, data.STAFF, "2026-11-23T09:00:00+00:00")
    end_flag(db, flag, data.LEADER, "2026-11-23T10:00:00+00:00")   # a second tap, by someone else
    row = db["watch_flag"].get(flag)
    assert (row["ended_by"], row["ended_at"]) == (data.STAFF, "2026-11-23T09:00:00+00:00")
    assert active_flags(db, A, MONDAY) == []
