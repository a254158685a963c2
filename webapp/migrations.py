"""Changes to an existing database, applied in order by `flask migrate`.

schema.sql is the starting point of every database; each change after the
first release is a function here, registered in order, so an existing
database file upgrades without losing rows. Never edit an applied migration:
add a new one.
"""
from sqlite_utils import Migrations

migrations = Migrations("trygg")


@migrations()
def observation_author_school_time(db):
    """One's own records (recent pupils, "Mine registreringer") are read per school: index the school too."""
    db.execute("DROP INDEX IF EXISTS observation_author_time")
    db.execute("CREATE INDEX IF NOT EXISTS observation_author_school_time "
               "ON observation(author_id, school_id, observed_at)")


@migrations()
def duty_session_open(db):
    """Duties in progress are read on every capture: index them apart from the year's ended ones."""
    db.execute("CREATE INDEX IF NOT EXISTS duty_session_open ON duty_session(user_id, started_at) "
               "WHERE ended_at IS NULL")


@migrations()
def observation_school_concern_time(db):
    """The feed walks a school's concerns by time: index them apart from the positive observations."""
    db.execute("CREATE INDEX IF NOT EXISTS observation_school_concern_time ON observation(school_id, observed_at) "
               "WHERE kind = 'concern'")


@migrations()
def observation_pupil_observed_at(db):
    """A pupil's records newest first from an index: observation_pupil keeps its observation's time."""
    # as in schema.sql, which a fresh database has already run: each step checks first
    if "observed_at" not in db["observation_pupil"].columns_dict:
        db["observation_pupil"].add_column("observed_at", str)
    db.execute("UPDATE observation_pupil SET observed_at = (SELECT observed_at FROM observation "
               "WHERE observation.id = observation_pupil.observation_id)")
    db.execute("""CREATE TRIGGER IF NOT EXISTS observation_pupil_observed_at AFTER INSERT ON observation_pupil
BEGIN
    UPDATE observation_pupil
    SET observed_at = (SELECT observed_at FROM observation WHERE observation.id = NEW.observation_id)
    WHERE observation_id = NEW.observation_id AND pupil_id = NEW.pupil_id;
END""")
    db.execute("""CREATE TRIGGER IF NOT EXISTS observation_observed_at_to_pupils
AFTER UPDATE OF observed_at ON observation
WHEN NEW.observed_at IS NOT OLD.observed_at
BEGIN
    UPDATE observation_pupil SET observed_at = NEW.observed_at WHERE observation_id = NEW.id;
END""")
    # the new index serves every look-up by pupil the old one did
    db.execute("DROP INDEX IF EXISTS observation_pupil_pupil")
    db.execute("CREATE INDEX IF NOT EXISTS observation_pupil_pupil_time "
               "ON observation_pupil(pupil_id, observed_at, observation_id)")


@migrations()
def observation_pupil_class(db):
    """A class's records newest first from an index: observation_pupil keeps its pupil's class."""
    # as in schema.sql, which a fresh database has already run: each step checks first
    if "class_id" not in db["observation_pupil"].columns_dict:
        db["observation_pupil"].add_column("class_id", int)
    db.execute("UPDATE observation_pupil SET class_id = (SELECT class_id FROM pupil "
               "WHERE pupil.id = observation_pupil.pupil_id)")
    db.execute("""CREATE TRIGGER IF NOT EXISTS observation_pupil_class AFTER INSERT ON observation_pupil
BEGIN
    UPDATE observation_pupil SET class_id = (SELECT class_id FROM pupil WHERE pupil.id = NEW.pupil_id)
    WHERE observation_id = NEW.observation_id AND pupil_id = NEW.pupil_id;
END""")
    db.execute("""CREATE TRIGGER IF NOT EXISTS pupil_class_to_observations AFTER UPDATE OF class_id ON pupil
WHEN NEW.class_id IS NOT OLD.class_id
BEGIN
    UPDATE observation_pupil SET class_id = NEW.class_id WHERE pupil_id = NEW.id;
END""")
    db.execute("CREATE INDEX IF NOT EXISTS observation_pupil_class_time "
               "ON observation_pupil(class_id, observed_at, observation_id)")


