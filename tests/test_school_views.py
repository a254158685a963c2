"""Leaders set up the school: staff, classes, pupils, CSV imports, the map and zones."""
import io
import json

import pytest
from PIL import Image

from . import data


@pytest.fixture
def leader(client, auth):
    auth.login("leder")
    return auth


def upload(auth, url, content, filename):
    """Upload a file through the form on the page at `url`."""
    return auth.post(url, {"file": (io.BytesIO(content), filename)}, page=url,
                     content_type="multipart/form-data")


# ---------------------------------------------------------------- staff

def test_leader_adds_staff_member_who_gets_a_one_time_password(leader, client, db):
    response = leader.post("/skole/ansatte", {"username": "per.hansen", "full_name": "Per Hansen",
                                              "title": "Assistent", "role": "staff"}, page="/skole/ansatte")
    html = response.get_data(as_text=True)
    assert "Engangspassord" in html
    user = db.execute("SELECT id, must_change_password FROM user WHERE username = 'per.hansen'").fetchone()
    assert user[1] == 1
    member = db.execute("SELECT school_id FROM membership WHERE user_id = ?", [user[0]]).fetchall()
    assert member == [(data.SCHOOL_A,)]


def test_taken_username_is_reported_with_input_kept(leader, db):
    response = leader.post("/skole/ansatte", {"username": "ansatt2", "full_name": "Ny Person",
                                              "role": "staff"}, page="/skole/ansatte")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "allerede i bruk" in html and 'value="Ny Person"' in html


def test_leader_cannot_deactivate_themselves(leader, db):
    leader.post(f"/skole/ansatte/{data.LEADER}/aktiv", {"active": "0"}, page="/skole/ansatte")
    assert db["user"].get(data.LEADER)["active"] == 1


def test_staff_cannot_manage_the_school(client, auth):
    auth.login("ansatt")
    assert client.get("/skole/ansatte").status_code == 403
    assert auth.post("/skole/klasser", {"name": "9Z"}).status_code == 403


# ---------------------------------------------------------------- classes and pupils

def test_leader_adds_class_and_pupil(leader, db):
    leader.post("/skole/klasser", {"name": "7A", "contact_teacher_id": data.STAFF}, page="/skole/klasser")
    class_id = db.execute("SELECT id FROM school_class WHERE name = '7A'").fetchone()[0]
    response = leader.post("/skole/elever", {"full_name": "Nora Nyberg", "class_id": class_id,
                                             "birth_date": "12.05.2013", "active": "y"}, page="/skole/elever")
    assert response.status_code == 302
    pupil = db.execute("SELECT school_id, birth_date FROM pupil WHERE full_name = 'Nora Nyberg'").fetchone()
    assert pupil == (data.SCHOOL_A, "2013-05-12")


def test_bad_birth_date_is_reported_with_input_kept(leader, db):
    response = leader.post("/skole/elever", {"full_name": "Nora Nyberg", "class_id": data.CLASS_A,
                                             "birth_date": "31.02.2015"}, page="/skole/elever")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "ikke en gyldig dato" in html and 'value="Nora Nyberg"' in html and 'value="31.02.2015"' in html
    assert db["pupil"].count_where("full_name = 'Nora Nyberg'") == 0


# ---------------------------------------------------------------- CSV imports

GOOD_PUPILS = "\ufeffNavn;Klasse;Fødselsdato\nSiri Solheim;5A;01.02.2015\nTore Tveit;7C;2013-11-30\n"


def test_pupil_csv_with_bom_and_semicolons_is_imported(leader, db):
    response = upload(leader, "/skole/elever/import", GOOD_PUPILS.encode("utf-8"), "elever.csv")
    assert response.status_code == 200
    assert "2 elever er lagt til" in response.get_data(as_text=True)
    assert db["pupil"].count_where("full_name IN ('Siri Solheim', 'Tore Tveit')") == 2
    assert db["school_class"].count_where("name = '7C' AND school_id = ?", [data.SCHOOL_A]) == 1


