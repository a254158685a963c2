"""The routine's phases, due dates and overdue tasks; §12-5 routing."""
from datetime import date, datetime

from webapp.clock import OSLO
from webapp.saker import rules as routine

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=OSLO)


def test_phases_follow_the_routine_in_order():
    assert [label for _, label in routine.PHASES] == [
        "Bekymring", "Undersøkelse", "Utforme tiltak", "Iverksette tiltak", "Evaluere tiltak",
        "Følge opp", "Avsluttet"]
    assert routine.next_phase("bekymring") == "undersokelse"
    assert routine.next_phase("folge_opp") == "avsluttet"
    assert routine.next_phase("avsluttet") is None


def test_talks_with_the_pupil_offended_and_parents_are_due_the_same_day():
    tasks = {t["task_key"]: t for t in routine.tasks_for_phase("undersokelse", date(2026, 11, 26))}
    assert tasks["samtale_utsatt"]["due_on"] == date(2026, 11, 26)
    assert tasks["samtale_utsatt_foresatte"]["due_on"] == date(2026, 11, 26)
    assert tasks["samtale_utover"]["time_limit"] == "Snarest mulig"
    assert tasks["samtale_utover"]["due_on"] > date(2026, 11, 26)


def test_evaluation_is_due_at_the_latest_six_weeks_after_measures_start():
    assert routine.evaluation_due(date(2026, 11, 2)) == date(2026, 12, 14)
    tasks = {t["task_key"]: t for t in routine.tasks_for_phase("iverksette_tiltak", date(2026, 11, 10),
                                                               measures_started_on=date(2026, 11, 2))}
    assert tasks["evalueringsmote"]["due_on"] == date(2026, 12, 14)
    assert tasks["evalueringsmote"]["phase"] == "evaluere_tiltak"


def test_the_six_weeks_run_from_the_first_tiltak_start_and_only_from_it():
    started = routine.measures_started_on(["2026-11-09", None, date(2026, 11, 2)])
    assert started == date(2026, 11, 2) and routine.evaluation_due(started) == date(2026, 12, 14)
    # entering Iverksette tiltak before any tiltak has a start date: no evaluation date from the phase change
    tasks = {t["task_key"]: t for t in routine.tasks_for_phase("iverksette_tiltak", date(2026, 11, 20))}
    assert tasks["evalueringsmote"]["due_on"] is None
    assert routine.measures_started_on([]) is None and routine.evaluation_due(None) is None
    # a stored date reads the same as a date
    assert routine.evaluation_due("2026-11-02") == date(2026, 12, 14)


def test_only_open_tasks_of_the_current_phase_hold_a_case_back():
    tasks = [{"phase": "undersokelse", "done_at": None, "title": "a"},
             {"phase": "undersokelse", "done_at": "2026-11-26T09:00:00+00:00", "title": "b"},
             {"phase": "evaluere_tiltak", "done_at": None, "title": "c"}]
    assert [t["title"] for t in routine.open_tasks_of_phase(tasks, "undersokelse")] == ["a"]
    assert routine.open_tasks_of_phase(tasks, "utforme_tiltak") == []


def test_deadlines_count_calendar_days_across_daylight_saving_time():
    # the clocks go back on 25 October 2026; six weeks from 20 October is still 1 December
    assert routine.evaluation_due(date(2026, 10, 20)) == date(2026, 12, 1)
    late_evening = datetime(2026, 10, 25, 23, 30, tzinfo=OSLO)
    assert routine.oslo_date(late_evening) == date(2026, 10, 25)
    assert routine.oslo_date(datetime(2026, 10, 25, 23, 30, tzinfo=OSLO).astimezone(OSLO)) == date(2026, 10, 25)


def test_task_is_overdue_only_after_its_due_day():
    task = {"due_on": "2026-11-25", "done_at": None}
    assert routine.is_overdue(task, date(2026, 11, 26))
    assert routine.days_overdue(task, date(2026, 11, 28)) == 3
    assert not routine.is_overdue({"due_on": "2026-11-26", "done_at": None}, date(2026, 11, 26))
    assert not routine.is_overdue({"due_on": "2026-11-01", "done_at": "2026-11-02T08:00:00+00:00"}, date(2026, 11, 26))
    assert not routine.is_overdue({"due_on": None, "done_at": None}, date(2026, 11, 26))


def test_employee_offending_pupil_goes_to_leadership_and_owner_at_once():
    assert routine.recipients({"section_12_5": 1, "concerns_leader": 0}) == {routine.LEADERSHIP, routine.OWNER}


def test_melding_about_a_leader_goes_straight_to_the_owner():
    assert routine.recipients({"section_12_5": 1, "concerns_leader": 1}) == {routine.OWNER}


def test_ordinary_melding_goes_to_leadership_only():
    assert routine.recipients({"section_12_5": 0, "concerns_leader": 0}) == {routine.LEADERSHIP}


def test_unacknowledged_melding_is_highlighted_after_the_schools_alert_time():
    old = {"status": "ny", "acknowledged_at": None, "created_at": "2026-11-26T06:00:00+00:00", "section_12_5": 0}
    fresh = {**old, "created_at": "2026-11-26T08:50:00+00:00"}
    assert routine.unacknowledged_too_long(old, NOW, 120)
    assert not routine.unacknowledged_too_long(fresh, NOW, 120)
    assert routine.needs_attention({**fresh, "section_12_5": 1}, NOW, 120)
    assert not routine.needs_attention({**old, "status": "mottatt"}, NOW, 120)
