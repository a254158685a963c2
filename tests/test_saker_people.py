"""Who may be chosen in a melding or a sak (§12-5 about a leader, case owners, coordinators), the
coordinator's access, and the case rules: the six weeks, moving on with open tasks, a complete tiltak."""
import re
from datetime import date, timedelta

import pytest

from webapp import clock
from webapp.db import one, transaction
from webapp.saker import store as saker

from . import data
from .conftest import make_app
from .meldinger import add_melding, db_of, form_id

NOW = "2026-11-26T10:00:00+01:00"  # a Thursday
TODAY = date(2026, 11, 26)
OWNER_B_ONLY = 60  # an owner account of the other school only


@pytest.fixture
def app(tmp_path):
    """The test app with its clock pinned, and an owner who covers only the other school."""
    app = make_app(tmp_path, NOW=NOW)
    db = db_of(app)
    with transaction(db):
        db["user"].insert({"id": OWNER_B_ONLY, "username": "eier2", "full_name": "Oda Annen Eier", "role": "owner",
                           "created_at": clock.utc_iso_now()})
        db["membership"].insert({"user_id": OWNER_B_ONLY, "school_id": data.SCHOOL_B})
    db.conn.close()
    return app


@pytest.fixture
def cases(app):
    """An ordinary case, a §12-5 case, and a melding and a case about a leader (owners only), at school A."""
    ids = {"melding": add_melding(app, observation=False),
           "melding_12_5": add_melding(app, observation=False, section_12_5=True),
           "melding_leader": add_melding(app, observation=False, section_12_5=True, concerns_leader=True),
           "melding_leader_for_sak": add_melding(app, observation=False, section_12_5=True, concerns_leader=True)}
    opened = (("sak", add_melding(app, observation=False), data.LEADER),
              ("sak_12_5", add_melding(app, observation=False, section_12_5=True), data.LEADER),
              ("sak_leader", ids["melding_leader_for_sak"], data.OWNER))
    db = db_of(app)
    now = clock.parse(NOW)
    with transaction(db):
        for key, melding, opener in opened:
            ids[key] = saker.open_sak(db, db["melding"].get(melding), data.PUPIL_A, opener, opener, now)
    db.conn.close()
    return ids


def _task(app, sak_id, key="undersoke"):
    """One of a case's routine tasks."""
    return one(db_of(app), "SELECT * FROM sak_task WHERE sak_id = ? AND task_key = ?", [sak_id, key])


# ---------------------------------------------------------------- §12-5 about a leader: owners' people only

def _assignments(app, cases):
    """Every route that assigns someone, for the records only owners may see: (url, form for a person, reads back)."""
    db = db_of(app)
    task = _task(app, cases["sak_leader"])
    melding, sak = cases["melding_leader"], cases["sak_leader"]
    return {
        "melding ansvarlig": (f"/meldinger/{melding}/ansvarlig", lambda p: {"assigned_to": p},
                              lambda: db["melding"].get(melding)["assigned_to"]),
        "opprett sak": (f"/meldinger/{melding}/sak", lambda p: {"pupil_id": data.PUPIL_A, "owner_id": p},
                        lambda: one(db, "SELECT owner_id FROM sak JOIN sak_melding ON sak_melding.sak_id = sak.id "
                                        "WHERE melding_id = ?", [melding])),
        "saksansvarlig": (f"/saker/{sak}/ansvarlig", lambda p: {"owner_id": p},
                          lambda: db["sak"].get(sak)["owner_id"]),
        "oppgave": (f"/saker/{sak}/oppgaver/{task['id']}", lambda p: {"owner_id": p},
                    lambda: db["sak_task"].get(task["id"])["owner_id"]),
        "koordinator": (f"/saker/{sak}/aktivitetsplan", lambda p: {"coordinator_id": p},
                        lambda: (one(db, "SELECT coordinator_id FROM aktivitetsplan WHERE sak_id = ?", [sak])
                                 or {}).get("coordinator_id")),
    }


@pytest.mark.parametrize("route", ["melding ansvarlig", "opprett sak", "saksansvarlig", "oppgave", "koordinator"])
def test_owners_only_records_can_be_assigned_only_to_the_school_owners_people(app, auth, cases, route):
    auth.login("skoleeier")
    url, form, read_back = _assignments(app, cases)[route]
    before = read_back()
    # the school's leader (who may be the one it is about), a staff member, an owner of another school
    for person in (data.LEADER, data.STAFF, OWNER_B_ONLY):
        assert auth.post(url, form(person)).status_code in (404, 422), person
        assert read_back() == before
    assert auth.post(url, form(data.OWNER)).status_code == 303
    after = read_back()
    assert (after["owner_id"] if isinstance(after, dict) else after) == data.OWNER


