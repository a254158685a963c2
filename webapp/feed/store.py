"""The shared records (observations, notes, meldinger) as leadership reads them.

The feed of meldinger and incidents with its filters, the pupil chronology,
and the one writer of a melding a leader enters for someone else (a staff
member's melding is capture's: webapp/capture/store.py). Codes and their
names (labels, roles, contexts) are capture's.
"""
import hashlib
import json
from datetime import timedelta

from .. import clock, submissions
from ..capture import rules as capture_rules
from ..confidential import owners_only, visible_to
from ..db import one, scalar
from ..retention import rules as retention_rules
from ..school.store import user_names
from ..scope import parse_id
from . import rules as patterns

PAGE_SIZE = 25

# an incident's status says what became of it ("hendelse": neither solved on the spot nor sent as a
# melding), not "Hendelse" again next to the item's heading "Hendelse"
STATUS_LABELS = {"ny": "Ny – ikke mottatt", "mottatt": "Mottatt", "lukket": "Lukket",
                 "sak": "Sak opprettet", "hendelse": "Uten melding", "lost": capture_rules.OUTCOMES["solved"]}

CHANNEL_LABELS = {"trygg": "Trygg", "e-post": "e-post", "telefon": "telefon",
                  "utviklingssamtale": "utviklingssamtale", "mobbeknapp": "mobbeknappen",
                  "oppmøte": "oppmøte"}

SOURCE_LABELS = {"ansatt": "ansatt", "elev": "elev", "foresatt": "foresatte", "annen": "annen"}

# codes and their names are capture's (webapp/capture/rules.py), never spelled again here
LABELS = capture_rules.LABELS            # what the feed filters on: the labels of a concern

LABEL_NAMES = capture_rules.ALL_LABELS   # what is shown: positive labels too

OFFENCE_LABELS = {code: name.lower() for code, (name, _) in capture_rules.OFFENCE_TYPES.items()}

CONTEXT_LABELS = capture_rules.CONTEXTS

ROLE_LABELS = {code: name.lower() for code, name in capture_rules.ROLES.items()}

PERIODS = {"1": "I dag", "7": "Siste 7 dager", "30": "Siste 30 dager", "365": "Siste år"}


def enter_melding(db, *, school, author_id, pupils, summary, source, channel, now, raised_by="",
                  received_on=None, received_by_id=None, section_12_5=False, concerns_leader=False,
                  adult_involved="", client_id=None):
    """Store a melding a leader enters for a pupil, parents or another adult (/meldinger/ny); call inside a transaction.

    Entered by a leader, it is received by leadership at once, unless it is about a leader (§ 12-5):
    then it goes to the school owner, who has not received it yet. With a form id, a resend of the
    same form gives the melding the first one made (a double tap makes one melding).

    :param pupils: {pupil id: role}: the pupil it is about "utsatt", others it names "utøver"
    :returns: (melding row, created)
    """
    if client_id is not None:
        earlier = submissions.earlier(db, author_id, "melding", client_id)
        if earlier is not None:
            return one(db, "SELECT * FROM melding WHERE id = ?", [earlier]), False
    to_owner_only = bool(section_12_5 and concerns_leader)
    stamp = clock.to_utc_iso(now)
    melding_id = db.execute(
        "INSERT INTO melding (school_id, author_id, created_at, source, channel, raised_by, received_on, "
        "received_by_id, summary, section_12_5, concerns_leader, adult_involved, status, acknowledged_at, "
        "acknowledged_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [school, author_id, stamp, source, channel, raised_by,
         (received_on or clock.local(now).date()).isoformat(), received_by_id or author_id, summary,
         int(bool(section_12_5)), int(to_owner_only), adult_involved if section_12_5 else "",
         "ny" if to_owner_only else "mottatt", None if to_owner_only else stamp,
         None if to_owner_only else author_id]).lastrowid
    db.conn.executemany("INSERT INTO melding_pupil (melding_id, pupil_id, role) VALUES (?, ?, ?)",
                        [(melding_id, pupil_id, role) for pupil_id, role in pupils.items()])
    if client_id is not None:
        submissions.remember(db, author_id, "melding", client_id, melding_id)
    return one(db, "SELECT * FROM melding WHERE id = ?", [melding_id]), True


