"""Tilsyn screens through the test client: roster editing, CSV import, swaps, the duty, coverage."""
import io

import pytest

from webapp.db import connect

from . import data
from .conftest import make_app
from .duty_data import COLLEAGUE, IDRETT, OVRE, TUNET, load_roster

MONDAY_0825 = "2026-11-23T08:25:00+01:00"


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path, NOW=MONDAY_0825)
    db = connect(app.config["DATABASE"])
    app.slots = load_roster(db)
    db.conn.close()
    return app


def text(response):
    return response.get_data(as_text=True)


def current_plan(db):
    return sorted((row["starts"], row["zone_id"], row["weekday"], row["user_id"]) for row in db.query(
        "SELECT duty_slot.starts, zone_id, weekday, user_id FROM duty_assignment "
        "JOIN duty_slot ON duty_slot.id = duty_assignment.slot_id WHERE duty_assignment.valid_to IS NULL"))


# ------------------------------------------------------------------ home and my duties

def test_staff_sees_duty_now_on_home_screen_and_starts_it(app, client, auth, db):
    auth.login("ansatt")
    home = text(client.get("/"))
    assert "Du har vakt nå:" in home and "Tunet, 08:20–08:30" in home
    response = auth.post("/tilsyn/start", {"slot_id": app.slots["morning"], "zone_id": TUNET})
    assert response.status_code == 302
    session = db["duty_session"].get(1)
    assert (session["user_id"], session["zone_id"], session["started_at"]) == (
        data.STAFF, TUNET, "2026-11-23T07:25:00+00:00")
    screen = text(client.get(response.location))
    assert "Utevakter skal bruke vest." in screen
    for part in ["Bevegelse", "Skanning", "Positiv involvering", "Oppmuntring", "Håndtering av problematferd"]:
        assert f"<summary>{part}</summary>" in screen
    assert "Bruk 5:1-regelen" in screen
    assert "Du er på vakt" in text(client.get("/"))


def test_staff_without_duty_today_is_told_so(app, client, auth):
    app.config["NOW"] = "2026-11-28T10:00:00+01:00"  # Saturday
    auth.login("ansatt")
    assert "Ingen tilsyn i dag" in text(client.get("/"))
    auth.logout()
    app.config["NOW"] = "2026-11-23T13:00:00+01:00"
    auth.login("ansatt")
    home = text(client.get("/"))
    assert "Ingen flere vakter i dag." in home and "Tirsdag 24.11." in home
    auth.logout()
    auth.login("skoleeier")
    assert "Tilsyn i dag" not in text(client.get("/"))


def test_cannot_start_a_duty_that_is_not_mine_or_not_now(app, client, auth, db):
    auth.login("ansatt")
    auth.post("/tilsyn/start", {"slot_id": app.slots["morning"], "zone_id": OVRE})
    auth.post("/tilsyn/start", {"slot_id": app.slots["break"], "zone_id": TUNET})  # 09:45: too early
    assert db["duty_session"].count == 0


def test_ending_a_duty_leaves_a_handover_note_for_the_next(app, client, auth, db):
    auth.login("ansatt")
    auth.post("/tilsyn/start", {"slot_id": app.slots["morning"], "zone_id": TUNET})
    app.config["NOW"] = "2026-11-23T08:31:00+01:00"
    response = auth.post("/tilsyn/vakt/1/avslutt", {"handover_note": "Ballen ligger på taket."})
    assert response.status_code == 302
    session = db["duty_session"].get(1)
    assert (session["ended_by"], session["ended_at"], session["handover_note"]) == (
        "user", "2026-11-23T07:31:00+00:00", "Ballen ligger på taket.")
    auth.logout()
    app.config["NOW"] = "2026-11-23T09:40:00+01:00"
    auth.login("kollega")
    response = auth.post("/tilsyn/start", {"slot_id": app.slots["break"], "zone_id": TUNET})
    screen = text(client.get(response.location))
    assert "Vaktskifte" in screen and "Ballen ligger på taket." in screen


def test_duty_screen_of_someone_else_is_not_found(app, client, auth):
    auth.login("ansatt")
    auth.post("/tilsyn/start", {"slot_id": app.slots["morning"], "zone_id": TUNET})
    auth.logout()
    auth.login("kollega")
    assert client.get("/tilsyn/vakt/1").status_code == 404
    auth.logout()
    auth.login("ansatt2")
    assert client.get("/tilsyn/vakt/1").status_code == 404