def options(html, name):
    """The texts of the options of every select with this name on a page."""
    selects = re.findall(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert selects, name
    return [[text.strip() for text in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)]
            for select in selects]


def test_owners_screens_offer_only_the_owners_people_for_a_record_about_a_leader(app, auth, client, cases):
    auth.login("skoleeier")
    melding = client.get(f"/meldinger/{cases['melding_leader']}").get_data(as_text=True)
    sak = client.get(f"/saker/{cases['sak_leader']}").get_data(as_text=True)
    plan = client.get(f"/saker/{cases['sak_leader']}/aktivitetsplan").get_data(as_text=True)
    assert options(melding, "assigned_to") == [["Ola Eier"]]  # the melding's Ansvarlig
    assert options(melding, "owner_id") == [["Ola Eier"]]     # Saksansvarlig of a case opened from it
    tasks = options(sak, "owner_id")                           # the case's Saksansvarlig, then each task's
    assert len(tasks) > 2 and all(choices == ["Ola Eier"] for choices in tasks)
    assert options(plan, "coordinator_id") == [["Ikke valgt", "Ola Eier"]]


# ---------------------------------------------------------------- who may own a case

def test_case_owner_and_task_owner_are_people_who_can_open_the_case(app, auth, client, cases):
    auth.login("leder")
    sak, task = cases["sak"], _task(app, cases["sak"])
    # a teacher cannot open cases: not offered, and refused
    html = client.get(f"/saker/{sak}").get_data(as_text=True)
    assert all(choices == ["Rita Rektor"] for choices in options(html, "owner_id"))
    melding_page = client.get(f"/meldinger/{cases['melding']}").get_data(as_text=True)
    assert options(melding_page, "assigned_to") == [["Rita Rektor"]]
    assert auth.post(f"/saker/{sak}/ansvarlig", {"owner_id": data.STAFF}).status_code == 404
    assert auth.post(f"/saker/{sak}/oppgaver/{task['id']}", {"owner_id": data.STAFF}).status_code == 404
    assert auth.post(f"/meldinger/{cases['melding']}/ansvarlig", {"assigned_to": data.STAFF}).status_code == 404
    assert auth.post(f"/meldinger/{cases['melding']}/sak",
                     {"pupil_id": data.PUPIL_A, "owner_id": data.STAFF}).status_code == 404
    db = db_of(app)
    assert db["sak"].get(sak)["owner_id"] == data.LEADER and db["sak_task"].get(task["id"])["owner_id"] == data.LEADER
    # the owner's people open a case only once it reaches them: then they may own it
    assert auth.post(f"/saker/{sak}/ansvarlig", {"owner_id": data.OWNER}).status_code == 404
    assert auth.post(f"/saker/{cases['sak_12_5']}/ansvarlig", {"owner_id": data.OWNER}).status_code == 303
    assert db["sak"].get(cases["sak_12_5"])["owner_id"] == data.OWNER


def test_coordinator_may_be_staff_in_an_ordinary_case_but_not_in_a_12_5_case(app, auth, client, cases):
    auth.login("leder")
    html = client.get(f"/saker/{cases['sak']}/aktivitetsplan").get_data(as_text=True)
    assert options(html, "coordinator_id") == [["Ikke valgt", "Rita Rektor", "Kari Lærer"]]
    html = client.get(f"/saker/{cases['sak_12_5']}/aktivitetsplan").get_data(as_text=True)
    assert options(html, "coordinator_id") == [["Ikke valgt", "Rita Rektor", "Ola Eier"]]
    refused = auth.post(f"/saker/{cases['sak_12_5']}/aktivitetsplan", {"coordinator_id": data.STAFF})
    assert refused.status_code in (404, 422)
    assert one(db_of(app), "SELECT 1 FROM aktivitetsplan WHERE sak_id = ? AND coordinator_id = ?",
               [cases["sak_12_5"], data.STAFF]) is None


