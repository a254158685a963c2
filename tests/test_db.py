"""The database: pragmas, transactions, schema and migrations."""
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from contextlib import closing

import pytest
from sqlite_utils import Migrations

from webapp import db as database
from webapp.audit import append, verify
from webapp.db import connect, init_db, migrate, one, transaction

from . import data
from .conftest import Auth, make_app


def test_every_connection_has_the_durability_pragmas(app, db):
    assert_durability_pragmas(db.conn)
    # statement journals in memory: a write transaction creates no file in /var/tmp
    assert db.conn.execute("PRAGMA temp_store").fetchone()[0] == 2
    with app.app_context():
        request_conn = database.get_db().conn
        assert_durability_pragmas(request_conn)
    # a worker keeps its connection for later requests: the pragmas stay on it
    with app.app_context():
        assert database.get_db().conn is request_conn
        assert_durability_pragmas(request_conn)
    # another thread (another worker) gets its own connection, with the same pragmas
    other = []

    def in_another_thread():
        with app.app_context():
            other.append(database.get_db().conn)

    thread = threading.Thread(target=in_another_thread)
    thread.start()
    thread.join()
    assert other and other[0] is not request_conn
    # checked here: an assertion failing inside the thread would not fail the test
    assert_durability_pragmas(other[0])


def assert_durability_pragmas(conn):
    """WAL, synchronous=FULL, foreign keys on and a busy timeout of seconds."""
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_a_transaction_left_open_by_a_request_is_rolled_back_not_kept(app):
    with app.app_context():
        db = database.get_db()
        db.conn.execute("BEGIN IMMEDIATE")
        db.conn.execute("INSERT INTO school (name, created_at) VALUES ('Halvveis', 'x')")
    with app.app_context():
        db = database.get_db()
        assert not db.conn.in_transaction
        assert db["school"].count_where("name = 'Halvveis'") == 0


def test_transaction_begins_immediate_and_rolls_back_whole(db):
    statements = []
    db.conn.set_trace_callback(statements.append)
    with pytest.raises(RuntimeError):
        with transaction(db):
            db["school"].insert({"name": "Halvferdig skole", "created_at": "2026-01-01T00:00:00+00:00"})
            raise RuntimeError("crash between two writes")
    db.conn.set_trace_callback(None)
    assert "BEGIN IMMEDIATE" in statements
    assert db["school"].count_where("name = ?", ["Halvferdig skole"]) == 0


def test_nested_transaction_is_one_unit(db):
    with transaction(db):
        db["school"].insert({"name": "Ytre", "created_at": "x"})
        with transaction(db):
            db["school"].insert({"name": "Indre", "created_at": "x"})
    assert db["school"].count_where("name IN ('Ytre', 'Indre')") == 2


def test_reads_leave_no_transaction_open_and_inside_one_see_its_writes_and_undo_nothing(db):
    """sqlite-utils' query() runs each read in a savepoint: that must not commit, or hold open, a transaction."""
    other = connect(db.conn.execute("PRAGMA database_list").fetchone()[2])
    other.conn.execute("PRAGMA busy_timeout=0")
    unfinished = db.query("SELECT id FROM school ORDER BY id")  # a read left half-done, as one() leaves it
    first = next(unfinished)
    assert one(db, "SELECT count(*) AS n FROM school")["n"] >= 2 and not db.conn.in_transaction
    statements = []
    db.conn.set_trace_callback(statements.append)
    with pytest.raises(RuntimeError):
        with transaction(db):
            # the transaction holds the write lock from its start, though reads came before it
            with pytest.raises(sqlite3.OperationalError):
                other.conn.execute("BEGIN IMMEDIATE")
            db["school"].insert({"name": "Uferdig skole", "created_at": "x"})
            assert one(db, "SELECT name FROM school WHERE name = ?", ["Uferdig skole"])
            assert db.conn.in_transaction  # the read's savepoint ended inside the transaction, not the transaction
            raise RuntimeError("crash after the read")
    db.conn.set_trace_callback(None)
    assert statements[0] == "BEGIN IMMEDIATE"
    assert db["school"].count_where("name = ?", ["Uferdig skole"]) == 0
    assert [first] + list(unfinished) == list(db.query("SELECT id FROM school ORDER BY id"))
    other.conn.close()


