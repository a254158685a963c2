"""capture/store.py's small reads that no page test pins down, on records saved as the capture screen saves them."""
from datetime import datetime

from werkzeug.datastructures import MultiDict

from webapp import clock
from webapp.capture import rules, store

from . import data

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=clock.OSLO)  # a Thursday, in the 09:45 break
AUTHOR = {"id": data.STAFF, "full_name": "Kari Lærer"}


def _record(**fields):
    """A checked record from a capture form sent at NOW about Aksel and Bea."""
    form = MultiDict({"kind": "concern", "observed_date": "2026-11-26", "observed_time": "09:50",
                      "context": "friminutt", "intervened": "1", "facts": "Dyttet i køen.",
                      f"role_{data.PUPIL_A}": "utsatt", f"role_{data.PUPIL_A2}": "utøver", **fields})
    form.setlist("pupil", [str(data.PUPIL_A), str(data.PUPIL_A2)])
    if "label" in fields:
        form.setlist("label", [fields["label"]])
    record, errors = rules.parse_capture(form, NOW, pupil_ids={data.PUPIL_A, data.PUPIL_A2}, zones=[],
                                         has_map=lambda: False)
    assert not errors
    return record


def _save(db, client_id, **fields):
    observation_id, _ = store.save_observation(db, school=data.SCHOOL_A, author=AUTHOR, record=_record(**fields),
                                               client_id=client_id, now=NOW)
    return observation_id


def test_notes_and_earlier_versions_of_a_record_are_counted(db):
    solved = _save(db, "form-0000000001", outcome="solved")
    assert (store.note_count(db, solved), store.revision_count(db, solved)) == (2, 0)
    for version in (1, 2):
        store.correct_observation(db, observation_id=solved, version=version, author=AUTHOR, now=NOW,
                                  record=_record(outcome="solved", facts=f"Dyttet i køen ({version})."))
    assert (store.note_count(db, solved), store.revision_count(db, solved)) == (2, 2)
    sent_on = _save(db, "form-0000000002", outcome="follow_up")
    assert store.note_count(db, sent_on) == 0


def test_has_meldinger_only_once_a_record_of_the_authors_at_the_school_became_one(db):
    _save(db, "form-0000000001", outcome="solved")
    assert store.has_meldinger(db, data.STAFF, data.SCHOOL_A) is False
    _save(db, "form-0000000002", outcome="follow_up")
    assert store.has_meldinger(db, data.STAFF, data.SCHOOL_A) is True
    assert store.has_meldinger(db, data.STAFF, data.SCHOOL_B) is False
    assert store.has_meldinger(db, data.LEADER, data.SCHOOL_A) is False


def test_only_owners_see_a_record_whose_melding_is_about_a_leader(db):
    ordinary = _save(db, "form-0000000001", outcome="follow_up")
    about_leader = _save(db, "form-0000000002", label="ansatt_krenker_elev", outcome="follow_up",
                         concerns_leader="1", adult_involved="Rektor")
    assert store.only_owners_see(db, ordinary) is False
    assert store.only_owners_see(db, about_leader) is True
