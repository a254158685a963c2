"""Reading a tilsynsplan from CSV laid out like Vedlegg 2:2.

One row per slot and zone: `tid` (e.g. 08:20–08:30, blank = same as the row
above), `sted` (the zone), then one column per weekday `mandag` … `fredag`
with the staff named as in the staff list ("Eva M." is enough when only one
Eva's surname begins with M). Several people in one cell: separate them with
"/", "+", "&" or " og ". Every row is checked before anything is stored.
"""
import re

from ..school.csv_import import CsvProblem, pick, row_part
from .rules import SCHOOL_DAYS, SlotProblem, overlaps, parse_slot

DAY_COLUMNS = [name.lower() for name in SCHOOL_DAYS]
SEPARATORS = re.compile(r"\s*(?:/|\+|&|\bog\b)\s*")


def _words(text):
    return [word.rstrip(".") for word in text.lower().replace(".", ". ").split() if word.rstrip(".")]


def name_matches(written, full_name):
    """Whether a name as written on a roster ('Eva M.', 'Anne Marg.') fits a full name.

    The first word must be the first name; each later word must begin a later
    word of the full name, in order.
    """
    wanted, words = _words(written), _words(full_name)
    if not wanted or not words or wanted[0] != words[0]:
        return False
    position = 1
    for part in wanted[1:]:
        while position < len(words) and not words[position].startswith(part):
            position += 1
        if position == len(words):
            return False
        position += 1
    return True


def match_staff(written, staff):
    """The one staff member a written name means: (user, None) or (None, problem)."""
    text = " ".join(written.split())
    exact = [p for p in staff if p["full_name"].lower() == text.lower() or p["username"] == text.lower()]
    if len(exact) == 1:
        return exact[0], None
    candidates = exact or [p for p in staff if name_matches(text, p["full_name"])]
    if len(candidates) == 1:
        return candidates[0], None
    if not candidates:
        return None, f"ukjent ansatt «{text}»"
    names = ", ".join(sorted(p["full_name"] for p in candidates))
    return None, f"«{text}» passer på flere ansatte ({names}): skriv mer av navnet"


def check_plan(header, rows, staff, zones):
    """Check every row; returns (problems [(line, message)], slots, new zone names, cells).

    staff: active staff and leaders of the school; zones: the school's zones.
    """
    missing = [name for name in ["tid", "sted", *DAY_COLUMNS] if name not in header
               and not (name == "sted" and "sone" in header)]
    if missing:
        raise CsvProblem("Filen mangler kolonnene " + ", ".join(f"«{m}»" for m in missing)
                         + ". Første linje skal være: tid;sted;mandag;tirsdag;onsdag;torsdag;fredag")
    known_zones = {zone["name"].lower(): zone["name"] for zone in zones}
    problems, slots, slot_lines, new_zones, cells, seen = [], [], {}, [], [], set()
    slot, slot_failed = None, False
    for line, values in rows:
        row_problems = []
        time_text = pick(values, "tid")
        if time_text:
            try:
                slot = parse_slot(time_text)
            except SlotProblem as problem:
                row_problems.append(row_part(str(problem)))
                slot, slot_failed = None, True
            else:
                if slot not in slots:
                    clash = next((other for other in slots if overlaps(slot, other)), None)
                    if clash:
                        row_problems.append(f"{slot[0]}–{slot[1]} overlapper med {clash[0]}–{clash[1]} "
                                            f"(linje {slot_lines[clash]})")
                        slot, slot_failed = None, True
                    else:
                        slots.append(slot)
                        slot_lines[slot] = line
                        slot_failed = False
        elif slot is None and not slot_failed:
            row_problems.append("tid mangler")
        zone_name = " ".join(pick(values, "sted", "sone").split())
        if not zone_name:
            row_problems.append("sted mangler")
        elif slot and (slot, zone_name.lower()) in seen:
            row_problems.append(f"{zone_name} står to ganger for {slot[0]}–{slot[1]}")
        row_cells = []
        for weekday, column in enumerate(DAY_COLUMNS):
            for written in SEPARATORS.split(values.get(column, "")):
                if not written.strip():
                    continue
                person, problem = match_staff(written, staff)
                if problem:
                    row_problems.append(f"{SCHOOL_DAYS[weekday].lower()}: {problem}")
                elif slot and zone_name:
                    row_cells.append((slot[0], slot[1], known_zones.get(zone_name.lower(), zone_name),
                                      weekday, person["id"]))
        if row_problems:
            problems.append((line, "; ".join(row_problems)))
            continue
        if slot is None:
            continue  # the slot's own row was reported
        seen.add((slot, zone_name.lower()))
        if zone_name.lower() not in known_zones and zone_name.lower() not in (z.lower() for z in new_zones):
            new_zones.append(zone_name)
        cells.extend(dict.fromkeys(row_cells))
    return problems, slots, new_zones, cells
