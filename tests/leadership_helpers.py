"""Helpers for leadership tests: records inserted the way the capture screen stores them."""
from datetime import timedelta

from webapp import clock
from webapp.db import connect, transaction
from webapp.feed import store as records

from . import data


def db_of(app):
    """A connection to the test app's database."""
    return connect(app.config["DATABASE"])


def add_melding(app, *, author=data.STAFF, school=data.SCHOOL_A, pupils=None, ago=timedelta(minutes=5),
                observation=True, **kwargs):
    """A melding (from an incident needing follow-up, by default) at the test school; returns its id."""
    db = db_of(app)
    now = clock.now() if not app.config.get("NOW") else clock.parse(app.config["NOW"])
    pupils = pupils or ({data.PUPIL_A: "utsatt", data.PUPIL_A2: "utøver"} if school == data.SCHOOL_A
                        else {data.PUPIL_B: "utsatt"})
    zone = data.ZONE_A if school == data.SCHOOL_A else data.ZONE_B
    with transaction(db):
        observation_id = None
        if observation:
            observation_id = records.insert_observation(
                db, school_id=school, author_id=author, observed_at=now - ago, pupils=pupils, zone_id=zone,
                map_x=0.2, map_y=0.6, labels=kwargs.pop("labels", ["vold"]), offence_types=["fysisk"],
                outcome="follow_up", intervened=1, facts="Dyttet over ende ved sandkassen.")
        melding_id = records.insert_melding(db, school_id=school, author_id=author, created_at=now - ago,
                                            observation_id=observation_id, pupils=pupils, **kwargs)
    db.conn.close()
    return melding_id


def add_observation(app, *, author=data.STAFF, pupils=None, ago=timedelta(hours=1), **kwargs):
    """A concern observation at school A; returns its id."""
    db = db_of(app)
    now = clock.now() if not app.config.get("NOW") else clock.parse(app.config["NOW"])
    with transaction(db):
        observation_id = records.insert_observation(
            db, school_id=data.SCHOOL_A, author_id=author, observed_at=now - ago,
            pupils=pupils or {data.PUPIL_A: "utsatt"}, **kwargs)
    db.conn.close()
    return observation_id
