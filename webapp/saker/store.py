"""Storing cases (saker): opening, phases, tasks, talks, escalation, the aktivitetsplan.

Each function writes inside the caller's transaction and appends what it did
to the case's history (sak_event), with who and when. `now` is passed in.
"""
import json

from .. import clock
from ..confidential import owners_only, visible_to
from ..db import one
from ..school.store import confidential_pupils, names_of_people, people_of_school
from . import rules as routine
from .texts import BEST_FIELDS, BEST_HEADINGS


def log(db, sak_id, user_id, action, now, detail=""):
    """Append one line to the case's history."""
    db["sak_event"].insert({"sak_id": sak_id, "at": clock.to_utc_iso(now), "user_id": user_id,
                            "action": action, "detail": detail})


def _touch(db, sak_id, now, **changes):
    """Update the case row and its updated_at."""
    db["sak"].update(sak_id, {"updated_at": clock.to_utc_iso(now), **changes})


def create_tasks(db, sak_id, phase, started_on, owner_id, measures_started_on=None):
    """Add the routine's tasks for a phase (those not already in the case)."""
    for task in routine.tasks_for_phase(phase, started_on, measures_started_on):
        db.execute(
            "INSERT OR IGNORE INTO sak_task (sak_id, phase, task_key, title, time_limit, owner_id, "
            "due_on, sort_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [sak_id, task["phase"], task["task_key"], task["title"], task["time_limit"], owner_id,
             task["due_on"].isoformat() if task["due_on"] else None, task["sort_order"]])


def acknowledge(db, melding, user_id, now):
    """Mark a melding as received by a leader (the author sees who and when); False if it already was.

    A conditional UPDATE, so two leaders acknowledging at once record only the first.
    """
    cursor = db.execute(
        "UPDATE melding SET acknowledged_at = ?, acknowledged_by = ?, "
        "status = CASE status WHEN 'ny' THEN 'mottatt' ELSE status END "
        "WHERE id = ? AND acknowledged_at IS NULL", [clock.to_utc_iso(now), user_id, melding["id"]])
    return cursor.rowcount == 1


def assign_melding(db, melding, owner_id, user_id, now):
    """Give a melding its ansvarlig (received by the leader who does it, if it was not yet)."""
    acknowledge(db, melding, user_id, now)
    db.execute("UPDATE melding SET assigned_to = ? WHERE id = ?", [owner_id, melding["id"]])


OPEN_STATUSES = ("ny", "mottatt")  # a melding not yet closed nor in a case


def take_melding(db, melding, changes):
    """Move an open melding on (closed, or into a case) unless another request already did.

    Call inside the write's transaction: the conditional UPDATE and its row
    count decide, so a double tap cannot open two cases from one melding.
    :returns: whether this request moved it
    """
    columns = ", ".join(f"{column} = ?" for column in changes)
    cursor = db.execute(f"UPDATE melding SET {columns} WHERE id = ? AND status IN (?, ?)",
                        [*changes.values(), melding["id"], *OPEN_STATUSES])
    return cursor.rowcount == 1


def close_melding(db, melding, reason, user_id, now):
    """Close an open melding with a reason; False if it was already closed or put in a case."""
    acknowledge(db, melding, user_id, now)
    return take_melding(db, melding, {"status": "lukket", "closed_at": clock.to_utc_iso(now),
                                      "closed_by": user_id, "closed_reason": reason})


def open_sak(db, melding, pupil_id, user_id, owner_id, now):
    """Open a case from a melding: the concern is recorded, the investigation starts today.

    :returns: the new case's id, or None when the melding was already closed or in a case
    """
    today = routine.oslo_date(now)
    stamp = clock.to_utc_iso(now)
    acknowledge(db, melding, user_id, now)
    if not take_melding(db, melding, {"status": "sak", "assigned_to": owner_id or user_id}):
        return None
    sak_id = db["sak"].insert({
        "school_id": melding["school_id"], "pupil_id": pupil_id, "phase": "undersokelse",
        "phase_started_on": today.isoformat(), "owner_id": owner_id or user_id, "opened_at": stamp,
        "opened_by": user_id, "section_12_5": melding["section_12_5"],
        "concerns_leader": melding["concerns_leader"], "updated_at": stamp,
    }).last_pk
    db["sak_melding"].insert({"sak_id": sak_id, "melding_id": melding["id"]})
    create_tasks(db, sak_id, "bekymring", today, owner_id or user_id)
    db.execute("UPDATE sak_task SET done_at = ?, done_by = ? WHERE sak_id = ? AND task_key = ?",
               [stamp, user_id, sak_id, "bekymring_referat"])
    create_tasks(db, sak_id, "undersokelse", today, owner_id or user_id)
    log(db, sak_id, user_id, "Sak opprettet", now, f"Fra melding nr. {melding['id']}")
    log(db, sak_id, user_id, "Fase", now, routine.PHASE_LABELS["undersokelse"])
    return sak_id


