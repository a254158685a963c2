"""The audit log's hash chain: every line chained to the one before, `flask audit verify` and `seal`."""
import sqlite3
import threading
from contextlib import closing

from webapp.audit import COLUMNS, GENESIS, append, head_file, line_digest, read_seals, verify
from webapp.db import connect, migrate, transaction

from . import data
from .conftest import login, make_app
from .meldinger import add_melding, records  # noqa: F401 (a fixture)


def run(app, *args):
    """`flask audit …` on the test app's database, as an operator runs it."""
    return app.test_cli_runner().invoke(args=["audit", *args])


def tamper(app, sql, params=()):
    """Change the database behind Trygg's back, as someone with the file could: triggers off, then the SQL."""
    with closing(sqlite3.connect(app.config["DATABASE"], isolation_level=None)) as conn:
        conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
        conn.execute(sql, params)


def some_lines(app, records):  # noqa: F811
    """A leader's and a staff member's day: views, an export; the ids of the audit lines written."""
    leader, _ = login(app, "leder")
    assert leader.get(f"/meldinger/elever/{data.PUPIL_A}").status_code == 200
    assert leader.get(f"/meldinger/{records['melding']}").status_code == 200
    assert leader.get(f"/saker/{records['sak']}").status_code == 200
    assert leader.get(f"/saker/{records['sak']}/eksport.docx").status_code == 200
    assert leader.get(f"/meldinger/?klasse={data.CLASS_A}").status_code == 200
    staff, _ = login(app, "ansatt")
    assert staff.get(f"/registrer/{_observation_of(app, records['melding'])}").status_code == 200
    with closing(connect(app.config["DATABASE"]).conn) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM audit_log ORDER BY id")]


def _observation_of(app, melding_id):
    with closing(connect(app.config["DATABASE"]).conn) as conn:
        return conn.execute("SELECT observation_id FROM melding WHERE id = ?", [melding_id]).fetchone()[0]


def test_lines_written_by_the_app_are_chained_and_verify_says_so(app, records):  # noqa: F811
    ids = some_lines(app, records)
    assert len(ids) >= 8 and ids == list(range(1, len(ids) + 1))
    result = run(app, "verify")
    assert result.exit_code == 0, result.output
    assert f"hel: {len(ids)} linjer" in result.output
    assert "Ingen forseglede hoder" in result.output


def test_a_flipped_byte_in_a_line_is_named(app, records):  # noqa: F811
    ids = some_lines(app, records)
    line = ids[3]
    # the detail of one line changed by one byte, its digest left as it was
    tamper(app, "UPDATE audit_log SET at = replace(at, '+00:00', '+00:01') WHERE id = ?", [line])
    result = run(app, "verify")
    assert result.exit_code == 1
    assert f"brutt ved linje {line}:" in result.output and "endret" in result.output
    assert f"({line - 1} linjer før den er hele.)" in result.output


def test_a_flipped_byte_in_a_digest_is_named(app, records):  # noqa: F811
    ids = some_lines(app, records)
    line = ids[-1]
    tamper(app, "UPDATE audit_log SET digest = (CASE substr(digest, 1, 1) WHEN 'a' THEN 'b' ELSE 'a' END) "
                "|| substr(digest, 2) WHERE id = ?", [line])
    result = run(app, "verify")
    assert result.exit_code == 1 and f"brutt ved linje {line}:" in result.output


def test_a_line_slipped_in_around_audit_py_is_named(app, records):  # noqa: F811
    ids = some_lines(app, records)
    tamper(app, f"INSERT INTO audit_log ({COLUMNS}) VALUES ('2026-11-20T08:00:00+00:00', ?, ?, 'view', 'pupil', "
                "?, ?, '')", [data.LEADER, data.SCHOOL_A, data.PUPIL_A, data.PUPIL_A])
    result = run(app, "verify")
    assert result.exit_code == 1 and f"brutt ved linje {ids[-1] + 1}:" in result.output


def test_a_deleted_line_is_named(app, records):  # noqa: F811
    ids = some_lines(app, records)
    tamper(app, "DELETE FROM audit_log WHERE id = ?", [ids[2]])
    result = run(app, "verify")
    assert result.exit_code == 1
    assert f"brutt ved linje {ids[2]}: linje {ids[2]} mangler" in result.output


