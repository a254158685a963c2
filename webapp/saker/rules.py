"""The case routine ("Rutine for håndtering av krenkelser og mobbing") as plain rules.

Phases, the tasks of each phase with their time limits, due dates counted in
calendar days in Europe/Oslo, what is overdue, and where a melding is routed
(§12-5). Every function takes the moment or date it reasons about as a
parameter; none reads the clock.
"""
from datetime import date, datetime, timedelta

from .. import clock

# (key, label) in the routine's order
PHASES = [
    ("bekymring", "Bekymring"),
    ("undersokelse", "Undersøkelse"),
    ("utforme_tiltak", "Utforme tiltak"),
    ("iverksette_tiltak", "Iverksette tiltak"),
    ("evaluere_tiltak", "Evaluere tiltak"),
    ("folge_opp", "Følge opp"),
    ("avsluttet", "Avsluttet"),
]
PHASE_LABELS = dict(PHASES)
PHASE_KEYS = [key for key, _ in PHASES]

# The plan's time limits as calendar days from the start of the phase.
# "Umiddelbart" is the same day; the plan gives no number for "snarest mulig"
# and "snarest", so Trygg proposes 2 and 7 days (a leader can move any date).
TIME_LIMIT_DAYS = {"Umiddelbart": 0, "Snarest mulig": 2, "Snarest": 7}
EVALUATION_WEEKS = 6  # "Ved behov, senest etter seks uker"

# (phase, task key, title, time limit, responsible) — from the routine's table
TASKS = [
    ("bekymring", "bekymring_referat",
     "Bekymring/henvendelse knyttet til en elevs skolemiljø (referat)", "Ved kjennskap/mistanke",
     "Rektor/kontaktlærer"),
    ("undersokelse", "undersoke", "Rektor undersøker saken", "Umiddelbart", "Rektor/kontaktlærer"),
    ("undersokelse", "samtale_utsatt", "Samtaler med eleven som blir krenket/mobbet", "Umiddelbart",
     "Rektor/kontaktlærer"),
    ("undersokelse", "samtale_utsatt_foresatte",
     "Samtaler med foresatte til eleven som blir krenket/mobbet (samme dag som eleven) – send "
     "«Melding om mottatt bekymring for skolemiljøet»", "Umiddelbart", "Rektor/kontaktlærer"),
    ("undersokelse", "samtale_utover",
     "Samtaler med eleven(e) som krenker/mobber (en om gangen, i rask rekkefølge)", "Snarest mulig",
     "Rektor/kontaktlærer"),
    ("undersokelse", "samtale_utover_foresatte",
     "Samtaler med foresatte til eleven(e) som krenker/mobber (samme dag som eleven)",
     "Snarest mulig", "Rektor/kontaktlærer"),
    ("undersokelse", "undersokelser_fortsetter",
     "Undersøkelser fortsetter (spørreundersøkelser, observasjoner, elevsamtaler)", "Snarest mulig",
     "Rektor/kontaktlærer"),
    ("utforme_tiltak", "tiltaksteam",
     "Rektor nedsetter et team for intervensjonen; utkast til aktivitetsplan", "Snarest",
     "Rektor/kontaktlærer"),
    ("utforme_tiltak", "mote_elev_foresatte",
     "Møte med elev og foresatte: de medvirker om tiltakene som skal iverksettes", "Snarest",
     "Rektor/kontaktlærer"),
    ("iverksette_tiltak", "iverksette", "Iverksette tiltak – fylle ut aktivitetsplanen løpende",
     "Snarest", "Intervensjonsteam"),
    ("iverksette_tiltak", "oppfolgingssamtaler", "Jevnlige oppfølgingssamtaler med involverte elever",
     "Snarest", "Intervensjonsteam"),
    ("evaluere_tiltak", "evalueringsmote",
     "Møte med foresatte: aktivitetsplanen evalueres, videre oppfølging avtales",
     "Ved behov, senest etter seks uker", "Intervensjonsteam og rektor"),
    ("folge_opp", "oppfolging", "Oppfølging etter at den negative atferden har opphørt", "",
     "Rektor"),
]

# talk kinds and the routine task a referat of that kind completes
TALK_KINDS = [
    ("utsatt", "Samtale med eleven som blir krenket/mobbet", "samtale_utsatt"),
    ("utsatt_foresatte", "Samtale med foresatte til eleven som blir krenket/mobbet",
     "samtale_utsatt_foresatte"),
    ("utover", "Samtale med eleven som krenker/mobber", "samtale_utover"),
    ("utover_foresatte", "Samtale med foresatte til eleven som krenker/mobber",
     "samtale_utover_foresatte"),
    ("tiltak_mote", "Møte med elev og foresatte om tiltak", "mote_elev_foresatte"),
    ("oppfolging", "Oppfølgingssamtale", "oppfolgingssamtaler"),
    ("evaluering", "Evalueringsmøte med foresatte", "evalueringsmote"),
    ("annet", "Annen samtale eller møte", None),
]
TALK_LABELS = {key: label for key, label, _ in TALK_KINDS}
TALK_TASKS = {key: task for key, _, task in TALK_KINDS if task}


