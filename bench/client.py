"""HTTP as a phone speaks it, and the servers the benchmark starts on loopback ports.

`Client` keeps cookies and a CSRF token and counts the bytes on the wire; `serve_trygg` runs a
database as the Procfile does (migrate, compress the static files, then gunicorn); `serve_hello`
serves the hello-world floor the same way. Servers run in their own process group and `stop` ends only that group.
"""
import gzip
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pyotp
from build import BENCH_SECRET_KEY, LEADER_TOTP_SECRET, PASSWORD

from webapp.db import connect

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# the database each server started here serves, by its port: a leader's log-in gives a code (Client.login)
DATABASES = {}
# one second-factor code at a time: each is taken once (see Client.login)
CODE_LOCK = threading.Lock()


class Client:
    """A cookie-keeping HTTP client on a loopback port; one connection per request, as gunicorn's sync workers close."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.csrf_token = None

    def request(self, method, path, form=None, headers=None):
        """(status, headers, raw body, header bytes, seconds) of one request."""
        body = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        # what Chrome on a phone offers (it adds zstd, which Trygg does not)
        sent = {"Accept-Encoding": "gzip, deflate, br", "User-Agent": "trygg-bench"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        raw = response.read()
        elapsed = time.perf_counter() - started
        connection.close()
        # the status line and each "Name: value\r\n", as they crossed the wire
        header_bytes = 17 + sum(len(name) + len(value) + 4 for name, value in response.getheaders())
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";")[0]
        return response.status, response.headers, raw, header_bytes, elapsed

    @staticmethod
    def text(raw, headers):
        """A body as text, decompressed if it came compressed."""
        encoding = headers.get("Content-Encoding")
        if encoding == "gzip":
            raw = gzip.decompress(raw)
        elif encoding == "br":
            import brotli  # only when a server sends brotli (Trygg does today)

            raw = brotli.decompress(raw)
        return raw.decode("utf-8")

    def login(self, username):
        """Log in through the form, CSRF token and all, and keep the token pages use."""
        _, headers, raw, _, _ = self.request("GET", "/logg-inn")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.text(raw, headers)).group(1)
        status, headers, _, _, _ = self.request("POST", "/logg-inn", {"username": username, "password": PASSWORD,
                                                                      "csrf_token": token})
        if status == 302 and headers.get("Location") == "/logg-inn/kode":
            status = self.second_factor()
        if status != 302:
            raise SystemExit(f"Log-in as {username} failed ({status})")
        _, headers, raw, _, _ = self.request("GET", "/")
        self.csrf_token = re.search(r'"X-CSRFToken": "([^"]+)"', self.text(raw, headers)).group(1)
        return self


    def second_factor(self):
        """The log-in's second step, with the code the bench leader's app would show; the answer's status.

        The bench signs the leader in several times within one 30-second step,
        and a step's code is taken once: the step last used is forgotten first.
        """
        _, headers, raw, _, _ = self.request("GET", "/logg-inn/kode")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.text(raw, headers)).group(1)
        with CODE_LOCK:
            db = connect(DATABASES[self.port])
            db.execute("UPDATE second_factor SET last_step = 0")
            db.conn.close()
            code = pyotp.TOTP(LEADER_TOTP_SECRET).now()
            return self.request("POST", "/logg-inn/kode", {"code": code, "csrf_token": token})[0]


def free_port():
    """A free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn(app_spec, port, workers, env, cwd):
    """The Procfile's gunicorn line on a loopback port; returns the process once it accepts connections."""
    process = subprocess.Popen([str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
                                app_spec], env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("Server did not start:\n" + process.stderr.read().decode())
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            time.sleep(0.1)
    stop(process)
    raise SystemExit("Server did not answer within 30 s")


def serve_trygg(database, workers):
    """Trygg on this database as the Procfile runs it (migrate, compress static files, gunicorn); (process, port)."""
    env = {**os.environ, "FLASK_APP": "webapp", "FLASK_DATABASE": str(database),
           "FLASK_SECRET_KEY": BENCH_SECRET_KEY, "FLASK_SESSION_COOKIE_SECURE": "false",
           "FLASK_REMEMBER_COOKIE_SECURE": "false", "FLASK_HSTS": "false"}
    env.pop("FLASK_NOW", None)  # the real clock: saves are made now
    subprocess.run([str(BIN / "flask"), "--app", "webapp", "migrate"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "whitenoise.compress", "--quiet", "static"], cwd=ROOT, check=True)
    port = free_port()
    DATABASES[port] = str(database)
    return gunicorn("webapp:create_app()", port, workers, env, ROOT), port


def serve_hello(workers):
    """The hello-world floor (bench/hello.py) under gunicorn with as many workers; (process, port)."""
    port = free_port()
    return gunicorn("hello:create_app()", port, workers, dict(os.environ), ROOT / "bench"), port


def stop(process):
    """Stop a server started here (its own process group only)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
