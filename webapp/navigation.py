"""The bottom navigation bar: what each role reaches with one thumb."""
from flask import request
from flask_login import current_user

from .access import allowed_roles

# (endpoint, label, icon) in the order shown; each appears for the roles
# that may open it, per the access table.
ITEMS = [
    ("home.index", "Hjem", "home"),
    ("capture.index", "Registrer", "plus"),
    ("feed.index", "Meldinger", "bell"),
    ("cases.index", "Saker", "folder"),
    ("duty.index", "Tilsyn", "shield"),
    ("observation_logs.index", "Observasjon", "eye"),
    ("school.index", "Skolen", "school"),
    ("admin.index", "Skoler", "school"),
]
# more tabs than this do not fit a phone's width with readable labels:
# the rest go behind "Mer"
MAX_TABS = 5

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
    from flask import url_for

    items = all_nav_items()
    if len(items) <= MAX_TABS:
        return items
    shown, rest = items[:MAX_TABS - 1], items[MAX_TABS - 1:]
    more = {"url": url_for("home.more"), "label": "Mer", "icon": "more", "badge": 0, "badge_url": None,
            "current": request.endpoint == "home.more" or any(item["current"] for item in rest)}
    return shown + [more]


def all_nav_items():
    """Every navigation entry the signed-in user may open, marking the current one."""
    from flask import url_for

    items = []
    for endpoint, label, icon in ITEMS:
        roles = allowed_roles(endpoint)
        if roles and current_user.role in roles:
            blueprint = endpoint.split(".")[0]
            current = (request.endpoint == endpoint
                       or (blueprint != "home" and (request.endpoint or "").startswith(blueprint + ".")))
            count_of, refresh = BADGES.get(endpoint, (None, None))
            items.append({"url": url_for(endpoint), "label": label, "icon": icon, "current": current,
                          "badge": count_of(current_user) if count_of else 0,
                          "badge_url": url_for(refresh) if refresh else None})
    return items
