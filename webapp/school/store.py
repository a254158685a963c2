"""The school's shared records: staff and their accounts, classes, pupils, zones and the map.

What every capability reads about the school comes from here (one query, one
shape), and the writes that set the school up. Functions take the database
and the school explicitly.
"""
import re
import secrets

from .. import clock
from ..auth.passwords import hash_password
from ..auth.store import end_all_sessions
from ..db import one, scalar, transaction
from ..docx_text import one_line
from ..scope import parse_id
from .csv_import import parse_date, pick, row_part
from .rules import class_name_problem, pupil_problems, staff_problems

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
ROLE_WORDS = {"ansatt": "staff", "staff": "staff", "leder": "leader", "leader": "leader",
              "skoleledelse": "leader", "rektor": "leader", "avdelingsleder": "leader"}
# no 0/O, 1/l/I: read aloud or off a screen by someone else
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class AccountProblem(ValueError):
    """An account that cannot be created as asked; the message is shown to the user."""


# ------------------------------------------------------------------ the school


def school_name_problem(db, name, school=None):
    """A Norwegian message if another school has this name (in any case), else None."""
    if one(db, "SELECT 1 FROM school WHERE lower(name) = lower(?) AND id IS NOT ?", [name, school]):
        return f"Skolen «{name}» finnes allerede."
    return None


def schools_by_id(db, school_ids):
    """These schools as (id, name) rows, by name."""
    if not school_ids:
        return []
    marks = ",".join("?" * len(school_ids))
    return list(db.query(f"SELECT id, name FROM school WHERE id IN ({marks}) ORDER BY name", list(school_ids)))


def school_id_named(db, name):
    """The id of the school with exactly this name, or None."""
    return scalar(db, "SELECT id FROM school WHERE name = ?", [name])


def update_settings(db, school_id, values):
    """Store the school's name, municipality and alert thresholds."""
    db["school"].update(school_id, values)


def setup_counts(db, school_id):
    """How far the school is set up: active staff and leaders, classes, active pupils, active zones."""
    return one(db, """SELECT
        (SELECT count(*) FROM membership JOIN user ON user.id = membership.user_id
           WHERE membership.school_id = :s AND user.active AND user.role IN ('staff','leader')) AS staff,
        (SELECT count(*) FROM school_class WHERE school_id = :s) AS classes,
        (SELECT count(*) FROM pupil WHERE school_id = :s AND active) AS pupils,
        (SELECT count(*) FROM zone WHERE school_id = :s AND active) AS zones""", {"s": school_id})


# ------------------------------------------------------------------ the map and its zones


def map_of(db, school):
    """The school's map metadata (no image bytes), or None."""
    return one(db, "SELECT school_id, width, height, version, uploaded_at FROM schoolyard_map "
                   "WHERE school_id = ?", [school])


def map_image_of(db, school):
    """The school's map image with its content type and version, or None."""
    return one(db, "SELECT image, content_type, version FROM schoolyard_map WHERE school_id = ?", [school])


def save_map(db, school, image, width, height, uploaded_at):
    """Store the school's (new) map image; a new version, so its URL changes."""
    db["schoolyard_map"].upsert({
        "school_id": school, "image": image, "content_type": "image/webp", "width": width, "height": height,
        "version": secrets.token_hex(6), "uploaded_at": uploaded_at}, pk="school_id")


def zones_of(db, school, active_only=False):
    """The school's zones in display order."""
    where = " AND active" if active_only else ""
    return list(db.query(
        f"SELECT * FROM zone WHERE school_id = ?{where} ORDER BY sort_order, name", [school]))


def zone_choices(db, school):
    """The school's zones as (id, name) pairs in display order: no shapes."""
    return db.conn.execute("SELECT id, name FROM zone WHERE school_id = ? ORDER BY sort_order, name",
                           [school]).fetchall()


def zone_name(db, zone_id):
    """A zone's name, or ''."""
    if not zone_id:
        return ""
    return scalar(db, "SELECT name FROM zone WHERE id = ?", [zone_id]) or ""


def zone_name_taken(db, school, name, other_than=None):
    """Whether another of the school's zones has this name (in any case)."""
    return one(db, "SELECT 1 FROM zone WHERE school_id = ? AND lower(name) = lower(?) AND id != ?",
               [school, name, other_than or 0]) is not None


