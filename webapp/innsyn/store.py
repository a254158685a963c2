"""Everything recorded about one pupil, read from every capability's tables; the record of each copy released.

Reads only what the school's leaders may see: a § 12-5 record about a leader
(webapp/confidential.py) is the owner's and never goes into a leader's export.
"""
import json

from ..confidential import visible_to
from ..db import one
from ..saker import store as saker_store

# the sections of a copy, in its order: key → heading (also the counts' names in the record of copies)
SECTIONS = {
    "observasjoner": "Observasjoner og hendelser",
    "notater": "Notater i elevmappen",
    "meldinger": "Meldinger",
    "saker": "Saker",
    "samtaler": "Samtaler om eleven i andre saker",
    "observasjonsplaner": "Systematisk observasjon",
    "folg_med": "Følg med på",
    "sjekklister": "Sjekklister ved mistanke om mobbing",
}


def _others(db, table, key, record_id, pupil_id):
    """The other pupils of a record (observation_pupil or melding_pupil): (pupil id, role)."""
    return [(row["pupil_id"], row["role"]) for row in db.query(
        f"SELECT pupil_id, role FROM [{table}] WHERE [{key}] = ? AND pupil_id != ? ORDER BY rowid",
        [record_id, pupil_id])]


def observations(db, pupil_id):
    """The observations the pupil is in, oldest first, with their author, zone and the other pupils."""
    rows = list(db.query(
        "SELECT observation.*, observation_pupil.role, user.full_name AS author, zone.name AS zone_name "
        "FROM observation_pupil JOIN observation ON observation.id = observation_pupil.observation_id "
        "JOIN user ON user.id = observation.author_id LEFT JOIN zone ON zone.id = observation.zone_id "
        f"WHERE observation_pupil.pupil_id = ? AND {visible_to('observation')} "
        "ORDER BY observation.observed_at, observation.id", [pupil_id]))
    for row in rows:
        row["labels"] = json.loads(row["labels"] or "[]")
        row["offence_types"] = json.loads(row["offence_types"] or "[]")
        row["others"] = _others(db, "observation_pupil", "observation_id", row["id"], pupil_id)
        row["revisions"] = _revisions(db, row["id"])
    return rows


def _revisions(db, observation_id):
    """An observation's earlier versions (it was corrected): what it said then, who changed it and when."""
    revisions = []
    for row in db.query(
            "SELECT observation_revision.version, observation_revision.changed_at, observation_revision.snapshot, "
            "user.full_name AS changed_by_name FROM observation_revision "
            "JOIN user ON user.id = observation_revision.changed_by WHERE observation_id = ? ORDER BY version",
            [observation_id]):
        before = json.loads(row["snapshot"])["observation"]
        revisions.append({"version": row["version"], "changed_at": row["changed_at"],
                          "changed_by_name": row["changed_by_name"], "facts": before.get("facts", ""),
                          "comment": before.get("comment", "")})
    return revisions


def notes(db, pupil_id):
    """The notes in the pupil's file (elevmappe), oldest first, with their author."""
    return list(db.query(
        "SELECT pupil_note.*, user.full_name AS author FROM pupil_note "
        "JOIN user ON user.id = pupil_note.author_id WHERE pupil_note.pupil_id = ? "
        "AND (pupil_note.observation_id IS NULL OR NOT EXISTS (SELECT 1 FROM melding "
        "WHERE melding.observation_id = pupil_note.observation_id AND melding.concerns_leader)) "
        "ORDER BY pupil_note.created_at, pupil_note.id", [pupil_id]))


def meldinger(db, pupil_id):
    """The meldinger the pupil is in, oldest first, with who wrote and received them and the other pupils."""
    rows = list(db.query(
        "SELECT melding.*, melding_pupil.role, author.full_name AS author, ack.full_name AS acknowledged_by_name "
        "FROM melding_pupil JOIN melding ON melding.id = melding_pupil.melding_id "
        "JOIN user author ON author.id = melding.author_id LEFT JOIN user ack ON ack.id = melding.acknowledged_by "
        f"WHERE melding_pupil.pupil_id = ? AND {visible_to('melding')} "
        "ORDER BY melding.created_at, melding.id", [pupil_id]))
    for row in rows:
        row["others"] = _others(db, "melding_pupil", "melding_id", row["id"], pupil_id)
    return rows


