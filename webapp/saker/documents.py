"""The documents a case produces, pre-filled from what was recorded.

Vedlegg 10 (Melding om mottatt bekymring), the aktivitetsplan (Vedlegg 12 with
the barnets beste assessment of Vedlegg 13) and the whole case as one record.
`*_values` functions give the filled-in texts that both the printable pages
and the .docx files use, so they always say the same.
"""
import itertools
import re
from datetime import date
from xml.sax.saxutils import escape

from docx.oxml.ns import nsdecls
from docx.oxml.parser import parse_xml
from docx.shared import Emu

from .. import clock, docx_template
from ..docx_text import xml_safe
from ..feed.store import CONTEXT_LABELS, LABEL_NAMES, ROLE_LABELS, STATUS_LABELS
from . import rules as routine
from . import texts


def _date(value):
    """'26.11.2026' for a stored date, or '' when there is none."""
    return clock.format_date(value) if value else ""


def meeting_text(value):
    """'torsdag 3. desember 2026 kl. 14:00' for a local 'YYYY-MM-DDTHH:MM'."""
    if not value:
        return ""
    day, _, time = value.partition("T")
    return f"{clock.format_long_date(date.fromisoformat(day))} kl. {time[:5]}"


def source_text(source, raised_by=""):
    """Who raised the concern, as the letter names it: elev, foresatte, en ansatt ved skolen, or who."""
    return texts.LETTER_SOURCES.get(source) or raised_by or "«elev/foresatte»"


def channel_text(melding):
    """How a melding came, as documents name it ("registrering i Trygg" for one recorded in Trygg)."""
    if melding is None:
        return "«e-post/utviklingssamtale/telefon»"
    return texts.LETTER_CHANNELS.get(melding["channel"], melding["channel"])


def recorded_receipt(melding):
    """How the concern came, from the case's first melding: who raised it, how, when, to whom and when they had it.

    A melding recorded in Trygg (channel "trygg") was raised by an employee through
    Trygg and received by the leader who acknowledged it, never its author; one a
    leader entered for a pupil or parent says who took it and when. None without a melding.
    """
    if melding is None:
        return None
    if melding["channel"] != "trygg":  # entered by a leader for a pupil or parent who told someone
        receiver = melding["received_by_name"] or melding["acknowledged_by_name"] or ""
        return {"source": melding["source"], "raised_by": melding["raised_by"], "channel": melding["channel"],
                "concern_on": melding["received_on"], "receiver": receiver, "received_on": melding["received_on"],
                "received_at": _date(melding["received_on"]) if receiver else ""}
    acknowledged = melding["acknowledged_at"]
    return {"source": melding["source"], "raised_by": melding["raised_by"], "channel": melding["channel"],
            "concern_on": clock.local(melding["created_at"]).date().isoformat(),
            "receiver": melding["acknowledged_by_name"] or "",
            "received_on": clock.local(acknowledged).date().isoformat() if acknowledged else None,
            "received_at": clock.format_datetime(acknowledged)}


def receipt(bundle):
    """How the concern came, as a leader corrected it for the case (`sak_letter`), else as recorded."""
    corrected = bundle.get("letter")
    if corrected:
        return {**{field: corrected[field] for field in
                   ("source", "raised_by", "channel", "concern_on", "receiver", "received_on")},
                "received_at": _date(corrected["received_on"])}
    return recorded_receipt(bundle["first_melding"])


