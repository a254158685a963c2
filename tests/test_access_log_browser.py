"""A leader on the phone opens a pupil and reads who has seen the pupil's records (the innsynslogg)."""
import re

import pytest

from . import data
from .conftest import assert_accessible, assert_fits_phone, browser_login
from .meldinger import add_melding

pytestmark = pytest.mark.browser


def test_a_leader_opens_a_pupils_access_log_from_the_chronology(app, live_server, phone):
    melding_id = add_melding(app)
    leader = phone()
    browser_login(leader, live_server.url, "leder")
    leader.goto(f"{live_server.url}/meldinger/{melding_id}")
    assert_accessible(leader)

    # the pupil's chronology, chosen from the class list, as a leader does
    leader.goto(live_server.url + "/meldinger/elever")
    leader.locator("summary", has_text="5A").click()
    leader.get_by_role("link", name="Aksel Andersen").click()
    leader.wait_for_url(re.compile(rf".*/meldinger/elever/{data.PUPIL_A}$"))
    assert_accessible(leader)
    leader.get_by_role("link", name="Innsynslogg").click()
    leader.wait_for_url(re.compile(rf".*/innsynslogg/elever/{data.PUPIL_A}$"))
    assert leader.get_by_role("heading", name="Innsynslogg: Aksel Andersen").is_visible()
    lines = leader.locator("ol.access-log > li")
    # newest first: this reading, the chronology, the melding; each with when and who
    assert lines.nth(0).inner_text().startswith("Så innsynsloggen")
    assert "Så elevens kronologi" in lines.nth(1).inner_text()
    assert f"Så melding nr. {melding_id}" in lines.nth(2).inner_text()
    assert "Rita Rektor (skoleledelsen)" in lines.nth(2).inner_text()
    assert re.search(r"\d\d\.\d\d\.\d{4} kl\. \d\d:\d\d", lines.nth(2).inner_text())
    assert_accessible(leader)
    assert_fits_phone(leader)

    # back to the chronology with one tap
    leader.get_by_role("link", name="← Kronologi").click()
    leader.wait_for_url(re.compile(rf".*/meldinger/elever/{data.PUPIL_A}$"))
