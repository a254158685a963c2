"""Log-in, log-out and passwords; the signed-in user as flask-login sees it."""
import time
from datetime import timedelta

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, login_required, login_user, logout_user
from itsdangerous import BadSignature

from .. import clock
from ..db import get_db, one, transaction
from ..rendering import is_htmx, render
from ..security import (
    begin_login_attempt,
    client_address,
    hash_password,
    login_succeeded,
    password_matches,
    password_problem,
)

bp = Blueprint("auth", __name__)

ROLE_NAMES = {"staff": "Ansatt", "leader": "Skoleledelse", "owner": "Skoleeier", "admin": "Administrator"}


class User:
    """A signed-in person: their row, role and schools."""

    is_anonymous = False

    def __init__(self, row, school_ids):
        self.row = row
        self.id = row["id"]
        self.username = row["username"]
        self.full_name = row["full_name"]
        self.role = row["role"]
        self.title = row["title"]
        self.school_ids = school_ids
        self.must_change_password = bool(row["must_change_password"])

    @property
    def is_authenticated(self):
        return True

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


def load_user_row(user_id):
    """A user row with the ids of their schools, or (None, []); one query, as it runs on every request."""
    row = one(get_db(), "SELECT user.*, (SELECT group_concat(school_id) FROM (SELECT school_id FROM membership "
                        "WHERE user_id = user.id ORDER BY school_id)) AS school_ids FROM user WHERE id = ?", [user_id])
    if row is None:
        return None, []
    ids = row.pop("school_ids")
    return row, [int(i) for i in ids.split(",")] if ids else []


def load_user(session_id):
    """Restore the user from a session or remember cookie; stale versions are refused."""
    try:
        user_id, version = (int(part) for part in session_id.split(":"))
    except (ValueError, AttributeError):
        return None
    row, school_ids = load_user_row(user_id)
    if row is None or not row["active"] or row["session_version"] != version:
        return None
    return User(row, school_ids)


def end_all_sessions(user_id, db=None):
    """Make every cookie issued to this user useless."""
    with transaction(db) as db:
        db.execute("UPDATE user SET session_version = session_version + 1 WHERE id = ?", [user_id])


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


# how stale "last_seen" may get before a request refreshes it: refreshing
# re-signs and re-sends the session cookie, so not on every request
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


# what trygg.js sends with a request a page makes on its own timer (hx-trigger="every …")
POLL_HEADER = "X-Trygg-Poll"


def enforce_idle_timeout():
    """End a session that has been idle too long (a "husk meg" cookie may restore it).

    A page polling on its own (the live feed, the badges) is not someone at
    the screen: a poll may end an idle session but never refreshes it, so a
    feed left open on an office computer still logs out. (With "husk meg"
    the remember cookie starts a new session, on a poll as on any request:
    that is what the person asked for on that device.)
    """
    if request.endpoint == "static":
        return
    now = clock.now()
    last_seen = session.get("last_seen")
    idle = now - clock.parse(last_seen) if last_seen else None
    limit = timedelta(minutes=current_app.config["IDLE_TIMEOUT_MINUTES"])
    if idle is not None and idle > limit and "_user_id" in session:
        session.clear()
        idle = None
    seen = idle is None or (idle >= LAST_SEEN_RESOLUTION and POLL_HEADER not in request.headers)
    if seen and ("_user_id" in session or current_user.is_authenticated):
        session["last_seen"] = clock.to_utc_iso(now)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, each cookie checked and decoded once per worker, not on every request.

    A session cookie now stays the same for a minute or more (auth refreshes
    "last_seen" once a minute), so a worker sees the same cookie again and
    again. Checking its signature means base64, zlib, HMAC and JSON each time;
    a cookie that passed keeps its contents here, and a later request with
    the very same cookie only has its age checked again. Only sessions of
    plain values are kept, so no request can change what another one reads.
    """

    _cached = (None, None)
    # cookie -> (when it was signed, its contents); emptied when full or when the secret changes
    _verified = {}
    VERIFIED_LIMIT = 1000

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if self._cached[0] != keys:
            self._cached = (keys, super().get_signing_serializer(app))
            self._verified = {}
        return self._cached[1]

    def open_session(self, app, request):
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        max_age = app.permanent_session_lifetime.total_seconds()
        known = self._verified.get(cookie)
        # the same test of age as the signer's own (itsdangerous' TimestampSigner)
        if known is not None and 0 <= time.time() - known[0] <= max_age:
            return self.session_class(known[1])
        try:
            data, signed_at = serializer.loads(cookie, max_age=int(max_age), return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if all(value is None or isinstance(value, (str, int, float)) for value in data.values()):
            if len(self._verified) >= self.VERIFIED_LIMIT:
                self._verified = {}
            self._verified[cookie] = (signed_at.timestamp(), data)
        return self.session_class(data)


def init_login(app, login_manager):
    """Wire flask-login to Trygg's users."""
    app.session_interface = SessionInterface()
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
    login_manager.session_protection = "basic"
    app.before_request(enforce_idle_timeout)


