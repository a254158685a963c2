"""Benchmark: Trygg's pages under gunicorn, next to a Flask hello-world served the same way.

Builds one school of realistic size per size asked for (bench/build.py:
600 pupils, 60 staff, a year of observations — by default 10,000 and
50,000 — with ~500 meldinger and 60 saker, and a year of tilsyn duties,
every record through Trygg's own stores), each in its own
temporary database served by its own gunicorn as the Procfile runs it
(migrate, then gunicorn with 3 workers) on a loopback port. It measures
p50/p95 latency for each named request (capture: PAGES; leadership:
LEADERSHIP_PAGES) on every size, next to the hello-world floor measured in
the same run, and the bytes a phone transfers for each page in WEIGHED on
first load and once static files are cached. The table, with each page's
ratio to the floor against its target and its growth from the smallest to
the largest school, goes to stdout and to bench/results/.

    make bench                      # or: .venv/bin/python bench/run.py --requests 300 --sizes 10000,50000

The run is bounded: a fixed number of requests, to 127.0.0.1 only, then it
stops the servers and deletes the databases.
"""
import argparse
import gzip
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
from datetime import datetime
from pathlib import Path
from typing import Callable, Optional
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # its own modules, also when a test loads this file by path

from build import LEADER, PASSWORD, USER, build_school  # noqa: E402
from capacity import BADGE_POLL_SECONDS, FEED_POLL_SECONDS, find_capacity, need_line  # noqa: E402

OSLO = ZoneInfo("Europe/Oslo")
# the capacity run's signed-in phones and office screens
STAFF_SESSIONS, LEADER_SESSIONS = 50, 4

CAPTURE_TARGET = 3.0  # issue 4: p95 within 3× the hello-world p95
LEADERSHIP_TARGET = 5.0  # issue 5: p95 within 5× the hello-world p95
RESULTS = ROOT / "bench" / "results"
TARGET_FIRST_LOAD = 60_000  # bytes, compressed, without the map image
TARGET_MAP = 80_000
TARGET_LATER_LOAD = 10_000
# WAL frames one bench save commits (observation, its pupils, notes and audit lines with their
# indexes; counted with SQLite's dbstat on the 50,000 school, 23–39 per save, 28 on average)
SAVE_WAL_FRAMES = 28


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
    target: Optional[float] = CAPTURE_TARGET  # p95 ratio to the floor; None: shown for reference


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
    Page("signed-in floor (/passord)", "GET", "/passord", target=None),
    Page("capture screen", "GET", "/registrer/ny/bekymring"),
    Page("save an observation", "POST", "/registrer/ny", form=capture_form, expect=303, follow=True),
]


def leadership_pages():
    """The leadership pages of issue 5; paths filled per school."""
    pages = [Page(name, "GET", path, user=LEADER, target=LEADERSHIP_TARGET) for name, path in [
        ("feed, first page", "/meldinger/"),
        ("feed, filtered (status ny, last 30 days)", "/meldinger/?status=ny&periode=30"),
        ("feed, filtered by pupil", "/meldinger/?elev={pupil_id}"),
        ("feed, filtered by class", "/meldinger/?klasse={class_id}"),
        ("pupil chronology", "/meldinger/elever/{pupil_id}"),
        ("aktivitetsplan .docx", "/saker/{sak_id}/aktivitetsplan.docx")]]
    # what an open feed asks every 3 s (here without the fingerprint, so it always renders)
    pages.append(Page("feed, live poll (htmx fragment)", "GET", "/meldinger/liste", user=LEADER, target=None,
                      extra_headers={"HX-Request": "true"}))
    # for reference (no target): the screens opened most, to see they do not grow with the records
    pages += [Page("home screen, staff", "GET", "/", target=None),
              Page("home screen, leader", "GET", "/", user=LEADER, target=None),
              Page("case list", "GET", "/saker/", user=LEADER, target=None)]
    return pages