def add_melding(db, sak, melding, user_id, now):
    """Add a further melding to an open case (e.g. a new incident with the same pupil).

    :returns: whether it was added (False when it was already closed or in a case)
    """
    if sak["concerns_leader"] != melding["concerns_leader"]:
        # a melding about a leader lives only in a case about a leader (owners only), and the
        # other way round, so neither side ever shows leaders what only owners may see
        raise ValueError("a melding joins only a case of its own confidentiality")
    acknowledge(db, melding, user_id, now)
    if not take_melding(db, melding, {"status": "sak", "assigned_to": sak["owner_id"]}):
        return False
    db["sak_melding"].insert({"sak_id": sak["id"], "melding_id": melding["id"]}, ignore=True)
    log(db, sak["id"], user_id, "Melding lagt til", now, f"Melding nr. {melding['id']}")
    _touch(db, sak["id"], now)
    return True


def observation_plans_for(db, sak):
    """The school's systematic observations of the case's pupil or of their class, newest first."""
    return list(db.query(
        "SELECT observation_plan.id, observation_plan.starts_on, observation_plan.ends_on, "
        "observation_plan.pupil_id, school_class.name AS class_name, pupil.full_name AS pupil_name, "
        "EXISTS (SELECT 1 FROM sak_observation_plan WHERE sak_id = :sak AND plan_id = observation_plan.id) "
        "AS attached FROM observation_plan JOIN school_class ON school_class.id = observation_plan.class_id "
        "LEFT JOIN pupil ON pupil.id = observation_plan.pupil_id "
        "WHERE observation_plan.school_id = :school AND (observation_plan.pupil_id = :pupil "
        "OR observation_plan.class_id = (SELECT class_id FROM pupil WHERE id = :pupil)) "
        "ORDER BY observation_plan.starts_on DESC, observation_plan.id DESC",
        {"sak": sak["id"], "school": sak["school_id"], "pupil": sak["pupil_id"]}))


def attached_observation_plans(db, sak_id):
    """The systematic observations attached to a case, in the order they were attached."""
    return list(db.query(
        "SELECT observation_plan.id, observation_plan.starts_on, observation_plan.ends_on, "
        "school_class.name AS class_name, pupil.full_name AS pupil_name, sak_observation_plan.attached_at, "
        "user.full_name AS attached_by_name FROM sak_observation_plan "
        "JOIN observation_plan ON observation_plan.id = sak_observation_plan.plan_id "
        "JOIN school_class ON school_class.id = observation_plan.class_id "
        "LEFT JOIN pupil ON pupil.id = observation_plan.pupil_id "
        "JOIN user ON user.id = sak_observation_plan.attached_by "
        "WHERE sak_observation_plan.sak_id = ? ORDER BY sak_observation_plan.attached_at, observation_plan.id",
        [sak_id]))


def describe_observation_plan(plan):
    """How the case's history and documents name an observation: whom and when."""
    whom = f"klasse {plan['class_name']}" + (f", {plan['pupil_name']}" if plan["pupil_name"] else "")
    return (f"Observasjon nr. {plan['id']} ({whom}, {clock.format_date(plan['starts_on'])}–"
            f"{clock.format_date(plan['ends_on'])})")


def cases_for_observation_plan(db, plan):
    """Open cases a systematic observation may be attached to: about its pupil, or a pupil of its class."""
    return list(db.query(
        "SELECT sak.id, sak.phase, sak.opened_at, pupil.full_name AS pupil_name, "
        "EXISTS (SELECT 1 FROM sak_observation_plan WHERE sak_id = sak.id AND plan_id = :plan) AS attached "
        "FROM sak JOIN pupil ON pupil.id = sak.pupil_id WHERE sak.school_id = :school "
        "AND sak.phase != 'avsluttet' AND NOT sak.concerns_leader "
        "AND (sak.pupil_id = :pupil OR pupil.class_id = :class) ORDER BY pupil.full_name, sak.id",
        {"plan": plan["id"], "school": plan["school_id"], "pupil": plan["pupil_id"] or -1,
         "class": plan["class_id"]}))


def attach_observation_plan(db, sak, plan, user_id, now):
    """Attach a systematic observation to a case (once); the history says who and when.

    :param plan: a row of `observation_plans_for(db, sak)` — of the case's school, pupil or class
    :returns: whether it was newly attached
    """
    if plan["attached"]:
        return False
    db["sak_observation_plan"].insert({"sak_id": sak["id"], "plan_id": plan["id"],
                                       "attached_at": clock.to_utc_iso(now), "attached_by": user_id})
    log(db, sak["id"], user_id, "Observasjon lagt ved", now, describe_observation_plan(plan))
    _touch(db, sak["id"], now)
    return True


def open_cases_for(db, school_id, pupil_ids, melding, *, owner=False):
    """Open cases a melding may join, newest first: about one of these pupils, seen by the viewer,
    and of the melding's own confidentiality.

    The rule (simple and safe): a melding about a leader joins only a case about a leader, and
    any other melding only a case leaders may see. Owners are offered only cases they may open
    (escalated or §12-5), never the names in the school's other cases.
    """
    if not pupil_ids:
        return []
    marks = ",".join("?" * len(pupil_ids))
    where = [f"sak.school_id = ? AND sak.pupil_id IN ({marks}) AND sak.phase != 'avsluttet'",
             visible_to("sak", owner=owner),
             owners_only("sak") if melding["concerns_leader"] else f"NOT {owners_only('sak')}"]
    if owner:
        where.append("(sak.escalated_at IS NOT NULL OR sak.section_12_5)")
    return list(db.query(
        "SELECT sak.id, sak.phase, sak.opened_at, pupil.full_name AS pupil_name FROM sak "
        f"JOIN pupil ON pupil.id = sak.pupil_id WHERE {' AND '.join(where)} ORDER BY sak.opened_at DESC",
        [school_id, *pupil_ids]))