def _talks(db, where, params):
    """Talks with their author, oldest first."""
    return list(db.query(
        "SELECT sak_talk.*, user.full_name AS author FROM sak_talk JOIN user ON user.id = sak_talk.created_by "
        f"JOIN sak ON sak.id = sak_talk.sak_id WHERE {where} AND {visible_to('sak')} "
        "ORDER BY sak_talk.held_at, sak_talk.id", params))


def saker(db, pupil_id):
    """The pupil's cases, oldest first: talks with referat, the aktivitetsplan, its tiltak and barnets beste,
    and the letter to the parents (Vedlegg 10)."""
    cases = list(db.query(
        "SELECT sak.*, owner.full_name AS owner_name FROM sak LEFT JOIN user owner ON owner.id = sak.owner_id "
        f"WHERE sak.pupil_id = ? AND {visible_to('sak')} ORDER BY sak.opened_at, sak.id", [pupil_id]))
    for sak in cases:
        sak["talks"] = _talks(db, "sak_talk.sak_id = ?", [sak["id"]])
        sak["plan"] = one(db, "SELECT aktivitetsplan.*, user.full_name AS coordinator_name FROM aktivitetsplan "
                              "LEFT JOIN user ON user.id = aktivitetsplan.coordinator_id WHERE sak_id = ?",
                          [sak["id"]])
        sak["tiltak"] = list(db.query("SELECT * FROM tiltak WHERE sak_id = ? ORDER BY level, id", [sak["id"]]))
        sak["best"] = {row["heading"]: row for row in db.query(
            "SELECT * FROM barnets_beste WHERE sak_id = ?", [sak["id"]])}
        sak["letter"] = one(db, "SELECT * FROM sak_letter WHERE sak_id = ?", [sak["id"]])
        # the letter and the plan as the case's documents say them; every pupil is taken out by
        # the copy's own aliases, so a fortrolig pupil is not left out twice
        row = saker_store.sak_row(db, sak["id"])
        sak["letter_bundle"] = {**saker_store.letter_bundle(db, row), "confidential_pupils": []}
        sak["plan_bundle"] = {**saker_store.plan_bundle(db, row), "confidential_pupils": []}
    return cases


def talks_elsewhere(db, pupil_id):
    """Talks with or about the pupil in other pupils' cases (the pupil who offended, say), oldest first."""
    return _talks(db, "sak_talk.pupil_id = ? AND sak.pupil_id != ?", [pupil_id, pupil_id])


def observation_plans(db, pupil_id):
    """Systematic observations with the pupil in focus, with each log's observer and items."""
    plans = list(db.query(
        "SELECT observation_plan.*, user.full_name AS created_by_name FROM observation_plan "
        "JOIN user ON user.id = observation_plan.created_by WHERE observation_plan.pupil_id = ? "
        "ORDER BY observation_plan.starts_on, observation_plan.id", [pupil_id]))
    for plan in plans:
        plan["answers"] = json.loads(plan["answers"] or "{}")
        plan["logs"] = list(db.query(
            "SELECT observation_log.*, user.full_name AS observer_name FROM observation_log "
            "JOIN user ON user.id = observation_log.observer_id WHERE plan_id = ? "
            "ORDER BY log_date, observation_log.id", [plan["id"]]))
        for log in plan["logs"]:
            log["items"] = list(db.query("SELECT * FROM observation_log_item WHERE log_id = ? ORDER BY item",
                                         [log["id"]]))
    return plans


def watch_flags(db, pupil_id):
    """"Følg med på" for the pupil: what duty staff were asked to look for, until when, by whom."""
    return list(db.query(
        "SELECT watch_flag.*, user.full_name AS created_by_name FROM watch_flag "
        "JOIN user ON user.id = watch_flag.created_by WHERE watch_flag.pupil_id = ? "
        "ORDER BY watch_flag.created_at, watch_flag.id", [pupil_id]))


