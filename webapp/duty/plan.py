"""Changing the tilsynsplan: slots, cells and a whole imported plan.

A change takes effect from `today`. Rows that were in force on earlier days
are closed (valid_to = yesterday) rather than changed or deleted, so the
roster of a past day stays as it was; rows created today and changed again
today never applied to a past day and are simply replaced.
"""
from datetime import timedelta

from ..db import transaction
from .roster import overlap_problem, SlotProblem


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
