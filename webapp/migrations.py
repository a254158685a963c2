"""Changes to an existing database, applied in order by `flask migrate`.

schema.sql is the starting point of every database; each change after the
first release is a function here, registered in order, so an existing
database file upgrades without losing rows. Never edit an applied migration:
add a new one.
"""
from sqlite_utils import Migrations

migrations = Migrations("trygg")
