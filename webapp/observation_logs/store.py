"""Systematic observation's records: plans, their tasks, the observers' logs, the duty records kept or dropped.

Functions take the database and the school explicitly; callers wrap writes
in `transaction()` (with their audit lines) and check who may do what.
"""
import json

from .. import clock
from ..capture import rules as capture_rules
from ..db import one
from . import texts
from .rules import CONTEXT_NAMES, SECTION_12_5_LABEL, by_section, flow_start, period_bounds, section_for_context


def plans_seen_by(db, school_id, user):
    """The school's observations this person takes part in (leaders: all), latest first, with class and pupil."""
    if user.role == "leader":
        where, params = "observation_plan.school_id = ?", [school_id]
    else:
        # the same people can_open lets in: the class's contact teacher and the observers
        where = ("observation_plan.school_id = ? AND (school_class.contact_teacher_id = ? OR "
                 "observation_plan.id IN (SELECT plan_id FROM observation_assignment WHERE observer_id = ?))")
        params = [school_id, user.id, user.id]
    return list(db.query(
        f"""SELECT observation_plan.*, school_class.name AS class_name, pupil.full_name AS pupil_name
            FROM observation_plan JOIN school_class ON school_class.id = observation_plan.class_id
            LEFT JOIN pupil ON pupil.id = observation_plan.pupil_id
            WHERE {where} ORDER BY observation_plan.ends_on DESC, observation_plan.id DESC""", params))


def plan(db, plan_id):
    """A plan's row as it is now (the caller has checked it may be opened)."""
    return db["observation_plan"].get(plan_id)


def describe(db, plan):
    """Names that go with a plan: class, pupil, who planned it."""
    return one(db, """SELECT school_class.name AS class_name, pupil.full_name AS pupil_name,
                             user.full_name AS created_by_name
                      FROM observation_plan
                      JOIN school_class ON school_class.id = observation_plan.class_id
                      LEFT JOIN pupil ON pupil.id = observation_plan.pupil_id
                      JOIN user ON user.id = observation_plan.created_by
                      WHERE observation_plan.id = ?""", [plan["id"]])


def create_plan(db, values, school_id, created_by):
    """Store a new plan (`values`: its checked fields, updated_at the moment); returns its id."""
    return db["observation_plan"].insert({
        **values, "school_id": school_id, "created_by": created_by, "created_at": values["updated_at"]}).last_pk


def update_plan(db, plan_id, values):
    """Store a changed plan's fields."""
    db["observation_plan"].update(plan_id, values)


def save_analysis(db, plan_id, text, version, stamp):
    """Store the analysis written from the logs as the next version after `version`; returns that version."""
    db["observation_plan"].update(plan_id, {"analysis": text, "analysis_version": version + 1,
                                            "updated_at": stamp})
    return version + 1


def observer_choices(db, school_id):
    """The school's active staff and leaders as (id, name), by name, for the observer list."""
    return [(row["id"], row["full_name"]) for row in db.query(
        "SELECT user.id, user.full_name FROM user JOIN membership ON membership.user_id = user.id "
        "WHERE membership.school_id = ? AND user.active AND user.role IN ('staff', 'leader') "
        "ORDER BY user.full_name", [school_id])]


def assignments_of(db, plan_id):
    """A plan's tasks with the observers' names, by day."""
    return list(db.query(
        "SELECT observation_assignment.*, user.full_name AS observer_name FROM observation_assignment "
        "JOIN user ON user.id = observation_assignment.observer_id WHERE plan_id = ? "
        "ORDER BY day, user.full_name, situation", [plan_id]))


def add_assignments(db, plan_id, school_id, observer_id, days, situation):
    """Give an observer the same task on these days ('YYYY-MM-DD'); returns how many were not given already."""
    added = 0
    for day in days:
        added += db.execute(
            "INSERT OR IGNORE INTO observation_assignment "
            "(plan_id, school_id, observer_id, day, situation) VALUES (?, ?, ?, ?, ?)",
            [plan_id, school_id, observer_id, day, situation]).rowcount
    return added


def delete_assignment(db, plan_id, assignment_id):
    """Take a task of the plan away (a log written for it is kept); False if the plan has no such task."""
    return db.execute("DELETE FROM observation_assignment WHERE id = ? AND plan_id = ?",
                      [assignment_id, plan_id]).rowcount > 0


def own_assignment(db, plan_id, assignment_id, observer_id):
    """One of the plan's tasks given to this observer, or None."""
    return one(db, "SELECT * FROM observation_assignment WHERE id = ? AND plan_id = ? AND observer_id = ?",
               [assignment_id, plan_id, observer_id])


