"""Operators create schools with their first leader and school owners, and see no pupils; two of
them doing the same at once get a message, not an error."""
import re
import sqlite3
import threading
import time

from webapp.db import transaction

from . import data


def test_admin_creates_school_with_first_leader(client, auth, db):
    auth.login("admin")
    response = auth.post("/admin/skoler/ny", {"name": "Nyskolen", "municipality": "Bærum",
                                              "leader_username": "rektor.ny", "leader_name": "Rektor Ny",
                                              "leader_title": "Rektor"}, page="/admin/")
    assert "Engangspassord" in response.get_data(as_text=True)
    school = db.execute("SELECT id FROM school WHERE name = 'Nyskolen'").fetchone()[0]
    leader = db.execute("SELECT role, must_change_password FROM user WHERE username = 'rektor.ny'").fetchone()
    assert leader == ("leader", 1)
    assert db["membership"].count_where("school_id = ?", [school]) == 1


def while_another_writer_holds_the_lock(app, insert_sql, request):
    """Run a request while another connection writes the row it checks for, committing once it waits."""
    other = sqlite3.connect(app.config["DATABASE"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute(insert_sql)
    answered = {}
    thread = threading.Thread(target=lambda: answered.update(response=request()))
    thread.start()
    time.sleep(0.5)  # the request has read its form and waits for the write lock
    other.execute("COMMIT")
    other.close()
    thread.join()
    return answered.get("response")


def test_two_operators_creating_the_same_school_at_once_get_a_message_not_an_error(app, auth, db):
    auth.login("admin")
    response = while_another_writer_holds_the_lock(
        app, "INSERT INTO school (name, created_at) VALUES ('Nyskolen', '2026-12-03T10:00:00+00:00')",
        lambda: auth.post("/admin/skoler/ny", {"name": "Nyskolen", "leader_username": "rektor.ny",
                                               "leader_name": "Rektor Ny"}, page="/admin/"))
    assert response is not None and response.status_code == 422
    assert "Skolen «Nyskolen» finnes allerede." in response.get_data(as_text=True)
    assert not db.execute("SELECT 1 FROM user WHERE username = 'rektor.ny'").fetchone()


def test_two_operators_adding_the_same_username_at_once_get_a_message_not_an_error(app, auth, db):
    auth.login("admin")
    response = while_another_writer_holds_the_lock(
        app, "INSERT INTO user (username, full_name, role, created_at) "
             "VALUES ('eier.to', 'Eier To', 'owner', '2026-12-03T10:00:00+00:00')",
        lambda: auth.post("/admin/skoleeiere/ny", {"username": "eier.to", "full_name": "Eier To",
                                                   "school_ids": [data.SCHOOL_A]}, page="/admin/"))
    assert response is not None and response.status_code == 422
    assert "Brukernavnet «eier.to» er allerede i bruk." in response.get_data(as_text=True)


def test_admin_creates_owner_for_several_schools(client, auth, db):
    auth.login("admin")
    auth.post("/admin/skoleeiere/ny", {"username": "eier.to", "full_name": "Eier To",
                                       "school_ids": [data.SCHOOL_A, data.SCHOOL_B]}, page="/admin/")
    owner = db.execute("SELECT id FROM user WHERE username = 'eier.to' AND role = 'owner'").fetchone()[0]
    assert db["membership"].count_where("user_id = ?", [owner]) == 2


def test_admin_sees_no_pupils(client, auth):
    auth.login("admin")
    assert client.get("/skole/elever").status_code == 403


def test_the_schools_an_owner_covers_are_ticked_also_when_a_name_has_a_comma(client, auth, db):
    with transaction(db):
        db["school"].insert({"name": "Skole, avd. Nord", "created_at": "2026-12-01T08:00:00+00:00"})
        db["school"].insert({"name": "avd. Nord", "created_at": "2026-12-01T08:00:00+00:00"})
        branch = db.execute("SELECT id FROM school WHERE name = 'Skole, avd. Nord'").fetchone()[0]
        db["membership"].insert({"user_id": data.OWNER, "school_id": branch})
    auth.login("admin")
    html = client.get("/admin/").get_data(as_text=True)
    ticked = re.findall(r'name="school_ids" value="(\d+)"\s+checked', html)
    assert sorted(map(int, ticked)) == sorted([data.SCHOOL_A, data.SCHOOL_B, branch])
