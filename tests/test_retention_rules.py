"""Retention's rules as plain functions of the date: the school year, when a note "løst der og da" goes."""
from datetime import date

import pytest

from webapp.retention import rules


@pytest.mark.parametrize("day, start", [
    (date(2026, 7, 31), date(2025, 8, 1)), (date(2026, 8, 1), date(2026, 8, 1)), (date(2026, 12, 3), date(2026, 8, 1)),
])
def test_the_school_year_starts_1_august_and_ends_31_july(day, start):
    assert rules.school_year_start(day) == start
    assert rules.school_year_end(day) == date(start.year + 1, 7, 31)


def test_a_note_is_due_the_given_months_after_its_school_year_ends():
    assert rules.solved_note_due_on(date(2025, 3, 10), 12) == date(2026, 8, 1)
    assert rules.solved_note_due_on(date(2025, 9, 10), 12) == date(2027, 8, 1)
    assert rules.solved_note_due_on(date(2025, 3, 10), 1) == date(2025, 9, 1)


@pytest.mark.parametrize("today, months, before", [
    (date(2026, 7, 31), 12, date(2024, 8, 1)),   # the school year 2024/25 has waited 12 months only tomorrow
    (date(2026, 8, 1), 12, date(2025, 8, 1)),
    (date(2026, 8, 1), 24, date(2024, 8, 1)),
    (date(2026, 9, 1), 1, date(2026, 8, 1)),
    (date(2026, 8, 31), 1, date(2025, 8, 1)),
])
def test_notes_due_before_agrees_with_each_notes_due_date(today, months, before):
    assert rules.solved_notes_due_before(today, months) == before
    # the last day before the boundary is due, the boundary itself is not
    last = date.fromordinal(before.toordinal() - 1)
    assert rules.solved_note_due_on(last, months) <= today < rules.solved_note_due_on(before, months)


def test_add_months_keeps_the_last_day_of_a_shorter_month():
    assert rules.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rules.add_months(date(2026, 8, 1), 12) == date(2027, 8, 1)


def test_clean_slate_begins_at_last_school_years_start():
    assert rules.clean_slate_start(date(2026, 12, 3)) == date(2025, 8, 1)
    assert rules.clean_slate_start(date(2026, 7, 31)) == date(2024, 8, 1)


def test_only_a_closed_sak_not_yet_archived_can_be_archived():
    assert rules.can_archive({"phase": "avsluttet", "archived_at": None})
    assert not rules.can_archive({"phase": "undersokelse", "archived_at": None})
    assert not rules.can_archive({"phase": "avsluttet", "archived_at": "2026-12-01T10:00:00+00:00"})


def test_every_rule_says_what_it_keeps_and_the_sak_is_kept_for_ever():
    shown = {rule["key"]: rule for rule in rules.rule_texts(18)}
    assert shown["sak"]["rule"] == rules.KEEP_FOREVER and "7-28" in shown["sak"]["basis"]
    assert "18 måneder" in shown["solved_note"]["text"]
    assert all(rule["record"] and rule["text"] and rule["basis"] for rule in shown.values())
