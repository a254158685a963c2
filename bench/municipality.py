"""`make bench-municipality`: a municipality on one machine (issue 21).

Builds the municipality (bench/municipality_build.py: 40 schools, 17,000 pupils, 2,500 staff) at
10,000 and at 1,000,000 observations, serves each as the Procfile does (bench/client.py) and reports:

- flat in data: p50/p95 of the capture screen, a save, the feed and a pupil's chronology at the
  first school, at 10,000 and 1,000,000 observations, the p95 ratio at most 1.2 each; the school
  owner's overview of the 40 schools (home screen) and the feed's live poll beside them;
- the burst at the end of a long break: 600 staff (15 at each school) each sending their outbox
  of 1–3 records within 10 s, a share of them sent twice with the same form id (the outbox's resend
  after a lost answer), while the 40 leaders' feeds poll; errors, duplicates and "database is
  locked" counted (the last in the server's own log), p95 of a save;
- the sustained saves a second held with p95 under 100 ms (bench/capacity.py), at 1,000,000.

    make bench-municipality                  # or: .venv/bin/python bench/municipality.py
    .venv/bin/python bench/municipality.py --sizes 2000,20000 --requests 50 --burst-staff 100   # a quick look

Figures to stdout and bench/results/municipality-<time>.txt and .json; 127.0.0.1 only; the
servers are stopped and the databases deleted.
"""
import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import run  # noqa: E402  (bench/run.py: the pages, measuring and the latency table)
from build import LEADER  # noqa: E402
from capacity import P95_LIMIT_MS, Pollers, find_capacity, percentile  # noqa: E402
from client import Client, serve_trygg, stop  # noqa: E402
from municipality_build import OWNER, SCHOOLS, build_municipality, leader_name, staff_name  # noqa: E402

from webapp import clock  # noqa: E402
from webapp.db import connect  # noqa: E402

RESULTS = ROOT / "bench" / "results"
SIZES = "10000,1000000"
BURST_STAFF, BURST_SECONDS, RESEND_SHARE = 600, 10, 0.2
# the owner's overview is the home screen of a school owner covering the 40 schools
OVERVIEW = run.Page(f"owner overview, {SCHOOLS} schools", "/", OWNER)
# the first school's heatmap over its year (issue 18), made anew (its files removed first) and from its file;
# flat, so they carry the same 1.2 target
HEATMAP_PAGES = [
    run.Page("heatmap, made anew", "/hvor-og-naar/varmekart.webp", LEADER, flat=True,
             before=lambda school: shutil.rmtree(school["heatmaps"], ignore_errors=True)),
    run.Page("heatmap, cached", "/hvor-og-naar/varmekart.webp", LEADER, flat=True),
]
PAGES = [page for page in run.PAGES if page.flat] + HEATMAP_PAGES + [
    run.Page("feed, live poll (htmx fragment)", "/meldinger/liste", LEADER, headers={"HX-Request": "true"}),
    OVERVIEW]


def log_in_all(port, usernames, threads=6):
    """Signed-in clients for these usernames, a few log-ins at a time (the workers hash each password)."""
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda username: Client(port).login(username), usernames))


def burst(port, built, staff_count, seconds, say, seed=5):
    """The end of a long break: every staff member's outbox sent within `seconds`, feeds polling; the figures."""
    rng = random.Random(seed)
    per_school = staff_count // SCHOOLS
    people = [(school, staff_name(school["index"], n)) for n in range(per_school) for school in built["schools"]]
    started = time.perf_counter()
    staff = log_in_all(port, [username for _, username in people])
    leaders = log_in_all(port, [leader_name(school["index"]) for school in built["schools"]])
    say(f"  {len(staff)} staff and {len(leaders)} leaders signed in ({time.perf_counter() - started:.0f} s)")
    # each outbox: 1–3 records, each form made once (its id with it); some sent twice, as after a lost answer
    outboxes = []
    for client, (school, _) in zip(staff, people):
        forms = [run.save_form(client, {"pupils": school["pupils"], "zones": school["zones"]})
                 for _ in range(rng.randint(1, 3))]
        sends = [form for form in forms for _ in range(2 if rng.random() < RESEND_SHARE else 1)]
        outboxes.append((rng.uniform(0, seconds), client, sends))
    latencies, errors, answers, lock = [], [], {}, threading.Lock()

    def send(outbox, start):
        """One phone's outbox: its records one after another, from its moment on."""
        due, client, sends = outbox
        time.sleep(max(0.0, start + due - time.monotonic()))
        for form in sends:
            began = time.monotonic()
            try:
                status, headers, _, _, _ = client.request("POST", "/registrer/ny", form)
                location = headers.get("Location", "")
                if status == 303:
                    parts = urllib.parse.urlsplit(location)
                    client.request("GET", parts.path + ("?" + parts.query if parts.query else ""))
                outcome = None if status == 303 else f"HTTP {status}"
            except OSError as error:
                outcome, location = type(error).__name__, ""
            with lock:
                if outcome:
                    errors.append(outcome)
                else:
                    latencies.append((time.monotonic() - began) * 1000)
                    answers.setdefault(form["client_id"], set()).add(urllib.parse.urlsplit(location).path)

    with Pollers(leaders) as pollers:
        start = time.monotonic() + 0.5
        with ThreadPoolExecutor(len(outboxes)) as pool:
            list(pool.map(lambda outbox: send(outbox, start), outboxes))
        took = time.monotonic() - start
    sent = sum(len(sends) for _, _, sends in outboxes)
    unique = {form["client_id"] for _, _, sends in outboxes for form in sends}
    return {"staff": len(staff), "leaders": len(leaders), "records": len(unique), "posts": sent,
            "resends": sent - len(unique), "seconds": round(took, 1), "errors": len(errors),
            "error_kinds": sorted(set(errors)), "answered_differently": sum(len(p) > 1 for p in answers.values()),
            "p50_ms": statistics.median(latencies) if latencies else None,
            "p95_ms": percentile(latencies, 0.95) if latencies else None,
            "max_ms": max(latencies) if latencies else None,
            "polls": len(pollers.times), "poll_errors": pollers.errors,
            "poll_p95_ms": percentile(pollers.times, 0.95) if pollers.times else None,
            "client_ids": unique, "staff_clients": staff, "leader_clients": leaders}


