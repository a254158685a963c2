"""The tilsynsplan's rules, with the moment passed in: duty now/next, swaps, coverage, expiry."""
from datetime import date, datetime, timedelta, timezone

import pytest

from webapp.duty.roster_import import match_staff, name_matches
from webapp.duty.rules import (
    CLOCK_GRACE,
    coverage,
    current_or_next_slot,
    duty_state,
    minutes_until,
    now_or_next,
)
from webapp.duty.store import (
    active_flags,
    answer_swap,
    change_slot,
    current_duty_session,
    duties_of,
    duties_on,
    duty_record,
    end_session,
    find_duty,
    handover_for,
    reassign,
    request_swap,
    set_cell,
    slots_on,
    start_session,
)

from . import data
from .duty_data import COLLEAGUE, IDRETT, MONDAY, OVRE, TUNET, at, load_roster

A = data.SCHOOL_A


@pytest.fixture
def slots(db):
    return load_roster(db)


def my_duties(db, user, day):
    return duties_of(db, A, user, [day])


def test_duty_now_is_the_running_slot(db, slots):
    now = at(MONDAY, "08:25")
    duty = now_or_next(my_duties(db, data.STAFF, MONDAY), now)
    assert (duty["starts"], duty["zone_name"]) == ("08:20", "Tunet")
    assert duty_state(duty, now) == "now"


def test_next_duty_today_shows_minutes_until_it_starts(db, slots):
    now = at(MONDAY, "08:40")
    duty = now_or_next(my_duties(db, data.STAFF, MONDAY), now)
    assert duty["starts"] == "09:45"
    assert minutes_until(duty, now) == 65
    assert duty_state(duty, now) == "later"
    assert duty_state(duty, at(MONDAY, "09:37")) == "soon"


def test_no_more_duties_after_the_last_slot(db, slots):
    assert now_or_next(my_duties(db, data.STAFF, MONDAY), at(MONDAY, "10:00")) is None


def test_weekend_has_no_duties(db, slots):
    assert duties_on(db, A, MONDAY + timedelta(days=5)) == []
    assert duties_on(db, A, MONDAY + timedelta(days=6)) == []


def test_date_marked_without_duties_has_none(db, slots):
    db["duty_free_day"].insert({"school_id": A, "day": MONDAY.isoformat(), "reason": "Planleggingsdag",
                                "created_by": data.LEADER, "created_at": "2026-11-01T10:00:00+00:00"})
    assert duties_on(db, A, MONDAY) == []
    assert duties_on(db, A, MONDAY + timedelta(days=1))


@pytest.mark.parametrize("day, utc_start", [
    (date(2026, 10, 23), "06:20"),  # Friday before summer time ends: UTC+2
    (date(2026, 10, 26), "07:20"),  # Monday after: UTC+1
    (date(2026, 3, 27), "07:20"),   # Friday before summer time begins
    (date(2026, 3, 30), "06:20"),   # Monday after
])
def test_duty_keeps_its_local_time_across_daylight_saving(db, slots, day, utc_start):
    duty = my_duties(db, data.STAFF, day)[0]
    assert duty["start_at"].astimezone(timezone.utc).strftime("%H:%M") == utc_start
    running = datetime.fromisoformat(f"{day.isoformat()}T{utc_start}:00+00:00") + timedelta(minutes=2)
    assert duty_state(duty, running) == "now"
    assert now_or_next(my_duties(db, data.STAFF, day), running)["starts"] == "08:20"


def test_duty_ended_by_the_clock_across_daylight_saving(db, slots):
    day = date(2026, 10, 26)
    duty = find_duty(db, A, day, slots["morning"], TUNET, data.STAFF)
    session_id = start_session(db, A, data.STAFF, duty, at(day, "08:21"))
    # still open during the grace after the bell
    assert current_duty_session(db, data.STAFF, at(day, "08:40"))["id"] == session_id
    assert current_duty_session(db, data.STAFF, at(day, "08:30") + CLOCK_GRACE + timedelta(seconds=1)) is None
    row = db["duty_session"].get(session_id)
    assert row["ended_by"] == "clock"
    assert row["ended_at"] == "2026-10-26T07:30:00+00:00"  # 08:30 Oslo, winter time


def test_swap_applies_only_on_its_date(db, slots):
    duty = find_duty(db, A, MONDAY, slots["morning"], TUNET, data.STAFF)
    change_id, problem = request_swap(db, A, duty, data.LEADER, "Tannlege", at(MONDAY, "07:00") - timedelta(days=3))
    assert problem is None
    # asked, not yet accepted: the duty is still ansatt's
    assert find_duty(db, A, MONDAY, slots["morning"], TUNET, data.STAFF)
    assert answer_swap(db, db["duty_change"].get(change_id), True, at(MONDAY, "07:00") - timedelta(days=2)) is None
    swapped = find_duty(db, A, MONDAY, slots["morning"], TUNET, data.LEADER)
    assert swapped["change_id"] == change_id and swapped["rostered_user_id"] == data.STAFF
    assert find_duty(db, A, MONDAY, slots["morning"], TUNET, data.STAFF) is None
    assert find_duty(db, A, MONDAY + timedelta(days=1), slots["morning"], TUNET, data.STAFF)


