"""The signed-in user as flask-login sees it: who a cookie is, signing in, idle sessions, anonymous visitors."""
from datetime import timedelta

from flask import current_app, make_response, redirect, request, session, url_for
from flask_login import current_user, login_user

from .. import clock
from ..db import get_db
from ..rendering import is_htmx, wants_json
from . import rules, store

ROLE_NAMES = {"staff": "Ansatt", "leader": "Skoleledelse", "owner": "Skoleeier", "admin": "Administrator"}

# what trygg.js sends with a request a page makes on its own timer (hx-trigger="every …")
POLL_HEADER = "X-Trygg-Poll"


class User:
    """A person signed in on one device: their row, role and schools, and that device's session."""

    is_anonymous = False
    is_authenticated = True

    def __init__(self, row, session_id):
        self.row = row
        # this log-in's row in user_session
        self.session_id = session_id
        self.remembered = bool(row["session_remember"])
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
        """The id flask-login keeps in the session and the remember cookie: this device's session."""
        return self.session_id

    @property
    def role_name(self):
        return ROLE_NAMES[self.role]

    def has_role(self, *roles):
        return self.role in roles


def load_user(session_id):
    """Restore the user from a session or remember cookie; an ended or unknown session is refused."""
    row = store.session_user(get_db(), session_id)
    if row is None or not row["active"]:
        return None
    return User(row, session_id)


def sign_in(user_id, remember, now):
    """A fresh session for this user, who is returned: of what was before, only where they were going carries over."""
    next_path = session.get("next_path")
    session.clear()
    if next_path:
        session["next_path"] = next_path
    db = get_db()
    session_id = store.start_session(db, user_id, device=rules.device_name(request.user_agent.string),
                                     remember=remember, now=now)
    user = User(store.session_user(db, session_id), session_id)
    login_user(user, remember=remember, duration=current_app.config["REMEMBER_COOKIE_DURATION"])
    session.permanent = True
    session["last_seen"] = clock.to_utc_iso(now)
    return user


def unauthorized():
    """Send an anonymous visitor to the log-in page; htmx gets HX-Redirect, not a swapped form, and JSON a 401."""
    login_url = url_for("auth.login")
    if wants_json():  # the phone's outbox: it keeps what it holds and asks the user to log in again
        return make_response({"error": "logget ut"}, 401)
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
    if rules.moves_last_seen(last_seen, now, polling) and current_user.is_authenticated:
        session["last_seen"] = clock.to_utc_iso(now)
        store.session_seen(get_db(), current_user.session_id, now)
