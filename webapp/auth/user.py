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
# what an answer says about the session's time left before it ends for idleness (static/idle.js reads it)
IDLE_HEADER = "X-Trygg-Idle-Seconds"


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
        self.has_second_factor = bool(row["has_second_factor"])
        self.second_factor_required = rules.second_factor_required(self.role, row["second_factor_required"])

    @property
    def must_enrol_second_factor(self):
        """Signed in with one factor only, and may reach nothing but the enrolment until they have a second."""
        # a log-in where Feide itself asked for two factors (issue 20) counts as a second factor
        return self.second_factor_required and not self.has_second_factor and not session.get(SECOND_FACTOR_AT_LOGIN)

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


# set in the session when the log-in itself had two factors (Feide with MFA)
SECOND_FACTOR_AT_LOGIN = "second_factor_at_login"


def fresh_session():
    """Empty the session before a log-in: of what was before, only where the person was going carries over."""
    next_path = session.get("next_path")
    session.clear()
    if next_path:
        session["next_path"] = next_path


def sign_in(user_id, remember, now):
    """A fresh session for this user, who is returned: of what was before, only where they were going carries over."""
    fresh_session()
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
    # a page's own poll (static/idle.js asking how long is left) is not where the person was going
    if request.method == "GET" and request.endpoint not in (None, "home.index") and POLL_HEADER not in request.headers:
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
        mark_seen(now)


def mark_seen(now):
    """The person is there at `now`: the session's idle time starts again."""
    session["last_seen"] = clock.to_utc_iso(now)
    store.session_seen(get_db(), current_user.session_id, now)


def idle_seconds_left():
    """Seconds before this session ends for idleness, for the idle warning; None when it does not (or no one is in).

    With "husk meg" the remember cookie starts a new session, so nothing ends to warn of.
    """
    if not current_user.is_authenticated or current_user.remembered or "last_seen" not in session:
        return None
    limit = timedelta(minutes=current_app.config["IDLE_TIMEOUT_MINUTES"])
    return rules.idle_seconds_left(clock.parse(session["last_seen"]), clock.now(), limit)


def tell_idle_seconds(response):
    """Every answer tells the page how long the session has left (static/idle.js), polls' answers too."""
    if request.endpoint != "static":
        left = idle_seconds_left()
        if left is not None:
            response.headers[IDLE_HEADER] = str(left)
    return response


def safe_next():
    """Where the person was going before the log-in, if it is a path of ours; else the home screen."""
    target = session.pop("next_path", None)
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("home.index")


def first_factor_passed(user_id, remember, now, *, carry=None, second_factor_done=False):
    """The password (or Feide) said who this is: sign in, or first ask for the second factor's code.

    Someone who must have a second factor and has none yet is signed in, but
    reaches nothing but its enrolment (access.py) until they have one.

    :param carry: what the new session keeps from the log-in (Feide's ID token, for its log-out)
    :param second_factor_done: the log-in already had two factors (Feide with MFA): no code asked
    """
    factor = store.second_factor_of(get_db(), user_id)
    if factor is not None and factor["secret"] and not second_factor_done:
        fresh_session()
        session["second_factor"] = {"user_id": user_id, "remember": remember, "at": clock.to_utc_iso(now),
                                    "carry": carry or {}}
        return redirect(url_for("auth.login_code"))
    user = sign_in(user_id, remember, now)
    session.update(carry or {})
    if second_factor_done:
        session[SECOND_FACTOR_AT_LOGIN] = True
    return signed_in_onwards(user)


def signed_in_onwards(user):
    """Where a fresh log-in goes: a new password first, then a second factor if one is required, then onwards."""
    if user.must_change_password:
        return redirect(url_for("auth.change_password"))
    if user.must_enrol_second_factor:
        return redirect(url_for("auth.second_factor_enrol"))
    return redirect(safe_next())