def test_swap_to_someone_on_duty_at_the_same_time_is_refused(db, slots):
    duty = find_duty(db, A, MONDAY, slots["morning"], TUNET, data.STAFF)
    _, problem = request_swap(db, A, duty, COLLEAGUE, "", at(MONDAY, "07:00"))
    assert "har allerede tilsyn på Øvre/nedre" in problem


def test_swap_is_asked_for_before_the_duty_starts(db, slots):
    duty = find_duty(db, A, MONDAY, slots["morning"], TUNET, data.STAFF)
    _, problem = request_swap(db, A, duty, data.LEADER, "", at(MONDAY, "08:21"))
    assert "på forhånd" in problem


def test_accepting_a_swap_fails_if_the_duty_has_started(db, slots):
    duty = find_duty(db, A, MONDAY, slots["morning"], TUNET, data.STAFF)
    change_id, _ = request_swap(db, A, duty, data.LEADER, "", at(MONDAY, "07:00"))
    problem = answer_swap(db, db["duty_change"].get(change_id), True, at(MONDAY, "08:25"))
    assert problem
    assert db["duty_change"].get(change_id)["status"] == "requested"


def test_leader_reassigns_a_duty_at_once(db, slots):
    duty = find_duty(db, A, MONDAY, slots["lunch"], IDRETT, data.LEADER)
    change_id, problem = reassign(db, A, duty, data.STAFF, data.LEADER, "Møte", at(MONDAY, "11:16"))
    assert problem is None
    assert find_duty(db, A, MONDAY, slots["lunch"], IDRETT, data.STAFF)["change_id"] == change_id


def test_two_staff_on_the_same_zone_both_see_it_and_both_start(db, slots):
    now = at(MONDAY, "09:44")
    for user in (data.STAFF, COLLEAGUE):
        duty = now_or_next(my_duties(db, user, MONDAY), now)
        assert (duty["starts"], duty["zone_name"]) == ("09:45", "Tunet")
        start_session(db, A, user, duty, now)
    assert {row["user_id"] for row in db.query("SELECT user_id FROM duty_session WHERE ended_at IS NULL")} == {
        data.STAFF, COLLEAGUE}


def test_coverage_shows_zones_without_anyone(db, slots):
    zones = list(db.query("SELECT * FROM zone WHERE school_id = ? ORDER BY sort_order", [A]))
    now = at(MONDAY, "08:22")
    slot = current_or_next_slot(slots_on(db, A, MONDAY), MONDAY, now)
    duties = duties_on(db, A, MONDAY)
    board = coverage(zones, slot, duties, [], MONDAY, now)
    by_zone = {row["zone"]["id"]: row for row in board["zones"]}
    assert by_zone[IDRETT]["nobody_rostered"] and by_zone[IDRETT]["uncovered"]
    assert by_zone[TUNET]["uncovered"]  # rostered, but nobody has started
    start_session(db, A, data.STAFF, find_duty(db, A, MONDAY, slot["id"], TUNET, data.STAFF), now)
    sessions = list(db.query("SELECT * FROM duty_session"))
    board = coverage(zones, slot, duties, sessions, MONDAY, now)
    by_zone = {row["zone"]["id"]: row for row in board["zones"]}
    assert not by_zone[TUNET]["uncovered"] and by_zone[TUNET]["people"][0]["status"] == "started"
    assert by_zone[OVRE]["uncovered"]
    assert board["uncovered"] == 2


def test_coverage_before_the_first_slot_looks_at_the_next(db, slots):
    slot = current_or_next_slot(slots_on(db, A, MONDAY), MONDAY, at(MONDAY, "07:00"))
    assert slot["starts"] == "08:20"
    assert current_or_next_slot(slots_on(db, A, MONDAY), MONDAY, at(MONDAY, "12:00")) is None


def test_watch_flag_shows_until_its_last_day(db, slots):
    db["watch_flag"].insert({"school_id": A, "pupil_id": data.PUPIL_A, "look_for": "Går alene",
                             "until": MONDAY.isoformat(), "created_by": data.LEADER,
                             "created_at": "2026-11-01T10:00:00+00:00"})
    assert [f["full_name"] for f in active_flags(db, A, MONDAY)] == ["Aksel Andersen"]
    assert active_flags(db, A, MONDAY + timedelta(days=1)) == []
    assert active_flags(db, data.SCHOOL_B, MONDAY) == []


