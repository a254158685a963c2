"""Log-in's rules, with time passed in: the password policy, idle sessions, the throttle, a device's name."""
from dataclasses import dataclass
from datetime import timedelta

# how stale "last_seen" may get before a request refreshes it: refreshing
# re-signs and re-sends the session cookie, so not on every request
LAST_SEEN_RESOLUTION = timedelta(minutes=1)

EASY_PASSWORDS = {"passord123", "trygg12345", "1234567890", "qwertyuiop"}


def password_problem(password):
    """A Norwegian message if a new password is too weak, else None."""
    if len(password) < 10:
        return "Passordet må ha minst 10 tegn."
    if password.lower() in EASY_PASSWORDS:
        return "Velg et passord som er vanskeligere å gjette."
    return None


def idle_too_long(last_seen, now, limit):
    """Whether a session last seen at `last_seen` (None: not yet) has been idle longer than `limit` at `now`."""
    return last_seen is not None and now - last_seen > limit


def moves_last_seen(last_seen, now, polling):
    """Whether a request at `now` marks the person as there, moving the session's `last_seen` on.

    A page polling on its own (the live feed, the badges) is not someone at
    the screen: a poll never refreshes a session, so a feed left open on an
    office computer still times out.
    """
    return last_seen is None or (not polling and now - last_seen >= LAST_SEEN_RESOLUTION)


@dataclass(frozen=True)
class Throttle:
    """How many failed log-ins within `minutes` an account and an address may have before further tries wait."""

    per_account: int
    per_address: int
    minutes: int

    def counts_from(self, now):
        """The moment from which failures count."""
        return now - timedelta(minutes=self.minutes)

    def allows(self, failures_of_account, failures_from_address):
        """Whether one more try may have its password checked."""
        return failures_of_account < self.per_account and failures_from_address < self.per_address


# (what the User-Agent says, the word shown), first match wins: Edge and Opera also say Chrome, Chrome also Safari
SYSTEMS = (("iPad", "iPad"), ("iPhone", "iPhone"), ("Android", "Android"), ("CrOS", "Chromebook"),
           ("Windows", "Windows"), ("Macintosh", "Mac eller iPad"), ("Linux", "Linux"))
BROWSERS = (("Edg", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser", "Samsung Internet"), ("Firefox", "Firefox"),
            ("FxiOS", "Firefox"), ("CriOS", "Chrome"), ("Chrome", "Chrome"), ("Safari", "Safari"))


def device_name(user_agent):
    """A device told apart in two words from its User-Agent ("iPhone, Safari"), or "Ukjent enhet"; nothing more.

    An iPad's Safari says it is a Mac, so a Mac says "Mac eller iPad".
    """
    system = next((word for mark, word in SYSTEMS if mark in user_agent), None)
    browser = next((word for mark, word in BROWSERS if mark in user_agent), None)
    return ", ".join(word for word in (system, browser) if word) or "Ukjent enhet"


# ------------------------------------------------------------------ the second factor and the idle warning

# roles that always sign in with a code; a leader may require it of anyone else at the school
SECOND_FACTOR_ROLES = {"leader", "owner"}
# how long after the password the code may be given, before the log-in starts again
SECOND_FACTOR_WAIT = timedelta(minutes=5)
# how long before an idle session ends the page warns
IDLE_WARNING = timedelta(minutes=2)


def second_factor_required(role, chosen_by_school):
    """Whether someone must sign in with a second factor: leaders and owners always, others if the school says so."""
    return role in SECOND_FACTOR_ROLES or bool(chosen_by_school)


def idle_seconds_left(last_seen, now, limit):
    """Whole seconds before a session last seen at `last_seen` ends for idleness at `now` (0 when it has)."""
    return max(0, int((last_seen + limit - now).total_seconds()))
