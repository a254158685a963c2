"""feed/store.py's reads that no page test pins down: each against a real database."""
from datetime import timedelta

from webapp import clock
from webapp.db import transaction
from webapp.feed import store as records

from . import data
from .meldinger import add_melding, db_of


def test_recent_checklists_are_the_schools_own_newest_first_and_limited(app):
    db = db_of(app)
    now = clock.now()
    with transaction(db):
        for school, class_id, minutes in ((data.SCHOOL_A, data.CLASS_A, 30), (data.SCHOOL_A, None, 10),
                                          (data.SCHOOL_A, data.CLASS_A2, 20), (data.SCHOOL_B, data.CLASS_B, 5)):
            records.insert_checklist(db, school_id=school, class_id=class_id, pupil_id=None,
                                     created_by=data.LEADER if school == data.SCHOOL_A else data.LEADER_B,
                                     created_at=clock.to_utc_iso(now - timedelta(minutes=minutes)),
                                     answers={"1": {"answer": "ja", "comment": ""}})
    listed = records.recent_checklists(db, data.SCHOOL_A)
    assert [(row["class_name"], row["author"]) for row in listed] == [
        (None, "Rita Rektor"), ("6A", "Rita Rektor"), ("5A", "Rita Rektor")]
    assert len(records.recent_checklists(db, data.SCHOOL_A, limit=2)) == 2


def test_section_12_5_waiting_lists_only_new_section_12_5_meldinger_at_the_owners_schools(app):
    about_staff = ("ansatt_krenker_elev",)
    waiting_a = add_melding(app, labels=about_staff, section_12_5=True, ago=timedelta(minutes=9))
    waiting_b = add_melding(app, labels=about_staff, section_12_5=True, school=data.SCHOOL_B, author=data.STAFF_B,
                            ago=timedelta(minutes=3))
    add_melding(app, observation=False, section_12_5=True, adult_involved="En vikar")  # entered by a leader: received
    add_melding(app)
    db = db_of(app)
    listed = records.section_12_5_waiting(db, [data.SCHOOL_A, data.SCHOOL_B], 20)
    assert [(row["id"], row["school_name"]) for row in listed] == [
        (waiting_b, "Annen skole"), (waiting_a, "Testbakken skole")]
    assert [row["id"] for row in records.section_12_5_waiting(db, [data.SCHOOL_A], 20)] == [waiting_a]
    assert len(records.section_12_5_waiting(db, [data.SCHOOL_A, data.SCHOOL_B], 1)) == 1
