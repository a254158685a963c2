"""The bottom navigation bar: what each role reaches with one thumb."""
from flask import request, url_for
from flask_login import current_user

from .access import allowed_roles

# (endpoint, label, icon) in the order shown; each appears for the roles
# that may open it, per the access table.
ITEMS = [
    ("home.index", "Hjem", "home"),
    ("capture.index", "Registrer", "plus"),
    ("feed.index", "Meldinger", "bell"),
    ("saker.index", "Saker", "folder"),
    ("duty.index", "Tilsyn", "shield"),
    ("observation_logs.index", "Observasjon", "eye"),
    ("hotspots.index", "Hvor og når", "map"),
    ("survey.index", "Skolegården", "map"),
    ("school.index", "Skolen", "school"),
    ("retention.index", "Oppbevaring", "folder"),
    ("admin.index", "Skoler", "school"),
]
# more tabs than this do not fit a phone's width with readable labels:
# the rest go behind "Mer"
MAX_TABS = 5

# Capabilities add panels to the home screen: functions taking the user and
# returning a dict for a template partial, or None to show nothing. A panel's
# "order" (default 50, lower first) may depend on the user's role: what a
# leader needs first is not what someone on duty needs first.
HOME_PANELS = []


def home_panel(func):
    """Register a function that contributes a panel to the home screen."""
    HOME_PANELS.append(func)
    return func


# endpoint → (function (user) → count shown as a badge on that tab (0: none),
#             endpoint answering the badge alone, so it can refresh itself, or None)
BADGES = {}


def badge(endpoint, refresh=None):
    """Register a function that gives the badge count for a tab (and where to refresh it)."""
    def register(func):
        """Keep the function for the endpoint's tab."""
        BADGES[endpoint] = (func, refresh)
        return func
    return register


def nav_items():
    """The tabs for the signed-in user: the first few they may open, then "Mer" for the rest."""
    items = all_nav_items()
    if len(items) <= MAX_TABS:
        return items
    shown, rest = items[:MAX_TABS - 1], items[MAX_TABS - 1:]
    more = {"url": url_for("home.more"), "label": "Mer", "icon": "more", "badge": 0, "badge_url": None,
            "current": request.endpoint == "home.more" or any(item["current"] for item in rest)}
    return shown + [more]


def all_nav_items():
    """Every navigation entry the signed-in user may open, marking the current one."""
    items = []
    here = request.endpoint or ""
    for endpoint, label, icon in ITEMS:
        if current_user.role not in (allowed_roles(endpoint) or ()):
            continue
        blueprint = endpoint.split(".")[0]
        current = here == endpoint or (blueprint != "home" and here.startswith(blueprint + "."))
        count_of, refresh = BADGES.get(endpoint, (None, None))
        items.append({"url": url_for(endpoint), "label": label, "icon": icon, "current": current,
                      "badge": count_of(current_user) if count_of else 0,
                      "badge_url": url_for(refresh) if refresh else None})
    return items
