"""Log-in, log-out and passwords: the routes, and flask-login wired to Trygg's users."""
from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_required, logout_user

from .. import clock
from ..db import get_db
from ..extensions import login_manager
from ..feide import oidc as feide_oidc
from ..feide.store import passwords_off_for
from ..feide.texts import PASSWORDS_OFF
from ..rendering import render
from . import rules, store
from .passwords import hash_password, password_matches
from .user import enforce_idle_timeout, load_user, sign_in, unauthorized

bp = Blueprint("auth", __name__)


def init_login(app):
    """Wire flask-login to Trygg's users, and end idle sessions before every request."""
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
                if passwords_off_for(db, row):  # the school's owner chose Feide only (webapp/feide)
                    return render("auth/login.html", error=PASSWORDS_OFF, username=username,
                                  remember=remember), 401
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
    """Log out on this device ("Logg ut"), or on every device the person is signed in on ("Logg ut overalt")."""
    everywhere = bool(request.form.get("overalt"))
    feide_id_token = session.get(feide_oidc.ID_TOKEN)
    if everywhere:
        store.end_all_sessions(get_db(), current_user.id)
    else:
        store.end_session(get_db(), current_user.session_id)
    # the session emptied first, so flask-login's note to delete the remember cookie stays in it
    session.clear()
    logout_user()
    flash("Du er logget ut på alle enheter." if everywhere else "Du er logget ut.")
    # a Feide log-in ends at Feide too, which sends the person back to the log-in page
    feide_logout = feide_id_token and feide_oidc.end_session_url(feide_id_token, url_for("auth.login", _external=True))
    return redirect(feide_logout or url_for("auth.login"))


def _devices(now):
    """The person's sessions that may be in use, for the account page."""
    config = current_app.config
    return store.sessions_in_use(
        get_db(), current_user.id, seen_since=now - timedelta(minutes=config["IDLE_TIMEOUT_MINUTES"]),
        remembered_seen_since=now - config["REMEMBER_COOKIE_DURATION"])


@bp.route("/passord", methods=["GET", "POST"])
@login_required
def change_password():
    """The account page: choose a new password (required after a reset), see where one is signed in."""
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
            # every session ends with the old password; this device gets a new one, as it had it
            store.set_password(get_db(), current_user.id, hash_password(new))
            sign_in(current_user.id, current_user.remembered, clock.now())
            flash("Passordet er endret. Du er logget ut på alle andre enheter.")
            return redirect(_safe_next())
    return render("auth/change_password.html", error=error, devices=_devices(clock.now())), (
        422 if error else 200)
