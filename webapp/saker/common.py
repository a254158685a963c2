"""Shared look-ups for the leadership views: who may see which melding or case."""
from flask import abort
from flask_login import current_user

from ..db import get_db
from ..scope import get_or_404
from . import store as saker


def is_owner():
    """Whether the signed-in user is a school owner (sees escalated and §12-5 records)."""
    return current_user.role == "owner"


def load_melding(melding_id):
    """A melding the user may open, or 404.

    Leaders see their school's meldinger except §12-5 ones about a leader;
    owners see §12-5 meldinger at any of their schools.
    """
    if is_owner():
        melding = get_or_404("melding", melding_id, all_schools=True)
        if not melding["section_12_5"]:
            abort(404)
    else:
        melding = get_or_404("melding", melding_id)
        if melding["concerns_leader"]:
            abort(404)
    return melding


def load_sak(sak_id):
    """A case the user may open, or 404: leaders their school's, owners escalated and §12-5 ones,
    a staff member the one whose aktivitetsplan they coordinate (access.py lets staff only view it).
    """
    if is_owner():
        sak = get_or_404("sak", sak_id, all_schools=True)
        if not (sak["escalated_at"] or sak["section_12_5"]):
            abort(404)
    else:
        sak = get_or_404("sak", sak_id)
        if sak["concerns_leader"]:
            abort(404)
        if current_user.role == "staff" and not saker.coordinates(get_db(), sak, current_user.id):
            abort(404)
    return sak


def choosable_people(record, purpose="ansvarlig"):
    """Who may be chosen for a melding or a sak: as its ansvarlig, a task's, or the plan's coordinator.

    The one rule, for the choices shown and for what the server accepts: only
    people who can open the record. For a melding or sak only owners may see
    (§12-5 about a leader, `confidential.owners_only`) that is the school
    owner's people, never the school's leaders; otherwise the school's leaders,
    and the owner's people when the record reaches them (§12-5 or escalated).
    The coordinator of an aktivitetsplan may also be any active staff member of
    the school, who then may open that sak (`saker.coordinates`) — not in a
    §12-5 case, where the employee it is about may be one of them.

    :param record: a melding or sak row
    :param purpose: "ansvarlig" or "koordinator"
    :returns: (id, label) pairs, leaders first
    """
    if record["concerns_leader"]:
        roles = ["owner"]
    else:
        roles = ["leader"]
        if record["section_12_5"] or record.get("escalated_at"):
            roles.append("owner")
        if purpose == "koordinator" and not record["section_12_5"]:
            roles.append("staff")
    people = sorted(people_of_school(record["school_id"], roles),
                    key=lambda p: (roles.index(p["role"]), p["full_name"]))
    return [(p["id"], p["full_name"] + (f" ({p['title']})" if p["title"] else "")) for p in people]


def people_of_school(school_id, roles=("staff", "leader")):
    """Active staff and leaders of a school, leaders first: (id, full name, title) rows."""
    marks = ",".join("?" * len(roles))
    return list(get_db().query(
        "SELECT user.id, user.full_name, user.title, user.role FROM user "
        "JOIN membership ON membership.user_id = user.id WHERE membership.school_id = ? "
        f"AND user.active AND user.role IN ({marks}) ORDER BY user.role DESC, user.full_name",
        [school_id, *roles]))


def person_choices(school_id, roles=("staff", "leader"), empty=None):
    """Select options of a school's people; owners of the school are offered too."""
    people = people_of_school(school_id, roles)
    if is_owner():
        people.append({"id": current_user.id, "full_name": current_user.full_name, "title": "skoleeier"})
    options = [(p["id"], f"{p['full_name']}" + (f" ({p['title']})" if p["title"] else "")) for p in people]
    return ([(0, empty)] if empty else []) + options


def pupils_by_class(school_id):
    """The school's active pupils, with class names, ordered by class and name."""
    return list(get_db().query(
        "SELECT pupil.id, pupil.full_name, pupil.class_id, school_class.name AS class_name FROM pupil "
        "LEFT JOIN school_class ON school_class.id = pupil.class_id "
        "WHERE pupil.school_id = ? AND pupil.active ORDER BY school_class.name, pupil.full_name",
        [school_id]))
