"""Benchmark: Trygg's pages under gunicorn, next to a Flask hello-world served the same way.

Builds a school of realistic size (600 pupils, 60 staff, a year of about
50,000 observations) in a temporary database, starts gunicorn as the
Procfile does (migrate, then gunicorn with 3 workers) on a loopback port,
and reports p50/p95 latency for each named request in PAGES next to the
hello-world floor, and the bytes a phone transfers for each page in WEIGHED
on first load and once static files are cached.

    make bench                      # or: .venv/bin/python bench/run.py --requests 300

Other capabilities add their pages to PAGES (and WEIGHED) below. The run
is bounded: a fixed number of requests, to 127.0.0.1 only, then it stops
both servers and deletes the database.
"""
import argparse
import gzip
import hashlib
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Optional
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OSLO = ZoneInfo("Europe/Oslo")
PASSWORD = "bench-passord-2026"
USER = "bench.ansatt"
LEADER = "bench.rektor"

TARGET_RATIO = 3.0  # p95 within 3× the hello-world p95
TARGET_FIRST_LOAD = 60_000  # bytes, compressed, without the map image
TARGET_MAP = 80_000
TARGET_LATER_LOAD = 10_000


# ------------------------------------------------------------------ the requests measured

@dataclass
class Page:
    """One named request to measure: a GET, or a POST whose form is built fresh each time."""
    name: str
    method: str
    path: str
    form: Optional[Callable] = None  # (client, school) -> dict, for POSTs
    user: str = USER
    expect: int = 200
    extra_headers: dict = field(default_factory=dict)
    # then open the page redirected to, as a browser does (not measured)
    follow: bool = False


def capture_form(client, school):
    """A new concern with two pupils, as the capture screen posts it (a fresh form id each time)."""
    rng = random.Random()
    first, second = rng.sample(school["pupils"], 2)
    return {
        "csrf_token": client.csrf_token, "client_id": secrets.token_urlsafe(16), "kind": "concern",
        "opened_at": "", "observed_date": "", "observed_time": datetime.now(OSLO).strftime("%H:%M"),
        "context": "friminutt", "zone_id": str(rng.choice(school["zones"])),
        "pupil": [str(first), str(second)], f"role_{first}": "utsatt", f"role_{second}": "utøver",
        "offence_type": "verbal", "label": "konflikt", "intervened": "1", "outcome": "solved",
        "facts": "Krangel om ballen ved mål. Ropte stygge ord.", "comment": "",
    }


PAGES = [
    # the framework's own floor: a small signed-in page (session, user, CSRF, base template)
    Page("signed-in floor (/passord)", "GET", "/passord"),
    Page("capture screen", "GET", "/registrer/ny/bekymring"),
    Page("save an observation", "POST", "/registrer/ny", form=capture_form, expect=303, follow=True),
]
# pages whose weight on the wire is reported: (name, path)
WEIGHED = [("capture screen", "/registrer/ny/bekymring")]


# ------------------------------------------------------------------ a school of realistic size

FIRST = ["Aksel", "Alma", "Amir", "Astrid", "Aurora", "Birk", "Ella", "Emma", "Filip", "Frida", "Hedda",
         "Henrik", "Ida", "Isak", "Jakob", "Johanne", "Kasper", "Leah", "Liam", "Linnea", "Lukas", "Maja",
         "Mathias", "Mia", "Noah", "Nora", "Olivia", "Oskar", "Sara", "Selma", "Sigrid", "Sofie", "Theo"]
LAST = ["Andersen", "Bakken", "Berge", "Dahle", "Eriksen", "Fossum", "Hagen", "Holm", "Iversen", "Jacobsen",
        "Karlsen", "Lien", "Moe", "Nilsen", "Nygård", "Olsen", "Pedersen", "Rønning", "Strøm", "Tangen"]