def open_tasks(db, sak):
    """The case's tasks of its current phase that are not done, in the routine's order."""
    return routine.open_tasks_of_phase(db.query(
        "SELECT * FROM sak_task WHERE sak_id = ? AND phase = ? ORDER BY sort_order, id",
        [sak["id"], sak["phase"]]), sak["phase"])


def enter_phase(db, sak, phase, user_id, now, reason=""):
    """Move a case to a phase and schedule that phase's tasks.

    Moving on while tasks of the current phase are open needs a reason; the history
    keeps it with the tasks left open.
    """
    left_open = open_tasks(db, sak)
    if left_open and not reason:
        raise ValueError("moving on with open tasks needs a reason")
    today = routine.oslo_date(now)
    _touch(db, sak["id"], now, phase=phase, phase_started_on=today.isoformat())
    if left_open:
        log(db, sak["id"], user_id, "Gikk videre med åpne oppgaver", now,
            "; ".join(task["title"] for task in left_open) + f". Begrunnelse: {reason}")
    if phase != "avsluttet":
        create_tasks(db, sak["id"], phase, today, sak["owner_id"], routine.as_date(sak["measures_started_on"]))
    log(db, sak["id"], user_id, "Fase", now, routine.PHASE_LABELS[phase])


def set_owner(db, sak, owner_id, owner_name, user_id, now):
    """Give the case a new saksansvarlig."""
    _touch(db, sak["id"], now, owner_id=owner_id)
    log(db, sak["id"], user_id, "Saksansvarlig", now, owner_name)


def update_task(db, sak, task, user_id, now, *, done=None, owner_id=None, owner_name="", due_on=None):
    """Mark a task done or not done, give it an owner or a new due date; each change logged."""
    if done is True and not task["done_at"]:
        db["sak_task"].update(task["id"], {"done_at": clock.to_utc_iso(now), "done_by": user_id})
        log(db, sak["id"], user_id, "Oppgave utført", now, task["title"])
    elif done is False and task["done_at"]:
        db["sak_task"].update(task["id"], {"done_at": None, "done_by": None})
        log(db, sak["id"], user_id, "Oppgave gjenåpnet", now, task["title"])
    if owner_id and owner_id != task["owner_id"]:
        db["sak_task"].update(task["id"], {"owner_id": owner_id})
        log(db, sak["id"], user_id, "Oppgave fikk ansvarlig", now, f"{task['title']}: {owner_name}")
    if due_on and due_on.isoformat() != task["due_on"]:
        db["sak_task"].update(task["id"], {"due_on": due_on.isoformat()})
        log(db, sak["id"], user_id, "Frist endret", now,
            f"{task['title']}: {clock.format_date(due_on.isoformat())}")
    _touch(db, sak["id"], now)


def add_talk(db, sak, kind, pupil_id, held_at, participants, referat, user_id, now):
    """Log a talk with its referat; the routine task it belongs to is done with it."""
    talk_id = db["sak_talk"].insert({
        "sak_id": sak["id"], "kind": kind, "pupil_id": pupil_id, "held_at": held_at,
        "participants": participants, "referat": referat, "created_by": user_id,
        "created_at": clock.to_utc_iso(now)}).last_pk
    log(db, sak["id"], user_id, "Samtale", now, routine.TALK_LABELS[kind])
    task_key = routine.TALK_TASKS.get(kind)
    if task_key:
        db.execute("UPDATE sak_task SET done_at = ?, done_by = ? WHERE sak_id = ? AND task_key = ? "
                   "AND done_at IS NULL", [clock.to_utc_iso(now), user_id, sak["id"], task_key])
    _touch(db, sak["id"], now)
    return talk_id


def escalate(db, sak, note, avvik_filed, user_id, now):
    """Send the case to the school owner, recording that an avvik was filed."""
    _touch(db, sak["id"], now, escalated_at=clock.to_utc_iso(now), escalated_by=user_id,
           avvik_filed=int(bool(avvik_filed)), escalation_note=note)
    log(db, sak["id"], user_id, "Eskalert til skoleeier", now,
        ("Avvik meldt i Kvalitetsportalen. " if avvik_filed else "") + note)


def close_sak(db, sak, reason, pupil_says_safe_on, user_id, now):
    """Close the case with a reason (and the date the pupil said they are safe)."""
    _touch(db, sak["id"], now, phase="avsluttet", closed_at=clock.to_utc_iso(now), closed_by=user_id,
           closed_reason=reason, pupil_says_safe_on=pupil_says_safe_on,
           phase_started_on=routine.oslo_date(now).isoformat())
    log(db, sak["id"], user_id, "Sak avsluttet", now, reason)


