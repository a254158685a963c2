"""Log-in, log-out and passwords: the routes, and flask-login wired to Trygg's users."""
from datetime import timedelta

import click
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
from . import second_factor as totp
from .passwords import hash_password, password_matches
from .user import (
    enforce_idle_timeout,
    first_factor_passed,
    idle_seconds_left,
    load_user,
    mark_seen,
    safe_next,
    sign_in,
    signed_in_onwards,
    tell_idle_seconds,
    unauthorized,
)

# cli_group=None: its command is `flask reset-second-factor`, not `flask auth reset-second-factor`
bp = Blueprint("auth", __name__, cli_group=None)


def init_login(app):
    """Wire flask-login to Trygg's users, and end idle sessions before every request."""
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
    login_manager.session_protection = "basic"
    app.before_request(enforce_idle_timeout)
    app.after_request(tell_idle_seconds)
    app.add_template_global(idle_seconds_left)
    app.add_template_global(int(rules.IDLE_WARNING.total_seconds()), "idle_warning_seconds")


def _address():
    """The address a request came from (after ProxyFix, when configured)."""
    return request.remote_addr or "ukjent"


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
        # counted as a failure before the password is checked, so parallel tries cannot pass the limit
        attempt = (store.begin_login_attempt(db, username, _address(), now, _throttle())
                   if username and password else None)
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
                return first_factor_passed(row["id"], remember, now)
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
            return redirect(safe_next())
    return render("auth/change_password.html", error=error, devices=_devices(clock.now())), (
        422 if error else 200)


# ------------------------------------------------------------------ the second factor

# what a code given at log-in (or on the settings page) turned out to be
APP_CODE, RECOVERY_CODE, USED_CODE, WRONG_CODE, WAIT = "app", "recovery", "used", "wrong", "wait"
CODE_ERRORS = {
    USED_CODE: "Koden er allerede brukt. Vent til appen viser en ny kode.",
    WRONG_CODE: "Feil kode. Skriv inn de seks sifrene appen viser nå, eller en reservekode.",
    WAIT: "For mange feil koder. Vent en stund før du prøver igjen.",
}


def check_code(user_id, code, now):
    """What a code is for this user: the app's (each step once), a recovery code (each once), used, wrong, or wait.

    Counted as a failure before it is checked, as passwords are, so tries sent
    at once cannot pass the throttle; a right code forgives the failures.
    """
    db = get_db()
    attempt = store.begin_code_attempt(db, user_id, _address(), now, _throttle())
    if attempt is None:
        return WAIT
    factor = store.second_factor_of(db, user_id)
    if factor is None or not factor["secret"]:
        return WRONG_CODE
    result = WRONG_CODE
    code = code.strip()
    if "".join(code.split()).isdigit():
        secret = totp.unseal(factor["secret"])
        if secret is not None:
            step = totp.code_step(secret, code, now, factor["last_step"])
            if step is not None and store.use_step(db, user_id, step):
                result = APP_CODE
            elif totp.code_step(secret, code, now, -1) is not None:
                result = USED_CODE
    elif code:
        for recovery in store.unused_recovery_codes(db, user_id):
            # spent at most once, even by two tries at once
            if totp.recovery_code_matches(recovery["code_hash"], code) and store.use_recovery_code(
                    db, recovery["id"], now):
                result = RECOVERY_CODE
                break
    if result in (APP_CODE, RECOVERY_CODE):
        store.code_succeeded(db, attempt, user_id)
    return result


def _recovery_used_notice(user_id):
    left = len(store.unused_recovery_codes(get_db(), user_id))
    return (f"Du brukte en reservekode, og har {left} igjen. "
            "Lag nye reservekoder under Totrinnsinnlogging hvis du har mistet telefonen.")


@bp.route("/logg-inn/kode", methods=["GET", "POST"])
def login_code():
    """The second step of logging in: the six digits from the app, or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    now = clock.now()
    pending = session.get("second_factor")
    if not pending or now - clock.parse(pending["at"]) > rules.SECOND_FACTOR_WAIT:
        if pending:
            session.pop("second_factor")
            flash("Det tok for lang tid. Logg inn på nytt.")
        return redirect(url_for("auth.login"))
    error = None
    if request.method == "POST":
        result = check_code(pending["user_id"], request.form.get("code", ""), now)
        if result in (APP_CODE, RECOVERY_CODE):
            user = sign_in(pending["user_id"], pending["remember"], now)
            session.update(pending.get("carry") or {})
            if result == RECOVERY_CODE:
                flash(_recovery_used_notice(user.id))
            return signed_in_onwards(user)
        error = CODE_ERRORS[result]
    return render("auth/login_code.html", error=error), (401 if error else 200)


@bp.route("/totrinn")
@login_required
def second_factor():
    """The second factor on one's account: turn it on, get new recovery codes, change phone, or turn it off."""
    db = get_db()
    return render("auth/second_factor.html", recovery_left=len(store.unused_recovery_codes(db, current_user.id)))


