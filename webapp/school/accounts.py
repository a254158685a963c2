"""Accounts: creating users, memberships, one-time passwords, deactivation."""
import re
import secrets

from .. import clock
from ..auth.views import end_all_sessions
from ..db import one, scalar, transaction
from ..security import hash_password

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
ROLE_WORDS = {"ansatt": "staff", "staff": "staff", "leder": "leader", "leader": "leader",
              "skoleledelse": "leader", "rektor": "leader", "avdelingsleder": "leader"}
# no 0/O, 1/l/I: read aloud or off a screen by someone else
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class AccountProblem(ValueError):
    """An account that cannot be created as asked; the message is shown to the user."""


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
    problem = username_problem(db, username)
    if problem:
        raise AccountProblem(problem)
    if not full_name.strip():
        raise AccountProblem("Skriv inn fullt navn.")
    if role not in ("staff", "leader", "owner", "admin"):
        raise AccountProblem("Ukjent rolle.")
    if password is not None:
        password_hash = hash_password(password)
    with transaction(db):
        user_id = db["user"].insert({
            "username": username,
            "full_name": full_name.strip(),
            "password_hash": password_hash,
            "role": role,
            "title": title.strip(),
            "email": email.strip(),
            "active": 1,
            "must_change_password": int(must_change_password),
            "session_version": 1,
            "created_at": clock.utc_iso_now(),
        }).last_pk
        for school_id in school_ids:
            db["membership"].insert({"user_id": user_id, "school_id": school_id}, ignore=True)
    return user_id


def reset_password(db, user_id):
    """Give a user a one-time password; returns it (shown once, never stored in clear)."""
    password = one_time_password()
    with transaction(db):
        db.execute(
            "UPDATE user SET password_hash = ?, must_change_password = 1, "
            "session_version = session_version + 1 WHERE id = ?",
            [hash_password(password), user_id],
        )
    return password


def set_active(db, user_id, active):
    """Deactivate (every session ends at once) or reactivate an account."""
    with transaction(db):
        db.execute("UPDATE user SET active = ? WHERE id = ?", [int(active), user_id])
        end_all_sessions(user_id, db)


def school_member(db, school_id, user_id):
    """A user of this school, or None."""
    return one(
        db,
        "SELECT user.* FROM user JOIN membership ON membership.user_id = user.id "
        "WHERE membership.school_id = ? AND user.id = ?",
        [school_id, user_id],
    )


def staff_import_problems(db, rows):
    """Check staff CSV rows; returns (problems, accounts to create)."""
    problems, accounts, seen = [], [], set()
    for line, values in rows:
        username = values.get("brukernavn", "").lower()
        full_name = " ".join(part for part in (values.get("fornavn", ""), values.get("etternavn", "")) if part) \
            or values.get("navn", "")
        role_word = (values.get("rolle") or "ansatt").lower()
        row_problems = []
        if not username:
            row_problems.append("brukernavn mangler")
        elif username in seen:
            row_problems.append(f"brukernavnet «{username}» står to ganger i filen")
        else:
            problem = username_problem(db, username)
            if problem:
                row_problems.append(problem[0].lower() + problem[1:].rstrip("."))
        if not full_name:
            row_problems.append("navn mangler")
        if role_word not in ROLE_WORDS:
            row_problems.append(f"ukjent rolle «{role_word}» (bruk ansatt eller leder)")
        seen.add(username)
        if row_problems:
            problems.append((line, "; ".join(row_problems)))
        else:
            accounts.append({"username": username, "full_name": full_name,
                             "role": ROLE_WORDS[role_word], "title": values.get("tittel", ""),
                             "email": values.get("e-post", values.get("epost", ""))})
    return problems, accounts
