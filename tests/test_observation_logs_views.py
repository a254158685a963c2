"""Systematic observation through the web: plan (8:1), share out (8:2), log on the phone (8:3),
keep or drop what came from duty, put together and export; only the right people get in."""
import io
import json
import re
import zipfile
from datetime import datetime

from docx import Document
from docx.oxml.ns import qn

from webapp import clock, docx_template

from . import data
from .conftest import demo_database
from .observation_fixtures import NOW, app, assign, make_plan  # noqa: F401 (app: a fixture)
from .records import save_record

HTMX = {"HX-Request": "true"}


def start_log(auth, plan_id, client_id="klient-0001", assignment_id=None):
    """Start a log through the view; returns its id."""
    form = {"client_id": client_id}
    if assignment_id:
        form["assignment_id"] = assignment_id
    response = auth.post(f"/observasjon/{plan_id}/logg", form)
    assert response.status_code == 303
    return int(response.location.rsplit("/", 1)[1])


def not_contact_teacher(db):
    """Make Kari (ansatt) no longer 5A's contact teacher: from now on she is only an observer."""
    db.execute("UPDATE school_class SET contact_teacher_id = NULL WHERE id = ?", [data.CLASS_A])


def switch_to(auth, username):
    """Log out and in again as someone else."""
    auth.logout()
    auth.login(username)


# ------------------------------------------------------------------ plan (8:1)

def plan_form(**changes):
    """A filled-in planning form, with some fields changed."""
    form = {"class_id": data.CLASS_A, "pupil_id": data.PUPIL_A, "starts_on": "2026-11-23",
            "ends_on": "2026-11-27", "answer_finne_ut": "Om Aksel blir holdt utenfor.",
            "answer_observatorer": "Kontaktlærer og SFO.", "needs": ["empati", "lekeferdigheter"]}
    form.update(changes)
    return form


def test_leader_plans_an_observation_answering_the_planning_questions(client, auth, db):
    auth.login("leder")
    page = client.get("/observasjon/ny").get_data(as_text=True)
    for text in ["Hva ønsker dere å finne ut?", "Skal dere konstruere noen situasjoner eller studere "
                 "naturlige situasjoner?", "Hva trenger vi å vite?", "langsom å varme opp",
                 "Samspill og kommunikasjon mellom elever"]:
        assert text in page
    response = auth.post("/observasjon/ny", plan_form())
    assert response.status_code == 303 and response.location.endswith("/observasjon/1/fordeling")
    plan = db["observation_plan"].get(1)
    assert plan["pupil_id"] == data.PUPIL_A and plan["created_by"] == data.LEADER
    assert json.loads(plan["answers"]) == {"finne_ut": "Om Aksel blir holdt utenfor.",
                                           "observatorer": "Kontaktlærer og SFO."}
    assert json.loads(plan["needs"]) == ["empati", "lekeferdigheter"]
    assert db.execute("SELECT count(*) FROM audit_log WHERE entity = 'observation_plan' "
                      "AND action = 'create' AND pupil_id = ?", [data.PUPIL_A]).fetchone()[0] == 1