def test_pupil_csv_with_commas_and_split_names_is_imported(leader, db):
    content = "fornavn,etternavn,klasse,fødselsdato\nUlf,Ulstein,6A,3.4.2014\n".encode()
    upload(leader, "/skole/elever/import", content, "elever.csv")
    assert db["pupil"].count_where("full_name = 'Ulf Ulstein' AND class_id = ?", [data.CLASS_A2]) == 1


@pytest.mark.parametrize("bad_row, message", [
    (";5A;01.02.2015", "navn mangler"),
    ("Vera Vik;;01.02.2015", "klasse mangler"),
    ("Vera Vik;5A;32.01.2015", "ikke en gyldig dato"),
    ("Vera Vik;5A;01.01.2099", "i fremtiden"),
    ("Aksel Andersen;5A;04.03.2015", "finnes allerede"),
    ("Siri Solheim;5A;01.02.2015", "står to ganger i filen"),
])
def test_pupil_csv_with_a_bad_row_stores_nothing(leader, db, bad_row, message):
    content = (GOOD_PUPILS + bad_row + "\n").encode("utf-8")
    before = db["pupil"].count
    response = upload(leader, "/skole/elever/import", content, "elever.csv")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Linje 4" in html and message in html and "Ingenting er lagret" in html
    assert db["pupil"].count == before
    assert db["school_class"].count_where("name = '7C'") == 0


@pytest.mark.parametrize("bad_row, message", [
    ("x" * 100_000 + ";5A;01.02.2015", "navnet er for langt (høyst 120 tegn)"),
    ("Vera Vik;" + "7" * 41 + ";01.02.2015", "klassenavnet er for langt (høyst 40 tegn)"),
    ("\x00\x1b\x0b;5A;01.02.2015", "navn mangler"),
])
def test_pupil_csv_is_checked_as_the_pupil_form_checks(leader, db, bad_row, message):
    response = upload(leader, "/skole/elever/import", (GOOD_PUPILS + bad_row + "\n").encode(), "elever.csv")
    assert response.status_code == 422 and f"Linje 4: {message}" in response.get_data(as_text=True)
    assert db["pupil"].count_where("full_name = 'Siri Solheim'") == 0


def test_pupil_csv_and_pupil_form_clean_names_alike(leader, db):
    upload(leader, "/skole/elever/import", "navn;klasse\nSiri\x00 Sol\x1bheim\x0bJr;7c\nTore  Tveit;7C\n".encode(),
           "elever.csv")
    leader.post("/skole/elever", {"full_name": "Una\x0b\x00Ulv\x1b", "class_id": data.CLASS_A}, page="/skole/elever")
    names = [row[0] for row in db.execute("SELECT full_name FROM pupil WHERE id > ? ORDER BY id", [data.PUPIL_B])]
    assert names == ["Siri Solheim Jr", "Tore Tveit", "Una Ulv"]
    assert db["school_class"].count_where("lower(name) = '7c'") == 1  # a new class, once, however it is written


def test_pupil_form_refuses_a_name_longer_than_the_import_allows(leader, db):
    response = leader.post("/skole/elever", {"full_name": "x" * 121, "class_id": data.CLASS_A}, page="/skole/elever")
    assert response.status_code == 422 and "Navnet er for langt (høyst 120 tegn)." in response.get_data(as_text=True)


def test_csv_that_is_not_utf8_is_refused(leader, db):
    content = "navn;klasse\nÆsa Ødegård;5A\n".encode("latin-1")
    response = upload(leader, "/skole/elever/import", content, "elever.csv")
    assert response.status_code == 422 and "CSV UTF-8" in response.get_data(as_text=True)


def test_staff_csv_is_imported_without_passwords(leader, db):
    content = "brukernavn;navn;rolle;tittel\nkim.k;Kim Kvam;ansatt;Lærer\nlise.l;Lise Lie;leder;Avdelingsleder\n"
    response = upload(leader, "/skole/ansatte/import", content.encode(), "ansatte.csv")
    assert response.status_code == 200
    rows = db.execute("SELECT username, role, password_hash FROM user WHERE username IN ('kim.k', 'lise.l') "
                      "ORDER BY username").fetchall()
    assert rows == [("kim.k", "staff", None), ("lise.l", "leader", None)]


