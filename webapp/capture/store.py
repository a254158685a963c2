"""Reading and writing observations, pupil notes and meldinger for capture.

Functions take the database and the school explicitly, so views, demo data
and the benchmark store records the same way. Callers wrap writes in
`transaction()`; the functions here open one too (a savepoint when nested).
"""
import json
from collections import namedtuple
from datetime import timedelta

from .. import clock
from ..confidential import owners_only
from ..db import one, scalar, transaction
from ..duty.store import current_duty_session
from ..school.store import zone_name
from . import rules


class Conflict(Exception):
    """The same form id was used before with different content."""

    def __init__(self, observation_id):
        super().__init__(observation_id)
        self.observation_id = observation_id


class Stale(Exception):
    """A correction made from an older version: the record was changed since the form was opened."""

    def __init__(self, version):
        super().__init__(version)
        self.version = version


# what a correction changed: the pupils before, the melding before (None if there was none) and after
Correction = namedtuple("Correction", "pupils_before melding_before melding")


def duty_in_progress(db, user_id, school, now):
    """The user's duty in progress at this school, or None.

    Tilsyn decides what is in progress (`current_duty_session`, which also ends
    duties the clock has ended); capture only keeps it to the active school.
    """
    duty = current_duty_session(db, user_id, now)
    return duty if duty is not None and duty["school_id"] == school else None


def duty_session_of(db, user_id, school, duty_session_id):
    """One of the user's own duty sessions at the school, or None."""
    return one(db, "SELECT * FROM duty_session WHERE id = ? AND user_id = ? AND school_id = ?",
               [duty_session_id, user_id, school])


def recent_pupils(db, author_id, school, now, limit=12):
    """The pupils this person recorded most recently, newest first (from their latest records).

    One walk down the author's records, newest first, straight from the index with the
    pupils' names joined in: it stops at the limit, or after RECENT_RECORDS records,
    without sorting or fetching names apart. Pupils who have left the school are skipped.
    """
    since = clock.to_utc_iso(now - timedelta(days=rules.RECENT_PUPILS_DAYS))
    newest_first = db.conn.execute(
        "SELECT observation.id, pupil.id, pupil.full_name, school_class.name FROM observation "
        "LEFT JOIN observation_pupil ON observation_pupil.observation_id = observation.id "
        "LEFT JOIN pupil ON pupil.id = observation_pupil.pupil_id AND pupil.school_id = ?1 AND pupil.active "
        "LEFT JOIN school_class ON school_class.id = pupil.class_id "
        "WHERE observation.author_id = ?2 AND observation.school_id = ?1 AND observation.observed_at >= ?3 "
        "ORDER BY observation.observed_at DESC", [school, author_id, since])
    records, found = set(), {}
    try:
        for observation_id, pupil_id, full_name, class_name in newest_first:
            if observation_id not in records:
                if len(records) == rules.RECENT_RECORDS:
                    break
                records.add(observation_id)
            if pupil_id is not None and pupil_id not in found:
                found[pupil_id] = {"id": pupil_id, "full_name": full_name, "class_name": class_name}
                if len(found) == limit:
                    break
    finally:
        newest_first.close()  # ends the read at once, not when the cursor is collected
    return list(found.values())


def last_context(db, author_id, school):
    """The context of the author's latest record at the school ("" if none): the form offers it first."""
    return scalar(db, "SELECT context FROM observation WHERE author_id = ? AND school_id = ? "
                      "ORDER BY observed_at DESC LIMIT 1", [author_id, school]) or ""


def observation_pupils(db, observation_id):
    """The pupils of an observation with their roles and names."""
    return list(db.query(
        "SELECT observation_pupil.pupil_id, observation_pupil.role, pupil.full_name, "
        "school_class.name AS class_name FROM observation_pupil "
        "JOIN pupil ON pupil.id = observation_pupil.pupil_id "
        "LEFT JOIN school_class ON school_class.id = pupil.class_id "
        "WHERE observation_pupil.observation_id = ? ORDER BY observation_pupil.role, pupil.full_name",
        [observation_id]))


def melding_of(db, observation_id):
    """The melding made from an observation, with who acknowledged it, or None."""
    return one(db, "SELECT melding.*, user.full_name AS acknowledged_by_name FROM melding "
                   "LEFT JOIN user ON user.id = melding.acknowledged_by WHERE melding.observation_id = ?",
               [observation_id])


def only_owners_see(db, observation_id):
    """Whether only school owners may see the observation: the melding made from it is about a leader."""
    return scalar(db, f"SELECT 1 FROM observation WHERE id = ? AND {owners_only('observation')}",
                  [observation_id]) is not None


def note_count(db, observation_id):
    """How many notes in pupils' files were made from the observation."""
    return scalar(db, "SELECT count(*) FROM pupil_note WHERE observation_id = ?", [observation_id])


def revision_count(db, observation_id):
    """How many earlier versions of the observation are kept (one per correction)."""
    return scalar(db, "SELECT count(*) FROM observation_revision WHERE observation_id = ?", [observation_id])


