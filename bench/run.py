"""`make bench`: Trygg's performance figures, as issue 16 measures them.

Builds one school of realistic size per size asked for (bench/build.py; 10,000 and 50,000
observations by default), serves each as the Procfile does (migrate, compress the static files,
then gunicorn with 3 workers) on a loopback port beside a Flask hello-world served the same way,
and reports:

- capacity: saves a second with p95 under 100 ms while leaders' feeds poll (bench/capacity.py),
  on the largest school, beside the end-of-break need;
- flat in data: p95 of the capture screen, a save, the feed and a pupil's chronology at the
  largest school over the smallest, at most 1.2 each; other pages and the hello-world floor
  are in the table for reference, without targets;
- page weight: the capture screen's bytes on the wire at first load, without the map image (at
  most 40 KB), and at later loads, static files cached (at most 6 KB); 1 KB = 1,000 bytes.

    make bench                         # or: .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --quick   # small schools, few requests, short steps: for A/B checks

The figures go to stdout and bench/results/bench-<time>.txt and .json. The run talks to
127.0.0.1 only, stops its servers and deletes its databases.
"""
import argparse
import json
import os
import random
import re
import secrets
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # its own modules, also when a test loads this file by path

from build import LEADER, USER, build_school  # noqa: E402
from capacity import (  # noqa: E402
    BADGE_POLL_SECONDS,
    FEED_POLL_SECONDS,
    NEED_SECONDS,
    NEED_STAFF,
    find_capacity,
    need_line,
    percentile,
)
from client import Client, serve_hello, serve_trygg, stop  # noqa: E402

from webapp import clock  # noqa: E402

RESULTS = ROOT / "bench" / "results"
FLAT_TARGET = 1.2  # p95 at the largest school over p95 at the smallest
FIRST_LOAD_TARGET, LATER_LOAD_TARGET = 40_000, 6_000  # bytes on the wire, compressed, without the map
# the capacity run's signed-in phones and office screens
STAFF_SESSIONS, LEADER_SESSIONS = 50, 4
FULL = {"sizes": "10000,50000", "requests": 300, "warmup": 30, "capacity_seconds": 10, "bisections": 4}
QUICK = {"sizes": "1000,5000", "requests": 50, "warmup": 5, "capacity_seconds": 2, "bisections": 1}


# ------------------------------------------------------------------ the requests measured

@dataclass
class Page:
    """One named request; `flat` pages carry the flat-in-data target."""
    name: str
    path: str  # {pupil_id}, {class_id} and {sak_id} are filled in from the school built
    user: str = USER
    method: str = "GET"
    form: Optional[Callable] = None  # (client, school) -> a fresh form, for POSTs
    expect: int = 200
    headers: dict = field(default_factory=dict)
    flat: bool = False
    before: Optional[Callable] = None  # (school) -> None, untimed, before each request (e.g. empty a cache)


def save_form(client, school):
    """A new concern with two pupils, as the capture screen posts it (a fresh form id each time)."""
    rng = random.Random()
    first, second = rng.sample(school["pupils"], 2)
    return {
        "csrf_token": client.csrf_token, "client_id": secrets.token_urlsafe(16), "kind": "concern",
        "opened_at": "", "observed_date": "", "observed_time": datetime.now(clock.OSLO).strftime("%H:%M"),
        "context": "friminutt", "zone_id": str(rng.choice(school["zones"])),
        "pupil": [str(first), str(second)], f"role_{first}": "utsatt", f"role_{second}": "utøver",
        "offence_type": "verbal", "label": "konflikt", "intervened": "1", "outcome": "solved",
        "facts": "Krangel om ballen ved mål. Ropte stygge ord.", "comment": "",
    }


