"""The audit trail: who viewed, exported, created or changed a pupil's records.

A legal access log, in one place: every line goes to the database's
`audit_log`, append-only, at synchronous=FULL like the records themselves,
so a page viewed waits for its line to be on disk. A change's lines are
written in the same transaction as the change.

Tamper-evident: each line carries a digest of its content and of the line
before it (a hash chain), so a line changed, removed or slipped in breaks
every digest after it (`flask audit verify`). A line holds ids, times and
fixed words only, never a name or free text: records deleted under a
retention rule leave the chain whole. The newest digest is sealed daily
into a file outside the database (`flask audit seal`), so a log cut short
or written anew from some line on is caught too.
"""
import hashlib
import json
import os
import sqlite3
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_login import current_user

from . import clock
from .db import database_option, each_cli_database, get_db, host_option, transaction

COLUMNS = "at, user_id, school_id, action, entity, entity_id, pupil_id, detail"

# plain SQL: sqlite-utils' insert inspects the schema on every call, and saving
# one observation writes several audit lines
INSERT = f"INSERT INTO audit_log (id, {COLUMNS}, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
LAST_LINE = "SELECT id, digest FROM audit_log ORDER BY id DESC LIMIT 1"
GENESIS = ""  # the digest "before" the first line
# the columns holding ids, stored as integers: the digest is of what SQLite keeps
_ID_COLUMNS = (1, 2, 5, 6)  # user_id, school_id, entity_id, pupil_id (positions in COLUMNS)


def audit(action, entity, entity_id=None, *, pupil_id=None, school_id=None, detail="", db=None):
    """Append one line to the audit log (inside the caller's transaction, if any).

    :param action: view, create, update, export or delete
    :param entity: what kind of record: pupil, observation, melding, sak ...
    :param detail: ids and fixed words only (never a name or free text): the line is kept and chained for good
    """
    audit_pupils(action, entity, entity_id, [pupil_id], school_id=school_id, detail=detail, db=db)


def audit_pupils(action, entity, entity_id, pupil_ids, *, school_id=None, detail="", db=None):
    """One audit line for each pupil a record is about (one line without a pupil if none)."""
    audit_lines(action, [(entity, entity_id, pupil_id, detail) for pupil_id in pupil_ids or [None]],
                school_id=school_id, db=db)


def audit_lines(action, lines, *, school_id=None, db=None):
    """Audit lines for one action on several records, written in one statement.

    :param lines: (entity, entity_id, pupil_id, detail) for each line
    """
    user_id = school = None
    user = current_user._get_current_object()
    if user and user.is_authenticated:
        user_id = user.id
        if school_id is None and user.school_ids:
            from .scope import school_id as active_school

            school = active_school()
    school = school_id if school_id is not None else school
    at = clock.utc_iso_now()
    rows = [(at, user_id, school, action, entity, entity_id, pupil_id, detail)
            for entity, entity_id, pupil_id, detail in lines]
    db = db or get_db()
    if db.conn.in_transaction:
        # part of the caller's transaction: its records and their audit lines are written together
        append(db, rows)
    else:
        with transaction(db):
            append(db, rows)


def append(db, rows):
    """Chain and write audit lines, each (at, user_id, school_id, action, entity, entity_id, pupil_id, detail).

    Call it inside a write transaction (BEGIN IMMEDIATE holds the write lock
    from the start, so the last line read here is still the last at INSERT).
    The ids are given, not left to SQLite: two writers that read the same last
    line could never both append after it (the second's id is taken).
    """
    line_id, digest = head(db)
    chained = []
    for row in rows:
        line_id += 1
        row = stored(row)
        digest = line_digest(digest, line_id, row)
        chained.append((line_id, *row, digest))
    db.conn.executemany(INSERT, chained)


def stored(row):
    """A line's content as SQLite keeps it: ids as integers, the rest as text."""
    return tuple(None if value is None else int(value) if position in _ID_COLUMNS else str(value)
                 for position, value in enumerate(row))


