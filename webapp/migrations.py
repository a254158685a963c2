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