def set_start_meeting(db, sak, meeting_at, participants, user_id, now):
    """Store the start meeting the Vedlegg 10 letter invites to."""
    _touch(db, sak["id"], now, start_meeting_at=meeting_at, start_meeting_participants=participants)
    log(db, sak["id"], user_id, "Oppstartsmøte", now, f"{meeting_at.replace('T', ' kl. ')}: {participants}")


def ensure_plan(db, sak_id, now):
    """The case's aktivitetsplan row, created empty on first use."""
    plan = one(db, "SELECT * FROM aktivitetsplan WHERE sak_id = ?", [sak_id])
    if plan is None:
        stamp = clock.to_utc_iso(now)
        db["aktivitetsplan"].insert({"sak_id": sak_id, "created_at": stamp, "updated_at": stamp})
        plan = one(db, "SELECT * FROM aktivitetsplan WHERE sak_id = ?", [sak_id])
    return plan


PLAN_FIELDS = ("background", "investigations", "perspectives", "findings", "coordinator_id")


def save_plan(db, sak, values, user_id, now):
    """Save the aktivitetsplan's fields; the history names the fields that changed.

    A staff member made coordinator is given access to the case (its page and its
    aktivitetsplan), and loses it when no longer coordinator: the history says so.
    :returns: who gained or lost access, as `access_changes` gives them
    """
    plan = ensure_plan(db, sak["id"], now)
    changed = [f for f in PLAN_FIELDS if values.get(f) != plan[f]]
    access = access_changes(db, plan["coordinator_id"], values.get("coordinator_id"))
    if changed:
        db["aktivitetsplan"].update(sak["id"], {**{f: values[f] for f in changed},
                                                "updated_at": clock.to_utc_iso(now)})
        log(db, sak["id"], user_id, "Aktivitetsplan endret", now, ", ".join(FIELD_NAMES[f] for f in changed))
        for change, _, name in access:
            if change == "gitt":
                log(db, sak["id"], user_id, "Tilgang gitt", now,
                    f"{name} (koordinator) kan åpne saken og aktivitetsplanen")
            else:
                log(db, sak["id"], user_id, "Tilgang fjernet", now, f"{name} er ikke lenger koordinator")
        _touch(db, sak["id"], now)
    return access


def access_changes(db, old_coordinator, new_coordinator):
    """Who gains or loses access to a case when its coordinator changes: ("gitt"/"fjernet", user id, name).

    Only staff: leaders and owners open cases by their role. The access itself is
    the plan's coordinator (`coordinates`), so it goes with the choice.
    """
    if old_coordinator == new_coordinator:
        return []
    staff = {row["id"]: row["full_name"] for row in db.query(
        "SELECT id, full_name FROM user WHERE id IN (?, ?) AND role = 'staff'",
        [old_coordinator or 0, new_coordinator or 0])}
    changes = []
    if old_coordinator in staff:
        changes.append(("fjernet", old_coordinator, staff[old_coordinator]))
    if new_coordinator in staff:
        changes.append(("gitt", new_coordinator, staff[new_coordinator]))
    return changes


def coordinates(db, sak, user_id):
    """Whether a staff member may open this case as its aktivitetsplan's coordinator.

    Never a §12-5 case (the employee it is about may be staff), whatever the plan says.
    """
    if sak["section_12_5"] or sak["concerns_leader"]:
        return False
    return one(db, "SELECT 1 FROM aktivitetsplan WHERE sak_id = ? AND coordinator_id = ?",
               [sak["id"], user_id]) is not None


def coordinated_by(db, school_id, user_id):
    """Open cases at a school whose aktivitetsplan this staff member coordinates, newest first."""
    return list(db.query(
        "SELECT sak.id, sak.phase, pupil.full_name AS pupil_name FROM aktivitetsplan "
        "JOIN sak ON sak.id = aktivitetsplan.sak_id JOIN pupil ON pupil.id = sak.pupil_id "
        "WHERE aktivitetsplan.coordinator_id = ? AND sak.school_id = ? AND sak.phase != 'avsluttet' "
        f"AND NOT sak.section_12_5 AND NOT {owners_only('sak')} ORDER BY sak.opened_at DESC",
        [user_id, school_id]))


LETTER_FIELDS = ("source", "raised_by", "channel", "concern_on", "receiver", "received_on", "letter_on")


def save_letter_details(db, sak, values, before, user_id, now):
    """Store the leader's corrections of how the concern came (Vedlegg 10, and the plan's "Mottatt").

    :param values: LETTER_FIELDS; dates as 'YYYY-MM-DD'
    :param before: what the letter said until now (`documents.receipt`, and the letter's date if set)
    :returns: the fields that changed (the history names them)
    """
    changed = [f for f in LETTER_FIELDS if values[f] != before.get(f)]
    if changed:
        db["sak_letter"].upsert({"sak_id": sak["id"], **{f: values[f] for f in LETTER_FIELDS},
                                 "updated_at": clock.to_utc_iso(now), "updated_by": user_id}, pk="sak_id")
        log(db, sak["id"], user_id, "Brevet rettet", now, ", ".join(LETTER_FIELD_NAMES[f] for f in changed))
        _touch(db, sak["id"], now)
    return changed


