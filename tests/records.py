"""Observations in tests, written as the capture screen writes them: capture's rules and store."""
import uuid

from webapp.capture import rules as capture_rules
from webapp.capture import store as capture

from . import data


def save_record(db, *, author=data.STAFF, school=data.SCHOOL_A, client_id=None, recorded=None, **fields):
    """An observation from capture_rules.new_record(**fields) saved by capture's store; returns its id.

    :param recorded: when it was saved (by default the moment it happened)
    """
    record = capture_rules.new_record(**fields)
    observation_id, _ = capture.save_observation(
        db, school=school, author=data.author(db, author), record=record,
        client_id=client_id or uuid.uuid4().hex, now=recorded or record["observed_at"])
    return observation_id


def correct_record(db, observation_id, *, author=data.STAFF, now, **fields):
    """Correct a saved observation to capture_rules.new_record(**fields), as its author does on the screen."""
    version = db["observation"].get(observation_id)["version"]
    return capture.correct_observation(db, observation_id=observation_id, version=version,
                                       author=data.author(db, author), record=capture_rules.new_record(**fields),
                                       now=now)
