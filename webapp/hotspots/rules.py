"""Where and when: records by zone and time slot, duty coverage, the 5:1 balance and the "Big 5" counts.

Plain functions of their inputs, so they are tested without a server. A record
is a dict with id, kind, observed_at (stored UTC text), zone_id, map_x, map_y,
labels (a list) and context; a slot is a dict with starts and ends ('HH:MM');
a duty session one with zone_id, started_at and ended_at / planned_end_at.
"""
import functools
import json
from collections import Counter, defaultdict
from datetime import datetime

from .. import clock

# five positive for every corrective interaction (Vedlegg 2, after PALS)
BALANCE = 5
OUTSIDE = ""  # the key of the column for records outside every duty slot


def slot_key(slot):
    """A slot as it appears in URLs and tables: '11:15-11:30'."""
    return f"{slot['starts']}-{slot['ends']}"


def slot_of(moment, slots):
    """The key of the slot a local moment falls in, or OUTSIDE."""
    hhmm = "%02d:%02d" % (moment.hour, moment.minute)
    for slot in slots:
        if slot["starts"] <= hhmm < slot["ends"]:
            return slot_key(slot)
    return OUTSIDE


@functools.lru_cache(maxsize=8192)
def _oslo_offset(utc_hour):
    """Oslo's offset from UTC in an hour ('2026-11-24T08'): a year of records has a few thousand hours."""
    return clock.local(f"{utc_hour}:00:00+00:00").utcoffset()


def oslo_clock(stored):
    """A stored UTC timestamp as Oslo wall-clock time (naive): what slots and weekdays are read from."""
    return datetime.fromisoformat(stored[:19]) + _oslo_offset(stored[:13])


def placed(records, slots):
    """The records with their Oslo wall-clock moment, weekday (0 = mandag) and slot key added (in place)."""
    for record in records:
        moment = record["moment"] = oslo_clock(record["observed_at"])
        record["weekday"], record["slot"] = moment.weekday(), slot_of(moment, slots)
    return records


def keep(records, *, kind=None, weekday=None, slot=None):
    """The placed records of a kind ('positive', 'concern' or None: both), weekday and slot (None: any)."""
    return [r for r in records if (kind is None or r["kind"] == kind)
            and (weekday is None or r["weekday"] == weekday) and (slot is None or r["slot"] == slot)]


def sessions_by_zone_day(sessions):
    """Duty sessions grouped by (zone_id, local date) for on_duty."""
    grouped = defaultdict(list)
    for session in sessions:
        starts = oslo_clock(session["started_at"])
        ends = session["ended_at"] or session["planned_end_at"]
        grouped[(session["zone_id"], starts.date())].append((starts, oslo_clock(ends) if ends else None))
    return grouped


def on_duty(record, grouped):
    """Whether someone was on duty in the record's zone at its moment, by the tilsyn records."""
    if record["zone_id"] is None:
        return False
    moment = record["moment"]
    return any(starts <= moment and (ends is None or moment <= ends)
               for starts, ends in grouped.get((record["zone_id"], moment.date()), ()))


def zone_slot_table(records, zones, slots, sessions):
    """Zone × time slot: each cell's records, its concerns and those with nobody on duty there.

    Returns {"columns": [(key, label)], "rows": [{"zone_id", "name", "cells": [...], "total"}], "totals"}.
    A cell is flagged when it holds a concern with no duty in the zone at that moment; only zones and
    duty slots are held against the tilsyn records (nobody is on duty indoors or in lessons). Records
    without a zone make a last row (zone_id None) when there are any.
    """
    grouped = sessions_by_zone_day(sessions)
    known = {zone["id"] for zone in zones}
    columns = [(slot_key(slot), f"{slot['starts']}–{slot['ends']}") for slot in slots] + [(OUTSIDE, None)]
    cells = defaultdict(lambda: {"count": 0, "concerns": 0, "without_duty": 0})
    for record in records:
        cell = cells[(record["zone_id"], record["slot"])]
        cell["count"] += 1
        if record["kind"] == "concern":
            cell["concerns"] += 1
            if record["zone_id"] in known and record["slot"] != OUTSIDE and not on_duty(record, grouped):
                cell["without_duty"] += 1
    row_zones = [(zone["id"], zone["name"]) for zone in zones]
    if any(zone_id not in known for zone_id, _ in cells):
        row_zones.append((None, None))
    rows = []
    for zone_id, name in row_zones:
        row_cells = []
        for key, _ in columns:
            if zone_id is None:  # records of no zone, or of a zone no longer on the map
                found = [cell for (z, k), cell in cells.items() if k == key and z not in known]
                cell = {field: sum(c[field] for c in found) for field in ("count", "concerns", "without_duty")}
            else:
                cell = dict(cells.get((zone_id, key), {"count": 0, "concerns": 0, "without_duty": 0}))
            cell.update(slot=key, flagged=cell["without_duty"] > 0)
            row_cells.append(cell)
        rows.append({"zone_id": zone_id, "name": name, "cells": row_cells,
                     "total": sum(cell["count"] for cell in row_cells),
                     "flagged": any(cell["flagged"] for cell in row_cells)})
    totals = [sum(row["cells"][index]["count"] for row in rows) for index in range(len(columns))]
    return {"columns": columns, "rows": rows, "totals": totals, "total": sum(totals)}


