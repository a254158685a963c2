"""Passwords, log-in throttling and the security headers every response carries."""
from datetime import timedelta

from flask import current_app, request
from werkzeug.security import check_password_hash, generate_password_hash

from . import clock
from .db import scalar, transaction

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def hash_password(password):
    """Hash a password with the configured scrypt work factor."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def password_matches(password_hash, password):
    """Check a password; an account without a password never matches."""
    if not password_hash:
        # spend the same time as a real check so accounts cannot be told apart
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(password_hash, password)


_DUMMY = {}


def _dummy_hash():
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY:
        _DUMMY[method] = generate_password_hash("not-a-password", method=method)
    return _DUMMY[method]


def password_problem(password):
    """A Norwegian message if a new password is too weak, else None."""
    if len(password) < 10:
        return "Passordet må ha minst 10 tegn."
    if password.lower() in {"passord123", "trygg12345", "1234567890", "qwertyuiop"}:
        return "Velg et passord som er vanskeligere å gjette."
    return None


def client_address():
    """The address a request came from (after ProxyFix, when configured)."""
    return request.remote_addr or "ukjent"


def begin_login_attempt(username, address, now):
    """Count a log-in try as failed before its password is checked; its id, or None when tries must wait.

    The failures are counted and this one added in one BEGIN IMMEDIATE
    transaction, in the database every worker sees: of tries sent at once, only
    as many as the limit allows get their password checked.
    """
    config = current_app.config
    since = clock.to_utc_iso(now - timedelta(minutes=config["LOGIN_THROTTLE_MINUTES"]))
    username = username[:150]
    with transaction() as db:
        by_account = scalar(
            db, "SELECT count(*) FROM login_attempt WHERE username = ? AND at >= ? AND success = 0",
            (username, since))
        by_address = scalar(
            db, "SELECT count(*) FROM login_attempt WHERE address = ? AND at >= ? AND success = 0",
            (address, since))
        if (by_account >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
                or by_address >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
            return None
        return db["login_attempt"].insert(
            {"at": clock.to_utc_iso(now), "username": username, "address": address, "success": 0}).last_pk


def login_succeeded(attempt_id, username):
    """The try was right after all; a successful log-in forgives the account's earlier failures."""
    with transaction() as db:
        db.execute("DELETE FROM login_attempt WHERE username = ? AND success = 0 AND id != ?",
                   [username[:150], attempt_id])
        db.execute("UPDATE login_attempt SET success = 1 WHERE id = ?", [attempt_id])


# the same on every response; HSTS is added when configured
SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
# pages differ for htmx (a fragment) and a browser (the whole page)
VARY = "HX-Request"


class SecurityHeaders:
    """WSGI middleware: strict headers on every response, and no caching of pages with personal data.

    Added to the plain list of headers as the response starts, so it also
    covers error pages, and costs a few microseconds instead of a pass
    through werkzeug's Headers per header.
    """

    def __init__(self, wsgi_app, config):
        self.wsgi_app = wsgi_app
        self.config = config

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            present = set()
            for index, (name, value) in enumerate(headers):
                name = name.lower()
                present.add(name)
                if name == "vary" and VARY.lower() not in value.lower():
                    headers[index] = ("Vary", f"{value}, {VARY}")
            headers.extend(header for header in SECURITY_HEADERS if header[0].lower() not in present)
            if self.config["HSTS"] and "strict-transport-security" not in present:
                headers.append(HSTS)
            if "vary" not in present:
                headers.append(("Vary", VARY))
            # static files and the map image say how long they keep; everything else is never stored
            if "cache-control" not in present:
                headers.append(("Cache-Control", "no-store"))
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


def init_app(app):
    """Install the response headers."""
    app.wsgi_app = SecurityHeaders(app.wsgi_app, app.config)
