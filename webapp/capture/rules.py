"""The rules of capture: what a valid observation is, how it is summarised, when it may be corrected.

Plain functions of their inputs (time passed in as `now`), so they are
tested without a server. The words and codes here are shared with the
leadership and observation-log capabilities: import the dicts rather than
spelling the codes again.
"""
import hashlib
import json
from datetime import date, datetime, time, timedelta

from .. import clock
from ..docx_text import xml_safe
from ..school.rules import left_school_problem, valid_point, zone_at
from ..scope import parse_id

KINDS = {"positive": "Positivt", "concern": "Bekymring / hendelse"}
# the kind as it appears in URLs (Norwegian, as the user sees it)
KIND_SLUGS = {"positiv": "positive", "bekymring": "concern"}
SLUG_OF_KIND = {kind: slug for slug, kind in KIND_SLUGS.items()}

CONTEXTS = {
    "friminutt": "Friminutt",
    "sfo_utelek": "SFO utelek",
    "sfo_innelek": "SFO innelek",
    "overgang": "Overgang",
    "klasserom": "Klasserom",
    "skolevei": "Skolevei",
    "tur": "Tur",
    "digital": "Digitalt",
}
SFO_CONTEXTS = ("sfo_utelek", "sfo_innelek")

# the plan's kinds of offence, with its own examples as hints
OFFENCE_TYPES = {
    "fysisk": ("Fysisk", "dytte, slå, sparke"),
    "verbal": ("Verbal", "trusler, kommentarer"),
    "indirekte": ("Indirekte", "blikk, kroppsspråk, ignorering, plassering"),
    "digital": ("Digital", "sosiale medier, spill"),
}
LABELS = {
    "vold": "Vold",
    "rasisme": "Rasisme",
    "identitetsbasert": "Identitetsbasert krenkelse/diskriminering",
    "trakassering": "Trakassering",
    "mulig_mobbing": "Mulig mobbing",
    "utenforskap": "Utenforskap / går alene",
    "konflikt": "Konflikt",
    "ansatt_krenker_elev": "Ansatt krenker elev (§ 12-5)",
}
SECTION_12_5_LABEL = "ansatt_krenker_elev"
# what a positive observation was about (feeds the 5:1 balance)
POSITIVE_LABELS = {
    "inkludering": "Inkluderer andre",
    "hjelper": "Hjelper andre",
    "leker_sammen": "Leker sammen",
}
ALL_LABELS = {**LABELS, **POSITIVE_LABELS}

CONCERN_ROLES = {"utsatt": "Utsatt", "utøver": "Utøver", "tilskuer": "Tilskuer"}
POSITIVE_ROLE = "med"
ROLES = {**CONCERN_ROLES, POSITIVE_ROLE: "Med"}

OUTCOMES = {"solved": "Løst der og da", "follow_up": "Krever videre arbeid"}

# The plan's rule for observers (Vedlegg 8:3), word for word.
OBSERVER_RULE = ("Under observasjonen er det viktig at du skriver det du ser, "
                 "ikke det du tror du ser. Vær kort og konkret i beskrivelsene.")

CORRECTION_WINDOW = timedelta(minutes=60)
# "recent" pupils: from one's own latest records (enough for the 12 shown, read on every capture)
RECENT_PUPILS_DAYS = 30
RECENT_RECORDS = 30
MAX_BACKDATE = timedelta(days=30)
# a phone's clock may run a little ahead of the server's
FUTURE_TOLERANCE = timedelta(minutes=2)
MAX_TEXT = 4000
MAX_ADULT = 200
# SFO staff recording after this (Oslo time) are at SFO: the school day is over
SFO_FROM = time(13, 30)


def melding_status_text(acknowledged_at, acknowledged_by_name):
    """What the author of a melding sees of it: 'Mottatt av … kl. …' once a leader has acknowledged it.

    The one spelling of a melding's status line, for capture's lists and receipt and the feed.
    """
    if acknowledged_at:
        return (f"Mottatt av {acknowledged_by_name or 'skoleledelsen'} kl. {clock.format_time(acknowledged_at)} "
                f"{clock.format_date(acknowledged_at)}")
    return "Sendt – ikke mottatt ennå"