def build_school(path, *, pupils=600, staff=60, observations=50_000, seed=12):
    """Create the database and fill it with one school's year; returns ids the requests need."""
    from werkzeug.security import generate_password_hash

    from webapp import clock
    from webapp.db import connect, init_db, transaction
    from webapp.demo import DEMO_ZONES, draw_demo_map
    from webapp.images import process_map_image

    rng = random.Random(seed)
    db = connect(str(path))
    init_db(db)
    now = datetime.now(clock.OSLO)
    stamp = clock.to_utc_iso(now)
    password_hash = generate_password_hash(PASSWORD, method="scrypt:131072:8:1")
    with transaction(db):
        school = db["school"].insert({"name": "Benkemark skole", "created_at": stamp}).last_pk
        people = [(USER, "Benk Ansatt", "staff"), (LEADER, "Benk Rektor", "leader")]
        people += [(f"ansatt{n:02d}", f"{rng.choice(FIRST)} {rng.choice(LAST)}", "staff")
                   for n in range(staff - len(people))]
        user_ids = []
        for username, full_name, role in people:
            user_id = db["user"].insert({"username": username, "full_name": full_name, "role": role,
                                         "password_hash": password_hash, "created_at": stamp}).last_pk
            db["membership"].insert({"user_id": user_id, "school_id": school})
            user_ids.append(user_id)
        class_ids = [db["school_class"].insert({"school_id": school, "name": f"{year}{letter}"}).last_pk
                     for year in range(1, 8) for letter in "ABCD"][:24]
        pupil_rows = [{"school_id": school, "class_id": class_ids[n % len(class_ids)],
                       "full_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "birth_date": "2016-05-05",
                       "created_at": stamp} for n in range(pupils)]
        db["pupil"].insert_all(pupil_rows)
        pupil_ids = [row[0] for row in db.conn.execute("SELECT id FROM pupil WHERE school_id = ?", [school])]
        image, width, height = process_map_image(draw_demo_map(), 40_000_000)
        db["schoolyard_map"].insert({"school_id": school, "image": image, "content_type": "image/webp",
                                     "width": width, "height": height, "version": "bench1",
                                     "uploaded_at": stamp})
        zone_ids = [db["zone"].insert({"school_id": school, "name": name, "polygon": json.dumps(polygon),
                                       "sort_order": order}).last_pk
                    for order, (name, polygon) in enumerate(DEMO_ZONES.items())]

        observation_rows, pupil_links, notes, meldinger = [], [], [], []
        next_id = 1
        for n in range(observations):
            moment = now - timedelta(days=rng.uniform(0, 365), minutes=rng.uniform(0, 600))
            author = user_ids[0] if n % 60 == 0 else rng.choice(user_ids)
            kind = "positive" if rng.random() < 0.6 else "concern"
            outcome = rng.choice(["solved", "follow_up", None]) if kind == "concern" else None
            observed = clock.to_utc_iso(moment)
            observation_rows.append((
                next_id, school, author, f"bench{n:07d}", hashlib.sha256(str(n).encode()).hexdigest(), observed,
                observed, observed, kind, rng.choice(["friminutt", "friminutt", "sfo_utelek", "overgang"]),
                rng.choice(zone_ids), round(rng.random(), 4), round(rng.random(), 4),
                json.dumps(["verbal"] if kind == "concern" else []),
                json.dumps(["konflikt"] if kind == "concern" else ["leker_sammen"]),
                1 if kind == "concern" else None, outcome, "Kort beskrivelse av det som skjedde.", ""))
            chosen = rng.sample(pupil_ids, rng.randint(1, 3))
            for index, pupil_id in enumerate(chosen):
                role = "med" if kind == "positive" else ("utsatt" if index == 0 else "utøver")
                pupil_links.append((next_id, pupil_id, role))
                if outcome == "solved":
                    notes.append((school, pupil_id, next_id, author, observed, "Hendelse løst der og da."))
            if outcome == "follow_up":
                meldinger.append((school, next_id, author, observed, "Melding fra benkemerket.",
                                  "mottatt" if moment < now - timedelta(days=1) else "ny"))
            next_id += 1
        db.conn.executemany(
            "INSERT INTO observation (id, school_id, author_id, client_id, content_hash, observed_at, "
            "recorded_at, updated_at, kind, context, zone_id, map_x, map_y, offence_types, labels, intervened, "
            "outcome, facts, comment) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", observation_rows)
        db.conn.executemany("INSERT INTO observation_pupil (observation_id, pupil_id, role) VALUES (?,?,?)",
                            pupil_links)
        db.conn.executemany("INSERT INTO pupil_note (school_id, pupil_id, observation_id, author_id, created_at, "
                            "text) VALUES (?,?,?,?,?,?)", notes)
        db.conn.executemany("INSERT INTO melding (school_id, observation_id, author_id, created_at, summary, "
                            "status) VALUES (?,?,?,?,?,?)", meldinger)
    db.conn.execute("ANALYZE")
    db.conn.close()
    return {"school": school, "pupils": pupil_ids, "zones": zone_ids, "observations": observations,
            "meldinger": len(meldinger), "staff": staff}


