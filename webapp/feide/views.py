"""Log in with Feide: the log-in and its answer, the owner's choices, the leader's match of Feide's classes."""
import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError
from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask_login import current_user
from joserfc.errors import JoseError

from .. import clock
from ..audit import audit
from ..auth.user import sign_in
from ..db import get_db
from ..navigation import home_panel
from ..rendering import render
from ..school.store import classes_of
from ..scope import parse_id, school_id
from ..security import CSP
from . import oidc, rules, store, texts
from .forms import OwnerSettingsForm

bp = Blueprint("feide", __name__)
bp.record_once(lambda state: oidc.init_app(state.app))


@bp.app_template_global()
def feide_login_offered():
    """Whether the log-in page shows "Logg inn med Feide": a client is set up and an owner has Feide on."""
    return oidc.configured() and store.any_owner_on(get_db())


@bp.app_template_global()
def feide_on_here():
    """Whether the signed-in leader's school uses Feide (its staff forms then ask for the Feide username)."""
    return store.feide_on_at(get_db(), school_id())


@bp.after_app_request
def allow_logout_at_feide(response):
    """Pages let "Logg ut" end at Feide: browsers hold a form's redirects to the CSP's form-action too."""
    if oidc.configured() and "Content-Security-Policy" not in response.headers:
        response.headers["Content-Security-Policy"] = CSP.replace(
            "form-action 'self'", f"form-action 'self' {oidc.origin()}")
    return response


def _refused(message, hint=None):
    """The page that says why Feide's log-in did not let the person in; nobody is signed in."""
    return render("feide/refused.html", message=message, hint=hint), 403


# ------------------------------------------------------------------ the log-in


@bp.route("/feide/logg-inn")
def login():
    """Send the person to Feide, asking for two factors when an owner requires them."""
    if not feide_login_offered():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    extra = {"acr_values": rules.MFA_ACR} if store.any_owner_requires_mfa(get_db()) else {}
    try:
        # Authlib makes state, nonce and the PKCE S256 verifier, and keeps them in the session
        return oidc.client().authorize_redirect(url_for("feide.callback", _external=True), **extra)
    except requests.RequestException:
        return _refused(texts.UNREACHABLE)


@bp.route("/feide/tilbake")
def callback():
    """Feide's answer: check it, find the account it belongs to, and sign the person in, or refuse."""
    if not oidc.configured():
        abort(404)
    client = oidc.client()
    if request.args.get("error"):  # the person stopped at Feide, or Feide would not let them on
        return _refused(texts.CANCELLED)
    try:
        # state against the session; code and PKCE verifier for tokens; the ID token's signature
        # (the provider's JWKS), issuer, audience, expiry and nonce
        token = client.authorize_access_token(claims_options=oidc.claims_options())
        if "userinfo" not in token:
            raise rules.ClaimsProblem("no ID token")
        userinfo = client.userinfo(token=token)
        identity = rules.identity(token["userinfo"], userinfo)
    except MismatchingStateError:
        return _refused(texts.STATE_LOST)
    except (AuthlibBaseError, JoseError, rules.ClaimsProblem, ValueError) as problem:
        current_app.logger.warning("Feide log-in refused: %s", type(problem).__name__)
        return _refused(texts.NOT_CONFIRMED)
    except requests.RequestException:
        return _refused(texts.UNREACHABLE)
    db = get_db()
    account = store.account_for(db, identity)
    settings = store.settings_for_user(db, account["id"]) if account else None
    if account is None or not account["active"] or account["role"] == "admin" or not settings["enabled"]:
        return _refused(texts.NO_ACCESS, texts.NO_ACCESS_HINT)
    if settings["mfa_required"] and not identity.mfa:
        return _refused(texts.MFA_MISSING)
    link = store.link_of(db, account["id"])
    first_time = link is None or link["sub"] is None
    store.link_signed_in(db, account["id"], identity)
    user = sign_in(account["id"], False, clock.now())
    # after sign_in, which empties the session: log-out needs it for Feide's end-session
    session[oidc.ID_TOKEN] = token["id_token"]
    if first_time:
        audit("update", "user", user.id, detail="koblet til Feide ved første innlogging")
    if oidc.wants_groups() and user.role in ("staff", "leader"):
        _keep_groups(client, token, user)
    return redirect(_next_path())


def _keep_groups(client, token, user):
    """Keep the basis groups Feide's groups API gives the teacher, for the leader to match to classes."""
    try:
        response = client.get(current_app.config["FEIDE_GROUPS_URL"], token=token)
        response.raise_for_status()
        groups = rules.basis_groups(response.json())
    except (requests.RequestException, ValueError):
        # the classes are a help, not the log-in: the CSV import stays
        current_app.logger.warning("Feide's groups API did not answer; no groups kept")
        return
    db = get_db()
    schools = [school for school in user.school_ids if store.feide_on_at(db, school)]
    store.save_groups(db, schools, groups, clock.now())


def _next_path():
    """Where the person was going before logging in (a path on this site), else the home screen."""
    target = session.pop("next_path", None)
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("home.index")


# ------------------------------------------------------------------ the owner's choices


@bp.route("/skoleeier/feide", methods=["GET", "POST"])
def settings():
    """A school owner switches Feide on for its schools, requires two factors, switches passwords off."""
    db = get_db()
    form = OwnerSettingsForm(data=store.owner_settings(db, current_user.id))
    if form.validate_on_submit():
        store.save_owner_settings(db, current_user.id, enabled=form.enabled.data,
                                  mfa_required=form.mfa_required.data,
                                  passwords_off=form.passwords_off.data and form.enabled.data)
        flash("Feide-innstillingene er lagret.")
        return redirect(url_for("feide.settings"))
    return render("feide/settings.html", form=form, configured=oidc.configured(),
                  issuer=current_app.config["FEIDE_ISSUER"]), (422 if form.errors else 200)


@home_panel
def owner_panel(user):
    """The owner's way to the Feide choices, saying whether Feide is on."""
    if user.role != "owner":
        return None
    return {"template": "feide/_home_panel.html", "order": 90,
            "enabled": store.owner_settings(get_db(), user.id)["enabled"]}


# ------------------------------------------------------------------ classes from Feide


@bp.route("/skole/feide-grupper", methods=["GET", "POST"])
def groups():
    """The leader matches the basis groups Feide gave the school's teachers to Trygg's classes."""
    db = get_db()
    school = school_id()
    found = store.groups_of(db, school)
    if request.method == "POST":
        store.match_groups(db, school, {group["id"]: parse_id(request.form.get(f"klasse-{group['id']}"))
                                        for group in found})
        flash("Koblingene er lagret.")
        return redirect(url_for("feide.groups"))
    return render("feide/groups.html", groups=found, classes=classes_of(db, school))