def parse_filters(db, school_id, args):
    """The feed's filters from request args, keeping only values that make sense (ids: the school's own)."""
    status = args.get("status", "")
    kind = args.get("type", "")
    period = args.get("periode", "")
    return {
        "status": status if status in STATUS_LABELS else "",
        "type": kind if kind in ("melding", "hendelse", "12-5") or kind in LABELS else "",
        "klasse": _school_row_id(db, "school_class", school_id, args.get("klasse")),
        "elev": _school_row_id(db, "pupil", school_id, args.get("elev")),
        "sone": _school_row_id(db, "zone", school_id, args.get("sone")),
        "periode": period if period in PERIODS else "",
        # "clean slate": this and last school year unless older is asked for (retention/rules.py)
        "eldre": "1" if retention_rules.wants_older(args) else "",
    }


def _school_row_id(db, table, school_id, value):
    """The id asked for if it is a row of the school's table, else 0 (no filter)."""
    row_id = parse_id(value)
    if row_id is None:
        return 0
    return row_id if scalar(db, f"SELECT 1 FROM {table} WHERE school_id = ? AND id = ?", [school_id, row_id]) else 0


def _period_start(period, now):
    """The UTC timestamp a period filter starts at ('1' = since midnight today, Oslo)."""
    if not period:
        return None
    days = int(period)
    start = now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=days - 1)
    return clock.to_utc_iso(start)