def line_digest(previous, line_id, row):
    """SHA-256 of the previous line's digest and this line's id and content (COLUMNS), hex."""
    content = json.dumps([line_id, *row], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{content}".encode()).hexdigest()


# ---------------------------------------------------------------- checking the chain


def verify(db, seals=()):
    """Walk the chain from its first line: (lines found whole, the first broken one as (line id, what) or None).

    :param seals: heads sealed earlier (read_seals): each must still be in the chain, as it was
    """
    sealed = {seal.line_id: seal for seal in seals}
    previous_id, digest, whole = 0, GENESIS, 0
    for line_id, *row, kept in db.conn.execute(f"SELECT id, {COLUMNS}, digest FROM audit_log ORDER BY id"):
        if line_id != previous_id + 1:
            gap = f"{previous_id + 1}" if line_id == previous_id + 2 else f"{previous_id + 1}–{line_id - 1}"
            return whole, (previous_id + 1, f"linje {gap} mangler: slettet fra loggen")
        if kept != line_digest(digest, line_id, tuple(row)):
            return whole, (line_id, f"linje {line_id} stemmer ikke med kjeden: linjen er endret")
        seal = sealed.get(line_id)
        if seal and seal.digest != kept:
            return whole, (line_id, f"linje {line_id} er ikke den som ble forseglet {seal.sealed_at}: "
                                    "loggen er skrevet om til og med den linjen")
        previous_id, digest, whole = line_id, kept, whole + 1
    cut = min((seal for seal in seals if seal.line_id > previous_id), key=lambda seal: seal.line_id, default=None)
    if cut:
        return whole, (previous_id + 1, f"linje {cut.line_id} ble forseglet {cut.sealed_at}, men loggen slutter "
                                        f"med linje {previous_id}: loggen er avkortet")
    return whole, None


class Seal:
    """One sealed head: when, the last line's id and its digest."""

    def __init__(self, sealed_at, line_id, digest):
        self.sealed_at, self.line_id, self.digest = sealed_at, line_id, digest

    def __str__(self):
        return f"{self.sealed_at} {self.line_id} {self.digest}"


def head_file(config, database=None):
    """Where heads are sealed: AUDIT_HEAD_FILE, or `trygg-audit-head.txt` beside the database (DATABASE's)."""
    if config.get("AUDIT_HEAD_FILE"):
        return Path(config["AUDIT_HEAD_FILE"])
    path = Path(database or config["DATABASE"])
    return path.with_name(f"{path.stem}-audit-head.txt")


def read_seals(path):
    """The heads sealed in a file, oldest first (none if the file is missing)."""
    path = Path(path)
    if not path.exists():
        return []
    seals = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            sealed_at, line_id, digest = line.split()
            seals.append(Seal(sealed_at, int(line_id), digest))
        except ValueError:
            raise ValueError(f"{path}, linje {number}: ikke en forsegling («tid linje-id digest»)") from None
    return seals


def head(db):
    """The chain's head now: the last line's (id, digest), (0, GENESIS) for an empty log."""
    last = db.conn.execute(LAST_LINE).fetchone()
    return tuple(last) if last else (0, GENESIS)


def seal(db, path, now):
    """Append the chain's head, with the time, to the head file; fsync'd, as the records are. The new Seal."""
    line_id, digest = head(db)
    sealed = Seal(now, line_id, digest)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as file:
        file.write(f"{sealed}\n")
        file.flush()
        os.fsync(file.fileno())
    return sealed


# ---------------------------------------------------------------- `flask audit verify` and `flask audit seal`

audit_cli = AppGroup("audit", help="Check the audit log's chain, and seal its head in a file outside the database.")
HEAD_FILE_OPTION = click.option("--head-file", "head_path", type=click.Path(dir_okay=False),
                                help="The file of sealed heads (default: AUDIT_HEAD_FILE, else beside the database).")
SEAL_DAYS = 2  # a newest seal older than this: the daily seal is not running


def _checked(db, path):
    """Verify the chain against the file's seals; a ClickException (exit 1) naming the first broken line."""
    try:
        seals = read_seals(path)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    whole, broken = verify(db, seals)
    if broken:
        raise click.ClickException(f"Revisjonsloggen er brutt ved linje {broken[0]}: {broken[1]}. "
                                   f"({whole} linjer før den er hele.)")
    return whole, seals


def _chains(head_path, host, database):
    """Each database a command works on, with its head file: (database path, db, head file).

    With TENANTS every owner's database has a chain of its own, so its heads
    go beside it; one head file given (--head-file, AUDIT_HEAD_FILE) is for one database.
    """
    given = head_path or current_app.config.get("AUDIT_HEAD_FILE")
    databases = each_cli_database(host, database)
    for number, (path, db) in enumerate(databases):
        if given and number:
            databases.close()
            raise click.ClickException("Én fil med forseglede hoder gjelder én database: "
                                       "velg den med --host eller --database.")
        yield path, db, Path(head_path) if head_path else head_file(current_app.config, path)


@audit_cli.command("verify")
@HEAD_FILE_OPTION
@host_option
@database_option
def verify_command(head_path, host, database):
    """Check every line of the audit log and the sealed heads; exit 1 naming the first broken line."""
    for database_path, db, path in _chains(head_path, host, database):
        whole, seals = _checked(db, path)
        click.echo(f"{database_path}: revisjonsloggen er hel: {whole} linjer i kjeden.")
        if not seals:
            click.echo(f"Ingen forseglede hoder i {path}: bare kjeden i databasen er sjekket.")
            continue
        newest = seals[-1]
        click.echo(f"{len(seals)} forseglede hoder i {path} stemmer; det nyeste er fra {newest.sealed_at}.")
        if clock.parse(newest.sealed_at) < clock.now() - timedelta(days=SEAL_DAYS):
            click.echo(f"Advarsel: ingen forsegling de siste {SEAL_DAYS} døgnene. Kjører `flask audit seal` daglig?")


@audit_cli.command("seal")
@HEAD_FILE_OPTION
@host_option
@database_option
def seal_command(head_path, host, database):
    """Verify the chain, then append its head with the time to the head file (run daily, e.g. from cron)."""
    for database_path, db, path in _chains(head_path, host, database):
        _checked(db, path)
        if head(db)[0] == 0:  # a line "… 0 " of an empty chain would be unreadable to verify
            click.echo(f"{database_path}: revisjonsloggen er tom, det er ingenting å forsegle ennå.")
            continue
        sealed = seal(db, path, clock.utc_iso_now())
        click.echo(f"Forseglet linje {sealed.line_id} i {path}. Kopier filen til et annet sted enn databasen.")


def old_view_log(database):
    """Where an older Trygg kept the audit lines of reads, by default: `trygg.sqlite` → `trygg-views.sqlite`."""
    path = Path(database)
    return path.with_name(f"{path.stem}-views{path.suffix}")


def import_view_log(db, path):
    """Copy an old view log's lines into `audit_log`, then rename its file: (lines copied, the file's new name).

    An older Trygg kept the lines of pages viewed and documents exported in a
    second SQLite file, the view log. Its lines are appended in time order,
    their content as it was (only the ids are new); the file is kept, renamed
    `….imported`, so nothing is deleted. An import stopped before the rename
    is not copied twice: if the file's newest line is in `audit_log` already,
    only the rename is left to do.
    """
    path = Path(path)
    # lines a killed worker left in the WAL go into the file, so the file alone is the whole log
    old = sqlite3.connect(path, isolation_level=None)
    try:
        old.execute("PRAGMA journal_mode=DELETE")
    finally:
        old.close()
    db.conn.execute("ATTACH DATABASE ? AS view_log", [str(path)])
    try:
        newest = db.conn.execute(f"SELECT {COLUMNS} FROM view_log.audit_log ORDER BY id DESC LIMIT 1").fetchone()
        copied = 0
        if newest is not None and not _has_line(db, newest):
            with transaction(db):
                lines = db.conn.execute(f"SELECT {COLUMNS} FROM view_log.audit_log ORDER BY at, id").fetchall()
                append(db, lines)
                copied = len(lines)
    finally:
        db.conn.execute("DETACH DATABASE view_log")
    kept_as = _unused(path.with_name(path.name + ".imported"))
    path.rename(kept_as)
    return copied, kept_as


def _has_line(db, line):
    """Whether `audit_log` has a line with this content (columns COLUMNS; NULLs equal)."""
    condition = " AND ".join(f"{column} IS ?" for column in COLUMNS.split(", "))
    return db.conn.execute(f"SELECT 1 FROM main.audit_log WHERE {condition} LIMIT 1", line).fetchone() is not None


def _unused(path):
    """`path`, or `path-2`, `path-3` … if it is taken: an earlier import's file is never overwritten."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}-{number}")
    return candidate
