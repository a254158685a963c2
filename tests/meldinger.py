"""Meldinger and saker in tests: made by the app's own writers, as the screens make them.

An observation (and the melding it makes) is saved by capture's store; a melding without an
observation is one a leader entered for a pupil or parents, stored by feed's writer.
"""
import uuid
from datetime import timedelta

import pytest

from webapp import clock
from webapp.capture import store as capture
from webapp.db import connect, transaction
from webapp.feed import store as feed
from webapp.saker import store as saker

from . import data
from .records import save_record


def db_of(app):
    """A connection to the test app's database."""
    return connect(app.config["DATABASE"])


def _now(app):
    """The test app's clock: clock.now() in its context, so a pinned NOW (a moment or a function) counts."""
    with app.app_context():
        return clock.now()


def add_melding(app, *, author=None, school=data.SCHOOL_A, pupils=None, ago=timedelta(minutes=5),
                observation=True, labels=("vold",), section_12_5=False, concerns_leader=False,
                adult_involved="", **kwargs):
    """A melding at the test school; returns its id.

    By default a staff member's incident that needs follow-up, made a melding by capture's store
    (§ 12-5 when labelled "ansatt krenker elev"). With observation=False, one a leader entered
    for a pupil or parents (kwargs: summary, source, channel, raised_by …), received at once
    unless it is about a leader.
    """
    db = db_of(app)
    now = _now(app)
    pupils = pupils or ({data.PUPIL_A: "utsatt", data.PUPIL_A2: "utøver"} if school == data.SCHOOL_A
                        else {data.PUPIL_B: "utsatt"})
    with transaction(db):
        if observation:
            assert not kwargs, f"a staff member's melding is made from the record alone: {kwargs}"
            observation_id = save_record(
                db, author=author or data.STAFF, school=school, kind="concern", observed_at=now - ago,
                context="friminutt", pupils=pupils, zone_id=data.ZONE_A if school == data.SCHOOL_A else data.ZONE_B,
                map_x=0.2, map_y=0.6, labels=labels, offence_types=["fysisk"], outcome="follow_up", intervened=1,
                concerns_leader=concerns_leader, facts="Dyttet over ende ved sandkassen.",
                adult_involved=adult_involved or "En vikar")
            melding_id = capture.melding_of(db, observation_id)["id"]
            assert bool(section_12_5) == bool(db["melding"].get(melding_id)["section_12_5"])
        else:
            kwargs.setdefault("summary", "Foresatte ringte: eleven blir plaget i friminuttene.")
            kwargs.setdefault("source", "foresatt")
            kwargs.setdefault("channel", "telefon")
            leader = author or (data.LEADER if school == data.SCHOOL_A else data.LEADER_B)
            melding, _ = feed.enter_melding(
                db, school=school, author_id=leader, pupils=pupils, now=now - ago, section_12_5=section_12_5,
                concerns_leader=concerns_leader, adult_involved=adult_involved or "En vikar", **kwargs)
            melding_id = melding["id"]
    db.conn.close()
    return melding_id


def add_observation(app, *, author=data.STAFF, pupils=None, ago=timedelta(hours=1), kind="concern",
                    context="friminutt", **fields):
    """An observation at school A (by default a concern neither solved nor sent on); returns its id."""
    db = db_of(app)
    with transaction(db):
        observation_id = save_record(db, author=author, kind=kind, observed_at=_now(app) - ago, context=context,
                                     pupils=pupils or {data.PUPIL_A: "utsatt"}, **fields)
    db.conn.close()
    return observation_id


@pytest.fixture
def records(app):
    """Meldinger at both schools, a §12-5 one, one about a leader, a case and an escalated case."""
    ids = {
        "melding": add_melding(app),
        "melding_b": add_melding(app, author=data.STAFF_B, school=data.SCHOOL_B),
        "melding_12_5": add_melding(app, section_12_5=True, labels=["ansatt_krenker_elev"]),
        "melding_leader": add_melding(app, section_12_5=True, concerns_leader=True, observation=False),
        "melding_for_sak": add_melding(app, observation=False, summary="Mor ringte."),
        "melding_for_escalated": add_melding(app, observation=False),
        "melding_b_sak": add_melding(app, author=data.STAFF_B, school=data.SCHOOL_B, observation=False),
    }
    db = db_of(app)
    now = clock.now()
    with transaction(db):
        ids["sak"] = saker.open_sak(db, db["melding"].get(ids["melding_for_sak"]), data.PUPIL_A,
                                    data.LEADER, data.LEADER, now)
        ids["sak_escalated"] = saker.open_sak(db, db["melding"].get(ids["melding_for_escalated"]),
                                              data.PUPIL_A, data.LEADER, data.LEADER, now)
        saker.escalate(db, db["sak"].get(ids["sak_escalated"]), "Alvorlig.", True, data.LEADER, now)
        ids["sak_b"] = saker.open_sak(db, db["melding"].get(ids["melding_b_sak"]), data.PUPIL_B,
                                      data.LEADER_B, data.LEADER_B, now)
    db.conn.close()
    return ids


def form_id():
    """A new form's id, as the form carries when it opens."""
    return uuid.uuid4().hex
