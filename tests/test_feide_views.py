"""The owner's Feide choices, the leader's Feide usernames on staff, and classes matched from Feide's groups."""
from . import data
from .conftest import Auth, login
from .feide_data import (  # noqa: F401  fixtures by name
    KARI,
    feide_app,
    feide_dance,
    feide_db,
    feide_settings,
    idp,
    link,
    provider,
)


def text_of(response):
    return response.get_data(as_text=True)


# ------------------------------------------------------------------ the owner's choices


def test_owner_switches_feide_on_with_mfa_and_passwords_off(feide_app, feide_db):
    feide_settings(feide_app, enabled=False)
    client, auth = login(feide_app, "skoleeier")
    assert "Feide-innlogging" in text_of(client.get("/"))
    response = auth.post("/skoleeier/feide", {"enabled": "y", "mfa_required": "y", "passwords_off": "y"},
                         page="/skoleeier/feide")
    assert response.status_code == 302
    assert {k: v for k, v in feide_db["feide_owner"].get(data.OWNER).items() if k in (
        "enabled", "mfa_required", "passwords_off")} == {"enabled": 1, "mfa_required": 1, "passwords_off": 1}
    assert "Logg inn med Feide" in text_of(feide_app.test_client().get("/logg-inn"))


def test_passwords_are_never_off_while_feide_is(feide_app, feide_db):
    client, auth = login(feide_app, "skoleeier")
    auth.post("/skoleeier/feide", {"passwords_off": "y"}, page="/skoleeier/feide")
    assert feide_db["feide_owner"].get(data.OWNER)["passwords_off"] == 0
    assert Auth(feide_app.test_client()).login("ansatt").status_code == 302


# ------------------------------------------------------------------ Feide usernames on staff


def test_leader_adds_staff_with_a_feide_username_who_then_logs_in_with_feide(feide_app, idp, feide_db):
    client, auth = login(feide_app, "leder")
    assert "Feide-brukernavn" in text_of(client.get("/skole/ansatte"))
    response = auth.post("/skole/ansatte", {"username": "per.vikar", "full_name": "Per Vikar", "role": "staff",
                                            "feide_id": " Per.Vikar@Testbakken.no "}, page="/skole/ansatte")
    assert response.status_code == 200
    person = feide_db.execute("SELECT id FROM user WHERE username = 'per.vikar'").fetchone()[0]
    assert feide_db["feide_link"].get(person)["feide_id"] == "per.vikar@testbakken.no"
    idp.user = {**KARI, "sub": "sub-per-0009", "feide_id": "per.vikar@testbakken.no", "name": "Per Vikar"}
    newcomer = feide_app.test_client()
    assert feide_dance(newcomer).status_code == 302 and "Per Vikar" in text_of(newcomer.get("/"))


def test_leader_changes_and_removes_a_feide_username(feide_app, feide_db):
    client, auth = login(feide_app, "leder")
    page = f"/skole/ansatte/{data.STAFF}"
    assert KARI["feide_id"] in text_of(client.get(page))
    form = {"full_name": "Kari Lærer", "role": "staff", "feide_id": "kari.ny@testbakken.no"}
    assert auth.post(page, form, page=page).status_code == 302
    assert feide_db["feide_link"].get(data.STAFF)["feide_id"] == "kari.ny@testbakken.no"
    assert auth.post(page, {**form, "feide_id": ""}, page=page).status_code == 302
    assert feide_db["feide_link"].count == 0


def test_a_malformed_or_taken_feide_username_is_refused_with_the_input_kept(feide_app, feide_db):
    client, auth = login(feide_app, "leder")
    page = f"/skole/ansatte/{data.LEADER}"
    form = {"full_name": "Rita Rektor", "role": "leader", "feide_id": "rita uten krøllalfa"}
    response = auth.post(page, form, page=page)
    assert response.status_code == 422 and "brukernavn@organisasjon.no" in text_of(response)
    assert "rita uten krøllalfa" in text_of(response)
    response = auth.post(page, {**form, "feide_id": KARI["feide_id"].upper()}, page=page)
    assert response.status_code == 422 and "allerede koblet til en annen konto" in text_of(response)
    assert feide_db["feide_link"].get(data.STAFF)["feide_id"] == KARI["feide_id"]
    assert feide_db.execute("SELECT count(*) FROM feide_link WHERE user_id = ?", [data.LEADER]).fetchone()[0] == 0


def test_no_feide_username_where_the_owner_has_feide_off(feide_app, feide_db):
    feide_settings(feide_app, enabled=False)
    client, auth = login(feide_app, "leder")
    page = f"/skole/ansatte/{data.STAFF}"
    assert "Feide-brukernavn" not in text_of(client.get(page))
    auth.post(page, {"full_name": "Kari Lærer", "role": "staff"}, page=page)
    assert feide_db["feide_link"].get(data.STAFF)["feide_id"] == KARI["feide_id"]  # kept, not cleared


# ------------------------------------------------------------------ classes from Feide


def test_a_teachers_basis_groups_are_kept_and_the_leader_matches_them_to_classes(feide_app, idp, feide_db):
    idp.user = KARI
    feide_dance(feide_app.test_client())
    groups = {row["name"]: row for row in feide_db["feide_group"].rows}
    assert set(groups) == {"5A basisgruppe", "6A basisgruppe"}  # the organisation itself is no class
    assert {row["school_id"] for row in groups.values()} == {data.SCHOOL_A}
    client, auth = login(feide_app, "leder")
    page = text_of(client.get("/skole/feide-grupper"))
    assert "5A basisgruppe" in page and "6A basisgruppe" in page
    five_a, six_a = groups["5A basisgruppe"]["id"], groups["6A basisgruppe"]["id"]
    response = auth.post("/skole/feide-grupper", {f"klasse-{five_a}": data.CLASS_A,
                                                  f"klasse-{six_a}": data.CLASS_B}, page="/skole/feide-grupper")
    assert response.status_code == 302
    # another school's class is no match: that group stays unmatched
    assert feide_db["feide_group"].get(five_a)["class_id"] == data.CLASS_A
    assert feide_db["feide_group"].get(six_a)["class_id"] is None
    # a later log-in brings the groups again, and the leader's match stays
    idp.user = KARI
    feide_dance(feide_app.test_client())
    assert feide_db["feide_group"].get(five_a)["class_id"] == data.CLASS_A


def test_another_schools_leader_sees_none_of_the_groups(feide_app, idp):
    idp.user = KARI
    feide_dance(feide_app.test_client())
    client, _ = login(feide_app, "leder2")
    assert "5A basisgruppe" not in text_of(client.get("/skole/feide-grupper"))


def test_pages_let_log_out_end_at_feide_and_nowhere_else(feide_app, idp):
    csp = feide_app.test_client().get("/logg-inn").headers["Content-Security-Policy"]
    assert f"form-action 'self' {idp.url};" in csp and "script-src 'self';" in csp
