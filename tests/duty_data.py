"""A small tilsynsplan for the test school, and a colleague to swap with."""
from datetime import date

from webapp import clock
from webapp.db import transaction
from webapp.duty.rules import moment

from . import data

COLLEAGUE = 31
TUNET, OVRE, IDRETT = 1, 2, 3  # school A's zones (tests/data.py)
MONDAY = date(2026, 11, 23)
SINCE = "2026-01-01"


def at(day, clock_time):
    """An aware Oslo moment on a date."""
    return moment(day, clock_time)


def load_roster(db):
    """Three slots; ansatt on Tunet 08:20 and (with the colleague) 09:45; leder on Idrettsplass 11:15.

    Øvre/nedre has the colleague at 08:20; Idrettsplass has nobody at 08:20.
    Returns {name: slot id}.
    """
    with transaction(db):
        db["user"].insert({"id": COLLEAGUE, "username": "kollega", "full_name": "Kåre Kollega",
                           "password_hash": db.execute("SELECT password_hash FROM user WHERE id = ?",
                                                       [data.STAFF]).fetchone()[0],
                           "role": "staff", "created_at": clock.utc_iso_now()})
        db["membership"].insert({"user_id": COLLEAGUE, "school_id": data.SCHOOL_A})
        slots = {}
        for name, starts, ends in [("morning", "08:20", "08:30"), ("break", "09:45", "10:00"),
                                   ("lunch", "11:15", "11:30")]:
            slots[name] = db["duty_slot"].insert({"school_id": data.SCHOOL_A, "starts": starts, "ends": ends,
                                                  "valid_from": SINCE}).last_pk
        cells = [("morning", TUNET, data.STAFF), ("morning", OVRE, COLLEAGUE),
                 ("break", TUNET, data.STAFF), ("break", TUNET, COLLEAGUE), ("lunch", IDRETT, data.LEADER)]
        for weekday in range(5):
            for slot, zone, user in cells:
                db["duty_assignment"].insert({
                    "school_id": data.SCHOOL_A, "slot_id": slots[slot], "zone_id": zone, "weekday": weekday,
                    "user_id": user, "valid_from": SINCE})
    return slots