def letter_values(bundle, today):
    """The Vedlegg 10 letter's paragraphs with every «placeholder» filled in where known.

    :param today: the letter's date unless a leader set one
    """
    sak, pupil, school = bundle["sak"], bundle["pupil"], bundle["school"]
    came = receipt(bundle)
    letter_on = (bundle.get("letter") or {}).get("letter_on") or today
    fields = {
        "skole": school["name"],
        "fra": source_text(came["source"], came["raised_by"]) if came else "«elev/foresatte»",
        "kanal": texts.LETTER_CHANNELS.get(came["channel"], came["channel"]) if came
        else "«e-post/utviklingssamtale/telefon»",
        "dato": _date(came["concern_on"]) if came else "«dato»",
        "mottaker": (came["receiver"] if came else "") or "«kontaktlærer/avdelingsleder»",
        "elev": pupil["full_name"], "fodt": _date(pupil["birth_date"]) or "«fødselsdato»",
        "motetid": meeting_text(sak["start_meeting_at"]) or "«dato og klokkeslett»",
        "deltakere": sak["start_meeting_participants"] or "«foresatte/rektor/avdelingsleder/kontaktlærer/SFO baseleder»",
        "saksansvarlig": bundle["owner_name"] or "«navn på saksansvarlig på skolen»",
        "brevdato": _date(letter_on),
    }
    return {
        "title": texts.LETTER_TITLE,
        "addressee": texts.LETTER_ADDRESSEE.format(**fields), "date": texts.LETTER_DATE.format(**fields),
        "paragraphs": [texts.LETTER_OPENING.format(**fields), texts.LETTER_LAW,
                       texts.LETTER_REFERENCE.format(**fields), texts.LETTER_INVESTIGATION.format(**fields)],
        "agenda_title": texts.LETTER_AGENDA_TITLE, "agenda": texts.LETTER_AGENDA,
        "reply": texts.LETTER_REPLY.format(**fields), "greeting": texts.LETTER_GREETING,
        "signature": [", ".join(part for part in (bundle["owner_name"], bundle["owner_title"].lower()) if part)
                      or "«Rektor/avdelingsleder»", school["name"]],
    }


def received_texts(bundle):
    """The plan's "Dato og type" ('12.11.2026, telefon') and "Mottaker" ('Rita Rektor, 12.11.2026 kl. 10:14')."""
    came = receipt(bundle)
    if came is None:
        return "", ""
    channel = texts.LETTER_CHANNELS.get(came["channel"], came["channel"])
    return (", ".join(part for part in (_date(came["concern_on"]), channel) if part),
            ", ".join(part for part in (came["receiver"], came["received_at"]) if part))


def plan_values(bundle):
    """The aktivitetsplan's filled-in sections (Vedlegg 12) and the Vedlegg 13 rows."""
    plan = bundle["plan"] or {}
    received_on, received_by = received_texts(bundle)
    measures = []
    for number, tiltak in enumerate(
            sorted(bundle["tiltak"], key=lambda t: (t["level"] != "individ", t["id"])), start=1):
        measures.append({
            "heading": f"{texts.TILTAK_HEADING.format(number=number)}  {texts.TILTAK_LEVELS[tiltak['level']]} – {tiltak['name']}",
            "rows": [(texts.TILTAK_DESCRIPTION, tiltak["description"]),
                     (texts.TILTAK_JUSTIFICATION, tiltak["justification"]),
                     (texts.TILTAK_PARTICIPATION, tiltak["participation"]),
                     (texts.TILTAK_START, _date(tiltak["start_on"])),
                     (texts.TILTAK_RESPONSIBLE, tiltak["responsible"]),
                     (texts.TILTAK_EVALUATION, ", ".join(v for v in (
                         _date(tiltak["evaluation_on"]), tiltak["evaluation_participants"]) if v)),
                     (texts.TILTAK_CONCLUSION, tiltak["conclusion"])],
        })
    best = [(heading, bundle["best"].get(key, {})) for key, heading in texts.BEST_HEADINGS]
    return {
        "exempt": texts.PLAN_EXEMPT, "title": texts.PLAN_TITLE, "intro": texts.PLAN_INTRO,
        "sections": [
            (texts.PLAN_FOR, [(texts.PLAN_NAME, bundle["pupil"]["full_name"]),
                              (texts.PLAN_CLASS, bundle["pupil"]["class_name"] or "")]),
            (texts.PLAN_RECEIVED, [(texts.PLAN_RECEIVED_DATE, received_on),
                                   (texts.PLAN_RECEIVED_BY, received_by)]),
            (texts.PLAN_BACKGROUND, [("", plan.get("background", ""))]),
            (texts.PLAN_INVESTIGATIONS, [("", plan.get("investigations", "")),
                                         (texts.PLAN_PERSPECTIVES, plan.get("perspectives", ""))]),
            (texts.PLAN_FINDINGS, [("", plan.get("findings", ""))]),
        ],
        "measures": measures,
        "coordinator": (texts.PLAN_COORDINATOR, texts.PLAN_COORDINATOR_NAME, plan.get("coordinator_name") or ""),
        "best_title": texts.PLAN_BEST_INTERESTS,
        "best": best,
    }


