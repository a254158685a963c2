"""The home screen: what each person needs first, one thumb away."""
from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from .db import get_db
from .rendering import render
from .scope import choose_school, current_school, parse_id, school_ids

bp = Blueprint("home", __name__)

# Other capabilities add panels to the home screen: functions taking the
# user and returning a dict for a template partial, or None to show nothing.
# A panel's "order" (default 50, lower first) may depend on the user's role:
# what a leader needs first is not what someone on duty needs first.
HOME_PANELS = []


def home_panel(func):
    """Register a function that contributes a panel to the home screen."""
    HOME_PANELS.append(func)
    return func


@bp.route("/")
def index():
    """The signed-in person's home screen."""
    if current_user.role == "admin":
        return redirect(url_for("admin.index"))
    schools = list(get_db().query(
        "SELECT id, name FROM school WHERE id IN (%s) ORDER BY name" % ",".join("?" * len(school_ids())),
        school_ids())) if school_ids() else []
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
    from .navigation import MAX_TABS, all_nav_items

    return render("home/more.html", items=all_nav_items()[MAX_TABS - 1:])
