"""Leadership's screens for every role: the feed, meldinger, cases and their actions."""
import json
import re
from datetime import timedelta

import pytest
from flask import url_for

from webapp import clock
from webapp.db import one, transaction

from . import data
from .meldinger import add_melding, add_observation, db_of, form_id, records  # noqa: F401 (records: a fixture)

LEADER_ONLY = ["/meldinger/", "/meldinger/liste", "/meldinger/teller", "/meldinger/ny", "/meldinger/elever",
               f"/meldinger/elever/{data.PUPIL_A}", "/meldinger/monstre",
               f"/meldinger/sjekkliste/ny?klasse={data.CLASS_A}"]


MELDING_PAGE = "/meldinger/{melding}"


CASE_PAGES = ["/saker/{sak}", "/saker/{sak}/aktivitetsplan", "/saker/{sak}/barnets-beste", "/saker/{sak}/brev",
              "/saker/{sak}/brev.docx", "/saker/{sak}/aktivitetsplan/utskrift", "/saker/{sak}/aktivitetsplan.docx",
              "/saker/{sak}/eksport", "/saker/{sak}/eksport.docx", "/saker/{sak}/samtaler/ny",
              "/saker/{sak}/lukk", "/saker/{sak}/tiltak/ny"]


def _get(client, url):
    """The status code of a GET."""
    return client.get(url).status_code


@pytest.mark.parametrize("username", ["ansatt", "ansatt2", "admin"])
def test_staff_and_operators_cannot_open_leadership_pages(auth, client, records, username):
    auth.login(username)
    urls = LEADER_ONLY + ["/saker/", "/saker/stopp-samtale", MELDING_PAGE.format(**records)]
    urls += [u.format(sak=records["sak"]) for u in CASE_PAGES]
    # a staff member opens a case's page and its plan only as the plan's coordinator: to others it does not exist
    readable = {f"/saker/{records['sak']}", f"/saker/{records['sak']}/aktivitetsplan"} if username != "admin" else set()
    assert {url: _get(client, url) for url in urls} == {url: 404 if url in readable else 403 for url in urls}


def test_anonymous_is_sent_to_log_in(client, records):
    for url in LEADER_ONLY + ["/saker/", "/registrer/mine", f"/saker/{records['sak']}"]:
        response = client.get(url)
        assert response.status_code == 302 and "/logg-inn" in response.headers["Location"], url


def test_leader_opens_every_leadership_page(auth, client, records):
    auth.login("leder")
    urls = LEADER_ONLY + ["/saker/", "/saker/?vis=alle", "/saker/stopp-samtale", "/registrer/mine?vis=meldinger",
                          "/registrer/mine/liste", MELDING_PAGE.format(**records),
                          MELDING_PAGE.format(melding=records["melding_12_5"])]
    urls += [u.format(sak=records["sak"]) for u in CASE_PAGES]
    assert {url: _get(client, url) for url in urls} == {url: 200 for url in urls}


def test_leader_of_another_school_gets_404(auth, client, records):
    auth.login("leder2")
    urls = [MELDING_PAGE.format(**records), f"/meldinger/elever/{data.PUPIL_A}",
            f"/meldinger/sjekkliste/ny?klasse={data.CLASS_A}"]
    urls += [u.format(sak=records["sak"]) for u in CASE_PAGES]
    assert {url: _get(client, url) for url in urls} == {url: 404 for url in urls}
    assert _get(client, f"/meldinger/{records['melding_b']}") == 200
    response = auth.post(f"/meldinger/{records['melding']}/motta")
    assert response.status_code == 404


def test_melding_about_a_leader_is_hidden_from_leaders_and_shown_to_the_owner(auth, client, records):
    auth.login("leder")
    assert _get(client, f"/meldinger/{records['melding_leader']}") == 404
    feed = client.get("/meldinger/").get_data(as_text=True)
    assert f"/meldinger/{records['melding_leader']}\"" not in feed
    auth.logout()
    auth.login("skoleeier")
    assert _get(client, f"/meldinger/{records['melding_leader']}") == 200
    assert "gjelder en leder" in client.get("/").get_data(as_text=True)


