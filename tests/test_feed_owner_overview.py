"""The school owner's overview: per school, meldinger waiting, open cases, overdue tasks, §12-5 cases."""
import re
from datetime import timedelta

from webapp import clock
from webapp.db import transaction
from webapp.saker import store as saker

from . import data
from .meldinger import db_of, records  # noqa: F401  (the fixture)

ROW = re.compile(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td><td>(\d+)</td>\s*<td>(\d+)</td><td>(\d+)</td></tr>')


def overview(client):
    """The owner's overview table: school name → (waiting, open cases, overdue tasks, §12-5 cases)."""
    page = client.get("/").get_data(as_text=True)
    return {name: tuple(int(n) for n in numbers) for name, *numbers in ROW.findall(page)}


def test_the_owner_sees_each_of_their_schools_counts(app, auth, client, records):  # noqa: F811
    db = db_of(app)
    now = clock.now()
    with transaction(db):
        # a §12-5 case at school A, and one of its tasks overdue since yesterday
        section_12_5 = saker.open_sak(db, db["melding"].get(records["melding_12_5"]), data.PUPIL_A,
                                      data.LEADER, data.LEADER, now)
        db.execute("UPDATE sak_task SET due_on = ? WHERE id = "
                   "(SELECT min(id) FROM sak_task WHERE sak_id = ? AND done_at IS NULL)",
                   [(clock.local(now).date() - timedelta(days=1)).isoformat(), section_12_5])
        # a closed case counts nowhere
        db.execute("UPDATE sak SET phase = 'avsluttet' WHERE id = ?", [records["sak_b"]])
        names = dict(db.execute("SELECT id, name FROM school").fetchall())
        waiting = dict(db.execute("SELECT school_id, count(*) FROM melding WHERE status = 'ny' GROUP BY school_id"))
    db.conn.close()
    auth.login("skoleeier")
    seen = overview(client)
    assert list(seen) == sorted(names.values())
    # school A: the open cases (the plain one, the escalated one, the §12-5 one), one task overdue
    assert seen[names[data.SCHOOL_A]] == (waiting.get(data.SCHOOL_A, 0), 3, 1, 1)
    assert seen[names[data.SCHOOL_B]] == (waiting.get(data.SCHOOL_B, 0), 0, 0, 0)
    assert waiting[data.SCHOOL_A] >= 2 and waiting[data.SCHOOL_B] == 1


def test_leaders_and_staff_have_no_overview(auth, client, records):  # noqa: F811
    for username in ("leder", "ansatt"):
        auth.login(username)
        assert not overview(client) and "Meldinger som venter" not in client.get("/").get_data(as_text=True)
        auth.logout()


def test_an_older_database_gets_the_index_the_owners_list_of_12_5_meldinger_reads(tmp_path):
    from webapp.db import connect, init_db, migrate
    from webapp.feed.store import section_12_5_waiting

    db = connect(str(tmp_path / "old.sqlite"))
    init_db(db)
    db.execute("DROP INDEX melding_section_12_5_waiting")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'melding_section_12_5_waiting'")
    assert migrate(db) == ["melding_section_12_5_waiting"]
    plans = []
    db.conn.set_trace_callback(plans.append)
    section_12_5_waiting(db, list(range(1, 41)), 20)
    db.conn.set_trace_callback(None)
    sql = next(statement for statement in plans if "section_12_5" in statement)
    plan = " ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql))
    assert "melding_section_12_5_waiting" in plan and "melding_school_status" not in plan


def test_the_overdue_count_walks_the_open_cases_tasks_not_every_undone_task(tmp_path):
    from webapp.db import connect, init_db
    from webapp.saker.store import owner_overview

    db = connect(str(tmp_path / "plan.sqlite"))
    init_db(db)
    statements = []
    db.conn.set_trace_callback(statements.append)
    owner_overview(db, list(range(1, 41)), clock.now().date())
    db.conn.set_trace_callback(None)
    sql = next(statement for statement in statements if "sak_task" in statement)
    plan = " ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql))
    assert "sak_task_open" not in plan and "(sak_id=?)" in plan
