"""The capture entry on the home screen: the two big buttons and the author's latest records."""
from .. import clock
from ..db import get_db
from ..navigation import home_panel
from ..scope import school_id
from . import rules, store


@home_panel
def capture_panel(user):
    """Staff and leaders at a school get the capture buttons and "Mine siste registreringer"."""
    if user.role not in ("staff", "leader") or not user.school_ids:
        return None
    db = get_db()
    now = clock.now()
    school = school_id()
    return {
        "template": "capture/_home_panel.html",
        "duty_session": store.duty_in_progress(db, user.id, school, now),
        "records": store.my_records(db, user.id, school, limit=3),
        "has_meldinger": db.execute("SELECT 1 FROM melding WHERE author_id = ? AND school_id = ? AND "
                                    "observation_id IS NOT NULL LIMIT 1", [user.id, school]).fetchone() is not None,
        "rules": rules,
        "now": now,
    }
