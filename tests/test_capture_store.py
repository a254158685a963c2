"""capture/store.py's small reads that no page test pins down, on records saved as the capture screen saves them."""
from datetime import datetime

from webapp import clock
from webapp.capture import store

from . import data
from .records import correct_record, save_record

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=clock.OSLO)  # a Thursday, in the 09:45 break
# Aksel pushed by Bea in the queue, recorded at NOW
INCIDENT = {"kind": "concern", "observed_at": datetime(2026, 11, 26, 9, 50, tzinfo=clock.OSLO), "context": "friminutt",
            "pupils": {data.PUPIL_A: "utsatt", data.PUPIL_A2: "utøver"}, "intervened": 1, "facts": "Dyttet i køen."}


def _save(db, **fields):
    return save_record(db, recorded=NOW, **{**INCIDENT, **fields})


def test_notes_and_earlier_versions_of_a_record_are_counted(db):
    solved = _save(db, outcome="solved")
    assert (store.note_count(db, solved), store.revision_count(db, solved)) == (2, 0)
    for version in (1, 2):
        correct_record(db, solved, now=NOW, **{**INCIDENT, "outcome": "solved", "facts": f"Dyttet i køen ({version})."})
    assert (store.note_count(db, solved), store.revision_count(db, solved)) == (2, 2)
    sent_on = _save(db, outcome="follow_up")
    assert store.note_count(db, sent_on) == 0


def test_has_meldinger_only_once_a_record_of_the_authors_at_the_school_became_one(db):
    _save(db, outcome="solved")
    assert store.has_meldinger(db, data.STAFF, data.SCHOOL_A) is False
    _save(db, outcome="follow_up")
    assert store.has_meldinger(db, data.STAFF, data.SCHOOL_A) is True
    assert store.has_meldinger(db, data.STAFF, data.SCHOOL_B) is False
    assert store.has_meldinger(db, data.LEADER, data.SCHOOL_A) is False


def test_only_owners_see_a_record_whose_melding_is_about_a_leader(db):
    ordinary = _save(db, outcome="follow_up")
    about_leader = _save(db, labels=["ansatt_krenker_elev"], outcome="follow_up", concerns_leader=True,
                         adult_involved="Rektor")
    assert store.only_owners_see(db, ordinary) is False
    assert store.only_owners_see(db, about_leader) is True
