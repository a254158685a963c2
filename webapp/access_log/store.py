"""Reading one pupil's lines of the audit log, newest first, as a leader or an owner may see them."""
from ..confidential import owners_only
from ..db import scalar

PAGE_SIZE = 50

# an owner's reading of a pupil's access log: its line names §12-5 (see views.py)
OWNER_READING = "§ 12-5"

# a line about a record only school owners may see (confidential.py), or an owner's reading of the access log
_OWNERS_ONLY = f"""(
    EXISTS (SELECT 1 FROM melding WHERE audit_log.entity = 'melding' AND melding.id = audit_log.entity_id
            AND {owners_only('melding')})
    OR EXISTS (SELECT 1 FROM sak WHERE audit_log.entity = 'sak' AND sak.id = audit_log.entity_id
               AND {owners_only('sak')})
    OR EXISTS (SELECT 1 FROM observation WHERE audit_log.entity = 'observation'
               AND observation.id = audit_log.entity_id AND {owners_only('observation')})
    OR (audit_log.entity = 'access_log' AND audit_log.detail = '{OWNER_READING}'))"""

# a line about a §12-5 record: a §12-5 melding, its observation, a §12-5 sak, an owner's reading of the log
_SECTION_12_5 = f"""(
    EXISTS (SELECT 1 FROM melding WHERE audit_log.entity = 'melding' AND melding.id = audit_log.entity_id
            AND melding.section_12_5)
    OR EXISTS (SELECT 1 FROM sak WHERE audit_log.entity = 'sak' AND sak.id = audit_log.entity_id
               AND sak.section_12_5)
    OR EXISTS (SELECT 1 FROM melding WHERE audit_log.entity = 'observation'
               AND melding.observation_id = audit_log.entity_id AND melding.section_12_5)
    OR (audit_log.entity = 'access_log' AND audit_log.detail = '{OWNER_READING}'))"""


def lines(db, pupil_id, older_than=None, *, owner=False):
    """A page of the pupil's audit lines with who wrote them, newest first: (lines, whether older ones follow).

    :param older_than: the id of the last line of the page before: this page begins after it (the log
        grows while it is read, each reading included, so pages are counted from a line, not by number)

    Leaders see every line but those about owners-only records; owners see the lines about §12-5 records.
    """
    condition = _SECTION_12_5 if owner else f"NOT {_OWNERS_ONLY}"
    after = ("AND (audit_log.at, audit_log.id) < (SELECT at, id FROM audit_log WHERE id = :older_than)"
             if older_than else "")
    rows = list(db.query(f"""
        SELECT audit_log.id, audit_log.at, audit_log.action, audit_log.entity, audit_log.entity_id,
               audit_log.detail, user.full_name AS user_name, user.role AS user_role, user.title AS user_title
        FROM audit_log LEFT JOIN user ON user.id = audit_log.user_id
        WHERE audit_log.pupil_id = :pupil AND {condition} {after}
        ORDER BY audit_log.at DESC, audit_log.id DESC LIMIT :limit""",
        {"pupil": pupil_id, "older_than": older_than, "limit": PAGE_SIZE + 1}))
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def has_section_12_5_records(db, pupil_id):
    """Whether a §12-5 melding or sak is about the pupil (what an owner's access log is of)."""
    return bool(scalar(db, """
        SELECT EXISTS (SELECT 1 FROM sak WHERE sak.pupil_id = :pupil AND sak.section_12_5)
            OR EXISTS (SELECT 1 FROM melding_pupil JOIN melding ON melding.id = melding_pupil.melding_id
                       WHERE melding_pupil.pupil_id = :pupil AND melding.section_12_5)""", {"pupil": pupil_id}))
