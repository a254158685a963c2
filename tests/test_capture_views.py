"""Capture: recording observations and incidents, what follows from them, and what is refused."""
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from webapp.capture import rules
from webapp.db import get_db

from . import data
from .conftest import csrf_token, demo_database, make_app
from .records import save_record

NOW = "2026-11-26T10:00:00+01:00"  # a Thursday, in the 09:45 break


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path, NOW=NOW)


def form(**fields):
    """A capture form as the browser sends it after the first tap at NOW."""
    values = {"kind": "concern", "client_id": "form-0000000001", "opened_at": "2026-11-26T09:00:00+00:00",
              "observed_date": "2026-11-26", "observed_time": "10:00", "context": "friminutt", "zone_id": ""}
    values.update(fields)
    return {key: value for key, value in values.items() if value is not None}


def save(auth, **fields):
    """Post a capture form."""
    return auth.post("/registrer/ny", form(**fields))


def post_in_parallel(live_server, client, path, bodies, headers=None):
    """POST each body to the live server at the same moment with the client's session: [(status, Location, body)]."""
    cookie = f"trygg_session={client.get_cookie('trygg_session').value}"

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    start = threading.Barrier(len(bodies))
    answers = []

    def send(body):
        request = urllib.request.Request(live_server.url + path, method="POST",
                                         headers={"Cookie": cookie, **(headers or {})},
                                         data=urllib.parse.urlencode(body, doseq=True).encode())
        start.wait()
        try:
            with opener.open(request, timeout=30) as answer:
                answers.append((answer.status, answer.headers["Location"], answer.read().decode()))
        except urllib.error.HTTPError as answer:
            answers.append((answer.code, answer.headers["Location"], answer.read().decode()))

    threads = [threading.Thread(target=send, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def rows(db, sql, params=()):
    return list(db.query(sql, params))


def form_details(html):
    """The capture form from its "Type" fieldset to the save button (capture/_details.html)."""
    start = html.index('<fieldset class="chips-wrap concern-only">')
    return html[start:html.index("</form>", start)]


# ---------------------------------------------------------------- recording


def test_capture_form_takes_the_time_of_the_first_tap(auth, client):
    auth.login("ansatt")
    html = client.get("/registrer/ny/bekymring").get_data(as_text=True)
    assert 'name="opened_at" value="2026-11-26T09:00:00+00:00"' in html
    assert 'name="observed_time" value="10:00"' in html
    assert re.search(r'name="client_id" value="[A-Za-z0-9_-]{16,}"', html)
    assert 'id="kind-concern" name="kind" value="concern" checked' in html
    assert "skriver det du ser, ikke det du tror du ser" in html


def test_each_new_form_has_its_own_id_and_a_form_sent_back_shows_what_was_typed(auth, client, db):
    data.add_map(db)
    auth.login("ansatt")
    first = client.get("/registrer/ny/bekymring").get_data(as_text=True)
    second = client.get("/registrer/ny/bekymring").get_data(as_text=True)
    html = save(auth, facts="Per dyttet Ola", comment="Kommentaren min", observed_time="kvart over", context="")
    html = html.get_data(as_text=True)
    assert re.search(r'name="client_id" value="([^"]+)"', first).group(1) != \
        re.search(r'name="client_id" value="([^"]+)"', second).group(1)
    assert form_details(second) == form_details(first)
    assert not re.search(r'name="context" value="\w+" checked', form_details(first))  # off duty: the user chooses
    assert 'id="capture-map"' in form_details(first) and "Hva så du?" in form_details(first)
    assert "Per dyttet Ola" in form_details(html) and "Kommentaren min" in form_details(html)


def test_a_form_sent_back_checks_only_real_choices(auth, db):
    data.add_map(db)
    auth.login("ansatt")
    # an unknown zone and made-up choices next to real ones: refused, the form shown again
    response = save(auth, zone_id="987654", label=["konflikt", "x" * 40], offence_type=["verbal", "y" * 40],
                    context="z" * 40)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="konflikt" checked' in html and 'value="verbal" checked' in html
    assert "x" * 40 not in html and "y" * 40 not in html and "z" * 40 not in html
    assert 'id="zone-none" name="zone_id" value="" checked' in html  # an unknown zone: none of the school's


def test_a_draft_sent_back_as_it_was_opened_shows_the_same_form(auth, client, db):
    data.add_map(db)
    auth.login("ansatt")
    for path in ("/registrer/ny/bekymring", "/registrer/ny/positiv"):
        opened = client.get(path).get_data(as_text=True)
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', opened))
        assert not re.search(r'name="context" value="(\w+)" checked', opened)  # off duty: not chosen for the user
        fields["kind"] = re.search(r'name="kind" value="(\w+)" checked', opened).group(1)
        # the same values sent back as a draft
        afresh = auth.post("/registrer/utkast", fields).get_data(as_text=True)
        assert form_details(afresh) == form_details(opened)


def test_positive_observation_is_saved_with_pupils_taking_part(auth, db):
    auth.login("ansatt")
    response = save(auth, kind="positive", pupil=[str(data.PUPIL_A), str(data.PUPIL_A2)],
                    label=["inkludering", "vold"], facts="Inviterte Bea med i sisten.")
    assert response.status_code == 303
    observation = rows(db, "SELECT * FROM observation")[0]
    assert observation["kind"] == "positive"
    assert json.loads(observation["labels"]) == ["inkludering"]  # a concern label left in the form is dropped
    assert observation["observed_at"] == "2026-11-26T09:00:00+00:00"
    assert observation["author_id"] == data.STAFF and observation["school_id"] == data.SCHOOL_A
    assert {(r["pupil_id"], r["role"]) for r in rows(db, "SELECT * FROM observation_pupil")} == {
        (data.PUPIL_A, "med"), (data.PUPIL_A2, "med")}
    assert not rows(db, "SELECT * FROM melding") and not rows(db, "SELECT * FROM pupil_note")
    assert response.headers["Location"].endswith(f"/registrer/{observation['id']}?lagret=1")
    assert "trygg_session=" not in response.headers.get("Set-Cookie", "")  # no flash: the cookie is not re-signed
    receipt = auth.client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<div class="flash" role="status"><p>Lagret.</p></div>' in receipt
    assert "Lagret." not in auth.client.get(f"/registrer/{observation['id']}").get_data(as_text=True)


def test_incident_solved_on_the_spot_leaves_a_note_in_each_pupils_file(auth, db):
    auth.login("ansatt")
    save(auth, pupil=[str(data.PUPIL_A), str(data.PUPIL_A2)], **{
        f"role_{data.PUPIL_A}": "utsatt", f"role_{data.PUPIL_A2}": "utøver"},
        offence_type=["fysisk"], label=["konflikt"], intervened="1", outcome="solved",
        facts="Dyttet i køen.", comment="Tror det startet i timen før.")
    observation = rows(db, "SELECT * FROM observation")[0]
    assert observation["outcome"] == "solved" and observation["intervened"] == 1
    assert observation["facts"] == "Dyttet i køen." and observation["comment"] == "Tror det startet i timen før."
    notes = {n["pupil_id"]: n["text"] for n in rows(db, "SELECT * FROM pupil_note")}
    assert set(notes) == {data.PUPIL_A, data.PUPIL_A2}
    assert "Rolle: utsatt" in notes[data.PUPIL_A] and "Rolle: utøver" in notes[data.PUPIL_A2]
    assert "løst der og da" in notes[data.PUPIL_A]
    assert "Bea" not in notes[data.PUPIL_A]  # a pupil's file does not name the other pupils
    assert not rows(db, "SELECT * FROM melding")


def test_unresolved_incident_creates_melding(auth, db):
    auth.login("ansatt")
    response = save(auth, pupil=[str(data.PUPIL_A3)], **{f"role_{data.PUPIL_A3}": "utsatt"},
                    zone_id=str(data.ZONE_A), offence_type=["verbal"], label=["mulig_mobbing"],
                    intervened="0", outcome="follow_up", facts="Kalt stygge ting tre ganger.")
    assert response.status_code == 303
    melding = rows(db, "SELECT * FROM melding")[0]
    observation = rows(db, "SELECT * FROM observation")[0]
    assert melding["observation_id"] == observation["id"]
    assert melding["status"] == "ny" and melding["section_12_5"] == 0
    assert melding["author_id"] == data.STAFF and melding["school_id"] == data.SCHOOL_A
    assert "Kalt stygge ting tre ganger." in melding["summary"]
    assert "Tunet" in melding["summary"] and "Mulig mobbing" in melding["summary"]
    assert "Grep inn: nei." in melding["summary"]
    assert [(r["pupil_id"], r["role"]) for r in rows(db, "SELECT * FROM melding_pupil")] == [
        (data.PUPIL_A3, "utsatt")]
    assert not rows(db, "SELECT * FROM pupil_note")


def test_staff_offending_a_pupil_always_creates_a_section_12_5_melding(auth, db):
    auth.login("ansatt")
    save(auth, pupil=[str(data.PUPIL_A)], **{f"role_{data.PUPIL_A}": "utsatt"}, facts="Dyttet eleven.",
         label=["ansatt_krenker_elev"], outcome="solved", concerns_leader="1", adult_involved="Vikar i 5A")
    melding = rows(db, "SELECT * FROM melding")[0]
    assert melding["section_12_5"] == 1 and melding["concerns_leader"] == 1
    assert rows(db, "SELECT outcome FROM observation")[0]["outcome"] == "follow_up"
    assert not rows(db, "SELECT * FROM pupil_note")


def test_recording_with_no_pupil_named_is_allowed(auth, db):
    auth.login("ansatt")
    assert save(auth, facts="Noen kastet stein mot vinduet.").status_code == 303
    assert rows(db, "SELECT pupils_unclear FROM observation")[0]["pupils_unclear"] == 1
    assert save(auth, client_id="form-0000000002", pupil=[str(data.PUPIL_A)],
                pupils_unclear="1", **{f"role_{data.PUPIL_A}": "utsatt"}).status_code == 303
    assert [r["pupils_unclear"] for r in rows(db, "SELECT pupils_unclear FROM observation ORDER BY id")] == [1, 1]


def test_map_point_is_stored_with_the_zone_it_falls_in(auth, db):
    data.add_map(db)
    auth.login("ansatt")
    # a point on the sports field, although "Tunet" was chosen in the list before the tap
    save(auth, zone_id=str(data.ZONE_A), map_x="0.8", map_y="0.7")
    observation = rows(db, "SELECT * FROM observation")[0]
    assert (observation["map_x"], observation["map_y"]) == (0.8, 0.7)
    assert observation["zone_id"] == data.ZONE_A + 2  # Idrettsplass


def test_zone_can_be_chosen_from_the_list_without_the_map(auth, db):
    auth.login("ansatt")
    save(auth, zone_id=str(data.ZONE_A + 1), context="sfo_utelek")
    observation = rows(db, "SELECT * FROM observation")[0]
    assert observation["zone_id"] == data.ZONE_A + 1 and observation["map_x"] is None
    assert observation["context"] == "sfo_utelek"


def test_adjusted_time_is_used(auth, db):
    auth.login("ansatt")
    save(auth, observed_time="09:50")
    assert rows(db, "SELECT observed_at FROM observation")[0]["observed_at"] == "2026-11-26T08:50:00+00:00"


# ---------------------------------------------------------------- refused input


@pytest.mark.parametrize("fields, message", [
    ({"pupil": [str(data.PUPIL_B)]}, "En av elevene finnes ikke ved skolen"),
    ({"pupil": ["9999"]}, "En av elevene finnes ikke ved skolen"),
    ({"map_x": "1.4", "map_y": "0.5"}, "Punktet på kartet ligger utenfor bildet"),
    ({"observed_time": "10:30"}, "Tidspunktet kan ikke være fram i tid."),
    ({"observed_date": "2026-09-01"}, "mer enn 30 dager tilbake"),
    ({"observed_time": "kvart over"}, "Skriv klokkeslettet som TT:MM"),
    ({"kind": None}, "Velg om det er positivt eller en bekymring/hendelse."),
    ({"zone_id": str(data.ZONE_B)}, "Velg en sone fra listen."),
    ({"context": "kino"}, "Velg hvor det skjedde fra listen"),
    ({"pupil": [str(data.PUPIL_A)], f"role_{data.PUPIL_A}": "sjef"}, "Velg en rolle for hver elev"),
    ({"facts": "x" * 4001}, "for lang"),
])
def test_bad_capture_is_refused_in_norwegian_with_input_kept(auth, db, fields, message):
    data.add_map(db)
    auth.login("ansatt")
    fields.setdefault("comment", "Min kommentar – beholdes")
    response = save(auth, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert "Min kommentar – beholdes" in html
    assert 'name="client_id" value="form-0000000001"' in html  # a retry is still the same record
    assert not rows(db, "SELECT * FROM observation")


def test_a_melding_with_nothing_written_is_refused_with_everything_else_kept(auth, db):
    auth.login("ansatt")
    response = save(auth, pupil=[str(data.PUPIL_A)], **{f"role_{data.PUPIL_A}": "tilskuer"}, outcome="follow_up",
                    label=["konflikt"], offence_type=["verbal"], intervened="1", zone_id=str(data.ZONE_A),
                    facts="  \r\n  ", comment="Virket lei seg.")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Skriv hva du så i «Hva så du?». Meldingen til skoleledelsen må si hva som skjedde." in html
    assert re.search(rf'name="pupil" value="{data.PUPIL_A}" checked', html)
    assert re.search(rf'name="role_{data.PUPIL_A}" value="tilskuer" checked', html)
    for kept in ('value="follow_up" checked', 'value="konflikt" checked', 'value="verbal" checked',
                 'id="intervened-yes" name="intervened" value="1" checked', "Virket lei seg.",
                 'name="client_id" value="form-0000000001"'):
        assert kept in html
    assert re.search(rf'id="zone-{data.ZONE_A}" name="zone_id" value="{data.ZONE_A}" '
                     r'data-polygon="[^"]*" checked', html)
    assert not rows(db, "SELECT * FROM observation") and not rows(db, "SELECT * FROM melding")
    # solved on the spot it is a note, not a melding: no text is needed
    assert save(auth, client_id="form-0000000002", outcome="solved").status_code == 303


def test_a_section_12_5_record_says_who_the_adult_was_in_words(auth, client, db):
    auth.login("ansatt")
    form_html = client.get("/registrer/ny/bekymring").get_data(as_text=True)
    # free text, never a picker of the school's staff that shows colleagues' names
    assert 'type="text" id="adult_involved" name="adult_involved"' in form_html
    assert "Rita Rektor" not in form_html.replace("Kari Lærer", "")
    response = save(auth, pupil=[str(data.PUPIL_A)], **{f"role_{data.PUPIL_A}": "utsatt"},
                    label=["ansatt_krenker_elev"], facts="Ropte til eleven foran klassen.")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Skriv hvem den voksne var" in html
    assert "Ropte til eleven foran klassen." in html and 'value="ansatt_krenker_elev" checked' in html
    assert not rows(db, "SELECT * FROM melding")
    assert save(auth, pupil=[str(data.PUPIL_A)], **{f"role_{data.PUPIL_A}": "utsatt"}, label=["ansatt_krenker_elev"],
                facts="Ropte til eleven foran klassen.", adult_involved="Vikar i 5A").status_code == 303
    observation, melding = rows(db, "SELECT * FROM observation")[0], rows(db, "SELECT * FROM melding")[0]
    assert observation["adult_involved"] == melding["adult_involved"] == "Vikar i 5A"
    assert "Vikar i 5A" in client.get(f"/registrer/{observation['id']}").get_data(as_text=True)
    auth.logout()
    auth.login("leder")
    assert "Den ansatte det gjelder: Vikar i 5A" in client.get(f"/meldinger/{melding['id']}").get_data(as_text=True)
    auth.logout()
    auth.login("skoleeier")
    assert "Den ansatte det gjelder: Vikar i 5A" in client.get(f"/meldinger/{melding['id']}").get_data(as_text=True)


def test_chosen_pupils_stay_chosen_after_an_error(auth, db):
    auth.login("ansatt")
    html = save(auth, pupil=[str(data.PUPIL_A3)], **{f"role_{data.PUPIL_A3}": "tilskuer"},
                observed_time="23:00").get_data(as_text=True)
    assert re.search(rf'name="pupil" value="{data.PUPIL_A3}" checked', html)
    assert re.search(rf'name="role_{data.PUPIL_A3}" value="tilskuer" checked', html)


# ---------------------------------------------------------------- never lose, never double


def test_same_form_sent_twice_gives_one_record_and_the_same_answer(auth, db):
    auth.login("ansatt")
    fields = dict(pupil=[str(data.PUPIL_A)], outcome="follow_up", facts="Slag.", **{f"role_{data.PUPIL_A}": "utsatt"})
    first, second = save(auth, **fields), save(auth, **fields)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert len(rows(db, "SELECT * FROM observation")) == 1
    assert len(rows(db, "SELECT * FROM melding")) == 1


def test_same_form_id_with_different_content_is_a_conflict(auth, db):
    auth.login("ansatt")
    save(auth, facts="Først dette.")
    response = save(auth, facts="Så noe annet.")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "allerede lagret, med et annet innhold" in html and "Så noe annet." in html
    assert "Lagre som ny" in html
    assert 'name="client_id" value="form-0000000001"' not in html  # a new id: saving again makes a new record
    assert [r["facts"] for r in rows(db, "SELECT facts FROM observation")] == ["Først dette."]


def test_form_ids_are_per_author(auth, db):
    auth.login("ansatt")
    save(auth, facts="Kari så dette.")
    auth.logout()
    auth.login("leder")
    assert save(auth, facts="Rita så noe annet.").status_code == 303
    assert len(rows(db, "SELECT * FROM observation")) == 2


# ---------------------------------------------------------------- after saving


def test_solved_incident_turns_into_a_melding_with_one_tap(auth, client, db):
    auth.login("ansatt")
    location = save(auth, pupil=[str(data.PUPIL_A)], outcome="solved", facts="Dyttet i køen.",
                    **{f"role_{data.PUPIL_A}": "utsatt"}).headers["Location"]
    assert "Gjør om til melding" in client.get(location).get_data(as_text=True)
    observation_id = rows(db, "SELECT id FROM observation")[0]["id"]
    first = auth.post(f"/registrer/{observation_id}/melding")
    again = auth.post(f"/registrer/{observation_id}/melding")
    assert first.status_code == again.status_code == 303
    meldinger = rows(db, "SELECT * FROM melding")
    assert len(meldinger) == 1 and meldinger[0]["observation_id"] == observation_id
    assert rows(db, "SELECT role FROM melding_pupil")[0]["role"] == "utsatt"
    assert "Sendt – ikke mottatt ennå" in client.get(location).get_data(as_text=True)


def test_a_record_without_facts_becomes_a_melding_only_with_what_was_seen(auth, client, db):
    auth.login("ansatt")
    location = save(auth, pupil=[str(data.PUPIL_A)], outcome="solved", **{f"role_{data.PUPIL_A}": "utsatt"},
                    comment="Kommentaren").headers["Location"]
    observation_id = rows(db, "SELECT id FROM observation")[0]["id"]
    assert 'name="facts"' in client.get(location).get_data(as_text=True)  # asked for with the button
    response = auth.post(f"/registrer/{observation_id}/melding", {"facts": "   "})
    assert response.status_code == 422
    assert "Skriv hva du så. Meldingen til skoleledelsen må si hva som skjedde." in response.get_data(as_text=True)
    assert not rows(db, "SELECT * FROM melding")
    assert auth.post(f"/registrer/{observation_id}/melding", {"facts": "Dyttet i køen."}).status_code == 303
    summary = rows(db, "SELECT summary FROM melding")[0]["summary"]
    assert "Hva så du? Dyttet i køen." in summary and "Kommentar: Kommentaren" in summary


def test_author_corrects_within_the_window_and_the_earlier_version_is_kept(app, auth, client, db):
    auth.login("ansatt")
    save(auth, pupil=[str(data.PUPIL_A)], outcome="solved", facts="Dyttet.", **{f"role_{data.PUPIL_A}": "utsatt"})
    observation_id = rows(db, "SELECT id FROM observation")[0]["id"]
    app.config["NOW"] = "2026-11-26T10:40:00+01:00"
    page = client.get(f"/registrer/{observation_id}/rett").get_data(as_text=True)
    assert "Dyttet." in page and 'name="version" value="1"' in page
    corrected = form(version="1", client_id=None, pupil=[str(data.PUPIL_A2)], outcome="solved",
                     facts="Dyttet og slo.", **{f"role_{data.PUPIL_A2}": "utsatt"})
    response = auth.post(f"/registrer/{observation_id}/rett", corrected)
    assert response.status_code == 303
    observation = rows(db, "SELECT * FROM observation")[0]
    assert observation["facts"] == "Dyttet og slo." and observation["version"] == 2
    revision = rows(db, "SELECT * FROM observation_revision")[0]
    assert revision["version"] == 1 and revision["changed_by"] == data.STAFF
    before = json.loads(revision["snapshot"])
    assert before["observation"]["facts"] == "Dyttet."
    assert before["pupils"] == [{"pupil_id": data.PUPIL_A, "role": "utsatt"}]
    # the note follows the corrected pupils
    assert [n["pupil_id"] for n in rows(db, "SELECT pupil_id FROM pupil_note")] == [data.PUPIL_A2]
    # the same correction sent again is the same answer, not a conflict
    assert auth.post(f"/registrer/{observation_id}/rett", corrected).status_code == 303
    assert len(rows(db, "SELECT * FROM observation_revision")) == 1


def test_a_corrected_time_is_the_time_of_the_records_pupils_too(app, auth, db):
    """Leadership reads a pupil's records by the time observation_pupil carries: a correction moves it."""
    auth.login("ansatt")
    roles = {f"role_{data.PUPIL_A}": "utsatt", f"role_{data.PUPIL_A2}": "utøver"}
    save(auth, pupil=[str(data.PUPIL_A), str(data.PUPIL_A2)], outcome="solved", facts="Dyttet.", **roles)
    observation_id = rows(db, "SELECT id FROM observation")[0]["id"]
    assert {r["observed_at"] for r in rows(db, "SELECT observed_at FROM observation_pupil")} == {
        "2026-11-26T09:00:00+00:00"}
    app.config["NOW"] = "2026-11-26T10:40:00+01:00"
    corrected = form(version="1", client_id=None, observed_time="09:50",
                     pupil=[str(data.PUPIL_A), str(data.PUPIL_A2)], outcome="solved", facts="Dyttet.", **roles)
    assert auth.post(f"/registrer/{observation_id}/rett", corrected).status_code == 303
    assert rows(db, "SELECT observed_at FROM observation")[0]["observed_at"] == "2026-11-26T08:50:00+00:00"
    assert {r["observed_at"] for r in rows(db, "SELECT observed_at FROM observation_pupil")} == {
        "2026-11-26T08:50:00+00:00"}


def test_correction_after_the_window_is_refused(app, auth, client, db):
    auth.login("ansatt")
    save(auth, facts="Dyttet.")
    observation_id = rows(db, "SELECT id FROM observation")[0]["id"]
    app.config["NOW"] = "2026-11-26T12:30:00+01:00"
    auth.login("ansatt")  # the session itself timed out meanwhile
    response = client.get(f"/registrer/{observation_id}/rett", follow_redirects=True)
    assert "Fristen for å rette er ute" in response.get_data(as_text=True)
    response = auth.post(f"/registrer/{observation_id}/rett", form(version="1", facts="Endret."))
    assert response.status_code == 303
    assert rows(db, "SELECT facts FROM observation")[0]["facts"] == "Dyttet."


def test_a_stale_correction_is_a_conflict(app, auth, client, db):
    auth.login("ansatt")
    save(auth, facts="Dyttet.")
    observation_id = rows(db, "SELECT id FROM observation")[0]["id"]
    auth.post(f"/registrer/{observation_id}/rett", form(version="1", facts="Andre versjon."))
    response = auth.post(f"/registrer/{observation_id}/rett", form(version="1", facts="Tredje versjon."))
    assert response.status_code == 409
    assert rows(db, "SELECT facts FROM observation")[0]["facts"] == "Andre versjon."


def test_author_sees_whether_leadership_acknowledged_the_melding(auth, client, db):
    auth.login("ansatt")
    save(auth, outcome="follow_up", facts="Slag.")
    assert "Sendt – ikke mottatt ennå" in client.get("/registrer/mine").get_data(as_text=True)
    db.execute("UPDATE melding SET status = 'mottatt', acknowledged_by = ?, "
               "acknowledged_at = '2026-11-26T09:20:00+00:00'", [data.LEADER])
    html = client.get("/registrer/mine").get_data(as_text=True)
    assert "Mottatt av Rita Rektor kl. 10:20 26.11.2026" in html
    assert "Mottatt av Rita Rektor kl. 10:20" in client.get("/registrer/mine?vis=meldinger").get_data(as_text=True)


def test_staff_cannot_open_another_authors_record_but_leaders_can(app, auth, db):
    auth.login("leder")
    save(auth, facts="Lederen så dette.")
    observation_id = rows(db, "SELECT id FROM observation")[0]["id"]
    staff = app.test_client()
    from .conftest import Auth

    Auth(staff).login("ansatt")
    assert staff.get(f"/registrer/{observation_id}").status_code == 404
    assert staff.get(f"/registrer/{observation_id}/rett").status_code == 404
    other_school = app.test_client()
    Auth(other_school).login("leder2")
    assert other_school.get(f"/registrer/{observation_id}").status_code == 404
    auth.logout()
    auth.login("leder")
    assert auth.client.get(f"/registrer/{observation_id}").status_code == 200


def test_viewing_and_creating_records_is_audited(auth, client, db):
    auth.login("ansatt")
    location = save(auth, pupil=[str(data.PUPIL_A)], outcome="follow_up", facts="Slag.",
                    **{f"role_{data.PUPIL_A}": "utsatt"}).headers["Location"]
    client.get(location)
    lines = {(r["action"], r["entity"], r["pupil_id"], r["user_id"]) for r in rows(db, "SELECT * FROM audit_log")}
    assert {("create", "observation", data.PUPIL_A, data.STAFF), ("create", "melding", data.PUPIL_A, data.STAFF),
            ("view", "observation", data.PUPIL_A, data.STAFF)} <= lines


# ---------------------------------------------------------------- picking pupils, defaults


def test_pupils_are_found_by_first_letters_by_post_and_only_at_ones_school(auth, client):
    auth.login("ansatt")
    assert client.get("/registrer/elever").status_code == 405  # names never go into URLs
    html = auth.post("/registrer/elever", {"q": "ak"}).get_data(as_text=True)
    assert "Aksel Andersen" in html and "Bea Berge" not in html
    assert "Berge" in auth.post("/registrer/elever", {"q": "ber"}).get_data(as_text=True)
    assert "Dina Eide" not in auth.post("/registrer/elever", {"q": "di"}).get_data(as_text=True)
    by_class = auth.post("/registrer/elever", {"q": "", "klasse": str(data.CLASS_A2)}).get_data(as_text=True)
    assert "Cato Dahle" in by_class and "Aksel" not in by_class
    chosen = auth.post("/registrer/elever", {"q": "a", "pupil": str(data.PUPIL_A)}).get_data(as_text=True)
    assert "Aksel" not in chosen  # already chosen
    listed = auth.post("/registrer/elever", {"q": "a", "shown": str(data.PUPIL_A)}).get_data(as_text=True)
    assert "Aksel" not in listed  # already on the list of recent pupils


def test_recent_pupils_of_this_author_are_offered_first(auth, client, db):
    auth.login("ansatt")
    save(auth, kind="positive", pupil=[str(data.PUPIL_A3)])
    html = client.get("/registrer/ny/positiv").get_data(as_text=True)
    assert "Cato Dahle" in html and "Bea Berge" not in html


def test_off_duty_the_context_is_chosen_with_the_last_one_used_offered_first(app, auth, client, db):
    auth.login("ansatt")
    html = client.get("/registrer/ny/bekymring").get_data(as_text=True)
    assert not re.search(r'name="context" value="\w+" checked', html)  # no silent "Friminutt"
    assert "Velg hvor det skjedde." in html
    response = save(auth, context=None, facts="Dyttet i garderoben.")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Velg sammenheng: hvor det skjedde (friminutt, SFO, klasserom …)." in html
    assert "Dyttet i garderoben." in html and not rows(db, "SELECT * FROM observation")
    assert save(auth, context="klasserom", facts="Dyttet i garderoben.").status_code == 303
    html = client.get("/registrer/ny/positiv").get_data(as_text=True)
    contexts = re.findall(r'name="context" value="(\w+)"', html)
    assert contexts[0] == "klasserom" and sorted(contexts) == sorted(rules.CONTEXTS)  # one tap, first in the row
    assert not re.search(r'name="context" value="\w+" checked', html)
    assert "det du valgte sist, står først" in html


def test_sfo_staff_after_the_school_day_get_sfo_chosen(app, auth, client, db):
    db["user"].update(data.STAFF, {"title": "SFO-assistent"})
    auth.login("ansatt")
    html = client.get("/registrer/ny/positiv").get_data(as_text=True)
    assert not re.search(r'name="context" value="\w+" checked', html)
    app.config["NOW"] = "2026-11-26T13:35:00+01:00"
    auth.login("ansatt")  # the session itself timed out meanwhile
    html = client.get("/registrer/ny/positiv").get_data(as_text=True)
    assert 'name="context" value="sfo_innelek" checked' in html  # November: indoors


def test_duty_in_progress_presets_zone_and_context(auth, client, db):
    db["duty_session"].insert({"school_id": data.SCHOOL_A, "user_id": data.STAFF, "zone_id": data.ZONE_A + 1,
                               "duty_date": "2026-11-26", "started_at": "2026-11-26T08:45:00+00:00"})
    auth.login("ansatt")
    html = client.get("/registrer/ny/bekymring").get_data(as_text=True)
    assert f'value="{data.ZONE_A + 1}" data-polygon' in html
    assert re.search(rf'id="zone-{data.ZONE_A + 1}" name="zone_id" value="{data.ZONE_A + 1}" '
                     r'data-polygon="[^"]*" checked', html)
    assert 'name="duty_session_id" value="1"' in html
    assert 'name="context" value="friminutt" checked' in html  # tilsyn
    save(auth, duty_session_id="1", zone_id=str(data.ZONE_A + 1))
    assert rows(db, "SELECT duty_session_id FROM observation")[0]["duty_session_id"] == 1


def test_a_duty_ended_by_the_clock_no_longer_presets_the_form(auth, client, db):
    # planned to end 09:30 Oslo; at 10:00 tilsyn has ended it (15 minutes' grace), so capture does not use it
    db["duty_session"].insert({"school_id": data.SCHOOL_A, "user_id": data.STAFF, "zone_id": data.ZONE_A + 1,
                               "duty_date": "2026-11-26", "started_at": "2026-11-26T08:15:00+00:00",
                               "planned_end_at": "2026-11-26T08:30:00+00:00"})
    auth.login("ansatt")
    assert 'name="duty_session_id" value=""' in client.get("/registrer/ny/bekymring").get_data(as_text=True)
    assert rows(db, "SELECT ended_by FROM duty_session")[0]["ended_by"] == "clock"


def test_a_duty_at_another_school_is_not_the_duty_in_progress_here(auth, client, db):
    db["duty_session"].insert({"school_id": data.SCHOOL_B, "user_id": data.STAFF, "zone_id": data.ZONE_B,
                               "duty_date": "2026-11-26", "started_at": "2026-11-26T08:45:00+00:00"})
    auth.login("ansatt")
    assert 'name="duty_session_id" value=""' in client.get("/registrer/ny/bekymring").get_data(as_text=True)


def test_another_users_duty_session_is_ignored(auth, client, db):
    db["duty_session"].insert({"school_id": data.SCHOOL_A, "user_id": data.LEADER, "zone_id": data.ZONE_A,
                               "duty_date": "2026-11-26", "started_at": "2026-11-26T08:45:00+00:00"})
    auth.login("ansatt")
    assert 'name="duty_session_id" value=""' in client.get("/registrer/ny/positiv?vakt=1").get_data(as_text=True)
    save(auth, duty_session_id="1")
    assert rows(db, "SELECT duty_session_id FROM observation")[0]["duty_session_id"] is None


def test_a_restored_draft_keeps_the_duty_it_was_opened_for_if_it_is_ones_own_never_the_one_in_progress(auth, db):
    for user in (data.STAFF, data.LEADER):  # 1: Kari's duty in progress, 2: Rita's
        db["duty_session"].insert({"school_id": data.SCHOOL_A, "user_id": user, "zone_id": data.ZONE_A + 1,
                                   "duty_date": "2026-11-26", "started_at": "2026-11-26T08:45:00+00:00"})
    auth.login("ansatt")
    draft = form(client_id="draft-form-0001", facts="Holdt ham fast.")
    for sent, kept in (("1", "1"), ("2", ""), ("", ""), ("x", ""), ("99", "")):
        html = auth.post("/registrer/utkast", {**draft, "duty_session_id": sent}).get_data(as_text=True)
        assert f'name="duty_session_id" value="{kept}"' in html, sent


def test_entry_partial_opens_capture_at_the_duty(app):
    from flask import render_template

    with app.test_request_context("/"):
        html = render_template("capture/_entry.html", duty_session={"id": 7, "zone_id": 2})
        plain = render_template("capture/_entry.html")
    assert "/registrer/ny/positiv?vakt=7" in html and "/registrer/ny/bekymring?vakt=7" in html
    assert "/registrer/ny/bekymring" in plain and "vakt" not in plain


# ---------------------------------------------------------------- who may do what


def test_home_screen_has_the_capture_buttons_and_my_latest_records(auth, client):
    auth.login("ansatt")
    save(auth, kind="positive", pupil=[str(data.PUPIL_A)])
    html = client.get("/").get_data(as_text=True)
    assert "/registrer/ny/positiv" in html and "Bekymring / hendelse" in html
    assert "Mine siste registreringer" in html and "Aksel Andersen" in html
    assert ">Registrer" in html  # the tab


def test_leaders_are_led_from_capture_to_the_feed_of_meldinger(auth, client, db):
    auth.login("ansatt")
    save(auth, outcome="follow_up", facts="Slag i ansiktet.")
    save(auth, kind="positive", pupil=[str(data.PUPIL_A)], client_id="form-0000000002")
    melding = rows(db, "SELECT id, observation_id FROM melding")[0]
    positive = rows(db, "SELECT id FROM observation WHERE kind = 'positive'")[0]["id"]
    auth.logout()
    auth.login("leder")
    assert client.get("/registrer/meldinger").status_code == 404  # the feed replaced the plain list
    assert 'href="/meldinger/"' in client.get("/registrer/").get_data(as_text=True)
    assert "/registrer/meldinger" not in client.get("/").get_data(as_text=True)
    record = client.get(f"/registrer/{melding['observation_id']}").get_data(as_text=True)
    assert f'href="/meldinger/{melding["id"]}"' in record  # back to the melding in the feed
    assert 'href="/meldinger/"' in client.get(f"/registrer/{positive}").get_data(as_text=True)
    assert client.get(f"/meldinger/{melding['id']}").status_code == 200


@pytest.mark.parametrize("username", ["skoleeier", "admin"])
def test_owners_and_operators_do_not_capture(auth, client, username):
    auth.login(username)
    assert client.get("/registrer/ny/positiv").status_code == 403
    assert auth.post("/registrer/ny", form(), page="/passord").status_code == 403


def test_demo_has_weeks_of_observations_notes_and_meldinger(tmp_path):
    db = demo_database(make_app(tmp_path, NOW=NOW), tmp_path / "demo.sqlite")
    kinds = dict(db.execute("SELECT kind, count(*) FROM observation GROUP BY kind").fetchall())
    assert kinds["positive"] > kinds["concern"] > 10
    assert db.execute("SELECT count(DISTINCT date(observed_at)) FROM observation").fetchone()[0] >= 10
    assert db.execute("SELECT count(*) FROM observation WHERE context LIKE 'sfo%'").fetchone()[0] > 0
    assert db.execute("SELECT count(*) FROM pupil_note").fetchone()[0] > 0
    statuses = dict(db.execute("SELECT status, count(*) FROM melding GROUP BY status").fetchall())
    assert statuses.get("mottatt") and db.execute(
        "SELECT count(*) FROM melding WHERE section_12_5 = 1").fetchone()[0] >= 1
    db.conn.close()


def test_ten_concurrent_submits_of_one_form_make_one_record(app, auth, client, db, live_server):
    auth.login("ansatt")
    token = csrf_token(client, "/registrer/ny/bekymring")
    body = {**form(pupil=str(data.PUPIL_A), outcome="follow_up", facts="Slag.", **{f"role_{data.PUPIL_A}": "utsatt"}),
            "csrf_token": token}
    answers = post_in_parallel(live_server, client, "/registrer/ny", [body] * 10, headers={"HX-Request": "true"})
    redirects = {(status, location) for status, location, _ in answers}
    assert len(answers) == 10 and len(redirects) == 1 and answers[0][0] == 303
    assert db.execute("SELECT count(*) FROM observation").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM melding").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM observation_pupil").fetchone()[0] == 1


def test_leader_opens_an_incident_without_melding_from_the_feed(auth, client, db):
    auth.login("ansatt")
    save(auth, outcome="solved", facts="Dyttet i køen.", pupil=[str(data.PUPIL_A)], role_1="utsatt")
    observation_id = rows(db, "SELECT id FROM observation")[0]["id"]
    auth.logout()
    auth.login("leder")
    assert f'href="/registrer/{observation_id}"' in client.get("/meldinger/").get_data(as_text=True)
    record = client.get(f"/registrer/{observation_id}").get_data(as_text=True)
    assert "Dyttet i køen." in record and 'href="/meldinger/"' in record


def test_recent_pupils_are_the_latest_still_at_school_each_once(db):
    from datetime import datetime, timedelta, timezone

    from webapp.capture import store

    now = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)
    pupils = [db["pupil"].insert({"school_id": data.SCHOOL_A, "class_id": data.CLASS_A, "full_name": f"Elev {n:02d}",
                                  "created_at": "2026-08-01T08:00:00+00:00"}).last_pk for n in range(30)]
    # one record a minute, the newest about pupil 29, then 28, ...
    for minutes, pupil_id in enumerate(reversed(pupils)):
        save_record(db, kind="positive", observed_at=now - timedelta(minutes=minutes + 1), context="friminutt",
                    pupils={pupil_id: "med"}, recorded=now)
    db.execute("UPDATE pupil SET active = 0 WHERE id IN (?, ?)", [pupils[29], pupils[20]])  # left the school
    recent = store.recent_pupils(db, data.STAFF, data.SCHOOL_A, now, limit=12)
    expected = [p for p in reversed(pupils) if p not in (pupils[29], pupils[20])][:12]
    assert [p["id"] for p in recent] == expected
    # only the latest RECENT_RECORDS records count, a record without pupils ("uklart hvem") too
    save_record(db, kind="concern", observed_at=now, context="friminutt", pupils_unclear=True)
    recent = store.recent_pupils(db, data.STAFF, data.SCHOOL_A, now, limit=40)
    assert [p["id"] for p in recent] == [p for p in reversed(pupils) if p not in (pupils[29], pupils[20])][:27]
    assert recent[0] == {"id": pupils[28], "full_name": "Elev 28", "class_name": recent[0]["class_name"]}


def test_saving_writes_each_pupils_copies_of_time_kind_and_class_once(app, auth, db):
    """Capture inserts observation_pupil with its time, kind and class, so the copying triggers stay idle."""
    auth.login("ansatt")
    with app.app_context():
        requests_connection = get_db().conn  # the test client's requests run on this thread's connection
    before = requests_connection.total_changes
    roles = {f"role_{data.PUPIL_A}": "utsatt", f"role_{data.PUPIL_A3}": "utøver"}
    assert save(auth, pupil=[str(data.PUPIL_A), str(data.PUPIL_A3)], **roles).status_code == 303
    # total_changes counts rows written by triggers too: one observation, two pupils, two audit lines
    assert requests_connection.total_changes - before == 5
    assert sorted(db.execute("SELECT pupil_id, observed_at, kind, class_id FROM observation_pupil").fetchall()) == [
        (data.PUPIL_A, "2026-11-26T09:00:00+00:00", "concern", data.CLASS_A),
        (data.PUPIL_A3, "2026-11-26T09:00:00+00:00", "concern", data.CLASS_A2)]


def test_a_writer_that_leaves_out_time_kind_and_class_still_gets_them(db):
    """A row written without capture's store (a hand-made fix, an old import) still gets its copies."""
    # raw SQL on purpose: the triggers fill in for a writer that is not capture's store
    observation = db["observation"].insert({
        "school_id": data.SCHOOL_A, "author_id": data.STAFF, "client_id": "x",
        "observed_at": "2026-11-20T08:00:00+00:00", "recorded_at": "x", "updated_at": "x", "kind": "concern"}).last_pk
    db.execute("INSERT INTO observation_pupil (observation_id, pupil_id, role) VALUES (?, ?, 'utsatt')",
               [observation, data.PUPIL_A3])
    assert db.execute("SELECT observed_at, kind, class_id FROM observation_pupil").fetchall() == [
        ("2026-11-20T08:00:00+00:00", "concern", data.CLASS_A2)]


def test_a_page_views_audit_line_is_committed_to_the_database_at_synchronous_full(app, auth):
    """A page viewed waits for its audit line to be on disk, as a saved record does: one trail, in the database."""
    auth.login("ansatt")
    response = save(auth, pupil=[str(data.PUPIL_A)], outcome="solved", facts="Dyttet.",
                    **{f"role_{data.PUPIL_A}": "utsatt"})
    assert response.status_code == 303
    with app.app_context():
        database = get_db().conn  # what this thread's requests use
    written = []
    database.set_trace_callback(written.append)
    try:
        assert auth.client.get(response.headers["Location"].split("?")[0]).status_code == 200
    finally:
        database.set_trace_callback(None)
    writes = [s for s in written if s.startswith(("BEGIN", "INSERT", "COMMIT", "PRAGMA synchronous"))]
    assert writes[0] == "BEGIN IMMEDIATE" and writes[1].startswith("INSERT INTO audit_log") and writes[2:] == ["COMMIT"]
    assert database.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert database.execute("SELECT action, entity FROM audit_log ORDER BY id DESC LIMIT 1").fetchone() == (
        "view", "observation")


def test_a_pupil_who_has_left_the_school_is_refused_with_the_input_kept(app, auth, db):
    auth.login("ansatt")
    db.execute("UPDATE pupil SET active = 0 WHERE id = ?", [data.PUPIL_A2])  # left while the form was open
    roles = {f"role_{data.PUPIL_A}": "utsatt", f"role_{data.PUPIL_A2}": "utøver"}
    response = save(auth, pupil=[str(data.PUPIL_A), str(data.PUPIL_A2)], outcome="solved", facts="Dyttet.", **roles)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Bea Berge har sluttet ved skolen." in html
    assert f'name="pupil" value="{data.PUPIL_A2}" checked' in html and "Dyttet." in html  # to remove, not retype
    assert rows(db, "SELECT id FROM observation") == []


def test_a_correction_keeps_a_pupil_who_has_left_since_but_adds_none(app, auth, db):
    auth.login("ansatt")
    roles = {f"role_{data.PUPIL_A}": "utsatt", f"role_{data.PUPIL_A2}": "utøver"}
    save(auth, pupil=[str(data.PUPIL_A)], outcome="solved", facts="Dyttet.", **roles)
    observation_id = rows(db, "SELECT id FROM observation")[0]["id"]
    db.execute("UPDATE pupil SET active = 0 WHERE id IN (?, ?)", [data.PUPIL_A, data.PUPIL_A2])
    app.config["NOW"] = "2026-11-26T10:40:00+01:00"
    adding = form(version="1", client_id=None, pupil=[str(data.PUPIL_A), str(data.PUPIL_A2)], outcome="solved",
                  facts="Dyttet og slo.", **roles)
    response = auth.post(f"/registrer/{observation_id}/rett", adding)
    assert response.status_code == 422 and "Bea Berge har sluttet ved skolen." in response.get_data(as_text=True)
    kept = form(version="1", client_id=None, pupil=[str(data.PUPIL_A)], outcome="solved", facts="Dyttet og slo.",
                **roles)
    assert auth.post(f"/registrer/{observation_id}/rett", kept).status_code == 303
    assert rows(db, "SELECT facts FROM observation")[0]["facts"] == "Dyttet og slo."
