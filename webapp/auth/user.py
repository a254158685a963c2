"""The signed-in user as flask-login sees it: who a cookie is, signing in, idle sessions, anonymous visitors."""
from datetime import timedelta

from flask import current_app, make_response, redirect, request, session, url_for
from flask_login import current_user, login_user

from .. import clock
from ..db import get_db
from ..rendering import is_htmx
from . import rules, store

ROLE_NAMES = {"staff": "Ansatt", "leader": "Skoleledelse", "owner": "Skoleeier", "admin": "Administrator"}

# what trygg.js sends with a request a page makes on its own timer (hx-trigger="every …")
POLL_HEADER = "X-Trygg-Poll"


class User:
    """A signed-in person: their row, role and schools."""

    is_anonymous = False
    is_authenticated = True

    def __init__(self, row):
        self.row = row
        self.id = row["id"]
        self.username = row["username"]
        self.full_name = row["full_name"]
        self.role = row["role"]
        self.title = row["title"]
        self.school_ids = row["school_ids"]
        self.must_change_password = bool(row["must_change_password"])

    @property
    def is_active(self):
        return bool(self.row["active"])

    def get_id(self):
        """The id flask-login keeps in the session: user and session version together."""
        return f"{self.id}:{self.row['session_version']}"

    @property
    def role_name(self):
        return ROLE_NAMES[self.role]

    def has_role(self, *roles):
        return self.role in roles


def load_user(session_id):
    """Restore the user from a session or remember cookie; stale versions are refused."""
    try:
        user_id, version = (int(part) for part in session_id.split(":"))
    except (ValueError, AttributeError):
        return None
    row = store.user_row(get_db(), user_id)
    if row is None or not row["active"] or row["session_version"] != version:
        return None
    return User(row)


def sign_in(user_id, remember, now):
    """A fresh session for this user, who is returned: of what was before, only where they were going carries over."""
    next_path = session.get("next_path")
    session.clear()
    if next_path:
        session["next_path"] = next_path
    user = User(store.user_row(get_db(), user_id))
    login_user(user, remember=remember, duration=current_app.config["REMEMBER_COOKIE_DURATION"])
    session.permanent = True
    session["last_seen"] = clock.to_utc_iso(now)
    return user


def unauthorized():
    """Send an anonymous visitor to the log-in page; htmx gets HX-Redirect, not a swapped form."""
    login_url = url_for("auth.login")
    if is_htmx():
        response = make_response("", 401)
        response.headers["HX-Redirect"] = login_url
        return response
    if request.method == "GET" and request.endpoint not in (None, "home.index"):
        session["next_path"] = request.full_path if request.query_string else request.path
    return redirect(login_url)


def enforce_idle_timeout():
    """End a session that has been idle too long (a "husk meg" cookie may restore it).

    A poll may end an idle session but never refreshes it (rules.moves_last_seen).
    With "husk meg" the remember cookie starts a new session, on a poll as on
    any request: that is what the person asked for on that device.
    """
    if request.endpoint == "static":
        return
    now = clock.now()
    last_seen = clock.parse(session["last_seen"]) if "last_seen" in session else None
    limit = timedelta(minutes=current_app.config["IDLE_TIMEOUT_MINUTES"])
    if "_user_id" in session and rules.idle_too_long(last_seen, now, limit):
        session.clear()
        last_seen = None
    polling = POLL_HEADER in request.headers
    if rules.moves_last_seen(last_seen, now, polling) and ("_user_id" in session or current_user.is_authenticated):
        session["last_seen"] = clock.to_utc_iso(now)
