"""One writer per record: observations only through capture's store, meldinger through capture's
(a staff member's), feed's (one a leader enters for someone) or saker's (what leadership does with
them), cases only through saker's store — so content hash, version and copies are always right; audit
lines only through audit.py, which chains each to the one before."""
import re
from pathlib import Path

WEBAPP = Path(__file__).resolve().parent.parent / "webapp"

WRITERS = {
    "observation": {"capture/store.py"},
    "observation_pupil": {"capture/store.py"},
    "melding": {"capture/store.py", "feed/store.py", "saker/store.py"},
    "melding_pupil": {"capture/store.py", "feed/store.py"},
    "sak": {"saker/store.py"},
    "audit_log": {"audit.py"},  # each line chained to the one before (audit.append)
}
# the database's own changes to its rows (migrations) are not a second writer
NOT_WRITERS = {"migrations.py", "db.py"}

TABLE = r"(observation|observation_pupil|melding|melding_pupil|sak|audit_log)\b"
WRITES = [re.compile(r"(?:INSERT(?: OR \w+)? INTO|UPDATE|DELETE FROM)\s+" + TABLE),
          re.compile(r"\[\"" + TABLE + r"\"\]\.(?:insert|insert_all|upsert|update|delete)\b"),
          re.compile(r"_insert(?:_roles)?\(db, \"" + TABLE + r"\"")]


def writes_in(source):
    """The tables of WRITERS a module's source writes to."""
    return {match.group(1) for pattern in WRITES for match in pattern.finditer(source)}


def test_the_patterns_see_each_way_of_writing_a_row():
    assert writes_in('db["observation"].insert({...})') == {"observation"}
    assert writes_in('db.execute("UPDATE melding SET status = ?")') == {"melding"}
    assert writes_in('"INSERT OR IGNORE INTO sak (school_id)"') == {"sak"}
    assert writes_in('_insert_roles(db, "melding_pupil", ...)') == {"melding_pupil"}
    assert writes_in('db["sak_task"].update(...); "UPDATE sak_task SET"; "SELECT * FROM melding"') == set()


def test_only_the_stores_write_observations_meldinger_and_saker():
    wrong = []
    for path in sorted(WEBAPP.rglob("*.py")):
        module = path.relative_to(WEBAPP).as_posix()
        if module in NOT_WRITERS:
            continue
        for table in writes_in(path.read_text()):
            if module not in WRITERS[table]:
                wrong.append(f"{module} writes {table}")
    assert wrong == []
