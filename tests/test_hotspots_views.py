"""Hvor og når's pages: filters, the heatmap's cache after a new record, other schools never counted."""
from datetime import timedelta
from pathlib import Path

from webapp import clock
from webapp.db import transaction

from . import data
from .records import correct_record, save_record


def add(db, school=data.SCHOOL_A, zone=data.ZONE_A, kind="concern", labels=("konflikt",), point=(0.2, 0.6),
        when=None, pupil=data.PUPIL_A, author=data.STAFF, context="friminutt"):
    """One record saved as capture saves it."""
    with transaction(db):
        return save_record(db, school=school, author=author, kind=kind, observed_at=when or clock.now(),
                           context=context, zone_id=zone, map_x=point[0], map_y=point[1], labels=list(labels),
                           pupils={pupil: "utsatt" if kind == "concern" else "med"}, facts="Dyttet i køen.")


def total(html):
    """The count the page says its filter holds."""
    return int(html.split(" i utvalget.")[0].rsplit(">", 1)[-1].split()[0])


def test_leader_sees_the_zone_and_slot_table_with_links_to_the_records(client, auth, db):
    observation = add(db)
    add(db, kind="positive", labels=["hjelper"])
    auth.login("leder")
    html = client.get("/hvor-og-naar/").get_data(as_text=True)
    assert total(html) == 1 and "Sone og tid" in html and "De fem store" in html
    assert "/hvor-og-naar/registreringer?sone=1" in html
    assert "Aksel Andersen, 5A" in html  # the Big 5 per pupil
    records = client.get("/hvor-og-naar/registreringer?sone=1").get_data(as_text=True)
    assert f"/registrer/{observation}" in records and "Dyttet i køen." in records


def test_filters_narrow_the_records(client, auth, db):
    add(db, labels=["vold"])
    add(db, labels=["konflikt"], pupil=data.PUPIL_A3)
    add(db, labels=["konflikt"], when=clock.now() - timedelta(days=40))
    add(db, kind="positive", labels=["hjelper"])
    auth.login("leder")
    assert total(client.get("/hvor-og-naar/").get_data(as_text=True)) == 3
    assert total(client.get("/hvor-og-naar/?label=vold").get_data(as_text=True)) == 1
    assert total(client.get("/hvor-og-naar/?periode=30").get_data(as_text=True)) == 2
    assert total(client.get(f"/hvor-og-naar/?klasse={data.CLASS_A2}").get_data(as_text=True)) == 1
    assert total(client.get("/hvor-og-naar/?type=positiv").get_data(as_text=True)) == 1
    assert total(client.get("/hvor-og-naar/?type=alle").get_data(as_text=True)) == 4
    weekday = clock.now().weekday()
    assert total(client.get(f"/hvor-og-naar/?ukedag={weekday}&periode=30").get_data(as_text=True)) == 2
    assert total(client.get(f"/hvor-og-naar/?ukedag={(weekday + 1) % 7}&periode=30").get_data(as_text=True)) == 0
    assert total(client.get("/hvor-og-naar/?kontekst=klasserom").get_data(as_text=True)) == 0
    # a class of another school is no filter at all
    assert total(client.get(f"/hvor-og-naar/?klasse={data.CLASS_B}").get_data(as_text=True)) == 3


def test_another_schools_records_are_never_counted(client, auth, db):
    add(db)
    add(db, school=data.SCHOOL_B, zone=data.ZONE_B, pupil=data.PUPIL_B, author=data.STAFF_B)
    add(db, school=data.SCHOOL_B, zone=data.ZONE_B, pupil=data.PUPIL_B, author=data.STAFF_B)
    auth.login("leder")
    html = client.get("/hvor-og-naar/?type=alle").get_data(as_text=True)
    assert total(html) == 1 and "Dina Eide" not in html
    assert client.get(f"/hvor-og-naar/registreringer?sone={data.ZONE_B}").status_code == 404


def test_the_heatmap_is_cached_until_a_new_record_arrives(app, client, auth, db):
    data.add_map(db)
    add(db)
    auth.login("leder")
    first = client.get("/hvor-og-naar/varmekart.webp")
    assert first.status_code == 200 and first.headers["Content-Type"] == "image/webp"
    assert first.headers["Cache-Control"] == "private, no-cache"
    etag = first.headers["ETag"]
    folder = Path(app.config["DATABASE"]).parent / "trygg-heatmaps" / str(data.SCHOOL_A)
    assert len(list(folder.glob("*.webp"))) == 1
    again = client.get("/hvor-og-naar/varmekart.webp", headers={"If-None-Match": etag})
    assert again.status_code == 304
    # another filter is another picture, kept beside the first
    assert client.get("/hvor-og-naar/varmekart.webp?label=vold").headers["ETag"] != etag
    assert len(list(folder.glob("*.webp"))) == 2

    add(db, point=(0.8, 0.2))
    fresh = client.get("/hvor-og-naar/varmekart.webp", headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag and fresh.data != first.data
    # the pictures made before the new record are gone
    assert len(list(folder.glob("*.webp"))) == 1


def test_a_corrected_record_draws_the_heatmap_again(client, auth, db):
    data.add_map(db)
    observation = add(db)
    auth.login("leder")
    etag = client.get("/hvor-og-naar/varmekart.webp").headers["ETag"]
    with transaction(db):
        correct_record(db, observation, now=clock.now(), kind="concern", observed_at=clock.now(),
                       context="friminutt", zone_id=data.ZONE_A, map_x=0.3, map_y=0.9, labels=["konflikt"],
                       pupils={data.PUPIL_A: "utsatt"}, facts="Dyttet i køen, ved gjerdet.")
    assert client.get("/hvor-og-naar/varmekart.webp", headers={"If-None-Match": etag}).status_code == 200


def test_a_record_deleted_under_retention_draws_the_heatmap_again(client, auth, db):
    from webapp.capture.store import delete_observation

    data.add_map(db)
    older = add(db)
    add(db, point=(0.7, 0.3))  # the school's latest record stays: only the count tells
    auth.login("leder")
    etag = client.get("/hvor-og-naar/varmekart.webp").headers["ETag"]
    with transaction(db):
        delete_observation(db, older)
    assert client.get("/hvor-og-naar/varmekart.webp", headers={"If-None-Match": etag}).status_code == 200


def test_another_schools_record_does_not_change_the_heatmap(client, auth, db):
    data.add_map(db)
    add(db)
    auth.login("leder")
    etag = client.get("/hvor-og-naar/varmekart.webp").headers["ETag"]
    add(db, school=data.SCHOOL_B, zone=data.ZONE_B, pupil=data.PUPIL_B, author=data.STAFF_B)
    assert client.get("/hvor-og-naar/varmekart.webp", headers={"If-None-Match": etag}).status_code == 304


def test_no_map_no_heatmap_but_the_table(client, auth, db):
    add(db)
    auth.login("leder")
    assert client.get("/hvor-og-naar/varmekart.webp").status_code == 404
    html = client.get("/hvor-og-naar/").get_data(as_text=True)
    assert "ikke lastet opp et kart" in html and "Sone og tid" in html


def test_staff_do_not_see_hotspots(client, auth):
    auth.login("ansatt")
    assert client.get("/hvor-og-naar/").status_code == 403