# ------------------------------------------------------------------ HTTP, as a phone would speak it

class Client:
    """A cookie-keeping HTTP client on a loopback port; one connection per request, like gunicorn's sync workers."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.csrf_token = None

    def request(self, method, path, form=None, headers=None):
        """(status, headers, raw body bytes, header bytes, seconds)."""
        body = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        sent = {"Accept-Encoding": "gzip", "User-Agent": "trygg-bench"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
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
        header_bytes = sum(len(k) + len(v) + 4 for k, v in response.getheaders()) + 17
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";")[0]
        return response.status, response.headers, raw, header_bytes, elapsed

    def text(self, raw, headers):
        """A body as text, decompressed if it came gzipped."""
        if headers.get("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        return raw.decode("utf-8")

    def login(self, username):
        """Log in through the form, CSRF token and all."""
        status, headers, raw, _, _ = self.request("GET", "/logg-inn")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.text(raw, headers)).group(1)
        status, _, _, _, _ = self.request("POST", "/logg-inn", {"username": username, "password": PASSWORD,
                                                                "csrf_token": token})
        if status != 302:
            raise SystemExit(f"Log-in as {username} failed ({status})")
        status, headers, raw, _, _ = self.request("GET", "/")
        self.csrf_token = re.search(r'"X-CSRFToken": "([^"]+)"', self.text(raw, headers)).group(1)


# ------------------------------------------------------------------ servers

def free_port():
    """A free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(command, env, cwd, port):
    """Start a server and wait until it accepts connections."""
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
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


def stop(process):
    """Stop a server started here (its own process group only)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def gunicorn_command(app_spec, port, workers):
    """The Procfile's gunicorn line, on a loopback port."""
    return [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers), "--bind",
            f"127.0.0.1:{port}", app_spec]


# ------------------------------------------------------------------ measuring

