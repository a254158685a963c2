"""Demo data: fictional schools, people and records, so a newcomer sees Trygg in use.

Everything here is invented. `flask seed-demo` refuses to touch a database
that holds real schools.
"""
import random
from datetime import datetime, time, timedelta

from . import clock
from .db import scalar, transaction

DEMO_PASSWORD = "trygg-demo-2026"
# the demo's leaders and owners sign in with a code from an authenticator app given this key
# (webapp/auth/demo.py); public, as the password is: only for the fictional demo
DEMO_TOTP_SECRET = "TRYGGDEMOKODEFORLEDERESKOLEEIERE"
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

# The demo school's day, Oslo time, Monday to Friday: out in the yard before school and in the breaks
# (the tilsynsplan's slots), lessons in between, SFO from 13:30 until it closes at 16:30. Nothing in
# the demo happens at night or at a weekend.
DAY_STARTS, DAY_ENDS = time(8, 0), time(16, 30)
YARD = [(time(8, 20), time(8, 30)), (time(9, 45), time(10, 0)), (time(11, 15), time(12, 15))]
LESSONS = [(time(8, 30), time(9, 45)), (time(10, 0), time(11, 15)), (time(12, 15), time(13, 30))]
TRANSITIONS = [(time(9, 40), time(9, 45)), (time(11, 10), time(11, 15)), (time(12, 15), time(12, 20))]
SFO = [(time(13, 30), time(16, 15))]  # what happens at SFO is recorded before it closes

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
    lines.append(f"Ledere og skoleeiere logger inn med en kode i tillegg: legg nøkkelen {DEMO_TOTP_SECRET} inn i en "
                 "app for engangskoder (Microsoft/Google Authenticator, FreeOTP), eller vis koden med")
    lines.append(f"  .venv/bin/python -c \"import pyotp; print(pyotp.TOTP('{DEMO_TOTP_SECRET}').now())\"")
    return "\n".join(lines)


# ------------------------------------------------------------------ school time, for every demo step

def at(day, clock_time):
    """A clock time on a day, in Oslo."""
    return datetime.combine(day, clock_time, tzinfo=clock.OSLO)


def _school_day_before(day):
    """The last weekday before a date."""
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _school_day_after(day):
    """The first weekday after a date."""
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def last_school_moment(now):
    """`now` in school time, else the school time that ended last (Friday 16:30 on a Saturday)."""
    local = now.astimezone(clock.OSLO)
    day = local.date()
    if day.weekday() >= 5 or local < at(day, DAY_STARTS):
        return at(_school_day_before(day), DAY_ENDS)
    return min(local, at(day, DAY_ENDS))


def school_day(now, back=0):
    """The school day `back` school days before the last one up to `now` (0: that day itself)."""
    day = last_school_moment(now).date()
    for _ in range(back):
        day = _school_day_before(day)
    return day


def school_time_before(moment, span):
    """The moment `span` of school time before `moment`: nights and weekends do not count."""
    local = last_school_moment(moment)
    while local - span < at(local.date(), DAY_STARTS):
        span -= local - at(local.date(), DAY_STARTS)
        local = at(_school_day_before(local.date()), DAY_ENDS)
    return local - span


def school_time_after(moment, span):
    """The moment `span` of school time after `moment` (a school-time moment)."""
    local = moment.astimezone(clock.OSLO)
    while local + span > at(local.date(), DAY_ENDS):
        span -= at(local.date(), DAY_ENDS) - local
        local = at(_school_day_after(local.date()), DAY_STARTS)
    return local + span


def moment_in(rng, day, windows):
    """A random moment on a day within one of the (start, end) clock-time windows."""
    start, end = rng.choice(windows)
    seconds = (at(day, end) - at(day, start)).total_seconds()
    return at(day, start) + timedelta(seconds=rng.randint(0, int(seconds)))


def latest_in(windows, before):
    """The latest school-day moment within one of the windows, at or before `before`."""
    day = before.astimezone(clock.OSLO).date()
    while True:
        if day.weekday() < 5:
            ends = [min(at(day, end), before) for start, end in windows if at(day, start) <= before]
            if ends:
                return max(ends)
        day -= timedelta(days=1)