def balance_text(positive, concerns):
    """The balance as the plan writes it: '3,5:1'; '–' without concerns."""
    if not concerns:
        return "–"
    return f"{positive / concerns:.1f}".removesuffix(".0").replace(".", ",") + ":1"


def balance_per_zone(records, zones):
    """Per zone: positive observations, concerns, the balance and whether it is under 5:1."""
    counts = Counter((record["zone_id"], record["kind"]) for record in records)
    rows = []
    for zone in zones:
        positive, concerns = counts[(zone["id"], "positive")], counts[(zone["id"], "concern")]
        rows.append({"zone_id": zone["id"], "name": zone["name"], "positive": positive, "concerns": concerns,
                     "balance": balance_text(positive, concerns),
                     "poor": concerns > 0 and positive < BALANCE * concerns})
    return rows


def big_five(records, zones, slots, pupil_links, pupil_names, top=10):
    """The "Big 5": counts per weekday, label, zone, time slot and pupil, most first (weekdays and slots in order).

    :param pupil_links: (observation_id, pupil_id) pairs of the records' pupils
    :param pupil_names: pupil_id → name shown (with class)
    """
    weekdays = Counter(record["weekday"] for record in records)
    labels = Counter(label for record in records for label in _labels(record))
    zone_counts = Counter(record["zone_id"] for record in records)
    slot_counts = Counter(record["slot"] for record in records)
    ids = {record["id"] for record in records}
    pupils = Counter(pupil_id for observation_id, pupil_id in pupil_links if observation_id in ids)
    zone_names = {zone["id"]: zone["name"] for zone in zones}
    return {
        "weekday": [(day, weekdays[day]) for day in range(7) if day < 5 or weekdays[day]],
        "label": labels.most_common(),
        "zone": sorted(((zone_names.get(z), n) for z, n in zone_counts.items()), key=lambda item: -item[1]),
        "slot": [(slot_key(slot), slot_counts[slot_key(slot)]) for slot in slots] + [(OUTSIDE, slot_counts[OUTSIDE])],
        "pupil": [(pupil_id, pupil_names.get(pupil_id, ""), n) for pupil_id, n in pupils.most_common(top)],
    }


def _labels(record):
    """A record's labels, decoded when they come as stored (JSON text)."""
    labels = record["labels"]
    return _decoded(labels) if isinstance(labels, str) else labels


@functools.lru_cache(maxsize=1024)
def _decoded(text):
    """Labels as stored, decoded once: a year's records hold a few dozen different combinations."""
    return tuple(json.loads(text or "[]"))


def centroid(polygon):
    """The middle of a zone's outline (the mean of its corners), or None without one."""
    if isinstance(polygon, str):
        polygon = json.loads(polygon or "[]")
    if len(polygon) < 3:
        return None
    return sum(p[0] for p in polygon) / len(polygon), sum(p[1] for p in polygon) / len(polygon)


def heat_points(records, zones):
    """Where each record goes on the heatmap: its map point, else the middle of its zone (chosen from the list)."""
    middles = {zone["id"]: centroid(zone["polygon"]) for zone in zones}
    points = []
    for record in records:
        if record["map_x"] is not None and record["map_y"] is not None:
            points.append((record["map_x"], record["map_y"]))
        elif middles.get(record["zone_id"]):
            points.append(middles[record["zone_id"]])
    return points


def duty_gaps(table):
    """The flagged cells of a zone_slot_table: (zone name or None, slot label or None, without duty, concerns)."""
    return [(row["name"], label, cell["without_duty"], cell["concerns"])
            for row in table["rows"] for (_, label), cell in zip(table["columns"], row["cells"]) if cell["flagged"]]
