"""Fixtures shared by the observation-log browser tests: a pinned clock and today's task."""
import pytest

from .conftest import make_app
from .test_observation_logs_views import NOW, assign, make_plan


@pytest.fixture
def app(tmp_path):
    """The app with its clock pinned to NOW."""
    return make_app(tmp_path, NOW=NOW.isoformat())


@pytest.fixture
def task(db):
    """Kari's task today in a running observation of 5A."""
    plan_id = make_plan(db)
    assign(db, plan_id, day="2026-11-26", situation="Utelek/storefri")
    return plan_id
