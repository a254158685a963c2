"""Tilsyn's records: the tilsynsplan in force, its edits, duties as carried out, swaps and følg med på.

Functions take the database and the school explicitly; writes open a
transaction (a savepoint inside the caller's).
"""
from datetime import date, timedelta

from ..clock import OSLO, local, to_utc_iso
from ..db import one, scalar, transaction
from ..school.store import school_member, user_names, zones_of
from .rules import (
    CLOCK_GRACE,
    HANDOVER_MAX,
    NOTE_MAX,
    SlotProblem,
    apply_changes,
    moment,
    overlap_problem,
)


def _in_force(table):
    return f"{table}.valid_from <= :day AND ({table}.valid_to IS NULL OR {table}.valid_to >= :day)"


def slots_on(db, school_id, day):
    """The roster's time slots in force on a date, earliest first."""
    return list(db.query(
        f"SELECT * FROM duty_slot WHERE school_id = :school AND {_in_force('duty_slot')} "
        "ORDER BY starts", {"school": school_id, "day": day.isoformat()}))


def slot_by_id(db, slot_id):
    """A time slot's row (one in force or not), or None."""
    return one(db, "SELECT * FROM duty_slot WHERE id = ?", [slot_id])


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


def free_days_from(db, school_id, day):
    """The dates without duties from this date on, earliest first."""
    return list(db.query("SELECT * FROM duty_free_day WHERE school_id = ? AND day >= ? ORDER BY day",
                         [school_id, day.isoformat()]))


def add_free_day(db, school_id, day, reason, user_id, created_at):
    """Mark a date as one without duties (a planning day and the like)."""
    with transaction(db):
        db["duty_free_day"].insert({"school_id": school_id, "day": day.isoformat(), "reason": reason,
                                    "created_by": user_id, "created_at": created_at})


def remove_free_day(db, school_id, day):
    """Give a date its duties back."""
    with transaction(db):
        db.execute("DELETE FROM duty_free_day WHERE school_id = ? AND day = ?", [school_id, day.isoformat()])


def weekly_assignments(db, school_id, day):
    """The plan's rows for the weekday of a date, as in force that date (no dated changes)."""
    return list(db.query(
        "SELECT duty_assignment.slot_id, duty_assignment.zone_id, duty_assignment.user_id, "
        "duty_assignment.weekday FROM duty_assignment "
        "JOIN duty_slot ON duty_slot.id = duty_assignment.slot_id "
        f"WHERE duty_assignment.school_id = :school AND {_in_force('duty_assignment')} "
        f"AND {_in_force('duty_slot')} ORDER BY duty_assignment.id",
        {"school": school_id, "day": day.isoformat()}))


def plan_grid(db, school_id, day):
    """Who the weekly plan in force on a date puts where: {(slot, zone, weekday): [names]}."""
    grid = {}
    for row in db.query(
            "SELECT duty_assignment.slot_id, duty_assignment.zone_id, duty_assignment.weekday, "
            "user.full_name FROM duty_assignment JOIN user ON user.id = duty_assignment.user_id "
            f"WHERE duty_assignment.school_id = :school AND {_in_force('duty_assignment')} "
            "ORDER BY duty_assignment.id", {"school": school_id, "day": day.isoformat()}):
        grid.setdefault((row["slot_id"], row["zone_id"], row["weekday"]), []).append(row["full_name"])
    return grid


def accepted_changes(db, school_id, day):
    """Swaps and reassignments in effect on a date, in the order they were agreed."""
    return list(db.query(
        "SELECT * FROM duty_change WHERE school_id = ? AND duty_date = ? AND status = 'accepted' "
        "ORDER BY answered_at, id", [school_id, day.isoformat()]))


