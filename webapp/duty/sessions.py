"""Duties as carried out: starting and ending a duty_session, and the record of them.

A duty in progress is a duty_session row with ended_at NULL. There is no
background worker: `close_expired_sessions(db, now)` ends forgotten duties
"by the clock" and is called wherever sessions are read.

This record is what the school shows when asked whether supervision was in
place, so rows are only ever added to or ended, never rewritten.
"""
from datetime import date, timedelta

from ..clock import OSLO, local, to_utc_iso
from ..db import one, transaction
from .roster import duties_on, moment, slots_on

# a duty nobody ended stays open this long after its planned end, so whoever
# is writing down what happened at the bell is not cut off mid-sentence
CLOCK_GRACE = timedelta(minutes=15)
HANDOVER_MAX = 500


def close_expired_sessions(db, now):
    """End every duty still open after its planned end (plus grace), as ended by the clock.

    The recorded end is the planned end: that is when the duty was over.
    """
    cutoff = to_utc_iso(now - CLOCK_GRACE)
    open_rows = list(db.query(
        "SELECT id, planned_end_at, duty_date FROM duty_session WHERE ended_at IS NULL "
        "AND (planned_end_at <= ? OR (planned_end_at IS NULL AND duty_date < ?))",
        [cutoff, now.astimezone(OSLO).date().isoformat()]))
    if not open_rows:
        return 0
    with transaction(db):
        for row in open_rows:
            # a session without a planned end (none of ours) ends with its day
            end = row["planned_end_at"] or to_utc_iso(moment(date.fromisoformat(row["duty_date"]), "23:59"))
            db.execute("UPDATE duty_session SET ended_at = ?, ended_by = 'clock' "
                       "WHERE id = ? AND ended_at IS NULL", [end, row["id"]])
    return len(open_rows)


def current_duty_session(db, user_id, now):
    """The person's duty in progress (a duty_session row as a dict), or None."""
    close_expired_sessions(db, now)
    return one(db, "SELECT * FROM duty_session WHERE user_id = ? AND ended_at IS NULL "
                   "ORDER BY started_at DESC LIMIT 1", [user_id])


def start_session(db, school_id, user_id, duty, now):
    """Start a rostered duty; returns the session id (the open one, if already started).

    A duty still open from an earlier slot ends now: the person has moved on.
    """
    close_expired_sessions(db, now)
    with transaction(db):
        running = one(db, "SELECT * FROM duty_session WHERE user_id = ? AND ended_at IS NULL "
                          "ORDER BY started_at DESC LIMIT 1", [user_id])
        if running and (running["duty_date"], running["slot_id"], running["zone_id"]) == (
                duty["date"].isoformat(), duty["slot_id"], duty["zone_id"]):
            return running["id"]
        if running:
            db.execute("UPDATE duty_session SET ended_at = ?, ended_by = 'user' WHERE id = ?",
                       [to_utc_iso(min(now, local(running["planned_end_at"] or to_utc_iso(now)))),
                        running["id"]])
        return db["duty_session"].insert({
            "school_id": school_id, "user_id": user_id, "zone_id": duty["zone_id"],
            "slot_id": duty["slot_id"], "duty_date": duty["date"].isoformat(),
            "started_at": to_utc_iso(now), "ended_at": None, "ended_by": None,
            "handover_note": "", "planned_end_at": to_utc_iso(duty["end_at"]),
            "change_id": duty["change_id"]}).last_pk


def end_session(db, session, now, handover_note=""):
    """End a duty by the person's own hand, with an optional note for the next one on duty.

    A duty the clock already ended keeps its end; only the note is added.
    """
    note = (handover_note or "").strip()[:HANDOVER_MAX]
    with transaction(db):
        if session["ended_at"] is None:
            db.execute("UPDATE duty_session SET ended_at = ?, ended_by = 'user', handover_note = ? "
                       "WHERE id = ? AND ended_at IS NULL", [to_utc_iso(now), note, session["id"]])
        elif note:
            db.execute("UPDATE duty_session SET handover_note = ? WHERE id = ? AND handover_note = ''",
                       [note, session["id"]])


def handover_for(db, session):
    """The latest handover note left in the same zone on the same day before this duty began."""
    return one(db, """
        SELECT duty_session.*, user.full_name AS author FROM duty_session
        JOIN user ON user.id = duty_session.user_id
        WHERE duty_session.school_id = ? AND duty_session.zone_id = ? AND duty_session.duty_date = ?
          AND duty_session.id != ? AND duty_session.handover_note != ''
          AND duty_session.ended_at IS NOT NULL
        ORDER BY duty_session.ended_at DESC LIMIT 1""",
        [session["school_id"], session["zone_id"], session["duty_date"], session["id"]])


def sessions_on(db, school_id, day):
    """Every duty_session of a school on a date, with the person's name."""
    return list(db.query(
        "SELECT duty_session.*, user.full_name AS user_name FROM duty_session "
        "JOIN user ON user.id = duty_session.user_id "
        "WHERE duty_session.school_id = ? AND duty_session.duty_date = ? ORDER BY started_at",
        [school_id, day.isoformat()]))


def duty_record(db, school_id, day, now):
    """Who was on duty where on a date: each slot and zone, who was rostered, what happened.

    Rostered people come from the plan as it was that day with swaps applied;
    started and ended come from the sessions exactly as recorded.
    """
    close_expired_sessions(db, now)
    duties = duties_on(db, school_id, day)
    sessions = sessions_on(db, school_id, day)
    zones = {row["id"]: row for row in db.query("SELECT * FROM zone WHERE school_id = ?", [school_id])}
    slots = {slot["id"]: slot for slot in slots_on(db, school_id, day)}
    for session in sessions:  # a slot changed later in the day still shows
        if session["slot_id"] and session["slot_id"] not in slots:
            slots[session["slot_id"]] = one(db, "SELECT * FROM duty_slot WHERE id = ?", [session["slot_id"]])
    rows = []
    for slot in sorted(slots.values(), key=lambda s: s["starts"]):
        zone_ids = {d["zone_id"] for d in duties if d["slot_id"] == slot["id"]} | {
            s["zone_id"] for s in sessions if s["slot_id"] == slot["id"]}
        for zone_id in sorted(zone_ids, key=lambda z: (zones[z]["sort_order"], zones[z]["name"])):
            rows.append({
                "slot": slot, "zone": zones[zone_id],
                "rostered": [d for d in duties if d["slot_id"] == slot["id"] and d["zone_id"] == zone_id],
                "sessions": [s for s in sessions if s["slot_id"] == slot["id"] and s["zone_id"] == zone_id],
            })
    return rows
