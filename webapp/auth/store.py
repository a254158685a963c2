"""Auth's SQL: the signed-in user, their sessions per device, passwords, log-in attempts and their throttle."""
import secrets

from .. import clock
from ..db import one, scalar, transaction

# ------------------------------------------------------------------ users and their sessions


def session_user(db, session_id):
    """The user of a session not ended, with their schools and its "husk meg"; one query, run on every request."""
    row = one(db, "SELECT user.*, user_session.remember AS session_remember, (SELECT group_concat(school_id) "
                  "FROM (SELECT school_id FROM membership WHERE user_id = user.id ORDER BY school_id)) AS school_ids "
                  "FROM user_session JOIN user ON user.id = user_session.user_id "
                  "WHERE user_session.id = ? AND user_session.ended_at IS NULL", [session_id])
    if row is not None:
        row["school_ids"] = [int(i) for i in row["school_ids"].split(",")] if row["school_ids"] else []
    return row


def user_by_username(db, username):
    """The account with this username (in any case), or None."""
    return one(db, "SELECT * FROM user WHERE username = ?", [username])


def start_session(db, user_id, *, device, remember, now):
    """A new session for a log-in on a device; its random id, which the cookies carry."""
    session_id = secrets.token_urlsafe(32)
    stamp = clock.to_utc_iso(now)
    with transaction(db):
        db["user_session"].insert({"id": session_id, "user_id": user_id, "device": device[:60],
                                   "remember": int(remember), "created_at": stamp, "last_seen_at": stamp})
    return session_id


def session_seen(db, session_id, now):
    """The person was there at `now` (at most once a minute: see rules.moves_last_seen)."""
    with transaction(db):
        db.execute("UPDATE user_session SET last_seen_at = ? WHERE id = ?", [clock.to_utc_iso(now), session_id])


def sessions_in_use(db, user_id, *, seen_since, remembered_seen_since):
    """The user's sessions not ended and seen since the idle limit (with "husk meg": the remember cookie's life)."""
    return list(db.query(
        "SELECT id, device, remember, created_at, last_seen_at FROM user_session "
        "WHERE user_id = ? AND ended_at IS NULL AND last_seen_at >= CASE WHEN remember THEN ? ELSE ? END "
        "ORDER BY last_seen_at DESC, created_at DESC",
        [user_id, clock.to_utc_iso(remembered_seen_since), clock.to_utc_iso(seen_since)]))


def end_session(db, session_id):
    """Log out on one device: its session and remember cookies stop working, the user's other devices' do not."""
    with transaction(db):
        db.execute("UPDATE user_session SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
                   [clock.utc_iso_now(), session_id])


def end_all_sessions(db, user_id):
    """Log out everywhere: every session and remember cookie issued to this user stops working."""
    with transaction(db):
        db.execute("UPDATE user_session SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL",
                   [clock.utc_iso_now(), user_id])


def set_password(db, user_id, password_hash):
    """The user's own new password; every session from before ends with the old one."""
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