def _safe_next():
    target = session.pop("next_path", None)
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("home.index")


@bp.route("/logg-inn", methods=["GET", "POST"])
def login():
    """Log in with username and password ("husk meg" keeps the phone signed in)."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    error = None
    username = ""
    remember = False
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        remember = bool(request.form.get("remember"))
        now = clock.now()
        address = client_address()
        # counted as a failure before the password is checked, so parallel tries cannot pass the limit
        attempt = begin_login_attempt(username, address, now) if username and password else None
        if not username or not password:
            error = "Skriv inn brukernavn og passord."
        elif attempt is None:
            error = ("For mange mislykkede forsøk. Vent en stund før du prøver igjen, "
                     "eller be skoleledelsen om nytt passord.")
        else:
            row = one(get_db(), "SELECT * FROM user WHERE username = ?", [username])
            ok = password_matches(row["password_hash"] if row else None, password)
            if ok and row["active"]:
                login_succeeded(attempt, username)
                next_path = session.get("next_path")
                # a fresh session on every log-in: nothing from before carries over
                session.clear()
                if next_path:
                    session["next_path"] = next_path
                row, school_ids = load_user_row(row["id"])
                login_user(User(row, school_ids), remember=remember,
                           duration=current_app.config["REMEMBER_COOKIE_DURATION"])
                session.permanent = True
                session["last_seen"] = clock.to_utc_iso(now)
                if row["must_change_password"]:
                    return redirect(url_for("auth.change_password"))
                return redirect(_safe_next())
            error = "Feil brukernavn eller passord."
    return render("auth/login.html", error=error, username=username, remember=remember), (
        401 if error else 200)


@bp.route("/logg-ut", methods=["POST"])
@login_required
def logout():
    """Log out; the old session and remember cookies stop working everywhere."""
    end_all_sessions(current_user.id)
    logout_user()
    session.clear()
    flash("Du er logget ut.")
    return redirect(url_for("auth.login"))


@bp.route("/passord", methods=["GET", "POST"])
@login_required
def change_password():
    """Choose a new password (required after a reset)."""
    error = None
    if request.method == "POST":
        current = request.form.get("current_password", "")
        new = request.form.get("new_password", "")
        repeat = request.form.get("repeat_password", "")
        if not password_matches(current_user.row["password_hash"], current):
            error = "Nåværende passord stemmer ikke."
        elif new != repeat:
            error = "De to nye passordene er ikke like."
        else:
            error = password_problem(new)
        if not error:
            with transaction() as db:
                db.execute(
                    "UPDATE user SET password_hash = ?, must_change_password = 0, "
                    "session_version = session_version + 1 WHERE id = ?",
                    [hash_password(new), current_user.id],
                )
            row, school_ids = load_user_row(current_user.id)
            session.clear()
            login_user(User(row, school_ids))
            session.permanent = True
            session["last_seen"] = clock.utc_iso_now()
            flash("Passordet er endret.")
            return redirect(url_for("home.index"))
    return render("auth/change_password.html", error=error), (422 if error else 200)