def feed_items(db, school_id, filters, now, page=1, hide_concerns_leader=True):
    """One page of the feed, newest first: meldinger and incidents (concerns without a melding).

    Each side is limited before the two are merged, so the cost of a page does
    not grow with the number of records the school has. The items come with
    names but without their pupils: `hydrate` adds those when the page is shown
    (a poll that finds the page unchanged never needs them).
    """
    want = page * PAGE_SIZE + 1
    since = max(filter(None, [_period_start(filters.get("periode"), now),
                              None if filters.get("eldre") else retention_rules.clean_slate_since(now)]),
                default=None)
    status, kind = filters.get("status"), filters.get("type")
    sides = []
    params = {"school": school_id, "want": want}
    if since:
        params["since"] = since
    label = kind if kind in LABELS else None
    if label:
        params["label"] = label

    if kind in ("", "melding", "12-5") or label:
        if status not in ("hendelse", "lost"):
            where = ["melding.school_id = :school"]
            if hide_concerns_leader:
                where.append(f"NOT {owners_only('melding')}")
            if status:
                where.append("melding.status = :status")
                params["status"] = status
            if kind == "12-5":
                where.append("melding.section_12_5")
            if label:
                where.append("(EXISTS (SELECT 1 FROM json_each(observation.labels) WHERE value = :label)"
                             + (" OR melding.section_12_5" if label == "ansatt_krenker_elev" else "") + ")")
            if since:
                where.append("melding.created_at >= :since")
            if filters.get("sone"):
                where.append("observation.zone_id = :zone")
                params["zone"] = filters["sone"]
            if filters.get("elev"):
                where.append("melding.id IN (SELECT melding_id FROM melding_pupil WHERE pupil_id = :pupil)")
                params["pupil"] = filters["elev"]
            if filters.get("klasse"):
                where.append("melding.id IN (SELECT melding_id FROM melding_pupil JOIN pupil "
                             "ON pupil.id = melding_pupil.pupil_id WHERE pupil.class_id = :class)")
                params["class"] = filters["klasse"]
            sides.append(
                "SELECT * FROM (SELECT 'melding' AS item, melding.id, melding.created_at AS at, "
                "melding.author_id, melding.status, melding.section_12_5, melding.acknowledged_at, "
                "melding.acknowledged_by, melding.channel, melding.source, melding.observation_id, "
                "observation.zone_id, observation.map_x, observation.map_y, observation.context, "
                "coalesce(observation.labels, '[]') AS labels, "
                "coalesce(observation.offence_types, '[]') AS offence_types, "
                "substr(coalesce(nullif(melding.summary, ''), observation.facts, ''), 1, 160) AS excerpt "
                "FROM melding LEFT JOIN observation ON observation.id = melding.observation_id "
                f"WHERE {' AND '.join(where)} ORDER BY melding.created_at DESC LIMIT :want)")

    if kind in ("", "hendelse") or label:
        if status in ("", "hendelse", "lost"):
            where = ["observation.school_id = :school", "observation.kind = 'concern'",
                     "NOT EXISTS (SELECT 1 FROM melding WHERE melding.observation_id = observation.id)"]
            source, at, order = "observation", "observation.observed_at", "observation.observed_at DESC"
            if filters.get("elev") or filters.get("klasse"):
                # the pupil's or the class's records newest first, from observation_pupil's index by
                # (pupil or class, time): the walk stops when a page is full instead of collecting
                # and sorting their whole history
                source = "observation_pupil JOIN observation ON observation.id = observation_pupil.observation_id"
                at = "observation_pupil.observed_at"
                order = f"{at} DESC, observation_pupil.observation_id DESC"
            if filters.get("elev"):
                where.append("observation_pupil.pupil_id = :pupil")
                params["pupil"] = filters["elev"]
            if filters.get("klasse"):
                params["class"] = filters["klasse"]
                if filters.get("elev"):
                    # the pupil's records that are also about someone in the class
                    where.append("EXISTS (SELECT 1 FROM observation_pupil AS classmate "
                                 "WHERE classmate.observation_id = observation.id AND classmate.class_id = :class)")
                else:
                    # a record about several of the class's pupils is taken once, at the first of them;
                    # the index by (class, kind, time) walks the class's concerns only
                    where += ["observation_pupil.class_id = :class", "observation_pupil.kind = 'concern'",
                              "NOT EXISTS (SELECT 1 FROM observation_pupil AS classmate "
                              "WHERE classmate.observation_id = observation_pupil.observation_id "
                              "AND classmate.class_id = :class AND classmate.pupil_id < observation_pupil.pupil_id)"]
            if status == "lost":
                where.append("observation.outcome = 'solved'")
            elif status == "hendelse":
                where.append("coalesce(observation.outcome, '') != 'solved'")
            if label:
                where.append("EXISTS (SELECT 1 FROM json_each(observation.labels) WHERE value = :label)")
            if since:
                where.append(f"{at} >= :since")
            if filters.get("sone"):
                where.append("observation.zone_id = :zone")
                params["zone"] = filters["sone"]
            sides.append(
                "SELECT * FROM (SELECT 'hendelse' AS item, observation.id, observation.observed_at AS at, "
                "observation.author_id, CASE observation.outcome WHEN 'solved' THEN 'lost' "
                "ELSE 'hendelse' END AS status, 0 AS section_12_5, NULL AS acknowledged_at, "
                "NULL AS acknowledged_by, NULL AS channel, NULL AS source, observation.id AS observation_id, "
                "observation.zone_id, observation.map_x, observation.map_y, observation.context, "
                "observation.labels, observation.offence_types, substr(observation.facts, 1, 160) AS excerpt "
                f"FROM {source} WHERE {' AND '.join(where)} ORDER BY {order} LIMIT :want)")

    if not sides:
        return [], False
    # the page's rows (and one more, to know whether there are older ones) with their names
    # joined in: zone, author and acknowledger in the same query, not one look-up each
    params.update(start=(page - 1) * PAGE_SIZE, rows=PAGE_SIZE + 1)
    items = list(db.query(
        "SELECT feed.*, coalesce(zone.name, '') AS zone, coalesce(author.full_name, '') AS author, "
        "coalesce(acknowledger.full_name, '') AS acknowledged_by_name FROM ("
        + " UNION ALL ".join(sides) + " ORDER BY at DESC, id DESC LIMIT :rows OFFSET :start) AS feed "
        "LEFT JOIN zone ON zone.id = feed.zone_id LEFT JOIN user AS author ON author.id = feed.author_id "
        "LEFT JOIN user AS acknowledger ON acknowledger.id = feed.acknowledged_by "
        "ORDER BY feed.at DESC, feed.id DESC", params))
    more = len(items) > PAGE_SIZE
    return items[:PAGE_SIZE], more


