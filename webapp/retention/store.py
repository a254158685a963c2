"""Retention's SQL: owners' settings, the notes "løst der og da" that are due, deleting them; the archived mark."""
from ..audit import audit_lines
from ..capture import store as capture
from ..db import one, scalar, transaction
from . import rules

# the condition for an observation that is a note "løst der og da" and never became part of a sak:
# no melding was made from it (a melding in a sak, or one that may become one) and no systematic
# observation kept it in its log (an observation that may be attached to a sak)
NEVER_PART_OF_A_SAK = """observation.outcome = 'solved'
    AND NOT EXISTS (SELECT 1 FROM melding WHERE melding.observation_id = observation.id)
    AND NOT EXISTS (SELECT 1 FROM observation_log_entry WHERE observation_log_entry.observation_id = observation.id
                    AND observation_log_entry.decision = 'kept')"""

# deleted in batches, each its own transaction, so a big first run never holds the write lock for long
BATCH = 200


def owner_months(db, owner_id):
    """The number of months an owner has set, or None when they have kept the default."""
    return scalar(db, "SELECT solved_note_months FROM retention_setting WHERE owner_id = ?", [owner_id])


def save_owner_months(db, owner_id, months, now_iso):
    """Store an owner's number of months (inside the caller's transaction)."""
    db.execute("INSERT INTO retention_setting (owner_id, solved_note_months, updated_at) VALUES (?, ?, ?) "
               "ON CONFLICT (owner_id) DO UPDATE SET solved_note_months = excluded.solved_note_months, "
               "updated_at = excluded.updated_at", [owner_id, months, now_iso])


def school_months(db, school_id):
    """The months that apply at a school: the longest its owners have set (keeping longer is the safe side),
    else the default."""
    months = scalar(db, "SELECT max(retention_setting.solved_note_months) FROM membership "
                        "JOIN user ON user.id = membership.user_id AND user.role = 'owner' "
                        "JOIN retention_setting ON retention_setting.owner_id = user.id "
                        "WHERE membership.school_id = ?", [school_id])
    return months or rules.SOLVED_NOTE_MONTHS_DEFAULT


def due_notes(db, school_id, before_iso):
    """The notes "løst der og da" at a school observed before `before_iso` and never part of a sak:
    [{"observation_id", "notes": [(id, pupil_id)], "pupil_ids"}], oldest first."""
    found = {}
    for row in db.query(
            "SELECT observation.id AS observation_id, observation_pupil.pupil_id FROM observation "
            "LEFT JOIN observation_pupil ON observation_pupil.observation_id = observation.id "
            f"WHERE observation.school_id = ? AND observation.observed_at < ? AND {NEVER_PART_OF_A_SAK} "
            "ORDER BY observation.observed_at, observation.id", [school_id, before_iso]):
        record = found.setdefault(row["observation_id"], {"observation_id": row["observation_id"],
                                                          "notes": [], "pupil_ids": []})
        if row["pupil_id"] is not None:
            record["pupil_ids"].append(row["pupil_id"])
    for record in found.values():
        record["notes"] = [(r["id"], r["pupil_id"]) for r in db.query(
            "SELECT id, pupil_id FROM pupil_note WHERE observation_id = ? ORDER BY id", [record["observation_id"]])]
    return list(found.values())


def due_everywhere(db, today):
    """What is due at every school on `today`: [{"school_id", "months", "before", "due"}]."""
    found = []
    for school_id in [row["id"] for row in db.query("SELECT id FROM school ORDER BY id")]:
        months = school_months(db, school_id)
        before = rules.solved_notes_due_before(today, months)
        found.append({"school_id": school_id, "months": months, "before": before,
                      "due": due_notes(db, school_id, rules.start_of_day_utc(before))})
    return found


def delete_notes(db, school_id, due):
    """Delete due notes with their observations, in batches of transactions, each deletion audited (ids only).

    Returns how many observations were deleted.
    """
    deleted = 0
    for start in range(0, len(due), BATCH):
        batch = due[start:start + BATCH]
        with transaction(db):
            lines = []
            for record in batch:
                observation_id = record["observation_id"]
                # checked again inside the transaction: a melding made since the list was read keeps it
                if not scalar(db, f"SELECT 1 FROM observation WHERE id = ? AND {NEVER_PART_OF_A_SAK}",
                              [observation_id]):
                    continue
                pupils = record["pupil_ids"] or [None]
                # the one writer of observations deletes it (tests/test_one_writer.py)
                capture.delete_observation(db, observation_id)
                deleted += 1
                lines += [("pupil_note", note_id, pupil_id, "oppbevaring: løst der og da")
                          for note_id, pupil_id in record["notes"]]
                lines += [("observation", observation_id, pupil_id, "oppbevaring: løst der og da")
                          for pupil_id in pupils]
            if lines:
                audit_lines("delete", lines, school_id=school_id, db=db)
    return deleted


def archived_by_name(db, sak):
    """Who marked the sak archived, or ''."""
    row = one(db, "SELECT full_name FROM user WHERE id = ?", [sak["archived_by"]]) if sak["archived_by"] else None
    return row["full_name"] if row else ""