@bp.route("/totrinn/ny", methods=["GET", "POST"])
@login_required
def second_factor_enrol():
    """Enrol an authenticator app: its QR code and the key in text, confirmed with a first code."""
    db = get_db()
    now = clock.now()
    factor = store.second_factor_of(db, current_user.id)
    secret = totp.unseal(factor["pending_secret"]) if factor and factor["pending_secret"] else None
    if secret is None:
        secret = totp.new_secret()
        store.begin_enrolment(db, current_user.id, totp.seal(secret), now)
    error = None
    if request.method == "POST":
        step = totp.code_step(secret, request.form.get("code", ""), now, -1)
        if step is not None:
            codes = totp.new_recovery_codes()
            store.confirm_enrolment(db, current_user.id, step, [totp.hash_recovery_code(c) for c in codes],
                                    current_user.session_id, now)
            return render("auth/recovery_codes.html", codes=codes, enrolled=True)
        error = "Koden stemmer ikke. Skriv inn de seks sifrene appen viser nå."
    qr = totp.qr_svg(totp.provisioning_uri(secret, current_user.username))
    return render("auth/second_factor_enrol.html", error=error, qr=qr, secret=totp.grouped(secret)), (
        422 if error else 200)


@bp.route("/totrinn/reservekoder", methods=["POST"])
@login_required
def recovery_codes_new():
    """Ten new recovery codes, shown once, for a code from the app; the old ones stop working."""
    now = clock.now()
    result = check_code(current_user.id, request.form.get("code", ""), now)
    if result not in (APP_CODE, RECOVERY_CODE):
        return render("auth/second_factor.html", error=CODE_ERRORS[result],
                      recovery_left=len(store.unused_recovery_codes(get_db(), current_user.id))), 422
    codes = totp.new_recovery_codes()
    store.replace_recovery_codes(get_db(), current_user.id, [totp.hash_recovery_code(c) for c in codes], now)
    return render("auth/recovery_codes.html", codes=codes, enrolled=False)


@bp.route("/totrinn/av", methods=["POST"])
@login_required
def second_factor_off():
    """Turn one's own second factor off, with a code; not for those who must have one."""
    if current_user.second_factor_required:
        flash("Du må bruke totrinnsinnlogging. Du kan bytte telefon, men ikke slå den av.")
        return redirect(url_for("auth.second_factor"))
    result = check_code(current_user.id, request.form.get("code", ""), clock.now())
    if result not in (APP_CODE, RECOVERY_CODE):
        return render("auth/second_factor.html", error=CODE_ERRORS[result],
                      recovery_left=len(store.unused_recovery_codes(get_db(), current_user.id))), 422
    store.remove_second_factor(get_db(), current_user.id)
    flash("Totrinnsinnlogging er slått av.")
    return redirect(url_for("auth.second_factor"))


# ------------------------------------------------------------------ the idle warning (static/idle.js)


@bp.route("/okt", methods=["GET"])
@login_required
def session_status():
    """How long the session has left, in the answer's header; static/idle.js asks as a poll, which moves nothing."""
    return "", 204


@bp.route("/okt/forleng", methods=["POST"])
@login_required
def extend_session():
    """"Fortsett": the person is there, so the session's idle time starts again."""
    mark_seen(clock.now())
    return "", 204


@bp.cli.command("reset-second-factor")
@click.argument("username")
def reset_second_factor_command(username):
    """Remove an account's second factor (a lost phone without recovery codes); it is set up again at log-in."""
    db = get_db()
    row = store.user_by_username(db, username)
    if row is None:
        raise click.ClickException(f"Fant ingen bruker som heter «{username}».")
    store.remove_second_factor(db, row["id"])
    store.end_all_sessions(db, row["id"])
    click.echo(f"Totrinnsinnloggingen til {row['username']} er nullstilt, og brukeren er logget ut overalt.")