# ------------------------------------------------------------------ følg med på

def test_flagged_pupils_are_shown_on_duty_and_viewing_is_audited(app, client, auth, db):
    auth.login("leder")
    response = auth.post("/tilsyn/folg-med", {"pupil_id": data.PUPIL_A2, "look_for": "Går mye alene",
                                               "until": "2026-12-04"})
    assert response.status_code == 302
    auth.logout()
    auth.login("ansatt")
    auth.post("/tilsyn/start", {"slot_id": app.slots["morning"], "zone_id": TUNET})
    screen = text(client.get("/tilsyn/vakt/1"))
    assert "Følg med på" in screen and "Bea Berge" in screen and "Går mye alene" in screen
    assert "2015" not in screen  # no more than name, class and the line
    seen = list(connect(app.config["DATABASE"]).query(
        "SELECT * FROM audit_log WHERE entity = 'watch_flag' AND action = 'view'"))
    assert [(row["user_id"], row["pupil_id"]) for row in seen] == [(data.STAFF, data.PUPIL_A2)]
    auth.logout()
    app.config["NOW"] = "2026-12-05T08:25:00+01:00"
    auth.login("leder")
    assert "Går mye alene" not in text(client.get("/tilsyn/folg-med"))


def test_leader_cannot_flag_another_schools_pupil(client, auth, db):
    auth.login("leder")
    response = auth.post("/tilsyn/folg-med", {"pupil_id": data.PUPIL_B, "look_for": "x", "until": "2026-12-01"})
    assert response.status_code == 422 and "Dina Eide" not in text(response)
    assert db["watch_flag"].count == 0


def test_a_pupil_who_has_left_the_school_is_not_flagged(client, auth, db):
    auth.login("leder")
    db.execute("UPDATE pupil SET active = 0 WHERE id = ?", [data.PUPIL_A])
    response = auth.post("/tilsyn/folg-med", {"pupil_id": data.PUPIL_A, "look_for": "Går alene", "until": "2026-12-01"})
    assert response.status_code == 422 and "Aksel Andersen har sluttet ved skolen." in text(response)
    assert db["watch_flag"].count == 0


def test_contact_teacher_flags_own_class_only(app, client, auth, db):
    auth.login("ansatt")  # contact teacher of 5A, not 6A
    page = text(client.get("/tilsyn/folg-med"))
    assert "Aksel Andersen" in page and "Cato Dahle" not in page
    response = auth.post("/tilsyn/folg-med", {"pupil_id": data.PUPIL_A3, "look_for": "x", "until": "2026-12-01"})
    assert response.status_code == 422 and "Velg en elev fra listen." in text(response)
    response = auth.post("/tilsyn/folg-med", {"pupil_id": data.PUPIL_A, "look_for": "", "until": "1.1.2020"})
    assert response.status_code == 422
    assert "Skriv kort hva" in text(response) and "allerede vært" in text(response)
    assert db["watch_flag"].count == 0
    auth.logout()
    auth.login("kollega")
    assert "ikke kontaktlærer" in text(client.get("/tilsyn/folg-med"))


# ------------------------------------------------------------------ roster editing

def test_leader_edits_a_cell_of_the_plan(app, client, auth, db):
    auth.login("leder")
    assert client.get("/tilsyn/plan/rediger").status_code == 200
    url = f"/tilsyn/plan/{app.slots['morning']}/{IDRETT}/2"
    assert "Kåre Kollega" in text(client.get(url))
    response = auth.post(url, {"user_id": [str(data.LEADER), str(COLLEAGUE)]})
    assert response.status_code == 302
    assert ("08:20", IDRETT, 2, COLLEAGUE) in current_plan(db)
    auth.post(url, {"user_id": [str(data.LEADER)]})
    assert ("08:20", IDRETT, 2, COLLEAGUE) not in current_plan(db)
    # someone from another school cannot be put on the plan
    auth.post(url, {"user_id": [str(data.STAFF_B)]})
    assert all(row[3] != data.STAFF_B for row in current_plan(db))


