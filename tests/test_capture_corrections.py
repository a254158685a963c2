"""Corrections of a record: one of several sent at once wins, and one that makes it § 12-5 routes it as new."""
import re

import pytest

from . import data
from .conftest import csrf_token, login, make_app
from .test_capture_views import NOW, form, post_in_parallel, rows, save


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path, NOW=NOW)


ROLES = {f"role_{data.PUPIL_A}": "utsatt"}


def correction(**fields):
    """A correction as the form sends it (no form id: it corrects a record)."""
    return form(**{"version": "1", "client_id": None, "pupil": [str(data.PUPIL_A)], "outcome": "follow_up",
                   "facts": "Dyttet og slo.", **ROLES, **fields})


def staff_melding(app, db):
    """Staff save an incident about pupil A needing follow-up: (observation, melding, staff)."""
    _, staff = login(app, "ansatt")
    assert save(staff, pupil=[str(data.PUPIL_A)], outcome="follow_up", facts="Dyttet.", **ROLES).status_code == 303
    return rows(db, "SELECT id FROM observation")[0]["id"], rows(db, "SELECT id FROM melding")[0]["id"], staff


def melding_in_a_sak(app, db):
    """Staff save an incident needing follow-up, a leader opens a sak from it: (observation, melding, sak, staff)."""
    observation_id, melding_id, staff = staff_melding(app, db)
    _, leader = login(app, "leder")
    opened = leader.post(f"/meldinger/{melding_id}/sak", {"pupil_id": data.PUPIL_A}, page=f"/meldinger/{melding_id}")
    assert opened.status_code == 303
    return observation_id, melding_id, rows(db, "SELECT id FROM sak")[0]["id"], staff


# ---------------------------------------------------------------- a correction that makes a record § 12-5


def test_a_correction_to_section_12_5_sends_the_sak_to_the_owner(app, db):
    observation_id, melding_id, sak_id, staff = melding_in_a_sak(app, db)
    owner_client, _ = login(app, "skoleeier")
    assert owner_client.get(f"/saker/{sak_id}").status_code == 404  # an ordinary case: not the owner's

    response = staff.post(f"/registrer/{observation_id}/rett",
                          correction(label=["ansatt_krenker_elev"], adult_involved="Vikar i 5A"))
    assert response.status_code == 303
    melding, sak = rows(db, "SELECT * FROM melding")[0], rows(db, "SELECT * FROM sak")[0]
    assert (melding["section_12_5"], melding["concerns_leader"], melding["adult_involved"]) == (1, 0, "Vikar i 5A")
    assert (sak["section_12_5"], sak["concerns_leader"], sak["owner_id"]) == (1, 0, data.LEADER)
    # the owner sees it, as a case opened from a new § 12-5 melding; leadership keeps running it
    assert f"/saker/{sak_id}" in owner_client.get("/saker/").get_data(as_text=True)
    page = owner_client.get(f"/saker/{sak_id}")
    assert page.status_code == 200 and "Saken er sendt til skoleeier" in page.get_data(as_text=True)
    assert owner_client.get(f"/meldinger/{melding_id}").status_code == 200
    leader_client, _ = login(app, "leder")
    assert leader_client.get(f"/saker/{sak_id}").status_code == 200
    changes = {(r["entity"], r["entity_id"], r["detail"]) for r in rows(
        db, "SELECT * FROM audit_log WHERE action = 'update' AND user_id = ?", [data.STAFF])}
    assert {("melding", melding_id, "rettet til § 12-5"), ("sak", sak_id, "rettet til § 12-5")} <= changes


