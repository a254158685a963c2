"""Writing a duty/SFO record straight into the shared `observation` tables.

The capture screen (another capability) is how staff really record these;
this small helper lets the demo and the tests put records in place without it.
"""
import uuid

from .. import clock


def add_duty_record(db, *, school_id, author_id, observed_at, context, kind="concern",
                    facts="", comment="", pupils=(), labels="[]", offence_types="[]"):
    """Insert one record and its pupils ((pupil_id, role) pairs); returns its id."""
    stamp = clock.to_utc_iso(observed_at)
    record_id = db["observation"].insert({
        "school_id": school_id, "author_id": author_id, "client_id": uuid.uuid4().hex,
        "observed_at": stamp, "recorded_at": stamp, "updated_at": stamp, "kind": kind,
        "context": context, "facts": facts, "comment": comment, "labels": labels,
        "offence_types": offence_types,
    }).last_pk
    for pupil_id, role in pupils:
        db["observation_pupil"].insert({"observation_id": record_id, "pupil_id": pupil_id, "role": role})
    return record_id