PAGES = [
    Page("signed-in floor (/passord)", "/passord"),
    Page("capture screen", "/registrer/ny/bekymring", flat=True),
    Page("save an observation", "/registrer/ny", method="POST", form=save_form, expect=303, flat=True),
    Page("feed, first page", "/meldinger/", LEADER, flat=True),
    Page("feed, filtered (status ny, last 30 days)", "/meldinger/?status=ny&periode=30", LEADER),
    Page("feed, filtered by class", "/meldinger/?klasse={class_id}", LEADER),
    Page("feed, filtered by pupil", "/meldinger/?elev={pupil_id}", LEADER),
    # what an open feed asks every FEED_POLL_SECONDS (here without its fingerprint, so it always renders)
    Page("feed, live poll (htmx fragment)", "/meldinger/liste", LEADER, headers={"HX-Request": "true"}),
    Page("pupil chronology", "/meldinger/elever/{pupil_id}", LEADER, flat=True),
    Page("aktivitetsplan .docx", "/saker/{sak_id}/aktivitetsplan.docx", LEADER),
    Page("case list", "/saker/", LEADER),
    Page("home screen, staff", "/"),
    Page("home screen, leader", "/", LEADER),
    # "Hvor og når" over the school's year (issue 18): the page, and its heatmap made anew and from its file
    Page("hvor og når, the page", "/hvor-og-naar/", LEADER),
    Page("heatmap, made anew", "/hvor-og-naar/varmekart.webp", LEADER,
         before=lambda school: shutil.rmtree(school["heatmaps"], ignore_errors=True)),
    Page("heatmap, cached", "/hvor-og-naar/varmekart.webp", LEADER),
]
HEATMAP_TARGET_MS = 1000  # made anew, p95
FLOOR = Page("hello-world (Flask), the floor", "/")
WEIGHED = Page("capture screen", "/registrer/ny/bekymring")


# ------------------------------------------------------------------ measuring

def measure(entries, count, warmup):
    """Latencies in ms per entry key, the entries taking turns request by request.

    Taking turns (the floor, then each page on each school, then again) means a
    busy moment on the machine hits the floor and the pages alike. Each entry is
    (key, client, page, school).
    """
    times = {key: [] for key, *_ in entries}
    for n in range(warmup + count):
        for key, client, page, school in entries:
            form = page.form(client, school) if page.form else None
            if page.before:
                page.before(school)
            path = page.path.format(**school) if school else page.path
            status, headers, _, _, seconds = client.request(page.method, path, form, page.headers)
            if status != page.expect:
                raise SystemExit(f"{page.name} ({path}): expected {page.expect}, got {status}")
            if status == 303:  # open the page it leads to, as a browser does (not timed)
                client.request("GET", urllib.parse.urlsplit(headers["Location"]).path)
            if n >= warmup:
                times[key].append(seconds * 1000)
    return times


def latency(pages, sizes, times):
    """Per page: p50 and p95 at each size, the p95 ratio largest/smallest and, for flat pages, the verdict."""
    rows = []
    for page in pages:
        p95 = {size: percentile(times[(page.name, size)], 0.95) for size in sizes}
        ratio = round(p95[sizes[-1]] / p95[sizes[0]], 2)  # judged as shown
        rows.append({"page": page.name, "flat": page.flat, "ratio": ratio,
                     "verdict": ("ok" if ratio <= FLAT_TARGET else "OVER") if page.flat else "",
                     "sizes": {size: {"p50_ms": statistics.median(times[(page.name, size)]), "p95_ms": p95[size]}
                               for size in sizes}})
    return rows


