"""Følg med på: pupils a leader or contact teacher flags for duty staff to keep an eye on."""
from ..school.csv_import import parse_date
from ..db import one

LOOK_FOR_MAX = 140


def active_flags(db, school_id, today):
    """Flags shown today: not taken off, and `until` not passed. Name, class and the line only."""
    return list(db.query(
        "SELECT watch_flag.id, watch_flag.pupil_id, watch_flag.look_for, watch_flag.until, "
        "pupil.full_name, school_class.name AS class_name FROM watch_flag "
        "JOIN pupil ON pupil.id = watch_flag.pupil_id "
        "LEFT JOIN school_class ON school_class.id = pupil.class_id "
        "WHERE watch_flag.school_id = ? AND watch_flag.ended_at IS NULL AND watch_flag.until >= ? "
        "AND pupil.active ORDER BY school_class.name, pupil.full_name",
        [school_id, today.isoformat()]))


def may_flag(db, user, school_id, pupil_id):
    """Leaders flag any pupil of the school; staff only pupils in a class they are contact teacher of."""
    if user.role == "leader":
        return one(db, "SELECT 1 FROM pupil WHERE id = ? AND school_id = ?", [pupil_id, school_id]) is not None
    return one(db, "SELECT 1 FROM pupil JOIN school_class ON school_class.id = pupil.class_id "
                   "WHERE pupil.id = ? AND pupil.school_id = ? AND school_class.contact_teacher_id = ?",
               [pupil_id, school_id, user.id]) is not None


def flaggable_pupils(db, user, school_id):
    """The pupils this person may flag, by class."""
    mine = "" if user.role == "leader" else " AND school_class.contact_teacher_id = :user"
    return list(db.query(
        "SELECT pupil.id, pupil.full_name, school_class.name AS class_name FROM pupil "
        "JOIN school_class ON school_class.id = pupil.class_id "
        f"WHERE pupil.school_id = :school AND pupil.active{mine} "
        "ORDER BY school_class.name, pupil.full_name", {"school": school_id, "user": user.id}))


def flag_problems(look_for, until_text, today):
    """Messages for the flag form, keyed by field; also the parsed date."""
    problems = {}
    look_for = (look_for or "").strip()
    if not look_for:
        problems["look_for"] = "Skriv kort hva de som har tilsyn skal se etter."
    elif len(look_for) > LOOK_FOR_MAX:
        problems["look_for"] = f"Hold det kort: høyst {LOOK_FOR_MAX} tegn."
    until = parse_date(until_text or "")
    if until is None:
        problems["until"] = "Skriv en dato (dd.mm.åååå)."
    elif until < today:
        problems["until"] = "Datoen har allerede vært."
    return problems, until


def flags_managed_by(db, user, school_id, today):
    """Flags in force that this person may see on the management page (leaders: all)."""
    mine = "" if user.role == "leader" else " AND (watch_flag.created_by = :user OR school_class.contact_teacher_id = :user)"
    return list(db.query(
        "SELECT watch_flag.*, pupil.full_name, school_class.name AS class_name, "
        "author.full_name AS author FROM watch_flag "
        "JOIN pupil ON pupil.id = watch_flag.pupil_id "
        "LEFT JOIN school_class ON school_class.id = pupil.class_id "
        "JOIN user AS author ON author.id = watch_flag.created_by "
        "WHERE watch_flag.school_id = :school AND watch_flag.ended_at IS NULL "
        f"AND watch_flag.until >= :today{mine} ORDER BY school_class.name, pupil.full_name",
        {"school": school_id, "today": today.isoformat(), "user": user.id}))