def store_zone(db, school, record, zone_id=None):
    """Store a zone's name, outline, order and whether it is in use: a new one, or `zone_id` changed."""
    if zone_id:
        db["zone"].update(zone_id, record)
    else:
        db["zone"].insert({"school_id": school, **record})


# ------------------------------------------------------------------ staff and accounts


def staff_members(db, school, active_only=False):
    """Everyone with an account at the school (only active accounts if asked), leaders first."""
    return list(db.query(
        "SELECT user.* FROM user JOIN membership ON membership.user_id = user.id "
        "WHERE membership.school_id = ? AND user.role IN ('staff', 'leader') "
        + ("AND user.active " if active_only else "")
        + "ORDER BY user.active DESC, user.role DESC, user.full_name", [school]))


def user_names(db, ids):
    """{user id: full name} for these ids (None among them is left out)."""
    ids = sorted(i for i in ids if i)
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {row["id"]: row["full_name"] for row in db.query(
        f"SELECT id, full_name FROM user WHERE id IN ({marks})", ids)}


def people_of_school(db, school_id, roles=("staff", "leader")):
    """Active people of a school with these roles, leaders first: (id, full name, title, role) rows."""
    marks = ",".join("?" * len(roles))
    return list(db.query(
        "SELECT user.id, user.full_name, user.title, user.role FROM user "
        "JOIN membership ON membership.user_id = user.id WHERE membership.school_id = ? "
        f"AND user.active AND user.role IN ({marks}) ORDER BY user.role DESC, user.full_name",
        [school_id, *roles]))


def school_member(db, school_id, user_id):
    """A user of this school, or None."""
    return one(
        db,
        "SELECT user.* FROM user JOIN membership ON membership.user_id = user.id "
        "WHERE membership.school_id = ? AND user.id = ?",
        [school_id, user_id],
    )


def user_by_id(db, user_id):
    """A user row, or None."""
    return one(db, "SELECT * FROM user WHERE id = ?", [user_id])


def member_elsewhere(db, user_id, school_ids):
    """Whether the account also belongs to a school other than these."""
    return scalar(db, "SELECT count(*) FROM membership WHERE user_id = ? AND school_id NOT IN (%s)"
                  % ",".join("?" * len(school_ids)), [user_id, *school_ids]) > 0


def update_person(db, user_id, *, full_name, title, email, role):
    """Store a staff member's name, position, e-mail and role."""
    db["user"].update(user_id, {"full_name": full_name, "title": title, "email": email, "role": role})


def one_time_password():
    """A readable random password handed out once, changed at first log-in."""
    groups = ["".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3)]
    return "-".join(groups)


def username_problem(db, username):
    """A Norwegian message if the username is malformed or taken, else None."""
    if not USERNAME.match(username):
        return "Brukernavnet kan bare ha små bokstaver a–z, tall, punktum, bindestrek og understrek (2–40 tegn)."
    if scalar(db, "SELECT 1 FROM user WHERE username = ?", [username]):
        return f"Brukernavnet «{username}» er allerede i bruk."
    return None


def create_user(db, *, username, full_name, role, school_ids=(), title="", email="",
                password=None, password_hash=None, must_change_password=False):
    """Create an account and its memberships; returns the new user's id."""
    username = username.strip().lower()
    if not full_name.strip():
        raise AccountProblem("Skriv inn fullt navn.")
    if role not in ("staff", "leader", "owner", "admin"):
        raise AccountProblem("Ukjent rolle.")
    if password is not None:
        password_hash = hash_password(password)
    with transaction(db):
        # checked in the write's transaction: two leaders adding the same username cannot both pass
        problem = username_problem(db, username)
        if problem:
            raise AccountProblem(problem)
        user_id = db["user"].insert({
            "username": username,
            "full_name": full_name.strip(),
            "password_hash": password_hash,
            "role": role,
            "title": title.strip(),
            "email": email.strip(),
            "active": 1,
            "must_change_password": int(must_change_password),
            "created_at": clock.utc_iso_now(),
        }).last_pk
        for school_id in school_ids:
            db["membership"].insert({"user_id": user_id, "school_id": school_id}, ignore=True)
    return user_id


