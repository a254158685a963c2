"""Auth's SQL: the signed-in user, ending their sessions, passwords, log-in attempts and their throttle."""
from .. import clock
from ..db import one, scalar, transaction

# ------------------------------------------------------------------ users


def user_row(db, user_id):
    """A user's row with the ids of their schools as a list, or None; one query, as it runs on every request."""
    row = one(db, "SELECT user.*, (SELECT group_concat(school_id) FROM (SELECT school_id FROM membership "
                  "WHERE user_id = user.id ORDER BY school_id)) AS school_ids FROM user WHERE id = ?", [user_id])
    if row is not None:
        row["school_ids"] = [int(i) for i in row["school_ids"].split(",")] if row["school_ids"] else []
    return row


def user_by_username(db, username):
    """The account with this username (in any case), or None."""
    return one(db, "SELECT * FROM user WHERE username = ?", [username])


def end_all_sessions(db, user_id):
    """Make every cookie issued to this user useless."""
    with transaction(db):
        db.execute("UPDATE user SET session_version = session_version + 1 WHERE id = ?", [user_id])


def set_password(db, user_id, password_hash):
    """The user's own new password; every earlier session ends with the old one."""
    with transaction(db):
        db.execute("UPDATE user SET password_hash = ?, must_change_password = 0 WHERE id = ?",
                   [password_hash, user_id])
        end_all_sessions(db, user_id)


# ------------------------------------------------------------------ log-in attempts


def begin_login_attempt(db, username, address, now, throttle):
    """Count a log-in try as failed before its password is checked; its id, or None when tries must wait.

    The failures are counted and this one added in one BEGIN IMMEDIATE
    transaction, in the database every worker sees: of tries sent at once, only
    as many as the throttle allows get their password checked.
    """
    since = clock.to_utc_iso(throttle.counts_from(now))
    username = username[:150]
    with transaction(db):
        by_account = scalar(
            db, "SELECT count(*) FROM login_attempt WHERE username = ? AND at >= ? AND success = 0",
            (username, since))
        by_address = scalar(
            db, "SELECT count(*) FROM login_attempt WHERE address = ? AND at >= ? AND success = 0",
            (address, since))
        if not throttle.allows(by_account, by_address):
            return None
        return db["login_attempt"].insert(
            {"at": clock.to_utc_iso(now), "username": username, "address": address, "success": 0}).last_pk


def login_succeeded(db, attempt_id, username):
    """The try was right after all; a successful log-in forgives the account's earlier failures."""
    with transaction(db):
        db.execute("DELETE FROM login_attempt WHERE username = ? AND success = 0 AND id != ?",
                   [username[:150], attempt_id])
        db.execute("UPDATE login_attempt SET success = 1 WHERE id = ?", [attempt_id])
