"""Findings of the security review of capture and leadership, each held by a test.

§12-5 meldinger about a leader reach owners only; a melding joins only a case of
its own confidentiality; exports survive Word's control characters; new-record
forms are stored once; huge ids are no ids; the feed's pages are audited.
"""
import io
import re
import uuid

import pytest
from docx import Document

from webapp import clock
from webapp.db import transaction
from webapp.feed import store as feed_store
from webapp.saker import store as saker

from . import data
from .conftest import login, make_app
from .meldinger import add_melding, db_of

NOW = "2026-11-26T10:00:00+01:00"  # a Thursday, in the 09:45 break
SECRET = "HEMMELIG-REKTOR-SLO-ELEVEN"


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path, NOW=NOW)


def capture(auth, **fields):
    """Record an observation on the capture form as staff do."""
    form = {"kind": "concern", "client_id": uuid.uuid4().hex, "opened_at": "2026-11-26T09:00:00+00:00",
            "observed_date": "2026-11-26", "observed_time": "09:55", "context": "friminutt",
            "outcome": "follow_up", "intervened": "1", "facts": "Dyttet.",
            "adult_involved": "Rektor"}  # who the adult was: used only on a § 12-5 record
    form.update(fields)
    return auth.post("/registrer/ny", form)


def melding_about_leader(app, times=1):
    """Staff record §12-5 incidents about a leader with pupil A offended; the observations' ids."""
    _, staff = login(app, "ansatt")
    ids = []
    for _ in range(times):
        response = capture(staff, pupil=str(data.PUPIL_A), **{f"role_{data.PUPIL_A}": "utsatt"},
                           label="ansatt_krenker_elev", concerns_leader="1", facts=SECRET)
        assert response.status_code == 303
        ids.append(int(response.headers["Location"].split("?")[0].rstrip("/").split("/")[-1]))
    return ids


# ---------------------------------------------------------------- 1: §12-5 about a leader, owners only

def test_melding_about_leader_is_nowhere_in_leaders_screens(app):
    observation_id = melding_about_leader(app)[0]
    leader, _ = login(app, "leder")
    for url in ["/", "/meldinger/", "/meldinger/liste", f"/meldinger/elever/{data.PUPIL_A}",
                "/meldinger/monstre", "/saker/", f"/registrer/{observation_id}"]:
        assert SECRET not in leader.get(url).get_data(as_text=True), url
    owner, _ = login(app, "skoleeier")
    db = db_of(app)
    melding_id = db.execute("SELECT id FROM melding WHERE observation_id = ?", [observation_id]).fetchone()[0]
    assert SECRET in owner.get(f"/meldinger/{melding_id}").get_data(as_text=True)


def test_chronology_leaves_out_the_observation_of_a_melding_about_a_leader(app):
    melding_about_leader(app)
    leader, _ = login(app, "leder")
    html = leader.get(f"/meldinger/elever/{data.PUPIL_A}").get_data(as_text=True)
    assert SECRET not in html


def test_patterns_do_not_count_incidents_about_a_leader(app):
    melding_about_leader(app, times=3)  # the school's default: 3 in 14 days flags the pupil
    db = db_of(app)
    school = db["school"].get(data.SCHOOL_A)
    assert feed_store.school_patterns(db, school, clock.parse(NOW)) == []


def test_unacknowledged_count_leaves_out_meldinger_about_a_leader(app):
    melding_about_leader(app)
    from webapp.feed import store as records
    assert records.unacknowledged_count(db_of(app), data.SCHOOL_A) == 0


# ---------------------------------------------------------------- 2: a melding joins a case of its own kind

def _case_from_ordinary_melding(app):
    """A case leaders run, opened from an ordinary melding about pupil A."""
    melding_id = add_melding(app, observation=False)
    db = db_of(app)
    with transaction(db):
        sak_id = saker.open_sak(db, db["melding"].get(melding_id), data.PUPIL_A, data.LEADER, data.LEADER,
                                clock.parse(NOW))
    return sak_id