def hydrate(db, items):
    """Add pupils (with roles and classes) to feed items and decode their labels."""
    melding_ids = [i["id"] for i in items if i["item"] == "melding"]
    observation_ids = [i["id"] for i in items if i["item"] == "hendelse"]
    pupils = {}
    for table, key, ids, item in (("melding_pupil", "melding_id", melding_ids, "melding"),
                                  ("observation_pupil", "observation_id", observation_ids, "hendelse")):
        if not ids:
            continue
        marks = ",".join("?" * len(ids))
        for row in db.query(
                f"SELECT {table}.{key} AS owner, {table}.role, pupil.id, pupil.full_name, "
                f"school_class.name AS class_name FROM {table} JOIN pupil ON pupil.id = {table}.pupil_id "
                f"LEFT JOIN school_class ON school_class.id = pupil.class_id WHERE {table}.{key} IN ({marks}) "
                "ORDER BY CASE role WHEN 'utsatt' THEN 0 WHEN 'utøver' THEN 1 ELSE 2 END, pupil.full_name",
                ids):
            pupils.setdefault((item, row["owner"]), []).append(row)
    for i in items:
        i["pupils"] = pupils.get((i["item"], i["id"]), [])
        i["labels"] = json.loads(i["labels"] or "[]")
        i["offence_types"] = json.loads(i["offence_types"] or "[]")
    return items


def fingerprint(items):
    """A short text that changes when the page's items or their statuses change."""
    text = "|".join(f"{i['item']}:{i['id']}:{i['status']}" for i in items)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def unacknowledged_count(db, school_id):
    """How many meldinger at the school wait for a leader to acknowledge them."""
    row = one(db, "SELECT count(*) AS n FROM melding WHERE school_id = ? AND status = 'ny' "
                  f"AND NOT {owners_only('melding')}", [school_id])
    return row["n"]


def melding_pupils(db, melding_id):
    """The melding's pupils with role and class."""
    return list(db.query(
        "SELECT pupil.id, pupil.full_name, pupil.birth_date, pupil.class_id, melding_pupil.role, "
        "school_class.name AS class_name FROM melding_pupil JOIN pupil ON pupil.id = melding_pupil.pupil_id "
        "LEFT JOIN school_class ON school_class.id = pupil.class_id WHERE melding_pupil.melding_id = ? "
        "ORDER BY CASE melding_pupil.role WHEN 'utsatt' THEN 0 WHEN 'utøver' THEN 1 ELSE 2 END, "
        "pupil.full_name", [melding_id]))


def observation_view(db, observation_id):
    """An observation with its labels decoded, zone name and author; None if missing."""
    if not observation_id:
        return None
    row = one(db, "SELECT observation.*, zone.name AS zone_name, user.full_name AS author "
                  "FROM observation LEFT JOIN zone ON zone.id = observation.zone_id "
                  "JOIN user ON user.id = observation.author_id WHERE observation.id = ?",
              [observation_id])
    if row:
        row["labels"] = json.loads(row["labels"] or "[]")
        row["offence_types"] = json.loads(row["offence_types"] or "[]")
    return row


def melding_sak(db, melding_id, *, owner=False):
    """The case a melding is in (id, phase), if the viewer may see it (owners: any), else None."""
    return one(db, "SELECT sak.id, sak.phase FROM sak_melding JOIN sak ON sak.id = sak_melding.sak_id "
                   f"WHERE melding_id = ? AND {visible_to('sak', owner=owner)}", [melding_id])


def melding_status_text(melding, names):
    """What the author sees ('Mottatt av … kl …'): capture's one status line, with names looked up."""
    return capture_rules.melding_status_text(melding["acknowledged_at"], names.get(melding["acknowledged_by"]))


def waiting_meldinger(db, school_id, limit):
    """The school's newest meldinger no leader has acknowledged yet, with their authors (none only owners see)."""
    return list(db.query(
        "SELECT melding.id, melding.created_at, melding.status, melding.section_12_5, melding.source, "
        "melding.acknowledged_at, user.full_name AS author FROM melding JOIN user ON user.id = melding.author_id "
        "WHERE melding.school_id = ? AND melding.status = 'ny' "
        f"AND NOT {owners_only('melding')} ORDER BY melding.created_at DESC LIMIT ?", [school_id, limit]))