def test_leader_adds_and_changes_time_slots(app, client, auth, db):
    auth.login("leder")
    assert auth.post("/tilsyn/plan/tider", {"starts": "12.00", "ends": "12:15"}).status_code == 302
    response = auth.post("/tilsyn/plan/tider", {"starts": "11:20", "ends": "11:40"})
    assert response.status_code == 422 and "overlapper med 11:15–11:30" in text(response)
    response = auth.post("/tilsyn/plan/tider", {"starts": "25:00", "ends": "12:15"})
    assert response.status_code == 422 and "ikke et klokkeslett" in text(response)
    response = auth.post(f"/tilsyn/plan/tider/{app.slots['lunch']}", {"starts": "11:10", "ends": "11:30"})
    assert response.status_code == 302
    assert ("11:10", IDRETT, 0, data.LEADER) in current_plan(db)


@pytest.mark.parametrize("url, form", [
    ("/tilsyn/plan/rediger", None), ("/tilsyn/plan/tider", {"starts": "13:00", "ends": "13:15"}),
    ("/tilsyn/plan/1/1/0", {"user_id": "1"}), ("/tilsyn/plan/import", None), ("/tilsyn/dekning", None),
    ("/tilsyn/fridager", None), ("/tilsyn/logg", None), ("/tilsyn/bytter", None),
])
def test_staff_cannot_edit_the_roster_or_see_leader_screens(client, auth, db, url, form):
    auth.login("ansatt")
    response = auth.post(url, form) if form else client.get(url)
    assert response.status_code == 403
    assert db["duty_slot"].count == 3


def test_other_schools_plan_cells_are_not_found(client, auth):
    auth.login("leder2")
    assert client.get("/tilsyn/plan/1/1/0").status_code == 404


# ------------------------------------------------------------------ CSV import

GOOD_CSV = """tid;sted;mandag;tirsdag;onsdag;torsdag;fredag
08:20 – 08.30;Tunet;Kari L.;Kåre;Rita;Kari Lærer;Kåre Kollega
;Øvre/nedre;Kåre;Kari;Kåre;Rita / Kåre;Kari
09.45 – 10.00;Tunet;Rita;Rita;Kari;Kåre;Rita
;Gymsal;Kåre;;;;
"""


def upload(auth, content, name="plan.csv"):
    data_bytes = content.encode("utf-8") if isinstance(content, str) else content
    return auth.post("/tilsyn/plan/import", {"file": (io.BytesIO(data_bytes), name)},
                     content_type="multipart/form-data")


def test_import_a_plan_laid_out_like_vedlegg_2_2(client, auth, db):
    auth.login("leder")
    response = upload(auth, GOOD_CSV)
    assert response.status_code == 200, text(response)
    assert "2 tidsrom og 17 vakter" in text(response) and "Gymsal" in text(response)
    plan = current_plan(db)
    assert ("08:20", TUNET, 0, data.STAFF) in plan
    assert ("08:20", OVRE, 3, data.LEADER) in plan and ("08:20", OVRE, 3, COLLEAGUE) in plan
    assert not any(row[0] == "11:15" for row in plan)  # the old slot is off the plan
    assert db["zone"].count_where("name = 'Gymsal' AND school_id = ?", [data.SCHOOL_A]) == 1


@pytest.mark.parametrize("row, message", [
    ("11:15 – 11:30;Tunet;Kari;Ola Nordmann;;;", "Linje 4: tirsdag: ukjent ansatt «Ola Nordmann»"),
    ("08:25 – 08:40;Tunet;Kari;;;;", "Linje 4: 08:25–08:40 overlapper med 08:20–08:30 (linje 2)"),
    ("11.75 – 12.00;Tunet;Kari;;;;", "Linje 4: «11.75» er ikke et klokkeslett"),
    ("12:00 - 11:00;Tunet;Kari;;;;", "Linje 4: tidsrommet 12:00–11:00 slutter ikke etter at det begynner"),
    ("kl tolv;Tunet;Kari;;;;", "Linje 4: «kl tolv» er ikke et tidsrom"),
    (";Tunet;Kåre;;;;", "Linje 4: Tunet står to ganger for 08:20–08:30"),
    ("11:15 – 11:30;;Kari;;;;", "Linje 4: sted mangler"),
])
def test_import_reports_each_bad_row_and_stores_nothing(client, auth, db, row, message):
    auth.login("leder")
    before = current_plan(db)
    content = ("tid;sted;mandag;tirsdag;onsdag;torsdag;fredag\n08:20 – 08:30;Tunet;Kari;;;;\n"
               ";Øvre/nedre;Kåre;;;;\n" + row + "\n")
    response = upload(auth, content)
    assert response.status_code == 422
    assert message in text(response).replace("&#34;", '"'), text(response)
    assert "Ingenting er lagret" in text(response)
    assert current_plan(db) == before


