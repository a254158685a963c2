"""Rendering pages and fragments, and the template filters every screen uses."""
from flask import render_template, request
from flask_login import current_user

from . import clock
from .extensions import htmx


def is_htmx():
    """Any request sent by htmx (boosted navigation included)."""
    return bool(htmx)


def wants_json():
    """Whether the request asks for JSON rather than a page: the phone's outbox does (static/outbox.js)."""
    return request.accept_mimetypes.best == "application/json"


def wants_fragment():
    """Whether to answer with a fragment rather than the whole page.

    Boosted navigation and history restores send HX-Request too, but they
    need the whole page.
    """
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(template, partial=None, **context):
    """Render a page, or only its fragment when htmx asked for part of a page.

    With `partial`, a fragment request gets that template alone; without it,
    the page template renders just its content block (it extends
    `_fragment.html` instead of `base.html`).
    """
    fragment = wants_fragment()
    if fragment and partial:
        return render_template(partial, **context)
    return render_template(template, fragment=fragment, **context)


def init_app(app):
    """Register filters and the values every template can use."""
    app.jinja_env.filters["datetime"] = clock.format_datetime
    app.jinja_env.filters["time"] = clock.format_time
    app.jinja_env.filters["date"] = clock.format_date
    app.jinja_env.filters["longdate"] = clock.format_long_date

    # called by base.html alone: fragments (the feed's poll, a badge's refresh,
    # htmx swaps) never work out the tabs' links and badge counts
    app.jinja_env.globals["tabs"] = tabs
    app.jinja_env.globals["fragment"] = False


def tabs():
    """The tab bar's entries for the signed-in user; none before signing in or while setting a password or factor."""
    from .navigation import nav_items

    user = current_user
    # until then access.py lets them reach nothing else: tabs would lead nowhere, their badges' polls turned away
    if not user.is_authenticated or user.must_change_password or user.must_enrol_second_factor:
        return []
    return nav_items()
