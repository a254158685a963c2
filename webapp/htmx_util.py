"""What kind of htmx request this is, decided in one place."""
from flask import request

from . import htmx


def is_htmx():
    """Any request sent by htmx (boosted navigation included)."""
    return request.headers.get("HX-Request") == "true"


def wants_fragment():
    """Whether to answer with a fragment rather than the whole page.

    Boosted navigation and history restores send HX-Request too, but they
    need the whole page.
    """
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request