def latency_lines(rows, sizes):
    """The latency table."""
    ratio_head = f"p95 {sizes[-1] // 1000}k/{sizes[0] // 1000}k" if sizes[0] >= 1000 else "p95 ratio"
    lines = [f"{'page':<41}" + "".join(f"| {f'{size:,} obs.':^17} " for size in sizes)
             + f"| {ratio_head:>11} | target",
             f"{'':<41}" + "".join(f"| {'p50':>8}{'p95':>8} " for _ in sizes) + f"| {'':>11} |"]
    lines.append("-" * len(lines[0]))
    for row in rows:
        target = f"≤ {FLAT_TARGET} {row['verdict']}" if row["flat"] else ""
        lines.append(f"{row['page']:<41}" + "".join(
            f"| {row['sizes'][size]['p50_ms']:8.2f}{row['sizes'][size]['p95_ms']:8.2f} " for size in sizes)
            + f"| {row['ratio']:11.2f} | {target}")
    return lines


ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')
CSS_URL = re.compile(r'url\("?([^")]+)"?\)')


def weigh(client, path):
    """Bytes on the wire for a page: first load (page and static files; the map image apart) and later loads."""
    _, headers, raw, header_bytes, _ = client.request("GET", path)
    html = client.text(raw, headers)
    page_bytes = len(raw) + header_bytes
    parts = [(path, page_bytes, headers.get("Content-Encoding", "none"))]
    assets, seen = ASSET.findall(html), set()
    while assets:
        asset = assets.pop(0).replace("&amp;", "&")
        if asset in seen:
            continue
        seen.add(asset)
        _, headers, raw, header_bytes, _ = client.request("GET", asset)
        parts.append((asset, len(raw) + header_bytes, headers.get("Content-Encoding", "none")))
        if asset.split("?")[0].endswith(".css"):
            base = asset.split("?")[0].rsplit("/", 1)[0]
            # a browser fetches an icon only when an element on the page uses it
            assets += [f"{base}/{url}" for url in CSS_URL.findall(client.text(raw, headers))
                       if not url.startswith(("data:", "/", "http")) and f"icon-{Path(url).stem}" in html]
    first = sum(size for _, size, _ in parts)
    map_bytes = 0
    for image in re.findall(r'<img src="([^"]+)"', html):
        if "/static/" not in image:  # the schoolyard map: once per map version, apart from the target
            _, headers, raw, header_bytes, _ = client.request("GET", image.replace("&amp;", "&"))
            map_bytes += len(raw) + header_bytes
            parts.append((image, len(raw) + header_bytes, headers.get("Content-Encoding", "none")))
    return {"first_load": first, "map": map_bytes, "later_load": page_bytes, "parts": parts,
            "first_load_ok": first <= FIRST_LOAD_TARGET, "later_load_ok": page_bytes <= LATER_LOAD_TARGET}


def weight_lines(name, weight):
    """Each part of the page's weight, then its first and later loads against their targets."""
    lines = [f"  {size:7,d} B  {encoding:<5} {part.split('?')[0]}" for part, size, encoding in weight["parts"]]
    lines.append(f"{name}: first load {weight['first_load'] / 1000:.1f} KB without the map "
                 f"(≤ {FIRST_LOAD_TARGET // 1000} KB {'ok' if weight['first_load_ok'] else 'OVER'}), "
                 f"later loads {weight['later_load'] / 1000:.1f} KB "
                 f"(≤ {LATER_LOAD_TARGET // 1000} KB {'ok' if weight['later_load_ok'] else 'OVER'}); "
                 f"the map image {weight['map'] / 1000:.1f} KB")
    return lines


def capacity_run(port, school, args, say):
    """The capacity search on one school's server: (steps, saves a second held, failed feed polls)."""
    say(f"\nCapacity on the {school['observations']:,}-observation school: saves at a rising rate from "
        f"{STAFF_SESSIONS} staff sessions while {LEADER_SESSIONS} leaders' feeds poll "
        f"(every {FEED_POLL_SECONDS:.0f} s, badge every {BADGE_POLL_SECONDS:.0f} s); a save is timed from when "
        f"it was due until the page its redirect leads to has arrived")
    usernames = [f"ansatt{n:02d}" for n in range(STAFF_SESSIONS)] + [LEADER] * LEADER_SESSIONS
    with ThreadPoolExecutor(6) as pool:  # a few log-ins at a time: the workers hash each password
        signed_in = list(pool.map(lambda username: Client(port).login(username), usernames))
    return find_capacity(signed_in[:STAFF_SESSIONS], signed_in[STAFF_SESSIONS:],
                         lambda client: save_form(client, school), step_seconds=args.capacity_seconds,
                         bisections=args.bisections, say=say)