def default_context(now, duty_session=None, title=""):
    """The context the form starts with, or "" when it cannot be known and the user must choose it.

    A duty in progress is tilsyn: friminutt. SFO staff (their title says SFO) after the school
    day are at SFO, indoors in the dark months. Anyone else off duty could be in a classroom, on
    the way home or on a trip: guessing would file the record in the wrong Vedlegg 8:3 section
    without anyone noticing, so the form asks (one tap, the last context used offered first).
    """
    if duty_session is not None:
        return "friminutt"
    local = now.astimezone(clock.OSLO)
    if "sfo" in (title or "").lower() and local.time() >= SFO_FROM:
        return "sfo_innelek" if local.month in (11, 12, 1, 2) else "sfo_utelek"
    return ""


def makes_melding(record):
    """Whether a checked record goes to leadership as a melding ("krever videre arbeid" or § 12-5)."""
    return record["kind"] == "concern" and (record["outcome"] == "follow_up" or bool(record["section_12_5"]))


def can_correct(observation, now):
    """Whether the author may still correct the record (a short window after it was recorded)."""
    return now - clock.local(observation["recorded_at"]) <= CORRECTION_WINDOW


def _date(text):
    """A date from 'YYYY-MM-DD' (what a date field sends) or 'dd.mm.yyyy', or None."""
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime((text or "").strip(), pattern).date()
        except ValueError:
            pass
    return None


def _time(text):
    """A clock time from 'HH:MM' (what a time field sends) or 'HH.MM', or None."""
    try:
        return datetime.strptime((text or "").strip().replace(".", ":"), "%H:%M").time()
    except ValueError:
        return None


def observed_moment(form, now):
    """When it happened: the moment the form opened, unless the user changed the date or time.

    Returns (aware datetime or None, error message or None).
    """
    opened = None
    try:
        opened = clock.local(form.get("opened_at", "")) if form.get("opened_at") else None
    except ValueError:
        opened = None
    day, moment = _date(form.get("observed_date")), _time(form.get("observed_time"))
    if not form.get("observed_time") and opened:
        return opened, None
    if moment is None:
        return None, "Skriv klokkeslettet som TT:MM, for eksempel 10:15."
    if day is None:
        if form.get("observed_date"):
            return None, "Skriv datoen som dd.mm.åååå."
        day = now.astimezone(clock.OSLO).date()
    if opened and opened.date() == day and (opened.hour, opened.minute) == (moment.hour, moment.minute):
        return opened, None  # unchanged: keep the seconds of the first tap
    return datetime.combine(day, moment, tzinfo=clock.OSLO), None