def test_staff_csv_names_titles_and_addresses_are_cleaned_as_the_form_cleans_them(leader, db):
    """Breaks, tabs and doubled spaces from a spreadsheet never reach a letter's one-line fields."""
    content = ('brukernavn;navn;rolle;tittel;e-post\n'
               '  Kim.K ;"Kim\n  Kvam\t";ansatt;" Lærer  1. trinn ";" kim@skole.no "\n')
    response = upload(leader, "/skole/ansatte/import", content.encode(), "ansatte.csv")
    assert response.status_code == 200
    assert db.execute("SELECT full_name, title, email FROM user WHERE username = 'kim.k'").fetchone() == (
        "Kim Kvam", "Lærer 1. trinn", "kim@skole.no")


def test_the_staff_form_cleans_a_pasted_name_as_the_import_does(leader, db):
    leader.post("/skole/ansatte", {"username": "per.hansen", "full_name": " Per \n Hansen ", "title": "Assistent\t",
                                   "role": "staff"}, page="/skole/ansatte")
    assert db.execute("SELECT full_name, title FROM user WHERE username = 'per.hansen'").fetchone() == (
        "Per Hansen", "Assistent")


@pytest.mark.parametrize("bad_row, message", [
    (";Navn Navnesen;ansatt", "brukernavn mangler"),
    ("ansatt2;Navn Navnesen;ansatt", "allerede i bruk"),
    ("Store Bokstaver!;Navn;ansatt", "små bokstaver"),
    ("ny.person;;ansatt", "navn mangler"),
    ("ny.person;Ny Person;vaktmester", "ukjent rolle"),
    ("kim.k;Kim Igjen;ansatt", "står to ganger i filen"),
    # the staff form's limits hold for the file too
    ("ny.person;" + "N" * 121 + ";ansatt", "navnet er for langt (høyst 120 tegn)"),
    ("ny.person;Ny Person;ansatt;" + "t" * 81, "stillingen er for lang (høyst 80 tegn)"),
    ("ny.person;Ny Person;ansatt;;ikke-en-adresse", "e-postadressen «ikke-en-adresse» er ugyldig"),
    ("ny.person;Ny Person;ansatt;;" + "e" * 120 + "@skole.no", "e-postadressen er for lang (høyst 120 tegn)"),
    ('ny.person;"  \n \t ";ansatt', "navn mangler"),
])
def test_staff_csv_with_a_bad_row_stores_nothing(leader, db, bad_row, message):
    content = f"brukernavn;navn;rolle;tittel;e-post\nkim.k;Kim Kvam;ansatt;;\n{bad_row}\n".encode()
    before = db["user"].count
    response = upload(leader, "/skole/ansatte/import", content, "ansatte.csv")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Linje 3" in html and message in html
    assert db["user"].count == before


# ---------------------------------------------------------------- the map

def image_bytes(fmt="PNG", size=(1600, 1000), **save):
    out = io.BytesIO()
    Image.new("RGB", size, (90, 160, 90)).save(out, fmt, **save)
    return out.getvalue()


def test_map_upload_is_resized_and_reencoded(leader, client, db):
    response = upload(leader, "/skole/kart", image_bytes(), "kart.png")
    assert response.status_code == 302
    stored = db["schoolyard_map"].get(data.SCHOOL_A)
    image = Image.open(io.BytesIO(stored["image"]))
    assert image.format == "WEBP" and max(image.size) <= 1200 and len(stored["image"]) < 80_000
    url = f"/skole/kart/{data.SCHOOL_A}/{stored['version']}.webp"
    served = client.get(url)
    assert served.status_code == 200 and "max-age=31536000" in served.headers["Cache-Control"]


def test_gps_tagged_jpeg_is_stored_without_exif(leader, db):
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (59.0, 54.0, 30.0), 3: "E", 4: (10.0, 31.0, 5.0)}  # GPSInfo
    exif[0x010F] = "Kamerafabrikk"
    jpeg = image_bytes("JPEG", exif=exif.tobytes())
    assert Image.open(io.BytesIO(jpeg)).getexif().get_ifd(0x8825)
    upload(leader, "/skole/kart", jpeg, "kart.jpg")
    stored = Image.open(io.BytesIO(db["schoolyard_map"].get(data.SCHOOL_A)["image"]))
    assert not stored.getexif() and "exif" not in stored.info


