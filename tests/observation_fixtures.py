"""What the observation-log tests share: the clock pinned to a Thursday, plans and tasks stored directly,
today's task, and the steps the browser tests take on the log."""
import json
from datetime import datetime

import pytest

from webapp import clock

from . import data
from .conftest import browser_login, make_app

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=clock.OSLO)  # a Thursday
PLANNED = datetime(2026, 11, 20, 14, 0, tzinfo=clock.OSLO)  # the Friday before


def at(day, hour, minute=0):
    """A moment in the test week (November 2026), Oslo time."""
    return datetime(2026, 11, day, hour, minute, tzinfo=clock.OSLO)


@pytest.fixture
def app(tmp_path):
    """The app with its clock pinned to NOW (Thursday 26 November 2026, 12:00)."""
    return make_app(tmp_path, NOW=NOW.isoformat())


def make_plan(db, created_by=data.LEADER, pupil_id=data.PUPIL_A, planned_at=PLANNED,
              starts_on="2026-11-23", ends_on="2026-11-27"):
    """An observation of 5A for the week of NOW, planned the Friday before, stored directly."""
    stamp = clock.to_utc_iso(planned_at)
    return db["observation_plan"].insert({
        "school_id": data.SCHOOL_A, "class_id": data.CLASS_A, "pupil_id": pupil_id,
        "starts_on": starts_on, "ends_on": ends_on,
        "answers": json.dumps({"finne_ut": "Hvordan Aksel har det i friminuttene."}),
        "needs": json.dumps(["empati"]), "created_by": created_by, "created_at": stamp,
        "updated_at": stamp}).last_pk


def assign(db, plan_id, observer=data.STAFF, day="2026-11-26", situation="Utelek/storefri"):
    """A task for an observer, stored directly."""
    return db["observation_assignment"].insert({
        "plan_id": plan_id, "school_id": data.SCHOOL_A, "observer_id": observer, "day": day,
        "situation": situation}).last_pk


@pytest.fixture
def task(db):
    """Kari's task today in a running observation of 5A."""
    plan_id = make_plan(db)
    assign(db, plan_id, day="2026-11-26", situation="Utelek/storefri")
    return plan_id


# ------------------------------------------------------------------ in the browser


def start_todays_log(page, base_url):
    """Log in as Kari and start the log of today's task from the home screen."""
    browser_login(page, base_url, "ansatt")
    page.get_by_role("button", name="Skriv logg").click()
    page.wait_for_url("**/observasjon/logg/*")


def open_section(page, title):
    """Open a section of the log (they start folded when empty)."""
    details = page.locator("details.log-section", has=page.get_by_role("heading", name=title))
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    return details


def reopened(page):
    """The tab closed while offline, and a new tab of the same browser once the connection is back."""
    context = page.context
    page.close()
    context.set_offline(False)
    return context.new_page()