def _float(text):
    """A number from a form field, or None."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if value == value else None  # NaN is not a point


def typed_text(text):
    """Text typed or pasted into a field as it is kept: plain line breaks, no spaces around it.

    Word's line breaks (\\x0b) and other control characters in pasted text would break exports.
    """
    return xml_safe((text or "").replace("\r\n", "\n")).strip()


def melding_facts(text):
    """What was seen, written when a record without it becomes a melding: (text, problem or None)."""
    facts = typed_text(text)
    if not facts:
        return facts, "Skriv hva du så. Meldingen til skoleledelsen må si hva som skjedde."
    if len(facts) > MAX_TEXT:
        return facts, f"Teksten er for lang (høyst {MAX_TEXT} tegn)."
    return facts, None


def parse_capture(form, now, *, pupil_ids, zones, has_map, left=None):
    """Check a submitted capture form.

    :param form: a MultiDict (request.form)
    :param pupil_ids: ids of the school's pupils (at the school now)
    :param left: {id: name} of the school's pupils chosen who have left the school
    :param zones: the school's active zones (dicts with id, polygon)
    :param has_map: called, only when a point on the map was sent, to ask whether the school has a map
    :returns: (record, errors); errors maps a field name to a Norwegian message
    """
    errors = {}
    record = {}
    kind = form.get("kind")
    if kind not in KINDS:
        errors["kind"] = "Velg om det er positivt eller en bekymring/hendelse."
        kind = None
    record["kind"] = kind

    observed, problem = observed_moment(form, now)
    if problem:
        errors["observed_time"] = problem
    elif observed > now + FUTURE_TOLERANCE:
        errors["observed_time"] = "Tidspunktet kan ikke være fram i tid."
    elif observed < now - MAX_BACKDATE:
        errors["observed_time"] = "Tidspunktet er mer enn 30 dager tilbake. Sjekk datoen."
    record["observed_at"] = observed

    context = form.get("context") or ""
    if not context:
        errors["context"] = "Velg sammenheng: hvor det skjedde (friminutt, SFO, klasserom …)."
    elif context not in CONTEXTS:
        errors["context"] = "Velg hvor det skjedde fra listen (friminutt, SFO, overgang …)."
    record["context"] = context

    zone_ids = {zone["id"] for zone in zones}
    zone_id = None
    if form.get("zone_id"):
        zone_id = parse_id(form["zone_id"]) or -1
        if zone_id not in zone_ids:
            errors["zone_id"] = "Velg en sone fra listen."
            zone_id = None
    map_x, map_y = form.get("map_x", "").strip(), form.get("map_y", "").strip()
    record["map_x"] = record["map_y"] = None
    if map_x or map_y:
        x, y = _float(map_x), _float(map_y)
        if not valid_point(x, y) or not has_map():
            errors["map"] = "Punktet på kartet ligger utenfor bildet. Trykk på kartet en gang til."
        else:
            record["map_x"], record["map_y"] = round(x, 4), round(y, 4)
            tapped = zone_at(zones, x, y)
            if tapped is not None:
                zone_id = tapped["id"]  # the point on the map decides the zone it falls in
    record["zone_id"] = zone_id

    pupils = []
    seen = set()
    for raw in form.getlist("pupil"):
        pupil_id = parse_id(raw) or -1
        if left and pupil_id in left:
            continue  # told below, all names at once
        if pupil_id not in pupil_ids:
            errors["pupils"] = "En av elevene finnes ikke ved skolen. Velg eleven på nytt."
            continue
        if pupil_id in seen:
            continue
        seen.add(pupil_id)
        role = POSITIVE_ROLE if kind == "positive" else form.get(f"role_{pupil_id}", "")
        if kind == "concern" and role not in CONCERN_ROLES:
            errors["pupils"] = "Velg en rolle for hver elev: utsatt, utøver eller tilskuer."
        pupils.append((pupil_id, role))
    if left:
        errors["pupils"] = left_school_problem(left.values())
    record["pupils"] = sorted(pupils)
    record["pupils_unclear"] = int(bool(form.get("pupils_unclear")) or not pupils)

    concern = kind == "concern"
    # Fields of the other kind stay in the form when the user switches kind; they are dropped.
    raw_types, raw_labels = form.getlist("offence_type"), form.getlist("label")
    if any(t not in OFFENCE_TYPES for t in raw_types) or any(lb not in ALL_LABELS for lb in raw_labels):
        errors["labels"] = "Velg type og merking fra listene."
    types = [t for t in raw_types if t in OFFENCE_TYPES] if concern else []
    allowed_labels = LABELS if concern else POSITIVE_LABELS
    labels = [label for label in raw_labels if label in allowed_labels]
    record["offence_types"] = sorted(set(types))
    record["labels"] = sorted(set(labels))

    intervened = form.get("intervened", "") if concern else ""
    if intervened not in ("", "1", "0"):
        errors["intervened"] = "Svar ja eller nei på om du grep inn."
    record["intervened"] = int(intervened) if intervened in ("1", "0") else None
    outcome = (form.get("outcome") or None) if concern else None
    if outcome is not None and outcome not in OUTCOMES:
        errors["outcome"] = "Velg «Løst der og da» eller «Krever videre arbeid»."
        outcome = None
    section_12_5 = concern and SECTION_12_5_LABEL in record["labels"]
    if section_12_5:
        outcome = "follow_up"  # § 12-5: leadership must always be told
    record["outcome"] = outcome
    record["section_12_5"] = int(section_12_5)
    record["concerns_leader"] = int(section_12_5 and bool(form.get("concerns_leader")))

    for field, label in (("facts", "«Hva så du?»"), ("comment", "«Kommentar»")):
        text = typed_text(form.get(field))
        if len(text) > MAX_TEXT:
            errors[field] = f"Teksten i {label} er for lang (høyst {MAX_TEXT} tegn)."
        record[field] = text
    # § 12-5: who the adult was, as the author puts it (never a list of the school's staff)
    adult = " ".join(xml_safe(form.get("adult_involved") or "").split()) if section_12_5 else ""
    if len(adult) > MAX_ADULT:
        errors["adult_involved"] = f"Teksten om hvem den voksne var, er for lang (høyst {MAX_ADULT} tegn)."
    record["adult_involved"] = adult
    if kind and makes_melding(record) and "facts" not in errors and not record["facts"]:
        errors["facts"] = ("Skriv hva du så i «Hva så du?». Meldingen til skoleledelsen må si hva som skjedde."
                           if not record["concerns_leader"] else
                           "Skriv hva du så i «Hva så du?». Meldingen til skoleeier må si hva som skjedde.")
    if section_12_5 and not adult:
        errors["adult_involved"] = ("Skriv hvem den voksne var: navn, eller rolle og hvor hen jobber "
                                    "(for eksempel «vikar i 5A»).")
    return record, errors


def content_hash(record):
    """A fingerprint of what was submitted: the same resend gives the same hash."""
    canonical = dict(record)
    if isinstance(canonical.get("observed_at"), datetime):
        canonical["observed_at"] = clock.to_utc_iso(canonical["observed_at"])
    canonical["pupils"] = [list(p) for p in sorted(canonical.get("pupils", []))]
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def describe_place(context, zone_name):
    """'Tunet (friminutt)'."""
    context_name = CONTEXTS.get(context, context)
    if context not in SFO_CONTEXTS:
        context_name = context_name.lower()
    return f"{zone_name} ({context_name})" if zone_name else CONTEXTS.get(context, context)


def types_and_labels(record):
    """The record's offence types and labels as sentences, for a melding or a note."""
    sentences = []
    if record["offence_types"]:
        sentences.append("Type: " + ", ".join(OFFENCE_TYPES[t][0].lower() for t in record["offence_types"]) + ".")
    if record["labels"]:
        sentences.append("Merking: " + ", ".join(ALL_LABELS[label] for label in record["labels"]) + ".")
    return sentences