def duties_on(db, school_id, day):
    """Every duty on a date: slot, zone and person, swaps applied, with names and times.

    Nothing on Saturdays, Sundays and dates marked as having no duties.
    """
    if day.weekday() > 4 or free_day(db, school_id, day):
        return []
    rows = [row for row in weekly_assignments(db, school_id, day) if row["weekday"] == day.weekday()]
    duties = apply_changes(rows, accepted_changes(db, school_id, day))
    slots = {slot["id"]: slot for slot in slots_on(db, school_id, day)}
    zones = {zone["id"]: zone for zone in zones_of(db, school_id)}
    people = user_names(db, {d["user_id"] for d in duties} | {d["rostered_user_id"] for d in duties})
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


def duties_of(db, school_id, user_id, days):
    """A person's duties on the given dates, in time order."""
    return [duty for day in days for duty in duties_on(db, school_id, day) if duty["user_id"] == user_id]


def find_duty(db, school_id, day, slot_id, zone_id, user_id):
    """A person's duty on a date in that slot and zone, or None."""
    for duty in duties_on(db, school_id, day):
        if (duty["slot_id"], duty["zone_id"], duty["user_id"]) == (slot_id, zone_id, user_id):
            return duty
    return None


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


def _open_session(db, user_id):
    """The person's latest duty not ended, or None."""
    return one(db, "SELECT * FROM duty_session WHERE user_id = ? AND ended_at IS NULL "
                   "ORDER BY started_at DESC LIMIT 1", [user_id])


def current_duty_session(db, user_id, now):
    """The person's duty in progress (a duty_session row as a dict), or None."""
    close_expired_sessions(db, now)
    return _open_session(db, user_id)


def start_session(db, school_id, user_id, duty, now):
    """Start a rostered duty; returns the session id (the open one, if already started).

    A duty still open from an earlier slot ends now: the person has moved on.
    """
    close_expired_sessions(db, now)
    with transaction(db):
        running = _open_session(db, user_id)
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
    zones = {zone["id"]: zone for zone in zones_of(db, school_id)}
    slots = {slot["id"]: slot for slot in slots_on(db, school_id, day)}
    for session in sessions:  # a slot changed later in the day still shows
        if session["slot_id"] and session["slot_id"] not in slots:
            slots[session["slot_id"]] = slot_by_id(db, session["slot_id"])
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


def _end_rows(db, table, where, params, today):
    """Close rows in force: delete those that began today, end the others yesterday."""
    day = today.isoformat()
    yesterday = (today - timedelta(days=1)).isoformat()
    current = f"{where} AND valid_to IS NULL"
    db.execute(f"DELETE FROM {table} WHERE {current} AND valid_from >= ?", [*params, day])
    db.execute(f"UPDATE {table} SET valid_to = ? WHERE {current}", [yesterday, *params])


def add_slot(db, school_id, starts, ends, today, current):
    """Add a time slot from today; raises SlotProblem if it overlaps a current one."""
    problem = overlap_problem((starts, ends), [(s["starts"], s["ends"]) for s in current])
    if problem:
        raise SlotProblem(problem)
    with transaction(db):
        return db["duty_slot"].insert({"school_id": school_id, "starts": starts, "ends": ends,
                                       "valid_from": today.isoformat(), "valid_to": None}).last_pk


def change_slot(db, school_id, slot, starts, ends, today, current):
    """Give a slot new times from today, keeping its staff; returns the slot id now in force.

    The old slot keeps its times for the days it was used; its staff and the
    dated swaps still to come move to the new one.
    """
    others = [(s["starts"], s["ends"]) for s in current if s["id"] != slot["id"]]
    problem = overlap_problem((starts, ends), others)
    if problem:
        raise SlotProblem(problem)
    with transaction(db):
        if slot["valid_from"] >= today.isoformat():
            db["duty_slot"].update(slot["id"], {"starts": starts, "ends": ends})
            return slot["id"]
        new_id = db["duty_slot"].insert({"school_id": school_id, "starts": starts, "ends": ends,
                                         "valid_from": today.isoformat(), "valid_to": None}).last_pk
        for row in db.query("SELECT * FROM duty_assignment WHERE slot_id = ? AND valid_to IS NULL",
                            [slot["id"]]):
            db["duty_assignment"].insert({
                "school_id": school_id, "slot_id": new_id, "zone_id": row["zone_id"],
                "weekday": row["weekday"], "user_id": row["user_id"],
                "valid_from": today.isoformat(), "valid_to": None})
        _end_rows(db, "duty_assignment", "slot_id = ?", [slot["id"]], today)
        db.execute("UPDATE duty_change SET slot_id = ? WHERE slot_id = ? AND duty_date >= ?",
                   [new_id, slot["id"], today.isoformat()])
        db.execute("UPDATE duty_slot SET valid_to = ? WHERE id = ?",
                   [(today - timedelta(days=1)).isoformat(), slot["id"]])
        return new_id