def test_upload_that_is_not_an_image_is_refused(leader, db):
    response = upload(leader, "/skole/kart", b"%PDF-1.4 not an image", "kart.pdf")
    assert response.status_code == 422
    assert "ikke et bilde" in response.get_data(as_text=True)
    assert db["schoolyard_map"].count == 0


def test_decompression_bomb_is_refused(leader, db):
    bomb = image_bytes("PNG", size=(9000, 9000))  # 81 megapixels of one colour: tiny file
    assert len(bomb) < 1_000_000
    response = upload(leader, "/skole/kart", bomb, "kart.png")
    assert response.status_code == 422
    assert "for mange piksler" in response.get_data(as_text=True)
    assert db["schoolyard_map"].count == 0


def test_gif_is_refused(leader, db):
    response = upload(leader, "/skole/kart", image_bytes("GIF", size=(50, 50)), "kart.gif")
    assert response.status_code == 422 and "JPEG-, PNG- eller WebP" in response.get_data(as_text=True)


def test_leader_draws_a_zone_from_typed_points(leader, db):
    response = leader.post("/skole/soner/ny", {"name": "Sandkassa", "polygon": "10,10\n30,10\n30,40",
                                               "sort_order": "4", "active": "y"}, page="/skole/kart")
    assert response.status_code == 302
    zone = db.execute("SELECT polygon FROM zone WHERE name = 'Sandkassa'").fetchone()
    assert json.loads(zone[0]) == [[0.1, 0.1], [0.3, 0.1], [0.3, 0.4]]


def test_zone_with_too_few_points_is_refused_with_input_kept(leader, db):
    response = leader.post("/skole/soner/ny", {"name": "Sandkassa", "polygon": "10,10\n30,10"},
                           page="/skole/kart")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "minst tre punkter" in html and 'value="Sandkassa"' in html


SETTINGS = {"municipality": "Bærum", "pattern_threshold": "3", "pattern_window_days": "14",
            "unacknowledged_alert_minutes": "120"}


def test_renaming_the_school_to_another_schools_name_is_refused_with_input_kept(leader, db):
    response = leader.post("/skole/innstillinger", {"name": "annen SKOLE", **SETTINGS}, page="/skole/innstillinger")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Skolen «annen SKOLE» finnes allerede." in html and 'value="Bærum"' in html
    assert db["school"].get(data.SCHOOL_A)["name"] == "Testbakken skole"


def test_renaming_the_school_in_another_case_is_saved(leader, db):
    response = leader.post("/skole/innstillinger", {"name": "TESTBAKKEN skole", **SETTINGS},
                           page="/skole/innstillinger")
    assert response.status_code == 302
    assert db["school"].get(data.SCHOOL_A)["name"] == "TESTBAKKEN skole"


def test_built_in_form_messages_are_norwegian(leader):
    response = leader.post("/skole/elever", {"full_name": "Nora", "class_id": "999999"}, page="/skole/elever")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Velg fra listen." in html and "Not a valid" not in html


def test_leader_cannot_reset_password_of_someone_who_also_works_at_another_school(leader, db):
    db.execute("INSERT INTO membership (user_id, school_id) VALUES (?, ?)", [data.STAFF_B, data.SCHOOL_A])
    before = db["user"].get(data.STAFF_B)["password_hash"]
    response = leader.post(f"/skole/ansatte/{data.STAFF_B}/nytt-passord", page="/skole/ansatte")
    assert response.status_code == 302
    assert db["user"].get(data.STAFF_B)["password_hash"] == before
    leader.post(f"/skole/ansatte/{data.STAFF_B}/aktiv", {"active": "0"}, page="/skole/ansatte")
    assert db["user"].get(data.STAFF_B)["active"] == 1


def test_password_reset_is_audited(leader, db):
    leader.post(f"/skole/ansatte/{data.STAFF}/nytt-passord", page="/skole/ansatte")
    assert db["audit_log"].count_where("entity = 'user' AND entity_id = ? AND action = 'update'",
                                       [data.STAFF]) == 1


def test_huge_id_is_not_found_not_an_error(leader, client):
    assert client.get("/skole/elever/99999999999999999999999").status_code == 404
