"""saker/store.py's reads that no page test pins down: each against a real database."""
from webapp import clock
from webapp.db import transaction
from webapp.saker import store as saker

from . import data
from .leadership_helpers import db_of


def test_owner_case_count_counts_open_escalated_and_section_12_5_cases_of_these_schools(app):
    db = db_of(app)
    stamp = clock.utc_iso_now()
    with transaction(db):
        for school, pupil, phase, escalated, section_12_5 in (
                (data.SCHOOL_A, data.PUPIL_A, "undersokelse", stamp, 0),
                (data.SCHOOL_A, data.PUPIL_A2, "undersokelse", None, 1),
                (data.SCHOOL_A, data.PUPIL_A3, "undersokelse", None, 0),     # the school's own case
                (data.SCHOOL_A, data.PUPIL_A, "avsluttet", stamp, 1),        # closed
                (data.SCHOOL_B, data.PUPIL_B, "undersokelse", stamp, 0)):
            db["sak"].insert({"school_id": school, "pupil_id": pupil, "phase": phase, "phase_started_on": "2026-11-02",
                              "opened_at": stamp, "opened_by": data.LEADER, "updated_at": stamp,
                              "escalated_at": escalated, "section_12_5": section_12_5})
    assert saker.owner_case_count(db, [data.SCHOOL_A]) == 2
    assert saker.owner_case_count(db, [data.SCHOOL_A, data.SCHOOL_B]) == 3