def test_a_log_cut_short_is_caught_against_the_sealed_head(app, tmp_path, records):  # noqa: F811
    heads = tmp_path / "elsewhere" / "heads.txt"
    ids = some_lines(app, records)
    sealed = run(app, "seal", "--head-file", str(heads))
    assert sealed.exit_code == 0, sealed.output
    assert f"Forseglet linje {ids[-1]}" in sealed.output
    (seal,) = read_seals(heads)
    assert seal.line_id == ids[-1] and len(seal.digest) == 64
    tamper(app, "DELETE FROM audit_log WHERE id >= ?", [ids[-2]])
    # the chain alone cannot tell that its last lines are gone …
    assert run(app, "verify").exit_code == 0
    # … the head sealed outside the database can
    result = run(app, "verify", "--head-file", str(heads))
    assert result.exit_code == 1
    assert f"brutt ved linje {ids[-2]}" in result.output and "avkortet" in result.output


def test_a_chain_written_anew_is_caught_against_the_sealed_head(app, tmp_path, records):  # noqa: F811
    heads = tmp_path / "heads.txt"
    app.config["AUDIT_HEAD_FILE"] = str(heads)  # the configured file: FLASK_AUDIT_HEAD_FILE
    ids = some_lines(app, records)
    assert run(app, "seal").exit_code == 0 and head_file(app.config) == heads
    # someone changes line 2 and computes every digest after it again, as the code would
    with closing(sqlite3.connect(app.config["DATABASE"], isolation_level=None)) as conn:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET user_id = ? WHERE id = 2", [data.STAFF])
        digest = conn.execute("SELECT digest FROM audit_log WHERE id = 1").fetchone()[0]
        for line_id, *row in conn.execute(f"SELECT id, {COLUMNS} FROM audit_log WHERE id >= 2 ORDER BY id").fetchall():
            digest = line_digest(digest, line_id, tuple(row))
            conn.execute("UPDATE audit_log SET digest = ? WHERE id = ?", [digest, line_id])
    assert run(app, "verify", "--head-file", str(tmp_path / "none.txt")).exit_code == 0
    result = run(app, "verify")
    assert result.exit_code == 1
    assert f"linje {ids[-1]} er ikke den som ble forseglet" in result.output and "skrevet om" in result.output


def test_seals_accumulate_and_seal_refuses_a_broken_chain(app, tmp_path, records):  # noqa: F811
    heads = tmp_path / "heads.txt"
    ids = some_lines(app, records)
    assert run(app, "seal", "--head-file", str(heads)).exit_code == 0
    leader, _ = login(app, "leder")
    assert leader.get(f"/meldinger/elever/{data.PUPIL_A2}").status_code == 200
    assert run(app, "seal", "--head-file", str(heads)).exit_code == 0
    first, second = read_seals(heads)
    assert first.line_id == ids[-1] and second.line_id > first.line_id
    checked = run(app, "verify", "--head-file", str(heads))
    assert checked.exit_code == 0 and "2 forseglede hoder" in checked.output
    tamper(app, "DELETE FROM audit_log WHERE id = 1")
    refused = run(app, "seal", "--head-file", str(heads))
    assert refused.exit_code == 1 and "linje 1 mangler" in refused.output
    assert len(read_seals(heads)) == 2  # nothing sealed over a broken chain


def test_a_head_file_that_is_not_one_is_an_error_not_a_pass(app, tmp_path):
    heads = tmp_path / "heads.txt"
    heads.write_text("# Trygg\nikke en forsegling\n", encoding="utf-8")
    result = run(app, "verify", "--head-file", str(heads))
    assert result.exit_code == 1 and "linje 2: ikke en forsegling" in result.output


