"""Hvor og når's aggregation: zone × slot, duty coverage, 5:1 per zone, the Big 5, with time passed in."""
from datetime import datetime

from webapp import clock
from webapp.hotspots import rules

SLOTS = [{"starts": "09:45", "ends": "10:00"}, {"starts": "11:15", "ends": "11:30"}]
ZONES = [{"id": 1, "name": "Tunet", "polygon": "[[0,0],[0.5,0],[0.5,1],[0,1]]"},
         {"id": 2, "name": "Idrettsplass", "polygon": "[[0.5,0],[1,0],[1,1],[0.5,1]]"}]


def at(hhmm, day=24):
    """A stored timestamp for an Oslo clock time on a Tuesday in November 2026."""
    hour, minute = map(int, hhmm.split(":"))
    return clock.to_utc_iso(datetime(2026, 11, day, hour, minute, tzinfo=clock.OSLO))


def record(id, hhmm, zone_id, kind="concern", labels=(), day=24, point=(None, None)):
    return {"id": id, "kind": kind, "observed_at": at(hhmm, day), "zone_id": zone_id, "map_x": point[0],
            "map_y": point[1], "labels": list(labels), "context": "friminutt"}


def session(zone_id, starts, ends, day=24):
    return {"zone_id": zone_id, "started_at": at(starts, day), "ended_at": at(ends, day), "planned_end_at": None}


def test_a_record_falls_in_the_slot_of_its_oslo_clock_time():
    placed = rules.placed([record(1, "09:50", 1), record(2, "11:29", 1), record(3, "13:00", 1)], SLOTS)
    assert [r["slot"] for r in placed] == ["09:45-10:00", "11:15-11:30", rules.OUTSIDE]
    assert placed[0]["weekday"] == 1  # tirsdag


def test_zone_slot_table_counts_each_cell_and_flags_concerns_without_duty():
    records = rules.placed([record(1, "09:50", 1), record(2, "09:55", 1), record(3, "11:20", 2),
                            record(4, "11:20", 2, kind="positive")], SLOTS)
    sessions = [session(1, "09:45", "09:52"), session(2, "11:15", "11:30")]
    table = rules.zone_slot_table(records, ZONES, SLOTS, sessions)
    tunet, field = table["rows"]
    assert [c["count"] for c in tunet["cells"]] == [2, 0, 0]
    # 09:50 was covered, 09:55 came after the duty ended
    assert tunet["cells"][0]["without_duty"] == 1 and tunet["cells"][0]["flagged"]
    assert field["cells"][1] == {"count": 2, "concerns": 1, "without_duty": 0, "slot": "11:15-11:30",
                                 "flagged": False}
    assert table["totals"] == [2, 2, 0] and table["total"] == 4
    assert rules.duty_gaps(table) == [("Tunet", "09:45–10:00", 1, 2)]


def test_duty_in_another_zone_or_on_another_day_does_not_cover_an_incident():
    records = rules.placed([record(1, "09:50", 1)], SLOTS)
    table = rules.zone_slot_table(records, ZONES, SLOTS, [session(2, "09:45", "10:00"),
                                                          session(1, "09:45", "10:00", day=23)])
    assert table["rows"][0]["cells"][0]["without_duty"] == 1


def test_records_without_a_zone_get_their_own_row_and_are_not_held_against_duty():
    records = rules.placed([record(1, "09:50", None), record(2, "13:00", 1)], SLOTS)
    table = rules.zone_slot_table(records, ZONES, SLOTS, [])
    assert table["rows"][-1]["zone_id"] is None and table["rows"][-1]["total"] == 1
    assert not any(cell["flagged"] for row in table["rows"] for cell in row["cells"])


def test_balance_per_zone_is_poor_under_five_positive_per_concern():
    records = [record(i, "09:50", 1, kind="positive") for i in range(5)] + [record(10, "09:50", 1)]
    records += [record(20 + i, "09:50", 2, kind="positive") for i in range(4)] + [record(30, "09:50", 2)]
    tunet, field = rules.balance_per_zone(records, ZONES)
    assert (tunet["balance"], tunet["poor"]) == ("5:1", False)
    assert (field["balance"], field["poor"]) == ("4:1", True)
    assert rules.balance_text(7, 2) == "3,5:1" and rules.balance_text(3, 0) == "–"


def test_big_five_counts_per_weekday_label_zone_slot_and_pupil():
    records = rules.placed([record(1, "09:50", 1, labels=["konflikt"]), record(2, "11:20", 1, labels=["konflikt",
                            "vold"], day=25), record(3, "11:20", 2, labels=["vold"], day=25)], SLOTS)
    counts = rules.big_five(records, ZONES, SLOTS, [(1, 7), (2, 7), (3, 8), (99, 8)], {})
    assert counts["weekday"][:3] == [(0, 0), (1, 1), (2, 2)]
    assert dict(counts["label"]) == {"konflikt": 2, "vold": 2}
    assert counts["zone"] == [("Tunet", 2), ("Idrettsplass", 1)]
    assert counts["slot"] == [("09:45-10:00", 1), ("11:15-11:30", 2), (rules.OUTSIDE, 0)]
    # a link to a record outside the filter does not count
    assert [(pupil, n) for pupil, _, n in counts["pupil"]] == [(7, 2), (8, 1)]


def test_a_record_chosen_from_the_list_warms_the_middle_of_its_zone():
    points = rules.heat_points([record(1, "09:50", 1), record(2, "09:50", 2, point=(0.9, 0.1))], ZONES)
    assert points == [(0.25, 0.5), (0.9, 0.1)]