def test_write_lock_waits_for_another_writer(tmp_path):
    path = tmp_path / "lock.sqlite"
    first, second = connect(path), connect(path)
    init_db(first)
    first.conn.execute("BEGIN IMMEDIATE")
    second.conn.execute("PRAGMA busy_timeout=50")
    with pytest.raises(sqlite3.OperationalError):
        with transaction(second):
            pass
    first.conn.execute("ROLLBACK")
    with transaction(second):
        second["school"].insert({"name": "Etter", "created_at": "x"})


def test_foreign_keys_are_enforced(db):
    with pytest.raises(sqlite3.IntegrityError):
        with transaction(db):
            db["pupil"].insert({"school_id": 999, "full_name": "Ingen", "created_at": "x"})


def test_audit_log_is_append_only(db):
    with transaction(db):
        append(db, [("x", None, None, "view", "pupil", None, None, "")])
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE audit_log SET action = 'update'")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("DELETE FROM audit_log")


def test_migration_applied_to_database_with_rows_keeps_them(tmp_path):
    db = connect(tmp_path / "old.sqlite")
    init_db(db)
    with transaction(db):
        school_id = db["school"].insert({"name": "Gammel skole", "created_at": "x"}).last_pk
        db["pupil"].insert({"school_id": school_id, "full_name": "Elev Som Finnes", "created_at": "x"})

    # a release's next migration, in a set of its own so Trygg's own stay as they are
    upgrade = Migrations("trygg-next")

    @upgrade()
    def add_pupil_nickname(db):
        db["pupil"].add_column("nickname", str)

    assert migrate(db, upgrade) == ["add_pupil_nickname"]
    assert db["pupil"].columns_dict["nickname"] is str
    assert [row["full_name"] for row in db["pupil"].rows] == ["Elev Som Finnes"]
    assert migrate(db, upgrade) == []  # applying again changes nothing


def test_migrate_creates_a_fresh_database(tmp_path):
    db = connect(tmp_path / "new.sqlite")
    assert migrate(db) == "created"
    assert db["school"].exists() and db["observation"].exists()


def test_init_db_command_refuses_existing_database(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["init-db"])
    assert result.exit_code != 0
    assert "finnes allerede" in result.output


def test_acknowledged_write_survives_kill_9(tmp_path):
    """A row committed by a process that is then killed with SIGKILL is still there."""
    path = tmp_path / "kill.sqlite"
    init_db(connect(path))
    killed_after_commit(f"""
        from webapp.db import connect, transaction
        db = connect({str(path)!r})
        with transaction(db):
            db["school"].insert({{"name": "Overlever", "created_at": "x"}})
    """)
    assert connect(path)["school"].count_where("name = 'Overlever'") == 1


def killed_after_commit(script):
    """Run the script in a process of its own and kill it with SIGKILL once it has committed."""
    script = textwrap.dedent(script) + "\nprint('committed', flush=True)\nimport time\ntime.sleep(60)\n"
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "committed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stdout.close()


def test_reads_on_every_capture_use_indexes_not_whole_tables(tmp_path):
    """A year of ended duties or one's own records must not be read to open the capture screen."""
    db = connect(str(tmp_path / "plans.sqlite"))
    init_db(db)
    reads = [
        # duty.store.close_expired_sessions and current_duty_session
        "SELECT id, planned_end_at, duty_date FROM duty_session WHERE ended_at IS NULL "
        "AND (planned_end_at <= '2026-11-26' OR (planned_end_at IS NULL AND duty_date < '2026-11-26'))",
        "SELECT * FROM duty_session WHERE user_id = 1 AND ended_at IS NULL ORDER BY started_at DESC LIMIT 1",
        # capture.store.recent_pupils: one walk down the author's records, newest first
        "SELECT observation.id, pupil.id, pupil.full_name, school_class.name FROM observation "
        "LEFT JOIN observation_pupil ON observation_pupil.observation_id = observation.id "
        "LEFT JOIN pupil ON pupil.id = observation_pupil.pupil_id AND pupil.school_id = 1 AND pupil.active "
        "LEFT JOIN school_class ON school_class.id = pupil.class_id "
        "WHERE observation.author_id = 1 AND observation.school_id = 1 AND observation.observed_at >= '2026-10-27' "
        "ORDER BY observation.observed_at DESC",
        # capture.store.last_context: the context offered first
        "SELECT context FROM observation WHERE author_id = 1 AND school_id = 1 ORDER BY observed_at DESC LIMIT 1",
    ]
    for sql in reads:
        plan = " / ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql))
        assert "USING" in plan and "TEMP B-TREE" not in plan, plan