LETTER_FIELD_NAMES = {"source": "hvem meldte", "raised_by": "navn på den som meldte", "channel": "kanal",
                      "concern_on": "dato for henvendelsen", "receiver": "mottaker",
                      "received_on": "mottatt dato", "letter_on": "brevets dato"}


FIELD_NAMES = {
    "background": "bakgrunn", "investigations": "undersøkelser", "perspectives": "perspektiv",
    "findings": "samlede undersøkelser", "coordinator_id": "koordinator", "level": "nivå",
    "name": "navn", "description": "beskrivelse", "justification": "begrunnelse",
    "participation": "medvirkning", "start_on": "igangsetting", "responsible": "ansvarlig",
    "evaluation_on": "evalueringsdato", "evaluation_participants": "deltakere på evaluering",
    "conclusion": "konklusjon",
}
TILTAK_FIELDS = ("level", "name", "description", "justification", "participation", "start_on",
                 "responsible", "evaluation_on", "evaluation_participants", "conclusion")


def save_tiltak(db, sak, values, user_id, now, tiltak=None):
    """Add a measure or change one; returns its id."""
    ensure_plan(db, sak["id"], now)
    stamp = clock.to_utc_iso(now)
    if tiltak is None:
        tiltak_id = db["tiltak"].insert({"sak_id": sak["id"], **{f: values[f] for f in TILTAK_FIELDS},
                                         "created_at": stamp, "updated_at": stamp}).last_pk
        log(db, sak["id"], user_id, "Tiltak lagt til", now, values["name"])
    else:
        tiltak_id = tiltak["id"]
        changed = [f for f in TILTAK_FIELDS if values[f] != tiltak[f]]
        if changed:
            db["tiltak"].update(tiltak_id, {**{f: values[f] for f in changed}, "updated_at": stamp})
            log(db, sak["id"], user_id, "Tiltak endret", now,
                f"{values['name']}: " + ", ".join(FIELD_NAMES[f] for f in changed))
    _touch(db, sak["id"], now)
    _follow_measures_start(db, sak["id"], user_id, now)
    return tiltak_id


def _follow_measures_start(db, sak_id, user_id, now):
    """Keep the case's measures start (its tiltak's first start date) and the evaluation's due date with it."""
    current = one(db, "SELECT measures_started_on FROM sak WHERE id = ?", [sak_id])["measures_started_on"]
    started = routine.measures_started_on(
        row["start_on"] for row in db.query("SELECT start_on FROM tiltak WHERE sak_id = ?", [sak_id]))
    started = started.isoformat() if started else None
    if started == current:
        return
    db["sak"].update(sak_id, {"measures_started_on": started})
    due = routine.evaluation_due(started)
    for task in db.query("SELECT * FROM sak_task WHERE sak_id = ? AND task_key = 'evalueringsmote' "
                         "AND done_at IS NULL", [sak_id]):
        db["sak_task"].update(task["id"], {"due_on": due.isoformat() if due else None})
        log(db, sak_id, user_id, "Frist endret", now,
            f"{task['title']}: " + (f"{clock.format_date(due)} (seks uker etter at tiltakene startet "
                                    f"{clock.format_date(started)})" if due else "ingen, ingen tiltak har startdato"))


def save_best_interests(db, sak, values, user_id, now):
    """Save the Vedlegg 13 assessment: {heading key: {information, evaluation, notes, weighting}}."""
    current = best_interests_of(db, sak["id"])
    changed = []
    for key, heading in BEST_HEADINGS:
        row = values[key]
        old = current.get(key)
        if old is None or any(row[c] != old[c] for c in BEST_FIELDS):
            if old is None and not any(row.values()):
                continue
            db["barnets_beste"].upsert({"sak_id": sak["id"], "heading": key, **row},
                                       pk=("sak_id", "heading"))
            changed.append(heading.split(" (")[0])
    if changed:
        log(db, sak["id"], user_id, "Barnets beste endret", now, ", ".join(changed))
        _touch(db, sak["id"], now)
    return changed


def choosable_people(db, record, purpose="ansvarlig"):
    """Who may be chosen for a melding or a sak: as its ansvarlig, a task's, or the plan's coordinator.

    The one rule, for the choices shown and for what the server accepts: only
    people who can open the record. For a melding or sak only owners may see
    (§12-5 about a leader, `confidential.owners_only`) that is the school
    owner's people, never the school's leaders; otherwise the school's leaders,
    and the owner's people when the record reaches them (§12-5 or escalated).
    The coordinator of an aktivitetsplan may also be any active staff member of
    the school, who then may open that sak (`coordinates`) — not in a
    §12-5 case, where the employee it is about may be one of them.

    :param record: a melding or sak row
    :param purpose: "ansvarlig" or "koordinator"
    :returns: (id, label) pairs, leaders first
    """
    if record["concerns_leader"]:
        roles = ["owner"]
    else:
        roles = ["leader"]
        if record["section_12_5"] or record.get("escalated_at"):
            roles.append("owner")
        if purpose == "koordinator" and not record["section_12_5"]:
            roles.append("staff")
    people = sorted(people_of_school(db, record["school_id"], roles),
                    key=lambda p: (roles.index(p["role"]), p["full_name"]))
    return [(p["id"], p["full_name"] + (f" ({p['title']})" if p["title"] else "")) for p in people]


