"""Log-in, log-out and passwords: the routes, and flask-login wired to Trygg's users."""
import time

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, login_required, logout_user
from itsdangerous import BadSignature

from .. import clock
from ..db import get_db
from ..extensions import login_manager
from ..rendering import render
from . import rules, store
from .passwords import hash_password, password_matches
from .user import enforce_idle_timeout, load_user, sign_in, unauthorized

bp = Blueprint("auth", __name__)


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


def init_login(app):
    """Wire flask-login to Trygg's users, and end idle sessions before every request."""
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


def _throttle():
    config = current_app.config
    return rules.Throttle(config["LOGIN_MAX_FAILURES_PER_ACCOUNT"], config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
                          config["LOGIN_THROTTLE_MINUTES"])


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
        db = get_db()
        # the address after ProxyFix, when configured
        address = request.remote_addr or "ukjent"
        # counted as a failure before the password is checked, so parallel tries cannot pass the limit
        attempt = store.begin_login_attempt(db, username, address, now, _throttle()) if username and password else None
        if not username or not password:
            error = "Skriv inn brukernavn og passord."
        elif attempt is None:
            error = ("For mange mislykkede forsøk. Vent en stund før du prøver igjen, "
                     "eller be skoleledelsen om nytt passord.")
        else:
            row = store.user_by_username(db, username)
            if password_matches(row["password_hash"] if row else None, password) and row["active"]:
                store.login_succeeded(db, attempt, username)
                user = sign_in(row["id"], remember, now)
                if user.must_change_password:
                    return redirect(url_for("auth.change_password"))
                return redirect(_safe_next())
            error = "Feil brukernavn eller passord."
    return render("auth/login.html", error=error, username=username, remember=remember), (
        401 if error else 200)


@bp.route("/logg-ut", methods=["POST"])
@login_required
def logout():
    """Log out; the old session and remember cookies stop working everywhere."""
    store.end_all_sessions(get_db(), current_user.id)
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
            error = rules.password_problem(new)
        if not error:
            store.set_password(get_db(), current_user.id, hash_password(new))
            sign_in(current_user.id, False, clock.now())
            flash("Passordet er endret.")
            return redirect(_safe_next())
    return render("auth/change_password.html", error=error), (422 if error else 200)
