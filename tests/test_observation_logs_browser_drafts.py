"""On a shared phone: drafts about pupils go when the user logs out; a draft the server refuses is
kept and explained, never resent in a loop; a stale analysis is a conflict the user resolves."""
import json

import pytest

from . import data
from .conftest import assert_accessible, browser_drafts, browser_login
from .observation_fixtures import app, open_section, reopened, start_todays_log, task  # noqa: F401 (app, task: fixtures)

pytestmark = pytest.mark.browser


def posts_to(page, fragment):
    """A list that fills with every POST the page sends to a URL containing fragment."""
    sent = []
    page.on("request", lambda request: sent.append(request.url)
            if request.method == "POST" and fragment in request.url else None)
    return sent


def online_again(page):
    """What makes the drafts waiting on the phone go: the browser says it is online; half a second for them."""
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(500)


def analysis_typed_offline(page, base_url, plan_id, text):
    """Rita (leader) types the observation's analysis without a connection: it waits on the phone."""
    browser_login(page, base_url, "leder")
    page.goto(f"{base_url}/observasjon/{plan_id}")
    page.context.set_offline(True)
    page.get_by_label("Hva viser observasjonene?").fill(text)
    page.locator("#status-analyse").get_by_text("ingen forbindelse", exact=False).wait_for()


def test_logging_out_clears_the_users_drafts_and_leaves_another_users(live_server, phone, task):
    page = phone()
    start_todays_log(page, live_server.url)
    page.context.set_offline(True)
    open_section(page, "5. Friminutt")
    page.locator("#seen-5-eleven").fill("Står alene ved gjerdet.")
    page.locator("#status-seksjon-5").get_by_text("ingen forbindelse", exact=False).wait_for()
    assert len(browser_drafts(page)) == 1
    page.context.set_offline(False)
    page.evaluate(f"""() => {{
        const draft = (text) => JSON.stringify({{saved: Date.now(), data: {{"seen-1-x": text}}}});
        localStorage.setItem('trygg-draft:{data.STAFF}:observation:logg-99-seksjon-1', draft('mer tekst'));
        localStorage.setItem('trygg-draft:{data.LEADER}:observation:logg-98-seksjon-1', draft('Ritas tekst'));
        localStorage.setItem('trygg-utkast:logg-97-seksjon-1', '{{"seen-1-x": "uten eier"}}');  // as kept before
    }}""")
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url("**/logg-inn**")
    rita = f"trygg-draft:{data.LEADER}:observation:logg-98-seksjon-1"
    assert browser_drafts(page) == {rita: {"seen-1-x": "Ritas tekst"}}  # Rita's wait for her
    assert_accessible(page)


def test_a_draft_the_server_refuses_is_kept_explained_and_not_resent(live_server, phone, task, db):
    page = phone()
    start_todays_log(page, live_server.url)
    log_id = int(page.url.rsplit("/", 1)[1])
    db.execute("DELETE FROM observation_log WHERE id = ?", [log_id])   # gone meanwhile
    sent = posts_to(page, "/seksjon/5")
    open_section(page, "5. Friminutt")
    page.locator("#seen-5-eleven").fill("Står alene ved gjerdet.")
    status = page.locator("#status-seksjon-5")
    status.get_by_text("finner ikke det du skriver i", exact=False).wait_for()
    assert "tatt vare på på denne telefonen" in status.text_content()
    assert_accessible(page)
    (draft,) = browser_drafts(page).values()
    assert draft["seen-5-eleven"] == "Står alene ved gjerdet." and draft["__stopped"] == 404
    count = len(sent)
    online_again(page)
    assert len(sent) == count


def test_a_text_refused_as_too_long_comes_back_explained_and_waits(live_server, phone, task, db):
    page = phone()
    start_todays_log(page, live_server.url)
    open_section(page, "1. Organisering")
    page.locator("#seen-1-antall_voksne").fill("x" * 10_001)
    page.locator("#status-seksjon-1").get_by_text("for lang", exact=False).wait_for()
    sent = posts_to(page, "/seksjon/1")
    page.reload()
    assert page.locator("#seen-1-antall_voksne").input_value() == "x" * 10_001
    page.locator("#status-seksjon-1").get_by_text("Fant tekst som ikke ble lagret", exact=False).wait_for()
    online_again(page)
    assert sent == [] and db["observation_log_item"].count == 0
    assert_accessible(page)