def test_index_migrations_upgrade_an_older_database(tmp_path):
    db = connect(str(tmp_path / "old.sqlite"))
    init_db(db)
    db.execute("DROP INDEX duty_session_open")
    db.execute("DROP INDEX observation_author_school_time")
    db.execute("CREATE INDEX observation_author_time ON observation(author_id, observed_at)")
    db.execute("DROP INDEX observation_school_concern_time")
    db.execute("DELETE FROM _sqlite_migrations WHERE name IN ('duty_session_open', 'observation_author_school_time', "
               "'observation_school_concern_time')")
    assert migrate(db) == ["observation_author_school_time", "duty_session_open", "observation_school_concern_time"]
    indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"duty_session_open", "observation_author_school_time", "observation_school_concern_time"} <= indexes
    assert "observation_author_time" not in indexes


def walks_sorting_their_rows(plan, walk_name):
    """The steps of a query plan that walk `walk_name` and whose own (sub)query sorts what they find."""
    parents = {row[0]: row[1] for row in plan}
    details = {row[0]: row[3] for row in plan}
    found = []
    for row in plan:
        if walk_name not in row[3]:
            continue
        # the (sub)query the walk belongs to: the nearest enclosing co-routine, or the whole query
        query = row[1]
        while query and not details[query].startswith(("CO-ROUTINE", "MATERIALIZE")):
            query = parents[query]
        if any(parent == query and "TEMP B-TREE" in detail for _, parent, _, detail in plan):
            found.append(row[3])
    return found


def plans_of(db, read):
    """The query plans of the SELECTs `read()` runs on db."""
    statements = []
    db.conn.set_trace_callback(statements.append)
    try:
        read()
    finally:
        db.conn.set_trace_callback(None)
    return [list(db.execute("EXPLAIN QUERY PLAN " + sql)) for sql in statements
            if sql.lstrip().upper().startswith("SELECT")]


def test_a_pupils_and_a_class_records_are_walked_newest_first_not_collected_and_sorted(tmp_path):
    """The feed filtered by pupil or class and the chronology stop after a page, however long the history."""
    from datetime import datetime

    from webapp import clock
    from webapp.feed import store as records

    db = connect(str(tmp_path / "plans.sqlite"))
    init_db(db)
    now = datetime(2026, 11, 26, 10, tzinfo=clock.OSLO)
    by_pupil = {"status": "", "type": "", "klasse": 0, "elev": 1, "sone": 0, "periode": ""}
    by_class = {**by_pupil, "elev": 0, "klasse": 1}
    reads = [(lambda: records.feed_items(db, 1, by_pupil, now, page=2), "observation_pupil_pupil_time (pupil_id=?"),
             (lambda: records.feed_items(db, 1, {**by_pupil, "periode": "30", "type": "hendelse"}, now),
              "observation_pupil_pupil_time (pupil_id=?"),
             (lambda: records.chronology(db, 1, page=2), "observation_pupil_pupil_time (pupil_id=?"),
             (lambda: records.feed_items(db, 1, by_class, now, page=2),
              "observation_pupil_class_kind_time (class_id=? AND kind=?"),
             (lambda: records.feed_items(db, 1, {**by_class, "periode": "7", "status": "lost"}, now),
              "observation_pupil_class_kind_time (class_id=? AND kind=?")]
    for read, index in reads:
        for plan in plans_of(db, read):
            walks = [row[3] for row in plan if row[3].startswith("SEARCH observation_pupil")]
            assert walks and all(index in walk for walk in walks), plan
            assert walks_sorting_their_rows(plan, "SEARCH observation_pupil") == [], plan


