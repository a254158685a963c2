"""admin/store.py against a real database: the school owners' accounts and the schools they cover."""
from webapp import clock
from webapp.admin import store
from webapp.db import transaction

from . import data


def test_an_owner_covers_exactly_the_schools_set(db):
    with transaction(db):
        third = store.add_school(db, "Tredje skole", "Asker", clock.utc_iso_now())
        store.set_schools(db, data.OWNER, [data.SCHOOL_B, third])
    assert [(row["id"], row["school_names"]) for row in store.owners(db)] == [(data.OWNER, "Annen skole, Tredje skole")]
    assert {row["name"]: row["members"] for row in store.schools(db)} == {
        "Annen skole": 3, "Testbakken skole": 2, "Tredje skole": 1}
    with transaction(db):
        store.set_schools(db, data.OWNER, [])
    assert store.owners(db)[0]["school_names"] is None


def test_owner_finds_owner_accounts_only(db):
    assert store.owner(db, data.OWNER)["username"] == "skoleeier"
    assert store.owner(db, data.LEADER) is None and store.owner(db, 999) is None


def test_an_owner_covers_a_school_whose_name_has_a_comma(db):
    """The schools an owner covers are known by id: "Skole, avd. Nord" is one school, not two names."""
    with transaction(db):
        branch = store.add_school(db, "Skole, avd. Nord", "Asker", clock.utc_iso_now())
        store.set_schools(db, data.OWNER, [branch, data.SCHOOL_B])
    assert store.owners(db)[0]["school_ids"] == {branch, data.SCHOOL_B}