def test_a_correction_about_a_leader_makes_the_sak_the_owners_alone(app, db):
    observation_id, melding_id, sak_id, staff = melding_in_a_sak(app, db)
    # a second, ordinary melding about the same pupil was added to the case
    assert save(staff, client_id="form-0000000002", pupil=[str(data.PUPIL_A)], outcome="follow_up",
                facts="Ertet i gangen.", **ROLES).status_code == 303
    other_id = rows(db, "SELECT id FROM melding ORDER BY id DESC")[0]["id"]
    leader_client, leader = login(app, "leder")
    assert leader.post(f"/meldinger/{other_id}/legg-til-sak", {"sak_id": sak_id},
                       page=f"/meldinger/{other_id}").status_code == 303

    response = staff.post(f"/registrer/{observation_id}/rett", correction(
        label=["ansatt_krenker_elev"], concerns_leader="1", adult_involved="Rektor"))
    assert response.status_code == 303
    melding, sak = rows(db, "SELECT * FROM melding WHERE id = ?", [melding_id])[0], rows(db, "SELECT * FROM sak")[0]
    assert (melding["section_12_5"], melding["concerns_leader"], melding["assigned_to"]) == (1, 1, None)
    assert (sak["section_12_5"], sak["concerns_leader"], sak["owner_id"]) == (1, 1, None)
    assert not rows(db, "SELECT * FROM sak_task WHERE sak_id = ? AND done_at IS NULL AND owner_id IS NOT NULL",
                    [sak_id])  # no leader is left owning its open tasks
    # leaders lose the case, the melding and the record it came from
    for path in (f"/saker/{sak_id}", f"/saker/{sak_id}/eksport", f"/meldinger/{melding_id}",
                 f"/registrer/{observation_id}"):
        assert leader_client.get(path).status_code == 404, path
    assert f"/saker/{sak_id}" not in leader_client.get("/saker/").get_data(as_text=True)
    # the other melding is not about a leader: back with leadership, open, outside the owners' case
    assert [r["melding_id"] for r in rows(db, "SELECT melding_id FROM sak_melding")] == [melding_id]
    assert rows(db, "SELECT status FROM melding WHERE id = ?", [other_id])[0]["status"] == "mottatt"
    other_page = leader_client.get(f"/meldinger/{other_id}").get_data(as_text=True)
    assert f"/saker/{sak_id}" not in other_page and "Opprett sak" in other_page
    # the owner has it, with its history
    owner_client, _ = login(app, "skoleeier")
    page = owner_client.get(f"/saker/{sak_id}").get_data(as_text=True)
    assert "Saken er nå bare skoleeiers" in page and f"Melding nr. {other_id} gjelder ikke en leder" in page
    assert f"/saker/{sak_id}" in owner_client.get("/saker/").get_data(as_text=True)
    assert owner_client.get(f"/meldinger/{melding_id}").status_code == 200
    changes = {(r["entity"], r["entity_id"], r["detail"]) for r in rows(
        db, "SELECT * FROM audit_log WHERE action = 'update' AND user_id = ?", [data.STAFF])}
    detail = "rettet til § 12-5, gjelder en leder"
    assert {("melding", melding_id, detail), ("sak", sak_id, detail)} <= changes


def test_a_received_melding_corrected_to_be_about_a_leader_waits_for_the_owner(app, db):
    observation_id, melding_id, staff = staff_melding(app, db)
    leader_client, leader = login(app, "leder")
    assert leader.post(f"/meldinger/{melding_id}/motta", page=f"/meldinger/{melding_id}").status_code == 303
    assert staff.post(f"/registrer/{observation_id}/rett", correction(
        label=["ansatt_krenker_elev"], concerns_leader="1", adult_involved="Rektor")).status_code == 303
    melding = rows(db, "SELECT * FROM melding")[0]
    # received by a leader is not received by the owner: new for the owner, as a new one about a leader is
    assert (melding["status"], melding["acknowledged_at"], melding["acknowledged_by"]) == ("ny", None, None)
    assert leader_client.get(f"/meldinger/{melding_id}").status_code == 404
    owner_client, _ = login(app, "skoleeier")
    assert f"/meldinger/{melding_id}" in owner_client.get("/saker/").get_data(as_text=True)
    staff_page = staff.client.get(f"/registrer/{observation_id}").get_data(as_text=True)
    assert "Melding til skoleeier" in staff_page and "Mottatt av Rita Rektor" not in staff_page


