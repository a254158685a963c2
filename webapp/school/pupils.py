"""Pupils and classes: checking what a leader enters or imports."""
from datetime import date

from .. import clock
from .csv_import import parse_date
from ..db import one, transaction
from ..docx_text import one_line

NAME_MAX = 120
CLASS_NAME_MAX = 40


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
    """What is wrong with a pupil's name (cleaned with one_line) and birth date, keyed by field.

    The one rule for the pupil form and the CSV import; the form shows each as a sentence.
    """
    problems = {}
    if not full_name:
        problems["full_name"] = "navn mangler"
    elif len(full_name) > NAME_MAX:
        problems["full_name"] = f"navnet er for langt (høyst {NAME_MAX} tegn)"
    problem = birth_date_problem(birth_date, today)
    if problem:
        problems["birth_date"] = problem
    return problems


def class_name_problem(name):
    """What is wrong with a class's name (cleaned with one_line), or None; the class form has the same limit."""
    if not name:
        return "klasse mangler"
    if len(name) > CLASS_NAME_MAX:
        return f"klassenavnet er for langt (høyst {CLASS_NAME_MAX} tegn)"
    return None


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
        # cleaned and checked as the pupil and class forms clean and check what is typed
        first, last = pick(values, "fornavn"), pick(values, "etternavn")
        full_name = one_line(" ".join(p for p in (first, last) if p) or pick(values, "navn", "elev", "fullt navn"))
        class_name = one_line(pick(values, "klasse", "gruppe"))
        birth_text = one_line(pick(values, "fødselsdato", "fodselsdato", "født", "fodt"))
        found = pupil_problems(full_name, birth_text, today)
        row_problems = [problem for problem in (found.get("full_name"), class_name_problem(class_name),
                                                found.get("birth_date")) if problem]
        birth = parse_date(birth_text).isoformat() if birth_text and "birth_date" not in found else None
        key = (full_name.lower(), birth)
        if full_name and key in existing:
            row_problems.append(f"{full_name} finnes allerede ved skolen")
        elif full_name and key in seen:
            row_problems.append(f"{full_name} står to ganger i filen")
        seen.add(key)
        if row_problems:
            problems.append((line, "; ".join(row_problems)))
            continue
        if class_name.lower() not in classes:  # a new class, once however the file writes it (5a, 5A)
            classes[class_name.lower()] = None
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
