"""saker/store.py's reads that no page test pins down: each against a real database."""
from webapp import clock
from webapp.db import transaction
from webapp.saker import store as saker

from . import data
from .meldinger import add_melding, db_of


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


def test_case_pupils_are_the_cases_pupil_and_those_of_the_meldinger_it_shows(app):
    first = add_melding(app, observation=False, pupils={data.PUPIL_A2: "utsatt"})
    second = add_melding(app, observation=False, pupils={data.PUPIL_A: "utøver", data.PUPIL_A2: "utsatt"})
    about_leader = add_melding(app, observation=False, section_12_5=True, concerns_leader=True,
                               pupils={data.PUPIL_A3: "utsatt"})
    db = db_of(app)
    now = clock.now()
    with transaction(db):
        sak_id = saker.open_sak(db, db["melding"].get(first), data.PUPIL_A2, data.LEADER, data.LEADER, now)
        saker.add_melding(db, saker.sak_row(db, sak_id), db["melding"].get(second), data.LEADER, now)
        # a melding only owners may see never joins a case leaders run; were it linked, its pupils stay out
        db["sak_melding"].insert({"sak_id": sak_id, "melding_id": about_leader})
    sak = saker.sak_row(db, sak_id)
    names = [p["full_name"] for p in saker.case_pupils(db, sak)]
    assert names == ["Aksel Andersen", "Bea Berge"]
    assert [p["full_name"] for p in saker.case_bundle(db, sak)["case_pupils"]] == names
    # in a case only owners see (about a leader), every melding's pupils are the case's
    assert [p["full_name"] for p in saker.case_pupils(db, {**sak, "concerns_leader": 1})] == [
        "Aksel Andersen", "Bea Berge", "Cato Dahle"]
