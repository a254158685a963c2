"""Feide's SQL: the owners' choices, accounts' Feide identities, and the basis groups Feide gives a school."""
from .. import clock
from ..db import one, scalar, transaction
from . import rules, texts

# ------------------------------------------------------------------ the owners' choices

NO_SETTINGS = {"enabled": 0, "mfa_required": 0, "passwords_off": 0}


def owner_settings(db, owner_id):
    """An owner's Feide choices (all off when never chosen)."""
    return one(db, "SELECT enabled, mfa_required, passwords_off FROM feide_owner WHERE owner_id = ?",
               [owner_id]) or dict(NO_SETTINGS)


def save_owner_settings(db, owner_id, *, enabled, mfa_required, passwords_off):
    """Store an owner's Feide choices for its schools."""
    with transaction(db):
        db["feide_owner"].upsert({"owner_id": owner_id, "enabled": int(enabled), "mfa_required": int(mfa_required),
                                  "passwords_off": int(passwords_off), "updated_at": clock.utc_iso_now()},
                                 pk="owner_id")


# an active owner account with Feide on, covering a school (its membership)
_OWNERS_ON = ("FROM feide_owner JOIN user owner ON owner.id = feide_owner.owner_id AND owner.role = 'owner' "
              "AND owner.active JOIN membership covers ON covers.user_id = owner.id WHERE feide_owner.enabled ")


def any_owner_on(db):
    """Whether some owner has switched Feide on (the log-in page then offers it)."""
    return bool(scalar(db, "SELECT 1 " + _OWNERS_ON + "LIMIT 1"))


def any_owner_requires_mfa(db):
    """Whether some owner with Feide on requires two factors (Trygg then asks Feide for them)."""
    return bool(scalar(db, "SELECT 1 " + _OWNERS_ON + "AND feide_owner.mfa_required LIMIT 1"))


def settings_for_user(db, user_id):
    """What the owners of a user's schools chose, together: Feide on, MFA required, passwords off (0/1 each)."""
    row = one(db, "SELECT count(*) AS enabled, coalesce(max(feide_owner.mfa_required), 0) AS mfa_required, "
                  "coalesce(max(feide_owner.passwords_off), 0) AS passwords_off " + _OWNERS_ON
                  + "AND covers.school_id IN (SELECT school_id FROM membership WHERE user_id = ?)", [user_id])
    return {"enabled": int(row["enabled"] > 0), "mfa_required": row["mfa_required"],
            "passwords_off": row["passwords_off"]}


def feide_on_at(db, school_id):
    """Whether an owner of this school has Feide on."""
    return bool(scalar(db, "SELECT 1 " + _OWNERS_ON + "AND covers.school_id = ? LIMIT 1", [school_id]))


def passwords_off_for(db, user):
    """Whether this account may not log in with a Trygg password: its school's owner uses Feide only.

    Operators and the owners' own accounts keep their passwords.
    """
    return user["role"] in ("staff", "leader") and bool(settings_for_user(db, user["id"])["passwords_off"])


# ------------------------------------------------------------------ accounts' Feide identities


def link_of(db, user_id):
    """An account's Feide identity, or None."""
    return one(db, "SELECT * FROM feide_link WHERE user_id = ?", [user_id])


def feide_id_taken(db, feide_id, user_id):
    """Whether another account has this feide-id."""
    return bool(scalar(db, "SELECT 1 FROM feide_link WHERE feide_id = ? AND user_id != ?", [feide_id, user_id]))


def set_feide_id(db, user_id, feide_id):
    """A leader's feide-id for an account ("" unlinks); a new one waits for its first log-in to learn `sub`."""
    with transaction(db):
        link = link_of(db, user_id)
        if not feide_id:
            db.execute("DELETE FROM feide_link WHERE user_id = ?", [user_id])
        elif link is None or (link["feide_id"] or "").lower() != feide_id:
            db["feide_link"].upsert({"user_id": user_id, "feide_id": feide_id, "sub": None,
                                     "linked_at": clock.utc_iso_now()}, pk="user_id")


def account_for(db, identity):
    """The account a Feide identity belongs to, or None: never one made on the fly.

    By Feide's stable id first; then by the feide-id a leader typed in, while no
    log-in has tied it to a `sub`; then by the e-mail a leader invited, on an
    account with no Feide identity yet, when exactly one account has it.
    """
    row = one(db, "SELECT user.* FROM feide_link JOIN user ON user.id = feide_link.user_id WHERE sub = ?",
              [identity.sub])
    if row is None and identity.feide_id:
        row = one(db, "SELECT user.* FROM feide_link JOIN user ON user.id = feide_link.user_id "
                      "WHERE feide_id = ? AND sub IS NULL", [identity.feide_id])
    if row is None and identity.email:
        invited = list(db.query(
            "SELECT * FROM user WHERE email = ? COLLATE NOCASE AND role IN ('staff', 'leader') "
            "AND id NOT IN (SELECT user_id FROM feide_link)", [identity.email]))
        row = invited[0] if len(invited) == 1 else None
    return row


def link_signed_in(db, user_id, identity):
    """After a Feide log-in: the account keeps Feide's ids; a one-time password nobody changed stops working."""
    with transaction(db):
        feide_id = identity.feide_id if identity.feide_id and not feide_id_taken(
            db, identity.feide_id, user_id) else None
        link = link_of(db, user_id)
        db["feide_link"].upsert({"user_id": user_id, "sub": identity.sub,
                                 "feide_id": feide_id or (link["feide_id"] if link else None),
                                 "linked_at": link["linked_at"] if link else clock.utc_iso_now()}, pk="user_id")
        db.execute("UPDATE user SET password_hash = NULL, must_change_password = 0 "
                   "WHERE id = ? AND must_change_password", [user_id])


# ------------------------------------------------------------------ basis groups (classes) from Feide


def save_groups(db, school_ids, groups, now):
    """The basis groups a teacher's log-in brought, kept for each of their schools (a leader's match stays)."""
    stamp = clock.to_utc_iso(now)
    with transaction(db):
        for school_id in school_ids:
            for key, name in groups:
                db.execute("INSERT INTO feide_group (school_id, group_key, name, seen_at) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT (school_id, group_key) DO UPDATE SET name = excluded.name, "
                           "seen_at = excluded.seen_at", [school_id, key, name, stamp])


def groups_of(db, school_id):
    """A school's basis groups from Feide, by name, with the Trygg class each is matched to."""
    return list(db.query("SELECT * FROM feide_group WHERE school_id = ? ORDER BY name, id", [school_id]))


def match_groups(db, school_id, matches):
    """Store {group id: class id or None} for the school's groups; the class must be the school's own."""
    with transaction(db):
        for group_id, class_id in matches.items():
            db.execute("UPDATE feide_group SET class_id = (SELECT id FROM school_class WHERE id = ? AND "
                       "school_id = ?) WHERE id = ? AND school_id = ?", [class_id, school_id, group_id, school_id])


def feide_id_problem(db, feide_id, user_id=0):
    """A Norwegian message if a leader's feide-id (cleaned) cannot be this account's, else None."""
    problem = rules.feide_id_problem(feide_id)
    if problem:
        return problem
    if feide_id and feide_id_taken(db, feide_id, user_id):
        return texts.FEIDE_ID_TAKEN
    return None
