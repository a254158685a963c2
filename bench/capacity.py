"""Capacity: how many saves a second the server holds with p95 under 100 ms while leaders' feeds poll.

The end of a break is the moment that counts: every adult on duty saves what
they saw within the same minute, while the leaders' live feeds keep polling.
Saves arrive on a fixed schedule (open loop: a slow answer does not slow the
next arrival), each from one of many signed-in staff sessions; a save's time
runs from the moment it was due until the page it redirects to has arrived,
as the person holding the phone waits for both. The rate steps up until p95
passes the limit or a request fails; the last rate that held is the capacity.
`find_capacity` runs the search against signed-in clients (bench/client.py),
`need_line` puts its result beside the need.
"""
import queue
import statistics
import threading
import time
import urllib.parse

from webapp import POLL_SECONDS

P95_LIMIT_MS = 100.0
# as often as the app's pages ask by default: an open feed its list (/meldinger/liste), the tab badge its count
FEED_POLL_SECONDS, BADGE_POLL_SECONDS = POLL_SECONDS["feed"], POLL_SECONDS["badge"]
# the need: a school's 60 staff saving within one minute at the end of a break
NEED_STAFF, NEED_SECONDS = 60, 60
# the rate doubles from the first until a step fails, then is halved between the last that held
# and the first that failed this many times (a resolution of about 1/16 of the last doubling)
FIRST_RATE, BISECTIONS, MAX_RATE = 10, 4, 2000


def percentile(values, share):
    """The value below which `share` of the sorted values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


class Pollers:
    """Leaders with the feed open: each asks for the feed's list and its badge as often as the pages do."""

    def __init__(self, clients, feed_path="/meldinger/liste", badge_path="/meldinger/teller"):
        self.clients, self.feed_path, self.badge_path = clients, feed_path, badge_path
        self.stopping = threading.Event()
        self.times, self.errors = [], 0
        self.threads = [threading.Thread(target=self._poll, args=(client, n), daemon=True)
                        for n, client in enumerate(clients)]

    def _poll(self, client, n):
        """One leader's open feed page, starting at its own offset within the poll interval."""
        headers = {"HX-Request": "true", "X-Trygg-Poll": "1"}
        next_feed = time.monotonic() + FEED_POLL_SECONDS * n / max(1, len(self.clients))
        next_badge = next_feed + BADGE_POLL_SECONDS / 2
        while not self.stopping.is_set():
            due = min(next_feed, next_badge)
            if self.stopping.wait(max(0.0, due - time.monotonic())):
                return
            path = self.feed_path if due == next_feed else self.badge_path
            if due == next_feed:
                next_feed += FEED_POLL_SECONDS
            else:
                next_badge += BADGE_POLL_SECONDS
            try:
                status, _, _, _, seconds = client.request("GET", path, headers=headers)
            except OSError:
                status, seconds = 0, 0
            if status == 200:
                self.times.append(seconds * 1000)
            else:
                self.errors += 1

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join()


def run_step(clients, make_form, rate, seconds, threads=48):
    """Saves at `rate` a second for `seconds`, round the staff clients; (latencies in ms, errors).

    A save is the form posted and the page its 303 leads to, timed from the
    moment it was due.
    """
    jobs = queue.Queue()
    latencies, errors = [], []
    lock = threading.Lock()

    def worker():
        """Take the next save, wait for its moment, send it."""
        while True:
            job = jobs.get()
            if job is None:
                return
            due, client = job
            time.sleep(max(0.0, due - time.monotonic()))
            with client.lock:
                try:
                    status, headers, _, _, _ = client.request("POST", "/registrer/ny", make_form(client))
                    if status == 303:
                        client.request("GET", urllib.parse.urlsplit(headers["Location"]).path
                                       + "?" + urllib.parse.urlsplit(headers["Location"]).query)
                    outcome = None if status == 303 else f"HTTP {status}"
                except OSError as error:
                    outcome = type(error).__name__
            finished = time.monotonic()
            with lock:
                if outcome:
                    errors.append(outcome)
                else:
                    latencies.append((finished - due) * 1000)

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    start = time.monotonic() + 0.2
    count = int(rate * seconds)
    for n in range(count):
        jobs.put((start + n / rate, clients[n % len(clients)]))
    for _ in pool:
        jobs.put(None)
    for thread in pool:
        thread.join()
    return latencies, errors


def find_capacity(staff_clients, leader_clients, make_form, step_seconds=10, bisections=BISECTIONS, say=print):
    """The highest save rate whose step has p95 under the limit and no errors; (rows, capacity, poll errors).

    Doubling finds a rate that fails, then bisection narrows the gap between
    it and the last rate that held.
    """
    rows = []
    for client in staff_clients:
        client.lock = threading.Lock()
    # a step at the first rate, not counted: every worker has rendered the pages and opened its database
    run_step(staff_clients, make_form, FIRST_RATE, 1)
    with Pollers(leader_clients) as pollers:

        def holds(rate):
            """Run one step at this rate and say whether it held."""
            polls_before = len(pollers.times)
            latencies, errors = run_step(staff_clients, make_form, rate, step_seconds)
            polls = pollers.times[polls_before:]
            row = {"rate": rate, "saves": len(latencies), "errors": len(errors),
                   "p50_ms": statistics.median(latencies) if latencies else None,
                   "p95_ms": percentile(latencies, 0.95) if latencies else None,
                   "poll_p95_ms": percentile(polls, 0.95) if polls else None, "polls": len(polls)}
            row["held"] = bool(not errors and latencies and row["p95_ms"] <= P95_LIMIT_MS)
            rows.append(row)
            say(f"  {rate:4d} saves/s for {step_seconds} s: {row['saves']:5d} saved, {row['errors']} errors, "
                f"p50 {row['p50_ms'] or 0:7.1f} ms, p95 {row['p95_ms'] or 0:7.1f} ms; "
                f"{row['polls']} feed polls, p95 {row['poll_p95_ms'] or 0:6.1f} ms"
                + ("" if row["held"] else f"  <- errors: {sorted(set(errors))}" if errors else "  <- over the limit"))
            return row["held"]

        held, failed = 0, FIRST_RATE
        while failed <= MAX_RATE and holds(failed):
            held, failed = failed, failed * 2
        for _ in range(bisections if failed <= MAX_RATE else 0):
            middle = (held + failed) // 2
            if middle in (held, failed):
                break
            if holds(middle):
                held = middle
            else:
                failed = middle
        poll_errors = pollers.errors
    return rows, held, poll_errors


def need_line(capacity):
    """The capacity beside the school's end-of-break need."""
    need = NEED_STAFF / NEED_SECONDS
    return (f"{capacity} saves/s with p95 under {P95_LIMIT_MS:.0f} ms while the feeds poll; the end-of-break "
            f"need is {NEED_STAFF} staff saving within {NEED_SECONDS} s = {need:.0f} save/s ({capacity / need:.0f}× "
            f"that), or {NEED_STAFF / 10:.0f}/s should all of them save within the same 10 s "
            f"({capacity / (NEED_STAFF / 10):.0f}×)")