def test_owner_sees_section_12_5_meldinger_and_escalated_cases_only(auth, client, records):
    auth.login("skoleeier")
    assert {url: _get(client, url) for url in LEADER_ONLY} == {url: 403 for url in LEADER_ONLY}
    assert _get(client, f"/meldinger/{records['melding']}") == 404
    assert _get(client, f"/meldinger/{records['melding_12_5']}") == 200
    escalated = [u.format(sak=records["sak_escalated"]) for u in CASE_PAGES]
    assert {url: _get(client, url) for url in escalated} == {url: 200 for url in escalated}
    not_escalated = [u.format(sak=records["sak"]) for u in CASE_PAGES]
    assert {url: _get(client, url) for url in not_escalated} == {url: 404 for url in not_escalated}
    listing = client.get("/saker/").get_data(as_text=True)
    assert f"/saker/{records['sak_escalated']}\"" in listing
    assert f"/saker/{records['sak']}\"" not in listing
    assert f"/meldinger/{records['melding_12_5']}\"" in listing


def test_leader_acknowledges_melding_and_author_sees_who_and_when(app, auth, client, records):
    auth.login("leder")
    response = auth.post(f"/meldinger/{records['melding']}/motta")
    assert response.status_code == 303
    db = db_of(app)
    melding = db["melding"].get(records["melding"])
    assert melding["status"] == "mottatt" and melding["acknowledged_by"] == data.LEADER
    assert one(db, "SELECT 1 FROM audit_log WHERE entity = 'melding' AND entity_id = ? AND action = 'update'",
               [records["melding"]])
    auth.logout()
    auth.login("ansatt")
    mine = client.get("/registrer/mine?vis=meldinger").get_data(as_text=True)
    assert "Mottatt av Rita Rektor kl. " + clock.format_time(melding["acknowledged_at"]) in mine
    assert "Mottatt av Rita Rektor" in client.get("/").get_data(as_text=True)


def test_staff_see_only_their_own_meldinger(app, auth, client, records):
    add_melding(app, author=data.LEADER)
    auth.login("ansatt")
    mine = client.get("/registrer/mine/liste?vis=meldinger").get_data(as_text=True)
    db = db_of(app)
    own = db.execute("SELECT count(*) FROM melding WHERE author_id = ? AND school_id = ? "
                     "AND observation_id IS NOT NULL", [data.STAFF, data.SCHOOL_A]).fetchone()[0]
    assert mine.count("<li") == own
    others = [r[0] for r in db.execute("SELECT observation_id FROM melding WHERE author_id != ?", [data.STAFF])]
    assert not [o for o in others if o and f"/registrer/{o}\"" in mine]


def test_leader_assigns_a_case_owner(app, auth, client, records):
    auth.login("leder")
    response = auth.post(f"/meldinger/{records['melding']}/ansvarlig", {"assigned_to": data.LEADER})
    assert response.status_code == 303
    assert db_of(app)["melding"].get(records["melding"])["assigned_to"] == data.LEADER
    # staff are not case owners here, and another school's leader never
    assert auth.post(f"/meldinger/{records['melding']}/ansvarlig", {"assigned_to": data.LEADER_B}).status_code == 404


def test_closing_a_melding_needs_a_reason(app, auth, client, records):
    auth.login("leder")
    response = auth.post(f"/meldinger/{records['melding']}/lukk", {"reason": "  "})
    assert response.status_code == 422
    assert "Skriv hvorfor meldingen lukkes" in response.get_data(as_text=True)
    assert db_of(app)["melding"].get(records["melding"])["status"] == "ny"
    response = auth.post(f"/meldinger/{records['melding']}/lukk", {"reason": "Løst i samtale med begge."})
    assert response.status_code == 303
    melding = db_of(app)["melding"].get(records["melding"])
    assert melding["status"] == "lukket" and melding["closed_reason"] == "Løst i samtale med begge."
    assert melding["acknowledged_at"]


