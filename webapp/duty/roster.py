"""The tilsynsplan (Vedlegg 2:2): who is on duty where, on a given day and at a given moment.

Rules here are plain functions of the database and an injected `now` or `day`;
nothing reads the clock. Times are local Europe/Oslo clock times on a local
date, turned into aware datetimes only when compared with `now`, so a duty at
08:20 is at 08:20 on both sides of a daylight-saving change.
"""
import re
from datetime import date, datetime, time, timedelta

from ..clock import OSLO, WEEKDAYS
from ..db import one, scalar

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


def _in_force(table):
    return f"{table}.valid_from <= :day AND ({table}.valid_to IS NULL OR {table}.valid_to >= :day)"


def slots_on(db, school_id, day):
    """The roster's time slots in force on a date, earliest first."""
    return list(db.query(
        f"SELECT * FROM duty_slot WHERE school_id = :school AND {_in_force('duty_slot')} "
        "ORDER BY starts", {"school": school_id, "day": day.isoformat()}))


def plan_valid_from(db, school_id, day):
    """The date from which the plan in force on `day` has been as it is (its last change), or None without a plan.

    Every change to the plan begins rows (valid_from: the day of the change) or
    ends them (valid_to: the day before it), so the plan of a date has been
    unchanged since the latest of: a row in force that day begun, a row ended before it.
    """
    changed = scalar(db, f"""
        SELECT max(changed) FROM (
          SELECT valid_from AS changed FROM duty_slot WHERE school_id = :school AND {_in_force('duty_slot')}
          UNION ALL SELECT valid_from FROM duty_assignment
            WHERE school_id = :school AND {_in_force('duty_assignment')}
          UNION ALL SELECT date(valid_to, '+1 day') FROM duty_slot WHERE school_id = :school AND valid_to < :day
          UNION ALL SELECT date(valid_to, '+1 day') FROM duty_assignment
            WHERE school_id = :school AND valid_to < :day)""", {"school": school_id, "day": day.isoformat()})
    return date.fromisoformat(changed) if changed else None


def free_day(db, school_id, day):
    """The 'no duties' mark on a date, or None."""
    return one(db, "SELECT * FROM duty_free_day WHERE school_id = ? AND day = ?",
               [school_id, day.isoformat()])


def weekly_assignments(db, school_id, day):
    """The plan's rows for the weekday of a date, as in force that date (no dated changes)."""
    return list(db.query(
        "SELECT duty_assignment.slot_id, duty_assignment.zone_id, duty_assignment.user_id, "
        "duty_assignment.weekday FROM duty_assignment "
        "JOIN duty_slot ON duty_slot.id = duty_assignment.slot_id "
        f"WHERE duty_assignment.school_id = :school AND {_in_force('duty_assignment')} "
        f"AND {_in_force('duty_slot')} ORDER BY duty_assignment.id",
        {"school": school_id, "day": day.isoformat()}))


def accepted_changes(db, school_id, day):
    """Swaps and reassignments in effect on a date, in the order they were agreed."""
    return list(db.query(
        "SELECT * FROM duty_change WHERE school_id = ? AND duty_date = ? AND status = 'accepted' "
        "ORDER BY answered_at, id", [school_id, day.isoformat()]))


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


def duties_on(db, school_id, day):
    """Every duty on a date: slot, zone and person, swaps applied, with names and times.

    Nothing on Saturdays, Sundays and dates marked as having no duties.
    """
    if day.weekday() > 4 or free_day(db, school_id, day):
        return []
    rows = [row for row in weekly_assignments(db, school_id, day) if row["weekday"] == day.weekday()]
    duties = apply_changes(rows, accepted_changes(db, school_id, day))
    slots = {slot["id"]: slot for slot in slots_on(db, school_id, day)}
    zones = {zone["id"]: zone for zone in db.query("SELECT * FROM zone WHERE school_id = ?", [school_id])}
    people = _names(db, {d["user_id"] for d in duties} | {d["rostered_user_id"] for d in duties})
    result = []
    for duty in duties:
        slot, zone = slots[duty["slot_id"]], zones[duty["zone_id"]]
        result.append({
            **duty,
            "date": day,
            "starts": slot["starts"], "ends": slot["ends"],
            "start_at": moment(day, slot["starts"]), "end_at": moment(day, slot["ends"]),
            "zone_name": zone["name"], "zone_order": (zone["sort_order"], zone["name"]),
            "user_name": people.get(duty["user_id"], "?"),
            "rostered_user_name": people.get(duty["rostered_user_id"], "?"),
        })
    result.sort(key=lambda d: (d["starts"], d["zone_order"], d["user_name"]))
    return result


def _names(db, user_ids):
    ids = sorted(user_ids)
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {row["id"]: row["full_name"] for row in
            db.query(f"SELECT id, full_name FROM user WHERE id IN ({marks})", ids)}


def duties_of(db, school_id, user_id, days):
    """A person's duties on the given dates, in time order."""
    return [duty for day in days for duty in duties_on(db, school_id, day) if duty["user_id"] == user_id]


def find_duty(db, school_id, day, slot_id, zone_id, user_id):
    """A person's duty on a date in that slot and zone, or None."""
    for duty in duties_on(db, school_id, day):
        if (duty["slot_id"], duty["zone_id"], duty["user_id"]) == (slot_id, zone_id, user_id):
            return duty
    return None


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
