"""Demo data: fictional schools, people and records, so a newcomer sees Trygg in use.

Everything here is invented. `flask seed-demo` refuses to touch a database
that holds real schools.
"""
import random

from . import clock
from .db import scalar, transaction

DEMO_PASSWORD = "trygg-demo-2026"
DEMO_SCHOOL = "Solbakken skole"
SECOND_SCHOOL = "Fjordvik skole"

# username, full name, role, title, schools
DEMO_LOGINS = [
    ("ansatt", "Ingrid Solberg", "staff", "Lærer", [DEMO_SCHOOL]),
    ("leder", "Halvor Brekke", "leader", "Rektor", [DEMO_SCHOOL]),
    ("skoleeier", "Randi Aas", "owner", "Skolefaglig rådgiver, kommunen", [DEMO_SCHOOL, SECOND_SCHOOL]),
    ("admin", "Drift Trygg", "admin", "Driftsansvarlig", []),
    ("ansatt2", "Petter Lunde", "staff", "Lærer", [SECOND_SCHOOL]),
]
# each capability adds its demo records here: functions (db, context) run in order, the school's first
DEMO_STEPS = []


def demo_step(func):
    """Register a function that adds a capability's demo records."""
    DEMO_STEPS.append(func)
    return func


def has_real_schools(db):
    """Whether the database holds any school that is not demo data."""
    return bool(scalar(db, "SELECT count(*) FROM school WHERE is_demo = 0"))


def has_demo(db):
    """Whether the demo has been loaded already."""
    return bool(scalar(db, "SELECT count(*) FROM school WHERE is_demo = 1"))


def seed_demo(db, now=None):
    """Load the demo: every capability's step (the school's first) in one transaction; returns the users."""
    context = {"now": now or clock.now(), "rng": random.Random(2024)}
    with transaction(db):
        for step in DEMO_STEPS:
            step(db, context)
    return context["users"]


def login_summary():
    """The demo log-ins, for the terminal."""
    lines = [f"Demo-innlogging (passord for alle: {DEMO_PASSWORD}):"]
    for username, full_name, role, title, schools in DEMO_LOGINS:
        where = ", ".join(schools) or "alle skoler (drift)"
        lines.append(f"  {username:<10} {title} – {where}")
    return "\n".join(lines)
