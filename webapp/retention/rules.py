"""How long each kind of record is kept: the one table, and the dates it works out (time passed in).

Cases about a pupil's school environment are kept for ever: Riksarkivarens
forskrift § 7-28 says "saker om fysisk og psykososialt skolemiljø" are to be
kept (bevares). Trygg never deletes a sak, its meldinger, talks, aktivitetsplan
or letters; a closed sak is handed to the municipality's archive. The one
record Trygg deletes is a note "løst der og da" that never became part of a
sak, N months after the school year it was made in ends (the owner sets N).
"""
import calendar
from datetime import date, datetime, time, timedelta

from .. import clock

# the school year runs from 1 August to 31 July (opplæringslova's school year, as the schools plan it)
SCHOOL_YEAR_STARTS = (8, 1)
SOLVED_NOTE_MONTHS_DEFAULT = 12
SOLVED_NOTE_MONTHS_RANGE = (1, 120)

KEEP_FOREVER = "bevares"
DELETE_AFTER_SCHOOL_YEAR = "slettes"
KEPT = "beholdes"

# what each kind of record is, what becomes of it and why; `months` marks the one rule an owner sets
RULES = (
    {"key": "sak", "record": "Saker om elevens skolemiljø (§ 12-4 og § 12-5)",
     "includes": "Meldinger i saken, samtaler og referater, aktivitetsplan med tiltak, barnets beste, "
                 "brev til foresatte, observasjoner som er lagt til saken og sakens historikk",
     "rule": KEEP_FOREVER,
     "text": "Bevares for alltid. Trygg sletter dem aldri. En avsluttet sak leveres til kommunens arkiv "
             "som arkivuttrekk (Word og PDF/A med metadata) og merkes som arkivert.",
     "basis": "Riksarkivarens forskrift § 7-28: saker om fysisk og psykososialt skolemiljø skal bevares."},
    {"key": "solved_note", "record": "Notater «løst der og da»",
     "includes": "En hendelse som ble løst på stedet, med notatet i elevmappen, når den aldri ble del av en sak",
     "rule": DELETE_AFTER_SCHOOL_YEAR, "months": True,
     "text": "Slettes {months} måneder etter at skoleåret er slutt (skoleåret slutter 31. juli). "
             "Et notat som hører til en melding eller en sak, slettes ikke.",
     "basis": "Dokumentasjonen skal ikke oppbevares lenger enn nødvendig (personvernforordningen art. 5). "
              "Skoleeier bestemmer antall måneder."},
    {"key": "melding", "record": "Meldinger og hendelser som krever videre arbeid",
     "includes": "Meldinger til skoleledelsen og hendelsene de kom fra, også når de ikke ble en sak",
     "rule": KEPT,
     "text": "Beholdes. Trygg sletter dem ikke automatisk.",
     "basis": "En melding er dokumentasjon av at aktivitetsplikten ble fulgt (opplæringsloven § 12-4)."},
    {"key": "observation_plan", "record": "Systematisk observasjon (Vedlegg 8)",
     "includes": "Planen, fordelingen, loggene og det som ble tatt med fra tilsyn",
     "rule": KEPT,
     "text": "Beholdes. Trygg sletter dem ikke automatisk; lagt til en sak bevares de med saken.",
     "basis": "Del av skolens undersøkelser (opplæringsloven § 12-4)."},
    {"key": "audit_log", "record": "Logg over hvem som har sett og endret opplysninger",
     "includes": "Visninger, eksporter, endringer og slettinger, med id-er og uten navn",
     "rule": KEPT,
     "text": "Beholdes. Også slettingene etter disse reglene står i loggen, med id-er og uten navn.",
     "basis": "Viser hvem som har sett opplysninger om en elev."},
)


def rule_texts(months):
    """The table as leaders read it, with the owner's number of months filled in."""
    return [{**rule, "text": rule["text"].format(months=months)} for rule in RULES]


def school_year_start(day):
    """The first day (1 August) of the school year `day` falls in."""
    month, first = SCHOOL_YEAR_STARTS
    year = day.year if (day.month, day.day) >= (month, first) else day.year - 1
    return date(year, month, first)


def school_year_end(day):
    """The last day (31 July) of the school year `day` falls in."""
    start = school_year_start(day)
    return date(start.year + 1, start.month, start.day) - timedelta(days=1)


def add_months(day, months):
    """`day` moved on by whole months (the last day of a shorter month where the day is past it)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def solved_note_due_on(observed_on, months):
    """The day a note "løst der og da" from `observed_on` is deleted: `months` after its school year ends."""
    return add_months(school_year_end(observed_on) + timedelta(days=1), months)


def solved_notes_due_before(today, months):
    """Notes observed before this local date are due on `today`: the start of the newest school year whose
    notes have waited `months` after it ended."""
    next_year_start = school_year_start(today)
    while add_months(next_year_start, months) > today:
        next_year_start = date(next_year_start.year - 1, next_year_start.month, next_year_start.day)
    return next_year_start


def clean_slate_start(today):
    """Where lists and the chronology begin unless older is asked for: the start of last school year."""
    start = school_year_start(today)
    return date(start.year - 1, start.month, start.day)


def start_of_day_utc(day):
    """A local date's first moment as a stored (UTC) timestamp, to compare with stored times."""
    return clock.to_utc_iso(datetime.combine(day, time(0), tzinfo=clock.OSLO))


def clean_slate_since(now):
    """The stored timestamp lists begin at by default (this and last school year)."""
    return start_of_day_utc(clean_slate_start(now.date()))


def wants_older(args):
    """Whether a list was asked to show older records too (the "Vis eldre" link's `eldre=1`)."""
    return args.get("eldre") == "1"


def can_archive(sak):
    """A sak can be handed to the archive once closed, and is marked archived once."""
    return sak["phase"] == "avsluttet" and not sak["archived_at"]


def valid_months(value):
    """An owner's number of months when it is one Trygg accepts, else None."""
    low, high = SOLVED_NOTE_MONTHS_RANGE
    return value if isinstance(value, int) and low <= value <= high else None
