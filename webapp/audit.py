"""The audit trail: who viewed, exported, created or changed a pupil's records.

A legal access log, in one place: every line goes to the database's
`audit_log`, append-only, at synchronous=FULL like the records themselves,
so a page viewed waits for its line to be on disk. A change's lines are
written in the same transaction as the change.
"""
import sqlite3
from pathlib import Path

from flask_login import current_user

from . import clock
from .db import get_db, transaction

COLUMNS = "at, user_id, school_id, action, entity, entity_id, pupil_id, detail"

# plain SQL: sqlite-utils' insert inspects the schema on every call, and saving
# one observation writes several audit lines
INSERT = f"INSERT INTO audit_log ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"


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
    db = db or get_db()
    if db.conn.in_transaction:
        # part of the caller's transaction: its records and their audit lines are written together
        db.conn.executemany(INSERT, rows)
    else:
        with transaction(db):
            db.conn.executemany(INSERT, rows)


def old_view_log(database):
    """Where an older Trygg kept the audit lines of reads, by default: `trygg.sqlite` → `trygg-views.sqlite`."""
    path = Path(database)
    return path.with_name(f"{path.stem}-views{path.suffix}")


def import_view_log(db, path):
    """Copy an old view log's lines into `audit_log`, then rename its file: (lines copied, the file's new name).

    An older Trygg kept the lines of pages viewed and documents exported in a
    second SQLite file, the view log. Its lines are appended in time order,
    their content as it was (only the ids are new); the file is kept, renamed
    `….imported`, so nothing is deleted. An import stopped before the rename
    is not copied twice: if the file's newest line is in `audit_log` already,
    only the rename is left to do.
    """
    path = Path(path)
    # lines a killed worker left in the WAL go into the file, so the file alone is the whole log
    old = sqlite3.connect(path, isolation_level=None)
    try:
        old.execute("PRAGMA journal_mode=DELETE")
    finally:
        old.close()
    db.conn.execute("ATTACH DATABASE ? AS view_log", [str(path)])
    try:
        newest = db.conn.execute(f"SELECT {COLUMNS} FROM view_log.audit_log ORDER BY id DESC LIMIT 1").fetchone()
        copied = 0
        if newest is not None and not _has_line(db, newest):
            with transaction(db):
                copied = db.conn.execute(f"INSERT INTO main.audit_log ({COLUMNS}) SELECT {COLUMNS} "
                                         "FROM view_log.audit_log ORDER BY at, id").rowcount
    finally:
        db.conn.execute("DETACH DATABASE view_log")
    kept_as = _unused(path.with_name(path.name + ".imported"))
    path.rename(kept_as)
    return copied, kept_as


def _has_line(db, line):
    """Whether `audit_log` has a line with this content (columns COLUMNS; NULLs equal)."""
    condition = " AND ".join(f"{column} IS ?" for column in COLUMNS.split(", "))
    return db.conn.execute(f"SELECT 1 FROM main.audit_log WHERE {condition} LIMIT 1", line).fetchone() is not None


def _unused(path):
    """`path`, or `path-2`, `path-3` … if it is taken: an earlier import's file is never overwritten."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}-{number}")
    return candidate