def reset_password(db, user_id):
    """Give a user a one-time password; returns it (shown once, never stored in clear)."""
    password = one_time_password()
    with transaction(db):
        db.execute("UPDATE user SET password_hash = ?, must_change_password = 1 WHERE id = ?",
                   [hash_password(password), user_id])
        end_all_sessions(db, user_id)
    return password


def set_active(db, user_id, active):
    """Deactivate (every session ends at once) or reactivate an account."""
    with transaction(db):
        db.execute("UPDATE user SET active = ? WHERE id = ?", [int(active), user_id])
        end_all_sessions(db, user_id)


def staff_import_problems(db, rows):
    """Check staff CSV rows; returns (problems, accounts to create)."""
    problems, accounts, seen = [], [], set()
    for line, values in rows:
        # cleaned and checked as the staff form cleans and checks what is typed
        username = one_line(values.get("brukernavn", "")).lower()
        first, last = pick(values, "fornavn"), pick(values, "etternavn")
        full_name = one_line(" ".join(part for part in (first, last) if part) or pick(values, "navn"))
        title, email = one_line(pick(values, "tittel", "stilling")), one_line(pick(values, "e-post", "epost"))
        role_word = (one_line(values.get("rolle", "")) or "ansatt").lower()
        found = staff_problems(full_name, title, email)
        row_problems = []
        if not username:
            row_problems.append("brukernavn mangler")
        elif username in seen:
            row_problems.append(f"brukernavnet «{username}» står to ganger i filen")
        else:
            problem = username_problem(db, username)
            if problem:
                row_problems.append(row_part(problem))
        row_problems += [found[field] for field in ("full_name", "title", "email") if field in found]
        if role_word not in ROLE_WORDS:
            row_problems.append(f"ukjent rolle «{role_word}» (bruk ansatt eller leder)")
        seen.add(username)
        if row_problems:
            problems.append((line, "; ".join(row_problems)))
        else:
            accounts.append({"username": username, "full_name": full_name,
                             "role": ROLE_WORDS[role_word], "title": title, "email": email})
    return problems, accounts


# ------------------------------------------------------------------ classes and pupils


def classes_of(db, school):
    """The school's classes with their pupil counts and contact teachers."""
    return list(db.query(
        "SELECT school_class.*, user.full_name AS contact_teacher, "
        "(SELECT count(*) FROM pupil WHERE pupil.class_id = school_class.id AND pupil.active) AS pupils "
        "FROM school_class LEFT JOIN user ON user.id = school_class.contact_teacher_id "
        "WHERE school_class.school_id = ? ORDER BY school_class.name", [school]))


def class_name(db, class_id):
    """A class's name, or ''."""
    if not class_id:
        return ""
    return scalar(db, "SELECT name FROM school_class WHERE id = ?", [class_id]) or ""


def class_name_taken(db, school, name, other_than=None):
    """Whether another of the school's classes has this name (in any case)."""
    return one(db, "SELECT 1 FROM school_class WHERE school_id = ? AND lower(name) = lower(?) AND id != ?",
               [school, name, other_than or 0]) is not None


def add_class(db, school, name, contact_teacher_id=None):
    """Add a class to the school."""
    db["school_class"].insert({"school_id": school, "name": name, "contact_teacher_id": contact_teacher_id})


def update_class(db, class_id, name, contact_teacher_id=None):
    """Rename a class or change its contact teacher."""
    db["school_class"].update(class_id, {"name": name, "contact_teacher_id": contact_teacher_id})


def class_id_by_name(db, school_id):
    """The school's classes as {name (lower-case): id}."""
    return {row["name"].lower(): row["id"] for row in
            db.query("SELECT id, name FROM school_class WHERE school_id = ?", [school_id])}


def pupils_by_class(db, school_id):
    """The school's active pupils, with class names, ordered by class and name."""
    return list(db.query(
        "SELECT pupil.id, pupil.full_name, pupil.class_id, school_class.name AS class_name FROM pupil "
        "LEFT JOIN school_class ON school_class.id = pupil.class_id "
        "WHERE pupil.school_id = ? AND pupil.active ORDER BY school_class.name, pupil.full_name",
        [school_id]))


def pupil_list(db, school_id, class_id=0):
    """The school's pupils (one class's, when asked) with class names: at the school first, by class and name."""
    where, params = "pupil.school_id = ?", [school_id]
    if class_id:
        where += " AND pupil.class_id = ?"
        params.append(class_id)
    return list(db.query(
        "SELECT pupil.*, school_class.name AS class_name FROM pupil "
        "LEFT JOIN school_class ON school_class.id = pupil.class_id "
        f"WHERE {where} ORDER BY pupil.active DESC, school_class.name, pupil.full_name", params))


