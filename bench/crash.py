"""`make crash`: kill -9 at a random moment under write load, then check that nothing acknowledged is lost.

One small school (bench/build.py) is served by gunicorn as the Procfile runs it. In each trial
the server starts, writer threads save observations through the capture form over HTTP (each
with its own form id) and note the ids the server acknowledged (its 303); at a random moment
the server's whole process group — master and workers, mid-write — is killed with SIGKILL.
Then, with the server down, the database file is opened as the next start would open it, and:

- every acknowledged form id is there (synchronous=FULL: acknowledged means on disk);
- `PRAGMA integrity_check` is ok and `PRAGMA foreign_key_check` finds nothing;
- no observation lacks its pupils (a record is written whole or not at all).

The database carries on from trial to trial, so every trial checks every earlier one's records too.

    make crash                                   # 200 trials
    .venv/bin/python bench/crash.py --trials 20  # a quick look
"""
import argparse
import http.client
import os
import random
import secrets
import shutil
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from build import USER, build_school  # noqa: E402
from client import Client, free_port, gunicorn  # noqa: E402
from run import save_form  # noqa: E402

WRITERS = 4


def serve(database, env, workers):
    """gunicorn on the database, once a worker answers a page; (process, port)."""
    port = free_port()
    process = gunicorn("webapp:create_app()", port, workers, {**env, "FLASK_DATABASE": str(database)}, ROOT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the master listens before its workers have loaded the app
        try:
            if Client(port).request("GET", "/logg-inn")[0] == 200:
                return process, port
        except OSError:
            pass
        time.sleep(0.02)
    raise SystemExit("No worker answered within 30 s")


def write_load(port, cookies, token, school, acknowledged, stopping, refused):
    """Writer threads saving observations until the server dies; acknowledged form ids go to the set."""
    def writer():
        client = Client(port)
        client.cookies, client.csrf_token = dict(cookies), token
        while not stopping.is_set():
            form = save_form(client, school)
            try:
                status, _, _, _, _ = client.request("POST", "/registrer/ny", form)
            except (OSError, http.client.HTTPException):  # the server died: this save was never acknowledged
                return
            if status == 303:
                acknowledged.add(form["client_id"])
            else:
                refused.append(status)

    threads = [threading.Thread(target=writer, daemon=True) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    return threads


def check(database, acknowledged):
    """(missing acknowledged ids, integrity_check's answer, foreign key problems, observations without pupils)."""
    with closing(sqlite3.connect(database)) as conn:
        stored = {row[0] for row in conn.execute("SELECT client_id FROM observation")}
        integrity = "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
        foreign = conn.execute("PRAGMA foreign_key_check").fetchall()
        bare = conn.execute("SELECT count(*) FROM observation WHERE NOT EXISTS (SELECT 1 FROM observation_pupil "
                            "WHERE observation_id = observation.id)").fetchone()[0]
    return len(acknowledged - stored), integrity, len(foreign), bare


def main():
    """Build the school, run the trials, report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--max-delay", type=float, default=1.0, help="the kill comes within this many seconds")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 3)))
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="trygg-crash-"))
    database = workdir / "trygg.sqlite"
    env = {**os.environ, "FLASK_APP": "webapp", "FLASK_SECRET_KEY": secrets.token_hex(32),
           "FLASK_SESSION_COOKIE_SECURE": "false", "FLASK_REMEMBER_COOKIE_SECURE": "false", "FLASK_HSTS": "false"}
    env.pop("FLASK_NOW", None)
    started = time.perf_counter()
    try:
        school = build_school(database, observations=200, pupils=60, staff=12, meldinger=20, saker_count=3)
        process, port = serve(database, env, args.workers)
        session = Client(port).login(USER)  # the session lives in the database: it outlasts every kill
        os.killpg(process.pid, signal.SIGTERM)
        process.wait()
        acknowledged, failures, kills_mid_write, refused = set(), [], 0, []
        for trial in range(1, args.trials + 1):
            process, port = serve(database, env, args.workers)
            before = len(acknowledged)
            stopping = threading.Event()
            threads = write_load(port, session.cookies, session.csrf_token, school, acknowledged, stopping, refused)
            time.sleep(rng.uniform(0.05, args.max_delay))
            in_flight = len(acknowledged)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            stopping.set()
            for thread in threads:
                thread.join(10)
            kills_mid_write += len(acknowledged) > before  # the load had been saving when it died
            missing, integrity, foreign, bare = check(database, acknowledged)
            ok = not missing and integrity == "ok" and not foreign and not bare and not refused
            if not ok:
                failures.append({"trial": trial, "refused": sorted(set(refused)), "missing": missing,
                                 "integrity": integrity, "foreign_key_problems": foreign,
                                 "observations_without_pupils": bare})
            if trial % 20 == 0 or not ok:
                print(f"trial {trial:3d}: {len(acknowledged):6d} acknowledged so far (+{in_flight - before} "
                      f"this trial), missing {missing}, integrity {integrity}, foreign keys {foreign}, "
                      f"without pupils {bare}", flush=True)
        with closing(sqlite3.connect(database)) as conn:
            stored = conn.execute("SELECT count(*) FROM observation WHERE client_id NOT LIKE 'bench%'").fetchone()[0]
        print(f"\n{args.trials} trials of kill -9 under write load ({WRITERS} writers, gunicorn --workers "
              f"{args.workers}, the kill within {args.max_delay} s of the server answering) in "
              f"{time.perf_counter() - started:.0f} s: {len(acknowledged)} saves acknowledged, {stored} stored "
              f"(the rest were in flight when the server died and never acknowledged); {kills_mid_write} kills "
              f"came while saves were being acknowledged; {len(failures)} trials failed"
              + (f": {failures[:5]}" if failures else ": every acknowledged record present, integrity_check ok, "
                 "no foreign key problem, no observation without its pupils, after every trial"))
        if failures:
            raise SystemExit(1)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
