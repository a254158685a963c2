"""The OpenID Connect client for Feide (Authlib's Flask client): its settings, log-in, the groups API, log-out."""
from urllib.parse import urlsplit

import requests
from authlib.integrations.flask_client import OAuth
from flask import current_app

# FLASK_FEIDE_* override these (README, Configuration); production values from docs.feide.no
DEFAULTS = {
    "FEIDE_CLIENT_ID": None,
    "FEIDE_CLIENT_SECRET": None,
    "FEIDE_ISSUER": "https://auth.dataporten.no",
    # userid-feide gives the feide-id, email the invited address, groups-edu the classes
    "FEIDE_SCOPES": "openid profile email userid-feide groups-edu",
    "FEIDE_GROUPS_URL": "https://groups-api.dataporten.no/groups/me/groups",
    "FEIDE_TIMEOUT_SECONDS": 10,
}

# where the session keeps the ID token of a Feide log-in, for log-out's id_token_hint
ID_TOKEN = "feide_id_token"


def init_app(app):
    """Settle Feide's settings and register the client with Authlib when a client id and secret are set."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    if not configured(app):
        return
    config = app.config
    oauth = OAuth(app)
    oauth.register(
        "feide", client_id=config["FEIDE_CLIENT_ID"], client_secret=config["FEIDE_CLIENT_SECRET"],
        server_metadata_url=config["FEIDE_ISSUER"].rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": config["FEIDE_SCOPES"], "code_challenge_method": "S256",
                       "default_timeout": config["FEIDE_TIMEOUT_SECONDS"]})


def configured(app=None):
    """Whether this installation has a Feide client (id and secret from the customer portal)."""
    config = (app or current_app).config
    return bool(config.get("FEIDE_CLIENT_ID") and config.get("FEIDE_CLIENT_SECRET"))


def client():
    """This app's Feide client."""
    return current_app.extensions["authlib.integrations.flask_client"].feide


def claims_options():
    """What the ID token must say beyond Authlib's own checks (signature, expiry, nonce): our issuer, us.

    Authlib asks only for an `azp` when the audience is someone else: the audience is checked here.
    """
    config = current_app.config
    return {"iss": {"essential": True, "values": [config["FEIDE_ISSUER"]]},
            "aud": {"essential": True, "values": [config["FEIDE_CLIENT_ID"]]},
            "sub": {"essential": True}}


def origin():
    """Feide's origin (scheme, host and port of the issuer), where log-out's form ends up."""
    parts = urlsplit(current_app.config["FEIDE_ISSUER"])
    return f"{parts.scheme}://{parts.netloc}"


def wants_groups():
    """Whether Trygg asks Feide for the teacher's groups (the groups-edu scope)."""
    return "groups-edu" in current_app.config["FEIDE_SCOPES"].split()


def end_session_url(id_token, back_to):
    """Feide's end-session address for a Feide log-in's ID token, coming back to `back_to`; None if unknown."""
    if not configured():
        return None
    try:
        return client().create_logout_url(post_logout_redirect_uri=back_to, id_token_hint=id_token)["url"]
    except (requests.RequestException, RuntimeError, ValueError):  # Feide unreachable, or no end-session
        current_app.logger.warning("Feide's end-session endpoint is not known; logged out of Trygg only")
        return None
