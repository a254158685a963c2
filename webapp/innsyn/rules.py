"""What a copy released to a pupil or their parents may say of other pupils, and what fortrolig adresse hides.

Offentleglova § 13 with forvaltningsloven § 13: a pupil (or their parents) may
see what is recorded about the pupil, but not who the other pupils are. Each
other pupil becomes "Elev A", "Elev B" … in the order they first appear, the
same alias everywhere in one copy; their name (also as written by staff in free
text, in full or by first name), class and birth date are left out. Staff
names stay. A pupil with a fortrolig adresse is never named, nor their class
or birth date given, in anything sent to others.

Plain functions and one small class of plain data: no database, no clock.
"""
import re
from string import ascii_uppercase

# who a copy is released to: the recipient's key → how the copy names them
RECIPIENTS = {"eleven": "eleven selv", "foreldre": "foreldre/foresatte"}

# what of another pupil an export leaves out, in the words of the list at its end
NAME, CLASS, BIRTH_DATE = "navn", "klasse", "fødselsdato"
DETAILS = (NAME, CLASS, BIRTH_DATE)

# a first name two other pupils share says neither who; it is left out all the same
UNKNOWN_PUPIL = "[elev]"
# another pupil's family name on its own ("Hilde Dahle", a parent) says who the pupil is
SURNAME_LEFT_OUT = "[etternavn]"
CLASS_LEFT_OUT = "[klasse]"
DATE_LEFT_OUT = "[dato]"
# placeholders for decided text while the passes run: Unicode's private-use area
_HELD = 0xF0000
_HELD_PATTERN = re.compile("[\U000F0000-\U000FFFFD]")
# what a document sent to others says for a pupil with a fortrolig adresse
CONFIDENTIAL_PUPIL = "en medelev"


def alias(number):
    """The alias of the n-th other pupil (from 0): Elev A … Elev Z, then Elev AA, Elev AB …"""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, len(ascii_uppercase))
        letters = ascii_uppercase[rest] + letters
    return f"Elev {letters}"


def first_name(full_name):
    """The first word of a name ('Aksel' of 'Aksel Andersen'), the way staff write a pupil's name."""
    words = (full_name or "").split()
    return words[0] if words else ""


def surname(full_name):
    """The last word of a name of two words or more ('Andersen' of 'Aksel Andersen'); '' for one word."""
    words = (full_name or "").split()
    return words[-1] if len(words) > 1 else ""


def _words(text):
    """A pattern for the text as whole words, any run of spaces between them (a name as someone typed it)."""
    return r"\s+".join(re.escape(word) for word in text.split())


# a date as staff write one: 04.03.2015, 4.3.15, 4/3/2015 or 2015-03-04
_DATE = re.compile(r"(?<![\d.])(?:(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})|(\d{4})-(\d{1,2})-(\d{1,2}))(?!\d)")


def _date_key(match):
    """(day, month, two-digit year) of a written date, the way birth dates are looked up."""
    if match.group(1):
        day, month, year = match.group(1, 2, 3)
    else:
        year, month, day = match.group(4, 5, 6)
    return int(day), int(month), int(year[-2:])


def _birth_key(iso_date):
    """(day, month, two-digit year) of a stored birth date 'YYYY-MM-DD'."""
    year, month, day = iso_date.split("-")
    return int(day), int(month), int(year[-2:])