def melding_summary(record, *, zone_name, author_name):
    """The facts of a melding, filled in from the record it came from."""
    lines = [f"{KINDS[record['kind']]} {clock.format_datetime(record['observed_at'])}, "
             f"{describe_place(record['context'], zone_name)}."]
    lines += types_and_labels(record)
    if record["intervened"] is not None:
        lines.append("Grep inn: " + ("ja." if record["intervened"] else "nei."))
    if record.get("pupils_unclear"):
        lines.append("Uklart hvem som var involvert.")
    if record["facts"]:
        lines.append("Hva så du? " + record["facts"])
    if record["comment"]:
        lines.append("Kommentar: " + record["comment"])
    lines.append(f"Registrert av {author_name}.")
    return "\n".join(lines)


def pupil_note_text(record, role, *, zone_name, author_name):
    """The short note in a pupil's file for an incident solved on the spot (no other pupils named)."""
    place = describe_place(record["context"], zone_name)
    parts = [f"Hendelse {clock.format_datetime(record['observed_at'])}, {place}, "
             f"løst der og da. Rolle: {ROLES[role].lower()}."]
    parts += types_and_labels(record)
    if record["intervened"] is not None:
        parts.append("Voksen grep inn." if record["intervened"] else "Voksen grep ikke inn.")
    if record["facts"]:
        parts.append("Hva så du? " + record["facts"])
    parts.append(f"Registrert av {author_name}.")
    return " ".join(parts)