def next_phase(phase):
    """The phase after this one, or None at the end."""
    index = PHASE_KEYS.index(phase)
    return PHASE_KEYS[index + 1] if index + 1 < len(PHASE_KEYS) else None


def phase_index(phase):
    """The phase's position in the routine (0 = Bekymring)."""
    return PHASE_KEYS.index(phase)


def measures_started_on(start_dates):
    """When a case's measures started: the earliest start date of its tiltak (None before any has one)."""
    dates = [as_date(value) for value in start_dates if value]
    return min(dates) if dates else None


def evaluation_due(measures_started_on):
    """The latest date for evaluating measures: six weeks (calendar days) after they start.

    The one rule for the six weeks: counted from the day the measures started
    (`measures_started_on`), never from a phase change; None before they have a start.
    """
    if measures_started_on is None:
        return None
    return as_date(measures_started_on) + timedelta(weeks=EVALUATION_WEEKS)


def task_due(time_limit, phase_started_on):
    """A task's due date from the plan's time limit and the day its phase began; None if none."""
    days = TIME_LIMIT_DAYS.get(time_limit)
    return None if days is None else phase_started_on + timedelta(days=days)


def tasks_for_phase(phase, started_on, measures_started_on=None):
    """The routine's tasks for a phase, with due dates (dicts ready to store).

    Entering Iverksette tiltak also schedules the evaluation, because the plan's
    six weeks run from the start of the measures, not from the next phase: its
    due date is `evaluation_due(measures_started_on)` (none while no tiltak has a start).
    """
    planned = []
    for order, (task_phase, key, title, limit, _) in enumerate(TASKS):
        if task_phase != phase and not (phase == "iverksette_tiltak" and task_phase == "evaluere_tiltak"):
            continue
        if task_phase == "evaluere_tiltak":
            due = evaluation_due(measures_started_on)
        else:
            due = task_due(limit, started_on)
        planned.append({"phase": task_phase, "task_key": key, "title": title, "time_limit": limit,
                        "due_on": due, "sort_order": order})
    return planned


def as_date(value):
    """A date from a date, a 'YYYY-MM-DD' string or None."""
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    return date.fromisoformat(str(value)[:10])


def is_overdue(task, today):
    """Whether an open task's due date has passed (calendar days, Europe/Oslo): due today is not late."""
    due = as_date(task.get("due_on"))
    return task.get("done_at") is None and due is not None and due < today


def days_overdue(task, today):
    """How many calendar days past due an open task is (0 when not overdue)."""
    return (today - as_date(task["due_on"])).days if is_overdue(task, today) else 0


def open_tasks_of_phase(tasks, phase):
    """The tasks of a phase not yet done: moving on with any of them needs a confirmed reason."""
    return [task for task in tasks if task["phase"] == phase and task.get("done_at") is None]


def oslo_date(moment):
    """The calendar date in Europe/Oslo of an aware datetime."""
    return moment.astimezone(clock.OSLO).date()


# ------------------------------------------------------------------ §12-5 routing

LEADERSHIP, OWNER = "leadership", "owner"


def recipients(melding):
    """Who a melding goes to at once: leadership, the school owner, or both (§12-5).

    "Ansatt krenker elev" goes to leadership and the owner at once; when it
    concerns a leader, straight to the owner and not to leadership.
    """
    if melding.get("section_12_5") and melding.get("concerns_leader"):
        return {OWNER}
    if melding.get("section_12_5"):
        return {LEADERSHIP, OWNER}
    return {LEADERSHIP}


def unacknowledged_too_long(melding, now, alert_minutes):
    """Whether a melding has waited for acknowledgement longer than the school allows."""
    if melding.get("acknowledged_at") or melding.get("status") != "ny":
        return False
    waited = now - clock.parse(melding["created_at"])
    return waited > timedelta(minutes=alert_minutes)


def needs_attention(melding, now, alert_minutes):
    """Whether a melding is highlighted on the leader's home screen."""
    open_melding = melding.get("status") == "ny"
    return open_melding and (bool(melding.get("section_12_5"))
                             or unacknowledged_too_long(melding, now, alert_minutes))
