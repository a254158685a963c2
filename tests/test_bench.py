"""The benchmark: its school is written by Trygg's own stores, and the disk probe writes what a save commits."""
import importlib.util
import sys
from collections import Counter
from datetime import datetime, time
from pathlib import Path

from webapp import clock
from webapp.capture import rules, store
from webapp.db import connect

BENCH = Path(__file__).resolve().parent.parent / "bench"
NOW = datetime(2026, 11, 4, 12, 30, tzinfo=clock.OSLO)  # a Wednesday, after the lunch break
SMALL = {"pupils": 40, "staff": 12, "meldinger": 30, "saker_count": 5, "now": NOW}


def load_bench(name):
    """A module of bench/ (which is not a package: `make bench` runs bench/run.py as a script)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows(path, sql):
    """All rows of a query on a database file."""
    db = connect(str(path))
    try:
        return [tuple(row) for row in db.execute(sql).fetchall()]
    finally:
        db.conn.close()


def test_the_bench_school_is_written_by_capture_feed_and_saker_stores(tmp_path):
    build = load_bench("build")
    built = build.build_school(tmp_path / "bench.sqlite", observations=400, **SMALL)
    db = connect(str(tmp_path / "bench.sqlite"))
    count = {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
             for table in ("observation", "pupil", "user", "melding", "sak")}
    assert count == {"observation": 400, "pupil": 40, "user": 12, "melding": 30, "sak": 5}
    assert (built["observations"], built["meldinger"], built["saker"]) == (400, 30, 5)
    # each observation as capture's store writes it: the hash of its record, version 1, the copies in
    # its pupils' rows, notes for an incident solved on the spot, a melding for one that needs follow-up
    for observation in db.query("SELECT * FROM observation"):
        pupils = store.observation_pupils(db, observation["id"])
        melding = store.melding_of(db, observation["id"])
        assert observation["content_hash"] == rules.content_hash(rules.record_from_row(observation, pupils, melding))
        assert observation["version"] == 1 and pupils
        assert (melding is not None) == (observation["outcome"] == "follow_up")
        notes = db.execute("SELECT count(*) FROM pupil_note WHERE observation_id = ?",
                           [observation["id"]]).fetchone()[0]
        assert notes == (len(pupils) if observation["outcome"] == "solved" else 0)
    assert db.execute("SELECT count(*) FROM observation_pupil WHERE observed_at IS NULL OR kind IS NULL "
                      "OR class_id IS NULL").fetchone()[0] == 0
    # the other meldinger were entered by a leader for a pupil or parent, received at once
    behalf = list(db.query("SELECT * FROM melding WHERE observation_id IS NULL"))
    assert behalf and all(m["source"] in ("elev", "foresatt") and m["received_by_id"] and m["acknowledged_at"]
                          for m in behalf)
    # the saker went through the saker store: the routine's tasks, a history, a talk and two tiltak each
    for sak in db.query("SELECT * FROM sak"):
        for table, least in (("sak_task", 7), ("sak_event", 3), ("sak_talk", 1), ("tiltak", 2)):
            assert db.execute(f"SELECT count(*) FROM {table} WHERE sak_id = ?", [sak["id"]]).fetchone()[0] >= least
        assert db.execute("SELECT status FROM melding JOIN sak_melding ON melding_id = melding.id "
                          "WHERE sak_id = ?", [sak["id"]]).fetchone()[0] == "sak"
    # a school's year: weekdays between 08:00 and 16:30, more friminutt than klasserom, more positive
    moments = [clock.local(row[0]) for row in db.execute("SELECT observed_at FROM observation")]
    assert all(m.weekday() < 5 and time(8) <= m.time() <= time(16, 30) and m < NOW for m in moments)
    assert (NOW - min(moments)).days > 300
    contexts = Counter(row[0] for row in db.execute("SELECT context FROM observation"))
    kinds = Counter(row[0] for row in db.execute("SELECT kind FROM observation"))
    assert contexts["friminutt"] > 2 * contexts["klasserom"] and kinds["positive"] > kinds["concern"]
    db.conn.close()


def test_the_meldinger_and_saker_are_the_same_at_every_size(tmp_path):
    build = load_bench("build")
    for name, size in (("small", 400), ("large", 1200), ("again", 400)):
        build.build_school(tmp_path / f"{name}.sqlite", observations=size, **SMALL)
    melding = ("SELECT melding.id, created_at, status, source, summary, section_12_5, acknowledged_at, "
               "(SELECT group_concat(pupil_id || role) FROM melding_pupil WHERE melding_id = melding.id) "
               "FROM melding ORDER BY id")
    sak = "SELECT id, pupil_id, phase, opened_at FROM sak ORDER BY id"
    small, large = (rows(tmp_path / f"{name}.sqlite", melding) for name in ("small", "large"))
    assert small == large and len(small) == 30 and {row[2] for row in small} >= {"ny", "mottatt", "sak"}
    assert rows(tmp_path / "small.sqlite", sak) == rows(tmp_path / "large.sqlite", sak)
    assert rows(tmp_path / "large.sqlite", "SELECT count(*) FROM observation") == [(1200,)]
    # and a school built again is the same school, each melding from the same observation
    links = "SELECT id, observation_id FROM melding ORDER BY id"
    assert rows(tmp_path / "small.sqlite", links) == rows(tmp_path / "again.sqlite", links)


def test_disk_probe_writes_a_commits_frames_round_the_file_and_waits_for_the_disk(tmp_path):
    bench = load_bench("run")
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