def test_an_existing_database_s_lines_are_chained_once_by_migrate(app):
    """A database from before the chain: its lines get digests when migrated, then verify holds."""
    lines = [("2026-11-20T08:00:00+00:00", data.LEADER, data.SCHOOL_A, "view", "feed", None, None, "side 1"),
             ("2026-11-20T08:01:00+00:00", data.LEADER, data.SCHOOL_A, "view", "chronology", data.PUPIL_A,
              data.PUPIL_A, ""),
             ("2026-11-20T09:00:00+00:00", data.STAFF, data.SCHOOL_A, "create", "observation", 7, data.PUPIL_A, "")]
    with closing(sqlite3.connect(app.config["DATABASE"], isolation_level=None)) as conn:
        # the database as the release before left it: no digest, no chain, the migration not applied
        conn.execute("ALTER TABLE audit_log DROP COLUMN digest")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'audit_log_chained'")
        conn.executemany(f"INSERT INTO audit_log ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", lines)
    result = app.test_cli_runner().invoke(args=["migrate"])
    assert result.exit_code == 0 and "audit_log_chained" in result.output
    db = connect(app.config["DATABASE"])
    assert [tuple(row) for row in db.execute(f"SELECT {COLUMNS} FROM audit_log ORDER BY id")] == lines
    assert verify(db) == (3, None)
    first = db.execute("SELECT digest FROM audit_log WHERE id = 1").fetchone()[0]
    assert first == line_digest(GENESIS, 1, lines[0])
    # the append-only triggers are back, and new lines follow on from the old
    with transaction(db):
        append(db, [("2026-11-21T08:00:00+00:00", data.LEADER, data.SCHOOL_A, "view", "feed", None, None, "side 1")])
    assert verify(db) == (4, None)
    assert migrate(db) == []


def test_writers_at_once_never_fork_the_chain(app):
    """Workers saving at the same moment: each reads the last line inside its own write lock."""
    path = app.config["DATABASE"]
    errors = []

    def worker(user_id):
        db = connect(path)
        try:
            for number in range(40):
                with transaction(db):
                    append(db, [(f"2026-11-20T08:00:{number:02d}+00:00", user_id, data.SCHOOL_A, "create",
                                 "observation", number, data.PUPIL_A, ""),
                                (f"2026-11-20T08:00:{number:02d}+00:00", user_id, data.SCHOOL_A, "create",
                                 "pupil_note", number, data.PUPIL_A, "")])
        except Exception as error:  # reported below: a thread's exception is lost otherwise
            errors.append(error)
        finally:
            db.conn.close()

    threads = [threading.Thread(target=worker, args=(user,)) for user in (data.STAFF, data.LEADER, data.OWNER)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert verify(connect(path)) == (240, None)


def test_the_chained_content_holds_no_name_birth_date_or_username(app, records):  # noqa: F811
    """Ids, times and fixed words only: records deleted later leave no personal data in the kept chain."""
    some_lines(app, records)
    leader, auth = login(app, "leder")
    assert auth.post(f"/skole/elever/{data.PUPIL_A}", {"full_name": "Aksel Andersen", "class_id": data.CLASS_A,
                                                       "birth_date": "2015-03-04"}).status_code in (302, 303)
    with closing(connect(app.config["DATABASE"]).conn) as conn:
        chained = " ".join(" ".join(str(value) for value in row)
                           for row in conn.execute(f"SELECT {COLUMNS}, digest FROM audit_log"))
        personal = [value for table, columns in (("pupil", "full_name, birth_date"), ("user", "full_name, username"))
                    for row in conn.execute(f"SELECT {columns} FROM {table}") for value in row if value]
        changed = conn.execute("SELECT 1 FROM audit_log WHERE action = 'update' AND entity = 'pupil'").fetchall()
    assert changed  # the pupil's change is in the log …
    assert not [value for value in personal if value in chained]  # … by id only


def test_the_audit_commands_have_help(app):
    for command in ("verify", "seal"):
        result = run(app, command, "--help")
        assert result.exit_code == 0 and "--head-file" in result.output


def test_verify_warns_when_the_daily_seal_has_stopped(app, tmp_path, records):  # noqa: F811
    some_lines(app, records)
    heads = tmp_path / "heads.txt"
    with closing(connect(app.config["DATABASE"]).conn) as conn:
        line_id, digest = conn.execute("SELECT id, digest FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    heads.write_text(f"2026-01-05T02:15:00+00:00 {line_id} {digest}\n", encoding="utf-8")
    result = run(app, "verify", "--head-file", str(heads))
    assert result.exit_code == 0 and "1 forseglede hoder" in result.output
    assert "Advarsel: ingen forsegling de siste 2 døgnene" in result.output


def test_an_empty_chain_is_not_sealed_and_verify_still_passes(tmp_path):
    app = make_app(tmp_path)
    heads = tmp_path / "heads.txt"
    sealed = run(app, "seal", "--head-file", str(heads))
    assert sealed.exit_code == 0 and "ingenting å forsegle" in sealed.output
    assert not heads.exists()
    assert run(app, "verify", "--head-file", str(heads)).exit_code == 0