# ------------------------------------------------------------------ reading

def school_cases(db, school_id, *, show_closed=False):
    """The school's cases leaders may see (open ones unless show_closed), last changed first, with the pupil."""
    return list(db.query(
        "SELECT sak.*, pupil.full_name AS pupil_name, NULL AS school_name FROM sak "
        f"JOIN pupil ON pupil.id = sak.pupil_id WHERE sak.school_id = ? AND NOT {owners_only('sak')} "
        + ("" if show_closed else "AND sak.phase != 'avsluttet' ")
        + "ORDER BY sak.updated_at DESC", [school_id]))


def owner_cases(db, school_ids, *, show_closed=False):
    """The escalated and §12-5 cases at these schools (open ones unless show_closed), last changed first."""
    marks = ",".join("?" * len(school_ids)) or "NULL"
    return list(db.query(
        "SELECT sak.*, pupil.full_name AS pupil_name, school.name AS school_name FROM sak "
        "JOIN pupil ON pupil.id = sak.pupil_id JOIN school ON school.id = sak.school_id "
        f"WHERE sak.school_id IN ({marks}) AND (sak.escalated_at IS NOT NULL OR sak.section_12_5) "
        + ("" if show_closed else "AND sak.phase != 'avsluttet' ")
        + "ORDER BY sak.updated_at DESC", school_ids))


def open_section_12_5_meldinger(db, school_ids):
    """The §12-5 meldinger at these schools neither closed nor in a case, newest first, with author and school."""
    marks = ",".join("?" * len(school_ids)) or "NULL"
    return list(db.query(
        "SELECT melding.id, melding.created_at, melding.status, melding.concerns_leader, "
        "user.full_name AS author, school.name AS school_name FROM melding "
        "JOIN user ON user.id = melding.author_id JOIN school ON school.id = melding.school_id "
        f"WHERE melding.school_id IN ({marks}) AND melding.section_12_5 AND melding.status IN (?, ?) "
        "ORDER BY melding.created_at DESC", [*school_ids, *OPEN_STATUSES]))


def _overdue(school_ids, today, include_concerns_leader):
    """The condition on sak_task joined with sak for open tasks past due in open cases, and its parameters."""
    marks = ",".join("?" * len(school_ids))
    return (f"sak.school_id IN ({marks}) AND sak.phase != 'avsluttet' "
            f"AND {visible_to('sak', owner=include_concerns_leader)} "
            "AND sak_task.done_at IS NULL AND sak_task.due_on < ?", [*school_ids, today.isoformat()])


def overdue_tasks(db, school_ids, today, include_concerns_leader=False, limit=50):
    """Open tasks past their due date in open cases at these schools, most overdue first."""
    if not school_ids:
        return []
    condition, params = _overdue(school_ids, today, include_concerns_leader)
    rows = list(db.query(
        "SELECT sak_task.*, sak.pupil_id, pupil.full_name AS pupil_name, user.full_name AS owner_name "
        "FROM sak_task JOIN sak ON sak.id = sak_task.sak_id JOIN pupil ON pupil.id = sak.pupil_id "
        f"LEFT JOIN user ON user.id = sak_task.owner_id WHERE {condition} ORDER BY sak_task.due_on LIMIT ?",
        [*params, limit]))
    for row in rows:
        row["days_overdue"] = routine.days_overdue(row, today)
    return rows


def overdue_count(db, school_ids, today, include_concerns_leader=False):
    """How many open tasks are past their due date in open cases at these schools."""
    if not school_ids:
        return 0
    condition, params = _overdue(school_ids, today, include_concerns_leader)
    return db.execute(f"SELECT count(*) FROM sak_task JOIN sak ON sak.id = sak_task.sak_id WHERE {condition}",
                      params).fetchone()[0]


def sak_row(db, sak_id):
    """A case's row (the caller has checked that the viewer may open it)."""
    return db["sak"].get(sak_id)


def owner_case_count(db, school_ids):
    """How many open cases at these schools reach their owner: escalated, or §12-5."""
    marks = ",".join("?" * len(school_ids))
    return db.execute(
        f"SELECT count(*) FROM sak WHERE school_id IN ({marks}) AND phase != 'avsluttet' "
        "AND (escalated_at IS NOT NULL OR section_12_5)", school_ids).fetchone()[0]


def task_of(db, sak_id, task_id):
    """One of the case's routine tasks, or None."""
    return one(db, "SELECT * FROM sak_task WHERE id = ? AND sak_id = ?", [task_id, sak_id])


def tiltak_of(db, sak_id, tiltak_id):
    """One of the case's measures, or None."""
    return one(db, "SELECT * FROM tiltak WHERE id = ? AND sak_id = ?", [tiltak_id, sak_id])


def has_tiltak(db, sak_id):
    """Whether the case's aktivitetsplan has any measures."""
    return one(db, "SELECT 1 FROM tiltak WHERE sak_id = ?", [sak_id]) is not None


def best_interests_of(db, sak_id):
    """The case's barnets beste assessment as written so far: {heading key: row}."""
    return {row["heading"]: row for row in db.query("SELECT * FROM barnets_beste WHERE sak_id = ?", [sak_id])}


