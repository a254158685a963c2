"""The audit trail: who created, changed, exported or viewed a pupil's records."""
from flask_login import current_user

from . import clock
from .db import get_db, transaction

# plain SQL: sqlite-utils' insert inspects the schema on every call, and saving
# one observation writes several audit lines
INSERT = ("INSERT INTO audit_log (at, user_id, school_id, action, entity, entity_id, pupil_id, detail) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


def audit(action, entity, entity_id=None, *, pupil_id=None, school_id=None, detail="", db=None):
    """Append one line to the audit log (inside the caller's transaction, if any).

    :param action: view, create, update, export or delete
    :param entity: what kind of record: pupil, observation, melding, sak ...
    """
    audit_pupils(action, entity, entity_id, [pupil_id], school_id=school_id, detail=detail, db=db)


def audit_pupils(action, entity, entity_id, pupil_ids, *, school_id=None, detail="", db=None):
    """One audit line for each pupil a record is about (one line without a pupil if none)."""
    audit_lines(action, [(entity, entity_id, pupil_id, detail) for pupil_id in pupil_ids or [None]],
                school_id=school_id, db=db)


def audit_lines(action, lines, *, school_id=None, db=None):
    """Audit lines for one action on several records, written in one statement.

    :param lines: (entity, entity_id, pupil_id, detail) for each line
    """
    db = db or get_db()
    user_id = school = None
    if current_user and current_user.is_authenticated:
        user_id = current_user.id
        if school_id is None and current_user.school_ids:
            from .scope import school_id as active_school

            school = active_school()
    school = school_id if school_id is not None else school
    at = clock.utc_iso_now()
    rows = [(at, user_id, school, action, entity, entity_id, pupil_id, detail)
            for entity, entity_id, pupil_id, detail in lines]
    if db.conn.in_transaction:
        # part of the caller's transaction: its records and their audit lines are written together
        db.conn.executemany(INSERT, rows)
    else:
        # a page view's line alone does not wait for the disk (see transaction): it costs
        # every page that shows pupils' records, and still survives the app being killed
        with transaction(db, wait_for_disk=action != "view"):
            db.conn.executemany(INSERT, rows)