def figure_lines(rows, weight, capacity, poll_errors, sizes):
    """The closing summary: the issue's three figures against their targets, and the floor."""
    lines = ["", "Figures (issue 16)"]
    if capacity is not None:
        lines.append(f"  capacity:      {need_line(capacity)}"
                     + (f"; {poll_errors} feed polls failed" if poll_errors else ""))
    flat = [row for row in rows if row["flat"]]
    if flat:
        lines.append(f"  flat in data:  p95 {sizes[-1]:,}/{sizes[0]:,} (≤ {FLAT_TARGET}): "
                     + ", ".join(f"{row['page']} {row['ratio']:.2f} {row['verdict']}" for row in flat))
    if weight:
        lines.append(f"  page weight:   capture first load {weight['first_load'] / 1000:.1f} KB "
                     f"(≤ {FIRST_LOAD_TARGET // 1000} {'ok' if weight['first_load_ok'] else 'OVER'}), later loads "
                     f"{weight['later_load'] / 1000:.1f} KB (≤ {LATER_LOAD_TARGET // 1000} "
                     f"{'ok' if weight['later_load_ok'] else 'OVER'})")
    floor = rows[0]["sizes"][sizes[0]]
    lines.append(f"  floor:         hello-world p50 {floor['p50_ms']:.2f} ms, p95 {floor['p95_ms']:.2f} ms "
                 "(reference)")
    return lines


# ------------------------------------------------------------------ the run

