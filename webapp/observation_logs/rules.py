"""Rules of systematic observation: which log section a duty record belongs to,
when an observation runs, what flows into it from duty and SFO, who may open it.

Plain functions of their inputs; time is passed in as `now` (Europe/Oslo).
"""
import json
from datetime import date, datetime, time, timedelta

from .. import clock
from ..capture import rules as capture_rules
from ..db import one
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


def duty_records(db, plan, now, viewer=None):
    """Records from duty and SFO about the observation's subject, made during its period up to now.

    The subject is the plan's pupil when it has one (an individual log takes
    only records naming that pupil), otherwise any pupil in its class. Each
    record comes with the section it lands in, its author, its pupils and the
    decision taken about it (None while nobody has kept or dropped it).
    Records dated after `now` (a record made at this very moment is in), after
    the period, or before it (`flow_start`) do not flow in; §12-5 records never do. With `viewer`, only what that
    person may see: everything for those who organise the observation,
    otherwise their own records and those an organiser has kept.
    """
    _, end = period_bounds(plan)
    start = flow_start(plan)
    if now < start:
        return []
    rows = list(db.query(
        """SELECT observation.*, user.full_name AS author_name,
                  entry.decision, entry.decided_at, entry.decided_by,
                  decider.full_name AS decided_by_name,
                  (decider.role = 'leader' OR decider.id = school_class.contact_teacher_id)
                    AS decided_by_organiser
           FROM observation
           JOIN user ON user.id = observation.author_id
           JOIN observation_plan AS plan ON plan.id = :plan
           JOIN school_class ON school_class.id = plan.class_id
           LEFT JOIN observation_log_entry AS entry
             ON entry.observation_id = observation.id AND entry.plan_id = :plan
           LEFT JOIN user AS decider ON decider.id = entry.decided_by
           WHERE observation.school_id = :school
             AND observation.observed_at >= :start AND observation.observed_at < :end
             -- up to this moment, itself included: a record made "now" is not in the future
             AND observation.observed_at <= :now
             AND observation.id IN (
               SELECT observation_pupil.observation_id FROM observation_pupil
               JOIN pupil ON pupil.id = observation_pupil.pupil_id
               WHERE (:pupil IS NOT NULL AND pupil.id = :pupil)
                  OR (:pupil IS NULL AND pupil.class_id = :class))
             AND NOT EXISTS (SELECT 1 FROM json_each(observation.labels)
                             WHERE json_each.value = :label_12_5)
             AND NOT EXISTS (SELECT 1 FROM melding WHERE melding.observation_id = observation.id
                             AND (melding.concerns_leader OR melding.section_12_5))
           ORDER BY observation.observed_at""",
        {"plan": plan["id"], "school": plan["school_id"], "start": clock.to_utc_iso(start),
         "end": clock.to_utc_iso(end), "now": clock.to_utc_iso(now), "pupil": plan["pupil_id"] or None, "class": plan["class_id"],
         "label_12_5": SECTION_12_5_LABEL}))
    if viewer is not None and not can_organise(plan, viewer, db):
        rows = [row for row in rows if row["author_id"] == viewer.id
                or (row["decision"] == "kept" and row["decided_by_organiser"])]
    for row in rows:
        row["section"] = section_for_context(row["context"])
        row["context_name"] = CONTEXT_NAMES.get(row["context"], row["context"])
        row["labels"] = json.loads(row["labels"] or "[]")
        row["label_names"] = [capture_rules.ALL_LABELS.get(code, code) for code in row["labels"]]
        row["kind_name"] = capture_rules.KINDS.get(row["kind"], row["kind"])
        row["offence_types"] = json.loads(row["offence_types"] or "[]")
        row["pupils"] = list(db.query(
            "SELECT pupil.id, pupil.full_name, observation_pupil.role FROM observation_pupil "
            "JOIN pupil ON pupil.id = observation_pupil.pupil_id "
            "WHERE observation_pupil.observation_id = ? ORDER BY pupil.full_name", [row["id"]]))
        for pupil in row["pupils"]:
            pupil["role_name"] = capture_rules.ROLES.get(pupil["role"], pupil["role"]).lower()
    return rows


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


def is_observer(db, plan_id, user_id):
    """Whether the user has a task in this observation."""
    return one(db, "SELECT 1 AS yes FROM observation_assignment WHERE plan_id = ? AND observer_id = ?",
               [plan_id, user_id]) is not None


def is_contact_teacher(db, class_id, user_id):
    """Whether the user is the class's contact teacher."""
    return one(db, "SELECT 1 AS yes FROM school_class WHERE id = ? AND contact_teacher_id = ?",
               [class_id, user_id]) is not None


def plannable_class_ids(db, school_id, user):
    """The classes a person may plan observations for: all for leaders, their own for contact teachers."""
    if user.role == "leader":
        where, params = "school_id = ?", [school_id]
    else:
        where, params = "school_id = ? AND contact_teacher_id = ?", [school_id, user.id]
    return [row["id"] for row in db.query(f"SELECT id FROM school_class WHERE {where}", params)]


def can_plan(db, school_id, user):
    """Leaders, and staff who are contact teacher of a class, may plan observations."""
    return user.role == "leader" or bool(plannable_class_ids(db, school_id, user))


def can_open(db, plan, user):
    """Those who organise an observation and its assigned observers may open it."""
    return can_organise(plan, user, db) or is_observer(db, plan["id"], user.id)


def can_organise(plan, user, db=None):
    """Leaders and the class's contact teacher may change the plan, share out the tasks,
    keep or drop what flowed in and write the analysis."""
    if user.role == "leader":
        return True
    if user.role != "staff":
        return False
    if db is None:
        from ..db import get_db

        db = get_db()
    return is_contact_teacher(db, plan["class_id"], user.id)


def tasks_on(db, school_id, user_id, day):
    """A person's observation tasks on one day, with their log if they have started one."""
    return list(db.query(
        """SELECT observation_assignment.*, school_class.name AS class_name,
                  pupil.full_name AS pupil_name,
                  (SELECT id FROM observation_log WHERE assignment_id = observation_assignment.id
                     AND observer_id = observation_assignment.observer_id ORDER BY id LIMIT 1) AS log_id
           FROM observation_assignment
           JOIN observation_plan ON observation_plan.id = observation_assignment.plan_id
           JOIN school_class ON school_class.id = observation_plan.class_id
           LEFT JOIN pupil ON pupil.id = observation_plan.pupil_id
           WHERE observation_assignment.school_id = ? AND observation_assignment.observer_id = ?
             AND observation_assignment.day = ?
           ORDER BY observation_assignment.situation""",
        [school_id, user_id, day.isoformat()]))


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
