"""Hotspots' SQL: the school's records for a filter, the tilsyn records beside them, and what has changed."""
from datetime import timedelta

from .. import clock
from ..confidential import visible_to

# the columns every aggregation reads; the rest of a record stays in the database
COLUMNS = ("observation.id, observation.kind, observation.observed_at, observation.zone_id, "
           "observation.map_x, observation.map_y, observation.labels, observation.context")


def since(period, now):
    """The UTC timestamp a period ('7', '30' … days back, '' for all) starts at, or None."""
    if not period:
        return None
    start = now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=int(period) - 1)
    return clock.to_utc_iso(start)


def _where(school_id, filters, now):
    """The SQL conditions and parameters of a filter (everything but kind, weekday and slot: rules.keep)."""
    where = ["observation.school_id = :school", visible_to("observation")]
    params = {"school": school_id}
    if start := since(filters.get("periode"), now):
        where.append("observation.observed_at >= :since")
        params["since"] = start
    if filters.get("label"):
        where.append("EXISTS (SELECT 1 FROM json_each(observation.labels) WHERE value = :label)")
        params["label"] = filters["label"]
    if filters.get("kontekst"):
        where.append("observation.context = :context")
        params["context"] = filters["kontekst"]
    if filters.get("klasse"):
        where.append("EXISTS (SELECT 1 FROM observation_pupil WHERE observation_pupil.observation_id = "
                     "observation.id AND observation_pupil.class_id = :class)")
        params["class"] = filters["klasse"]
    return " AND ".join(where), params


KEYS = ("id", "kind", "observed_at", "zone_id", "map_x", "map_y", "labels", "context")


def records(db, school_id, filters, now, kind=None):
    """The school's records for a filter, of one kind or both (the 5:1 balance needs both).

    Labels stay JSON text: only the Big 5 reads them (rules.big_five decodes them).
    """
    where, params = _where(school_id, filters, now)
    if kind:
        where += " AND observation.kind = :kind"
        params["kind"] = kind
    rows = db.conn.execute(f"SELECT {COLUMNS} FROM observation WHERE {where}", params).fetchall()
    return [dict(zip(KEYS, row)) for row in rows]


def pupil_links(db, school_id, filters, now, kind=None):
    """(observation_id, pupil_id) of the filter's records (of one kind), for the counts per pupil."""
    where, params = _where(school_id, filters, now)
    if kind:
        where += " AND observation.kind = :kind"
        params["kind"] = kind
    return db.conn.execute(
        "SELECT observation_pupil.observation_id, observation_pupil.pupil_id FROM observation_pupil "
        f"JOIN observation ON observation.id = observation_pupil.observation_id WHERE {where}", params).fetchall()


def pupil_names(db, pupil_ids):
    """The pupils' names with their classes ('Aksel Andersen, 5A'), by id."""
    ids = list(pupil_ids)
    if not ids:
        return {}
    rows = db.conn.execute(
        "SELECT pupil.id, pupil.full_name, coalesce(school_class.name, '') FROM pupil "
        "LEFT JOIN school_class ON school_class.id = pupil.class_id "
        f"WHERE pupil.id IN ({','.join('?' * len(ids))})", ids).fetchall()
    return {pupil_id: f"{name}, {class_name}" if class_name else name for pupil_id, name, class_name in rows}


def duty_sessions(db, school_id, filters, now):
    """The duties carried out in the filter's period (the tilsyn records)."""
    where, params = "school_id = :school", {"school": school_id}
    if start := since(filters.get("periode"), now):
        where += " AND duty_date >= :day"
        params["day"] = clock.local(start).date().isoformat()
    return list(db.query(f"SELECT zone_id, started_at, ended_at, planned_end_at FROM duty_session WHERE {where}",
                         params))


def records_marker(db, school_id):
    """What the school has recorded, in three numbers: a new record, a correction or a deletion changes them.

    Every correction writes a revision (capture/store.py); the retention run deletes old notes
    (retention/), which the school's count of records shows. The school's latest record and count come
    from an index, and the latest revision anywhere (any school's: a rare extra drawing), without reading
    the year's rows.
    """
    latest, count = db.conn.execute("SELECT max(id), count(*) FROM observation WHERE school_id = ?",
                                    [school_id]).fetchone()
    return (latest, count, db.conn.execute("SELECT max(id) FROM observation_revision").fetchone()[0])


def observations_by_id(db, ids):
    """The records behind a table cell, newest first, with their zones' names."""
    ids = list(ids)
    if not ids:
        return []
    return list(db.query(
        "SELECT observation.*, coalesce(zone.name, '') AS zone_name FROM observation "
        "LEFT JOIN zone ON zone.id = observation.zone_id "
        f"WHERE observation.id IN ({','.join('?' * len(ids))}) ORDER BY observation.observed_at DESC", ids))


def rostered_zones(db, school_id, day):
    """The zones the tilsynsplan in force on a day puts someone in, at any slot."""
    return {row[0] for row in db.conn.execute(
        "SELECT DISTINCT zone_id FROM duty_assignment WHERE school_id = :school AND valid_from <= :day "
        "AND (valid_to IS NULL OR valid_to >= :day)", {"school": school_id, "day": day.isoformat()})}
