"""Skolegårdsundersøkelsen's pages: opening a round, a talk per pupil, the result, other schools' rounds."""
import io
import re

from docx import Document

from webapp import clock
from webapp.db import transaction
from webapp.survey import store

from . import data
from .conftest import login


def open_round(db, school=data.SCHOOL_A, class_id=data.CLASS_A, leader=data.LEADER):
    with transaction(db):
        return store.open_round(db, school, class_id, leader, clock.now())


def client_id(html):
    return re.search(r'name="client_id" value="([^"]+)"', html).group(1)


def talk(auth, client, round_id, pupil, **fields):
    page = client.get(f"/skolegard/{round_id}/samtale").get_data(as_text=True)
    form = {"client_id": client_id(page), "pupil_id": pupil, "play": "Fotball", **fields}
    return auth.post(f"/skolegard/{round_id}/samtale", form, page=f"/skolegard/{round_id}/samtale"), form


def test_a_leader_opens_a_round_and_a_teacher_holds_the_talks(app, db):
    data.add_map(db)
    leader, leader_auth = login(app, "leder")
    response = leader_auth.post("/skolegard/ny", {"class_id": data.CLASS_A}, page="/skolegard/")
    assert response.status_code == 303
    round_id = int(response.headers["Location"].rsplit("/", 1)[1])
    teacher, auth = login(app, "ansatt")
    assert "5A" in teacher.get("/skolegard/").get_data(as_text=True)
    page = teacher.get(f"/skolegard/{round_id}/samtale").get_data(as_text=True)
    assert "På vår skole skal alle ha det bra." in page and "Har du sett noen andre bli plaget?" in page
    response, form = talk(auth, teacher, round_id, data.PUPIL_A, bothered="Ja, ved gjerdet.",
                          mark=["utrygt:0.97:0.2", "leke:0.2:0.6"], sone_voksne=[str(data.ZONE_A)])
    assert response.status_code == 303
    # a resend of the same form makes no second talk
    assert auth.post(f"/skolegard/{round_id}/samtale", form, page="/skolegard/").status_code == 303
    assert db.execute("SELECT count(*) FROM survey_talk").fetchone()[0] == 1
    marks = db.execute("SELECT kind, zone_id, map_x FROM survey_mark ORDER BY id").fetchall()
    assert marks == [("utrygt", None, 0.97), ("leke", 1, 0.2), ("voksne", 1, None)]
    # the next pupil's form holds no marks and the first pupil is no longer to choose
    page = teacher.get(f"/skolegard/{round_id}/samtale").get_data(as_text=True)
    assert 'name="mark"' not in page and "Aksel Andersen" not in page and "Bea Berge" in page

    result = leader.get(f"/skolegard/{round_id}/resultat").get_data(as_text=True)
    assert "Utenfor sonene" in result and "utrygt her, men ingen registreringer og ingen vakt" in result
    assert "Ja, ved gjerdet." in result
    # the teacher does not read the result
    assert teacher.get(f"/skolegard/{round_id}/resultat").status_code == 403
    docx = leader.get(f"/skolegard/{round_id}/skolegardsundersokelse.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    assert "Skolegårdsundersøkelsen – 5A" in text and "Ja, ved gjerdet." in text
    assert db.execute("SELECT count(*) FROM audit_log WHERE entity = 'survey_round' AND action = 'export'"
                      ).fetchone()[0] == 1


def test_a_pupil_has_one_talk_per_round_and_a_missing_pupil_keeps_what_was_typed(app, db):
    round_id = open_round(db)
    teacher, auth = login(app, "ansatt")
    assert talk(auth, teacher, round_id, data.PUPIL_A)[0].status_code == 303
    response, _ = talk(auth, teacher, round_id, data.PUPIL_A)
    assert response.status_code == 422 and "allerede lagret" in response.get_data(as_text=True)
    response, _ = talk(auth, teacher, round_id, 0, play="Klatre i stativet", sone_utrygt=[str(data.ZONE_A)])
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Velg eleven" in html and "Klatre i stativet" in html
    assert re.search(rf'name="sone_utrygt" value="{data.ZONE_A}"\s*checked', html)
    # a pupil of another class is not in this round
    assert talk(auth, teacher, round_id, data.PUPIL_A3)[0].status_code == 422
    assert db.execute("SELECT count(*) FROM survey_talk").fetchone()[0] == 1


def test_a_closed_round_takes_no_more_talks(app, db):
    round_id = open_round(db)
    leader, leader_auth = login(app, "leder")
    assert leader_auth.post(f"/skolegard/{round_id}/avslutt", page="/skolegard/").status_code == 303
    teacher, _ = login(app, "ansatt")
    assert teacher.get(f"/skolegard/{round_id}/samtale").status_code == 303
    assert "5A" not in teacher.get("/skolegard/").get_data(as_text=True)


def test_another_schools_round_is_not_found(app, db):
    round_id = open_round(db, school=data.SCHOOL_B, class_id=data.CLASS_B, leader=data.LEADER_B)
    leader, _ = login(app, "leder")
    teacher, _ = login(app, "ansatt")
    for url in (f"/skolegard/{round_id}", f"/skolegard/{round_id}/resultat",
                f"/skolegard/{round_id}/skolegardsundersokelse.docx"):
        assert leader.get(url).status_code == 404
    assert teacher.get(f"/skolegard/{round_id}/samtale").status_code == 404


def test_a_leader_cannot_open_a_round_for_another_schools_class(app, db):
    _, auth = login(app, "leder")
    auth.post("/skolegard/ny", {"class_id": data.CLASS_B}, page="/skolegard/")
    assert db.execute("SELECT count(*) FROM survey_round").fetchone()[0] == 0


def test_a_teacher_finds_the_open_round_on_the_home_screen(app, db):
    teacher, _ = login(app, "ansatt")
    assert "Skolegårdsundersøkelsen" not in teacher.get("/").get_data(as_text=True)
    round_id = open_round(db)
    html = teacher.get("/").get_data(as_text=True)
    assert f"/skolegard/{round_id}" in html and "0 av 2 elever har hatt samtalen" in html
