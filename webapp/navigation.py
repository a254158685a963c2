"""The bottom navigation bar: what each role reaches with one thumb."""
from flask import request
from flask_login import current_user

from .access import allowed_roles

# (endpoint, label, icon) in the order shown; each appears for the roles
# that may open it, per the access table.
ITEMS = [
    ("home.index", "Hjem", "home"),
    ("duty.index", "Tilsyn", "shield"),
    ("observation_logs.index", "Observasjon", "eye"),
    ("feed.index", "Meldinger", "bell"),
    ("cases.index", "Saker", "folder"),
    ("school.index", "Skolen", "school"),
    ("admin.index", "Skoler", "school"),
]

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
    """The navigation entries the signed-in user may open, marking the current one."""
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
