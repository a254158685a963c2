"""The audit trail: who created, changed, exported or viewed a pupil's records."""
from flask_login import current_user

from . import clock
from .db import get_db, transaction


def audit(action, entity, entity_id=None, *, pupil_id=None, school_id=None, detail="", db=None):
    """Append one line to the audit log (inside the caller's transaction, if any).

    :param action: view, create, update, export or delete
    :param entity: what kind of record: pupil, observation, melding, sak ...
    """
    db = db or get_db()
    user_id = current_user.id if current_user and current_user.is_authenticated else None
    if school_id is None and current_user and current_user.is_authenticated:
        from .scope import school_id as active_school

        school_id = active_school() if current_user.school_ids else None
    with transaction(db):
        # plain SQL: sqlite-utils' insert inspects the schema on every call, and saving
        # one observation writes several audit lines
        db.execute(
            "INSERT INTO audit_log (at, user_id, school_id, action, entity, entity_id, pupil_id, detail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [clock.utc_iso_now(), user_id, school_id, action, entity, entity_id, pupil_id, detail])


def audit_pupils(action, entity, entity_id, pupil_ids, **kwargs):
    """One audit line for each pupil a record is about."""
    for pupil_id in pupil_ids or [None]:
        audit(action, entity, entity_id, pupil_id=pupil_id, **kwargs)
