"""Rendering pages and fragments, and the template filters every screen uses."""
import functools

from flask import render_template, request, templating
from flask_login import current_user
from markupsafe import Markup

from . import clock
from .db import row_type
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


class Environment(templating.Environment):
    """Flask's template environment, reading database rows cheaply.

    Templates read rows (dicts) and form values (MultiDicts) as
    `pupil.full_name`. Jinja tries a Python attribute first and reaches the
    key through an AttributeError, about a microsecond each time, hundreds of
    times on a list page. Here a dict's key is looked up first; a name that is
    not a key (`items`, `get`) still finds the method.
    """

    def getattr(self, obj, attribute):
        if isinstance(obj, dict):
            # asked first: a MultiDict's missing key raises a costly HTTP exception, even in .get()
            if attribute in obj:
                return obj[attribute]
            try:
                return getattr(obj, attribute)
            except AttributeError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


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


def cached_partial(template, **context):
    """A partial rendered once per distinct context, then served from memory.

    For markup that depends only on a few values and repeats on every page
    view: a fixed set of choices, a school's classes, its zones on the map.
    The context must be hashable (see `frozen`) and everything the partial
    shows — it sees no request, user or CSRF token of its own.
    """
    return _render_partial(template, request.script_root, tuple(sorted(context.items())))


# room for the feed items a school's leaders see besides the forms' fixed choices (a few MB)
@functools.lru_cache(maxsize=4096)
def _render_partial(template, script_root, context):
    """The rendering behind cached_partial (script_root is part of the key: the partial may build URLs)."""
    return Markup(render_template(template, **dict(context)))


def frozen(rows):
    """Rows as a tuple of named tuples: hashable, and read in templates like the dicts (`zone.name`)."""
    rows = list(rows)
    if not rows:
        return ()
    return tuple(row_type(tuple(rows[0]))(*row.values()) for row in rows)


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
