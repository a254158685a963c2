"""Trygg: phone-first observation, supervision and case work for a safe school environment."""
import hashlib
import logging
from datetime import timedelta
from pathlib import Path

from flask import Flask, url_for
from whitenoise import WhiteNoise

from .extensions import compress, csrf, htmx

ROOT = Path(__file__).resolve().parent.parent

DEV_SECRET = "dev-only-not-secret"

# seconds between a page's own refreshes (hx-trigger="every …"), one per kind of poll: the live feed,
# the tab badge, the coverage board, one's records while a melding waits (the POLL_SECONDS setting)
POLL_SECONDS = {"feed": 3, "badge": 10, "coverage": 20, "mine": 5}


def create_app(test_config=None):
    """Build the app: defaults, then FLASK_* environment variables, then the test mapping."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder="../templates",
        static_folder="../static",
    )
    from .scope import IdConverter

    # every <int:...> in a route is an id SQLite can hold: a bigger number answers 404, not a 500
    app.url_map.converters["int"] = IdConverter

    app.config.from_mapping(
        SECRET_KEY=DEV_SECRET,
        DATABASE=str(ROOT / "instance" / "trygg.sqlite"),
        SESSION_COOKIE_NAME="trygg_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=True,
        REMEMBER_COOKIE_NAME="trygg_husk",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=True,
        REMEMBER_COOKIE_DURATION=timedelta(days=30),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        # the cookie is re-sent when the session changes (auth/user.py refreshes
        # "last_seen" once a minute), not re-signed on every request
        SESSION_REFRESH_EACH_REQUEST=False,
        # minutes without a request before a session (without "husk meg") ends
        IDLE_TIMEOUT_MINUTES=60,
        HSTS=True,
        # failed log-ins within LOGIN_THROTTLE_MINUTES before further tries are refused
        LOGIN_MAX_FAILURES_PER_ACCOUNT=5,
        # high: a whole school often shares one public address (NAT), and one pupil
        # guessing on a shared iPad must not lock every adult out
        LOGIN_MAX_FAILURES_PER_ADDRESS=100,
        LOGIN_THROTTLE_MINUTES=15,
        # OWASP's current scrypt work factor: N=2^17, r=8, p=1
        PASSWORD_HASH_METHOD="scrypt:131072:8:1",
        MAX_CONTENT_LENGTH=12 * 1024 * 1024,
        MAP_MAX_UPLOAD_PIXELS=40_000_000,
        WTF_CSRF_TIME_LIMIT=None,
        # WTForms' own translations (webapp/forms.py picks bokmål), not flask-babel's
        WTF_I18N_ENABLED=False,
        WTF_CSRF_SSL_STRICT=False,
        # number of proxies in front of the app that set X-Forwarded-For
        TRUSTED_PROXIES=0,
        # pin the clock (ISO timestamp or callable) for tests and demos
        NOW=None,
        # the folder for "Hvor og når"'s heatmaps (None: "<database name>-heatmaps" beside it)
        HEATMAP_CACHE=None,
        POLL_SECONDS=dict(POLL_SECONDS),
        # pages compressed by flask-compress (static files come compressed from whitenoise): brotli for
        # phones, gzip for the rest, at its levels COMPRESS_BR_LEVEL (4) and COMPRESS_LEVEL (6)
        COMPRESS_ALGORITHM=["br", "gzip"],
    )
    app.config.from_prefixed_env()
    if test_config is not None:
        app.config.from_mapping(test_config)

    if not app.debug and not app.testing and app.config["SECRET_KEY"] in (DEV_SECRET, "", None):
        raise RuntimeError(
            "Trygg needs a real SECRET_KEY outside debug: set FLASK_SECRET_KEY "
            "(python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    Path(app.config["DATABASE"]).parent.mkdir(parents=True, exist_ok=True)
    # Werkzeug's request log prints URLs; ours carry ids only, never names.
    logging.getLogger("werkzeug").setLevel(logging.WARNING if not app.debug else logging.INFO)

    from . import access, cli, db, errors, rendering, security
    from .auth import views as auth

    db.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    compress.init_app(app)
    auth.init_login(app)
    _static_files(app)  # inside the security headers, so static files carry them too
    security.init_app(app)
    access.init_app(app)
    rendering.init_app(app)
    errors.init_app(app)
    cli.init_app(app)

    # Importing a capability's views, demo and panels registers its routes, demo step and home panels;
    # the order here is the order of the home screen's panels and of the demo's steps.
    from .school import demo as _school_demo, views as school  # noqa: F401, I001
    from .duty import demo as _duty_demo, views as duty  # noqa: F401
    from .capture import demo as _capture_demo, views as capture  # noqa: F401
    from .feed import views as feed
    from .saker import demo as _saker_demo, views as saker  # noqa: F401
    from .observation_logs import demo as _observation_demo, views as observation_logs  # noqa: F401
    from .innsyn import views as innsyn
    from .hotspots import views as hotspots
    from .survey import demo as _survey_demo, views as survey  # noqa: F401
    from .auth import demo as _auth_demo  # noqa: F401  (after the school's step, which makes the people)
    from .admin import views as admin
    from .home import views as home
    from .feide import views as feide
    from .access_log import views as access_log
    from .retention import views as retention
    from .offline import views as offline

    for capability in (auth, home, capture, duty, feed, saker, observation_logs, school, admin, innsyn, feide,
                       access_log, retention, hotspots, survey, offline):
        app.register_blueprint(capability.bp)
    return app


def _static_files(app):
    """Static files served by whitenoise in front of Flask: pre-compressed, cached for good under their versions."""
    # whitenoise does not read the query string: every static URL the app writes carries its file's hash
    # (static_url), so a changed file gets a new URL and every file may be kept as immutable
    app.wsgi_app = WhiteNoise(app.wsgi_app, root=app.static_folder, prefix="static/", autorefresh=app.debug,
                              immutable_file_test=lambda path, url: True,
                              mimetypes={".webmanifest": "application/manifest+json"})
    versions = {}

    def version(filename):
        """The first characters of the file's hash ("0" for a missing file), read again in debug."""
        if filename not in versions or app.debug:
            try:
                versions[filename] = hashlib.sha256((Path(app.static_folder) / filename).read_bytes()).hexdigest()[:10]
            except OSError:
                versions[filename] = "0"
        return versions[filename]

    @app.template_global()
    def static_url(filename):
        """A static file's URL with its version (?v=<hash>), so browsers keep it until it changes."""
        return url_for("static", filename=filename, v=version(filename))