def test_a_closed_melding_corrected_to_section_12_5_is_open_again_for_the_owner(app, db):
    observation_id, melding_id, staff = staff_melding(app, db)
    _, leader = login(app, "leder")
    assert leader.post(f"/meldinger/{melding_id}/lukk", {"reason": "Ordnet opp."},
                       page=f"/meldinger/{melding_id}").status_code == 303
    assert staff.post(f"/registrer/{observation_id}/rett", correction(
        label=["ansatt_krenker_elev"], adult_involved="Vikar i 5A")).status_code == 303
    assert rows(db, "SELECT status FROM melding")[0]["status"] == "mottatt"
    owner_client, _ = login(app, "skoleeier")
    assert f"/meldinger/{melding_id}" in owner_client.get("/saker/").get_data(as_text=True)


def test_a_correction_that_keeps_a_record_ordinary_leaves_its_sak_as_it_is(app, db):
    observation_id, _, sak_id, staff = melding_in_a_sak(app, db)
    assert staff.post(f"/registrer/{observation_id}/rett", correction(label=["konflikt"])).status_code == 303
    sak = rows(db, "SELECT * FROM sak")[0]
    assert (sak["section_12_5"], sak["concerns_leader"], sak["owner_id"]) == (0, 0, data.LEADER)
    assert not rows(db, "SELECT * FROM sak_event WHERE action = '§ 12-5'")


# ---------------------------------------------------------------- corrections sent at once


@pytest.mark.parametrize("attempt", range(3))  # three runs: a race that is lost now and then shows
def test_of_ten_parallel_corrections_from_one_version_exactly_one_is_saved(app, auth, client, db, live_server, attempt):
    auth.login("ansatt")
    save(auth, pupil=[str(data.PUPIL_A)], outcome="follow_up", facts="Dyttet.", **ROLES)
    observation_id = rows(db, "SELECT id FROM observation")[0]["id"]
    token = csrf_token(client, f"/registrer/{observation_id}/rett")
    texts = [f"Rettelse nummer {n}." for n in range(10)]
    answers = post_in_parallel(live_server, client, f"/registrer/{observation_id}/rett",
                               [{**correction(facts=text), "csrf_token": token} for text in texts])
    assert sorted(status for status, _, _ in answers) == [303] + [409] * 9
    observation = rows(db, "SELECT * FROM observation")[0]
    assert observation["version"] == 2 and observation["facts"] in texts
    assert len(rows(db, "SELECT * FROM observation_revision")) == 1
    # each of the others got the conflict screen with its own text kept, and the version now saved
    conflicts = [body for status, _, body in answers if status == 409]
    assert all("endret et annet sted" in body and 'name="version" value="2"' in body for body in conflicts)
    assert sorted(re.search(r"Rettelse nummer \d\.", body).group(0) for body in conflicts) == \
        sorted(text for text in texts if text != observation["facts"])
    assert rows(db, "SELECT summary FROM melding")[0]["summary"].count(observation["facts"]) == 1


def test_a_double_tap_on_a_correction_leaves_one_revision(app, auth, client, db, live_server):
    auth.login("ansatt")
    save(auth, pupil=[str(data.PUPIL_A)], outcome="follow_up", facts="Dyttet.", **ROLES)
    observation_id = rows(db, "SELECT id FROM observation")[0]["id"]
    token = csrf_token(client, f"/registrer/{observation_id}/rett")
    answers = post_in_parallel(live_server, client, f"/registrer/{observation_id}/rett",
                               [{**correction(facts="Dyttet og slo."), "csrf_token": token}] * 10)
    assert [status for status, _, _ in answers] == [303] * 10  # the same correction: saved, once
    assert len(rows(db, "SELECT * FROM observation_revision")) == 1
    assert rows(db, "SELECT version, facts FROM observation")[0] == {"version": 2, "facts": "Dyttet og slo."}