# ------------------------------------------------------------------ .docx

# the characters of a run's text that Word writes as elements of their own
_TABS_AND_BREAKS = re.compile(r"([\t\r\n])")


def _run(text, bold=False):
    """The text as a run of WordprocessingML ('' for no text), made safe for XML and escaped."""
    text = xml_safe(text)
    if not text:
        return ""
    # tabs and line breaks as python-docx's `run.text` writes them, so Word shows them
    content = []
    for piece in _TABS_AND_BREAKS.split(text):
        if piece == "\t":
            content.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            content.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if piece != piece.strip() else ""
            content.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return f"<w:r>{'<w:rPr><w:b/></w:rPr>' if bold else ''}{''.join(content)}</w:r>"


class Writer:
    """A Word document from Trygg's template (`docx_template`), its body written as WordprocessingML.

    python-docx's paragraph, run and cell objects look up and reorder the XML
    on every call (an aktivitetsplan took ~12 ms), and appending with lxml
    still makes a Python object for each of a plan's ~500 elements (~1.5 ms).
    The writer collects the body as markup that python-docx's parser makes
    elements of in one go before the document is saved (`docx`).
    Styles are named by their ids in the template. Every text goes through
    `xml_safe` and is escaped.
    """

    def __init__(self, title=""):
        self.document = docx_template.new_document(title)
        self._blocks = []  # paragraphs and tables as markup, in order, not yet in the document

    def paragraph(self, text="", style=None, bold=False, label=""):
        """A paragraph in a style of the template (Normal when None), all bold if asked, after a bold label if any."""
        style = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        label = _run(f"{label} ", bold=True) if label else ""
        self._blocks.append(f"<w:p>{style}{label}{_run(text, bold)}</w:p>")

    def heading(self, text, level):
        """A heading of level 1 or 2."""
        self.paragraph(text, f"Heading{level}")

    def bullet(self, text):
        """A bulleted list item."""
        self.paragraph(text, "ListBullet")

    def table(self, header, rows):
        """A bordered table: a header row, then a row for each sequence of texts."""
        # laid out as python-docx's add_table does: the columns share the width between the margins
        # of the last section, the body's (document.sections runs an XPath query, ~0.2 ms)
        section = self.document.element.body.sectPr
        width = Emu((section.page_width - section.left_margin - section.right_margin) // len(header)).twips
        cell = f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p>{{}}</w:p></w:tc>'
        markup = ['<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/>'
                  '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
                  'w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr><w:tblGrid>',
                  f'<w:gridCol w:w="{width}"/>' * len(header), "</w:tblGrid>"]
        for row in itertools.chain([header], rows):
            cells = [cell.format(_run(text)) for text in row]
            if len(cells) != len(header):
                raise ValueError("a table's rows have a cell for each column")
            markup.append(f"<w:tr>{''.join(cells)}</w:tr>")
        markup.append("</w:tbl>")
        self._blocks.append("".join(markup))

    def page_break(self):
        """Start a new page."""
        self._blocks.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def docx(self):
        """The document as the bytes of a .docx file."""
        if self._blocks:
            # blocks go before the body's section properties, where python-docx puts them
            blocks = parse_xml(f"<w:body {nsdecls('w')}>{''.join(self._blocks)}</w:body>")
            end = self.document.element.body.sectPr
            for block in list(blocks):
                end.addprevious(block)
            self._blocks = []
        return docx_template.save(self.document)


def _label_value(writer, label, value):
    """A paragraph with a bold label and its value, as in the plan's forms."""
    writer.paragraph(value, label=label)


def write_letter(writer, values, school_name):
    """The Vedlegg 10 letter into a writer."""
    writer.paragraph(school_name)
    writer.paragraph(values["addressee"])
    writer.paragraph(values["date"])
    writer.heading(values["title"], level=1)
    for text in values["paragraphs"]:
        writer.paragraph(text)
    writer.paragraph(values["agenda_title"], bold=True)
    for item in values["agenda"]:
        writer.bullet(item)
    writer.paragraph(values["reply"])
    writer.paragraph(values["greeting"])
    for line in values["signature"]:
        writer.paragraph(line)


def write_plan(writer, values):
    """The aktivitetsplan (Vedlegg 12) and the barnets beste table (Vedlegg 13) into a writer."""
    writer.paragraph(values["exempt"])
    writer.heading(values["title"], level=1)
    writer.paragraph(values["intro"])
    for heading, rows in values["sections"]:
        writer.heading(heading, level=2)
        for label, value in rows:
            _label_value(writer, label, value)
    for measure in values["measures"]:
        writer.heading(measure["heading"], level=2)
        for label, value in measure["rows"]:
            _label_value(writer, label, value)
    title, name_label, name = values["coordinator"]
    writer.heading(title, level=2)
    _label_value(writer, name_label, name)
    writer.heading(values["best_title"], level=2)
    writer.heading(texts.BEST_TITLE, level=2)
    writer.paragraph(texts.BEST_INTRO)
    for point in texts.BEST_POINTS:
        writer.bullet(point)
    writer.paragraph(texts.BEST_RESOURCES)
    writer.paragraph(texts.BEST_STEPS_TITLE, bold=True)
    writer.paragraph(texts.BEST_STEPS)
    writer.paragraph(texts.BEST_TABLE_INTRO)
    writer.table(texts.BEST_COLUMNS, (
        [heading] + [row.get(key, "") if row else "" for key in ("information", "evaluation", "notes", "weighting")]
        for heading, row in values["best"]))


def letter_docx(bundle, today):
    """Vedlegg 10 as a .docx file (bytes)."""
    writer = Writer(f"Melding om mottatt bekymring – sak nr. {bundle['sak']['id']}")
    write_letter(writer, letter_values(bundle, today), bundle["school"]["name"])
    return writer.docx()


def plan_docx(bundle):
    """The aktivitetsplan with barnets beste (Vedlegg 12 and 13) as a .docx file (bytes)."""
    writer = Writer(f"Aktivitetsplan – sak nr. {bundle['sak']['id']}")
    write_plan(writer, plan_values(bundle))
    return writer.docx()


def export_docx(bundle):
    """The whole case as one .docx: meldinger, observations, tasks, talks, plan, history."""
    sak, pupil = bundle["sak"], bundle["pupil"]
    writer = Writer(f"Sak nr. {sak['id']}")
    writer.paragraph(texts.PLAN_EXEMPT)
    writer.heading(f"Sak nr. {sak['id']} – {pupil['full_name']}", level=1)
    _label_value(writer, "Skole:", bundle["school"]["name"])
    _label_value(writer, "Elev:", f"{pupil['full_name']}, {pupil['class_name'] or ''}, født {_date(pupil['birth_date'])}")
    _label_value(writer, "Opprettet:", clock.format_datetime(sak["opened_at"]))
    _label_value(writer, "Fase:", routine.PHASE_LABELS[sak["phase"]])
    _label_value(writer, "Saksansvarlig:", bundle["owner_name"])
    if sak["section_12_5"]:
        _label_value(writer, "§12-5:", "Skjerpet aktivitetsplikt – ansatt krenker elev")
    if sak["escalated_at"]:
        _label_value(writer, "Eskalert til skoleeier:", f"{clock.format_datetime(sak['escalated_at'])} av "
                     f"{bundle['escalated_by_name']}" + (" – avvik meldt" if sak["avvik_filed"] else ""))
    if sak["closed_at"]:
        _label_value(writer, "Avsluttet:", f"{clock.format_datetime(sak['closed_at'])}: {sak['closed_reason']}")

    writer.heading("Meldinger", level=2)
    for melding in bundle["meldinger"]:
        _label_value(writer, f"Melding nr. {melding['id']}:",
                     f"{clock.format_datetime(melding['created_at'])}, fra {melding['author']} "
                     f"({channel_text(melding)}) – {STATUS_LABELS.get(melding['status'], melding['status'])}")
        if melding["acknowledged_at"]:
            _label_value(writer, "Mottatt:", f"{clock.format_datetime(melding['acknowledged_at'])} av "
                         f"{melding['acknowledged_by_name']}")
        _label_value(writer, "Elever:", ", ".join(
            f"{p['full_name']} ({ROLE_LABELS[p['role']]})" for p in melding["pupils"]))
        if melding["adult_involved"]:
            _label_value(writer, "Den ansatte det gjelder (§12-5):", melding["adult_involved"])
        if melding["summary"]:
            _label_value(writer, "Beskrivelse:", melding["summary"])

    writer.heading("Observasjoner", level=2)
    for observation in bundle["observations"]:
        place = observation["zone_name"] or CONTEXT_LABELS.get(observation["context"], "")
        _label_value(writer, f"{clock.format_datetime(observation['observed_at'])}:",
                     f"{observation['author']}, {place}. "
                     + ", ".join(LABEL_NAMES.get(label, label) for label in observation["labels"]))
        _label_value(writer, "Hva så du?", observation["facts"])
        if observation["comment"]:
            _label_value(writer, "Kommentar:", observation["comment"])
    if not bundle["observations"]:
        writer.paragraph("Ingen observasjoner knyttet til saken.")

    writer.heading("Systematisk observasjon", level=2)
    for plan in bundle["observation_plans"]:
        whom = f"Klasse {plan['class_name']}" + (f", {plan['pupil_name']}" if plan["pupil_name"] else "")
        _label_value(writer, f"{whom}, {clock.format_date(plan['starts_on'])}–{clock.format_date(plan['ends_on'])}:",
                     f"lagt ved {clock.format_datetime(plan['attached_at'])} av {plan['attached_by_name']}. "
                     f"Utskrift: {plan.get('print_url', '')}")
    if not bundle["observation_plans"]:
        writer.paragraph("Ingen systematisk observasjon lagt ved saken.")

    writer.heading("Oppgaver etter rutinen", level=2)
    for task in bundle["tasks"]:
        state = (f"utført {clock.format_datetime(task['done_at'])} av {task['done_by_name']}"
                 if task["done_at"] else f"frist {_date(task['due_on'])}" if task["due_on"] else "åpen")
        _label_value(writer, f"{routine.PHASE_LABELS[task['phase']]}:",
                     f"{task['title']} – {task['owner_name'] or ''}, {state}")

    writer.heading("Samtaler og møter", level=2)
    for talk in bundle["talks"]:
        _label_value(writer, f"{meeting_text(talk['held_at'])}:",
                     f"{routine.TALK_LABELS[talk['kind']]}"
                     + (f" ({talk['pupil_name']})" if talk["pupil_name"] else "")
                     + (f". Til stede: {talk['participants']}" if talk["participants"] else ""))
        _label_value(writer, "Referat:", talk["referat"])
    if not bundle["talks"]:
        writer.paragraph("Ingen samtaler registrert.")

    writer.page_break()
    write_plan(writer, plan_values(bundle))

    writer.page_break()
    writer.heading("Sakens historikk", level=2)
    writer.table(("Når", "Hvem", "Hva"), (
        (clock.format_datetime(event["at"]), event["who"],
         event["action"] + (f": {event['detail']}" if event["detail"] else ""))
        for event in bundle["history"]))
    return writer.docx()