def record_from_row(observation, pupils, melding=None):
    """The record dict of a stored observation, its pupils and melding, as parse_capture makes it."""
    return {
        "kind": observation["kind"],
        "observed_at": clock.local(observation["observed_at"]),
        "context": observation["context"],
        "zone_id": observation["zone_id"],
        "map_x": observation["map_x"],
        "map_y": observation["map_y"],
        "pupils": sorted((p["pupil_id"], p["role"]) for p in pupils),
        "pupils_unclear": observation["pupils_unclear"],
        "offence_types": json.loads(observation["offence_types"]),
        "labels": json.loads(observation["labels"]),
        "intervened": observation["intervened"],
        "outcome": observation["outcome"],
        "section_12_5": int(SECTION_12_5_LABEL in json.loads(observation["labels"])),
        "concerns_leader": (melding or {}).get("concerns_leader", 0),
        "facts": observation["facts"],
        "comment": observation["comment"],
        "adult_involved": observation["adult_involved"],
    }


def new_record(*, kind, observed_at, context, pupils=(), zone_id=None, map_x=None, map_y=None,
               offence_types=(), labels=(), intervened=None, outcome=None, facts="", comment="",
               adult_involved="", concerns_leader=False, pupils_unclear=False):
    """The record parse_capture makes from a form, made from values instead (the demo and tests record this way).

    What the form decides follows here too: a positive record's pupils are "med" and it has no offence
    types, intervention or outcome; the § 12-5 label makes a § 12-5 record that goes to leadership;
    a record naming no pupil is "uklart hvem". Codes must be capture's own (a ValueError otherwise).

    :param pupils: {pupil id: role} or (pupil id, role) pairs
    """
    concern = kind == "concern"
    pupils = dict(pupils) if concern else dict.fromkeys(dict(pupils), POSITIVE_ROLE)
    unknown = (({kind} - set(KINDS)) | ({context} - set(CONTEXTS)) | ({outcome} - {None, *OUTCOMES})
               | (set(pupils.values()) - set(CONCERN_ROLES if concern else [POSITIVE_ROLE]))
               | (set(labels) - set(LABELS if concern else POSITIVE_LABELS))
               | (set(offence_types) - set(OFFENCE_TYPES)))
    if unknown:
        raise ValueError(f"not capture's codes: {sorted(map(str, unknown))}")
    section_12_5 = concern and SECTION_12_5_LABEL in labels
    return {
        "kind": kind, "observed_at": observed_at, "context": context, "zone_id": zone_id,
        "map_x": map_x, "map_y": map_y, "pupils": sorted(pupils.items()),
        "pupils_unclear": int(bool(pupils_unclear) or not pupils),
        "offence_types": sorted(set(offence_types)) if concern else [], "labels": sorted(set(labels)),
        "intervened": intervened if concern else None,
        "outcome": "follow_up" if section_12_5 else outcome if concern else None,
        "section_12_5": int(section_12_5), "concerns_leader": int(section_12_5 and bool(concerns_leader)),
        "facts": facts, "comment": comment, "adult_involved": adult_involved if section_12_5 else "",
    }


def today_or_date(value, today):
    """'I dag', 'I går' or the date, for lists of records."""
    day = value if isinstance(value, date) else clock.local(value).date()
    if day == today:
        return "I dag"
    if day == today - timedelta(days=1):
        return "I går"
    return clock.format_date(day)


def choices(name, first=""):
    """One of the form's fixed sets of choices here as (code, label, hint) triples, `first` (one of them) first."""
    options = globals()[name]
    return [(code, options[code], "") if isinstance(options[code], str) else (code, *options[code])
            for code in sorted(options, key=lambda code: code != first)]


# a form id already saved with other content (a resend from the phone's outbox that was changed since)
SAVED_OTHERWISE = "Denne registreringen er allerede lagret, med et annet innhold. Det som ble lagret først, gjelder."
