"""Who may call what: the route × role table, checked before every request.

Deny by default: an endpoint missing from ACCESS answers 403 for everyone,
and tests/test_access.py fails until it is added here.
"""
from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

PUBLIC = "public"  # no log-in needed
STAFF, LEADER, OWNER, ADMIN = "staff", "leader", "owner", "admin"
ROLES = (STAFF, LEADER, OWNER, ADMIN)

EVERYONE = frozenset(ROLES)
SCHOOL_STAFF = frozenset({STAFF, LEADER})  # people who work with pupils at a school
LEADERS = frozenset({LEADER})
OWNERS = frozenset({OWNER})
ADMINS = frozenset({ADMIN})
LEADERS_AND_OWNERS = frozenset({LEADER, OWNER})

ACCESS = {
    "static": PUBLIC,
    # auth
    "auth.login": PUBLIC,
    "auth.logout": EVERYONE,
    "auth.change_password": EVERYONE,
    # home
    "home.index": EVERYONE,
    "home.choose_school": frozenset({STAFF, LEADER, OWNER}),
    # school set-up, by its leaders
    "school.index": LEADERS,
    "school.staff": LEADERS,
    "school.staff_edit": LEADERS,
    "school.staff_reset_password": LEADERS,
    "school.staff_set_active": LEADERS,
    "school.staff_import": LEADERS,
    "school.classes": LEADERS,
    "school.class_edit": LEADERS,
    "school.pupils": LEADERS,
    "school.pupil_edit": LEADERS,
    "school.pupil_import": LEADERS,
    "school.map": LEADERS,
    "school.map_upload": LEADERS,
    "school.zone_edit": LEADERS,
    "school.zone_new": LEADERS,
    "school.settings": LEADERS,
    "school.map_image": SCHOOL_STAFF,
    # capture: recording observations and incidents (staff and leaders who work with pupils)
    "capture.index": SCHOOL_STAFF,
    "capture.new": SCHOOL_STAFF,
    "capture.create": SCHOOL_STAFF,
    "capture.show": SCHOOL_STAFF,
    "capture.correct": SCHOOL_STAFF,
    "capture.escalate": SCHOOL_STAFF,
    "capture.pupil_search": SCHOOL_STAFF,
    "capture.mine": SCHOOL_STAFF,
    "capture.meldinger": LEADERS,
    # operators
    "admin.index": ADMINS,
    "admin.school_new": ADMINS,
    "admin.owner_new": ADMINS,
    "admin.owner_schools": ADMINS,
}

# endpoints a user who must change their password may still reach
PASSWORD_CHANGE_ALLOWED = {"auth.change_password", "auth.logout", "static"}


def allowed_roles(endpoint):
    """The roles that may call an endpoint; None when it is not in the table."""
    return ACCESS.get(endpoint)


def check_access():
    """Before every request: deny unless the table lets this role in."""
    endpoint = request.endpoint
    if endpoint is None:
        return None  # no such route: Flask answers 404
    roles = allowed_roles(endpoint)
    if roles is None:
        current_app.logger.error("Endpoint %s is missing from the access table", endpoint)
        abort(403)
    if roles == PUBLIC:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.role not in roles:
        abort(403)
    if current_user.must_change_password and endpoint not in PASSWORD_CHANGE_ALLOWED:
        return redirect(url_for("auth.change_password"))
    return None


def init_app(app):
    """Check the table before every request."""
    app.before_request(check_access)