def test_leader_enters_melding_from_a_parent_by_phone(app, auth, client):
    auth.login("leder")
    form = {"source": "foresatt", "raised_by": "Far", "channel": "telefon",
            "received_on": clock.today().isoformat(), "received_by_id": data.LEADER,
            "pupil_id": data.PUPIL_A, "other_pupils": [data.PUPIL_A3], "summary": "Far ringte om erting.",
            "client_id": form_id()}
    response = auth.post("/meldinger/ny", {**form, "summary": ""})
    assert response.status_code == 422
    assert "Far" in response.get_data(as_text=True)  # what was typed is kept
    response = auth.post("/meldinger/ny", form)
    assert response.status_code == 303
    db = db_of(app)
    melding = one(db, "SELECT * FROM melding ORDER BY id DESC LIMIT 1")
    assert (melding["channel"], melding["source"], melding["status"]) == ("telefon", "foresatt", "mottatt")
    roles = dict(db.execute("SELECT pupil_id, role FROM melding_pupil WHERE melding_id = ?",
                            [melding["id"]]).fetchall())
    assert roles == {data.PUPIL_A: "utsatt", data.PUPIL_A3: "utøver"}
    # a pupil of another school is refused
    assert auth.post("/meldinger/ny", {**form, "pupil_id": data.PUPIL_B, "client_id": form_id()}).status_code == 404
    assert auth.post("/meldinger/ny", {**form, "received_by_id": data.STAFF_B,
                                       "client_id": form_id()}).status_code == 404
    # a pupil who has left the school is refused by name, the rest kept
    db.execute("UPDATE pupil SET active = 0 WHERE id = ?", [data.PUPIL_A3])
    refused = auth.post("/meldinger/ny", {**form, "client_id": form_id()})
    assert refused.status_code == 422
    assert "Cato Dahle har sluttet ved skolen." in refused.get_data(as_text=True)
    assert "Far ringte om erting." in refused.get_data(as_text=True)


def test_a_melding_entered_by_a_leader_needs_the_facts_and_no_other_pupils_is_fine(app, auth, client):
    auth.login("leder")
    form = {"source": "foresatt", "raised_by": "Mor", "channel": "e-post", "received_on": clock.today().isoformat(),
            "received_by_id": data.LEADER, "pupil_id": data.PUPIL_A, "other_pupils": "", "summary": "   ",
            "client_id": form_id()}
    response = auth.post("/meldinger/ny", form)
    assert response.status_code == 422  # only spaces is nothing written
    html = response.get_data(as_text=True)
    assert "Skriv hva som ble meldt." in html and 'value="Mor"' in html
    # no other pupil chosen (an empty value) is none, not a crash
    assert auth.post("/meldinger/ny", {**form, "summary": "Mor skrev om erting."}).status_code == 303
    db = db_of(app)
    melding = one(db, "SELECT * FROM melding ORDER BY id DESC LIMIT 1")
    assert melding["summary"] == "Mor skrev om erting."
    assert dict(db.execute("SELECT pupil_id, role FROM melding_pupil WHERE melding_id = ?",
                           [melding["id"]]).fetchall()) == {data.PUPIL_A: "utsatt"}
    # an empty option next to a chosen pupil keeps the chosen one
    assert auth.post("/meldinger/ny", {**form, "summary": "Igjen.", "other_pupils": ["", str(data.PUPIL_A3)],
                                       "client_id": form_id()}).status_code == 303
    melding = one(db, "SELECT * FROM melding ORDER BY id DESC LIMIT 1")
    assert dict(db.execute("SELECT pupil_id, role FROM melding_pupil WHERE melding_id = ?",
                           [melding["id"]]).fetchall()) == {data.PUPIL_A: "utsatt", data.PUPIL_A3: "utøver"}
    response = auth.post("/meldinger/ny", {**form, "summary": "Igjen.", "other_pupils": "tre", "client_id": form_id()})
    assert response.status_code == 422 and "Velg fra listen." in response.get_data(as_text=True)