def test_a_staff_coordinator_opens_that_case_and_its_plan_only_while_coordinator(app, auth, client, cases):
    sak = cases["sak"]
    auth.login("ansatt")
    assert client.get(f"/saker/{sak}").status_code == 404
    auth.logout()
    auth.login("leder")
    assert auth.post(f"/saker/{sak}/aktivitetsplan", {"background": "Mor ringte.",
                                                       "coordinator_id": data.STAFF}).status_code == 303
    db = db_of(app)
    history = [(e["action"], e["detail"])
               for e in db.query("SELECT * FROM sak_event WHERE sak_id = ? ORDER BY id", [sak])]
    assert ("Tilgang gitt", "Kari Lærer (koordinator) kan åpne saken og aktivitetsplanen") in history
    assert one(db, "SELECT 1 FROM audit_log WHERE entity = 'sak' AND entity_id = ? AND action = 'update' "
                   "AND detail = ?", [sak, f"tilgang gitt: koordinator, bruker {data.STAFF}"])
    auth.logout()

    auth.login("ansatt")
    home = client.get("/").get_data(as_text=True)  # the home screen leads there
    assert "Aktivitetsplaner du koordinerer" in home and f'href="/saker/{sak}"' in home
    page = client.get(f"/saker/{sak}")
    assert page.status_code == 200 and "koordinator for aktivitetsplanen" in page.get_data(as_text=True)
    plan = client.get(f"/saker/{sak}/aktivitetsplan").get_data(as_text=True)
    assert "Mor ringte." in plan and 'name="background"' not in plan
    assert db_of(app).execute("SELECT count(*) FROM audit_log WHERE entity = 'sak' AND entity_id = ? "
                               "AND action = 'view' AND user_id = ?", [sak, data.STAFF]).fetchone()[0] == 2
    # nothing else of leadership's: not other cases, not the letter, not changes
    assert client.get(f"/saker/{cases['sak_12_5']}").status_code == 404
    for url in (f"/saker/{sak}/brev", f"/saker/{sak}/eksport", "/saker/", "/meldinger/"):
        assert client.get(url).status_code == 403, url
    assert auth.post(f"/saker/{sak}/aktivitetsplan", {"background": "Endret"}).status_code == 403
    assert auth.post(f"/saker/{sak}/fase", {"phase": "utforme_tiltak"}).status_code == 403
    auth.logout()

    auth.login("leder")
    assert auth.post(f"/saker/{sak}/aktivitetsplan", {"background": "Mor ringte.",
                                                       "coordinator_id": data.LEADER}).status_code == 303
    assert one(db, "SELECT detail FROM sak_event WHERE sak_id = ? AND action = 'Tilgang fjernet'",
               [sak])["detail"] == "Kari Lærer er ikke lenger koordinator"
    auth.logout()
    auth.login("ansatt")
    assert client.get(f"/saker/{sak}").status_code == 404
    assert client.get(f"/saker/{sak}/aktivitetsplan").status_code == 404


# ---------------------------------------------------------------- the six weeks, moving on, a complete tiltak

TILTAK = {"level": "individ", "name": "Trygg voksen i storefri", "description": "En fast voksen.",
          "responsible": "Kari Lærer", "evaluation_participants": "eleven, foresatte"}


def _move_to(auth, sak, phase):
    """Move a case on, confirming with a reason when tasks are open."""
    return auth.post(f"/saker/{sak}/fase", {"phase": phase, "confirm": "1", "reason": "Videre etter avtale."})


def test_the_evaluation_is_due_six_weeks_after_the_measures_start_not_after_the_phase_change(app, auth, client, cases):
    auth.login("leder")
    sak = cases["sak"]
    _move_to(auth, sak, "utforme_tiltak")
    starts = TODAY + timedelta(days=7)  # planned to start next week
    assert auth.post(f"/saker/{sak}/tiltak/ny", {**TILTAK, "start_on": starts.isoformat(),
                                                 "evaluation_on": (starts + timedelta(weeks=5)).isoformat(),
                                                 "client_id": form_id()}).status_code == 303
    assert _move_to(auth, sak, "iverksette_tiltak").status_code == 303
    evaluation = _task(app, sak, "evalueringsmote")
    assert evaluation["due_on"] == "2027-01-14"  # 3 December + six weeks; the phase changed on 26 November
    assert "evaluering senest 14.01.2027" in client.get(f"/saker/{sak}").get_data(as_text=True)
    # a measure starting earlier moves the date with it, and the history says so
    assert auth.post(f"/saker/{sak}/tiltak/ny", {**TILTAK, "level": "system", "name": "Organisert lek",
                                                 "start_on": "2026-11-30", "evaluation_on": "2026-12-21",
                                                 "client_id": form_id()}).status_code == 303
    assert _task(app, sak, "evalueringsmote")["due_on"] == "2027-01-11"
    assert db_of(app)["sak"].get(sak)["measures_started_on"] == "2026-11-30"
    assert one(db_of(app), "SELECT detail FROM sak_event WHERE sak_id = ? AND action = 'Frist endret' "
                           "ORDER BY id DESC LIMIT 1", [sak])["detail"].endswith("11.01.2027 (seks uker etter at "
                                                                                  "tiltakene startet 30.11.2026)")
    # the task's own deadline cannot be moved past the six weeks
    auth.post(f"/saker/{sak}/oppgaver/{evaluation['id']}", {"due_on": "2027-01-20"})
    assert _task(app, sak, "evalueringsmote")["due_on"] == "2027-01-11"