def percentile(values, share):
    """The value below which `share` of the sorted values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def measure(entries, school, count, warmup):
    """Latencies in ms per page, the pages taking turns request by request.

    Taking turns (hello-world, then each page, then again) means a busy
    moment on the machine hits the floor and the pages alike.
    """
    times = {page.name: [] for _, page in entries}
    for n in range(warmup + count):
        for client, page in entries:
            form = page.form(client, school) if page.form else None
            status, headers, _, _, seconds = client.request(page.method, page.path, form, page.extra_headers)
            if status != page.expect:
                raise SystemExit(f"{page.name}: expected {page.expect}, got {status}")
            if page.follow and headers.get("Location"):
                client.request("GET", urllib.parse.urlsplit(headers["Location"]).path)
            if n >= warmup:
                times[page.name].append(seconds * 1000)
    return times


ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')
CSS_URL = re.compile(r'url\("?([^")]+)"?\)')


def weigh(client, path):
    """Bytes on the wire for a page: first load (page, static files, map image apart) and later loads."""
    status, headers, raw, header_bytes, _ = client.request("GET", path)
    html = client.text(raw, headers)
    page_bytes = len(raw) + header_bytes
    first, parts = page_bytes, [(path, page_bytes, headers.get("Content-Encoding", "none"))]
    map_bytes = 0
    assets = [a for a in ASSET.findall(html)]
    seen = set()
    while assets:
        asset = assets.pop(0).replace("&amp;", "&")
        if asset in seen:
            continue
        seen.add(asset)
        status, headers, raw, header_bytes, _ = client.request("GET", asset)
        size = len(raw) + header_bytes
        parts.append((asset, size, headers.get("Content-Encoding", "none")))
        first += size
        if asset.split("?")[0].endswith(".css"):
            base = asset.split("?")[0].rsplit("/", 1)[0]
            # a browser fetches an icon only when an element on the page uses it
            assets += [f"{base}/{url}" for url in CSS_URL.findall(client.text(raw, headers))
                       if not url.startswith(("data:", "/", "http"))
                       and f"icon-{Path(url).stem}" in html]
    for image in re.findall(r'<img src="([^"]+)"', html):
        if "/static/" in image:
            continue
        status, headers, raw, header_bytes, _ = client.request("GET", image.replace("&amp;", "&"))
        map_bytes += len(raw) + header_bytes
        parts.append((image, len(raw) + header_bytes, headers.get("Content-Encoding", "none")))
    return {"first_load": first, "map": map_bytes, "later_load": page_bytes, "parts": parts}


def report_line(name, times, floor_p95):
    """One row of the latency table."""
    p50, p95 = statistics.median(times), percentile(times, 0.95)
    ratio = p95 / floor_p95 if floor_p95 else float("inf")
    verdict = "" if floor_p95 is None else ("ok" if ratio <= TARGET_RATIO else "OVER TARGET")
    ratio_text = "" if floor_p95 is None else f"{ratio:5.1f}×"
    return f"  {name:<28} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   {ratio_text:>7} {verdict}"


def main():
    """Build the school, start both servers, measure, report, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=30, help="unmeasured requests per page first")
    parser.add_argument("--observations", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 3)))
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="trygg-bench-"))
    servers = []
    try:
        database = workdir / "trygg.sqlite"
        started = time.perf_counter()
        school = build_school(database, observations=args.observations)
        print(f"School built in {time.perf_counter() - started:.1f} s: {len(school['pupils'])} pupils, "
              f"{school['staff']} staff, {school['observations']} observations, {school['meldinger']} meldinger")

        env = {**os.environ, "FLASK_DATABASE": str(database), "FLASK_SECRET_KEY": secrets.token_hex(32),
               "FLASK_SESSION_COOKIE_SECURE": "false", "FLASK_REMEMBER_COOKIE_SECURE": "false",
               "FLASK_HSTS": "false", "FLASK_APP": "webapp"}
        env.pop("FLASK_NOW", None)
        subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "webapp", "migrate"],
                       env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        trygg_port, hello_port = free_port(), free_port()
        servers.append(start(gunicorn_command("webapp:create_app()", trygg_port, args.workers), env, ROOT,
                             trygg_port))
        servers.append(start(gunicorn_command("hello:create_app()", hello_port, args.workers),
                             {**os.environ}, ROOT / "bench", hello_port))

        floor_page = Page("hello-world (Flask)", "GET", "/")
        entries = [(Client(hello_port), floor_page)]
        clients = {}
        for page in PAGES:
            if page.user not in clients:
                clients[page.user] = Client(trygg_port)
                clients[page.user].login(page.user)
            entries.append((clients[page.user], page))
        times = measure(entries, school, args.requests, args.warmup)
        floor_p95 = percentile(times[floor_page.name], 0.95)

        print(f"\nLatency, {args.requests} requests each after {args.warmup} warm-up, taking turns, "
              f"gunicorn --workers {args.workers} on 127.0.0.1 (target: p95 within {TARGET_RATIO:.0f}× hello-world)")
        print(report_line(floor_page.name, times[floor_page.name], None))
        for page in PAGES:
            print(report_line(page.name, times[page.name], floor_p95))

        print("\nPage weight on the wire (Accept-Encoding: gzip; bytes include response headers)")
        weigher = clients.get(USER) or Client(trygg_port)
        for name, path in WEIGHED:
            weight = weigh(weigher, path)
            for part, size, encoding in weight["parts"]:
                print(f"    {size:7d} B  {encoding:<5} {part.split('?')[0]}")
            print(f"  {name}: first load {weight['first_load'] / 1000:.1f} KB without the map image "
                  f"({'ok' if weight['first_load'] < TARGET_FIRST_LOAD else 'OVER TARGET'} < 60 KB), "
                  f"map image {weight['map'] / 1000:.1f} KB "
                  f"({'ok' if weight['map'] < TARGET_MAP else 'OVER TARGET'} < 80 KB), "
                  f"later loads {weight['later_load'] / 1000:.1f} KB "
                  f"({'ok' if weight['later_load'] < TARGET_LATER_LOAD else 'OVER TARGET'} < 10 KB)")
    finally:
        for process in servers:
            stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
