"""The audit trail: who created, changed, exported or viewed a pupil's records.

Changes are written to the database's `audit_log` in the same transaction
as what they record. Reads — pages viewed and documents exported — are
written to the view log, an `audit_log` of its own in a second SQLite file
(`VIEW_LOG_DATABASE`, by default `trygg-views.sqlite` next to the
database): every commit to a database makes each other worker drop its
cached pages of it, and a line for every page viewed did so for nearly
every request. Together the two logs are the record of who viewed,
exported or changed what; reads from before the view log existed are in
the database's `audit_log`, so a question about reads searches both.
"""
from contextlib import nullcontext

from flask_login import current_user

from . import clock
from .db import durable, get_db, get_view_log, transaction

# plain SQL: sqlite-utils' insert inspects the schema on every call, and saving
# one observation writes several audit lines
INSERT = ("INSERT INTO audit_log (at, user_id, school_id, action, entity, entity_id, pupil_id, detail) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")

# what goes to the view log rather than the database
READS = ("view", "export")


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

    Reads (READS) always go to the view log in a transaction of their own; `db`
    only says where a change's lines go.

    :param lines: (entity, entity_id, pupil_id, detail) for each line
    """
    user_id = school = None
    user = current_user._get_current_object()
    if user and user.is_authenticated:
        user_id = user.id
        if school_id is None and user.school_ids:
            from .scope import school_id as active_school

            school = active_school()
    school = school_id if school_id is not None else school
    at = clock.utc_iso_now()
    rows = [(at, user_id, school, action, entity, entity_id, pupil_id, detail)
            for entity, entity_id, pupil_id, detail in lines]
    if action in READS:
        view_log = get_view_log()
        # an export is a document about pupils leaving Trygg: its line waits for the disk, however the view log is set
        with durable(view_log) if action == "export" else nullcontext(), transaction(view_log):
            view_log.conn.executemany(INSERT, rows)
        return
    db = db or get_db()
    if db.conn.in_transaction:
        # part of the caller's transaction: its records and their audit lines are written together
        db.conn.executemany(INSERT, rows)
    else:
        with transaction(db):
            db.conn.executemany(INSERT, rows)
