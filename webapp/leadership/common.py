"""Shared look-ups for the leadership views: who may see which melding or case."""
from flask import abort
from flask_login import current_user

from ..db import get_db
from ..scope import get_or_404


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
    """A case the user may open, or 404: leaders their school's, owners escalated and §12-5 ones."""
    if is_owner():
        sak = get_or_404("sak", sak_id, all_schools=True)
        if not (sak["escalated_at"] or sak["section_12_5"]):
            abort(404)
    else:
        sak = get_or_404("sak", sak_id)
        if sak["concerns_leader"]:
            abort(404)
    return sak


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