class Redactor:
    """Gives other pupils their aliases and takes them out of free text, remembering what it left out.

    :param subject: the pupil the copy is about: id, full_name, class_name
    :param others: the other pupils who may be named: id, full_name, class_name, birth_date
    :param staff_names: full names of the school's staff, which stay as they are
    :param name_of: the name a pupil gets in the text (by default their alias)
    :param hidden: {text: what stands instead} taken out of every text as whole words (a fortrolig
        pupil's own school and class)
    """

    def __init__(self, subject, others, staff_names=(), name_of=None, hidden=None):
        self.subject = subject
        hidden = {" ".join(text.split()).casefold(): instead for text, instead in (hidden or {}).items()
                  if text and text.strip()}
        self._hidden = hidden
        self._hidden_pattern = (re.compile(r"(?<!\w)(" + "|".join(_words(text) for text in sorted(
            hidden, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE) if hidden else None)
        self.others = {pupil["id"]: pupil for pupil in others if pupil["id"] != subject["id"]}
        self._name_of = name_of
        self.aliases = {}                      # pupil id → alias, in the order first met
        self.left_out = {}                     # pupil id → the details left out of the copy
        self.unknown = 0                       # mentions of a first name several other pupils share
        kept = {" ".join(name.split()).casefold() for name in staff_names if name and name.strip()}
        kept.add(" ".join(subject["full_name"].split()).casefold())
        self._kept = kept
        full = {}
        for pupil in self.others.values():
            full.setdefault(" ".join(pupil["full_name"].split()).casefold(), pupil["id"])
        # full names: a staff member's or the subject's own name is matched too, so that a
        # pupil's first name inside it ("Per" of the teacher "Per Lie") is never taken out
        names = sorted(set(full) | kept, key=len, reverse=True)
        self._full = full
        self._full_pattern = (re.compile(r"(?<!\w)(" + "|".join(_words(name) for name in names) + r")(s?)(?!\w)",
                                         re.IGNORECASE) if names else None)
        firsts = {}
        for pupil in self.others.values():
            firsts.setdefault(first_name(pupil["full_name"]).casefold(), set()).add(pupil["id"])
        # the subject's own first name stays: "Aksel" in a record about Aksel is Aksel
        firsts.pop(first_name(subject["full_name"]).casefold(), None)
        firsts.pop("", None)
        # a first name in any case, as staff type on a phone ("cato"), with a genitive s ("Catos"): a name
        # that is also a word ("Liv", "Per") goes out as a word too, for a name left in is worse than a word left out
        self._firsts = firsts
        self._first_pattern = (re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in sorted(
            firsts, key=len, reverse=True)) + r")(s?)(?!\w)", re.IGNORECASE) if firsts else None)
        surnames = {}
        for pupil in self.others.values():
            surnames.setdefault(surname(pupil["full_name"]).casefold(), set()).add(pupil["id"])
        # the subject's own family name stays: their parents and siblings have it, and the copy is theirs
        surnames.pop(surname(subject["full_name"]).casefold(), None)
        surnames.pop("", None)
        self._surnames = surnames
        self._surname_pattern = (re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in sorted(
            surnames, key=len, reverse=True)) + r")(s?)(?!\w)", re.IGNORECASE) if surnames else None)
        own_class = subject.get("class_name") or ""
        classes = {}
        for pupil in self.others.values():
            if pupil.get("class_name") and pupil["class_name"] != own_class:
                classes.setdefault(pupil["class_name"], set()).add(pupil["id"])
        self._classes = classes
        self._class_pattern = (re.compile(r"(?<!\w)(" + "|".join(_words(name) for name in sorted(
            classes, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE) if classes else None)
        self._births = {}
        for pupil in self.others.values():
            if pupil.get("birth_date"):
                self._births.setdefault(_birth_key(pupil["birth_date"]), []).append(pupil["id"])

    def _note(self, pupil_id, detail):
        """Remember that a detail of a pupil was left out."""
        details = self.left_out.setdefault(pupil_id, [])
        if detail not in details:
            details.append(detail)

    def name(self, pupil_id):
        """What the copy calls a pupil: the subject by name, another pupil by alias (given on first use)."""
        if pupil_id == self.subject["id"]:
            return self.subject["full_name"]
        if pupil_id not in self.aliases:
            self.aliases[pupil_id] = alias(len(self.aliases))
        self._note(pupil_id, NAME)
        return self._name_of(pupil_id) if self._name_of else self.aliases[pupil_id]

    def text(self, text):
        """Free text with other pupils' names, classes and birth dates taken out; staff names kept."""
        if not text:
            return text or ""
        text = _HELD_PATTERN.sub("", text)  # no stored text has them; if one had, it must not pose as one
        held = []  # what is already decided, kept out of the later passes behind a placeholder

        def hold(value):
            """A placeholder for text no later pass may change."""
            held.append(value)
            # a private-use character: no name, class or date pattern matches it (no digit, no letter)
            return chr(_HELD + len(held) - 1)

        def full_name(match):
            """A full name: a staff member's or the subject's stays, another pupil's becomes their alias."""
            key = " ".join(match.group(1).split()).casefold()
            if key in self._kept or key not in self._full:
                return hold(match.group(0))
            return hold(self.name(self._full[key]) + match.group(2))  # with a genitive s ("Cato Dahles")

        def first(match):
            """A first name: the one other pupil who has it, or UNKNOWN_PUPIL when several do."""
            ids = self._firsts[match.group(1).casefold()]
            if len(ids) > 1:
                self.unknown += 1
                return hold(UNKNOWN_PUPIL + match.group(2))
            return hold(self.name(next(iter(ids))) + match.group(2))

        def class_name(match):
            """Another class's name: each aliased pupil of it gets "klasse" in the list."""
            for pupil_id in self._classes.get(_class_key(self._classes, match.group(1)), ()):
                if pupil_id in self.aliases:
                    self._note(pupil_id, CLASS)
            return hold(CLASS_LEFT_OUT)

        if self._hidden_pattern:
            text = self._hidden_pattern.sub(
                lambda match: hold(self._hidden[" ".join(match.group(1).split()).casefold()]), text)
        if self._full_pattern:
            text = self._full_pattern.sub(full_name, text)
        def family_name(match):
            """A family name on its own: left out; noted for the one other pupil who has it."""
            ids = self._surnames[match.group(1).casefold()]
            if len(ids) == 1:
                self.name(next(iter(ids)))
            return hold(SURNAME_LEFT_OUT + match.group(2))

        if self._first_pattern:
            text = self._first_pattern.sub(first, text)
        if self._surname_pattern:
            text = self._surname_pattern.sub(family_name, text)
        def birth_date(match):
            """Another pupil's birth date: left out, and noted for them when only one pupil has it."""
            ids = self._births.get(_date_key(match))
            if not ids:
                return match.group(0)
            if len(ids) == 1:
                self.name(ids[0])
                self._note(ids[0], BIRTH_DATE)
            return hold(DATE_LEFT_OUT)

        if self._births:
            text = _DATE.sub(birth_date, text)
        if self._class_pattern:
            text = self._class_pattern.sub(class_name, text)
        return _HELD_PATTERN.sub(lambda match: held[ord(match.group()) - _HELD], text)

    def redactions(self):
        """What the copy left out, by alias and never by name: [("Elev A", ["navn", "klasse"]), …]."""
        lines = [(self.aliases[pupil_id], [detail for detail in DETAILS if detail in self.left_out[pupil_id]])
                 for pupil_id in self.aliases]
        if self.unknown:
            lines.append((UNKNOWN_PUPIL, [NAME]))
        return lines


def _class_key(classes, written):
    """The class name as stored for the name as written (any case, any spaces)."""
    wanted = " ".join(written.split()).casefold()
    return next((name for name in classes if " ".join(name.split()).casefold() == wanted), written)


def confidential_shield(subject, pupils, staff_names=()):
    """A Redactor for a document sent to others: only pupils with a fortrolig adresse are left out.

    Their name becomes CONFIDENTIAL_PUPIL, their class and birth date are taken out; other pupils
    stay as the document has them.

    :param subject: the pupil the document is about (never left out of their own document)
    :param pupils: the school's pupils with a fortrolig adresse: id, full_name, class_name, birth_date
    """
    return Redactor(subject, [pupil for pupil in pupils if pupil["id"] != subject["id"]], staff_names,
                    name_of=lambda pupil_id: CONFIDENTIAL_PUPIL)


def shows_school_details(pupil):
    """Whether a document sent out may name the pupil's school and class: not with a fortrolig adresse."""
    return not pupil.get("confidential_address")


SCHOOL_LEFT_OUT = "[skolen]"


def own_details_hidden(pupil, school_name):
    """What a copy about a pupil with a fortrolig adresse takes out of its texts: their school and class."""
    if shows_school_details(pupil):
        return {}
    return {school_name: SCHOOL_LEFT_OUT, pupil.get("class_name") or "": CLASS_LEFT_OUT}


def redact_all(value, redact):
    """A document's values (dicts, lists, tuples of texts) with `redact` applied to every text in them."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_all(item, redact) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(redact_all(item, redact) for item in value)
    return value
