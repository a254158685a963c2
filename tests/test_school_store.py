"""school/store.py's reads and writes that no page test pins down: each against a real database."""
import json

from webapp import clock
from webapp.db import transaction
from webapp.school import store

from . import data

SQUARE = json.dumps([[0.1, 0.1], [0.2, 0.1], [0.2, 0.2]])


def test_a_class_name_is_taken_in_any_case_at_the_same_school_only(db):
    assert store.class_name_taken(db, data.SCHOOL_A, "5a")
    assert not store.class_name_taken(db, data.SCHOOL_A, "5a", other_than=data.CLASS_A)  # its own name
    assert store.class_name_taken(db, data.SCHOOL_A, "6A", other_than=data.CLASS_A)
    assert not store.class_name_taken(db, data.SCHOOL_B, "5A")
    with transaction(db):
        store.add_class(db, data.SCHOOL_B, "5A", data.STAFF_B)
    assert store.class_name_taken(db, data.SCHOOL_B, "5A")


def test_a_zone_name_is_taken_in_any_case_at_the_same_school_only(db):
    with transaction(db):
        store.store_zone(db, data.SCHOOL_A, {"name": "Ballbinge", "polygon": SQUARE, "sort_order": 9, "active": 1})
    zone = next(z for z in store.zones_of(db, data.SCHOOL_A) if z["name"] == "Ballbinge")
    assert store.zone_name_taken(db, data.SCHOOL_A, "BALLBINGE")
    assert not store.zone_name_taken(db, data.SCHOOL_A, "ballbinge", other_than=zone["id"])
    assert not store.zone_name_taken(db, data.SCHOOL_B, "Ballbinge")
    with transaction(db):
        store.store_zone(db, data.SCHOOL_A, {"name": "Binge", "polygon": SQUARE, "sort_order": 9, "active": 0},
                         zone["id"])
    assert (store.zone_choices(db, data.SCHOOL_A)[-1][1], store.zone_name(db, zone["id"])) == ("Binge", "Binge")


def test_the_pupil_list_shows_one_class_when_asked_and_pupils_who_left_last(db):
    with transaction(db):
        store.update_pupil(db, data.PUPIL_A, {"active": 0})
        added = store.add_pupil(db, data.SCHOOL_A, {"full_name": "Åse Ny", "class_id": data.CLASS_A,
                                                    "birth_date": None, "active": 1}, clock.utc_iso_now())
    assert [p["full_name"] for p in store.pupil_list(db, data.SCHOOL_A)] == [
        "Bea Berge", "Åse Ny", "Cato Dahle", "Aksel Andersen"]
    assert [p["id"] for p in store.pupil_list(db, data.SCHOOL_A, data.CLASS_A2)] == [data.PUPIL_A3]
    assert store.pupil_list(db, data.SCHOOL_A, data.CLASS_B) == []   # another school's class
    assert store.pupil_class_id(db, data.SCHOOL_A, added) == data.CLASS_A
    assert store.pupil_class_id(db, data.SCHOOL_A, data.PUPIL_B) is None


def test_setup_counts_count_what_is_in_use_at_the_school(db):
    with transaction(db):
        store.update_pupil(db, data.PUPIL_A3, {"active": 0})
        db.execute("UPDATE user SET active = 0 WHERE id = ?", [data.STAFF])
    counts = store.setup_counts(db, data.SCHOOL_A)
    assert (counts["staff"], counts["classes"], counts["pupils"], counts["zones"]) == (1, 2, 2, 3)


def test_an_account_is_a_member_elsewhere_when_it_has_a_school_outside_these(db):
    assert store.member_elsewhere(db, data.OWNER, [data.SCHOOL_A])
    assert not store.member_elsewhere(db, data.OWNER, [data.SCHOOL_A, data.SCHOOL_B])
    assert not store.member_elsewhere(db, data.STAFF, [data.SCHOOL_A])


def test_a_class_name_and_a_school_by_its_name(db):
    assert [store.class_name(db, class_id) for class_id in (data.CLASS_A2, None, 999)] == ["6A", "", ""]
    assert store.school_id_named(db, "Annen skole") == data.SCHOOL_B
    assert store.school_id_named(db, "annen skole") is None


def test_schools_by_id_are_those_schools_by_name(db):
    assert [row["name"] for row in store.schools_by_id(db, [data.SCHOOL_A, data.SCHOOL_B])] == [
        "Annen skole", "Testbakken skole"]
    assert [row["id"] for row in store.schools_by_id(db, [data.SCHOOL_A])] == [data.SCHOOL_A]
    assert store.schools_by_id(db, []) == []