def test_import_refuses_a_file_without_the_columns(client, auth, db):
    auth.login("leder")
    response = upload(auth, "navn;klasse\nKari;5A\n")
    assert response.status_code == 422 and "mangler kolonnene" in text(response)
    response = upload(auth, "tid;sted;mandag\n".encode("latin-1") + "Tunet;Bjørn\n".encode("latin-1"))
    assert response.status_code == 422


# ------------------------------------------------------------------ swaps and reassignment

def test_swap_is_asked_accepted_and_shown_on_the_roster(app, client, auth, db):
    auth.login("ansatt")
    url = f"/tilsyn/bytte/2026-11-24/{app.slots['morning']}/{TUNET}"
    page = text(client.get(url))
    assert "Ved planlagt fravær byttes tilsyn på forhånd." in page
    response = auth.post(url, {"to_user_id": data.LEADER, "note": "Tannlege"})
    assert response.status_code == 302
    assert "Venter på svar" in text(client.get("/tilsyn/"))
    auth.logout()

    auth.login("leder")
    mine = text(client.get("/tilsyn/"))
    assert "Kari Lærer spør om du kan ta vakten" in mine and "Tannlege" in mine
    assert "1 forespørsel om å ta en vakt" in text(client.get("/"))
    change_id = db["duty_change"].get(1)["id"]
    # only the one asked can answer
    auth.logout()
    auth.login("kollega")
    assert auth.post(f"/tilsyn/bytte/{change_id}/svar", {"answer": "ja"}).status_code == 404
    auth.logout()
    auth.login("leder")
    auth.post(f"/tilsyn/bytte/{change_id}/svar", {"answer": "ja"})
    assert db["duty_change"].get(change_id)["status"] == "accepted"
    roster = text(client.get("/tilsyn/plan?dato=2026-11-24"))
    assert "byttet, sto på Kari Lærer" in roster
    assert "Kari Lærer → Rita Rektor" in text(client.get("/tilsyn/bytter"))


def test_swap_to_a_colleague_already_on_duty_is_refused_with_the_form_kept(app, client, auth, db):
    auth.login("ansatt")
    response = auth.post(f"/tilsyn/bytte/2026-11-24/{app.slots['morning']}/{TUNET}",
                         {"to_user_id": COLLEAGUE, "note": "Kurs"})
    assert response.status_code == 422
    assert "har allerede tilsyn på Øvre/nedre" in text(response) and 'value="Kurs"' in text(response)
    assert db["duty_change"].count == 0


@pytest.mark.parametrize("choice", ["abc", str(data.STAFF_B), "0"])
def test_swap_to_someone_not_on_the_staff_list_is_refused_in_norwegian(app, client, auth, db, choice):
    auth.login("ansatt")
    response = auth.post(f"/tilsyn/bytte/2026-11-24/{app.slots['morning']}/{TUNET}", {"to_user_id": choice})
    assert response.status_code == 422 and "Velg en kollega fra listen." in text(response)
    assert db["duty_change"].count == 0


def test_swap_of_someone_elses_duty_is_not_found(app, client, auth):
    auth.login("kollega")
    assert client.get(f"/tilsyn/bytte/2026-11-24/{app.slots['morning']}/{TUNET}").status_code == 404


def test_requester_withdraws_a_swap(app, client, auth, db):
    auth.login("ansatt")
    auth.post(f"/tilsyn/bytte/2026-11-24/{app.slots['morning']}/{TUNET}", {"to_user_id": data.LEADER})
    auth.post("/tilsyn/bytte/1/trekk")
    assert db["duty_change"].get(1)["status"] == "withdrawn"


