"""A staff member logs in on a phone, sees the home screen, and logs out."""
import pytest

from . import data
from .conftest import assert_accessible, assert_fits_phone, browser_login

pytestmark = pytest.mark.browser


def test_staff_logs_in_sees_home_and_logs_out(live_server, phone):
    page = phone()
    page.goto(live_server.url + "/")
    assert page.url.endswith("/logg-inn")
    assert_accessible(page)

    browser_login(page, live_server.url, "ansatt")
    assert page.get_by_role("heading", name="Hei, Kari").is_visible()
    assert page.locator("html").get_attribute("lang") == "nb"
    assert_accessible(page)
    # nothing wider than the phone: no sideways scrolling
    assert_fits_phone(page)

    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(live_server.url + "/logg-inn")
    assert page.get_by_text("Du er logget ut.").is_visible()
    page.goto(live_server.url + "/")
    assert page.url.endswith("/logg-inn")


def test_leader_screens_are_accessible(live_server, phone):
    page = phone()
    browser_login(page, live_server.url, "leder")
    for path in ["/skole/", "/skole/ansatte", "/skole/klasser", "/skole/elever", "/skole/kart",
                 "/skole/soner/1", "/skole/innstillinger", "/skole/elever/import"]:
        page.goto(live_server.url + path)
        assert_accessible(page)
        assert_fits_phone(page, path)


def test_leader_draws_a_zone_by_tapping_the_map(live_server, phone, db):
    data.add_map(db)
    page = phone()
    browser_login(page, live_server.url, "leder")
    page.goto(live_server.url + "/skole/soner/ny")
    assert_accessible(page)
    page.get_by_label("Navn på sonen").fill("Sandkassa")
    figure = page.locator("#zone-map")
    box = figure.bounding_box()
    for fx, fy in [(0.1, 0.5), (0.3, 0.5), (0.3, 0.8)]:
        page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
    points = page.get_by_label("Punkter (x,y i prosent av kartet, ett per linje)").input_value()
    assert len(points.splitlines()) == 3
    page.get_by_role("button", name="Lagre sonen").click()
    page.wait_for_url(live_server.url + "/skole/kart")
    assert page.get_by_role("link", name="Sandkassa").is_visible()
    assert_accessible(page)
