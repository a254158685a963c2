"""A put-together systematic observation attached to a case (issues 5 and 6 together)."""
import io

import pytest
from docx import Document

from webapp import clock
from webapp.db import transaction
from webapp.saker import store as saker

from . import data
from .conftest import demo_database
from .meldinger import add_melding, db_of
from .test_observation_logs_rules import make_plan


@pytest.fixture
def case(app):
    """An open case about Aksel (5A), observations of 5A, of Cato's class 6A and of a class at school B."""
    melding_id = add_melding(app)
    db = db_of(app)
    with transaction(db):
        sak_id = saker.open_sak(db, db["melding"].get(melding_id), data.PUPIL_A, data.LEADER, data.LEADER,
                                clock.now())
        ids = {"sak": sak_id, "class_plan": make_plan(db, pupil_id=None)["id"],
               "other_class": make_plan(db, pupil_id=data.PUPIL_A3, class_id=data.CLASS_A2)["id"],
               "school_b": make_plan(db, pupil_id=data.PUPIL_B, class_id=data.CLASS_B,
                                     school=data.SCHOOL_B)["id"]}
    db.conn.close()
    return ids


def test_leader_attaches_an_observation_of_the_class_from_the_case_page(app, auth, client, case):
    auth.login("leder")
    page = client.get(f"/saker/{case['sak']}").get_data(as_text=True)
    assert f'<option value="{case["class_plan"]}">' in page
    assert f'<option value="{case["other_class"]}">' not in page  # not the pupil's class
    response = auth.post(f"/saker/{case['sak']}/observasjoner", {"plan_id": case["class_plan"]})
    assert response.status_code == 303
    page = client.get(f"/saker/{case['sak']}").get_data(as_text=True)
    assert f'href="/observasjon/{case["class_plan"]}/utskrift"' in page
    db = db_of(app)
    events = [e["action"] for e in db.query("SELECT action FROM sak_event WHERE sak_id = ?", [case["sak"]])]
    assert events.count("Observasjon lagt ved") == 1
    auth.post(f"/saker/{case['sak']}/observasjoner", {"plan_id": case["class_plan"]})  # twice: still once
    events = [e["action"] for e in db.query("SELECT action FROM sak_event WHERE sak_id = ?", [case["sak"]])]
    assert events.count("Observasjon lagt ved") == 1
    export = client.get(f"/saker/{case['sak']}/eksport").get_data(as_text=True)
    assert f"/observasjon/{case['class_plan']}/utskrift" in export and "Observasjon lagt ved" in export
    document = Document(io.BytesIO(client.get(f"/saker/{case['sak']}/eksport.docx").data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Systematisk observasjon" in text and f"/observasjon/{case['class_plan']}/utskrift" in text


def test_leader_attaches_the_observation_to_a_case_from_the_observation_page(app, auth, client, case):
    auth.login("leder")
    page = client.get(f"/observasjon/{case['class_plan']}").get_data(as_text=True)
    assert f'<option value="{case["sak"]}">' in page
    response = auth.post(f"/observasjon/{case['class_plan']}/sak", {"sak_id": case["sak"]})
    assert response.status_code == 303
    page = client.get(f"/observasjon/{case['class_plan']}").get_data(as_text=True)
    assert f'href="/saker/{case["sak"]}#observasjoner"' in page
    assert "Klasse 5A" in client.get(f"/saker/{case['sak']}").get_data(as_text=True)


def test_only_observations_of_the_pupil_or_class_at_the_school_can_be_attached(app, auth, client, case):
    auth.login("leder")
    assert auth.post(f"/saker/{case['sak']}/observasjoner", {"plan_id": case["other_class"]}).status_code == 404
    assert auth.post(f"/saker/{case['sak']}/observasjoner", {"plan_id": case["school_b"]}).status_code == 404
    assert auth.post(f"/observasjon/{case['other_class']}/sak", {"sak_id": case["sak"]}).status_code == 404
    assert auth.post(f"/saker/{case['sak']}/observasjoner", {"plan_id": "x"}).status_code == 404
    db = db_of(app)
    assert db.execute("SELECT count(*) FROM sak_observation_plan").fetchone()[0] == 0
    auth.logout()
    auth.login("leder2")
    assert auth.post(f"/saker/{case['sak']}/observasjoner", {"plan_id": case["class_plan"]}).status_code == 404
    assert auth.post(f"/observasjon/{case['school_b']}/sak", {"sak_id": case["sak"]}).status_code == 404


@pytest.mark.parametrize("username", ["ansatt", "skoleeier"])
def test_staff_and_owners_do_not_attach_observations(auth, case, username):
    auth.login(username)
    assert auth.post(f"/saker/{case['sak']}/observasjoner", {"plan_id": case["class_plan"]}).status_code == 403
    assert auth.post(f"/observasjon/{case['class_plan']}/sak", {"sak_id": case["sak"]}).status_code == 403


def test_demo_case_has_an_earlier_observation_attached(app):
    from webapp.db import one

    db = demo_database(app, str(app.config["DATABASE"]).replace("trygg.sqlite", "demo.sqlite"))
    active = one(db, "SELECT * FROM sak WHERE phase = 'iverksette_tiltak'")
    attached = saker.attached_observation_plans(db, active["id"])
    assert len(attached) == 1 and attached[0]["pupil_name"]
    assert one(db, "SELECT 1 FROM sak_event WHERE sak_id = ? AND action = 'Observasjon lagt ved'", [active["id"]])
    db.conn.close()
