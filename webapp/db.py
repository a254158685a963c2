"""The SQLite database: one connection per worker thread, pragmas, transactions, schema."""
import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

import click
import sqlite_utils
from flask import abort, current_app, g, has_request_context, request
from flask.cli import with_appcontext

SCHEMA = Path(__file__).resolve().parent.parent / "schema.sql"

PRAGMAS = {
    "journal_mode": "wal",
    # FULL: a record acknowledged to the user survives power loss and kill -9
    "synchronous": "FULL",
    "foreign_keys": "ON",
    "busy_timeout": "10000",
    # statement journals and temporary tables in memory: without it every write
    # transaction created, unlinked and closed a file in /var/tmp (ext4 metadata
    # work the commit's fsync then waits on); neither is needed after a crash
    "temp_store": "MEMORY",
}

def connect(path):
    """Open the database with Trygg's pragmas; transactions are explicit."""
    # isolation_level=None: the driver never opens transactions behind our
    # back, so `transaction()` alone decides where one begins and ends.
    conn = sqlite3.connect(path, isolation_level=None, timeout=10, check_same_thread=False)
    for name, value in PRAGMAS.items():
        conn.execute(f"PRAGMA {name}={value}")
    return sqlite_utils.Database(conn, execute_plugins=False)


def get_db():
    """The request's database connection: the worker thread's own, opened on its first request."""
    if "db" not in g:
        g.db = _thread_connection(current_app, database_path(current_app))
    return g.db


def host_name(host):
    """A Host header's name without its port, in lower case, as TENANTS is keyed."""
    return host.rsplit(":", 1)[0].lower() if not host.endswith("]") else host.lower()


def database_path(app):
    """The database this request or command works on: the host's school owner's, or DATABASE.

    With TENANTS (a mapping host name → database file, FLASK_TENANTS as JSON) each school
    owner has a database of their own, chosen by the request's host name; a host not in the
    mapping is answered 404 before anything is read. Outside a request (commands) and without
    TENANTS it is the DATABASE setting.
    """
    tenants = app.config.get("TENANTS")
    if not tenants or not has_request_context():
        return app.config["DATABASE"]
    path = tenants.get(host_name(request.host))
    if path is None:
        abort(404)
    return path


def check_tenant():
    """Before every request with TENANTS set: an unknown host name is 404 (no page, no database)."""
    if current_app.config.get("TENANTS"):
        database_path(current_app)


def _thread_connection(app, path):
    """The connection this thread keeps to the database at `path`, opened once.

    Opening a connection costs more than a whole small request: the pragmas'
    first statement reads and parses the schema and maps the WAL index. A
    gunicorn sync worker serves one request at a time on one thread, so it
    keeps its connection; the pragmas stay set on it for its lifetime. With
    TENANTS it keeps one per school owner's database it has served.
    """
    local = app.extensions.setdefault("trygg_db", threading.local())
    kept = getattr(local, "kept", None)
    # a forked worker never uses its parent's connections
    if kept is None or kept[0] != os.getpid():
        kept = local.kept = (os.getpid(), {})
    connections = kept[1]
    if path not in connections:
        if not app.config.get("TENANTS"):  # one database: a changed DATABASE setting replaces the old one
            for old in connections.values():
                old.conn.close()
            connections.clear()
        connections[path] = connect(path)
    return connections[path]


def close_db(exception=None):
    """End the request's use of its connection: no transaction may stay open into the next request.

    A transaction left open (only possible through a bug) is rolled back
    rather than committed, and would otherwise hold the write lock.
    """
    db = g.pop("db", None)
    if db is not None and db.conn.in_transaction:
        db.conn.execute("ROLLBACK")


@contextmanager
def transaction(db=None):
    """Group writes into one BEGIN IMMEDIATE transaction (a savepoint when nested).

    IMMEDIATE takes the write lock up front, so two workers saving at once
    wait on the busy timeout instead of failing halfway.
    """
    db = db or get_db()
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