def test_leader_reassigns_a_dated_duty(app, client, auth, db):
    auth.login("leder")
    url = f"/tilsyn/omfordel/2026-11-23/{app.slots['break']}/{TUNET}/{data.STAFF}"
    assert client.get(url).status_code == 200
    response = auth.post(url, {"to_user_id": data.LEADER, "note": "Kari er syk"})
    assert response.status_code == 302
    change = db["duty_change"].get(1)
    assert (change["kind"], change["status"], change["to_user_id"]) == ("reassign", "accepted", data.LEADER)
    assert "byttet, sto på Kari Lærer" in text(client.get("/tilsyn/plan?dato=2026-11-23"))


# ------------------------------------------------------------------ leadership

def test_coverage_board_shows_who_has_started_and_zones_without_anyone(app, client, auth):
    auth.login("ansatt")
    auth.post("/tilsyn/start", {"slot_id": app.slots["morning"], "zone_id": TUNET})
    auth.logout()
    auth.login("leder")
    page = text(client.get("/tilsyn/dekning"))
    assert "Nå: 08:20–08:30" in page and "2 soner uten voksen" in page
    assert "Kari Lærer –" in page and "på vakt fra 08:25" in page
    assert "Ingen satt opp" in page and "Ingen har startet" in page
    assert 'hx-trigger="every 20s"' in page
    # the poll gets the board alone, not the page
    fragment = text(client.get("/tilsyn/dekning", headers={"HX-Request": "true"}))
    assert fragment.lstrip().startswith('<div id="coverage"') and "<html" not in fragment


def test_date_without_duties_is_marked_by_a_leader(app, client, auth):
    auth.login("leder")
    response = auth.post("/tilsyn/fridager", {"day": "2026-11-23", "reason": "Planleggingsdag"})
    assert response.status_code == 302
    assert "Ingen tilsyn i dag" in text(client.get("/tilsyn/dekning"))
    response = auth.post("/tilsyn/fridager", {"day": "31.02.2026", "reason": "x"})
    assert response.status_code == 422 and "Skriv en dato" in text(response)
    auth.logout()
    auth.login("ansatt")
    assert "Ingen tilsyn i dag</strong> (Planleggingsdag)" in text(client.get("/"))


def test_leader_reads_the_record_of_a_day(app, client, auth):
    auth.login("ansatt")
    auth.post("/tilsyn/start", {"slot_id": app.slots["morning"], "zone_id": TUNET})
    auth.logout()
    auth.login("leder")
    page = text(client.get("/tilsyn/logg?dato=2026-11-23"))
    assert "Kari Lærer: 08:25–pågår" in page and "Ingen startet vakten i Trygg." in page


def test_printable_roster_lists_the_week_like_the_paper_plan(client, auth):
    auth.login("ansatt")
    page = text(client.get("/tilsyn/plan/utskrift"))
    assert "Mandag" in page and "Fredag" in page and "08:20–08:30" in page
    assert "Områdene er veiledende." in page


def test_printable_roster_says_the_date_the_plan_applies_from_not_today(app, client, auth):
    auth.login("leder")
    # the plan has been as it is since 1 January; it is printed on Monday 23 November
    page = text(client.get("/tilsyn/plan/utskrift"))
    assert "Gjelder fra 01.01.2026" in page and "23.11.2026" not in page
    # a cell changed today: the plan printed applies from today
    assert auth.post(f"/tilsyn/plan/{app.slots['morning']}/{IDRETT}/2",
                     {"user_id": [str(COLLEAGUE)]}).status_code == 302
    assert "Gjelder fra 23.11.2026" in text(client.get("/tilsyn/plan/utskrift"))
    # printed later that week, it still applies from the day of the change
    auth.logout()
    app.config["NOW"] = "2026-11-26T09:00:00+01:00"
    auth.login("leder")
    assert "Gjelder fra 23.11.2026" in text(client.get("/tilsyn/plan/utskrift"))
    # someone taken off the plan is a change too (their rows end the day before)
    auth.logout()
    app.config["NOW"] = "2026-11-27T09:00:00+01:00"
    auth.login("leder")
    assert auth.post(f"/tilsyn/plan/{app.slots['morning']}/{IDRETT}/2", {"user_id": []}).status_code == 302
    assert "Gjelder fra 27.11.2026" in text(client.get("/tilsyn/plan/utskrift"))