def test_feed_lists_new_items_and_filters_them(app, auth, client, records):
    auth.login("leder")
    html = client.get("/meldinger/").get_data(as_text=True)
    assert f"/meldinger/{records['melding']}\"" in html
    assert "Aksel Andersen" in html
    html = client.get("/meldinger/?status=sak").get_data(as_text=True)
    assert f"/meldinger/{records['melding']}\"" not in html
    assert f"/meldinger/{records['melding_for_sak']}\"" in html
    html = client.get("/meldinger/?type=12-5").get_data(as_text=True)
    assert f"/meldinger/{records['melding_12_5']}\"" in html and f"/meldinger/{records['melding']}\"" not in html
    html = client.get(f"/meldinger/?elev={data.PUPIL_A3}").get_data(as_text=True)
    assert "Ingen meldinger eller hendelser" in html
    # the feed filtered by a pupil is that pupil's records: its audit line names the pupil
    assert one(db_of(app), "SELECT 1 FROM audit_log WHERE entity = 'feed' AND pupil_id = ? AND user_id = ?",
               [data.PUPIL_A3, data.LEADER])
    # an incident without a melding is in the feed too, and filters by zone and class
    add_observation(app, pupils={data.PUPIL_A3: "utsatt"}, zone_id=data.ZONE_A + 1, labels=["konflikt"],
                    facts="Krangel.")
    html = client.get(f"/meldinger/?klasse={data.CLASS_A2}&sone={data.ZONE_A + 1}").get_data(as_text=True)
    assert "Hendelse" in html and "Cato Dahle" in html
    # the feed filtered by a class is that class's records: its audit line names the class
    assert one(db_of(app), "SELECT 1 FROM audit_log WHERE entity = 'feed' AND detail = ? AND user_id = ?",
               [f"klasse {data.CLASS_A2}, side 1", data.LEADER])
    # ids of another school are ignored, never shown
    html = client.get(f"/meldinger/?elev={data.PUPIL_B}").get_data(as_text=True)
    assert "Dina Eide" not in html