def test_owner_cannot_add_melding_about_leader_to_a_case_leaders_read(app):
    sak_id = _case_from_ordinary_melding(app)
    secret = add_melding(app, section_12_5=True, concerns_leader=True, observation=False, summary=SECRET)
    owner, owner_auth = login(app, "skoleeier")
    page = owner.get(f"/meldinger/{secret}").get_data(as_text=True)
    assert f"Sak nr. {sak_id}:" not in page  # not even offered (nor its pupil's case name)
    response = owner_auth.post(f"/meldinger/{secret}/legg-til-sak", {"sak_id": sak_id})
    assert response.status_code == 404
    leader, _ = login(app, "leder")
    for url in [f"/saker/{sak_id}", f"/saker/{sak_id}/eksport"]:
        assert SECRET not in leader.get(url).get_data(as_text=True)


def test_owner_is_offered_only_cases_they_may_see(app):
    sak_id = _case_from_ordinary_melding(app)
    melding_12_5 = add_melding(app, section_12_5=True, labels=["ansatt_krenker_elev"])
    owner, _ = login(app, "skoleeier")
    assert f"Sak nr. {sak_id}:" not in owner.get(f"/meldinger/{melding_12_5}").get_data(as_text=True)
    db = db_of(app)
    with transaction(db):
        saker.escalate(db, db["sak"].get(sak_id), "Alvorlig.", True, data.LEADER, clock.parse(NOW))
    assert f"Sak nr. {sak_id}:" in owner.get(f"/meldinger/{melding_12_5}").get_data(as_text=True)


def test_case_about_leader_shows_leaders_nothing_and_case_bundle_filters(app):
    melding_id = add_melding(app, observation=False)
    secret = add_melding(app, section_12_5=True, concerns_leader=True, observation=False, summary=SECRET)
    db = db_of(app)
    with transaction(db):
        sak_id = saker.open_sak(db, db["melding"].get(melding_id), data.PUPIL_A, data.LEADER, data.LEADER,
                                clock.parse(NOW))
        # an impossible state on purpose: even if a melding about a leader were linked to a leaders' case,
        # the case would not show it
        db["sak_melding"].insert({"sak_id": sak_id, "melding_id": secret})
    bundle = saker.case_bundle(db, db["sak"].get(sak_id))
    assert [m["id"] for m in bundle["meldinger"]] == [melding_id]
    with pytest.raises(ValueError):
        saker.add_melding(db, db["sak"].get(sak_id), db["melding"].get(secret), data.OWNER, clock.parse(NOW))


# ---------------------------------------------------------------- 5: new-record forms stored once

def test_melding_on_behalf_sent_twice_is_stored_once(app):
    _, leader = login(app, "leder")
    form = {"source": "foresatt", "channel": "telefon", "summary": "Mor ringte", "received_on": "2026-11-26",
            "received_by_id": data.LEADER, "pupil_id": data.PUPIL_A, "raised_by": "Mor",
            "client_id": uuid.uuid4().hex}
    first = leader.post("/meldinger/ny", form)
    second = leader.post("/meldinger/ny", form)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    db = db_of(app)
    assert db.execute("SELECT count(*) FROM melding WHERE summary = 'Mor ringte'").fetchone()[0] == 1
    # without the form's id (an old page, a script) nothing is stored and the form says why
    response = leader.post("/meldinger/ny", {**form, "client_id": ""})
    assert response.status_code == 422 and "Skjemaet var ufullstendig" in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM melding WHERE summary = 'Mor ringte'").fetchone()[0] == 1


def test_talk_tiltak_and_checklist_sent_twice_are_stored_once(app):
    sak_id = _case_from_ordinary_melding(app)
    _, leader = login(app, "leder")
    talk = {"kind": "utsatt", "pupil_id": data.PUPIL_A, "held_at": "2026-11-26T09:00",
            "referat": "Eleven fortalte.", "client_id": uuid.uuid4().hex}
    tiltak = {"level": "individ", "name": "Trygg voksen", "start_on": "2026-11-30", "responsible": "Kari Lærer",
              "evaluation_on": "2027-01-04", "client_id": uuid.uuid4().hex}
    checklist = {"klasse": data.CLASS_A, "q1": "ja", "client_id": uuid.uuid4().hex}
    for url, form in [(f"/saker/{sak_id}/samtaler/ny", talk), (f"/saker/{sak_id}/tiltak/ny", tiltak),
                      ("/meldinger/sjekkliste/ny", checklist)]:
        first, second = leader.post(url, form), leader.post(url, form)
        assert first.status_code == second.status_code == 303, url
        assert first.headers["Location"] == second.headers["Location"]
    db = db_of(app)
    assert db.execute("SELECT count(*) FROM sak_talk").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM tiltak").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM mobbing_checklist").fetchone()[0] == 1