def end_slot(db, slot, today):
    """Take a slot and its staff off the plan from today."""
    with transaction(db):
        _end_rows(db, "duty_assignment", "slot_id = ?", [slot["id"]], today)
        if slot["valid_from"] >= today.isoformat():
            if not db.execute("SELECT 1 FROM duty_session WHERE slot_id = ? UNION ALL "
                              "SELECT 1 FROM duty_change WHERE slot_id = ? UNION ALL "
                              "SELECT 1 FROM duty_assignment WHERE slot_id = ?",
                              [slot["id"]] * 3).fetchone():
                db.execute("DELETE FROM duty_slot WHERE id = ?", [slot["id"]])
                return
        # a slot begun today and already used ends before it began: never in force
        db.execute("UPDATE duty_slot SET valid_to = ? WHERE id = ?",
                   [(today - timedelta(days=1)).isoformat(), slot["id"]])


def cell_user_ids(db, slot_id, zone_id, weekday):
    """Who the current plan names in one cell."""
    return [row[0] for row in db.execute(
        "SELECT user_id FROM duty_assignment WHERE slot_id = ? AND zone_id = ? AND weekday = ? "
        "AND valid_to IS NULL ORDER BY id", [slot_id, zone_id, weekday])]


def set_cell(db, school_id, slot_id, zone_id, weekday, user_ids, today):
    """Put exactly these people in one cell of the plan, from today."""
    with transaction(db):
        present = cell_user_ids(db, slot_id, zone_id, weekday)
        for user_id in present:
            if user_id not in user_ids:
                _end_rows(db, "duty_assignment",
                          "slot_id = ? AND zone_id = ? AND weekday = ? AND user_id = ?",
                          [slot_id, zone_id, weekday, user_id], today)
        for user_id in user_ids:
            if user_id not in present:
                db["duty_assignment"].insert({
                    "school_id": school_id, "slot_id": slot_id, "zone_id": zone_id, "weekday": weekday,
                    "user_id": user_id, "valid_from": today.isoformat(), "valid_to": None})


def replace_plan(db, school_id, slots, new_zone_names, cells, today):
    """Replace the whole current plan with an imported one, from today (all or nothing).

    slots: [(starts, ends)]; new_zone_names: zones to create; cells:
    [(starts, ends, zone name, weekday, user_id)].
    """
    with transaction(db):
        _end_rows(db, "duty_assignment", "school_id = ?", [school_id], today)
        existing = {(s["starts"], s["ends"]): s for s in db.query(
            "SELECT * FROM duty_slot WHERE school_id = ? AND valid_to IS NULL", [school_id])}
        slot_ids = {}
        for key, slot in existing.items():
            if key in slots:
                slot_ids[key] = slot["id"]
            else:
                end_slot(db, slot, today)
        for key in slots:
            if key not in slot_ids:
                slot_ids[key] = db["duty_slot"].insert({
                    "school_id": school_id, "starts": key[0], "ends": key[1],
                    "valid_from": today.isoformat(), "valid_to": None}).last_pk
        order = db.execute("SELECT coalesce(max(sort_order), -1) FROM zone WHERE school_id = ?",
                           [school_id]).fetchone()[0]
        for name in new_zone_names:
            order += 1
            db["zone"].insert({"school_id": school_id, "name": name, "polygon": "[]",
                               "sort_order": order, "active": 1})
        zones = {row["name"].lower(): row["id"] for row in
                 db.query("SELECT id, name FROM zone WHERE school_id = ?", [school_id])}
        for starts, ends, zone_name, weekday, user_id in cells:
            db["duty_assignment"].insert({
                "school_id": school_id, "slot_id": slot_ids[(starts, ends)],
                "zone_id": zones[zone_name.lower()], "weekday": weekday, "user_id": user_id,
                "valid_from": today.isoformat(), "valid_to": None})


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