def _insert(db, table, row):
    """Insert one row with plain SQL (the hot path of saving skips sqlite-utils' introspection)."""
    columns = ", ".join(row)
    marks = ", ".join("?" * len(row))
    return db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values())).lastrowid


def _insert_roles(db, table, key, record_id, pupils):
    """The pupils of an observation or melding with their roles."""
    db.conn.executemany(f"INSERT INTO {table} ({key}, pupil_id, role) VALUES (?, ?, ?)",
                        [(record_id, pupil_id, role) for pupil_id, role in pupils])


def _observation_columns(record):
    """The observation table's columns for a checked record."""
    return {
        "observed_at": clock.to_utc_iso(record["observed_at"]),
        "kind": record["kind"],
        "context": record["context"],
        "zone_id": record["zone_id"],
        "map_x": record["map_x"],
        "map_y": record["map_y"],
        "offence_types": json.dumps(record["offence_types"]),
        "labels": json.dumps(record["labels"]),
        "intervened": record["intervened"],
        "outcome": record["outcome"],
        "facts": record["facts"],
        "comment": record["comment"],
        "adult_involved": record["adult_involved"],
        "pupils_unclear": record["pupils_unclear"],
    }


def save_observation(db, *, school, author, record, client_id, now, duty_session_id=None, audit=None):
    """Store a new observation once per (author, form id), with its notes or melding.

    :param author: the author's user row (id, full_name)
    :param audit: called as audit(observation_id, made) in the same transaction when the record
        is new, `made` being what _follow_up made; a record and its audit lines are written together
    :returns: (observation_id, created) — created is False for a resend of the same content
    :raises Conflict: the form id was used before with different content
    """
    fingerprint = rules.content_hash(record)
    with transaction(db):
        # BEGIN IMMEDIATE holds the write lock, so no other save slips in between
        existing = one(db, "SELECT id, content_hash FROM observation WHERE author_id = ? AND client_id = ?",
                       [author["id"], client_id])
        if existing is not None:
            if existing["content_hash"] != fingerprint:
                raise Conflict(existing["id"])
            return existing["id"], False
        stamp = clock.to_utc_iso(now)
        observation_id = _insert(db, "observation", {
            "school_id": school, "author_id": author["id"], "client_id": client_id,
            "content_hash": fingerprint, "recorded_at": stamp, "updated_at": stamp,
            "duty_session_id": duty_session_id, "version": 1, **_observation_columns(record),
        })
        _store_pupils(db, observation_id, record["pupils"], new=True)
        made = _follow_up(db, observation_id, school, author, record, now)
        if audit is not None:
            audit(observation_id, made)
    return observation_id, True


def _store_pupils(db, observation_id, pupils, new=False):
    """Replace the pupils of an observation (a new one has none to remove)."""
    if not new:
        db.execute("DELETE FROM observation_pupil WHERE observation_id = ?", [observation_id])
    # with the observation's time and kind and the pupil's class copied in (schema.sql): inserted
    # by the triggers instead, each row and its indexes would be written twice per save
    db.conn.executemany(
        "INSERT INTO observation_pupil (observation_id, pupil_id, role, observed_at, kind, class_id) "
        "VALUES (?1, ?2, ?3, (SELECT observed_at FROM observation WHERE id = ?1), "
        "(SELECT kind FROM observation WHERE id = ?1), (SELECT class_id FROM pupil WHERE id = ?2))",
        [(observation_id, pupil_id, role) for pupil_id, role in pupils])


def _follow_up(db, observation_id, school, author, record, now):
    """What was done: notes in the pupils' files, or a melding to leadership.

    :returns: what was made: {"melding": melding id} or {"notes": [(note id, pupil id), ...]}, or {}
    """
    if rules.makes_melding(record):
        melding_id, _ = create_melding(db, observation_id, school, author, record, now)
        return {"melding": melding_id}
    if record["kind"] != "concern" or record["outcome"] != "solved":
        return {}
    place = zone_name(db, record["zone_id"])
    stamp = clock.to_utc_iso(now)
    notes = []
    for pupil_id, role in record["pupils"]:
        notes.append((_insert(db, "pupil_note", {
            "school_id": school, "pupil_id": pupil_id, "observation_id": observation_id,
            "author_id": author["id"], "created_at": stamp,
            "text": rules.pupil_note_text(record, role, zone_name=place, author_name=author["full_name"]),
        }), pupil_id))
    return {"notes": notes}


def create_melding(db, observation_id, school, author, record, now):
    """A melding to the school's leadership with the facts of the record; one per observation."""
    with transaction(db):
        existing = scalar(db, "SELECT id FROM melding WHERE observation_id = ?", [observation_id])
        if existing:
            return existing, False
        melding_id = _insert(db, "melding", {
            "school_id": school, "observation_id": observation_id, "author_id": author["id"],
            "created_at": clock.to_utc_iso(now), "source": "ansatt", "channel": "trygg",
            "summary": rules.melding_summary(record, zone_name=zone_name(db, record["zone_id"]),
                                             author_name=author["full_name"]),
            "section_12_5": record["section_12_5"], "concerns_leader": record["concerns_leader"],
            "adult_involved": record["adult_involved"], "status": "ny",
        })
        _insert_roles(db, "melding_pupil", "melding_id", melding_id, record["pupils"])
    return melding_id, True


