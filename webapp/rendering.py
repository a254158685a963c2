"""Rendering pages and fragments, and the template filters every screen uses."""
from flask import render_template, request
from flask_login import current_user

from . import clock
from .extensions import htmx


def is_htmx():
    """Any request sent by htmx (boosted navigation included)."""
    return request.headers.get("HX-Request") == "true"


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

    @app.context_processor
    def globals_for_templates():
        from .navigation import nav_items

        return {
            "fragment": False,
            "nav_items": Lazy(lambda: nav_items() if current_user.is_authenticated else []),
        }


class Lazy:
    """A list worked out the first time a template uses it.

    Only base.html shows the tab bar; fragments (the feed's poll every few
    seconds, the tab badge's own refresh, htmx swaps) never pay for its URLs
    and badge counts.
    """

    def __init__(self, compute):
        self._compute = compute
        self._value = None

    def _items(self):
        """The list, computed once."""
        if self._value is None:
            self._value = list(self._compute())
        return self._value

    def __iter__(self):
        return iter(self._items())

    def __len__(self):
        return len(self._items())

    def __bool__(self):
        return bool(self._items())

    def __getitem__(self, index):
        return self._items()[index]
