"""Rules of systematic observation: which log section a duty record belongs to,
when an observation runs and from when records flow into it (store.py reads them).

Plain functions of their inputs; time is passed in as `now` (Europe/Oslo).
"""
from datetime import date, datetime, time, timedelta

from .. import clock
from ..capture import rules as capture_rules
from ..school.csv_import import parse_date

# Where a record made on duty or in SFO lands in the log (Vedlegg 8:3).
# friminutt, SFO play and the way to school are free time among peers
# (5 Friminutt); a trip is the class out together with its teachers
# (2 Klassemiljø); digital offences happen where no one observes, so they
# go to 6 Oppsummering; so does any context not known here.
SECTION_BY_CONTEXT = {
    "friminutt": 5,
    "sfo_utelek": 5,
    "sfo_innelek": 5,
    "skolevei": 5,
    "overgang": 4,
    "klasserom": 3,
    "tur": 2,
    "digital": 6,
}

FALLBACK_SECTION = 6

# the names of contexts, labels and roles are capture's, spelled once
CONTEXT_NAMES = capture_rules.CONTEXTS


def section_for_context(context):
    """The log section (1–6) a duty or SFO record with this context belongs to."""
    return SECTION_BY_CONTEXT.get((context or "").strip().lower(), FALLBACK_SECTION)


def plan_days(plan):
    """Every date of the observation period, weekends left out unless the period is only a weekend."""
    first, last = date.fromisoformat(plan["starts_on"]), date.fromisoformat(plan["ends_on"])
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    weekdays = [day for day in days if day.weekday() < 5]
    return weekdays or days


def period_bounds(plan):
    """The observation period as aware datetimes: start of the first day, end of the last."""
    start = datetime.combine(date.fromisoformat(plan["starts_on"]), time.min, clock.OSLO)
    end = datetime.combine(date.fromisoformat(plan["ends_on"]) + timedelta(days=1), time.min, clock.OSLO)
    return start, end


def status(plan, now):
    """'planlagt' before the period, 'pågår' during it, 'avsluttet' after it."""
    start, end = period_bounds(plan)
    if now < start:
        return "planlagt"
    if now >= end:
        return "avsluttet"
    return "pågår"


def is_running(plan, now):
    """Whether the observation is running at this moment."""
    return status(plan, now) == "pågår"


# Records that never flow into an observation: a §12-5 report (an adult
# offending a pupil) goes to the leader or the owner alone, never to the
# colleagues observing the class.
SECTION_12_5_LABEL = capture_rules.SECTION_12_5_LABEL


def flow_start(plan):
    """When records start flowing in: the start of the period's first day (Europe/Oslo), or of the
    day the plan was made if that is later.

    A whole day, never the second the plan was saved: a plan made this morning
    for today takes this morning's records too (and one made "now" under a
    pinned clock is not empty). Planning an observation never opens up history
    from before the day it was made, however far back its period reaches.
    """
    start, _ = period_bounds(plan)
    planned_on = datetime.combine(clock.local(plan["created_at"]).date(), time.min, clock.OSLO)
    return max(start, planned_on)


def days_ahead(plan, today):
    """The observation's days from today on: what "Alle dagene" shares out (a past day is never given a task)."""
    return [day for day in plan_days(plan) if day >= today]


def pupils_shown(plan, records):
    """Every pupil whose records a page or an export shows: the plan's pupil and the records' pupils."""
    ids = {plan["pupil_id"]} if plan["pupil_id"] else set()
    ids.update(pupil["id"] for record in records for pupil in record["pupils"])
    return sorted(ids)


def by_section(records):
    """Records grouped by log section: {section: [record, ...]} for every section."""
    grouped = {number: [] for number in range(1, 7)}
    for record in records:
        grouped[record["section"]].append(record)
    return grouped


def parse_period(starts_text, ends_text):
    """The period typed into a plan: (first day, last day, {field: Norwegian message})."""
    first, last = parse_date(starts_text or ""), parse_date(ends_text or "")
    problems = {}
    if first is None:
        problems["starts_on"] = "Skriv en gyldig dato, f.eks. 23.11.2026."
    if last is None:
        problems["ends_on"] = "Skriv en gyldig dato, f.eks. 27.11.2026."
    if first and last:
        if last < first:
            problems["ends_on"] = "Sluttdatoen kan ikke være før startdatoen."
        elif (last - first).days > 62:
            problems["ends_on"] = "En observasjon kan vare høyst to måneder."
    return first, last, problems


def week_of(day):
    """Monday and Friday of the week a date falls in (the next week, at a weekend)."""
    monday = day - timedelta(days=day.weekday())
    if day.weekday() >= 5:
        monday += timedelta(days=7)
    return monday, monday + timedelta(days=4)
