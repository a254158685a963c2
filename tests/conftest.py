"""Fixtures: a real SQLite file per test, the test client, log-in helpers, a live server."""
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from webapp import create_app
from webapp.db import connect, init_db

from . import data

STATIC = Path(__file__).resolve().parent.parent / "static"

# Tests hash with a cheaper scrypt factor; test_security checks the real default.
TEST_HASH_METHOD = "scrypt:16384:8:1"
_HASH = generate_password_hash(data.PASSWORD, method=TEST_HASH_METHOD)


# the schema, its migrations and the test schools, built once per run (template_database); each test copies the file
TEMPLATE = {}


@pytest.fixture(scope="session", autouse=True)
def template_database(tmp_path_factory):
    """Build the test database once: schema.sql, every migration and the test schools."""
    path = tmp_path_factory.mktemp("template") / "trygg.sqlite"
    db = connect(str(path))
    init_db(db)
    data.load(db, _HASH)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all in the one file, which is what is copied
    db.conn.close()
    TEMPLATE["path"] = path
    return path


@pytest.fixture(scope="session", autouse=True)
def compressed_static_files():
    """Whitenoise's compress step over static/, as the Procfile runs it before the app starts."""
    from whitenoise.compress import main

    main(["--quiet", str(STATIC)])


def demo_database(app, path, now=None):
    """A fresh database at `path` with the demo made at `now` (by default the app's clock); the connection."""
    from webapp.demo import seed_demo

    db = connect(str(path))
    init_db(db)
    with app.app_context():
        seed_demo(db, now)
    return db


def make_app(tmp_path, **config):
    """An app on its own database file (a copy of the template) with the test schools loaded."""
    settings = {
        "TESTING": True,
        "SECRET_KEY": data.SECRET_KEY,
        "DATABASE": str(tmp_path / "trygg.sqlite"),
        "PASSWORD_HASH_METHOD": TEST_HASH_METHOD,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
    }
    settings.update(config)
    app = create_app(settings)
    shutil.copyfile(TEMPLATE["path"], app.config["DATABASE"])
    return app


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db(app):
    database = connect(app.config["DATABASE"])
    yield database
    database.conn.close()


CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, path="/logg-inn"):
    """A CSRF token for the client's session, read from a page as a browser would."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_FIELD.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def second_factor_code(app, username):
    """The code a test user's authenticator app shows now (by the app's clock), for the log-in's second step.

    Tests log in faster than once per 30-second step, and a step's code is
    taken only once: the step last used is forgotten first, as if the next
    step had come.
    """
    import pyotp

    from webapp import clock
    from webapp.auth.second_factor import unseal

    db = connect(app.config["DATABASE"])
    user_id, sealed = db.execute("SELECT user.id, secret FROM user JOIN second_factor ON user_id = user.id "
                                 "WHERE username = ?", [username]).fetchone()
    db.execute("UPDATE second_factor SET last_step = 0 WHERE user_id = ?", [user_id])
    db.conn.close()
    with app.app_context():
        return pyotp.TOTP(unseal(sealed)).at(clock.now())


class Auth:
    """Log in and post forms the way a browser does, CSRF token included."""

    def __init__(self, client):
        self.client = client

    def login(self, username="ansatt", password=data.PASSWORD, remember=False):
        """Log in, with the code from the app when the account has a second factor; the last answer."""
        token = csrf_token(self.client, "/logg-inn")
        form = {"username": username, "password": password, "csrf_token": token}
        if remember:
            form["remember"] = "1"
        response = self.client.post("/logg-inn", data=form)
        if response.status_code == 302 and response.headers["Location"] == "/logg-inn/kode":
            code = second_factor_code(self.client.application, username)
            token = csrf_token(self.client, "/logg-inn/kode")
            response = self.client.post("/logg-inn/kode", data={"code": code, "csrf_token": token})
        return response

    def logout(self):
        return self.post("/logg-ut", page="/")

    def post(self, url, data=None, page=None, **kwargs):
        form = dict(data or {})
        form.setdefault("csrf_token", csrf_token(self.client, page or "/"))
        return self.client.post(url, data=form, **kwargs)


def login(app, username):
    """A fresh client logged in as the user: (client, its Auth), for tests with several people at once."""
    client = app.test_client()
    auth = Auth(client)
    auth.login(username)
    return client, auth


@pytest.fixture
def auth(client):
    return Auth(client)


# the app each live server serves, by its URL: browser_login gives a second factor's code from it
SERVED = {}


class LiveServer:
    """The app served over HTTP on a free loopback port, in a thread."""

    def __init__(self, app, port=0):
        self.app = app
        # a port of its own by default; a given one to serve the same address again after a stop
        self.server = make_server("127.0.0.1", port, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        SERVED[self.url] = self.app
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()  # the port is free again: a stopped server refuses, as a dead one does
        self.thread.join(5)


# A page refreshes itself (the feed, the tab badge, the coverage board, one's records) this often
# under a browser test, so the test sees a real poll within a second instead of waiting up to 20 s.
BROWSER_POLL_SECONDS = 0.5


@pytest.fixture
def live_server(app):
    """The test app served over HTTP for a browser, its polls fast."""
    app.config["POLL_SECONDS"] = dict.fromkeys(app.config["POLL_SECONDS"], BROWSER_POLL_SECONDS)
    with LiveServer(app) as server:
        yield server


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True, "locale": "nb-NO"}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser):
    """A new browser context at phone size; yields a factory for more contexts (`options`: more context settings).

    A script error on any of their pages (a module loaded out of order, say), or anything the
    Content-Security-Policy blocked (a style attribute htmx copied, an inline script), fails the test.
    """
    contexts, errors = [], []

    def new_page(**options):
        context = browser.new_context(**{**PHONE, **options})
        context.set_default_timeout(10_000)
        context.on("weberror", lambda error: errors.append(f"{error.page.url if error.page else ''}: {error.error}"))
        context.on("console", lambda message: blocked(message, errors))
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()
    assert errors == [], "script errors or blocked content in the browser"


def blocked(message, errors):
    """Keep a browser console message that says the Content-Security-Policy blocked something."""
    if message.type == "error" and "Content Security Policy" in message.text:
        errors.append(f"{message.page.url if message.page else ''}: {message.text}")


def assert_accessible(page):
    """Run axe-core on the page; fail on any WCAG 2.1 A/AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"],
    })
    assert results.violations_count == 0, results.generate_report()


def assert_fits_phone(page, label=None):
    """Nothing wider than the phone's screen: no sideways scrolling."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"], label or page.url


def browser_drafts(page):
    """What Trygg keeps in this browser's localStorage (static/drafts.js): {key: the draft's data}."""
    return page.evaluate("""Object.fromEntries(Object.keys(localStorage).filter(k => k.startsWith('trygg-'))
        .map(k => [k, (JSON.parse(localStorage.getItem(k)) || {}).data]))""")


def browser_login(page, base_url, username="ansatt"):
    """Log in through the form, as a person would."""
    page.goto(base_url + "/logg-inn")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(data.PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(lambda url: url in (base_url + "/", base_url + "/logg-inn/kode"))
    if page.url == base_url + "/logg-inn/kode":
        page.get_by_label("Kode fra appen").fill(second_factor_code(SERVED[base_url], username))
        page.get_by_role("button", name="Logg inn", exact=True).click()
        page.wait_for_url(base_url + "/")