def section_12_5_waiting(db, school_ids, limit):
    """The newest §12-5 meldinger not yet received at these schools, with author and school, for their owner."""
    marks = ",".join("?" * len(school_ids))
    return list(db.query(
        "SELECT melding.id, melding.created_at, melding.section_12_5, melding.source, melding.concerns_leader, "
        "user.full_name AS author, school.name AS school_name FROM melding "
        "JOIN user ON user.id = melding.author_id JOIN school ON school.id = melding.school_id "
        # "+" keeps the planner off the index by school and status, which reads every melding waiting at
        # every school: the index of the few §12-5 ones waiting has them newest first (issue 21)
        f"WHERE +melding.school_id IN ({marks}) AND melding.section_12_5 AND melding.status = 'ny' "
        "ORDER BY melding.created_at DESC LIMIT ?", [*school_ids, limit]))


def waiting_by_school(db, school_ids):
    """school id → how many meldinger there wait for a leader (status ny), for the owner's overview."""
    marks = ",".join("?" * len(school_ids)) or "NULL"
    return dict(db.execute(f"SELECT school_id, count(*) FROM melding WHERE school_id IN ({marks}) "
                           "AND status = 'ny' GROUP BY school_id", school_ids).fetchall())


def insert_checklist(db, *, school_id, class_id, pupil_id, created_by, created_at, answers):
    """Store a filled-in Vedlegg 6 checklist ({question number: {answer, comment}}); returns its id."""
    return db["mobbing_checklist"].insert({
        "school_id": school_id, "class_id": class_id, "pupil_id": pupil_id, "created_at": created_at,
        "created_by": created_by, "answers": json.dumps(answers, ensure_ascii=False)}).last_pk


def recent_checklists(db, school_id, limit=30):
    """The school's latest checklists, newest first, with their class and who filled them in."""
    return list(db.query(
        "SELECT mobbing_checklist.id, mobbing_checklist.created_at, school_class.name AS class_name, "
        "user.full_name AS author FROM mobbing_checklist "
        "LEFT JOIN school_class ON school_class.id = mobbing_checklist.class_id "
        "JOIN user ON user.id = mobbing_checklist.created_by WHERE mobbing_checklist.school_id = ? "
        "ORDER BY mobbing_checklist.created_at DESC LIMIT ?", [school_id, limit]))


CHRONOLOGY_PAGE = 50


def chronology(db, pupil_id, page=1, include_concerns_leader=False, since=None):
    """One page of everything recorded about a pupil, newest first: observations, notes,
    meldinger, cases. Returns (rows, whether there are older ones).

    since: only records from this stored timestamp on ("clean slate"); None: all of them.

    A note made from an observation ("løst der og da") is not a line of its own:
    the observation's line says the note is in the pupil's file (`noted`).
    """
    limit = page * CHRONOLOGY_PAGE + 1

    def visible(table):
        """The condition that keeps owners-only records out unless the viewer is an owner."""
        return " AND " + visible_to(table, owner=include_concerns_leader)

    def after(column):
        """The condition that keeps records older than `since` out, when it is given."""
        return f" AND {column} >= :since" if since else ""

    # an open case is current however long ago it was opened; a closed one counts from its closing
    open_or_after = " AND (sak.phase != 'avsluttet' OR sak.closed_at >= :since)" if since else ""

    rows = list(db.query(f"""
        SELECT * FROM (
          SELECT 'observasjon' AS item, observation.id, observation.observed_at AS at,
                 observation.kind AS detail, observation_pupil.role, observation.facts AS text,
                 observation.labels, observation.zone_id, observation.context, observation.author_id,
                 observation.outcome AS status,
                 EXISTS (SELECT 1 FROM pupil_note WHERE pupil_note.observation_id = observation.id
                         AND pupil_note.pupil_id = :pupil) AS noted
          FROM observation_pupil JOIN observation ON observation.id = observation_pupil.observation_id
          WHERE observation_pupil.pupil_id = :pupil{visible('observation')}{after('observation_pupil.observed_at')}
          ORDER BY observation_pupil.observed_at DESC, observation_pupil.observation_id DESC LIMIT :limit)
        UNION ALL
        SELECT * FROM (
          SELECT 'notat', pupil_note.id, pupil_note.created_at, '', '', pupil_note.text, '[]', NULL, '',
                 pupil_note.author_id, '', 0 FROM pupil_note
          -- notes made from an observation are shown with it (the capture screen makes them for
          -- the observation's own pupils), so only the notes written on their own are lines here
          WHERE pupil_note.pupil_id = :pupil AND pupil_note.observation_id IS NULL{after('pupil_note.created_at')}
          ORDER BY pupil_note.created_at DESC LIMIT :limit)
        UNION ALL
        SELECT * FROM (
          SELECT 'melding', melding.id, melding.created_at, melding.channel, melding_pupil.role,
                 melding.summary, '[]', NULL, '', melding.author_id, melding.status, 0
          FROM melding_pupil JOIN melding ON melding.id = melding_pupil.melding_id
          WHERE melding_pupil.pupil_id = :pupil{visible('melding')}{after('melding.created_at')}
          ORDER BY melding.created_at DESC LIMIT :limit)
        UNION ALL
        SELECT * FROM (
          SELECT 'sak', sak.id, sak.opened_at, sak.phase, 'utsatt', '', '[]', NULL, '', sak.opened_by,
                 sak.phase, 0 FROM sak WHERE sak.pupil_id = :pupil{visible('sak')}
            {open_or_after}
          ORDER BY sak.opened_at DESC LIMIT :limit)
        ORDER BY at DESC LIMIT :limit""", {"pupil": pupil_id, "limit": limit, "since": since}))
    start = (page - 1) * CHRONOLOGY_PAGE
    more = len(rows) > start + CHRONOLOGY_PAGE
    rows = rows[start:start + CHRONOLOGY_PAGE]
    names = user_names(db, {r["author_id"] for r in rows})
    zone_ids = {r["zone_id"] for r in rows if r["zone_id"]}
    zones = {}
    if zone_ids:
        marks = ",".join("?" * len(zone_ids))
        zones = {r["id"]: r["name"] for r in db.query(f"SELECT id, name FROM zone WHERE id IN ({marks})",
                                                      list(zone_ids))}
    for row in rows:
        row["author"] = names.get(row["author_id"], "")
        row["zone"] = zones.get(row["zone_id"], "")
        row["labels"] = json.loads(row["labels"] or "[]")
    return rows, more