# pages whose weight on the wire is reported: (name, path)
WEIGHED = [("capture screen", "/registrer/ny/bekymring")]


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
        # what Chrome on a phone sends (it adds zstd, which Trygg does not offer)
        sent = {"Accept-Encoding": "gzip, deflate, br", "User-Agent": "trygg-bench"}
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
        """A body as text, decompressed if it came compressed."""
        if headers.get("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        elif headers.get("Content-Encoding") == "br":
            import brotli

            raw = brotli.decompress(raw)
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


class DiskProbe:
    """The disk's share of a save: a commit's WAL frames written and fdatasync'd, as SQLite does at synchronous=FULL.

    Takes its turn among the requests like a page, so it meets the machine in
    the same state (a virtual machine's disk answers slower after a short
    idle). What it measures is a wait no code of ours can shorten: every
    saved record waits for it before the answer goes out.
    """

    def __init__(self, directory, frames=SAVE_WAL_FRAMES, page_size=4096):
        self.path = Path(directory) / "disk-probe.wal"
        self.frames, self.page_size = frames, page_size
        self.frame = 24 + page_size
        # a WAL is rewritten from its start after each checkpoint: room for ten commits, used round
        self.size = 10 * frames * self.frame
        self.offset = 0
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        os.ftruncate(self.fd, self.size)
        os.fsync(self.fd)
        self.header, self.page = os.urandom(24), os.urandom(page_size)

    def request(self, method=None, path=None, form=None, headers=None):
        """Write one commit's frames (header, then page, as SQLite does) and wait for the disk; Client's shape."""
        started = time.perf_counter()
        for _ in range(self.frames):
            os.pwrite(self.fd, self.header, self.offset)
            os.pwrite(self.fd, self.page, self.offset + 24)
            self.offset = (self.offset + self.frame) % self.size
        os.fdatasync(self.fd)
        return 200, {}, b"", 0, time.perf_counter() - started

    def close(self):
        os.close(self.fd)


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


def measure(entries, count, warmup):
    """Latencies in ms per (page, size), the entries taking turns request by request.

    Taking turns (hello-world, then each page on each school, then again)
    means a busy moment on the machine hits the floor and the pages alike.
    Each entry is (key, client, page, school, path).
    """
    times = {key: [] for key, *_ in entries}
    for n in range(warmup + count):
        for key, client, page, school, path in entries:
            form = page.form(client, school) if page.form else None
            status, headers, _, _, seconds = client.request(page.method, path, form, page.extra_headers)
            if status != page.expect:
                raise SystemExit(f"{page.name} ({path}): expected {page.expect}, got {status}")
            if page.follow and headers.get("Location"):
                client.request("GET", urllib.parse.urlsplit(headers["Location"]).path)
            if n >= warmup:
                times[key].append(seconds * 1000)
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


def latency_table(pages, sizes, times, floor):
    """The latency table: per page and school size p50/p95, p95 against the floor, growth with size."""
    floor_p50, floor_p95 = statistics.median(floor), percentile(floor, 0.95)
    largest, smallest = sizes[-1], sizes[0]
    size_heads = "".join(f" | {f'{size:,} obs.':>26}" for size in sizes)
    lines = [f"{'page':<40} | {'target':>6}{size_heads} | {'p95/floor':>9} | {'verdict':<11} | growth",
             f"{'':<40} | {'':>6}" + " | " + " | ".join(f"{'p50':>8} {'p95':>8} {'×floor':>8}" for _ in sizes)
             + f" | {'at ' + format(largest, ','):>9} | {'':<11} | p95 {largest // 1000}k/{smallest // 1000}k"]
    lines.append("-" * len(lines[0]))
    lines.append(f"{'hello-world (Flask), the floor':<40} | {'':>6}"
                 + "".join(f" | {floor_p50:8.2f} {floor_p95:8.2f} {'1.0×':>8}" for _ in sizes)
                 + f" | {'':>9} | {'':<11} |")
    rows = []
    for page in pages:
        cells, ratios = [], {}
        for size in sizes:
            values = times[(page.name, size)]
            p50, p95 = statistics.median(values), percentile(values, 0.95)
            ratios[size] = p95 / floor_p95
            cells.append(f" | {p50:8.2f} {p95:8.2f} {ratios[size]:7.1f}×")
        growth = percentile(times[(page.name, largest)], 0.95) / percentile(times[(page.name, smallest)], 0.95)
        target = f"{page.target:.0f}×" if page.target else "—"
        verdict = "—" if not page.target else ("ok" if ratios[largest] <= page.target else "OVER TARGET")
        lines.append(f"{page.name:<40} | {target:>6}{''.join(cells)} | {ratios[largest]:8.1f}× | {verdict:<11} | "
                     f"{growth:.2f}" if len(sizes) > 1 else "")
        rows.append({"page": page.name, "target": page.target, "verdict": verdict, "growth_p95": growth,
                     "sizes": {str(size): {"p50_ms": statistics.median(times[(page.name, size)]),
                                           "p95_ms": percentile(times[(page.name, size)], 0.95),
                                           "p95_over_floor": ratios[size]} for size in sizes}})
    return lines, rows, {"p50_ms": floor_p50, "p95_ms": floor_p95}


def weight_lines(name, weight):
    """The page-weight report for one page: each part, then the totals against the targets."""
    lines = [f"    {size:7d} B  {encoding:<5} {part.split('?')[0]}" for part, size, encoding in weight["parts"]]
    lines.append(
        f"  {name}: first load {weight['first_load'] / 1000:.1f} KB without the map image "
        f"({'ok' if weight['first_load'] < TARGET_FIRST_LOAD else 'OVER TARGET'} < 60 KB), "
        f"map image {weight['map'] / 1000:.1f} KB "
        f"({'ok' if weight['map'] < TARGET_MAP else 'OVER TARGET'} < 80 KB), "
        f"later loads {weight['later_load'] / 1000:.1f} KB "
        f"({'ok' if weight['later_load'] < TARGET_LATER_LOAD else 'OVER TARGET'} < 10 KB)")
    return lines


def main():
    """Build the schools, start the servers, measure, report, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="measured requests per page and size")
    parser.add_argument("--warmup", type=int, default=30, help="unmeasured requests per page first")
    parser.add_argument("--sizes", default="10000,50000",
                        help="observations per school, comma-separated; one database and server each")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 3)))
    parser.add_argument("--only", default="", help="measure only pages whose name contains this")
    parser.add_argument("--capacity-seconds", type=int, default=10,
                        help="seconds at each save rate of the capacity run (0: no capacity run)")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))

    workdir = Path(tempfile.mkdtemp(prefix="trygg-bench-"))
    servers, disk = [], None
    out = []

    def say(line=""):
        """Print a line and keep it for the results file."""
        print(line, flush=True)
        out.append(line)

    try:
        pages = [page for page in PAGES + leadership_pages() if args.only in page.name]
        hello_port = free_port()
        servers.append(start(gunicorn_command("hello:create_app()", hello_port, args.workers),
                             {**os.environ}, ROOT / "bench", hello_port))
        floor_page = Page("hello-world (Flask)", "GET", "/")
        disk = DiskProbe(workdir)
        entries = [("floor", Client(hello_port), floor_page, None, "/"),
                   ("disk", disk, Page("disk", "SYNC", ""), None, "")]
        schools, clients = {}, {}
        now = datetime.now(OSLO)  # one moment for every school, so their meldinger fall at the same times
        for size in sizes:
            database = workdir / f"trygg-{size}.sqlite"
            started = time.perf_counter()
            school = schools[size] = build_school(database, observations=size, now=now)
            say(f"School built in {time.perf_counter() - started:.1f} s: {len(school['pupils'])} pupils, "
                f"{school['staff']} staff, {school['observations']:,} observations, "
                f"{school['meldinger']} meldinger, {school['saker']} saker, {school['duty_sessions']:,} duties; "
                f"the pupil pages are for the pupil in most concerns ({school['pupil_concerns']})")
            env = {**os.environ, "FLASK_DATABASE": str(database), "FLASK_SECRET_KEY": secrets.token_hex(32),
                   "FLASK_SESSION_COOKIE_SECURE": "false", "FLASK_REMEMBER_COOKIE_SECURE": "false",
                   "FLASK_HSTS": "false", "FLASK_APP": "webapp"}
            env.pop("FLASK_NOW", None)
            subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "webapp", "migrate"],
                           env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            port = free_port()
            servers.append(start(gunicorn_command("webapp:create_app()", port, args.workers), env, ROOT, port))
            for page in pages:
                if (size, page.user) not in clients:
                    clients[(size, page.user)] = Client(port)
                    clients[(size, page.user)].login(page.user)
                path = page.path.format(**school)
                entries.append(((page.name, size), clients[(size, page.user)], page, school, path))

        started, load_before = time.perf_counter(), os.getloadavg()[0]
        times = measure(entries, args.requests, args.warmup)
        say(f"\nLatency in ms, {args.requests} requests each after {args.warmup} warm-up, all pages and the floor "
            f"taking turns, gunicorn --workers {args.workers} on 127.0.0.1, {os.cpu_count()} CPUs, load average "
            f"{load_before:.1f} before and {os.getloadavg()[0]:.1f} after "
            f"({time.perf_counter() - started:.0f} s; other work on the machine widens every p95). Targets: p95 within {CAPTURE_TARGET:.0f}× the floor's p95 "
            f"(capture, issue 4), {LEADERSHIP_TARGET:.0f}× (leadership, issue 5); growth: p95 at the largest "
            f"school over p95 at the smallest (≈1 when a page's cost does not grow with the records).")
        lines, rows, floor = latency_table(pages, sizes, times, times["floor"])
        for line in lines:
            say(line)
        disk_p50, disk_p95 = statistics.median(times["disk"]), percentile(times["disk"], 0.95)
        say(f"disk under the databases: {disk.frames} WAL frames written and fdatasync'd, as one save's commit "
            f"(synchronous=FULL), taking turns with the requests: p50 {disk_p50:.2f}, p95 {disk_p95:.2f} ms "
            f"({disk_p95 / floor['p95_ms']:.1f}× the floor's p95); a save waits for this before it answers")

        weights = {}
        if USER in {page.user for page in pages} or not args.only:
            say("\nPage weight on the wire (Accept-Encoding: gzip, deflate, br; bytes include response headers)")
            weigher = clients.get((sizes[-1], USER)) or Client(port)
            for name, path in WEIGHED:
                weights[name] = weigh(weigher, path)
                for line in weight_lines(name, weights[name]):
                    say(line)

        capacity_rows, capacity = [], None
        if args.capacity_seconds:
            say(f"\nCapacity on the {sizes[-1]:,}-observation school: saves at a rising rate from {STAFF_SESSIONS} "
                f"staff sessions while {LEADER_SESSIONS} leaders' feeds poll (every {FEED_POLL_SECONDS:.0f} s, "
                f"badge every {BADGE_POLL_SECONDS:.0f} s); a save is timed from when it was due until the page "
                f"its redirect leads to has arrived")
            staff, leaders = [], []
            for n in range(STAFF_SESSIONS):
                staff.append(Client(port))
                staff[-1].login(f"ansatt{n:02d}")
            for _ in range(LEADER_SESSIONS):
                leaders.append(Client(port))
                leaders[-1].login(LEADER)
            capacity_rows, capacity, poll_errors = find_capacity(
                staff, leaders, lambda client: capture_form(client, schools[sizes[-1]]),
                step_seconds=args.capacity_seconds, say=say)
            say(need_line(capacity) + (f"; {poll_errors} feed polls failed" if poll_errors else ""))

        RESULTS.mkdir(exist_ok=True)
        stamp = datetime.now(OSLO).strftime("%Y%m%d-%H%M%S")
        (RESULTS / f"bench-{stamp}.txt").write_text("\n".join(out) + "\n", encoding="utf-8")
        (RESULTS / f"bench-{stamp}.json").write_text(json.dumps({
            "when": datetime.now(OSLO).isoformat(), "requests": args.requests, "warmup": args.warmup,
            "workers": args.workers, "cpus": os.cpu_count(), "sizes": sizes, "floor": floor, "pages": rows,
            "capacity": {"saves_per_second": capacity, "steps": capacity_rows},
            "disk": {"frames": disk.frames, "p50_ms": disk_p50, "p95_ms": disk_p95},
            "schools": {str(size): {k: v for k, v in school.items() if k not in ("pupils", "zones")}
                        for size, school in schools.items()},
            "weights": {name: {k: v for k, v in weight.items()} for name, weight in weights.items()},
        }, indent=2), encoding="utf-8")
        print(f"\nWritten to {RESULTS.relative_to(ROOT)}/bench-{stamp}.txt and .json")
    finally:
        for process in servers:
            stop(process)
        if disk is not None:
            disk.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
