"""The service worker script, what it keeps, the offline capture screen, and a fresh CSRF token for the outbox."""
import hashlib
import json
from pathlib import Path

from flask import Blueprint, current_app, jsonify, render_template, send_from_directory, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import MultiDict

from ..capture import rules as capture_rules

bp = Blueprint("offline", __name__)

# The static files the app shell needs, kept by the service worker under their versioned URLs (static_url)
SHELL_FILES = ("trygg.css", "vendor/htmx-2.0.11.min.js", "trygg.js", "drafts.js", "capture.js", "outbox.js",
               "offline.js", "offline_screen.js", "icon.svg", "manifest.webmanifest", "icons/app-192.png")
# the stylesheet's icons, which it links without a version (url("icons/…"))
CSS_ICONS = "icons/*.svg"
# templates the offline screen is made of: a change to them is a new version of the shell
SHELL_TEMPLATES = ("offline/shell.html", "offline/_outbox_bar.html", "capture/_details.html",
                   "capture/_macros.html")

_versions = {}


def precache_urls():
    """The URLs the service worker keeps: the offline screen and the static files it needs."""
    static = Path(current_app.static_folder)
    icons = sorted(path.relative_to(static).as_posix() for path in static.glob(CSS_ICONS))
    return ([url_for("offline.shell")]
            + [current_app.jinja_env.globals["static_url"](name) for name in SHELL_FILES]
            + [url_for("static", filename=name) for name in icons])


def offline_version():
    """A hash of what the service worker keeps: a new one makes phones fetch the new files (read again in debug)."""
    if "version" not in _versions or current_app.debug:
        digest = hashlib.sha256(json.dumps(precache_urls()).encode())
        templates = Path(current_app.root_path, current_app.template_folder)
        for name in SHELL_TEMPLATES:
            digest.update((templates / name).read_bytes())
        _versions["version"] = digest.hexdigest()[:12]
    return _versions["version"]


bp.add_app_template_global(offline_version, "offline_version")


@bp.route("/sw.js")
def service_worker():
    """The service worker, from the site's root so its scope covers the whole app; phones ask for it every time."""
    response = send_from_directory(current_app.static_folder, "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/frakoblet/filer.json")
def precache():
    """What the service worker keeps, and its version."""
    return jsonify(version=offline_version(), urls=precache_urls())


@bp.route("/frakoblet")
def shell():
    """The offline capture screen: the same for everyone, without personal data, so the phone may keep it.

    Its pupils and zones come from the phone (static/offline.js), kept there on the user's last online visit.
    """
    html = render_template("offline/shell.html", values=MultiDict({"kind": "concern"}), errors={},
                           rules=capture_rules, choices=capture_rules.choices, zones=[], schoolyard=None,
                           context_first="", observation=None, conflict_id=None)
    return html, 200, {"Cache-Control": "no-cache"}


@bp.route("/frakoblet/nokkel")
def status():
    """Who is signed in and a fresh CSRF token, asked before the outbox is sent (an old page's token may be stale)."""
    return jsonify(user=current_user.id, csrf_token=generate_csrf())
