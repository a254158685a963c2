"""What leadership sees first: home screen panels and the badge on the Meldinger tab.

Notifications name only the author and the kind; the content stays behind
the melding's own page.
"""
from .. import clock
from ..confidential import owners_only
from ..db import get_db
from ..navigation import badge, home_panel
from ..saker import rules as routine
from ..saker import store as saker
from ..scope import current_school, school_id, school_ids
from . import store as records


def kind_text(melding):
    """The kind of a melding, as a notification names it."""
    if melding["section_12_5"]:
        return "§12-5: ansatt krenker elev"
    if melding["source"] in ("elev", "foresatt"):
        return f"melding fra {records.SOURCE_LABELS[melding['source']]}"
    return "melding"


@badge("feed.index", refresh="feed.badge")
def unacknowledged_badge(user):
    """The number of meldinger waiting for a leader, on the Meldinger tab."""
    if user.role != "leader" or not user.school_ids:
        return 0
    return records.unacknowledged_count(get_db(), school_id())


# items of each list on the leader's home screen
HOME_LIST = 5
# the newest waiting meldinger read for the alerts (all are counted)
WAITING_READ = 50


@home_panel
def leader_panel(user):
    """Leaders: meldinger to acknowledge (§12-5 and old ones highlighted), overdue case tasks."""
    if user.role != "leader" or not user.school_ids:
        return None
    db = get_db()
    school = current_school()
    now = clock.now()
    waiting = list(db.query(
        "SELECT melding.id, melding.created_at, melding.status, melding.section_12_5, melding.source, "
        "melding.acknowledged_at, user.full_name AS author FROM melding JOIN user ON user.id = melding.author_id "
        "WHERE melding.school_id = ? AND melding.status = 'ny' "
        f"AND NOT {owners_only('melding')} ORDER BY melding.created_at DESC LIMIT ?", [school["id"], WAITING_READ]))
    for melding in waiting:
        melding["kind"] = kind_text(melding)
        melding["alert"] = routine.needs_attention(melding, now, school["unacknowledged_alert_minutes"])
        melding["too_long"] = routine.unacknowledged_too_long(melding, now, school["unacknowledged_alert_minutes"])
    today = routine.oslo_date(now)
    overdue = saker.overdue_tasks(db, [school["id"]], today)
    mine_first = sorted(overdue, key=lambda t: (t["owner_id"] != user.id, t["due_on"]))
    alerts = [m for m in waiting if m["alert"]]
    # what waits for a leader comes before their own duty and records; a phone's
    # home screen shows the first few, the feed and the case list have the rest
    return {"template": "feed/_home_leader.html", "order": 10, "waiting": waiting,
            "waiting_count": records.unacknowledged_count(db, school["id"]),
            "alerts": alerts[:HOME_LIST], "more_alerts": len(alerts) - len(alerts[:HOME_LIST]),
            "overdue": mine_first[:HOME_LIST],
            "more_overdue": saker.overdue_count(db, [school["id"]], today) - len(mine_first[:HOME_LIST]),
            "alert_minutes": school["unacknowledged_alert_minutes"]}


@home_panel
def owner_panel(user):
    """Owners: §12-5 meldinger not yet dealt with and escalated cases at their schools."""
    if user.role != "owner" or not user.school_ids:
        return None
    db = get_db()
    ids = school_ids()
    marks = ",".join("?" * len(ids))
    meldinger = list(db.query(
        "SELECT melding.id, melding.created_at, melding.section_12_5, melding.source, melding.concerns_leader, "
        "user.full_name AS author, school.name AS school_name FROM melding "
        "JOIN user ON user.id = melding.author_id JOIN school ON school.id = melding.school_id "
        f"WHERE melding.school_id IN ({marks}) AND melding.section_12_5 AND melding.status = 'ny' "
        "ORDER BY melding.created_at DESC LIMIT 20", ids))
    for melding in meldinger:
        melding["kind"] = kind_text(melding)
    cases = db.execute(
        f"SELECT count(*) FROM sak WHERE school_id IN ({marks}) AND phase != 'avsluttet' "
        "AND (escalated_at IS NOT NULL OR section_12_5)", ids).fetchone()[0]
    return {"template": "feed/_home_owner.html", "order": 10, "meldinger": meldinger, "cases": cases}


@home_panel
def coordinator_panel(user):
    """Staff: the open cases whose aktivitetsplan they coordinate (the only cases they may open)."""
    if user.role != "staff" or not user.school_ids:
        return None
    cases = saker.coordinated_by(get_db(), school_id(), user.id)
    if not cases:
        return None
    return {"template": "saker/_home_coordinator.html", "order": 40, "cases": cases}
