"""The bottom navigation bar: what each role reaches with one thumb."""
from flask import request
from flask_login import current_user

from .access import allowed_roles

# (endpoint, label, icon) in the order shown; each appears for the roles
# that may open it, per the access table.
ITEMS = [
    ("home.index", "Hjem", "home"),
    ("capture.index", "Registrer", "plus"),
    ("school.index", "Skolen", "school"),
    ("admin.index", "Skoler", "school"),
]


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
            items.append({"url": url_for(endpoint), "label": label, "icon": icon, "current": current})
    return items