def test_double_tap_cannot_open_two_cases_from_one_melding(app):
    melding_id = add_melding(app, observation=False)
    db = db_of(app)
    stale = db["melding"].get(melding_id)  # both taps read the melding before either wrote
    now = clock.parse(NOW)
    with transaction(db):
        first = saker.open_sak(db, stale, data.PUPIL_A, data.LEADER, data.LEADER, now)
    with transaction(db):
        second = saker.open_sak(db, stale, data.PUPIL_A, data.LEADER, data.LEADER, now)
    assert first is not None and second is None
    assert db.execute("SELECT count(*) FROM sak").fetchone()[0] == 1
    with transaction(db):
        assert not saker.close_melding(db, stale, "Dobbelt.", data.LEADER, now)
    assert db["melding"].get(melding_id)["status"] == "sak"


# ---------------------------------------------------------------- 3: Word's control characters

def test_documents_survive_control_characters_word_pastes(app):
    melding_id = add_melding(app, observation=False, summary="Kastet ball\x0bpå ham\x01")
    db = db_of(app)
    now = clock.parse(NOW)
    with transaction(db):
        sak = db["sak"].get(saker.open_sak(db, db["melding"].get(melding_id), data.PUPIL_A, data.LEADER,
                                           data.LEADER, now))
        saker.add_talk(db, sak, "utsatt", data.PUPIL_A, "2026-11-26T09:00", "rektor\x0c", "Referat\x02",
                       data.LEADER, now)
        saker.save_plan(db, sak, {"background": "Bakgrunn\x0b", "investigations": "", "perspectives": "",
                                  "findings": "", "coordinator_id": None}, data.LEADER, now)
    leader, _ = login(app, "leder")
    for url in [f"/saker/{sak['id']}/eksport.docx", f"/saker/{sak['id']}/brev.docx",
                f"/saker/{sak['id']}/aktivitetsplan.docx"]:
        response = leader.get(url)
        assert response.status_code == 200, url
    export = Document(io.BytesIO(leader.get(f"/saker/{sak['id']}/eksport.docx").data))
    text = "\n".join(p.text for p in export.paragraphs)
    assert "Kastet ball\npå ham" in text and "\x01" not in text


def test_control_characters_are_cleaned_when_typed(app):
    _, staff = login(app, "ansatt")
    capture(staff, pupil=str(data.PUPIL_A), **{f"role_{data.PUPIL_A}": "utsatt"},
            facts="Kastet ball\x0bpå ham\x01", comment="Lei\x07")
    db = db_of(app)
    row = db.execute("SELECT facts, comment FROM observation").fetchone()
    assert row == ("Kastet ball\npå ham", "Lei")
    sak_id = _case_from_ordinary_melding(app)
    _, leader = login(app, "leder")
    leader.post(f"/saker/{sak_id}/samtaler/ny", {"kind": "utsatt", "pupil_id": data.PUPIL_A,
                                                 "held_at": "2026-11-26T09:00", "referat": "Sa\x0bnei\x1f",
                                                 "client_id": uuid.uuid4().hex})
    assert db.execute("SELECT referat FROM sak_talk").fetchone()[0] == "Sa\nnei"


# ---------------------------------------------------------------- 7: huge numbers are no ids

HUGE = "99999999999999999999999"