def test_observation_pupil_migrations_upgrade_a_database_with_rows(tmp_path):
    db = connect(str(tmp_path / "old.sqlite"))
    init_db(db)
    # the database as it was: observation_pupil without the copies of time, class and kind,
    # indexed by (pupil, observation)
    for trigger in ("observation_pupil_observed_at", "observation_observed_at_to_pupils", "observation_pupil_class",
                    "pupil_class_to_observations", "observation_pupil_kind", "observation_kind_to_pupils"):
        db.execute(f"DROP TRIGGER {trigger}")
    db.execute("DROP INDEX observation_pupil_pupil_time")
    db.execute("DROP INDEX observation_pupil_class_kind_time")
    for column in ("observed_at", "class_id", "kind"):
        db.execute(f"ALTER TABLE observation_pupil DROP COLUMN {column}")
    db.execute("CREATE INDEX observation_pupil_pupil ON observation_pupil(pupil_id, observation_id)")
    db.execute("DELETE FROM _sqlite_migrations WHERE name IN ('observation_pupil_observed_at', "
               "'observation_pupil_class', 'observation_pupil_copies_guarded', 'observation_pupil_kind')")
    school = db["school"].insert({"name": "Gammel skole", "created_at": "x"}).last_pk
    author = db["user"].insert({"username": "a", "full_name": "A", "role": "staff", "created_at": "x"}).last_pk
    first, second = [db["school_class"].insert({"school_id": school, "name": name}).last_pk for name in ("5A", "6A")]
    pupils = [db["pupil"].insert({"school_id": school, "class_id": class_id, "full_name": name,
                                  "created_at": "x"}).last_pk
              for name, class_id in (("Elev En", first), ("Elev To", second))]

    def observe(at):
        """An observation of both pupils at `at`; returns its id."""
        observation = db["observation"].insert({
            "school_id": school, "author_id": author, "client_id": at, "observed_at": at, "recorded_at": at,
            "updated_at": at, "kind": "concern"}).last_pk
        for pupil in pupils:
            db["observation_pupil"].insert({"observation_id": observation, "pupil_id": pupil, "role": "med"})
        return observation

    def copies(observation):
        """The time, class and kind each of an observation's pupils carries."""
        return db.execute("SELECT observed_at, class_id, kind FROM observation_pupil WHERE observation_id = ? "
                          "ORDER BY pupil_id", [observation]).fetchall()

    old = observe("2026-01-05T09:00:00+00:00")
    assert migrate(db) == ["observation_pupil_observed_at", "observation_pupil_class",
                           "observation_pupil_copies_guarded", "observation_pupil_kind"]
    assert copies(old) == [("2026-01-05T09:00:00+00:00", first, "concern"),
                           ("2026-01-05T09:00:00+00:00", second, "concern")]
    # afterwards the database keeps the copies: a new record's pupils, a corrected time or kind, a new class
    new = observe("2026-02-01T10:00:00+00:00")
    assert copies(new) == [("2026-02-01T10:00:00+00:00", first, "concern"),
                           ("2026-02-01T10:00:00+00:00", second, "concern")]
    db["observation"].update(old, {"observed_at": "2026-03-01T08:00:00+00:00", "kind": "positive"})
    db["pupil"].update(pupils[0], {"class_id": second})
    assert copies(old) == [("2026-03-01T08:00:00+00:00", second, "positive"),
                           ("2026-03-01T08:00:00+00:00", second, "positive")]
    assert copies(new) == [("2026-02-01T10:00:00+00:00", second, "concern"),
                           ("2026-02-01T10:00:00+00:00", second, "concern")]
    # and has what a fresh database has
    fresh = connect(str(tmp_path / "fresh.sqlite"))
    init_db(fresh)

    def schema(database):
        """observation_pupil's columns, and the indexes and triggers on it, observation and pupil."""
        return (list(database.execute("PRAGMA table_info(observation_pupil)")),
                sorted(database.execute("SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
                                        "AND tbl_name IN ('observation', 'observation_pupil', 'pupil')")))

    assert schema(db) == schema(fresh)
    assert "observation_pupil_pupil" not in {row[1] for row in schema(db)[1]}