@migrations()
def observation_pupil_copies_guarded(db):
    """The triggers that copy time and class into observation_pupil write only when the writer did not."""
    db.execute("DROP TRIGGER IF EXISTS observation_pupil_observed_at")
    db.execute("""CREATE TRIGGER observation_pupil_observed_at AFTER INSERT ON observation_pupil
WHEN NEW.observed_at IS NOT (SELECT observed_at FROM observation WHERE observation.id = NEW.observation_id)
BEGIN
    UPDATE observation_pupil
    SET observed_at = (SELECT observed_at FROM observation WHERE observation.id = NEW.observation_id)
    WHERE observation_id = NEW.observation_id AND pupil_id = NEW.pupil_id;
END""")
    db.execute("DROP TRIGGER IF EXISTS observation_pupil_class")
    db.execute("""CREATE TRIGGER observation_pupil_class AFTER INSERT ON observation_pupil
WHEN NEW.class_id IS NOT (SELECT class_id FROM pupil WHERE pupil.id = NEW.pupil_id)
BEGIN
    UPDATE observation_pupil SET class_id = (SELECT class_id FROM pupil WHERE pupil.id = NEW.pupil_id)
    WHERE observation_id = NEW.observation_id AND pupil_id = NEW.pupil_id;
END""")


@migrations()
def observation_pupil_kind(db):
    """A class's concerns newest first from an index: observation_pupil keeps its observation's kind."""
    # as in schema.sql, which a fresh database has already run: each step checks first
    if "kind" not in db["observation_pupil"].columns_dict:
        db["observation_pupil"].add_column("kind", str)
    db.execute("UPDATE observation_pupil SET kind = (SELECT kind FROM observation "
               "WHERE observation.id = observation_pupil.observation_id) WHERE kind IS NULL")
    db.execute("""CREATE TRIGGER IF NOT EXISTS observation_pupil_kind AFTER INSERT ON observation_pupil
WHEN NEW.kind IS NOT (SELECT kind FROM observation WHERE observation.id = NEW.observation_id)
BEGIN
    UPDATE observation_pupil SET kind = (SELECT kind FROM observation WHERE observation.id = NEW.observation_id)
    WHERE observation_id = NEW.observation_id AND pupil_id = NEW.pupil_id;
END""")
    db.execute("""CREATE TRIGGER IF NOT EXISTS observation_kind_to_pupils AFTER UPDATE OF kind ON observation
WHEN NEW.kind IS NOT OLD.kind
BEGIN
    UPDATE observation_pupil SET kind = NEW.kind WHERE observation_id = NEW.id;
END""")
    # the new index serves every look-up by class the old one did
    db.execute("DROP INDEX IF EXISTS observation_pupil_class_time")
    db.execute("CREATE INDEX IF NOT EXISTS observation_pupil_class_kind_time "
               "ON observation_pupil(class_id, kind, observed_at, observation_id)")


@migrations()
def sak_letter_corrections(db):
    """A leader corrects who raised a concern, how, when and to whom, for the Vedlegg 10 letter and the plan."""
    db.execute("""CREATE TABLE IF NOT EXISTS sak_letter (
    sak_id INTEGER PRIMARY KEY REFERENCES sak(id),
    source TEXT NOT NULL CHECK (source IN ('ansatt', 'elev', 'foresatt', 'annen')),
    raised_by TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL,
    concern_on TEXT NOT NULL,
    receiver TEXT NOT NULL DEFAULT '',
    received_on TEXT,
    letter_on TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES user(id)
)""")


@migrations()
def sak_measures_start_from_tiltak(db):
    """The six weeks to the evaluation run from the tiltak's first start date, never from a phase change."""
    # an open evaluation task whose due date is still the old rule's follows the new one;
    # a date a leader moved by hand stays
    db.execute("""UPDATE sak_task SET due_on = (
        SELECT date(min(tiltak.start_on), '+42 days') FROM tiltak
        WHERE tiltak.sak_id = sak_task.sak_id AND tiltak.start_on IS NOT NULL)
    WHERE task_key = 'evalueringsmote' AND done_at IS NULL AND due_on IS (
        SELECT date(sak.measures_started_on, '+42 days') FROM sak WHERE sak.id = sak_task.sak_id)""")
    db.execute("""UPDATE sak SET measures_started_on = (
        SELECT min(start_on) FROM tiltak WHERE tiltak.sak_id = sak.id AND start_on IS NOT NULL)""")


@migrations()
def observation_and_melding_adult_involved(db):
    """A § 12-5 record and its melding say who the adult was, in the author's own words."""
    # as in schema.sql, which a fresh database has already run: each step checks first
    for table in ("observation", "melding"):
        if "adult_involved" not in db[table].columns_dict:
            db.execute(f"ALTER TABLE {table} ADD COLUMN adult_involved TEXT NOT NULL DEFAULT ''")


