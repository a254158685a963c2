"""`flask backup` and `flask restore`: SQLite's online backup API, safe while the server runs.

A backup is a consistent copy of the database at one moment, taken page by page
by SQLite itself (sqlite3.Connection.backup) while the workers keep writing; it is
written beside its destination, checked with `PRAGMA integrity_check`, synced and
only then renamed into place, so a half-written backup never carries the name.
A restore copies the other way through the same API: the running workers see the
old database or the restored one, never a mix. It refuses to overwrite a database
holding records unless told --force, and then keeps the database it replaces.
Continuous replication in production is Litestream's (README, litestream.yml).
"""
import os
import sqlite3
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .db import cli_databases, connect, database_option, host_name, host_option

# the tables whose rows a backup is judged by (printed after each copy)
COUNTED = ("school", "user", "pupil", "observation", "melding", "sak", "audit_log")


def integrity(path):
    """`PRAGMA integrity_check` of the file at `path`: "ok" or SQLite's list of problems."""
    try:
        with closing(sqlite3.connect(path)) as conn:
            return "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
    except sqlite3.DatabaseError as error:  # not a database at all
        return str(error)


def counts(path):
    """Rows in each counted table (those present) of the database at `path`."""
    with closing(sqlite3.connect(path)) as conn:
        present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in COUNTED if table in present}


def _copy(source, destination):
    """Copy the database `source` into `destination` with SQLite's online backup, in one step."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(destination)) as dst:
        # busy timeout: a restore waits for a worker's write to end instead of failing
        dst.execute("PRAGMA busy_timeout = 10000")
        src.backup(dst)


def backup(source, destination):
    """A checked copy of the live database `source` at `destination`; its counts."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".delvis")
    partial.unlink(missing_ok=True)
    _copy(source, str(partial))
    with closing(sqlite3.connect(partial)) as conn:
        # the copy in one file, without a -wal beside it: a file to move, mail or restore from
        conn.execute("PRAGMA journal_mode = DELETE")
    problems = integrity(partial)
    if problems != "ok":
        partial.unlink()
        raise click.ClickException(f"Kopien av {source} besto ikke integritetskontrollen: {problems}")
    with open(partial, "rb+") as file:
        os.fsync(file.fileno())
    os.replace(partial, destination)
    return counts(destination)


def restore(source, destination, force=False):
    """Bring the backup `source` back as the database `destination`; the file the old one was kept in, if any."""
    problems = integrity(source)
    if problems != "ok":
        raise click.ClickException(f"{source} besto ikke integritetskontrollen ({problems}); ingenting er endret.")
    kept = None
    if Path(destination).exists() and any(counts(destination).values()):
        if not force:
            raise click.ClickException(
                f"{destination} inneholder allerede data. Gjenoppretting erstatter alt i den: bruk --force "
                "(den nåværende databasen tas vare på ved siden av først).")
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        kept = f"{destination}.før-gjenoppretting-{stamp}"
        backup(destination, kept)
    else:
        Path(destination).parent.mkdir(parents=True, exist_ok=True)
    _copy(source, destination)
    # the restored file gets Trygg's pragmas (WAL above all) as the server opens it
    connect(destination).conn.close()
    problems = integrity(destination)
    if problems != "ok":
        raise click.ClickException(f"Den gjenopprettede {destination} besto ikke integritetskontrollen: {problems}")
    return kept


def _summary(numbers):
    """Counts as one line: 'observation 12, melding 3, …'."""
    return ", ".join(f"{table} {count}" for table, count in numbers.items())


@click.command("backup")
@click.argument("dest")
@host_option
@database_option
@with_appcontext
def backup_command(dest, host, database):
    """Take a consistent copy of the database to DEST while the server runs (a folder with TENANTS)."""
    paths = cli_databases(host, database)
    tenants = {path: name for name, path in (current_app.config.get("TENANTS") or {}).items()}
    for path in paths:
        target = Path(dest)
        if len(paths) > 1:  # every school owner's database, one file each, named by host
            target = target / f"{host_name(tenants[path])}.sqlite"
        numbers = backup(path, target)
        click.echo(f"Sikkerhetskopi av {path} i {target}: integritet ok; {_summary(numbers)}")


@click.command("restore")
@click.argument("src")
@host_option
@database_option
@click.option("--force", is_flag=True, help="Erstatt en database som har data (den tas vare på ved siden av).")
@with_appcontext
def restore_command(src, host, database, force):
    """Restore the database from the backup SRC (refuses to replace one with data without --force)."""
    paths = cli_databases(host, database)
    if len(paths) != 1:
        raise click.ClickException("Velg hvilken database som skal gjenopprettes: --host eller --database.")
    kept = restore(src, paths[0], force)
    if kept:
        click.echo(f"Den forrige databasen er tatt vare på i {kept}")
    click.echo(f"Gjenopprettet {paths[0]} fra {src}: integritet ok; {_summary(counts(paths[0]))}")


def init_app(app):
    """Register the commands."""
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