def test_the_12_5_and_session_migrations_give_an_older_database_the_tables_a_fresh_one_has(tmp_path):
    """schema.sql adds a column at the end of its table, where the migration's ALTER TABLE puts it."""
    db = connect(str(tmp_path / "old.sqlite"))
    init_db(db)
    # the database as it was: no word on the adult in a § 12-5 record, a session version per user
    for table in ("observation", "melding"):
        db.execute(f"ALTER TABLE {table} DROP COLUMN adult_involved")
    db.execute("DROP TABLE user_session")
    db.execute("ALTER TABLE user ADD COLUMN session_version INTEGER NOT NULL DEFAULT 1")
    db.execute("DELETE FROM _sqlite_migrations WHERE name IN ('observation_and_melding_adult_involved', "
               "'user_session_per_device')")
    assert migrate(db) == ["observation_and_melding_adult_involved", "user_session_per_device"]
    fresh = connect(str(tmp_path / "fresh.sqlite"))
    init_db(fresh)

    def schema(database):
        """The four tables' columns, in order, and the indexes on them."""
        tables = ("observation", "melding", "user", "user_session")
        return ([list(database.execute(f"PRAGMA table_info([{table}])")) for table in tables],
                sorted(database.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' "
                                        "AND tbl_name IN (?, ?, ?, ?)", tables)))

    assert schema(db) == schema(fresh)


# ---------------------------------------------------------------- one audit trail: an old view log taken in

# the view log's table as webapp/db.py made it (VIEW_LOG_SCHEMA) while views and exports had a file of their own
OLD_VIEW_LOG_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER,
    school_id INTEGER,
    action TEXT NOT NULL CHECK (action IN ('view', 'export')),
    entity TEXT NOT NULL,
    entity_id INTEGER,
    pupil_id INTEGER,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS audit_log_pupil ON audit_log(pupil_id, at);
CREATE INDEX IF NOT EXISTS audit_log_school ON audit_log(school_id, at);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
"""

COLUMNS = "at, user_id, school_id, action, entity, entity_id, pupil_id, detail"


def write_old_view_log(path, lines):
    """A view log as the old Trygg left it: WAL at synchronous=NORMAL, a killed worker's lines still in the WAL."""
    killed_after_commit(f"""
        from webapp.db import connect
        db = connect({str(path)!r})
        db.conn.execute("PRAGMA synchronous=NORMAL")
        db.conn.executescript({OLD_VIEW_LOG_SCHEMA!r})
        db.conn.execute("BEGIN IMMEDIATE")
        db.conn.executemany("INSERT INTO audit_log ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", {lines!r})
        db.conn.execute("COMMIT")
    """)


def audit_lines_of(path):
    """Every line of the audit log in a database file, by id, without the id."""
    assert os.path.exists(path)  # sqlite3 would make an empty one
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(f"SELECT {COLUMNS} FROM audit_log ORDER BY id").fetchall()


def migrate_with(app):
    """`flask migrate`, as the Procfile runs it before the workers start."""
    return app.test_cli_runner().invoke(args=["migrate"])


VIEWED = ("2026-11-20T08:00:00+00:00", data.LEADER, data.SCHOOL_A, "view", "feed", None, None, "side 1")


def test_migrate_takes_an_old_view_log_into_the_audit_log_and_keeps_the_file(tmp_path):
    """The old pair of files: its views and exports follow the database's own lines, in time order, as written."""
    app = make_app(tmp_path)
    changed = ("2026-11-20T09:00:00+00:00", data.LEADER, data.SCHOOL_A, "update", "pupil", data.PUPIL_A,
               data.PUPIL_A, "")
    db = connect(app.config["DATABASE"])
    with transaction(db):
        append(db, [changed])
    db.conn.close()
    lines = [
        VIEWED,
        # two workers: the one that read the clock first committed second
        ("2026-11-20T08:30:01+00:00", data.LEADER, data.SCHOOL_A, "view", "chronology", data.PUPIL_A, data.PUPIL_A, ""),
        ("2026-11-20T08:30:00+00:00", data.STAFF, data.SCHOOL_A, "view", "observation", 7, data.PUPIL_A, ""),
        ("2026-11-20T10:00:00+00:00", data.OWNER, data.SCHOOL_A, "export", "sak", 3, data.PUPIL_A2, "Vedlegg 10"),
    ]
    views = tmp_path / "trygg-views.sqlite"
    write_old_view_log(views, lines)
    assert (tmp_path / "trygg-views.sqlite-wal").stat().st_size > 0  # the lines are in the WAL only

    result = migrate_with(app)
    assert result.exit_code == 0, result.output
    assert "4 linjer" in result.output and "trygg-views.sqlite.imported" in result.output
    assert audit_lines_of(app.config["DATABASE"]) == [changed] + sorted(lines, key=lambda line: line[0])
    # the lines taken in are chained on from the database's own
    assert verify(connect(app.config["DATABASE"])) == (5, None)
    # the old file is kept under another name, whole, and on its own (no WAL beside it)
    kept = tmp_path / "trygg-views.sqlite.imported"
    assert not views.exists() and audit_lines_of(kept) == lines
    assert sorted(path.name for path in tmp_path.glob("trygg-views*")) == ["trygg-views.sqlite.imported"]
    # the next start finds nothing more to take in
    again = migrate_with(app)
    assert again.exit_code == 0 and "Visningsloggen" not in again.output
    assert len(audit_lines_of(app.config["DATABASE"])) == 5


