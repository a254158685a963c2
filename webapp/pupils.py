"""Pupils and classes: checking what a leader enters or imports."""
from datetime import date

from . import clock
from .csv_import import parse_date
from .db import one, transaction


def birth_date_problem(text, today):
    """A Norwegian message if the birth date is not a plausible pupil's, else None."""
    if not text:
        return None
    parsed = parse_date(text)
    if parsed is None:
        return f"fødselsdatoen «{text}» er ikke en gyldig dato (skriv dd.mm.åååå)"
    if parsed > today:
        return "fødselsdatoen er i fremtiden"
    if parsed < date(today.year - 25, 1, 1):
        return "fødselsdatoen er mer enn 25 år tilbake"
    return None


def pupil_problems(full_name, birth_date, today):
    """Messages for a pupil form, keyed by field."""
    problems = {}
    if not full_name.strip():
        problems["full_name"] = "Skriv inn elevens navn."
    problem = birth_date_problem(birth_date, today)
    if problem:
        problems["birth_date"] = problem[0].upper() + problem[1:] + "."
    return problems


def class_id_by_name(db, school_id):
    """The school's classes as {name (lower-case): id}."""
    return {row["name"].lower(): row["id"] for row in
            db.query("SELECT id, name FROM school_class WHERE school_id = ?", [school_id])}


def pupil_import_problems(db, school_id, rows, today):
    """Check pupil CSV rows; returns (problems, pupils to create, new class names)."""
    from .csv_import import pick

    classes = class_id_by_name(db, school_id)
    existing = {(row["full_name"].lower(), row["birth_date"]) for row in db.query(
        "SELECT full_name, birth_date FROM pupil WHERE school_id = ?", [school_id])}
    problems, pupils, new_classes, seen = [], [], [], set()
    for line, values in rows:
        first, last = pick(values, "fornavn"), pick(values, "etternavn")
        full_name = " ".join(p for p in (first, last) if p) or pick(values, "navn", "elev", "fullt navn")
        class_name = pick(values, "klasse", "gruppe")
        birth_text = pick(values, "fødselsdato", "fodselsdato", "født", "fodt")
        row_problems = []
        if not full_name:
            row_problems.append("navn mangler")
        if not class_name:
            row_problems.append("klasse mangler")
        problem = birth_date_problem(birth_text, today)
        if problem:
            row_problems.append(problem)
        birth = parse_date(birth_text).isoformat() if birth_text and not problem else None
        key = (full_name.lower(), birth)
        if full_name and key in existing:
            row_problems.append(f"{full_name} finnes allerede ved skolen")
        elif full_name and key in seen:
            row_problems.append(f"{full_name} står to ganger i filen")
        seen.add(key)
        if row_problems:
            problems.append((line, "; ".join(row_problems)))
            continue
        if class_name.lower() not in classes and class_name not in new_classes:
            new_classes.append(class_name)
        pupils.append({"full_name": full_name, "class_name": class_name, "birth_date": birth})
    return problems, pupils, new_classes


def store_imported_pupils(db, school_id, pupils, new_classes):
    """Create the new classes and pupils in one transaction."""
    now = clock.utc_iso_now()
    with transaction(db):
        for name in new_classes:
            db["school_class"].insert({"school_id": school_id, "name": name})
        classes = class_id_by_name(db, school_id)
        for pupil in pupils:
            db["pupil"].insert({
                "school_id": school_id,
                "class_id": classes[pupil["class_name"].lower()],
                "full_name": pupil["full_name"],
                "birth_date": pupil["birth_date"],
                "active": 1,
                "created_at": now,
            })


def pupil_with_class(db, pupil_id):
    """A pupil row with its class name."""
    return one(db, "SELECT pupil.*, school_class.name AS class_name FROM pupil "
                   "LEFT JOIN school_class ON school_class.id = pupil.class_id WHERE pupil.id = ?",
               [pupil_id])