def test_handover_note_reaches_the_next_person_in_the_zone(db, slots):
    first = start_session(db, A, data.STAFF, find_duty(db, A, MONDAY, slots["morning"], TUNET, data.STAFF),
                          at(MONDAY, "08:20"))
    end_session(db, db["duty_session"].get(first), at(MONDAY, "08:30"), "Ballen ligger på taket.")
    later = start_session(db, A, COLLEAGUE, find_duty(db, A, MONDAY, slots["break"], TUNET, COLLEAGUE),
                          at(MONDAY, "09:45"))
    note = handover_for(db, db["duty_session"].get(later))
    assert note["handover_note"] == "Ballen ligger på taket." and note["author"] == "Kari Lærer"


def test_starting_a_new_duty_ends_the_previous_one(db, slots):
    first = start_session(db, A, data.STAFF, find_duty(db, A, MONDAY, slots["morning"], TUNET, data.STAFF),
                          at(MONDAY, "08:20"))
    second = start_session(db, A, data.STAFF, find_duty(db, A, MONDAY, slots["break"], TUNET, data.STAFF),
                           at(MONDAY, "08:29"))
    assert db["duty_session"].get(first)["ended_at"] == "2026-11-23T07:29:00+00:00"
    assert current_duty_session(db, data.STAFF, at(MONDAY, "08:29"))["id"] == second


def summary(record):
    """What the record says, without the plan's bookkeeping."""
    return [(row["slot"]["starts"], row["slot"]["ends"], row["zone"]["name"],
             [(d["user_name"], d["rostered_user_name"]) for d in row["rostered"]],
             [(s["user_name"], s["started_at"], s["ended_at"], s["ended_by"]) for s in row["sessions"]])
            for row in record]


def test_record_of_who_was_on_duty_is_kept_as_it_happened(db, slots):
    tuesday = MONDAY + timedelta(days=1)
    duty = find_duty(db, A, MONDAY, slots["morning"], TUNET, data.STAFF)
    change_id, _ = request_swap(db, A, duty, data.LEADER, "", at(MONDAY, "07:00") - timedelta(days=1))
    answer_swap(db, db["duty_change"].get(change_id), True, at(MONDAY, "07:00") - timedelta(days=1))
    taken = start_session(db, A, data.LEADER, find_duty(db, A, MONDAY, slots["morning"], TUNET, data.LEADER),
                          at(MONDAY, "08:19"))
    end_session(db, db["duty_session"].get(taken), at(MONDAY, "08:31"))
    before = summary(duty_record(db, A, MONDAY, at(tuesday, "07:00")))

    # the next day the leader changes the plan: new times, other people
    set_cell(db, A, slots["morning"], TUNET, 0, [COLLEAGUE], tuesday)
    change_slot(db, A, db["duty_slot"].get(slots["morning"]), "08:15", "08:30", tuesday, slots_on(db, A, tuesday))

    after = duty_record(db, A, MONDAY, at(tuesday, "12:00"))
    assert summary(after) == before
    tunet = next(row for row in after if row["zone"]["id"] == TUNET and row["slot"]["starts"] == "08:20")
    assert [(d["user_name"], d["rostered_user_name"]) for d in tunet["rostered"]] == [("Rita Rektor", "Kari Lærer")]
    (session,) = tunet["sessions"]
    assert (session["user_name"], session["started_at"], session["ended_at"], session["ended_by"],
            session["change_id"]) == ("Rita Rektor", "2026-11-23T07:19:00+00:00", "2026-11-23T07:31:00+00:00",
                                      "user", change_id)
    # and the new plan holds from the day it was made
    assert [d["user_name"] for d in duties_on(db, A, MONDAY + timedelta(days=7))
            if d["zone_id"] == TUNET and d["starts"] == "08:15"] == ["Kåre Kollega"]


def test_plan_change_made_today_does_not_touch_earlier_days(db, slots):
    set_cell(db, A, slots["lunch"], IDRETT, 0, [], MONDAY + timedelta(days=7))
    assert find_duty(db, A, MONDAY, slots["lunch"], IDRETT, data.LEADER)
    assert find_duty(db, A, MONDAY + timedelta(days=7), slots["lunch"], IDRETT, data.LEADER) is None


@pytest.mark.parametrize("written, full_name, expected", [
    ("Eva M.", "Eva Moen", True), ("Eva M", "Eva Moen", True), ("Anne Marg.", "Anne Margrethe Lie", True),
    ("Hege Aa.", "Hege Aasen", True), ("Eva T.", "Eva Moen", False), ("Eva", "Eva Moen", True),
    ("Marianne B.", "Marianne Rud", False), ("eva moen", "Eva Moen", True),
])
def test_roster_names_match_the_staff_list(written, full_name, expected):
    assert name_matches(written, full_name) is expected


def test_an_ambiguous_roster_name_is_reported():
    staff = [{"id": 1, "full_name": "Eva Moen", "username": "eva.moen"},
             {"id": 2, "full_name": "Eva Mikkelsen", "username": "eva.m"}]
    person, problem = match_staff("Eva M.", staff)
    assert person is None and "flere ansatte" in problem
    assert match_staff("Eva Mo.", staff)[0]["id"] == 1
    assert match_staff("eva.m", staff)[0]["id"] == 2
