"""Form ids: every form that makes a record gets a random id when it opens, so a resend makes no second record.

`new_client_id()` makes one, `valid_client_id()` tells one we (or an offline
phone) made from anything else. Capture keeps the id on the observation
itself; other "new record" forms (a melding entered by a leader, a talk, a
checklist) are stored once per (user, form id) here. Inside the write's
transaction the view asks `earlier()` whether this user already sent this
form; if so it answers as it did the first time, else it makes the record and
`remember()`s it. BEGIN IMMEDIATE serialises the two, so a double tap or a
resend after a timeout never makes a second record.
"""
import re
import secrets

from . import clock
from .db import scalar

# what a form id looks like: ours (token_urlsafe) or a phone's (crypto.randomUUID)
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")

INCOMPLETE = "Skjemaet var ufullstendig. Sjekk feltene og trykk «Lagre» en gang til."


def new_client_id():
    """A random id for a form, made when it opens."""
    return secrets.token_urlsafe(16)


def valid_client_id(text):
    """Whether a form id looks like one we (or an offline client) made."""
    return bool(CLIENT_ID.match(text or ""))


def client_id_of(form):
    """The form's id if it looks like one we made, else None."""
    value = form.get("client_id", "")
    return value if valid_client_id(value) else None


def earlier(db, user_id, form, client_id):
    """The record this user's earlier submission of the same form made, or None."""
    return scalar(db, "SELECT record_id FROM form_submission WHERE user_id = ? AND form = ? AND client_id = ?",
                  [user_id, form, client_id])


def remember(db, user_id, form, client_id, record_id):
    """Note that this submission made this record (inside the record's transaction)."""
    db.execute("INSERT INTO form_submission (user_id, form, client_id, record_id, created_at) "
               "VALUES (?, ?, ?, ?, ?)", [user_id, form, client_id, record_id, clock.utc_iso_now()])