def logs_of(db, plan_id):
    """A plan's logs, each with its observer's name and its items by key."""
    logs = list(db.query(
        "SELECT observation_log.*, user.full_name AS observer_name FROM observation_log "
        "JOIN user ON user.id = observation_log.observer_id WHERE plan_id = ? "
        "ORDER BY log_date, user.full_name, observation_log.id", [plan_id]))
    for log in logs:
        log["items"] = items_of(db, log["id"])
    return logs


def items_of(db, log_id):
    """A log's filled items: {item key: row}."""
    return {row["item"]: row for row in db.query(
        "SELECT * FROM observation_log_item WHERE log_id = ?", [log_id])}


def observer(db, log):
    """The log's observer ({full_name}), or None."""
    return one(db, "SELECT full_name FROM user WHERE id = ?", [log["observer_id"]])


def start_log(db, *, plan_id, school_id, observer_id, client_id, assignment, today, stamp):
    """The observer's log for this form id or task, started now unless it was already: (its id, whether new).

    :param assignment: the task the log is for (its day and situation are the log's), or None
    """
    existing = one(db, "SELECT id FROM observation_log WHERE observer_id = ? AND (client_id = ? "
                       "OR (assignment_id IS NOT NULL AND assignment_id = ?))",
                   [observer_id, client_id, assignment["id"] if assignment else None])
    if existing:
        return existing["id"], False
    log_id = db["observation_log"].insert({
        "plan_id": plan_id, "school_id": school_id, "observer_id": observer_id,
        "assignment_id": assignment["id"] if assignment else None, "client_id": client_id,
        "log_date": assignment["day"] if assignment else today.isoformat(),
        "situation": assignment["situation"] if assignment else "",
        "created_at": stamp, "updated_at": stamp}).last_pk
    return log_id, True


def save_log_header(db, log_id, day, duration, situation, stamp):
    """Store a log's date, duration and situation."""
    db["observation_log"].update(log_id, {"log_date": day.isoformat(), "duration": duration,
                                         "situation": situation, "updated_at": stamp})


def save_section(db, log_id, sent, stamp):
    """Store what was sent of a log's items: {item key: (seen, comment)}, None for a field not sent (kept as it was).

    An item emptied of both texts is no item: it no longer counts as filled in.
    """
    current = items_of(db, log_id)
    for key, (seen, comment) in sent.items():
        if seen is None and comment is None:
            continue
        before = current.get(key, {"seen": "", "comment": ""})
        seen = before["seen"] if seen is None else seen
        comment = before["comment"] if comment is None else comment
        if not seen.strip() and not comment.strip():
            db.execute("DELETE FROM observation_log_item WHERE log_id = ? AND item = ?", [log_id, key])
            continue
        db.execute(
            "INSERT INTO observation_log_item (log_id, item, seen, comment, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (log_id, item) DO UPDATE SET "
            "seen = excluded.seen, comment = excluded.comment, updated_at = excluded.updated_at",
            [log_id, key, seen, comment, stamp])
    db["observation_log"].update(log_id, {"updated_at": stamp})


DECISIONS = ("kept", "dropped", "undo")


def decide(db, plan_id, observation_id, decision, user_id, stamp):
    """Keep or drop a duty record in the observation ("kept", "dropped"), or take the choice back ("undo")."""
    if decision == "undo":
        db.execute("DELETE FROM observation_log_entry WHERE plan_id = ? AND observation_id = ?",
                   [plan_id, observation_id])
        return
    db.execute(
        "INSERT INTO observation_log_entry (plan_id, observation_id, decision, decided_by, decided_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (plan_id, observation_id) DO UPDATE SET "
        "decision = excluded.decision, decided_by = excluded.decided_by, decided_at = excluded.decided_at",
        [plan_id, observation_id, decision, user_id, stamp])


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
         "end": clock.to_utc_iso(end), "now": clock.to_utc_iso(now), "pupil": plan["pupil_id"] or None,
         "class": plan["class_id"], "label_12_5": SECTION_12_5_LABEL}))
    if viewer is not None and not can_organise(db, plan, viewer):
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
    return can_organise(db, plan, user) or is_observer(db, plan["id"], user.id)


def can_organise(db, plan, user):
    """Leaders and the class's contact teacher may change the plan, share out the tasks,
    keep or drop what flowed in and write the analysis."""
    if user.role == "leader":
        return True
    if user.role != "staff":
        return False
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


def export_contents(db, plan, now, viewer):
    """Everything an export of the observation shows, read once: (its contents, the duty records kept in it).

    The caller audits the export for the pupils those records show (rules.pupils_shown).
    """
    kept = [r for r in duty_records(db, plan, now, viewer=viewer) if r["decision"] == "kept"]
    return {"plan": plan, "info": describe(db, plan), "answers": json.loads(plan["answers"]),
            "needs": json.loads(plan["needs"]), "assignments": assignments_of(db, plan["id"]),
            "logs": logs_of(db, plan["id"]), "records": by_section(kept), "vedlegg8": texts}, kept
