"""The one place that scopes school data to the signed-in user's schools.

Every view that reads or writes a school's records goes through here:
`school_id()` for lists, `get_or_404()` for one record by id. A record of
another school answers 404, exactly like one that does not exist.
"""
from flask import abort, session
from flask_login import current_user
from werkzeug.routing import IntegerConverter

from .db import get_db, one


def school_ids():
    """The schools the signed-in user belongs to."""
    user = current_user._get_current_object()
    return user.school_ids if user.is_authenticated else []


def school_id():
    """The school the user is working in now (chosen when they belong to several)."""
    ids = school_ids()
    if not ids:
        abort(404)
    chosen = session.get("school_id")
    return chosen if chosen in ids else ids[0]


def current_school():
    """The active school's row."""
    return one(get_db(), "SELECT * FROM school WHERE id = ?", [school_id()])


def choose_school(new_school_id):
    """Switch the active school; only to one of the user's own."""
    if new_school_id not in school_ids():
        abort(404)
    session["school_id"] = new_school_id


MAX_ID = 2**63 - 1  # SQLite's largest integer; a bigger "id" is no id at all


def parse_id(value):
    """An id from a URL or form as an int, or None when it cannot be one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a number SQLite can hold, or the URL matches no route (404)."""

    def __init__(self, map, *args, max=MAX_ID, **kwargs):
        super().__init__(map, *args, max=max, **kwargs)


def get_or_404(table, record_id, *, all_schools=False):
    """One row of a school-scoped table, or 404 if it is not in the active school.

    all_schools: accept any of the user's schools (owners across their schools).
    """
    record_id = parse_id(record_id)
    if record_id is None:
        abort(404)
    ids = school_ids() if all_schools else [school_id()]
    if not ids:
        abort(404)
    marks = ",".join("?" * len(ids))
    row = one(
        get_db(),
        f"SELECT * FROM [{table}] WHERE id = ? AND school_id IN ({marks})",
        [record_id, *ids],
    )
    if row is None:
        abort(404)
    return row
