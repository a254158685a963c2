"""The benchmark's school builder still matches the schema (the bench itself is run by `make bench`)."""
import importlib.util
import sys
from pathlib import Path

from webapp import clock
from webapp.db import connect, transaction

from . import data
from .leadership_helpers import add_observation, db_of

BENCH = Path(__file__).resolve().parent.parent / "bench"


def load_bench(name="run"):
    """A module of bench/ (which is not a package: `make bench` runs bench/run.py as a script)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_builds_a_school_with_a_year_of_records(tmp_path):
    bench = load_bench()
    built = bench.build_school(tmp_path / "bench.sqlite", pupils=40, staff=6, observations=300)
    db = connect(str(tmp_path / "bench.sqlite"))
    assert db.execute("SELECT count(*) FROM observation").fetchone()[0] == 300
    assert db.execute("SELECT count(*) FROM pupil").fetchone()[0] == 40 == len(built["pupils"])
    assert db.execute("SELECT count(*) FROM user").fetchone()[0] == 6
    assert db.execute("SELECT count(*) FROM melding").fetchone()[0] == built["meldinger"]
    db.conn.close()
    assert [page.name for page in bench.PAGES][1:] == ["capture screen", "save an observation"]
    # only the observations grow with the size: the meldinger and cases are the same, so a filtered
    # page shows as many items on a small school as on a large one
    bench.build_school(tmp_path / "larger.sqlite", pupils=40, staff=6, observations=900)
    statuses = [[row[0] for row in connect(str(tmp_path / name)).execute(
        "SELECT status || ':' || (SELECT count(*) FROM melding_pupil WHERE melding_id = melding.id) FROM melding "
        "ORDER BY id")] for name in ("bench.sqlite", "larger.sqlite")]
    assert statuses[0] == statuses[1] and len(statuses[0]) == built["meldinger"]
    # and a school built again is the same school: each melding from the same observation
    bench.build_school(tmp_path / "again.sqlite", pupils=40, staff=6, observations=300)
    links = [connect(str(tmp_path / name)).execute("SELECT id, observation_id FROM melding ORDER BY id").fetchall()
             for name in ("bench.sqlite", "again.sqlite")]
    assert links[0] == links[1] and any(observation for _, observation in links[0])


def test_disk_probe_writes_a_commits_frames_round_the_file_and_waits_for_the_disk(tmp_path):
    bench = load_bench()
    probe = bench.DiskProbe(tmp_path, frames=3, page_size=512)
    try:
        size = (tmp_path / "disk-probe.wal").stat().st_size
        assert size == 10 * 3 * (24 + 512)  # room for ten commits, as a WAL between checkpoints
        for commit in range(1, 12):
            status, headers, body, header_bytes, seconds = probe.request()
            assert status == 200 and seconds > 0
            # each commit moves on by its frames, and the eleventh starts the file over
            assert probe.offset == (commit * 3 * (24 + 512)) % size
        assert (tmp_path / "disk-probe.wal").stat().st_size == size  # rewritten in place, never grown
        assert (tmp_path / "disk-probe.wal").read_bytes()[24:24 + 512] == probe.page
    finally:
        probe.close()


def test_benchmark_generator_adds_meldinger_and_cases_the_pages_can_show(app, auth, client):
    import random

    bench = load_bench("leadership")

    for _ in range(5):
        add_observation(app, labels=["konflikt"])
    db = db_of(app)
    with transaction(db):
        result = bench.generate(db, data.SCHOOL_A, [data.STAFF, data.LEADER], [data.PUPIL_A, data.PUPIL_A2, data.PUPIL_A3],
                                random.Random(3), clock.now(), meldinger=30, cases=5)
    assert db.execute("SELECT count(*) FROM melding").fetchone()[0] == 30
    assert db.execute("SELECT count(*) FROM sak").fetchone()[0] == 5
    auth.login("leder")
    for _, url in bench.URLS:
        assert client.get(url.format(**result)).status_code == 200, url