def case_pupils(db, sak):
    """The case's pupil and the pupils of the meldinger the case shows, by name: (id, full_name) rows."""
    return list(db.query(
        "SELECT id, full_name FROM pupil WHERE id = :pupil OR id IN (SELECT melding_pupil.pupil_id "
        "FROM sak_melding JOIN melding ON melding.id = sak_melding.melding_id "
        "JOIN melding_pupil ON melding_pupil.melding_id = melding.id WHERE sak_melding.sak_id = :sak "
        f"AND {visible_to('melding', owner=bool(sak['concerns_leader']))}) ORDER BY full_name",
        {"pupil": sak["pupil_id"], "sak": sak["id"]}))


def _pupil(db, sak):
    """The case's pupil, with their class's name."""
    return one(db, "SELECT pupil.*, school_class.name AS class_name FROM pupil "
                   "LEFT JOIN school_class ON school_class.id = pupil.class_id WHERE pupil.id = ?",
               [sak["pupil_id"]])


def _meldinger(db, sak):
    """The case's meldinger, oldest first, with who wrote, received and acknowledged each."""
    return list(db.query(
        "SELECT melding.*, author.full_name AS author, receiver.full_name AS received_by_name, "
        "ack.full_name AS acknowledged_by_name FROM sak_melding "
        "JOIN melding ON melding.id = sak_melding.melding_id JOIN user author ON author.id = melding.author_id "
        "LEFT JOIN user receiver ON receiver.id = melding.received_by_id "
        "LEFT JOIN user ack ON ack.id = melding.acknowledged_by "
        # a case leaders may open never shows a melding only owners may see (nor its observation)
        f"WHERE sak_melding.sak_id = ? AND {visible_to('melding', owner=bool(sak['concerns_leader']))} "
        "ORDER BY melding.created_at", [sak["id"]]))


def _people(db, sak):
    """The names of the case's saksansvarlig and of who escalated and closed it, and the saksansvarlig's title."""
    rows = list(db.query("SELECT id, full_name, title FROM user WHERE id IN (?, ?, ?)",
                         [sak["owner_id"] or 0, sak["escalated_by"] or 0, sak["closed_by"] or 0]))
    people = {r["id"]: r["full_name"] for r in rows}
    titles = {r["id"]: r["title"] for r in rows}
    return {"owner_name": people.get(sak["owner_id"], ""), "owner_title": titles.get(sak["owner_id"], ""),
            "escalated_by_name": people.get(sak["escalated_by"], ""),
            "closed_by_name": people.get(sak["closed_by"], "")}


def _plan(db, sak):
    """The case's aktivitetsplan (None before it is written), its tiltak and barnets beste by heading."""
    plan = one(db, "SELECT aktivitetsplan.*, user.full_name AS coordinator_name FROM aktivitetsplan "
                   "LEFT JOIN user ON user.id = aktivitetsplan.coordinator_id WHERE sak_id = ?", [sak["id"]])
    tiltak = list(db.query("SELECT * FROM tiltak WHERE sak_id = ? ORDER BY level, id", [sak["id"]]))
    return {"plan": plan, "tiltak": tiltak, "best": best_interests_of(db, sak["id"])}


def _letter(db, sak):
    """The leader's corrections of how the concern came, or None (then the records say it)."""
    return one(db, "SELECT * FROM sak_letter WHERE sak_id = ?", [sak["id"]])


def _confidential(db, sak):
    """innsyn: the school's pupils with a fortrolig adresse, whom the letter and the plan (sent to parents) leave out,
    and the staff names that stay."""
    pupils = confidential_pupils(db, sak["school_id"])
    return {"confidential_pupils": pupils, "staff_names": names_of_people(db, sak["school_id"]) if pupils else []}


def letter_bundle(db, sak):
    """What the Vedlegg 10 letter says (`documents.letter_values`): five queries, not `case_bundle`'s ~15."""
    meldinger = _meldinger(db, sak)
    return {"sak": sak, "pupil": _pupil(db, sak), "first_melding": meldinger[0] if meldinger else None,
            "school": one(db, "SELECT * FROM school WHERE id = ?", [sak["school_id"]]),
            "letter": _letter(db, sak), **_people(db, sak), **_confidential(db, sak)}


def plan_bundle(db, sak):
    """What the aktivitetsplan says (`documents.plan_values`), on its page too: six queries, not `case_bundle`'s ~15."""
    meldinger = _meldinger(db, sak)
    return {"sak": sak, "pupil": _pupil(db, sak), "first_melding": meldinger[0] if meldinger else None,
            "letter": _letter(db, sak), **_plan(db, sak), **_confidential(db, sak)}