def test_huge_numbers_in_forms_and_urls_are_refused_not_crashes(app):
    staff_client, staff = login(app, "ansatt")
    assert capture(staff, pupil=HUGE, **{f"role_{HUGE}": "utsatt"}).status_code == 422
    assert staff_client.get(f"/registrer/ny/bekymring?vakt={HUGE}").status_code == 200
    assert staff.post("/registrer/elever", {"klasse": HUGE, "pupil": HUGE, "q": "a"}).status_code == 200
    observation = capture(staff, pupil=str(data.PUPIL_A), **{f"role_{data.PUPIL_A}": "utsatt"})
    observation_id = observation.headers["Location"].split("?")[0].rstrip("/").split("/")[-1]
    correction = staff.post(f"/registrer/{observation_id}/rett", {
        "kind": "concern", "observed_date": "2026-11-26", "observed_time": "09:55", "context": "friminutt",
        "pupil": HUGE, "zone_id": HUGE, "version": "1"})
    assert correction.status_code == 422
    leader_client, leader = login(app, "leder")
    assert leader_client.get(f"/meldinger/sjekkliste/ny?klasse={HUGE}").status_code == 404
    assert leader_client.get(f"/meldinger/?klasse={HUGE}&elev={HUGE}&sone={HUGE}").status_code == 200
    assert leader.post("/meldinger/ny", {"source": "foresatt", "channel": "telefon", "summary": "x",
                                         "received_on": "2026-11-26", "received_by_id": HUGE, "pupil_id": HUGE,
                                         "client_id": uuid.uuid4().hex}).status_code in (404, 422)
    melding_id = add_melding(app, observation=False)
    assert leader.post(f"/meldinger/{melding_id}/sak", {"pupil_id": HUGE, "owner_id": HUGE}).status_code == 404
    assert leader.post(f"/meldinger/{melding_id}/legg-til-sak", {"sak_id": HUGE}).status_code == 404
    assert leader.post(f"/meldinger/{melding_id}/ansvarlig", {"assigned_to": HUGE}).status_code == 404


# ---------------------------------------------------------------- 6: the receipt says where it went

def test_receipt_of_melding_about_leader_says_it_went_to_the_owner(app):
    client, staff = login(app, "ansatt")
    response = capture(staff, pupil=str(data.PUPIL_A), **{f"role_{data.PUPIL_A}": "utsatt"},
                       label="ansatt_krenker_elev", concerns_leader="1", facts="Rektor dyttet.")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "sendt rett til skoleeier (kommunen)" in html
    assert "Meldingen er sendt til skoleledelsen" not in html
    assert "når skoleledelsen har tatt imot" not in html
    assert "selv melde fra til skoleeier" not in html  # not told to report it again


# ---------------------------------------------------------------- 8: the feed's pages are audited

def test_each_feed_page_shown_writes_one_audit_line_and_unchanged_polls_none(app):
    add_melding(app)
    leader, _ = login(app, "leder")
    db = db_of(app)

    def feed_lines():
        return db.execute("SELECT count(*) FROM audit_log WHERE entity = 'feed' AND action = 'view' "
                          "AND user_id = ? AND pupil_id IS NULL", [data.LEADER]).fetchone()[0]

    leader.get("/meldinger/")
    assert feed_lines() == 1
    response = leader.get("/meldinger/liste")
    assert response.status_code == 200 and feed_lines() == 2
    fingerprint = re.search(r'[?&;]v=([0-9a-f]{12})', leader.get("/meldinger/").get_data(as_text=True)).group(1)
    assert feed_lines() == 3
    assert leader.get(f"/meldinger/liste?v={fingerprint}").status_code == 204
    assert feed_lines() == 3


# ---------------------------------------------------------------- 4: a draft kept on the phone opens again

def test_restored_draft_opens_the_form_with_what_was_typed_and_saves_nothing(app):
    client, staff = login(app, "ansatt")
    draft = {"kind": "concern", "client_id": "draft-form-0001", "opened_at": "2026-11-26T08:50:00+00:00",
             "observed_date": "2026-11-26", "observed_time": "09:50", "context": "friminutt",
             "pupil": str(data.PUPIL_A), f"role_{data.PUPIL_A}": "utøver", "facts": "Holdt ham fast."}
    response = staff.post("/registrer/utkast", draft)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Holdt ham fast." in html and "Aksel Andersen" in html
    assert 'value="draft-form-0001"' in html and "Her er det du skrev" in html
    assert db_of(app).execute("SELECT count(*) FROM observation").fetchone()[0] == 0
    assert staff.post("/registrer/utkast", {**draft, "kind": "x"}).status_code == 404
    # the form opened fresh offers drafts (capture.js reads them) and the receipt clears its own
    assert 'id="draft-offer"' in client.get("/registrer/ny/bekymring").get_data(as_text=True)
    saved = staff.post("/registrer/ny", draft)
    assert 'data-capture-saved="draft-form-0001"' in client.get(saved.headers["Location"]).get_data(as_text=True)