def one(db, sql, params=()):
    """The first row of a query as a dict, or None."""
    return next(iter(db.query(sql, params)), None)


def scalar(db, sql, params=()):
    """The first column of the first row, or None."""
    row = db.conn.execute(sql, params).fetchone()
    return row[0] if row else None


def has_schema(db):
    """Whether the database has been created."""
    return db["school"].exists()


def init_db(db):
    """Create every table from schema.sql, then apply the migrations."""
    from .migrations import migrations

    db.conn.executescript(SCHEMA.read_text(encoding="utf-8"))
    migrations.apply(db)


def migrate(db, migrations=None):
    """Bring a database up to date: create it if empty, else apply pending migrations (Trygg's own by default)."""
    if migrations is None:
        from .migrations import migrations
    if not has_schema(db):
        init_db(db)
        return "created"
    pending = [m.name for m in migrations.pending(db)]
    migrations.apply(db)
    return pending


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create a new, empty Trygg database (refuses if one exists)."""
    db = get_db()
    if has_schema(db):
        raise click.ClickException("Databasen finnes allerede. Bruk `flask migrate`.")
    init_db(db)
    click.echo(f"Opprettet databasen {current_app.config['DATABASE']}")


def cli_databases(host=None, database=None):
    """The database files a command works on: --database, --host's, every owner's with TENANTS, or DATABASE."""
    if database:
        return [database]
    tenants = current_app.config.get("TENANTS") or {}
    if host:
        if host_name(host) not in tenants:
            raise click.ClickException(f"Fant ikke vertsnavnet {host} i TENANTS.")
        return [tenants[host_name(host)]]
    return list(tenants.values()) or [current_app.config["DATABASE"]]


def each_cli_database(host=None, database=None):
    """Open in turn each existing database a command works on: (path, db), the connection closed after."""
    for path in cli_databases(host, database):
        if not Path(path).exists():  # connecting would make an empty file, and the command fail on it
            raise click.ClickException(f"Fant ikke databasen {path}. Kjør `flask migrate` først.")
        db = connect(path)
        try:
            yield path, db
        finally:
            db.conn.close()


host_option = click.option("--host", help="Skoleeierens vertsnavn i TENANTS (standard: alle, eller DATABASE).")
database_option = click.option("--database", help="Databasefilen (standard: DATABASE, eller vertens i TENANTS).")


@click.command("migrate")
@host_option
@database_option
@with_appcontext
def migrate_command(host, database):
    """Create the database if missing, apply pending migrations, take in an old view log's lines."""
    for path in cli_databases(host, database):
        _migrate_one(path)


def _migrate_one(path):
    """`flask migrate` for one database file (each school owner's, with TENANTS)."""
    from .audit import import_view_log, old_view_log

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = connect(path)
    try:
        result = migrate(db)
        if result == "created":
            click.echo(f"Opprettet databasen {path}")
        elif result:
            click.echo(f"{path}: migrert: " + ", ".join(result))
        else:
            click.echo(f"Databasen {path} er oppdatert.")
        # an installation that kept its view log elsewhere still has FLASK_VIEW_LOG_DATABASE set
        view_log = current_app.config.get("VIEW_LOG_DATABASE") or old_view_log(path)
        if Path(view_log).exists():
            try:
                copied, kept_as = import_view_log(db, view_log)
            except sqlite3.Error as error:
                raise click.ClickException(
                    f"Kunne ikke ta inn visningsloggen {view_log} i databasens logg ({error}). "
                    "Ingen linjer er flyttet, og filen ligger der den lå.") from error
            click.echo(f"Visningsloggen {view_log} er tatt inn i databasens logg ({copied} linjer); "
                       f"filen er beholdt som {kept_as}.")
    finally:
        db.conn.close()


def init_app(app):
    """Register the connection teardown and the database commands."""
    app.before_request(check_tenant)
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    app.cli.add_command(migrate_command)
