"""The home screen: what each person needs first, one thumb away."""
from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from ..db import get_db
from ..navigation import HOME_PANELS, MAX_TABS, all_nav_items
from ..rendering import render
from ..school.store import schools_by_id
from ..scope import choose_school, current_school, parse_id, school_ids

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    """The signed-in person's home screen."""
    if current_user.role == "admin":
        return redirect(url_for("admin.index"))
    schools = schools_by_id(get_db(), school_ids())
    school = current_school() if schools else None
    panels = sorted((panel for panel in (func(current_user) for func in HOME_PANELS) if panel),
                    key=lambda panel: panel.get("order", 50))
    return render("home/index.html", school=school, schools=schools, panels=panels)


@bp.route("/velg-skole", methods=["POST"], endpoint="choose_school")
def choose_school_view():
    """Switch to another of the user's schools."""
    choose_school(parse_id(request.form.get("school_id")))
    return redirect(url_for("home.index"))


@bp.route("/mer")
def more():
    """The places that do not fit in the tab bar."""
    return render("home/more.html", items=all_nav_items()[MAX_TABS - 1:])
