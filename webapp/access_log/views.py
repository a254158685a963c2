"""The access log (/innsynslogg): a leader opens a pupil and sees who viewed or changed the pupil's
records, when and what, as "Retningslinjer om innsynslogg" asks (who, when, which record, which
action); an owner sees the same for the pupil's §12-5 records. Reading it is audited too.
"""
from types import SimpleNamespace

from flask import Blueprint, abort, request

from .. import clock
from ..access import is_owner
from ..audit import audit
from ..db import get_db
from ..rendering import render
from ..scope import get_or_404, parse_id
from . import store, texts

bp = Blueprint("access_log", __name__, url_prefix="/innsynslogg")


@bp.route("/elever/<int:pupil_id>")
def pupil(pupil_id):
    """Who viewed or changed a pupil's records, newest first, a page at a time; this reading is audited first."""
    db = get_db()
    owner = is_owner()
    pupil = get_or_404("pupil", pupil_id, all_schools=owner)
    if owner and not store.has_section_12_5_records(db, pupil_id):
        abort(404)
    audit("view", "access_log", pupil_id, pupil_id=pupil_id, school_id=pupil["school_id"],
          detail=store.OWNER_READING if owner else "")
    older_than = parse_id(request.args.get("eldre"))
    rows, more = store.lines(db, pupil_id, older_than, owner=owner)
    return render("access_log/pupil.html", pupil=pupil, lines=[_shown(row) for row in rows], owner=owner,
                  older_than=older_than, next_page=rows[-1]["id"] if more else None)


def _shown(row):
    """What one audit line shows: when, who (name and role), what was done to which record, its detail."""
    what = texts.ENTITY_LABELS.get(row["entity"], row["entity"]).format(id=row["entity_id"] or "")
    if row["user_name"]:
        who = f"{row['user_name']} ({row['user_title'] or texts.ROLE_LABELS.get(row['user_role'], '')})"
    else:
        who = texts.NO_USER
    return SimpleNamespace(when=clock.format_datetime(row["at"]), who=who,
                           what=f"{texts.ACTION_LABELS.get(row['action'], row['action'])} {what}",
                           detail=row["detail"], action=row["action"])
