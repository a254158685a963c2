"""`flask backup` and `flask restore`: a copy taken while records are being saved holds every one saved before."""
import sqlite3
import threading
from contextlib import closing

import pytest

from webapp import create_app
from webapp.backup import counts, integrity

from . import data
from .conftest import Auth, make_app
from .test_capture_views import NOW, save


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path, NOW=NOW)


def save_positive(auth, n):
    """One positive observation with its own form id; the response."""
    return save(auth, kind="positive", client_id=f"backup-{n:06d}", pupil=[str(data.PUPIL_A)],
                label=["inkludering"], facts=f"Observasjon nummer {n}.")


def form_ids(path):
    """The form ids of every observation in the database file."""
    with closing(sqlite3.connect(path)) as conn:
        return {row[0] for row in conn.execute("SELECT client_id FROM observation")}


def test_a_backup_taken_while_saving_holds_every_record_saved_before_it_and_restores(app, tmp_path):
    auth = Auth(app.test_client())
    auth.login("ansatt")
    acknowledged = set()
    for n in range(30):
        assert save_positive(auth, n).status_code == 303
        acknowledged.add(f"backup-{n:06d}")
    # a second browser keeps saving while the backup runs
    other = Auth(app.test_client())
    other.login("ansatt")
    stop, saved_during = threading.Event(), []

    def keep_saving():
        n = 1000
        while not stop.is_set() and n < 1200:
            if save_positive(other, n).status_code == 303:
                saved_during.append(f"backup-{n:06d}")
            n += 1

    writer = threading.Thread(target=keep_saving)
    writer.start()
    try:
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "kopi" / "trygg.sqlite")])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    copy = tmp_path / "kopi" / "trygg.sqlite"
    assert integrity(copy) == "ok" and "integritet ok" in result.output
    assert acknowledged <= form_ids(copy)
    assert not (tmp_path / "kopi" / "trygg.sqlite.delvis").exists()
    assert saved_during, "the writer saved nothing while the backup ran"

    # restored to a new place: the same records, a database Trygg opens
    restored = tmp_path / "gjenopprettet.sqlite"
    result = app.test_cli_runner().invoke(args=["restore", str(copy), "--database", str(restored)])
    assert result.exit_code == 0, result.output
    assert form_ids(restored) == form_ids(copy) and counts(restored) == counts(copy)
    assert integrity(restored) == "ok"
    with closing(sqlite3.connect(restored)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # and its audit chain is whole: every line, views of the saves included, came along
    on_restored = create_app({"TESTING": True, "SECRET_KEY": data.SECRET_KEY, "DATABASE": str(restored)})
    verified = on_restored.test_cli_runner().invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    with closing(sqlite3.connect(restored)) as conn:
        assert conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] >= 30  # the saves' lines are there


def test_restore_refuses_to_replace_a_database_with_data_without_force(app, tmp_path):
    auth = Auth(app.test_client())
    auth.login("ansatt")
    first = save_positive(auth, 1)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(tmp_path / "kopi.sqlite")]).exit_code == 0
    second = save_positive(auth, 2)  # made after the backup
    assert first.status_code == second.status_code == 303

    result = runner.invoke(args=["restore", str(tmp_path / "kopi.sqlite")])
    assert result.exit_code != 0 and "--force" in result.output
    assert form_ids(app.config["DATABASE"]) == {"backup-000001", "backup-000002"}  # untouched

    result = runner.invoke(args=["restore", str(tmp_path / "kopi.sqlite"), "--force"])
    assert result.exit_code == 0, result.output
    assert form_ids(app.config["DATABASE"]) == {"backup-000001"}
    # the database it replaced is kept beside it, with the record made after the backup
    kept = [path for path in tmp_path.iterdir() if ".før-gjenoppretting-" in path.name]
    assert len(kept) == 1 and form_ids(kept[0]) == {"backup-000001", "backup-000002"}
    # the server, still running, reads the restored database
    assert auth.client.get(first.headers["Location"]).status_code == 200
    assert auth.client.get(second.headers["Location"]).status_code == 404


def test_restore_refuses_a_damaged_backup_and_changes_nothing(app, tmp_path):
    damaged = tmp_path / "ødelagt.sqlite"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    result = app.test_cli_runner().invoke(args=["restore", str(damaged), "--force"])
    assert result.exit_code != 0 and "besto ikke integritetskontrollen" in result.output
    assert integrity(app.config["DATABASE"]) == "ok" and counts(app.config["DATABASE"])["school"] == 2


def test_backup_and_restore_have_help(tmp_path):
    app = make_app(tmp_path)
    for command in ("backup", "restore"):
        assert app.test_cli_runner().invoke(args=[command, "--help"]).exit_code == 0