def case_bundle(db, sak):
    """Everything about a case, for its page and its documents."""
    pupil = _pupil(db, sak)
    school = one(db, "SELECT * FROM school WHERE id = ?", [sak["school_id"]])
    meldinger = _meldinger(db, sak)
    tasks = list(db.query(
        "SELECT sak_task.*, user.full_name AS owner_name, done.full_name AS done_by_name FROM sak_task "
        "LEFT JOIN user ON user.id = sak_task.owner_id LEFT JOIN user done ON done.id = sak_task.done_by "
        "WHERE sak_id = ? ORDER BY sort_order, id", [sak["id"]]))
    talks = list(db.query(
        "SELECT sak_talk.*, user.full_name AS author, pupil.full_name AS pupil_name FROM sak_talk "
        "JOIN user ON user.id = sak_talk.created_by LEFT JOIN pupil ON pupil.id = sak_talk.pupil_id "
        "WHERE sak_id = ? ORDER BY held_at, id", [sak["id"]]))
    history = list(db.query(
        "SELECT sak_event.*, user.full_name AS who FROM sak_event LEFT JOIN user ON user.id = sak_event.user_id "
        "WHERE sak_id = ? ORDER BY at, sak_event.id", [sak["id"]]))
    for melding in meldinger:
        melding["pupils"] = list(db.query(
            "SELECT pupil.id, pupil.full_name, melding_pupil.role FROM melding_pupil "
            "JOIN pupil ON pupil.id = melding_pupil.pupil_id WHERE melding_id = ? ORDER BY pupil.full_name",
            [melding["id"]]))
    observation_ids = [m["observation_id"] for m in meldinger if m["observation_id"]]
    observations = []
    if observation_ids:
        marks = ",".join("?" * len(observation_ids))
        observations = list(db.query(
            "SELECT observation.*, user.full_name AS author, zone.name AS zone_name FROM observation "
            "JOIN user ON user.id = observation.author_id LEFT JOIN zone ON zone.id = observation.zone_id "
            f"WHERE observation.id IN ({marks}) ORDER BY observed_at", observation_ids))
        for observation in observations:
            observation["labels"] = json.loads(observation["labels"] or "[]")
    return {"sak": sak, "pupil": pupil, "school": school, "meldinger": meldinger, "tasks": tasks,
            "observation_plans": attached_observation_plans(db, sak["id"]),
            "talks": talks, **_plan(db, sak), "history": history, "observations": observations,
            **_people(db, sak), "case_pupils": case_pupils(db, sak),
            "first_melding": meldinger[0] if meldinger else None, "letter": _letter(db, sak)}


def route_corrected_melding(db, before, melding, user_id, now):
    """Route a melding a correction made § 12-5 (or about a leader) as a new one is routed, its cases too.

    A new § 12-5 melding reaches the owner at once, and one about a leader reaches only the owner:
    - the melding is open again if a leader had closed it (the owner sees open § 12-5 meldinger);
      about a leader, a leader's receipt and assignment are undone: the owner has not received it;
    - a case opened from it becomes § 12-5 (the owner's list); about a leader it becomes the owner's
      alone: its saksansvarlig and the owners of its open tasks (leaders) are taken off, and the
      case's other meldinger, which leaders may see, go back to leadership as open meldinger, so no
      case leaders cannot open holds what they must follow up (and owners see only owners' cases).
    Call inside the correction's transaction.

    :param before: the melding row before the correction; melding: the row after
    :returns: the ids of the cases that changed
    """
    became_12_5 = melding["section_12_5"] and not before["section_12_5"]
    became_leader = melding["concerns_leader"] and not before["concerns_leader"]
    if not (became_12_5 or became_leader):
        return []
    changes = {}
    if became_leader and melding["status"] != "sak":
        changes = {"status": "ny", "acknowledged_at": None, "acknowledged_by": None, "assigned_to": None}
    elif became_leader:
        changes = {"assigned_to": None}
    elif melding["status"] == "lukket":
        changes = {"status": "mottatt" if melding["acknowledged_at"] else "ny"}
    if changes:
        db["melding"].update(melding["id"], changes)
    detail = ("Registreringen meldingen kom fra, er rettet: ansatt krenker elev, og det gjelder en leder. "
              "Saken er nå bare skoleeiers." if melding["concerns_leader"] else
              "Registreringen meldingen kom fra, er rettet: ansatt krenker elev. Saken er sendt til skoleeier.")
    sak_ids = [row[0] for row in db.execute("SELECT sak_id FROM sak_melding WHERE melding_id = ?", [melding["id"]])]
    for sak_id in sak_ids:
        sak_changes = {"section_12_5": 1}
        if became_leader:
            sak_changes.update(concerns_leader=1, owner_id=None)
            db.execute("UPDATE sak_task SET owner_id = NULL WHERE sak_id = ? AND done_at IS NULL", [sak_id])
            others = [row[0] for row in db.execute(
                "SELECT melding.id FROM sak_melding JOIN melding ON melding.id = sak_melding.melding_id "
                "WHERE sak_melding.sak_id = ? AND NOT melding.concerns_leader", [sak_id])]
            for other in others:
                db.execute("DELETE FROM sak_melding WHERE sak_id = ? AND melding_id = ?", [sak_id, other])
                db.execute("UPDATE melding SET status = 'mottatt' WHERE id = ? AND status = 'sak'", [other])
                log(db, sak_id, user_id, "Melding tatt ut av saken", now,
                    f"Melding nr. {other} gjelder ikke en leder og følges opp av skoleledelsen.")
        _touch(db, sak_id, now, **sak_changes)
        log(db, sak_id, user_id, "§ 12-5", now, f"Melding nr. {melding['id']}: {detail}")
    return sak_ids
