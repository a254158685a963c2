"""The demo's second factors: its leaders and owners have one, with a key printed for the demo (webapp/demo.py)."""
from .. import clock
from ..demo import DEMO_TOTP_SECRET, demo_step
from . import rules
from .second_factor import seal


@demo_step
def second_factor_demo(db, context):
    """Every demo leader and owner signs in with a code from an app that has the demo's key."""
    stamp = clock.to_utc_iso(context["now"])
    sealed = seal(DEMO_TOTP_SECRET)
    for user_id in context["users"].values():
        role = db["user"].get(user_id)["role"]
        if rules.second_factor_required(role, False):
            db["second_factor"].insert({"user_id": user_id, "secret": sealed, "confirmed_at": stamp})