def add_pupil(db, school_id, record, created_at):
    """Add a pupil (name, class, birth date, whether at the school); returns the id."""
    return db["pupil"].insert({"school_id": school_id, "created_at": created_at, **record}).last_pk


def update_pupil(db, pupil_id, record):
    """Store a pupil's changed name, class, birth date or whether they are at the school."""
    db["pupil"].update(pupil_id, record)


PUPIL_COLUMNS = ("pupil.id, pupil.full_name, school_class.name AS class_name FROM pupil "
                 "LEFT JOIN school_class ON school_class.id = pupil.class_id")


def pupils_by_id(db, school, ids):
    """The school's pupils with these ids, in the order given."""
    ids = [i for i in (parse_id(raw) for raw in ids) if i is not None]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = {row["id"]: row for row in db.query(
        f"SELECT {PUPIL_COLUMNS} WHERE pupil.school_id = ? AND pupil.id IN ({marks})", [school, *ids])}
    return [rows[i] for i in ids if i in rows]


def search_pupils(db, school, text, class_id=None, exclude=(), limit=20):
    """Active pupils whose first, middle or last name starts with the letters typed, or a class's pupils."""
    text = " ".join((text or "").split()).casefold()
    if not text and not class_id:
        return []
    where, params = "pupil.school_id = ? AND pupil.active", [school]
    if class_id:
        where += " AND pupil.class_id = ?"
        params.append(class_id)
    rows = db.query(f"SELECT {PUPIL_COLUMNS} WHERE {where} ORDER BY pupil.full_name", params)
    found = []
    for row in rows:
        if row["id"] in exclude:
            continue
        name = row["full_name"].casefold()
        # "ak an" finds Aksel Andersen: every typed word starts some word of the name
        words = name.split()
        if text and not (name.startswith(text) or all(
                any(word.startswith(typed) for word in words) for typed in text.split())):
            continue
        found.append(row)
        if len(found) >= limit:
            break
    return found


def school_pupil_ids(db, school, ids, *, keep=()):
    """Which of these submitted pupil ids are pupils at the school now, and the names of those who have left, by id.

    `keep`: ids accepted although the pupil has left (those the record being corrected already names).
    """
    wanted = {parse_id(raw) for raw in ids} - {None}
    if not wanted:
        return set(), {}
    marks = ",".join("?" * len(wanted))
    at_school, left = set(), {}
    for pupil_id, full_name, active in db.conn.execute(
            f"SELECT id, full_name, active FROM pupil WHERE school_id = ? AND id IN ({marks})", [school, *wanted]):
        if active or pupil_id in keep:
            at_school.add(pupil_id)
        else:
            left[pupil_id] = full_name
    return at_school, left


def pupil_class_id(db, school, pupil_id):
    """The class of one of the school's pupils; None when the pupil is not the school's (or has no class)."""
    return scalar(db, "SELECT class_id FROM pupil WHERE id = ? AND school_id = ?", [pupil_id, school])


def pupil_with_class(db, pupil_id):
    """A pupil row with its class name."""
    return one(db, "SELECT pupil.*, school_class.name AS class_name FROM pupil "
                   "LEFT JOIN school_class ON school_class.id = pupil.class_id WHERE pupil.id = ?",
               [pupil_id])


def pupil_import_problems(db, school_id, rows, today):
    """Check pupil CSV rows; returns (problems, pupils to create, new class names)."""
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


def confidential_pupils(db, school_id):
    """The school's pupils with a fortrolig adresse, with class names: never named in what is sent to others."""
    return list(db.query(
        "SELECT pupil.*, school_class.name AS class_name FROM pupil "
        "LEFT JOIN school_class ON school_class.id = pupil.class_id "
        "WHERE pupil.school_id = ? AND pupil.confidential_address", [school_id]))


def names_of_people(db, school_id):
    """The full names of everyone with an account at the school (owners too): staff names stay in documents."""
    return [row["full_name"] for row in db.query(
        "SELECT user.full_name FROM user JOIN membership ON membership.user_id = user.id "
        "WHERE membership.school_id = ?", [school_id])]
