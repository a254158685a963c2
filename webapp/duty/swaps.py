"""Swaps asked for in advance, and reassignments by a leader, of one dated duty."""
from datetime import date

from ..school.store import school_member
from ..clock import to_utc_iso
from ..db import one, transaction
from .roster import duties_on, find_duty

NOTE_MAX = 200


def change_problem(db, school_id, duty, to_user_id, now, *, must_not_have_started=True):
    """A Norwegian message if this duty cannot go to that person now, else None."""
    if duty is None:
        return "Vakten finnes ikke lenger i tilsynsplanen."
    if must_not_have_started and duty["start_at"] <= now:
        return "Vakten har allerede begynt. Bytter avtales på forhånd."
    if duty["end_at"] <= now:
        return "Vakten er over."
    if to_user_id == duty["user_id"]:
        return "Velg en annen enn den som har vakten."
    person = school_member(db, school_id, to_user_id) if to_user_id else None
    if person is None or not person["active"] or person["role"] not in ("staff", "leader"):
        return "Velg en kollega fra listen."
    for other in duties_on(db, school_id, duty["date"]):
        if other["user_id"] == to_user_id and other["slot_id"] == duty["slot_id"]:
            return f"{person['full_name']} har allerede tilsyn på {other['zone_name']} samme tid."
    return None


def _record_change(db, school_id, duty, to_user_id, note, now, *, kind, requested_by):
    """Store a swap asked for (waiting for an answer) or a reassignment (in force at once); returns its id."""
    reassign = kind == "reassign"
    with transaction(db):
        return db["duty_change"].insert({
            "school_id": school_id, "duty_date": duty["date"].isoformat(), "slot_id": duty["slot_id"],
            "zone_id": duty["zone_id"], "from_user_id": duty["user_id"], "to_user_id": to_user_id,
            "kind": kind, "status": "accepted" if reassign else "requested", "note": (note or "").strip()[:NOTE_MAX],
            "requested_by": requested_by, "requested_at": to_utc_iso(now),
            "answered_at": to_utc_iso(now) if reassign else None,
        }).last_pk


def request_swap(db, school_id, duty, to_user_id, note, now):
    """Ask a colleague to take a dated duty; returns (change id, None) or (None, problem)."""
    problem = change_problem(db, school_id, duty, to_user_id, now)
    if problem is None and one(db, "SELECT 1 FROM duty_change WHERE school_id = ? AND duty_date = ? "
                                   "AND slot_id = ? AND zone_id = ? AND from_user_id = ? "
                                   "AND status = 'requested'",
                               [school_id, duty["date"].isoformat(), duty["slot_id"], duty["zone_id"],
                                duty["user_id"]]):
        problem = "Du har allerede bedt om bytte for denne vakten. Trekk den tilbake først."
    if problem:
        return None, problem
    return _record_change(db, school_id, duty, to_user_id, note, now, kind="swap", requested_by=duty["user_id"]), None


def answer_swap(db, change, accept, now):
    """The colleague accepts or declines; returns a problem if accepting is no longer possible."""
    if change["status"] != "requested":
        return "Forespørselen er allerede besvart eller trukket tilbake."
    if accept:
        day = date.fromisoformat(change["duty_date"])
        duty = find_duty(db, change["school_id"], day, change["slot_id"], change["zone_id"],
                         change["from_user_id"])
        problem = change_problem(db, change["school_id"], duty, change["to_user_id"], now)
        if problem:
            return problem
    with transaction(db):
        db.execute("UPDATE duty_change SET status = ?, answered_at = ? WHERE id = ? AND status = 'requested'",
                   ["accepted" if accept else "declined", to_utc_iso(now), change["id"]])
    return None


def withdraw_swap(db, change, now):
    """The one who asked takes the request back, while it is unanswered."""
    with transaction(db):
        db.execute("UPDATE duty_change SET status = 'withdrawn', answered_at = ? "
                   "WHERE id = ? AND status = 'requested'", [to_utc_iso(now), change["id"]])


def reassign(db, school_id, duty, to_user_id, leader_id, note, now):
    """A leader moves a dated duty to someone else at once; returns (change id, problem)."""
    problem = change_problem(db, school_id, duty, to_user_id, now, must_not_have_started=False)
    if problem:
        return None, problem
    return _record_change(db, school_id, duty, to_user_id, note, now, kind="reassign", requested_by=leader_id), None


CHANGE_QUERY = """
    SELECT duty_change.*, duty_slot.starts, duty_slot.ends, zone.name AS zone_name,
           giver.full_name AS from_name, taker.full_name AS to_name, asker.full_name AS asked_by_name
    FROM duty_change
    JOIN duty_slot ON duty_slot.id = duty_change.slot_id
    JOIN zone ON zone.id = duty_change.zone_id
    JOIN user AS giver ON giver.id = duty_change.from_user_id
    JOIN user AS taker ON taker.id = duty_change.to_user_id
    JOIN user AS asker ON asker.id = duty_change.requested_by
"""


def changes_for_user(db, school_id, user_id, today):
    """Requests to and from a person about duties from today on."""
    return list(db.query(
        CHANGE_QUERY + "WHERE duty_change.school_id = ? AND duty_change.duty_date >= ? "
        "AND (duty_change.to_user_id = ? OR duty_change.from_user_id = ?) "
        "ORDER BY duty_change.duty_date, duty_slot.starts",
        [school_id, today.isoformat(), user_id, user_id]))


def changes_from(db, school_id, first_day):
    """Every swap and reassignment of the school for dates from first_day on."""
    return list(db.query(
        CHANGE_QUERY + "WHERE duty_change.school_id = ? AND duty_change.duty_date >= ? "
        "ORDER BY duty_change.duty_date, duty_slot.starts, duty_change.id",
        [school_id, first_day.isoformat()]))


def pending_count(db, school_id, user_id, today):
    """Unanswered swap requests waiting for this person."""
    return db.execute("SELECT count(*) FROM duty_change WHERE school_id = ? AND to_user_id = ? "
                      "AND status = 'requested' AND duty_date >= ?",
                      [school_id, user_id, today.isoformat()]).fetchone()[0]
