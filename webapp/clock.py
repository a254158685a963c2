"""Time in Trygg: stored as UTC, shown and reasoned about in Europe/Oslo.

Domain rules take `now` as a parameter; views get it from `now()`, which a
test (or a demo) can pin with the NOW setting.
"""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

OSLO = ZoneInfo("Europe/Oslo")

WEEKDAYS = ["Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag"]
MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli",
          "august", "september", "oktober", "november", "desember"]


def now():
    """The current moment as an aware datetime in Europe/Oslo (NOW setting pins it)."""
    pinned = current_app.config.get("NOW") if has_app_context() else None
    if pinned:
        moment = pinned() if callable(pinned) else parse(pinned)
        return moment.astimezone(OSLO)
    return datetime.now(OSLO)


def parse(text):
    """An ISO 8601 timestamp as an aware datetime (naive ones are taken as Oslo time)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=OSLO)
    return moment


def to_utc_iso(moment):
    """The form timestamps are stored in: UTC, seconds precision."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def utc_iso_now():
    """Now, as stored."""
    return to_utc_iso(now())


def local(text_or_moment):
    """A stored timestamp as an Oslo datetime."""
    moment = parse(text_or_moment) if isinstance(text_or_moment, str) else text_or_moment
    return moment.astimezone(OSLO)


def today():
    """Today's date at the school."""
    return now().date()


def format_datetime(value):
    """'26.11.2026 kl. 09:15' for a stored timestamp."""
    if not value:
        return ""
    moment = local(value)
    # the same text as strftime("%d.%m.%Y kl. %H:%M") at a third of the cost: lists show dozens
    return "%02d.%02d.%d kl. %02d:%02d" % (moment.day, moment.month, moment.year, moment.hour, moment.minute)


def format_time(value):
    """'09:15' for a stored timestamp."""
    return local(value).strftime("%H:%M") if value else ""


def format_date(value):
    """'26.11.2026' for a date, a 'YYYY-MM-DD' string or a timestamp."""
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10]) if len(value) == 10 else local(value).date()
    elif isinstance(value, datetime):
        value = value.astimezone(OSLO).date()
    return value.strftime("%d.%m.%Y")


def format_long_date(value):
    """'torsdag 26. november 2026'."""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return f"{WEEKDAYS[value.weekday()].lower()} {value.day}. {MONTHS[value.month - 1]} {value.year}"