def test_plan_with_dates_in_the_wrong_order_keeps_what_was_typed(client, auth, db):
    auth.login("leder")
    response = auth.post("/observasjon/ny", plan_form(starts_on="2026-11-27", ends_on="2026-11-23"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Sluttdatoen kan ikke være før startdatoen." in page
    assert "Om Aksel blir holdt utenfor." in page
    assert db["observation_plan"].count == 0


def test_plan_pupil_must_be_in_the_chosen_class(client, auth, db):
    auth.login("leder")
    response = auth.post("/observasjon/ny", plan_form(pupil_id=data.PUPIL_A3))
    assert response.status_code == 422
    assert "Eleven går ikke i klassen du har valgt." in response.get_data(as_text=True)
    assert db["observation_plan"].count == 0


def test_pupil_of_another_school_cannot_be_planned_for(client, auth, db):
    auth.login("leder")
    assert auth.post("/observasjon/ny", plan_form(pupil_id=data.PUPIL_B)).status_code == 422
    assert db["observation_plan"].count == 0


def test_a_plan_whose_pupil_has_left_the_school_can_still_be_changed(client, auth, db):
    auth.login("leder")
    plan_id = make_plan(db)
    db.execute("UPDATE pupil SET active = 0 WHERE id = ?", [data.PUPIL_A])
    assert "Aksel Andersen" in client.get(f"/observasjon/{plan_id}/plan").get_data(as_text=True)
    assert auth.post(f"/observasjon/{plan_id}/plan", plan_form(ends_on="2026-11-28")).status_code == 303
    assert db["observation_plan"].get(plan_id)["ends_on"] == "2026-11-28"
    # a new plan is not made for a pupil who has left
    assert auth.post("/observasjon/ny", plan_form()).status_code == 422


def test_the_pupil_list_offers_only_the_chosen_class_pupils(client, auth, db):
    auth.login("leder")
    first = client.get("/observasjon/ny").get_data(as_text=True)   # 5A is the first class in the list
    assert "Aksel Andersen" in first and "Bea Berge" in first and "Cato Dahle" not in first
    # choosing 6A asks for the page again with that class (htmx swaps in the pupil list only)
    other = client.get(f"/observasjon/ny?class_id={data.CLASS_A2}", headers=HTMX).get_data(as_text=True)
    pupils = other[other.index('id="enkeltelev"'):]
    pupils = pupils[:pupils.index("</select>")]
    assert "Cato Dahle" in pupils and "Aksel Andersen" not in pupils and "Ingen – hele klassen" in pupils
    # another school's class is not one to choose: the first class's pupils are shown
    assert "Dina Eide" not in client.get(f"/observasjon/ny?class_id={data.CLASS_B}").get_data(as_text=True)
    # changing a plan: its own class's pupils
    plan_id = make_plan(db)
    edit = client.get(f"/observasjon/{plan_id}/plan").get_data(as_text=True)
    assert "Aksel Andersen" in edit and "Cato Dahle" not in edit
    # a refused save shows the class chosen, with its pupils
    refused = auth.post("/observasjon/ny", plan_form(class_id=data.CLASS_A2, pupil_id=data.PUPIL_A))
    refused = refused.get_data(as_text=True)
    assert "Eleven går ikke i klassen du har valgt." in refused
    assert "Cato Dahle" in refused and "Bea Berge" not in refused


def test_a_plan_made_now_under_a_pinned_clock_takes_todays_records(client, auth, db):
    earlier = save_record(db, kind="concern", author=data.STAFF,
                          observed_at=datetime(2026, 11, 26, 9, 50, tzinfo=clock.OSLO),
                          context="friminutt", facts="Sto alene i storefri.", pupils=[(data.PUPIL_A, "utsatt")])
    auth.login("leder")
    response = auth.post("/observasjon/ny", plan_form(starts_on="2026-11-26", ends_on="2026-11-27"))
    assert response.status_code == 303
    plan_id = db.execute("SELECT max(id) FROM observation_plan").fetchone()[0]
    assert db["observation_plan"].get(plan_id)["created_at"] == clock.to_utc_iso(NOW)
    # recorded on the capture screen at this very moment (the clock does not move)
    saved = auth.post("/registrer/ny", {
        "kind": "positive", "client_id": "form-0000000001", "opened_at": clock.to_utc_iso(NOW),
        "observed_date": "2026-11-26", "observed_time": "12:00", "context": "friminutt", "zone_id": "",
        "pupil": [str(data.PUPIL_A)], "label": ["leker_sammen"], "facts": "Lekte sisten med tre andre."})
    assert saved.status_code == 303
    page = client.get(f"/observasjon/{plan_id}").get_data(as_text=True)
    assert "Sto alene i storefri." in page and "Lekte sisten med tre andre." in page
    assert f'id="tilsyn-{earlier}"' in page


def test_teacher_plans_and_shares_out_their_own_observation(client, auth, db):
    auth.login("ansatt")
    assert auth.post("/observasjon/ny", plan_form()).status_code == 303
    assert client.get("/observasjon/1/fordeling").status_code == 200
    assert client.get("/observasjon/1/plan").status_code == 200


# ------------------------------------------------------------------ organise (8:2)

def test_leader_shares_out_observers_days_and_situations(client, auth, db):
    plan_id = make_plan(db, starts_on="2026-11-30", ends_on="2026-12-04")  # next week
    auth.login("leder")
    response = auth.post(f"/observasjon/{plan_id}/fordeling", {
        "observer_id": data.STAFF, "day": "alle", "situation": "Utelek/storefri"})
    assert response.status_code == 303
    response = auth.post(f"/observasjon/{plan_id}/fordeling", {
        "observer_id": data.LEADER, "day": "2026-12-01", "situation": "Innelek SFO 14:30–15:30"})
    assert response.status_code == 303
    days = [row["day"] for row in db.query(
        "SELECT day FROM observation_assignment WHERE observer_id = ? ORDER BY day", [data.STAFF])]
    assert days == ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"]
    page = client.get(f"/observasjon/{plan_id}/fordeling").get_data(as_text=True)
    assert "Innelek SFO 14:30–15:30" in page and "Rita Rektor" in page
    assert '<option value="alle">Alle dagene</option>' in page

    again = auth.post(f"/observasjon/{plan_id}/fordeling", {
        "observer_id": data.STAFF, "day": "2026-12-03", "situation": "Utelek/storefri"})
    assert again.status_code == 422
    assert "allerede fordelt" in again.get_data(as_text=True)


def test_all_days_gives_tasks_from_today_on_never_on_days_gone_by(client, auth, db):
    plan_id = make_plan(db)  # Monday to Friday of this week; today is Thursday
    auth.login("leder")
    page = client.get(f"/observasjon/{plan_id}/fordeling").get_data(as_text=True)
    assert '<option value="alle">Alle dagene fra i dag</option>' in page
    response = auth.post(f"/observasjon/{plan_id}/fordeling", {
        "observer_id": data.STAFF, "day": "alle", "situation": "Utelek/storefri"})
    assert response.status_code == 303
    assert "La til 2 oppgaver." in client.get(response.location).get_data(as_text=True)
    assert [row["day"] for row in db.query("SELECT day FROM observation_assignment ORDER BY day")] == [
        "2026-11-26", "2026-11-27"]
    # a past day can still be given a task on its own (a session already held, logged afterwards)
    assert auth.post(f"/observasjon/{plan_id}/fordeling", {
        "observer_id": data.STAFF, "day": "2026-11-24", "situation": "Utelek/storefri"}).status_code == 303

    # an observation that is over has no days ahead: "Alle dagene" is not offered, nor taken
    past = make_plan(db, starts_on="2026-11-16", ends_on="2026-11-20")
    page = client.get(f"/observasjon/{past}/fordeling").get_data(as_text=True)
    assert 'value="alle"' not in page
    refused = auth.post(f"/observasjon/{past}/fordeling", {
        "observer_id": data.STAFF, "day": "alle", "situation": "Utelek/storefri"})
    assert refused.status_code == 422 and "Velg fra listen." in refused.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM observation_assignment WHERE plan_id = ?", [past]).fetchone()[0] == 0


def test_observer_of_another_school_cannot_be_assigned(client, auth, db):
    plan_id = make_plan(db)
    auth.login("leder")
    response = auth.post(f"/observasjon/{plan_id}/fordeling", {
        "observer_id": data.STAFF_B, "day": "2026-11-26", "situation": "Utelek"})
    assert response.status_code == 422
    assert db["observation_assignment"].count == 0


def test_observer_cannot_share_out_tasks(client, auth, db):
    plan_id = make_plan(db)
    assign(db, plan_id)
    not_contact_teacher(db)
    auth.login("ansatt")
    assert client.get(f"/observasjon/{plan_id}/fordeling").status_code == 403
    assert client.get(f"/observasjon/{plan_id}/plan").status_code == 403


def test_observer_sees_todays_task_on_the_home_screen(client, auth, db):
    plan_id = make_plan(db)
    assign(db, plan_id, day="2026-11-26", situation="Utelek/storefri")
    assign(db, plan_id, day="2026-11-27", situation="Overgang spising–garderobe–storefri")
    auth.login("ansatt")
    home = client.get("/").get_data(as_text=True)
    assert "Observasjon i dag" in home and "Utelek/storefri" in home and "Skriv logg" in home
    assert "Overgang spising" not in home  # tomorrow's task waits for tomorrow


def test_removing_a_task_keeps_its_log(client, auth, db):
    plan_id = make_plan(db)
    task = assign(db, plan_id)
    auth.login("ansatt")
    log_id = start_log(auth, plan_id, assignment_id=task)
    switch_to(auth, "leder")
    assert auth.post(f"/observasjon/{plan_id}/fordeling/{task}/slett").status_code == 303
    assert db["observation_assignment"].count == 0
    assert db["observation_log"].get(log_id)["assignment_id"] is None


# ------------------------------------------------------------------ log (8:3)

def test_log_shows_header_sections_prompts_and_the_rule(client, auth, db):
    plan_id = make_plan(db)
    task = assign(db, plan_id)
    auth.login("ansatt")
    log_id = start_log(auth, plan_id, assignment_id=task)
    page = client.get(f"/observasjon/logg/{log_id}").get_data(as_text=True)
    for text in ["Observasjonslogg i klasserommet", "Klasse", "5A", "Enkeltelev", "Aksel Andersen",
                 "Observatør", "Kari Lærer", "Varighet", "Dato", "skriver det du ser, ikke det du tror du ser",
                 "1. Organisering", "2. Klassemiljø", "3. Eleven i klasserommet", "4. Overgangssituasjoner",
                 "5. Friminutt", "6. Oppsummering", "Hva ser du?", "Hva har du sett?", "Kommentar",
                 "Deltar eleven i aktivitet med andre? Går eleven alene? Grad av konflikt?",
                 'value="Utelek/storefri"', 'value="2026-11-26"']:
        assert text in page, text


def test_starting_a_log_twice_gives_one_log(client, auth, db):
    plan_id = make_plan(db)
    task = assign(db, plan_id)
    auth.login("ansatt")
    first = start_log(auth, plan_id, "klient-aaaa1111", task)
    assert start_log(auth, plan_id, "klient-aaaa1111", task) == first   # retried request
    assert start_log(auth, plan_id, "klient-bbbb2222", task) == first   # same task, new page
    assert start_log(auth, plan_id, "klient-cccc3333") != first          # an extra log of one's own
    assert db["observation_log"].count == 2


def test_section_saves_partially_as_it_is_typed(client, auth, db):
    plan_id = make_plan(db)
    assign(db, plan_id)
    auth.login("ansatt")
    log_id = start_log(auth, plan_id)
    url = f"/observasjon/logg/{log_id}/seksjon/5"
    response = auth.post(url, {"seen-5-eleven": "Går alene langs gjerdet."}, headers=HTMX)
    assert response.status_code == 200 and "Lagret kl. 12:00" in response.get_data(as_text=True)
    # a later save of the comment alone leaves what was seen as it was
    auth.post(url, {"comment-5-eleven": "Kan være at han ikke vil være med."}, headers=HTMX)
    # the same save sent again (a retry) changes nothing and adds nothing
    auth.post(url, {"comment-5-eleven": "Kan være at han ikke vil være med."}, headers=HTMX)
    rows = list(db.query("SELECT item, seen, comment FROM observation_log_item WHERE log_id = ?", [log_id]))
    assert rows == [{"item": "5-eleven", "seen": "Går alene langs gjerdet.",
                     "comment": "Kan være at han ikke vil være med."}]
    page = client.get(f"/observasjon/logg/{log_id}").get_data(as_text=True)
    assert "Går alene langs gjerdet." in page


def test_header_saves_and_a_bad_date_saves_nothing(client, auth, db):
    plan_id = make_plan(db)
    assign(db, plan_id)
    auth.login("ansatt")
    log_id = start_log(auth, plan_id)
    url = f"/observasjon/logg/{log_id}/hode"
    assert auth.post(url, {"duration": "30 min", "log_date": "2026-11-25", "situation": "Storefri"},
                     headers=HTMX).status_code == 200
    bad = auth.post(url, {"duration": "45 min", "log_date": "i går", "situation": "Storefri"}, headers=HTMX)
    assert bad.status_code == 422 and "gyldig dato" in bad.get_data(as_text=True)
    log = db["observation_log"].get(log_id)
    assert (log["duration"], log["log_date"]) == ("30 min", "2026-11-25")


def test_a_section_saves_without_javascript_too(client, auth, db):
    plan_id = make_plan(db)
    assign(db, plan_id)
    auth.login("ansatt")
    log_id = start_log(auth, plan_id)
    response = auth.post(f"/observasjon/logg/{log_id}/seksjon/1", {"seen-1-antall_voksne": "To voksne."})
    assert response.status_code == 303 and response.location.endswith(f"/observasjon/logg/{log_id}#seksjon-1")


def test_only_its_observer_writes_in_a_log_but_leaders_read_it(client, auth, db):
    plan_id = make_plan(db)
    assign(db, plan_id)
    auth.login("ansatt")
    log_id = start_log(auth, plan_id)
    switch_to(auth, "leder")
    assert auth.post(f"/observasjon/logg/{log_id}/seksjon/5", {"seen-5-eleven": "x"}).status_code == 403
    page = client.get(f"/observasjon/logg/{log_id}")
    assert page.status_code == 200 and "<textarea" not in page.get_data(as_text=True)


# ------------------------------------------------------------------ flow from duty

def test_duty_record_appears_in_the_log_and_the_observer_keeps_it(client, auth, db):
    plan_id = make_plan(db)
    task = assign(db, plan_id)
    record = save_record(db, kind="concern", author=data.LEADER,
                         observed_at=datetime(2026, 11, 26, 10, 15, tzinfo=clock.OSLO),
                         context="friminutt", facts="Ble sagt «du får ikke være med».",
                         pupils=[(data.PUPIL_A, "utsatt"), (data.PUPIL_A2, "utøver")])
    auth.login("ansatt")
    log_id = start_log(auth, plan_id, assignment_id=task)
    page = client.get(f"/observasjon/logg/{log_id}").get_data(as_text=True)
    section5 = page[page.index('id="seksjon-5"'):page.index('id="seksjon-6"')]
    assert "Ble sagt «du får ikke være med»." in section5
    assert "26.11.2026 kl. 10:15" in section5 and "Rita Rektor" in section5
    response = auth.post(f"/observasjon/{plan_id}/tilsyn/{record}",
                         {"decision": "kept", "log_id": log_id}, headers=HTMX)
    assert response.status_code == 200 and "Tatt med i loggen" in response.get_data(as_text=True)
    entry = db["observation_log_entry"].get((plan_id, record))
    assert (entry["decision"], entry["decided_by"]) == ("kept", data.STAFF)
    auth.post(f"/observasjon/{plan_id}/tilsyn/{record}", {"decision": "dropped"}, headers=HTMX)
    assert db["observation_log_entry"].get((plan_id, record))["decision"] == "dropped"


def test_a_records_labels_are_kept_apart_when_read(client, auth, db):
    plan_id = make_plan(db)
    save_record(db, kind="concern", author=data.LEADER,
                observed_at=datetime(2026, 11, 26, 10, 15, tzinfo=clock.OSLO), context="friminutt",
                labels=["utenforskap", "konflikt"], pupils=[(data.PUPIL_A, "utsatt")])
    auth.login("leder")
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", client.get(f"/observasjon/{plan_id}").get_data(as_text=True)))
    assert "Konflikt, Utenforskap / går alene" in page and "KonfliktUtenforskap" not in page


def test_records_outside_the_observation_cannot_be_kept(client, auth, db):
    plan_id = make_plan(db)
    other = save_record(db, kind="concern", author=data.LEADER,
                        observed_at=datetime(2026, 11, 26, 10, 15, tzinfo=clock.OSLO),
                        context="friminutt", pupils=[(data.PUPIL_A3, "utsatt")])
    auth.login("leder")
    assert auth.post(f"/observasjon/{plan_id}/tilsyn/{other}", {"decision": "kept"}).status_code == 404


# ------------------------------------------------------------------ put together and export

def fill_two_logs(auth, db, plan_id):
    """Kari and Rita each log section 5; a kept duty record; an analysis."""
    assign(db, plan_id, observer=data.STAFF)
    assign(db, plan_id, observer=data.LEADER, situation="Overgang spising–garderobe–storefri")
    auth.login("ansatt")
    kari = start_log(auth, plan_id, "klient-kari0001")
    auth.post(f"/observasjon/logg/{kari}/seksjon/5", {"seen-5-eleven": "Kari: alene ved gjerdet."})
    switch_to(auth, "leder")
    rita = start_log(auth, plan_id, "klient-rita0001")
    auth.post(f"/observasjon/logg/{rita}/seksjon/5", {"seen-5-eleven": "Rita: med i sisten.",
                                                      "comment-5-eleven": "Ble invitert."})
    record = save_record(db, kind="concern", author=data.LEADER,
                         observed_at=datetime(2026, 11, 25, 11, 0, tzinfo=clock.OSLO),
                         context="overgang", facts="Skoen ble kastet i garderoben.",
                         pupils=[(data.PUPIL_A, "utsatt")])
    auth.post(f"/observasjon/{plan_id}/tilsyn/{record}", {"decision": "kept"})
    dropped = save_record(db, kind="concern", author=data.LEADER,
                          observed_at=datetime(2026, 11, 25, 12, 0, tzinfo=clock.OSLO),
                          context="friminutt", facts="Hører ikke hjemme her.",
                          pupils=[(data.PUPIL_A, "tilskuer")])
    assert auth.post(f"/observasjon/{plan_id}/tilsyn/{dropped}", {"decision": "dropped"}).status_code == 303
    assert auth.post(f"/observasjon/{plan_id}/analyse", {"analysis": "Mønster i overgangene.",
                                                          "analysis_version": "0"},
                     headers=HTMX).status_code == 200


def test_observation_page_puts_all_logs_side_by_side_with_the_analysis(client, auth, db):
    plan_id = make_plan(db)
    fill_two_logs(auth, db, plan_id)
    page = client.get(f"/observasjon/{plan_id}").get_data(as_text=True)
    section5 = page[page.index('id="sammen-5"'):page.index('id="sammen-6"')]
    assert "Kari: alene ved gjerdet." in section5 and "Rita: med i sisten." in section5
    section4 = page[page.index('id="sammen-4"'):page.index('id="sammen-5"')]
    assert "Skoen ble kastet i garderoben." in section4
    assert "Mønster i overgangene." in page
    assert db["observation_plan"].get(plan_id)["analysis"] == "Mønster i overgangene."


def test_observation_exports_as_a_printable_page_and_a_docx(client, auth, db):
    plan_id = make_plan(db)
    fill_two_logs(auth, db, plan_id)
    printable = client.get(f"/observasjon/{plan_id}/utskrift").get_data(as_text=True)
    for text in ["Kari: alene ved gjerdet.", "Rita: med i sisten.", "Skoen ble kastet i garderoben.",
                 "Mønster i overgangene.", "Hva ønsker dere å finne ut?", "Hvordan Aksel har det i friminuttene."]:
        assert text in printable, text

    response = client.get(f"/observasjon/{plan_id}/observasjon.docx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(f"observasjon-{plan_id}.docx")
    assert response.headers["Cache-Control"] == "no-store"
    document = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Hvordan Aksel har det i friminuttene." in text and "Mønster i overgangene." in text
    assert "Skoen ble kastet i garderoben." in text
    assert "Kari: alene ved gjerdet." in cells and "Rita: med i sisten." in cells
    assert "Hører ikke hjemme her." not in text and "Hører ikke hjemme her." not in printable
    assert db.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'export' AND entity_id = ?", [plan_id]).fetchone()[0] == 2


def test_observation_docx_uses_only_the_styles_of_trygg_template(client, auth, db):
    plan_id = make_plan(db)
    fill_two_logs(auth, db, plan_id)
    response = client.get(f"/observasjon/{plan_id}/observasjon.docx")
    package = zipfile.ZipFile(io.BytesIO(response.data))
    assert package.namelist() == zipfile.ZipFile(docx_template.PATH).namelist()
    word = Document(io.BytesIO(response.data))
    template_ids = {style_id for style_id, _ in docx_template.STYLES}
    assert {style.style_id for style in word.styles} == template_ids
    used = {element.get(qn("w:val"))
            for element in word.element.body.iter(qn("w:pStyle"), qn("w:rStyle"), qn("w:tblStyle"))}
    assert used <= template_ids
    assert {p.style.name for p in word.paragraphs} == {"Title", "Normal", "Heading 1", "Heading 2", "List Bullet"}
    assert {table.style.name for table in word.tables} == {"Table Grid"}
    # A4 on its side, so the logs stand side by side, in the template's language
    section = word.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (16838, 11906)
    assert word.styles["Normal"].font.size.pt == 10 and word.core_properties.language == "nb-NO"


# ------------------------------------------------------------------ who gets in

def test_only_assigned_observers_and_leaders_open_an_observation(client, auth, db):
    plan_id = make_plan(db)
    not_contact_teacher(db)
    auth.login("ansatt")
    for url in [f"/observasjon/{plan_id}", f"/observasjon/{plan_id}/utskrift",
                f"/observasjon/{plan_id}/observasjon.docx"]:
        assert client.get(url).status_code == 404, url
    assert auth.post(f"/observasjon/{plan_id}/logg", {"client_id": "klient-0001"}).status_code == 404
    assert "Klasse 5A" not in client.get("/observasjon/").get_data(as_text=True)
    assign(db, plan_id)
    assert client.get(f"/observasjon/{plan_id}").status_code == 200
    assert "Klasse 5A" in client.get("/observasjon/").get_data(as_text=True)
    switch_to(auth, "leder")
    assert client.get(f"/observasjon/{plan_id}").status_code == 200


def test_other_schools_get_404(client, auth, db):
    plan_id = make_plan(db)
    assign(db, plan_id)
    auth.login("ansatt")
    log_id = start_log(auth, plan_id)
    switch_to(auth, "leder2")
    for url in [f"/observasjon/{plan_id}", f"/observasjon/{plan_id}/fordeling", f"/observasjon/{plan_id}/plan",
                f"/observasjon/{plan_id}/utskrift", f"/observasjon/{plan_id}/observasjon.docx",
                f"/observasjon/logg/{log_id}"]:
        assert client.get(url).status_code == 404, url
    assert auth.post(f"/observasjon/logg/{log_id}/seksjon/5", {"seen-5-eleven": "x"}).status_code == 404
    assert auth.post(f"/observasjon/{plan_id}/analyse", {"analysis": "x"}).status_code == 404
    assert "Klasse 5A" not in client.get("/observasjon/").get_data(as_text=True)


def test_school_owner_has_no_observation_screens(client, auth):
    auth.login("skoleeier")
    assert client.get("/observasjon/").status_code == 403


def test_demo_has_a_running_observation_with_a_task_today_for_ansatt(app, tmp_path):
    from webapp.observation_logs import rules, store

    database = demo_database(app, tmp_path / "demo.sqlite", NOW)
    ansatt = database.execute("SELECT id FROM user WHERE username = 'ansatt'").fetchone()[0]
    days = [row[0] for row in database.execute(
        "SELECT day FROM observation_assignment WHERE observer_id = ? ORDER BY day", [ansatt])]
    assert days == ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"]
    assert database.execute("SELECT count(*) FROM observation_log_item").fetchone()[0] >= 3
    plan = next(database.query("SELECT * FROM observation_plan"))
    assert rules.is_running(plan, NOW)
    # other capabilities add their own demo records about the class too
    assert len(store.duty_records(database, plan, NOW)) >= 3
    database.conn.close()


def test_observer_not_offered_in_the_list_is_refused_in_norwegian(client, auth, db):
    plan_id = make_plan(db)
    auth.login("leder")
    response = auth.post(f"/observasjon/{plan_id}/fordeling", {
        "observer_id": data.STAFF_B, "day": "2026-11-26", "situation": "Utelek"})
    assert response.status_code == 422 and "Velg fra listen." in response.get_data(as_text=True)