def utsatt_events(db, school_id, since):
    """(pupil, time) of every negative observation since `since` where a pupil was utsatt."""
    return list(db.query(
        "SELECT observation_pupil.pupil_id, observation.observed_at FROM observation "
        "JOIN observation_pupil ON observation_pupil.observation_id = observation.id "
        "WHERE observation.school_id = ? AND observation.kind = 'concern' "
        "AND observation_pupil.role = 'utsatt' AND observation.observed_at > ? "
        f"AND NOT {owners_only('observation')}",
        [school_id, clock.to_utc_iso(since)]))


def utenforskap_events(db, school_id, since):
    """Observations labelled utenforskap since `since`: pupil, adult, place and time."""
    return list(db.query(
        "SELECT observation_pupil.pupil_id, observation.author_id, observation.observed_at, "
        "coalesce('zone:' || observation.zone_id, 'context:' || observation.context) AS place "
        "FROM observation JOIN observation_pupil ON observation_pupil.observation_id = observation.id "
        "WHERE observation.school_id = ? AND observation.observed_at > ? "
        "AND observation_pupil.role IN ('utsatt', 'med') "
        "AND EXISTS (SELECT 1 FROM json_each(observation.labels) WHERE value = 'utenforskap') "
        f"AND NOT {owners_only('observation')}",
        [school_id, clock.to_utc_iso(since)]))


def school_patterns(db, school, now):
    """The school's flagged pupils: a list of dicts with pupil, class and what tripped which rule."""
    window = school["pattern_window_days"]
    since = now - timedelta(days=window)
    utsatt = patterns.utsatt_pattern(utsatt_events(db, school["id"], since), school["pattern_threshold"],
                            window, now)
    alone = patterns.utenforskap_pattern(utenforskap_events(db, school["id"], since), window, now)
    ids = sorted(set(utsatt) | set(alone))
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    pupils = {row["id"]: row for row in db.query(
        "SELECT pupil.id, pupil.full_name, pupil.class_id, school_class.name AS class_name FROM pupil "
        f"LEFT JOIN school_class ON school_class.id = pupil.class_id WHERE pupil.id IN ({marks})",
        ids)}
    flagged = [{"pupil": pupils[pupil_id], "utsatt": utsatt.get(pupil_id), "utenforskap": alone.get(pupil_id)}
               for pupil_id in ids]
    return sorted(flagged, key=lambda f: (-(f["utsatt"] or 0), f["pupil"]["full_name"]))