def stored(path, client_ids):
    """(rows saved with these form ids, distinct form ids among them) in the database file."""
    db = connect(str(path))
    try:
        db.conn.execute("CREATE TEMP TABLE sent (client_id TEXT PRIMARY KEY)")
        db.conn.executemany("INSERT INTO sent VALUES (?)", [(client_id,) for client_id in client_ids])
        return db.execute("SELECT count(*), count(DISTINCT observation.client_id) FROM observation "
                          "JOIN sent ON sent.client_id = observation.client_id").fetchone()
    finally:
        db.conn.close()


def settings():
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=SIZES, help=f"observations, comma-separated ({SIZES})")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per page and size")
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests per page and size first")
    parser.add_argument("--burst-staff", type=int, default=BURST_STAFF, help="staff sending their outbox (0: none)")
    parser.add_argument("--capacity-seconds", type=int, default=10, help="seconds at each save rate (0: none)")
    parser.add_argument("--bisections", type=int, default=3)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 3)))
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    args.sizes = sorted(int(size) for size in args.sizes.split(","))
    return args


def main():
    """Build, serve, measure, report, clean up."""
    args = settings()
    workdir = Path(tempfile.mkdtemp(prefix="trygg-municipality-"))
    servers, out, report, began = [], [], {}, time.perf_counter()

    def say(line=""):
        """Print a line and keep it for the results file."""
        print(line, flush=True)
        out.append(line)

    try:
        hello, hello_port = run.serve_hello(args.workers)
        servers.append(hello)
        now = clock.now()
        built, ports, processes, entries = {}, {}, {}, []
        for size in args.sizes:
            started = time.perf_counter()
            path = workdir / f"municipality-{size}.sqlite"
            built[size] = build_municipality(path, observations=size, now=now)
            built[size]["heatmaps"] = str(workdir / f"municipality-{size}-heatmaps")  # beside it (hotspots/views.py)
            counts = built[size]["counts"]
            say(f"Municipality of {size:,} observations built in {time.perf_counter() - started:.0f} s: "
                + ", ".join(f"{count:,} {table}" for table, count in counts.items())
                + f"; {path.stat().st_size / 1e6:,.0f} MB; the chronology's pupil is in "
                  f"{built[size]['pattern_records']} observations")
            processes[size], ports[size] = serve_trygg(path, args.workers)
            servers.append(processes[size])
            clients = {user: Client(ports[size]).login(user) for user in {page.user for page in PAGES}}
            entries.append(((run.FLOOR.name, size), Client(hello_port), run.FLOOR, None))
            entries += [((page.name, size), clients[page.user], page, built[size]) for page in PAGES]

        started, load = time.perf_counter(), os.getloadavg()[0]
        times = run.measure(entries, args.requests, args.warmup)
        rows = run.latency([run.FLOOR] + PAGES, args.sizes, times)
        say(f"\nLatency in ms at the first school: {args.requests} requests each after {args.warmup} warm-up, "
            f"taking turns; gunicorn --workers {args.workers}, {os.cpu_count()} CPUs, load average {load:.1f} "
            f"before and {os.getloadavg()[0]:.1f} after ({time.perf_counter() - started:.0f} s). Flat in data: "
            f"p95 at {args.sizes[-1]:,} over p95 at {args.sizes[0]:,}, at most {run.FLAT_TARGET}.")
        for line in run.latency_lines(rows, args.sizes):
            say(line)
        report["latency"] = rows

        largest = args.sizes[-1]
        if args.burst_staff:
            say(f"\nBurst on the {largest:,}-observation municipality: {args.burst_staff} staff each send their "
                f"outbox of 1–3 records within {BURST_SECONDS} s ({RESEND_SHARE:.0%} of records sent twice with "
                f"the same form id) while {SCHOOLS} leaders' feeds poll")
            result = burst(ports[largest], built[largest], args.burst_staff, BURST_SECONDS, say)
            rows_saved, distinct = stored(workdir / f"municipality-{largest}.sqlite", result["client_ids"])
            result["stored"], result["duplicates"] = rows_saved, rows_saved - distinct
            result["missing"] = len(result["client_ids"]) - distinct
            say(f"  {result['posts']} POSTs ({result['records']} records, {result['resends']} resends) in "
                f"{result['seconds']} s: {result['errors']} errors {result['error_kinds'] or ''}, "
                f"{result['duplicates']} duplicates, {result['missing']} records missing, "
                f"{result['answered_differently']} resends answered with another record; save p50 "
                f"{result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, max {result['max_ms']:.1f} ms; "
                f"{result['polls']} feed polls, {result['poll_errors']} failed, "
                f"p95 {result['poll_p95_ms'] or 0:.1f} ms")
            staff_clients, leader_clients = result.pop("staff_clients"), result.pop("leader_clients")
            result.pop("client_ids")
            report["burst"] = result
            if args.capacity_seconds:
                say(f"\nSustained saves a second with p95 under {P95_LIMIT_MS:.0f} ms on the {largest:,}-observation "
                    f"municipality, from {min(100, len(staff_clients))} staff sessions at {SCHOOLS} schools while "
                    f"{len(leader_clients)} leaders' feeds poll")
                schools = {school["id"]: school for school in built[largest]["schools"]}
                people = staff_clients[:100]
                for n, client in enumerate(people):  # the burst's order: one school after another
                    client.school = schools[n % SCHOOLS + 1]
                steps, held, poll_errors = find_capacity(
                    people, leader_clients, lambda client: run.save_form(client, client.school),
                    step_seconds=args.capacity_seconds, bisections=args.bisections, say=say)
                report["capacity"] = {"saves_per_second": held, "steps": steps, "poll_errors": poll_errors}
                say(f"  held: {held} saves/s with p95 under {P95_LIMIT_MS:.0f} ms ({poll_errors} feed polls failed)")

        for size in args.sizes:
            stop(processes[size])
        locked = {size: processes[size].stderr.read().decode(errors="replace").count("database is locked")
                  for size in args.sizes}
        report["database_is_locked"] = locked
        say("\n\"database is locked\" in the servers' logs: "
            + ", ".join(f"{count} at {size:,}" for size, count in locked.items()))
        flat = [row for row in rows if row["flat"]]
        say("\nFigures (issue 21)")
        say(f"  flat in data: p95 {args.sizes[-1]:,}/{args.sizes[0]:,} (≤ {run.FLAT_TARGET}): "
            + ", ".join(f"{row['page']} {row['ratio']:.2f} {row['verdict']}" for row in flat))
        overview = next(row for row in rows if row["page"] == OVERVIEW.name)
        say(f"  owner overview: p95 {overview['sizes'][args.sizes[-1]]['p95_ms']:.1f} ms at {args.sizes[-1]:,} "
            f"({overview['ratio']:.2f} × the p95 at {args.sizes[0]:,})")
        if "burst" in report:
            b = report["burst"]
            say(f"  burst: {b['posts']} POSTs from {b['staff']} staff in {b['seconds']} s: {b['errors']} errors, "
                f"{b['duplicates']} duplicates, {locked[largest]} 'database is locked', p95 {b['p95_ms']:.1f} ms")
        if "capacity" in report:
            say(f"  sustained: {report['capacity']['saves_per_second']} saves/s with p95 under "
                f"{P95_LIMIT_MS:.0f} ms")
        say(f"\nThe whole run took {time.perf_counter() - began:.0f} s.")

        args.results.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(clock.OSLO).strftime("%Y%m%d-%H%M%S")
        (args.results / f"municipality-{stamp}.txt").write_text("\n".join(out) + "\n", encoding="utf-8")
        (args.results / f"municipality-{stamp}.json").write_text(json.dumps({
            "when": datetime.now(clock.OSLO).isoformat(), "requests": args.requests, "warmup": args.warmup,
            "workers": args.workers, "cpus": os.cpu_count(), "sizes": args.sizes,
            "built": {size: item["counts"] for size, item in built.items()}, **report,
        }, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        print(f"Written to {args.results / f'municipality-{stamp}'}.txt and .json")
    finally:
        for process in servers:
            stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