def settings():
    """The command line: the full run's settings, or --quick's, each overridable."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small schools, few requests, short capacity steps")
    parser.add_argument("--sizes", help=f"observations per school, comma-separated (full: {FULL['sizes']}, "
                                        f"quick: {QUICK['sizes']})")
    parser.add_argument("--requests", type=int, help="timed requests per page and size")
    parser.add_argument("--warmup", type=int, help="untimed requests per page and size first")
    parser.add_argument("--capacity-seconds", type=int, help="seconds at each save rate (0: no capacity run)")
    parser.add_argument("--bisections", type=int, help="capacity steps between the last rate held and the first failed")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 3)),
                        help="gunicorn workers, as the Procfile's WEB_CONCURRENCY (3)")
    parser.add_argument("--only", default="", help="time only the pages whose name contains this")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where the .txt and .json go")
    args = parser.parse_args()
    for name, value in (QUICK if args.quick else FULL).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    args.sizes = sorted(int(size) for size in args.sizes.split(","))
    return args


def main():
    """Build the schools, start the servers, measure, report, clean up."""
    args = settings()
    sizes = args.sizes
    workdir = Path(tempfile.mkdtemp(prefix="trygg-bench-"))
    servers, out, started_run = [], [], time.perf_counter()

    def say(line=""):
        """Print a line and keep it for the results file."""
        print(line, flush=True)
        out.append(line)

    try:
        pages = [page for page in PAGES if args.only.lower() in page.name.lower()]
        hello, hello_port = serve_hello(args.workers)
        servers.append(hello)
        floor_client = Client(hello_port)
        now = clock.now()  # one moment for every school, so their meldinger fall at the same times
        schools, ports, entries = {}, {}, []
        for size in sizes:
            started = time.perf_counter()
            school = schools[size] = build_school(workdir / f"trygg-{size}.sqlite", observations=size, now=now)
            say(f"School of {size:,} observations built in {time.perf_counter() - started:.1f} s: "
                f"{len(school['pupils'])} pupils, {school['staff']} staff, {school['meldinger']} meldinger, "
                f"{school['saker']} saker, {school['duty_sessions']:,} duties; the pupil pages show a pupil "
                f"in {school['pupil_meldinger']} meldinger")
            school["heatmaps"] = str(workdir / f"trygg-{size}-heatmaps")  # beside its database (hotspots/views.py)
            process, ports[size] = serve_trygg(workdir / f"trygg-{size}.sqlite", args.workers)
            servers.append(process)
            clients = {user: Client(ports[size]).login(user) for user in {page.user for page in pages}}
            # the floor takes its turn beside each size, so its own ratio shows how steady the machine was
            entries.append(((FLOOR.name, size), floor_client, FLOOR, None))
            entries += [((page.name, size), clients[page.user], page, school) for page in pages]

        started, load = time.perf_counter(), os.getloadavg()[0]
        times = measure(entries, args.requests, args.warmup)
        rows = latency([FLOOR] + pages, sizes, times)
        say(f"\nLatency in ms: {args.requests} requests each after {args.warmup} warm-up, the pages and the floor "
            f"taking turns; gunicorn --workers {args.workers} on 127.0.0.1, {os.cpu_count()} CPUs, load average "
            f"{load:.1f} before and {os.getloadavg()[0]:.1f} after ({time.perf_counter() - started:.0f} s). "
            f"Flat in data: p95 at {sizes[-1]:,} observations over p95 at {sizes[0]:,}, at most {FLAT_TARGET}; "
            f"the other rows are for reference.")
        for line in latency_lines(rows, sizes):
            say(line)

        heatmap = [row for row in rows if row["page"] == "heatmap, made anew"]
        if heatmap:
            status, _, raw, _, _ = Client(ports[sizes[-1]]).login(LEADER).request("GET", "/hvor-og-naar/varmekart.webp")
            p95 = heatmap[0]["sizes"][sizes[-1]]["p95_ms"]
            say(f"\nHeatmap (Hvor og når) at {sizes[-1]:,} observations: made anew p95 {p95:.0f} ms "
                f"(≤ {HEATMAP_TARGET_MS} {'ok' if p95 <= HEATMAP_TARGET_MS else 'OVER'}), {len(raw):,} bytes WebP")

        weight = None
        if any(page.user == USER for page in pages):
            say("\nPage weight on the wire (Accept-Encoding: gzip, deflate, br; response headers included)")
            weight = weigh(Client(ports[sizes[-1]]).login(USER), WEIGHED.path)
            for line in weight_lines(WEIGHED.name, weight):
                say(line)

        capacity, steps, poll_errors = None, [], 0
        if args.capacity_seconds:
            steps, capacity, poll_errors = capacity_run(ports[sizes[-1]], schools[sizes[-1]], args, say)
        for line in figure_lines(rows, weight, capacity, poll_errors, sizes):
            say(line)
        say(f"\nThe whole run took {time.perf_counter() - started_run:.0f} s.")

        args.results.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(clock.OSLO).strftime("%Y%m%d-%H%M%S")
        (args.results / f"bench-{stamp}.txt").write_text("\n".join(out) + "\n", encoding="utf-8")
        (args.results / f"bench-{stamp}.json").write_text(json.dumps({
            "when": datetime.now(clock.OSLO).isoformat(), "quick": args.quick, "requests": args.requests,
            "warmup": args.warmup, "workers": args.workers, "cpus": os.cpu_count(), "sizes": sizes,
            "schools": {size: {k: v for k, v in school.items() if k not in ("pupils", "zones")}
                        for size, school in schools.items()},
            "latency": rows, "weight": weight,
            "capacity": {"saves_per_second": capacity, "need_saves_per_second": NEED_STAFF / NEED_SECONDS,
                         "step_seconds": args.capacity_seconds, "steps": steps,
                         "poll_errors": poll_errors},
        }, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"Written to {args.results / f'bench-{stamp}'}.txt and .json")
    finally:
        for process in servers:
            stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
