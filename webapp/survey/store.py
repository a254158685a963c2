"""Skolegårdsundersøkelsen's SQL: rounds, talks and marks (one writer: this module)."""
from collections import Counter

from .. import clock
from ..db import one
from ..hotspots import store as hotspots
from . import texts


def rounds(db, school_id, open_only=False):
    """The school's rounds, newest first, with their class and how many pupils have had their talk."""
    where = " AND survey_round.closed_at IS NULL" if open_only else ""
    return list(db.query(
        "SELECT survey_round.*, school_class.name AS class_name, "
        "(SELECT count(*) FROM survey_talk WHERE survey_talk.round_id = survey_round.id) AS talks, "
        "(SELECT count(*) FROM pupil WHERE pupil.class_id = survey_round.class_id AND pupil.active) AS pupils "
        "FROM survey_round JOIN school_class ON school_class.id = survey_round.class_id "
        f"WHERE survey_round.school_id = ?{where} ORDER BY survey_round.opened_at DESC, survey_round.id DESC",
        [school_id]))


def round_details(db, round_id):
    """A round with its class's name and its counts."""
    return one(db, "SELECT survey_round.*, school_class.name AS class_name, "
                   "(SELECT count(*) FROM survey_talk WHERE round_id = survey_round.id) AS talks, "
                   "(SELECT count(*) FROM pupil WHERE pupil.class_id = survey_round.class_id AND pupil.active) "
                   "AS pupils FROM survey_round JOIN school_class ON school_class.id = survey_round.class_id "
                   "WHERE survey_round.id = ?", [round_id])


def open_round(db, school_id, class_id, user_id, now):
    """Open a round for a class; returns its id."""
    return db.execute("INSERT INTO survey_round (school_id, class_id, opened_by, opened_at) VALUES (?, ?, ?, ?)",
                      [school_id, class_id, user_id, clock.to_utc_iso(now)]).lastrowid


def close_round(db, round_id, now):
    """Close a round: no more talks."""
    db.execute("UPDATE survey_round SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
               [clock.to_utc_iso(now), round_id])


def pupils_left(db, survey_round):
    """The class's pupils who have not had their talk in this round, by name."""
    return list(db.query(
        "SELECT id, full_name FROM pupil WHERE class_id = ? AND school_id = ? AND active "
        "AND id NOT IN (SELECT pupil_id FROM survey_talk WHERE round_id = ?) ORDER BY full_name",
        [survey_round["class_id"], survey_round["school_id"], survey_round["id"]]))


def add_talk(db, survey_round, pupil_id, answers, marks, user_id, now):
    """Store one pupil's talk and marks (inside the caller's transaction); returns the talk's id."""
    talk_id = db.execute(
        "INSERT INTO survey_talk (round_id, pupil_id, conducted_by, held_at, play, company, bothered, seen_bothered) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [survey_round["id"], pupil_id, user_id, clock.to_utc_iso(now),
         *(answers.get(column, "") for column, _ in texts.QUESTIONS)]).lastrowid
    db.conn.executemany("INSERT INTO survey_mark (talk_id, kind, zone_id, map_x, map_y) VALUES (?, ?, ?, ?, ?)",
                        [(talk_id, m["kind"], m["zone_id"], m["map_x"], m["map_y"]) for m in marks])
    return talk_id


def talk_done(db, round_id, pupil_id):
    """Whether the pupil has had their talk in the round."""
    return one(db, "SELECT id FROM survey_talk WHERE round_id = ? AND pupil_id = ?", [round_id, pupil_id]) is not None


def marks_of(db, round_id):
    """Every mark of the round's pupils (no names: the maps do not say whose)."""
    return list(db.query("SELECT survey_mark.kind, survey_mark.zone_id, survey_mark.map_x, survey_mark.map_y "
                         "FROM survey_mark JOIN survey_talk ON survey_talk.id = survey_mark.talk_id "
                         "WHERE survey_talk.round_id = ? ORDER BY survey_mark.id", [round_id]))


def talks_of(db, round_id):
    """The round's talks with the pupils' names and who held them, by name."""
    return list(db.query(
        "SELECT survey_talk.*, pupil.full_name AS pupil_name, user.full_name AS teacher_name FROM survey_talk "
        "JOIN pupil ON pupil.id = survey_talk.pupil_id JOIN user ON user.id = survey_talk.conducted_by "
        "WHERE survey_talk.round_id = ? ORDER BY pupil.full_name", [round_id]))


def concerns_per_zone(db, school_id, now):
    """The concerns staff recorded per zone over the last year (the hotspots)."""
    found = hotspots.records(db, school_id, {"periode": str(texts.RECORDS_PERIOD_DAYS)}, now)
    return Counter(record["zone_id"] for record in found if record["kind"] == "concern")


def duty_zones(db, school_id, day):
    """The zones the tilsynsplan in force puts someone in."""
    return hotspots.rostered_zones(db, school_id, day)