def test_moving_on_with_open_tasks_asks_for_confirmation_and_records_why(app, auth, client, cases):
    auth.login("leder")
    sak = cases["sak"]
    response = auth.post(f"/saker/{sak}/fase", {"phase": "utforme_tiltak"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Gå videre til Utforme tiltak?" in html
    assert "Samtaler med eleven som blir krenket/mobbet" in html and "over fristen" not in html
    assert db_of(app)["sak"].get(sak)["phase"] == "undersokelse"
    response = auth.post(f"/saker/{sak}/fase", {"phase": "utforme_tiltak", "confirm": "1", "reason": "  "})
    assert response.status_code == 422 and "Skriv hvorfor saken går videre" in response.get_data(as_text=True)
    assert db_of(app)["sak"].get(sak)["phase"] == "undersokelse"
    assert auth.post(f"/saker/{sak}/fase", {"phase": "utforme_tiltak", "confirm": "1",
                                            "reason": "Foresatte ønsket tiltak straks."}).status_code == 303
    db = db_of(app)
    assert db["sak"].get(sak)["phase"] == "utforme_tiltak"
    detail = one(db, "SELECT detail FROM sak_event WHERE sak_id = ? AND action = 'Gikk videre med åpne oppgaver'",
                 [sak])["detail"]
    assert "Rektor undersøker saken" in detail and detail.endswith("Begrunnelse: Foresatte ønsket tiltak straks.")
    # with every task of the phase done, it moves on at once
    for task in db.query("SELECT id FROM sak_task WHERE sak_id = ? AND phase = 'utforme_tiltak'", [sak]):
        auth.post(f"/saker/{sak}/oppgaver/{task['id']}", {"done": "1"})
    assert auth.post(f"/saker/{sak}/fase", {"phase": "iverksette_tiltak"}).status_code == 303
    assert db["sak"].get(sak)["phase"] == "iverksette_tiltak"


def test_a_tiltak_needs_a_start_date_a_responsible_person_and_an_evaluation_date(app, auth, cases):
    auth.login("leder")
    sak = cases["sak"]
    response = auth.post(f"/saker/{sak}/tiltak/ny", {"level": "individ", "name": "Trygg voksen i storefri",
                                                     "description": "En fast voksen.", "client_id": form_id()})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in ("Skriv datoen tiltaket settes i gang.", "Skriv hvem som er ansvarlig for tiltaket.",
                    "Skriv datoen for evalueringsmøtet."):
        assert message in html
    assert 'value="Trygg voksen i storefri"' in html and "En fast voksen." in html
    assert db_of(app).execute("SELECT count(*) FROM tiltak WHERE sak_id = ?", [sak]).fetchone()[0] == 0


def test_migration_counts_existing_cases_six_weeks_from_their_tiltak_and_adds_letter_corrections(app):
    from webapp.db import migrate

    db = db_of(app)
    now = clock.parse(NOW)
    meldinger = [add_melding(app, observation=False) for _ in range(2)]
    stamp = clock.to_utc_iso(now)
    with transaction(db):
        ids = []
        for melding, evaluation_due in zip(meldinger, ("2027-01-01", "2026-12-20")):
            # as the old rule left a case: the measures "started" on the phase change (20 November),
            # though its first tiltak started on 2 November; the second's evaluation was moved by hand
            sak_id = saker.open_sak(db, db["melding"].get(melding), data.PUPIL_A, data.LEADER, data.LEADER, now)
            db["sak"].update(sak_id, {"phase": "iverksette_tiltak", "measures_started_on": "2026-11-20"})
            db["tiltak"].insert({"sak_id": sak_id, "level": "individ", "name": "Trygg voksen", "start_on": "2026-11-02",
                                 "created_at": stamp, "updated_at": stamp})
            db["sak_task"].insert({"sak_id": sak_id, "phase": "evaluere_tiltak", "task_key": "evalueringsmote",
                                   "title": "Evaluering", "due_on": evaluation_due})
            ids.append(sak_id)
    db.execute("DROP TABLE sak_letter")
    db.execute("DELETE FROM _sqlite_migrations "
               "WHERE name IN ('sak_letter_corrections', 'sak_measures_start_from_tiltak')")
    assert migrate(db) == ["sak_letter_corrections", "sak_measures_start_from_tiltak"]
    assert [db["sak"].get(sak_id)["measures_started_on"] for sak_id in ids] == ["2026-11-02", "2026-11-02"]
    assert [_task(app, sak_id, "evalueringsmote")["due_on"] for sak_id in ids] == ["2026-12-14", "2026-12-20"]
    assert db["sak_letter"].exists()
