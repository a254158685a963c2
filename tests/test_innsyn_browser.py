"""On a phone: a leader opens a pupil, releases a copy for the parents and downloads it; other pupils are aliases."""
import re

import pytest

from . import data
from .conftest import assert_accessible, assert_fits_phone, browser_login, make_app
from .test_innsyn import NOW, OTHER_PUPILS, docx_text, records_about_aksel

pytestmark = pytest.mark.browser


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path, NOW=NOW)


def test_a_leader_releases_a_copy_for_the_parents_on_a_phone(app, live_server, phone):
    records_about_aksel(app)
    leader = phone()
    browser_login(leader, live_server.url, "leder")
    leader.goto(f"{live_server.url}/meldinger/elever/{data.PUPIL_A}")
    leader.get_by_role("link", name="Innsyn og fortrolig adresse").click()
    leader.wait_for_url(re.compile(rf".*/innsyn/elev/{data.PUPIL_A}$"))
    assert_accessible(leader)
    assert_fits_phone(leader)

    leader.locator("label.chip", has_text="Foreldre/foresatte").click()
    leader.get_by_label("Navn på mottaker").fill("Mor og far Andersen")
    leader.get_by_role("button", name="Lag kopi for innsyn").click()
    leader.get_by_text("Kopien er laget. Last den ned og gi den til mottakeren.").wait_for()
    assert re.search(r"/innsyn/\d+$", leader.url)
    assert leader.get_by_text("Mor og far Andersen (foreldre/foresatte)").is_visible()
    assert_accessible(leader)
    assert_fits_phone(leader)

    with leader.expect_download() as download:
        leader.get_by_role("link", name="Last ned kopien (.docx)").click()
    with open(download.value.path(), "rb") as file:
        text = docx_text(file.read())
    assert "Elev A dyttet Aksel ned fra stativet." in text and "Kari Lærer" in text
    for detail in OTHER_PUPILS:
        assert detail not in text, detail

    leader.goto(f"{live_server.url}/skole/")
    leader.get_by_role("link", name="Innsyn: utleverte kopier").click()
    leader.get_by_text("Mor og far Andersen").wait_for()
    assert_accessible(leader)
    assert_fits_phone(leader)

    leader.goto(f"{live_server.url}/innsyn/elev/{data.PUPIL_A}")
    leader.get_by_role("button", name="Merk med fortrolig adresse").click()
    leader.get_by_text("Eleven er merket med fortrolig adresse.").wait_for()
    assert leader.locator(".confidential .tag").inner_text() == "Fortrolig adresse"
    assert_accessible(leader)
