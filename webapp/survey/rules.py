"""Skolegårdsundersøkelsen's rules: the marks a talk sends, counts per zone, and the result held against records.

Plain functions of their inputs, so they are tested without a server.
"""
from collections import Counter

from ..school.rules import valid_point, zone_at
from ..scope import parse_id
from . import texts

KINDS = [kind for kind, _, _, _, _ in texts.MARKS]
MAX_MARKS = 30  # of each kind, per pupil: more is a finger resting on the screen, not an answer
MAX_ANSWER = 2000


def parse_marks(values, zones):
    """Marks tapped on the map ('kind:x:y', x and y in 0..1), each with the zone it falls in.

    Returns a list of {kind, zone_id, map_x, map_y}; anything malformed is left out.
    """
    marks, per_kind = [], Counter()
    for value in values:
        kind, _, point = (value or "").partition(":")
        x_text, _, y_text = point.partition(":")
        try:
            x, y = float(x_text), float(y_text)
        except ValueError:
            continue
        if kind not in KINDS or not valid_point(x, y) or per_kind[kind] >= MAX_MARKS:
            continue
        per_kind[kind] += 1
        zone = zone_at(zones, x, y)
        marks.append({"kind": kind, "zone_id": zone["id"] if zone else None,
                      "map_x": round(x, 4), "map_y": round(y, 4)})
    return marks


def listed_marks(chosen, zones):
    """Marks chosen from the list instead of the map: {kind: [zone ids]} → marks without a point.

    A zone that is not the school's is left out.
    """
    known = {zone["id"] for zone in zones}
    marks = []
    for kind in KINDS:
        for zone_id in dict.fromkeys(parse_id(value) for value in chosen.get(kind, [])):
            if zone_id in known:
                marks.append({"kind": kind, "zone_id": zone_id, "map_x": None, "map_y": None})
    return marks


def counts_per_zone(marks, zones):
    """Per zone (and "outside the zones"), the number of marks of each kind."""
    counts = Counter((mark["zone_id"], mark["kind"]) for mark in marks)
    known = {zone["id"] for zone in zones}
    rows = [{"zone_id": zone["id"], "name": zone["name"], **{kind: counts[(zone["id"], kind)] for kind in KINDS}}
            for zone in zones]
    outside = {kind: sum(n for (zone_id, k), n in counts.items() if k == kind and zone_id not in known)
               for kind in KINDS}
    if any(outside.values()):
        rows.append({"zone_id": None, "name": texts.OUTSIDE_ZONES, **outside})
    return rows


def findings(row, concerns, on_duty):
    """What the pupils' marks in a zone say beside what staff recorded there and the tilsynsplan (keys of FINDINGS)."""
    found = []
    if row["utrygt"]:
        if not concerns and not on_duty:
            found.append("unsafe_unseen_unwatched")
        elif not concerns:
            found.append("unsafe_unseen")
        elif not on_duty:
            found.append("unsafe_unwatched")
        else:
            found.append("unsafe_seen")
    elif concerns:
        found.append("seen_not_felt")
    if row["voksne"] and not on_duty:
        found.append("adults_unwatched")
    return found


def comparison(rows, concerns_per_zone, duty_zones):
    """The counts per zone with the zone's recorded concerns, whether it has a duty, and the findings."""
    out = []
    for row in rows:
        concerns = concerns_per_zone.get(row["zone_id"], 0) if row["zone_id"] is not None else 0
        on_duty = row["zone_id"] in duty_zones
        out.append({**row, "concerns": concerns, "on_duty": on_duty,
                    "findings": [texts.FINDINGS[key] for key in findings(row, concerns, on_duty)],
                    "key_finding": row["utrygt"] > 0 and not concerns and not on_duty})
    return out