def checklists(db, pupil_id):
    """The Vedlegg 6 checklists a pattern around the pupil prompted, with their answers."""
    rows = list(db.query(
        "SELECT mobbing_checklist.*, user.full_name AS author FROM mobbing_checklist "
        "JOIN user ON user.id = mobbing_checklist.created_by WHERE mobbing_checklist.pupil_id = ? "
        "ORDER BY mobbing_checklist.created_at, mobbing_checklist.id", [pupil_id]))
    for row in rows:
        row["answers"] = json.loads(row["answers"] or "{}")
    return rows


def everything_about(db, pupil_row):
    """Everything recorded about the pupil, by section (SECTIONS), with the school's row."""
    pupil_id = pupil_row["id"]
    return {
        "pupil": pupil_row,
        "school": one(db, "SELECT * FROM school WHERE id = ?", [pupil_row["school_id"]]),
        "observasjoner": observations(db, pupil_id), "notater": notes(db, pupil_id),
        "meldinger": meldinger(db, pupil_id), "saker": saker(db, pupil_id),
        "samtaler": talks_elsewhere(db, pupil_id), "observasjonsplaner": observation_plans(db, pupil_id),
        "folg_med": watch_flags(db, pupil_id), "sjekklister": checklists(db, pupil_id),
    }


def counts(bundle):
    """How many records of each section a copy holds."""
    return {key: len(bundle[key]) for key in SECTIONS}


# ------------------------------------------------------------------ the record of copies released

def earlier_export(db, user_id, client_id):
    """The copy this user's earlier submission of the same form made, or None."""
    return one(db, "SELECT id FROM innsyn_export WHERE exported_by = ? AND client_id = ?", [user_id, client_id])


def record_export(db, *, school_id, pupil_id, user_id, recipient, recipient_name, section_counts, redacted,
                  document, client_id, now):
    """Keep the copy as released and who had it; returns its id. Call inside a transaction."""
    return db["innsyn_export"].insert({
        "school_id": school_id, "pupil_id": pupil_id, "exported_at": now.isoformat(), "exported_by": user_id,
        "recipient": recipient, "recipient_name": recipient_name,
        "counts": json.dumps(section_counts, ensure_ascii=False), "redacted": redacted,
        "document": document, "client_id": client_id}).last_pk


_EXPORT_COLUMNS = ("innsyn_export.id, innsyn_export.school_id, innsyn_export.pupil_id, innsyn_export.exported_at, "
                   "innsyn_export.recipient, innsyn_export.recipient_name, innsyn_export.counts, "
                   "innsyn_export.redacted, user.full_name AS exported_by_name, pupil.full_name AS pupil_name")


def _with_counts(rows):
    """Rows of the record of copies with their counts read."""
    for row in rows:
        row["counts"] = json.loads(row["counts"] or "{}")
        row["total"] = sum(row["counts"].values())
    return rows


def exports(db, school_id, pupil_id=None, limit=200):
    """The copies released at the school (or of one pupil), newest first, without their documents."""
    where, params = "innsyn_export.school_id = ?", [school_id]
    if pupil_id is not None:
        where, params = where + " AND innsyn_export.pupil_id = ?", params + [pupil_id]
    return _with_counts(list(db.query(
        f"SELECT {_EXPORT_COLUMNS} FROM innsyn_export JOIN user ON user.id = innsyn_export.exported_by "
        f"JOIN pupil ON pupil.id = innsyn_export.pupil_id WHERE {where} "
        "ORDER BY innsyn_export.exported_at DESC, innsyn_export.id DESC LIMIT ?", [*params, limit])))


def export(db, export_id):
    """One copy's record (its document apart: `document_of`), or None."""
    rows = _with_counts(list(db.query(
        f"SELECT {_EXPORT_COLUMNS} FROM innsyn_export JOIN user ON user.id = innsyn_export.exported_by "
        "JOIN pupil ON pupil.id = innsyn_export.pupil_id WHERE innsyn_export.id = ?", [export_id])))
    return rows[0] if rows else None


def document_of(db, export_id):
    """The .docx as it was released."""
    row = one(db, "SELECT document FROM innsyn_export WHERE id = ?", [export_id])
    return row["document"] if row else None


def set_confidential_address(db, pupil_id, confidential):
    """Mark the pupil as having a fortrolig adresse, or not. Call inside a transaction."""
    db.execute("UPDATE pupil SET confidential_address = ? WHERE id = ?", [int(bool(confidential)), pupil_id])