def test_a_stale_analysis_is_a_conflict_the_leader_resolves_without_losing_text(live_server, phone, task, db):
    page = phone()
    # typed without a connection and left: the draft remembers it was based on version 0
    analysis_typed_offline(page, live_server.url, task, "Ritas analyse.")
    # meanwhile the contact teacher saves the analysis; the tab is closed and opened again
    db.execute("UPDATE observation_plan SET analysis = 'Karis analyse.', analysis_version = 1 WHERE id = ?", [task])
    page = reopened(page)
    page.goto(f"{live_server.url}/observasjon/{task}")
    # the restored text goes once, as based on version 0: a conflict, shown with the other text
    conflict = page.locator("#status-analyse")
    conflict.get_by_text("noen andre har lagret analysen", exact=False).wait_for()
    assert "Karis analyse." in conflict.text_content()
    assert page.get_by_label("Hva viser observasjonene?").input_value() == "Ritas analyse."
    assert db["observation_plan"].get(task)["analysis"] == "Karis analyse."
    assert_accessible(page)
    sent = posts_to(page, "/analyse")
    online_again(page)  # no retry of a refused draft
    assert sent == []
    # opened once more, the refused draft is explained and waits for the leader
    page.reload()
    page.locator("#status-analyse").get_by_text("Trykk «Lagre» for å se den andre teksten", exact=False).wait_for()
    assert page.get_by_label("Hva viser observasjonene?").input_value() == "Ritas analyse."
    page.get_by_role("button", name="Lagre analysen").click()
    conflict.get_by_text("noen andre har lagret analysen", exact=False).wait_for()
    page.get_by_role("button", name="Lagre min tekst i stedet").click()
    page.locator("#status-analyse").get_by_text("Lagret kl.", exact=False).wait_for()
    assert db["observation_plan"].get(task)["analysis"] == "Ritas analyse."
    assert browser_drafts(page) == {}
    # and typing on saves on top of what was just saved
    page.get_by_label("Hva viser observasjonene?").fill("Ritas analyse. Og mer.")
    page.wait_for_function("() => !Object.keys(localStorage).some(k => k.startsWith('trygg-'))")
    assert db["observation_plan"].get(task)["analysis"] == "Ritas analyse. Og mer."
    assert json.loads(json.dumps(browser_drafts(page))) == {}


def test_after_a_conflict_the_leader_can_take_the_saved_text_instead(live_server, phone, task, db):
    page = phone()
    browser_login(page, live_server.url, "leder")
    page.goto(f"{live_server.url}/observasjon/{task}")
    db.execute("UPDATE observation_plan SET analysis = 'Karis analyse.', analysis_version = 1 WHERE id = ?", [task])
    page.get_by_label("Hva viser observasjonene?").fill("Ritas utkast.")
    page.locator("#status-analyse").get_by_text("noen andre har lagret analysen", exact=False).wait_for()
    page.get_by_role("button", name="Bruk den lagrede teksten").click()
    assert page.get_by_label("Hva viser observasjonene?").input_value() == "Karis analyse."
    assert browser_drafts(page) == {}
    page.get_by_label("Hva viser observasjonene?").fill("Karis analyse. Rita er enig.")
    page.locator("#status-analyse").get_by_text("Lagret kl.", exact=False).wait_for()
    assert db["observation_plan"].get(task)["analysis"] == "Karis analyse. Rita er enig."


def test_on_a_shared_phone_unsent_text_waits_for_its_author_and_is_not_sent_as_someone_else(
        live_server, phone, task, db):
    page = phone()
    analysis_typed_offline(page, live_server.url, task, "Ritas analyse.")
    page = reopened(page)
    page.context.clear_cookies()  # Rita's session ends without a log-out; Kari, the contact teacher, takes the phone
    browser_login(page, live_server.url, "ansatt")
    sent = posts_to(page, "/analyse")
    page.goto(f"{live_server.url}/observasjon/{task}")
    page.get_by_label("Hva viser observasjonene?").wait_for()
    page.wait_for_timeout(500)
    assert page.get_by_label("Hva viser observasjonene?").input_value() == ""
    assert sent == [] and db["observation_plan"].get(task)["analysis"] in (None, "")
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url("**/logg-inn**")

    browser_login(page, live_server.url, "leder")
    page.goto(f"{live_server.url}/observasjon/{task}")
    page.locator("#status-analyse").get_by_text("Lagret kl.", exact=False).wait_for()
    assert page.get_by_label("Hva viser observasjonene?").input_value() == "Ritas analyse."
    assert db["observation_plan"].get(task)["analysis"] == "Ritas analyse."
    assert browser_drafts(page) == {}
