"""Tilsyn's rules: slots and their times, whose duty is now or next, coverage, swaps and følg med på.

Plain functions of their inputs, time passed in: what duty is "now", whether
it can be started, which zones are covered at this moment.
"""
import re
from datetime import datetime, time, timedelta

from ..clock import OSLO, WEEKDAYS
from ..school.csv_import import parse_date

SCHOOL_DAYS = WEEKDAYS[:5]

# "Start vakt" is offered this long before a duty begins: vaktskifte skal skje ute
START_EARLY = timedelta(minutes=10)

CLOCK = re.compile(r"^\s*(\d{1,2})\s*[:.]\s*(\d{2})\s*$")

SLOT = re.compile(r"^\s*(\S+)\s*[-–—]\s*(\S+)\s*$")


class SlotProblem(ValueError):
    """A time slot that cannot be used; the message is shown to the user."""


def parse_clock(text):
    """'8.20', '08:20' → '08:20'; None if it is not a clock time."""
    match = CLOCK.match(text or "")
    if not match:
        return None
    hours, minutes = int(match[1]), int(match[2])
    if hours > 23 or minutes > 59:
        return None
    return f"{hours:02d}:{minutes:02d}"


def parse_slot_times(starts_text, ends_text):
    """Two clock times as a slot (starts, ends); raises SlotProblem."""
    starts, ends = parse_clock(starts_text), parse_clock(ends_text)
    if starts is None or ends is None:
        bad = starts_text if starts is None else ends_text
        raise SlotProblem(f"«{(bad or '').strip()}» er ikke et klokkeslett (skriv f.eks. 09:45).")
    if starts >= ends:
        raise SlotProblem(f"Tidsrommet {starts}–{ends} slutter ikke etter at det begynner.")
    return starts, ends


def parse_slot(text):
    """'08:20 – 08.30' → ('08:20', '08:30'); raises SlotProblem."""
    match = SLOT.match(text or "")
    if not match:
        raise SlotProblem(f"«{(text or '').strip()}» er ikke et tidsrom (skriv f.eks. 08:20–08:30).")
    return parse_slot_times(match[1], match[2])


def overlaps(a, b):
    """Whether two (starts, ends) slots share any minute."""
    return a[0] < b[1] and b[0] < a[1]


def overlap_problem(slot, others):
    """A message if the slot overlaps one of the others, else None."""
    for other in others:
        if overlaps(slot, other):
            return f"{slot[0]}–{slot[1]} overlapper med {other[0]}–{other[1]}."
    return None


def moment(day, clock_time):
    """A local date and 'HH:MM' as an aware Oslo datetime."""
    hours, minutes = (int(part) for part in clock_time.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=OSLO)


def school_week(day):
    """Monday to Friday of the week the day falls in."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=offset) for offset in range(5)]


def apply_changes(rows, changes):
    """The day's (slot, zone, user) rows with swaps applied in order.

    Each row gains change_id and rostered_user_id (who the weekly plan named).
    A change whose person no longer holds that duty (the plan changed since)
    has no effect.
    """
    duties = [dict(row, change_id=None, rostered_user_id=row["user_id"]) for row in rows]
    for change in changes:
        for duty in duties:
            if (duty["slot_id"], duty["zone_id"], duty["user_id"]) == (
                    change["slot_id"], change["zone_id"], change["from_user_id"]):
                duty["user_id"] = change["to_user_id"]
                duty["change_id"] = change["id"]
                break
    return duties


def duty_state(duty, now):
    """'now' while it runs, 'soon' just before (can be started), 'later', or 'over'."""
    if duty["end_at"] <= now:
        return "over"
    if duty["start_at"] <= now:
        return "now"
    if duty["start_at"] - START_EARLY <= now:
        return "soon"
    return "later"


def can_start(duty, now):
    """Whether "Start vakt" is offered for this duty at this moment."""
    return duty_state(duty, now) in ("now", "soon")


def now_or_next(duties, now):
    """The duty running now, else the next one to come, else None."""
    upcoming = [d for d in duties if d["end_at"] > now]
    running = [d for d in upcoming if d["start_at"] <= now]
    if running:
        return running[0]
    return min(upcoming, key=lambda d: d["start_at"], default=None)


def minutes_until(duty, now):
    """Whole minutes (rounded up) until the duty starts; 0 once it has."""
    seconds = (duty["start_at"] - now).total_seconds()
    return max(0, -int(-seconds // 60))


def upcoming_school_days(today, count):
    """The next `count` weekdays from today (today included if it is one)."""
    days, day = [], today
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def current_or_next_slot(slots, day, now):
    """Today's slot running now, else the next one today, else None."""
    for slot in slots:
        if now < moment(day, slot["ends"]):
            return slot
    return None


def coverage(zones, slot, duties, sessions, day, now):
    """For one slot: each zone with who is rostered and whether they have started.

    zones: active zones (plus any zone a duty is in); duties: the day's duties;
    sessions: the day's duty_session rows. A zone with nobody rostered, or
    where nobody has started once the slot is running, is marked uncovered.
    """
    running = moment(day, slot["starts"]) <= now < moment(day, slot["ends"])
    rows = []
    for zone in zones:
        people = []
        for duty in (d for d in duties if d["slot_id"] == slot["id"] and d["zone_id"] == zone["id"]):
            mine = [s for s in sessions if s["user_id"] == duty["user_id"] and s["zone_id"] == zone["id"]
                    and s["slot_id"] == slot["id"]]
            latest = max(mine, key=lambda s: s["started_at"], default=None)
            status = "not_started" if latest is None else ("ended" if latest["ended_at"] else "started")
            people.append({"duty": duty, "session": latest, "status": status})
        started = any(p["status"] == "started" for p in people)
        rows.append({
            "zone": zone, "people": people, "nobody_rostered": not people,
            "uncovered": not people or (running and not started),
        })
    return {"slot": slot, "running": running, "zones": rows,
            "uncovered": sum(1 for row in rows if row["uncovered"])}


# a duty nobody ended stays open this long after its planned end, so whoever
# is writing down what happened at the bell is not cut off mid-sentence
CLOCK_GRACE = timedelta(minutes=15)

HANDOVER_MAX = 500

NOTE_MAX = 200

LOOK_FOR_MAX = 140


def flag_problems(look_for, until_text, today):
    """Messages for the flag form, keyed by field; also the parsed date."""
    problems = {}
    look_for = (look_for or "").strip()
    if not look_for:
        problems["look_for"] = "Skriv kort hva de som har tilsyn skal se etter."
    elif len(look_for) > LOOK_FOR_MAX:
        problems["look_for"] = f"Hold det kort: høyst {LOOK_FOR_MAX} tegn."
    until = parse_date(until_text or "")
    if until is None:
        problems["until"] = "Skriv en dato (dd.mm.åååå)."
    elif until < today:
        problems["until"] = "Datoen har allerede vært."
    return problems, until
