"""Auth's SQL: the signed-in user, their sessions per device, passwords, log-in attempts and their throttle."""
import secrets

from .. import clock
from ..db import one, scalar, transaction

# ------------------------------------------------------------------ users and their sessions


def session_user(db, session_id):
    """The user of a session not ended, with their schools and its "husk meg"; one query, run on every request."""
    row = one(db, "SELECT user.*, user_session.remember AS session_remember, (SELECT group_concat(school_id) "
                  "FROM (SELECT school_id FROM membership WHERE user_id = user.id ORDER BY school_id)) AS school_ids, "
                  "EXISTS (SELECT 1 FROM second_factor WHERE user_id = user.id AND secret IS NOT NULL) "
                  "AS has_second_factor "
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
    return _begin_attempt(db, "login_attempt", "username", username[:150], address, now, throttle)


def _begin_attempt(db, table, account_column, account, address, now, throttle):
    """A try counted as failed in `table` unless the account's or the address's failures say wait (then None)."""
    since = clock.to_utc_iso(throttle.counts_from(now))
    with transaction(db):
        by_account = scalar(
            db, f"SELECT count(*) FROM {table} WHERE {account_column} = ? AND at >= ? AND success = 0",
            (account, since))
        by_address = scalar(
            db, f"SELECT count(*) FROM {table} WHERE address = ? AND at >= ? AND success = 0", (address, since))
        if not throttle.allows(by_account, by_address):
            return None
        return db[table].insert(
            {"at": clock.to_utc_iso(now), account_column: account, "address": address, "success": 0}).last_pk


def login_succeeded(db, attempt_id, username):
    """The try was right after all; a successful log-in forgives the account's earlier failures."""
    with transaction(db):
        db.execute("DELETE FROM login_attempt WHERE username = ? AND success = 0 AND id != ?",
                   [username[:150], attempt_id])
        db.execute("UPDATE login_attempt SET success = 1 WHERE id = ?", [attempt_id])


# ------------------------------------------------------------------ the second factor


def second_factor_of(db, user_id):
    """The user's second factor row (its secret sealed), or None."""
    return one(db, "SELECT * FROM second_factor WHERE user_id = ?", [user_id])


def has_second_factor(db, user_id):
    """Whether the user signs in with a second factor (one confirmed, not just begun)."""
    return bool(scalar(db, "SELECT count(*) FROM second_factor WHERE user_id = ? AND secret IS NOT NULL", [user_id]))


def begin_enrolment(db, user_id, sealed_secret, now):
    """Keep a new secret until its first code confirms it; a second factor already in use stays as it is."""
    with transaction(db):
        db.execute("INSERT INTO second_factor (user_id, pending_secret, pending_at) VALUES (?, ?, ?) "
                   "ON CONFLICT (user_id) DO UPDATE SET pending_secret = excluded.pending_secret, "
                   "pending_at = excluded.pending_at", [user_id, sealed_secret, clock.to_utc_iso(now)])


def confirm_enrolment(db, user_id, step, recovery_hashes, keep_session, now):
    """The new secret is in use from its first code: new recovery codes, and every other session ends.

    Sessions from before the second factor were signed in without it; the
    one that enrolled has just given a code.
    """
    stamp = clock.to_utc_iso(now)
    with transaction(db):
        db.execute("UPDATE second_factor SET secret = pending_secret, pending_secret = NULL, pending_at = NULL, "
                   "confirmed_at = ?, last_step = ? WHERE user_id = ? AND pending_secret IS NOT NULL",
                   [stamp, step, user_id])
        _replace_recovery_codes(db, user_id, recovery_hashes, stamp)
        db.execute("UPDATE user_session SET ended_at = ? WHERE user_id = ? AND id != ? AND ended_at IS NULL",
                   [stamp, user_id, keep_session])


def replace_recovery_codes(db, user_id, recovery_hashes, now):
    """New recovery codes; the old ones stop working."""
    with transaction(db):
        _replace_recovery_codes(db, user_id, recovery_hashes, clock.to_utc_iso(now))


def _replace_recovery_codes(db, user_id, recovery_hashes, stamp):
    db.execute("DELETE FROM recovery_code WHERE user_id = ?", [user_id])
    db["recovery_code"].insert_all(
        {"user_id": user_id, "code_hash": code_hash, "created_at": stamp} for code_hash in recovery_hashes)


def use_step(db, user_id, step):
    """Take a code's time step as used; False when it (or a later one) was used already, as by a replay."""
    with transaction(db):
        return db.execute("UPDATE second_factor SET last_step = ? WHERE user_id = ? AND last_step < ?",
                          [step, user_id, step]).rowcount == 1


def unused_recovery_codes(db, user_id):
    """The user's recovery codes not yet used: their ids and hashes."""
    return list(db.query("SELECT id, code_hash FROM recovery_code WHERE user_id = ? AND used_at IS NULL",
                         [user_id]))


def use_recovery_code(db, code_id, now):
    """Spend a recovery code; False when it was spent already (two tries at once)."""
    with transaction(db):
        return db.execute("UPDATE recovery_code SET used_at = ? WHERE id = ? AND used_at IS NULL",
                          [clock.to_utc_iso(now), code_id]).rowcount == 1


def remove_second_factor(db, user_id):
    """The user signs in with a password only again (their own choice, or a leader's reset for a lost phone)."""
    with transaction(db):
        db.execute("DELETE FROM second_factor WHERE user_id = ?", [user_id])
        db.execute("DELETE FROM recovery_code WHERE user_id = ?", [user_id])


def set_second_factor_required(db, user_id, required):
    """Whether the school requires a second factor of this person (leaders and owners always have one)."""
    with transaction(db):
        db.execute("UPDATE user SET second_factor_required = ? WHERE id = ?", [int(required), user_id])


def begin_code_attempt(db, user_id, address, now, throttle):
    """Count a code as failed before it is checked, as log-ins are; its id, or None when tries must wait."""
    return _begin_attempt(db, "second_factor_attempt", "user_id", user_id, address, now, throttle)


def code_succeeded(db, attempt_id, user_id):
    """The code was right: the account's earlier failed codes are forgiven (not its failed passwords)."""
    with transaction(db):
        db.execute("DELETE FROM second_factor_attempt WHERE user_id = ? AND success = 0 AND id != ?",
                   [user_id, attempt_id])
        db.execute("UPDATE second_factor_attempt SET success = 1 WHERE id = ?", [attempt_id])