def test_an_import_stopped_before_the_rename_is_not_copied_twice(tmp_path):
    app = make_app(tmp_path)
    views = tmp_path / "trygg-views.sqlite"
    write_old_view_log(views, [VIEWED])
    assert migrate_with(app).exit_code == 0
    kept = tmp_path / "trygg-views.sqlite.imported"
    # as if migrate had been stopped after its commit, before it renamed the file
    os.rename(kept, views)
    result = migrate_with(app)
    assert result.exit_code == 0 and "0 linjer" in result.output, result.output
    assert audit_lines_of(app.config["DATABASE"]) == [VIEWED]
    assert not views.exists() and audit_lines_of(kept) == [VIEWED]
    # the same file once more (a backup put back): not copied again, and the first one kept is not overwritten
    shutil.copyfile(kept, views)
    assert migrate_with(app).exit_code == 0
    assert audit_lines_of(app.config["DATABASE"]) == [VIEWED]
    assert audit_lines_of(kept) == [VIEWED] and audit_lines_of(tmp_path / "trygg-views.sqlite.imported-2") == [VIEWED]


def test_a_view_log_about_people_the_database_does_not_have_is_refused_and_left_where_it_is(tmp_path):
    """Another database's view log: not one of its lines is copied, and it keeps its name."""
    app = make_app(tmp_path)
    views = tmp_path / "trygg-views.sqlite"
    write_old_view_log(views, [VIEWED, ("2026-11-20T08:01:00+00:00", 99, data.SCHOOL_A, "view", "pupil", 99, 99, "")])
    result = migrate_with(app)
    assert result.exit_code != 0
    assert "Kunne ikke ta inn visningsloggen" in result.output and "Ingen linjer er flyttet" in result.output
    assert audit_lines_of(app.config["DATABASE"]) == []
    assert views.exists() and len(audit_lines_of(views)) == 2


def test_a_view_log_kept_elsewhere_is_found_by_its_old_setting(tmp_path, monkeypatch):
    """An installation that moved its view log still has FLASK_VIEW_LOG_DATABASE set when it upgrades."""
    elsewhere = tmp_path / "logg" / "views.sqlite"
    elsewhere.parent.mkdir()
    write_old_view_log(elsewhere, [VIEWED])
    monkeypatch.setenv("FLASK_VIEW_LOG_DATABASE", str(elsewhere))
    app = make_app(tmp_path)
    assert migrate_with(app).exit_code == 0
    assert audit_lines_of(app.config["DATABASE"]) == [VIEWED]
    assert not elsewhere.exists() and (tmp_path / "logg" / "views.sqlite.imported").exists()


def test_pages_viewed_and_records_changed_are_audited_in_the_one_database_file(tmp_path):
    """No second file: `flask migrate` makes the database alone, and a page viewed writes into it."""
    app = make_app(tmp_path)
    assert migrate_with(app).exit_code == 0
    auth = Auth(app.test_client())
    auth.login("leder")
    assert auth.client.get(f"/skole/elever/{data.PUPIL_A}").status_code == 200
    assert {path.name for path in tmp_path.iterdir()} <= {"trygg.sqlite", "trygg.sqlite-wal", "trygg.sqlite-shm"}
    assert ("view", "pupil", data.PUPIL_A) in [line[3:5] + line[6:7] for line in audit_lines_of(app.config["DATABASE"])]
