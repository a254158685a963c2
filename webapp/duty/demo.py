"""Demo tilsyn: a full roster shaped like Vedlegg 2:2, a week of duties done, a swap, a flagged pupil."""
from datetime import time, timedelta

from ..clock import to_utc_iso
from ..demo import at, demo_step, school_day, school_time_after, school_time_before
from ..school.store import zones_of
from .rules import CLOCK_GRACE, upcoming_school_days
from .store import duties_on

# Vedlegg 2:2's time slots
DEMO_SLOTS = [("08:20", "08:30"), ("09:45", "10:00"), ("11:15", "11:30"),
              ("11:30", "11:45"), ("11:45", "12:00"), ("12:00", "12:15")]
# everyone at Solbakken who takes duties; "ansatt" first
DEMO_ROSTER_STAFF = ["ansatt", "marte.dahl", "jonas.berg", "sofie.haugen", "emil.strand", "nora.vik",
                     "olav.moen", "eva.lie", "tor.bakke", "liv.eide", "anne.holm"]


def roster_person(weekday, slot_index, zone_index):
    """Who the demo plan puts in a cell: a rotation that gives everyone one or two duties each day."""
    return DEMO_ROSTER_STAFF[(weekday * 7 + slot_index * 3 + zone_index) % len(DEMO_ROSTER_STAFF)]


@demo_step
def seed_duty(db, context):
    """The demo school's tilsynsplan and what happened on it."""
    now, school, users, pupils = context["now"], context["school"], context["users"], context["pupils"]
    today = now.date()
    since = (today - timedelta(weeks=8)).isoformat()
    zones = zones_of(db, school)
    for slot_index, (starts, ends) in enumerate(DEMO_SLOTS):
        slot_id = db["duty_slot"].insert({"school_id": school, "starts": starts, "ends": ends,
                                          "valid_from": since, "valid_to": None}).last_pk
        for zone_index, zone in enumerate(zones):
            for weekday in range(5):
                db["duty_assignment"].insert({
                    "school_id": school, "slot_id": slot_id, "zone_id": zone["id"], "weekday": weekday,
                    "user_id": users[roster_person(weekday, slot_index, zone_index)],
                    "valid_from": since, "valid_to": None})

    # a swap agreed in advance: Marte's first duty on the next school day goes to Jonas
    next_days = upcoming_school_days(today + timedelta(days=1), 2)
    _swap(db, school, next_days[0], users["marte.dahl"], users["jonas.berg"], "accepted",
          "Kurs hele dagen", at(school_day(now, 2), time(13, 50)))
    # and one waiting for "ansatt" to answer
    _swap(db, school, next_days[1], users["nora.vik"], users["ansatt"], "requested",
          "Legetime – kan du ta denne?", school_time_before(now, timedelta(hours=3)))

    # the last week's duties, as carried out; a few nobody started
    for offset in range(7, -1, -1):
        day = today - timedelta(days=offset)
        for index, duty in enumerate(duties_on(db, school, day)):
            if duty["start_at"] > now or (index % 9 == 4 and duty["user_id"] != users["ansatt"]):
                continue
            if duty["user_id"] == users["ansatt"] and duty["end_at"] > now:
                continue  # left for the newcomer to start
            running = duty["end_at"] + CLOCK_GRACE > now
            note = ""
            if duty["end_at"] <= now and index % 6 == 1:
                note = "Ballen ligger på taket over sykkelstativet. Mye løping rundt klatrestativet i dag."
            db["duty_session"].insert({
                "school_id": school, "user_id": duty["user_id"], "zone_id": duty["zone_id"],
                "slot_id": duty["slot_id"], "duty_date": day.isoformat(),
                "started_at": to_utc_iso(duty["start_at"] + timedelta(minutes=index % 3)),
                "ended_at": None if running else to_utc_iso(duty["end_at"]),
                "ended_by": None if running else ("clock" if index % 4 == 3 else "user"),
                "handover_note": note, "planned_end_at": to_utc_iso(duty["end_at"]),
                "change_id": duty["change_id"]})

    # a pupil the leadership asked duty staff to keep an eye on last week
    pupil = pupils["4A"][3]
    db["watch_flag"].insert({
        "school_id": school, "pupil_id": pupil,
        "look_for": "Går mye alene i storefri – se om hen får være med i lek, og hjelp hen inn.",
        "until": (today + timedelta(days=21)).isoformat(), "created_by": users["leder"],
        "created_at": to_utc_iso(at(school_day(now, 5), time(14, 10)))})


def _swap(db, school, day, from_user, to_user, status, note, asked):
    """One dated duty of from_user moved to to_user (when both are free for it)."""
    duties = duties_on(db, school, day)
    busy = {d["slot_id"] for d in duties if d["user_id"] == to_user}
    duty = next((d for d in duties if d["user_id"] == from_user and d["slot_id"] not in busy), None)
    if duty is None:
        return
    db["duty_change"].insert({
        "school_id": school, "duty_date": day.isoformat(), "slot_id": duty["slot_id"],
        "zone_id": duty["zone_id"], "from_user_id": from_user, "to_user_id": to_user, "kind": "swap",
        "status": status, "note": note, "requested_by": from_user, "requested_at": to_utc_iso(asked),
        "answered_at": to_utc_iso(school_time_after(asked, timedelta(hours=1))) if status == "accepted" else None})