def active_flags(db, school_id, today):
    """Flags shown today: not taken off, and `until` not passed. Name, class and the line only."""
    return list(db.query(
        "SELECT watch_flag.id, watch_flag.pupil_id, watch_flag.look_for, watch_flag.until, "
        "pupil.full_name, school_class.name AS class_name FROM watch_flag "
        "JOIN pupil ON pupil.id = watch_flag.pupil_id "
        "LEFT JOIN school_class ON school_class.id = pupil.class_id "
        "WHERE watch_flag.school_id = ? AND watch_flag.ended_at IS NULL AND watch_flag.until >= ? "
        "AND pupil.active ORDER BY school_class.name, pupil.full_name",
        [school_id, today.isoformat()]))


def may_flag(db, user, school_id, pupil_id):
    """Leaders flag any pupil of the school; staff only pupils in a class they are contact teacher of."""
    if user.role == "leader":
        return one(db, "SELECT 1 FROM pupil WHERE id = ? AND school_id = ?", [pupil_id, school_id]) is not None
    return one(db, "SELECT 1 FROM pupil JOIN school_class ON school_class.id = pupil.class_id "
                   "WHERE pupil.id = ? AND pupil.school_id = ? AND school_class.contact_teacher_id = ?",
               [pupil_id, school_id, user.id]) is not None


def flaggable_pupils(db, user, school_id):
    """The pupils this person may flag, by class."""
    mine = "" if user.role == "leader" else " AND school_class.contact_teacher_id = :user"
    return list(db.query(
        "SELECT pupil.id, pupil.full_name, school_class.name AS class_name FROM pupil "
        "JOIN school_class ON school_class.id = pupil.class_id "
        f"WHERE pupil.school_id = :school AND pupil.active{mine} "
        "ORDER BY school_class.name, pupil.full_name", {"school": school_id, "user": user.id}))


def flags_managed_by(db, user, school_id, today):
    """Flags in force that this person may see on the management page (leaders: all)."""
    mine = ("" if user.role == "leader"
            else " AND (watch_flag.created_by = :user OR school_class.contact_teacher_id = :user)")
    return list(db.query(
        "SELECT watch_flag.*, pupil.full_name, school_class.name AS class_name, "
        "author.full_name AS author FROM watch_flag "
        "JOIN pupil ON pupil.id = watch_flag.pupil_id "
        "LEFT JOIN school_class ON school_class.id = pupil.class_id "
        "JOIN user AS author ON author.id = watch_flag.created_by "
        "WHERE watch_flag.school_id = :school AND watch_flag.ended_at IS NULL "
        f"AND watch_flag.until >= :today{mine} ORDER BY school_class.name, pupil.full_name",
        {"school": school_id, "today": today.isoformat(), "user": user.id}))


def add_flag(db, school_id, pupil_id, look_for, until, user_id, created_at):
    """Put a pupil on the list duty staff keep an eye on, until a date; returns the flag's id."""
    with transaction(db):
        return db["watch_flag"].insert({
            "school_id": school_id, "pupil_id": pupil_id, "look_for": look_for, "until": until.isoformat(),
            "created_by": user_id, "created_at": created_at}).last_pk


def end_flag(db, flag_id, user_id, ended_at):
    """Take a pupil off the watch list (once: a second tap changes nothing)."""
    with transaction(db):
        db.execute("UPDATE watch_flag SET ended_at = ?, ended_by = ? WHERE id = ? AND ended_at IS NULL",
                   [ended_at, user_id, flag_id])