@migrations()
def user_session_per_device(db):
    """A session per log-in on a device, so "Logg ut" ends that device's only; session_version goes.

    Cookies from before carry the old "user:version" id, which no session row
    has: everyone logs in once more after the upgrade.
    """
    # as in schema.sql, which a fresh database has already run: each step checks first
    db.execute("""CREATE TABLE IF NOT EXISTS user_session (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
    device TEXT NOT NULL DEFAULT '',
    remember INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    ended_at TEXT
)""")
    db.execute("CREATE INDEX IF NOT EXISTS user_session_open ON user_session(user_id) WHERE ended_at IS NULL")
    if "session_version" in db["user"].columns_dict:
        db.execute("ALTER TABLE user DROP COLUMN session_version")


@migrations()
def innsyn_and_confidential_address(db):
    """Innsyn exports are kept and listed; a pupil can have a fortrolig adresse."""
    # as in schema.sql, which a fresh database has already run: each step checks first
    if "confidential_address" not in db["pupil"].columns_dict:
        db.execute("ALTER TABLE pupil ADD COLUMN confidential_address INTEGER NOT NULL DEFAULT 0")
    db.execute("""CREATE TABLE IF NOT EXISTS innsyn_export (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES school(id),
    pupil_id INTEGER NOT NULL REFERENCES pupil(id),
    exported_at TEXT NOT NULL,
    exported_by INTEGER NOT NULL REFERENCES user(id),
    recipient TEXT NOT NULL CHECK (recipient IN ('eleven', 'foreldre')),
    recipient_name TEXT NOT NULL,
    counts TEXT NOT NULL DEFAULT '{}',
    redacted INTEGER NOT NULL DEFAULT 0,
    document BLOB NOT NULL,
    client_id TEXT NOT NULL,
    UNIQUE (exported_by, client_id)
)""")
    db.execute("CREATE INDEX IF NOT EXISTS innsyn_export_school ON innsyn_export(school_id, exported_at)")
    db.execute("CREATE INDEX IF NOT EXISTS innsyn_export_pupil ON innsyn_export(pupil_id, exported_at)")


@migrations()
def feide_login(db):
    """Log in with Feide: the owners' choice, accounts' Feide identities, the basis groups Feide gives."""
    # as in schema.sql, which a fresh database has already run: each step checks first
    db.execute("""CREATE TABLE IF NOT EXISTS feide_owner (
    owner_id INTEGER PRIMARY KEY REFERENCES user(id) ON DELETE CASCADE,
    enabled INTEGER NOT NULL DEFAULT 0,
    mfa_required INTEGER NOT NULL DEFAULT 0,
    passwords_off INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
)""")
    db.execute("""CREATE TABLE IF NOT EXISTS feide_link (
    user_id INTEGER PRIMARY KEY REFERENCES user(id) ON DELETE CASCADE,
    feide_id TEXT UNIQUE COLLATE NOCASE,
    sub TEXT UNIQUE,
    linked_at TEXT NOT NULL
)""")
    db.execute("""CREATE TABLE IF NOT EXISTS feide_group (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES school(id),
    group_key TEXT NOT NULL,
    name TEXT NOT NULL,
    class_id INTEGER REFERENCES school_class(id),
    seen_at TEXT NOT NULL,
    UNIQUE (school_id, group_key)
)""")


@migrations()
def audit_log_chained(db):
    """Every audit line carries a digest chaining it to the line before: the lines there are chained once, here."""
    from .audit import GENESIS, line_digest

    # as in schema.sql, which a fresh database has already run: each step checks first
    if "digest" not in db["audit_log"].columns_dict:
        db.execute("ALTER TABLE audit_log ADD COLUMN digest TEXT")
    # the append-only trigger is lifted for this one filling in, in this migration's transaction
    db.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    digest, last_id = GENESIS, 0
    while True:  # a year of views is millions of lines: a batch at a time
        lines = db.execute("SELECT id, at, user_id, school_id, action, entity, entity_id, pupil_id, detail, digest "
                           "FROM audit_log WHERE id > ? ORDER BY id LIMIT 10000", [last_id]).fetchall()
        if not lines:
            break
        filled = []
        for line_id, *row, kept in lines:
            digest = kept or line_digest(digest, line_id, tuple(row))
            if kept is None:
                filled.append((digest, line_id))
            last_id = line_id
        db.conn.executemany("UPDATE audit_log SET digest = ? WHERE id = ?", filled)
    db.execute("""CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END""")
