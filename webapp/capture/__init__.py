"""Capture: record a positive observation or a concern/incident on the phone in seconds.

Kind → pupils → save; then what was done: a note in each pupil's file when
solved on the spot, or a melding to leadership when it needs further work.
"""
from flask import Blueprint

bp = Blueprint("capture", __name__, url_prefix="/registrer")

from . import demo, panels, rules, views  # noqa: E402,F401  (routes, home panel and demo step register themselves)

# a melding's status line, spelled once for capture's and leadership's templates
bp.add_app_template_global(rules.melding_status_text, "melding_status_text")
