"""The operators' records: every school, and the school owners' accounts with the schools they cover.

Accounts themselves are made by school/store.py (`create_user`), as for the schools' own staff.
"""
from ..db import one


def schools(db):
    """Every school with its number of accounts, by name."""
    return list(db.query(
        "SELECT school.*, (SELECT count(*) FROM membership WHERE school_id = school.id) AS members "
        "FROM school ORDER BY name"))


def add_school(db, name, municipality, created_at):
    """Create a school (its first leader is made with it); returns its id."""
    return db["school"].insert({"name": name, "municipality": municipality, "created_at": created_at}).last_pk


def owners(db):
    """School owner accounts with the names and the ids of the schools they cover, by name."""
    rows = list(db.query(
        "SELECT user.*, group_concat(school.name, ', ') AS school_names, group_concat(school.id) AS covered "
        "FROM user LEFT JOIN membership ON membership.user_id = user.id "
        "LEFT JOIN school ON school.id = membership.school_id "
        "WHERE user.role = 'owner' GROUP BY user.id ORDER BY user.full_name"))
    for row in rows:
        # ids, not the names list: a school's name may itself hold ", "
        row["school_ids"] = {int(school_id) for school_id in (row.pop("covered") or "").split(",") if school_id}
    return rows


def owner(db, user_id):
    """A school owner's account, or None (for any other account too)."""
    return one(db, "SELECT * FROM user WHERE id = ? AND role = 'owner'", [user_id])


def set_schools(db, user_id, school_ids):
    """Make these the schools an account belongs to, and no others."""
    db.execute("DELETE FROM membership WHERE user_id = ?", [user_id])
    for school_id in school_ids:
        db["membership"].insert({"user_id": user_id, "school_id": school_id})