def snapshot(observation, pupils):
    """The JSON kept in observation_revision: the record and its pupils before a change."""
    return json.dumps({"observation": observation,
                       "pupils": [{"pupil_id": p["pupil_id"], "role": p["role"]} for p in pupils]},
                      ensure_ascii=False, sort_keys=True)


def correct_observation(db, *, observation_id, version, author, record, now):
    """Replace an observation with a corrected version, keeping the earlier one in its history.

    The version the form was opened at is checked inside the write transaction
    (BEGIN IMMEDIATE), so of corrections sent at once exactly one is saved.
    Notes made from it follow the new pupils; a melding made from it keeps
    existing (a melding is never withdrawn by a correction, nor made less
    than § 12-5) but its pupils and summary follow the record.

    :param version: the version the correction was made from (the form's)
    :returns: a Correction, or None when this very correction was already saved (a double tap)
    :raises Stale: the record has changed since that version
    """
    with transaction(db):
        observation = one(db, "SELECT * FROM observation WHERE id = ?", [observation_id])
        pupils = observation_pupils(db, observation_id)
        melding = melding_of(db, observation_id)
        if str(observation["version"]) != str(version):
            if rules.content_hash(rules.record_from_row(observation, pupils, melding)) == rules.content_hash(record):
                return None  # the same correction again: the first one saved it
            raise Stale(observation["version"])
        db["observation_revision"].insert({
            "observation_id": observation_id, "version": observation["version"],
            "changed_at": clock.to_utc_iso(now), "changed_by": author["id"],
            "snapshot": snapshot(observation, pupils),
        })
        db["observation"].update(observation_id, {
            **_observation_columns(record), "updated_at": clock.to_utc_iso(now),
            "version": observation["version"] + 1})
        _store_pupils(db, observation_id, record["pupils"])
        db.execute("DELETE FROM pupil_note WHERE observation_id = ?", [observation_id])
        if melding is None:
            _follow_up(db, observation_id, observation["school_id"], author, record, now)
        else:
            db["melding"].update(melding["id"], {
                "summary": rules.melding_summary(record, zone_name=zone_name(db, record["zone_id"]),
                                                 author_name=author["full_name"]),
                "section_12_5": max(melding["section_12_5"], record["section_12_5"]),
                "concerns_leader": max(melding["concerns_leader"], record["concerns_leader"]),
                "adult_involved": record["adult_involved"] or melding["adult_involved"]})
            db.execute("DELETE FROM melding_pupil WHERE melding_id = ?", [melding["id"]])
            _insert_roles(db, "melding_pupil", "melding_id", melding["id"], record["pupils"])
        return Correction(pupils, melding, melding_of(db, observation_id))


def delete_observation(db, observation_id):
    """Delete an observation with its notes and earlier versions (retention: a note "løst der og da" that is due).

    Inside the caller's transaction; its pupils and dropped log entries go with it (ON DELETE CASCADE).
    """
    db.execute("DELETE FROM pupil_note WHERE observation_id = ?", [observation_id])
    db.execute("DELETE FROM observation_revision WHERE observation_id = ?", [observation_id])
    db.execute("DELETE FROM observation WHERE id = ?", [observation_id])


def has_meldinger(db, author_id, school):
    """Whether any of the author's records at the school became a melding to leadership."""
    return scalar(db, "SELECT 1 FROM melding WHERE author_id = ? AND school_id = ? AND "
                      "observation_id IS NOT NULL LIMIT 1", [author_id, school]) is not None


def my_records(db, author_id, school, limit=20, meldinger_only=False):
    """The author's latest records with place, pupils and the state of any melding (or only those with one)."""
    rows = list(db.query(
        "SELECT observation.*, zone.name AS zone_name, melding.id AS melding_id, "
        "melding.status AS melding_status, melding.acknowledged_at, melding.section_12_5, "
        "acknowledger.full_name AS acknowledged_by_name FROM observation "
        "LEFT JOIN zone ON zone.id = observation.zone_id "
        "LEFT JOIN melding ON melding.observation_id = observation.id "
        "LEFT JOIN user AS acknowledger ON acknowledger.id = melding.acknowledged_by "
        "WHERE observation.author_id = ? AND observation.school_id = ? "
        + ("AND melding.id IS NOT NULL " if meldinger_only else "")
        + "ORDER BY observation.observed_at DESC, observation.id DESC LIMIT ?", [author_id, school, limit]))
    if not rows:
        return rows
    ids = [row["id"] for row in rows]
    marks = ",".join("?" * len(ids))
    names = {}
    for pupil in db.query(
            "SELECT observation_pupil.observation_id, observation_pupil.role, pupil.full_name "
            "FROM observation_pupil JOIN pupil ON pupil.id = observation_pupil.pupil_id "
            f"WHERE observation_pupil.observation_id IN ({marks}) ORDER BY pupil.full_name", ids):
        names.setdefault(pupil["observation_id"], []).append(pupil)
    for row in rows:
        row["pupils"] = names.get(row["id"], [])
    return rows
