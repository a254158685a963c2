"""Patterns no single adult would report: the same pupil offended again and again,
or seen alone and left out by different adults in different places.

The rules are plain functions of the events and `now`; `store.school_patterns`
fetches the events for a school and applies them.
"""
from collections import Counter
from datetime import timedelta

from .. import clock

# seen alone/left out by at least this many different adults in this many different places
UTENFORSKAP_MIN_ADULTS = 2

UTENFORSKAP_MIN_PLACES = 2


def _moment(value):
    """An aware datetime from a stored timestamp or a datetime."""
    return clock.parse(value) if isinstance(value, str) else value


def in_window(events, window_days, now):
    """The events observed within the last `window_days` days up to `now`."""
    since = now - timedelta(days=window_days)
    return [e for e in events if since < _moment(e["observed_at"]) <= now]


def utsatt_pattern(events, threshold, window_days, now):
    """Pupils who are utsatt in at least `threshold` negative observations within the window.

    :param events: dicts with pupil_id and observed_at, one per (negative observation, utsatt pupil)
    :returns: {pupil_id: number of observations in the window}
    """
    counts = Counter(event["pupil_id"] for event in in_window(events, window_days, now))
    return {pupil: count for pupil, count in counts.items() if count >= threshold}


def utenforskap_pattern(events, window_days, now, min_adults=UTENFORSKAP_MIN_ADULTS,
                        min_places=UTENFORSKAP_MIN_PLACES):
    """Pupils seen alone or left out by different adults in different places within the window.

    :param events: dicts with pupil_id, author_id, place (zone or context) and observed_at
    :returns: {pupil_id: {"count": n, "adults": n, "places": n}}
    """
    seen = {}
    for event in in_window(events, window_days, now):
        entry = seen.setdefault(event["pupil_id"], {"count": 0, "adults": set(), "places": set()})
        entry["count"] += 1
        entry["adults"].add(event["author_id"])
        entry["places"].add(event["place"])
    return {pupil: {"count": e["count"], "adults": len(e["adults"]), "places": len(e["places"])}
            for pupil, e in seen.items()
            if len(e["adults"]) >= min_adults and len(e["places"]) >= min_places}