def test_feed_poll_answers_204_until_something_new_arrives(app, auth, client, records):
    auth.login("leder")
    html = client.get("/meldinger/liste").get_data(as_text=True)
    poll = html.split('hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert client.get(poll).status_code == 204
    add_melding(app, ago=timedelta(seconds=1))
    assert client.get(poll).status_code == 200


def test_badge_counts_unacknowledged_meldinger_for_leaders(app, auth, client, records):
    auth.login("leder")
    count = db_of(app).execute("SELECT count(*) FROM melding WHERE school_id = ? AND status = 'ny' "
                               "AND NOT concerns_leader", [data.SCHOOL_A]).fetchone()[0]
    assert f'<span class="badge">{count}<' in client.get("/meldinger/teller").get_data(as_text=True)
    assert f'<span class="badge">{count}<' in client.get("/skole/").get_data(as_text=True)


def test_leader_home_highlights_12_5_and_names_only_author_and_kind(auth, client, records):
    auth.login("leder")
    html = client.get("/").get_data(as_text=True)
    assert "§12-5: ansatt krenker elev" in html
    home = html.split('class="card home-meldinger"', 1)[1].split("</section>", 1)[0]
    assert "Kari Lærer" in home
    assert "Aksel" not in home and "Dyttet" not in home


def test_unacknowledged_melding_is_highlighted_after_the_alert_time(app, auth, client):
    add_melding(app, ago=timedelta(hours=3))
    auth.login("leder")
    assert "ikke mottatt på over 120 minutter" in client.get("/").get_data(as_text=True)


def test_chronology_lists_everything_about_the_pupil_and_is_audited(app, auth, client, records):
    add_observation(app, kind="positive", pupils={data.PUPIL_A: "med"}, facts="Hjalp en medelev.")
    db = db_of(app)
    with transaction(db):
        db["pupil_note"].insert({"school_id": data.SCHOOL_A, "pupil_id": data.PUPIL_A, "author_id": data.STAFF,
                                 "created_at": clock.utc_iso_now(), "text": "Løst der og da."})
    auth.login("leder")
    html = client.get(f"/meldinger/elever/{data.PUPIL_A}").get_data(as_text=True)
    for text in ("Positiv observasjon", "Hjalp en medelev.", "Notat i elevmappen", "Melding", "Sak opprettet"):
        assert text in html
    assert one(db_of(app), "SELECT 1 FROM audit_log WHERE entity = 'chronology' AND pupil_id = ? AND user_id = ?",
               [data.PUPIL_A, data.LEADER])


def test_an_incident_solved_on_the_spot_is_one_line_in_the_chronology_marked_with_its_note(app, auth, client):
    app.config["NOW"] = "2026-11-26T10:00:00+01:00"
    auth.login("ansatt")
    saved = auth.post("/registrer/ny", {
        "kind": "concern", "client_id": "form-0000000001", "opened_at": "2026-11-26T08:59:00+00:00",
        "observed_date": "2026-11-26", "observed_time": "09:55", "context": "friminutt", "zone_id": "",
        "pupil": [str(data.PUPIL_A)], f"role_{data.PUPIL_A}": "utsatt", "label": ["konflikt"],
        "outcome": "solved", "facts": "Dyttet i køen."})
    assert saved.status_code in (302, 303)
    db = db_of(app)
    # capture put the note in the pupil's file; a leader also wrote one on its own
    assert db.execute("SELECT count(*) FROM pupil_note WHERE pupil_id = ? AND observation_id IS NOT NULL",
                      [data.PUPIL_A]).fetchone()[0] == 1
    with transaction(db):
        db["pupil_note"].insert({"school_id": data.SCHOOL_A, "pupil_id": data.PUPIL_A, "author_id": data.LEADER,
                                 "created_at": clock.utc_iso_now(), "text": "Mor ringte om bursdagen."})
    db.conn.close()
    auth.logout()
    auth.login("leder")
    html = client.get(f"/meldinger/elever/{data.PUPIL_A}").get_data(as_text=True)
    lines = html.split('<ol class="list chronology">')[1].split("</ol>")[0].split("<li")[1:]
    assert len(lines) == 2
    solved = next(line for line in lines if "Dyttet i køen." in line)
    assert "Hendelse" in solved and "Løst der og da: notat i elevmappen" in solved
    assert html.count("Dyttet i køen.") == 1  # not again as the note's own line
    note = next(line for line in lines if "Mor ringte om bursdagen." in line)
    assert "Notat i elevmappen" in note


def test_pupil_search_is_a_post_and_finds_by_name(auth, client):
    auth.login("leder")
    response = auth.post("/meldinger/elever", {"q": "bea"}, headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert f"/meldinger/elever/{data.PUPIL_A2}" in html and "Aksel" not in html


def test_pupil_utsatt_repeatedly_appears_under_patterns_and_checklist_is_kept(app, auth, client):
    for days in (1, 3, 6):
        add_observation(app, ago=timedelta(days=days), pupils={data.PUPIL_A2: "utsatt"}, labels=["konflikt"])
    auth.login("leder")
    html = client.get("/meldinger/monstre").get_data(as_text=True)
    assert "Bea Berge" in html and "Utsatt i 3 negative observasjoner" in html
    form = {"klasse": data.CLASS_A, "elev": data.PUPIL_A2, "q1": "ja", "c1": "Ny elev i høst.", "q3": "ja",
            "q5": "nei", "client_id": form_id()}
    response = auth.post("/meldinger/sjekkliste/ny", form)
    assert response.status_code == 303
    saved = one(db_of(app), "SELECT * FROM mobbing_checklist ORDER BY id DESC LIMIT 1")
    answers = json.loads(saved["answers"])
    assert answers["1"] == {"answer": "ja", "comment": "Ny elev i høst."} and answers["5"]["answer"] == "nei"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Er det særlig sårbare elever i gruppa?" in html and "god grunn til å igangsette undersøkelser" in html


def test_chronology_pages_so_a_long_history_stays_quick(app, auth, client):
    for minutes in range(55):
        add_observation(app, ago=timedelta(minutes=minutes + 1), pupils={data.PUPIL_A3: "utsatt"},
                        facts=f"Hendelse {minutes}")
    auth.login("leder")
    first = client.get(f"/meldinger/elever/{data.PUPIL_A3}").get_data(as_text=True)
    assert "Hendelse 0<" in first and "Hendelse 54<" not in first and "?side=2" in first
    second = client.get(f"/meldinger/elever/{data.PUPIL_A3}?side=2").get_data(as_text=True)
    assert "Hendelse 54<" in second and "Hendelse 0<" not in second


def test_a_pupils_feed_and_chronology_follow_a_corrected_time(app, auth, client):
    """A pupil's records are read in the order of their times, also after a correction moved one."""
    ids = [add_observation(app, ago=timedelta(minutes=minutes + 1), pupils={data.PUPIL_A3: "utsatt"},
                           labels=["konflikt"], facts=f"Hendelse {minutes}") for minutes in range(30)]
    db = db_of(app)
    with transaction(db):
        # the oldest record's time is corrected to the newest
        db["observation"].update(ids[-1], {"observed_at": clock.to_utc_iso(clock.now())})
    db.conn.close()
    auth.login("leder")
    feed = client.get(f"/meldinger/?elev={data.PUPIL_A3}").get_data(as_text=True)
    assert feed.index("Hendelse 29<") < feed.index("Hendelse 0<") < feed.index("Hendelse 1<")
    # a page is 25 items: the moved record and the 24 newest others
    assert "Hendelse 23<" in feed and "Hendelse 24<" not in feed
    second = client.get(f"/meldinger/?elev={data.PUPIL_A3}&side=2").get_data(as_text=True)
    assert "Hendelse 24<" in second and "Hendelse 28<" in second and "Hendelse 29<" not in second
    chronology = client.get(f"/meldinger/elever/{data.PUPIL_A3}").get_data(as_text=True)
    assert chronology.index("Hendelse 29<") < chronology.index("Hendelse 0<") < chronology.index("Hendelse 28<")


def test_feed_by_class_shows_each_record_once_and_follows_a_pupil_who_changes_class(app, auth, client):
    both = add_observation(app, pupils={data.PUPIL_A: "utsatt", data.PUPIL_A2: "utøver"}, facts="Begge i 5A.")
    one_of = add_observation(app, ago=timedelta(hours=2), pupils={data.PUPIL_A3: "utsatt", data.PUPIL_A: "utøver"},
                             facts="En i 5A.")
    auth.login("leder")
    html = client.get(f"/meldinger/?klasse={data.CLASS_A}").get_data(as_text=True)
    assert html.count(f'href="/registrer/{both}"') == 1 and html.count(f'href="/registrer/{one_of}"') == 1
    assert html.index("Begge i 5A.") < html.index("En i 5A.")
    assert "En i 5A." not in client.get(f"/meldinger/?klasse={data.CLASS_A}&elev={data.PUPIL_A2}").get_data(
        as_text=True)
    # the class filter is by the pupils' class now: a pupil who moves takes their records along
    db = db_of(app)
    with transaction(db):
        db["pupil"].update(data.PUPIL_A, {"class_id": data.CLASS_A2})
    db.conn.close()
    html = client.get(f"/meldinger/?klasse={data.CLASS_A2}").get_data(as_text=True)
    assert "Begge i 5A." in html and html.count(f'href="/registrer/{one_of}"') == 1
    html = client.get(f"/meldinger/?klasse={data.CLASS_A}").get_data(as_text=True)
    assert "Begge i 5A." in html and "En i 5A." not in html


POST_URLS = ["/meldinger/{melding}/motta", "/meldinger/{melding}/ansvarlig", "/meldinger/{melding}/lukk",
             "/meldinger/{melding}/sak", "/meldinger/{melding}/legg-til-sak", "/saker/{sak}/fase",
             "/saker/{sak}/ansvarlig", "/saker/{sak}/eskaler", "/saker/{sak}/lukk", "/saker/{sak}/samtaler/ny",
             "/saker/{sak}/aktivitetsplan", "/saker/{sak}/tiltak/ny", "/saker/{sak}/barnets-beste",
             "/saker/{sak}/brev"]


@pytest.mark.parametrize("username, status", [("ansatt", 403), ("admin", 403), ("leder2", 404)])
def test_changes_are_refused_to_staff_and_other_schools(app, auth, records, username, status):
    auth.login(username)
    urls = [u.format(**records) for u in POST_URLS]
    form = {"reason": "x", "phase": "utforme_tiltak", "avvik_filed": "y"}
    answers = {url: auth.post(url, form, page="/passord").status_code for url in urls}
    assert answers == {url: status for url in urls}
    db = db_of(app)
    assert db["melding"].get(records["melding"])["status"] == "ny"
    assert db["sak"].get(records["sak"])["phase"] == "undersokelse"


def test_melding_about_a_leader_entered_by_a_leader_goes_to_the_owner_only(app, auth, client):
    auth.login("leder")
    form = {"source": "elev", "channel": "oppmøte", "received_on": clock.today().isoformat(),
            "received_by_id": data.LEADER, "pupil_id": data.PUPIL_A, "summary": "Eleven forteller om rektor.",
            "concerns_leader": "y", "client_id": form_id()}
    response = auth.post("/meldinger/ny", form)
    assert response.status_code == 422 and "§12-5" in response.get_data(as_text=True)
    response = auth.post("/meldinger/ny", {**form, "section_12_5": "y"})
    assert response.status_code == 422 and "Skriv hvem den ansatte er" in response.get_data(as_text=True)
    assert auth.post("/meldinger/ny", {**form, "section_12_5": "y", "adult_involved": "Rektor"}).status_code == 303
    melding = one(db_of(app), "SELECT * FROM melding ORDER BY id DESC LIMIT 1")
    assert melding["section_12_5"] == 1 and melding["concerns_leader"] == 1 and melding["status"] == "ny"
    assert melding["adult_involved"] == "Rektor"
    assert client.get(f"/meldinger/{melding['id']}").status_code == 404
    auth.logout()
    auth.login("skoleeier")
    page = client.get(f"/meldinger/{melding['id']}")
    assert page.status_code == 200 and "Den ansatte det gjelder: Rektor" in page.get_data(as_text=True)


def test_chronology_and_feed_name_labels_as_capture_does(app, auth, client, records):
    add_observation(app, kind="positive", labels=["leker_sammen", "inkludering"],
                    pupils={data.PUPIL_A: "med"})
    add_observation(app, labels=["utenforskap"], offence_types=["indirekte"])
    auth.login("leder")
    chronology = client.get(f"/meldinger/elever/{data.PUPIL_A}").get_data(as_text=True)
    assert "Leker sammen" in chronology and "Inkluderer andre" in chronology and "leker_sammen" not in chronology
    assert "Utenforskap / går alene" in chronology
    feed = client.get("/meldinger/").get_data(as_text=True)
    assert "Utenforskap / går alene" in feed and "Identitetsbasert krenkelse/diskriminering" in feed


def page_text(html):
    """A page's text as read aloud or copied: tags out (adjacent elements run together), whitespace as one space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_labels_and_offence_types_are_kept_apart_when_read(app, auth, client):
    melding_id = add_melding(app, section_12_5=True, labels=["ansatt_krenker_elev"])
    add_observation(app, pupils={data.PUPIL_A: "utsatt"}, labels=["vold", "konflikt"], offence_types=["verbal"])
    auth.login("leder")
    feed = page_text(client.get("/meldinger/").get_data(as_text=True))
    assert "Ansatt krenker elev (§ 12-5), fysisk" in feed and "(§ 12-5)fysisk" not in feed
    assert "Konflikt, Vold, verbal" in feed  # labels in capture's order
    melding = page_text(client.get(f"/meldinger/{melding_id}").get_data(as_text=True))
    assert "Ansatt krenker elev (§ 12-5), fysisk" in melding
    chronology = page_text(client.get(f"/meldinger/elever/{data.PUPIL_A}").get_data(as_text=True))
    assert "Konflikt, Vold" in chronology and "KonfliktVold" not in chronology


def test_an_incident_without_a_melding_says_so_rather_than_hendelse_twice(app, auth, client):
    add_observation(app, pupils={data.PUPIL_A3: "utsatt"}, labels=["konflikt"], facts="Krangel.")
    auth.login("leder")
    feed = page_text(client.get("/meldinger/").get_data(as_text=True))
    assert "Hendelse Uten melding" in feed and "Hendelse Hendelse" not in feed


def test_feed_pupil_filter_finds_pupils_by_first_letters_without_listing_every_pupil(app, auth, client):
    auth.login("leder")
    html = client.get("/meldinger/").get_data(as_text=True)
    # no pupil is named on an empty feed: the filter does not list the school's pupils
    assert "Bea Berge" not in html and "Cato Dahle" not in html
    found = auth.post("/meldinger/elevfilter", {"q": "be"}).get_data(as_text=True)
    assert f'name="elev" value="{data.PUPIL_A2}"' in found and "Bea Berge" in found
    assert "Aksel Andersen" not in found
    # another school's pupils are never found
    assert "Dina Eide" not in auth.post("/meldinger/elevfilter", {"q": "di"}).get_data(as_text=True)
    assert "Ingen elever passer" in auth.post("/meldinger/elevfilter", {"q": "zz"}).get_data(as_text=True)


def test_feed_filtered_by_pupil_shows_the_chosen_pupil_in_the_filter(app, auth, client):
    auth.login("leder")
    html = client.get(f"/meldinger/?elev={data.PUPIL_A3}").get_data(as_text=True)
    assert f'name="elev" value="{data.PUPIL_A3}" checked' in html and "Cato Dahle" in html
    # another school's pupil is ignored: "Alle elever" stays chosen
    html = client.get(f"/meldinger/?elev={data.PUPIL_B}").get_data(as_text=True)
    assert 'id="f-elev-alle" name="elev" value="" checked' in html and "Dina Eide" not in html


def test_feed_pupil_filter_search_is_for_leaders_only(app, auth, client):
    auth.login("ansatt")
    assert auth.post("/meldinger/elevfilter", {"q": "ak"}).status_code == 403


def test_feed_links_match_the_routes(app, auth, client):
    melding_id = add_melding(app)
    observation_id = add_observation(app, pupils={data.PUPIL_A3: "utsatt"}, labels=["konflikt"], facts="Krangel.")
    auth.login("leder")
    html = client.get("/meldinger/").get_data(as_text=True)
    with app.test_request_context():
        assert f'href="{url_for("feed.melding", melding_id=melding_id)}"' in html
        assert f'href="{url_for("capture.show", observation_id=observation_id)}"' in html


def test_chronology_links_match_the_routes(app, auth, client, records):
    observation_id = add_observation(app, pupils={data.PUPIL_A: "utsatt"}, facts="Krangel.")
    auth.login("leder")
    html = client.get(f"/meldinger/elever/{data.PUPIL_A}").get_data(as_text=True)
    with app.test_request_context():
        assert f'href="{url_for("feed.melding", melding_id=records["melding"])}">Åpne meldingen' in html
        assert f'href="{url_for("saker.show", sak_id=records["sak"])}">Åpne saken' in html
        assert f'href="{url_for("capture.show", observation_id=observation_id)}">Se registreringen' in html


def test_leaders_home_screen_counts_every_waiting_melding(app, auth, client):
    from webapp.feed import views as panels

    for minutes in range(panels.WAITING_READ + 2):
        add_melding(app, ago=timedelta(minutes=minutes + 1))
    auth.login("leder")
    html = client.get("/").get_data(as_text=True)
    waiting = db_of(app).execute("SELECT count(*) FROM melding WHERE school_id = ? AND status = 'ny'",
                                 [data.SCHOOL_A]).fetchone()[0]
    assert waiting > panels.WAITING_READ
    assert f"{waiting} meldinger venter på å bli mottatt" in html


def test_feed_items_show_their_mark_and_follow_a_change(app, auth, client):
    """An item shows its mark on the mini map; a changed status shows at once, the mark stays."""
    db = db_of(app)
    width, height = data.add_map(db)
    melding_id = add_melding(app, pupils={data.PUPIL_A: "utsatt"})
    with transaction(db):
        db.execute("UPDATE observation SET map_x = 0.5, map_y = 0.25 WHERE id = "
                   "(SELECT observation_id FROM melding WHERE id = ?)", [melding_id])
    auth.login("leder")
    mark = f'<circle class="mark" cx="{round(0.5 * width)}" cy="{round(0.25 * height)}" r="{round(width / 40)}"/>'

    def listed():
        """The feed's list of items as the leader sees it now."""
        page = client.get("/meldinger/").get_data(as_text=True)
        return page.split('<ul class="list feed"', 1)[1].split("</ul>", 1)[0]

    first = listed()
    assert mark in first and first.count('class="minimap"') == 1 and "Ny" in first
    assert listed() == first  # shown again unchanged, the same
    assert auth.post(f"/meldinger/{melding_id}/motta", {}).status_code in (302, 303)
    after = listed()
    assert "Mottatt av Rita Rektor" in after and mark in after
