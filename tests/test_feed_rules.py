"""The pattern rules, with the moment passed in: the same pupil offended again and again, or left out by many."""
from datetime import datetime, timedelta

from webapp.clock import OSLO
from webapp.feed import rules as patterns

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=OSLO)


def _utsatt(days_ago, pupil=1):
    """A negative observation some days ago where the pupil was utsatt."""
    return {"pupil_id": pupil, "observed_at": NOW - timedelta(days=days_ago)}


def test_pupil_utsatt_three_times_in_fourteen_days_is_flagged():
    events = [_utsatt(1), _utsatt(5), _utsatt(13), _utsatt(2, pupil=2)]
    assert patterns.utsatt_pattern(events, 3, 14, NOW) == {1: 3}


def test_incidents_outside_the_window_do_not_count():
    events = [_utsatt(1), _utsatt(5), _utsatt(15)]
    assert patterns.utsatt_pattern(events, 3, 14, NOW) == {}
    assert patterns.utsatt_pattern(events, 3, 30, NOW) == {1: 3}
    assert patterns.utsatt_pattern(events, 2, 14, NOW) == {1: 2}


def test_pupil_seen_alone_by_different_adults_in_different_places_is_flagged():
    events = [
        {"pupil_id": 1, "author_id": 10, "place": "zone:1", "observed_at": NOW - timedelta(days=2)},
        {"pupil_id": 1, "author_id": 11, "place": "zone:2", "observed_at": NOW - timedelta(days=4)},
        # the same adult in the same place again and again is not the pattern
        {"pupil_id": 2, "author_id": 10, "place": "zone:1", "observed_at": NOW - timedelta(days=1)},
        {"pupil_id": 2, "author_id": 10, "place": "zone:1", "observed_at": NOW - timedelta(days=3)},
        {"pupil_id": 2, "author_id": 10, "place": "zone:1", "observed_at": NOW - timedelta(days=5)},
    ]
    assert patterns.utenforskap_pattern(events, 14, NOW) == {1: {"count": 2, "adults": 2, "places": 2}}
