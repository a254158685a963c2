"""The documents a case produces, pre-filled from what was recorded.

Vedlegg 10 (Melding om mottatt bekymring), the aktivitetsplan (Vedlegg 12 with
the barnets beste assessment of Vedlegg 13) and the whole case as one record.
`*_values` functions give the filled-in texts that both the printable pages
and the .docx files use, so they always say the same.
"""
import itertools
from datetime import date

from .. import clock, docx_template
from ..docx_text import xml_safe
from ..feed.store import CONTEXT_LABELS, LABEL_NAMES, ROLE_LABELS, STATUS_LABELS
from ..innsyn.rules import confidential_shield, redact_all
from . import rules as routine
from . import texts


def meeting_text(value):
    """'torsdag 3. desember 2026 kl. 14:00' for a local 'YYYY-MM-DDTHH:MM'."""
    if not value:
        return ""
    day, _, time = value.partition("T")
    return f"{clock.format_long_date(date.fromisoformat(day))} kl. {time[:5]}"


def source_text(source, raised_by=""):
    """Who raised the concern, as the letter names it: elev, foresatte, en ansatt ved skolen, or who."""
    return texts.LETTER_SOURCES.get(source) or raised_by or "«elev/foresatte»"


def channel_text(came):
    """How a melding or the concern (`receipt`) came, as documents name it; the «placeholder» when unknown."""
    if came is None:
        return "«e-post/utviklingssamtale/telefon»"
    return texts.LETTER_CHANNELS.get(came["channel"], came["channel"])


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
                "received_at": clock.format_date(melding["received_on"]) if receiver else ""}
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
                "received_at": clock.format_date(corrected["received_on"])}
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
        "kanal": channel_text(came),
        "dato": clock.format_date(came["concern_on"]) if came else "«dato»",
        "mottaker": (came["receiver"] if came else "") or "«kontaktlærer/avdelingsleder»",
        "elev": pupil["full_name"], "fodt": clock.format_date(pupil["birth_date"]) or "«fødselsdato»",
        "motetid": meeting_text(sak["start_meeting_at"]) or "«dato og klokkeslett»",
        "deltakere": (sak["start_meeting_participants"]
                      or "«foresatte/rektor/avdelingsleder/kontaktlærer/SFO baseleder»"),
        "saksansvarlig": bundle["owner_name"] or "«navn på saksansvarlig på skolen»",
        "brevdato": clock.format_date(letter_on),
    }
    return _shielded(bundle, {
        "title": texts.LETTER_TITLE,
        "addressee": texts.LETTER_ADDRESSEE.format(**fields), "date": texts.LETTER_DATE.format(**fields),
        "paragraphs": [texts.LETTER_OPENING.format(**fields), texts.LETTER_LAW,
                       texts.LETTER_REFERENCE.format(**fields), texts.LETTER_INVESTIGATION.format(**fields)],
        "agenda_title": texts.LETTER_AGENDA_TITLE, "agenda": texts.LETTER_AGENDA,
        "reply": texts.LETTER_REPLY.format(**fields), "greeting": texts.LETTER_GREETING,
        "signature": [", ".join(part for part in (bundle["owner_name"], bundle["owner_title"].lower()) if part)
                      or "«Rektor/avdelingsleder»", school["name"]],
    })


def received_texts(bundle):
    """The plan's "Dato og type" ('12.11.2026, telefon') and "Mottaker" ('Rita Rektor, 12.11.2026 kl. 10:14')."""
    came = receipt(bundle)
    if came is None:
        return "", ""
    return (", ".join(part for part in (clock.format_date(came["concern_on"]), channel_text(came)) if part),
            ", ".join(part for part in (came["receiver"], came["received_at"]) if part))


def plan_values(bundle):
    """The aktivitetsplan's filled-in sections (Vedlegg 12) and the Vedlegg 13 rows."""
    plan = bundle["plan"] or {}
    received_on, received_by = received_texts(bundle)
    measures = []
    for number, tiltak in enumerate(
            sorted(bundle["tiltak"], key=lambda t: (t["level"] != "individ", t["id"])), start=1):
        measures.append({
            "heading": (f"{texts.TILTAK_HEADING.format(number=number)}  "
                        f"{texts.TILTAK_LEVELS[tiltak['level']]} – {tiltak['name']}"),
            "rows": [(texts.TILTAK_DESCRIPTION, tiltak["description"]),
                     (texts.TILTAK_JUSTIFICATION, tiltak["justification"]),
                     (texts.TILTAK_PARTICIPATION, tiltak["participation"]),
                     (texts.TILTAK_START, clock.format_date(tiltak["start_on"])),
                     (texts.TILTAK_RESPONSIBLE, tiltak["responsible"]),
                     (texts.TILTAK_EVALUATION, ", ".join(v for v in (
                         clock.format_date(tiltak["evaluation_on"]), tiltak["evaluation_participants"]) if v)),
                     (texts.TILTAK_CONCLUSION, tiltak["conclusion"])],
        })
    best = [(heading, bundle["best"].get(key, {})) for key, heading in texts.BEST_HEADINGS]
    return _shielded(bundle, {
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
    })


def _shielded(bundle, values):
    """A document's values without the pupils with a fortrolig adresse (webapp/innsyn/rules.py), when the bundle
    names them: the letter and the plan go to the parents of the case's pupil, who must not learn where they are."""
    pupils = bundle.get("confidential_pupils")
    if not pupils:
        return values
    shield = confidential_shield(bundle["pupil"], pupils, bundle.get("staff_names", ()))
    shielded = redact_all(values, shield.text)
    # the page says so: what the leader wrote and what the document says differ
    shielded["confidential_left_out"] = bool(shield.aliases)
    return shielded


# ------------------------------------------------------------------ .docx

def _paragraph(document, text, style=None):
    """A paragraph of the text in a style of the template (Normal when None); tabs and line breaks as Word's."""
    document.add_paragraph(xml_safe(text), style)


def _bold(document, text):
    """A paragraph of bold text."""
    document.add_paragraph().add_run(xml_safe(text)).bold = True


def _labelled(document, label, value):
    """A paragraph with a bold label and its value, as in the plan's forms."""
    line = document.add_paragraph()
    if label:  # the plan's free-text sections have none
        line.add_run(f"{label} ").bold = True
    line.add_run(xml_safe(value))


def _bullet(document, text):
    """A bulleted list item."""
    _paragraph(document, text, "List Bullet")


def _heading(document, text, level):
    """A heading of level 1 or 2."""
    document.add_heading(xml_safe(text), level)


def _table(document, header, rows):
    """A bordered table: a header row, then a row for each sequence of texts."""
    grid = document.add_table(rows=0, cols=len(header), style="Table Grid")
    for line in itertools.chain([header], rows):
        cells = grid.add_row().cells
        if len(line) != len(cells):
            raise ValueError("a table's rows have a cell for each column")
        for cell, text in zip(cells, line):
            cell.text = xml_safe(text)


def write_letter(document, values, school_name):
    """The Vedlegg 10 letter into a document."""
    _paragraph(document, school_name)
    _paragraph(document, values["addressee"])
    _paragraph(document, values["date"])
    _heading(document, values["title"], level=1)
    for text in values["paragraphs"]:
        _paragraph(document, text)
    _bold(document, values["agenda_title"])
    for item in values["agenda"]:
        _bullet(document, item)
    _paragraph(document, values["reply"])
    _paragraph(document, values["greeting"])
    for line in values["signature"]:
        _paragraph(document, line)


def write_plan(document, values):
    """The aktivitetsplan (Vedlegg 12) and the barnets beste table (Vedlegg 13) into a document."""
    _paragraph(document, values["exempt"])
    _heading(document, values["title"], level=1)
    _paragraph(document, values["intro"])
    for heading, rows in values["sections"]:
        _heading(document, heading, level=2)
        for label, value in rows:
            _labelled(document, label, value)
    for measure in values["measures"]:
        _heading(document, measure["heading"], level=2)
        for label, value in measure["rows"]:
            _labelled(document, label, value)
    title, name_label, name = values["coordinator"]
    _heading(document, title, level=2)
    _labelled(document, name_label, name)
    _heading(document, values["best_title"], level=2)
    _heading(document, texts.BEST_TITLE, level=2)
    _paragraph(document, texts.BEST_INTRO)
    for point in texts.BEST_POINTS:
        _bullet(document, point)
    _paragraph(document, texts.BEST_RESOURCES)
    _bold(document, texts.BEST_STEPS_TITLE)
    _paragraph(document, texts.BEST_STEPS)
    _paragraph(document, texts.BEST_TABLE_INTRO)
    _table(document, texts.BEST_COLUMNS, (
        [heading] + [row.get(key, "") if row else "" for key in texts.BEST_FIELDS]
        for heading, row in values["best"]))


def letter_docx(bundle, today):
    """Vedlegg 10 as a .docx file (bytes)."""
    document = docx_template.new_document(f"Melding om mottatt bekymring – sak nr. {bundle['sak']['id']}")
    write_letter(document, letter_values(bundle, today), bundle["school"]["name"])
    return docx_template.save(document)


def plan_docx(bundle):
    """The aktivitetsplan with barnets beste (Vedlegg 12 and 13) as a .docx file (bytes)."""
    document = docx_template.new_document(f"Aktivitetsplan – sak nr. {bundle['sak']['id']}")
    write_plan(document, plan_values(bundle))
    return docx_template.save(document)


def export_docx(bundle):
    """The whole case as one .docx: meldinger, observations, tasks, talks, plan, history."""
    sak, pupil = bundle["sak"], bundle["pupil"]
    document = docx_template.new_document(f"Sak nr. {sak['id']}")
    _paragraph(document, texts.PLAN_EXEMPT)
    _heading(document, f"Sak nr. {sak['id']} – {pupil['full_name']}", level=1)
    _labelled(document, "Skole:", bundle["school"]["name"])
    _labelled(document, "Elev:",
              f"{pupil['full_name']}, {pupil['class_name'] or ''}, født {clock.format_date(pupil['birth_date'])}")
    _labelled(document, "Opprettet:", clock.format_datetime(sak["opened_at"]))
    _labelled(document, "Fase:", routine.PHASE_LABELS[sak["phase"]])
    _labelled(document, "Saksansvarlig:", bundle["owner_name"])
    if sak["section_12_5"]:
        _labelled(document, "§12-5:", "Skjerpet aktivitetsplikt – ansatt krenker elev")
    if sak["escalated_at"]:
        _labelled(document, "Eskalert til skoleeier:", f"{clock.format_datetime(sak['escalated_at'])} av "
                     f"{bundle['escalated_by_name']}" + (" – avvik meldt" if sak["avvik_filed"] else ""))
    if sak["closed_at"]:
        _labelled(document, "Avsluttet:", f"{clock.format_datetime(sak['closed_at'])}: {sak['closed_reason']}")

    _heading(document, "Meldinger", level=2)
    for melding in bundle["meldinger"]:
        _labelled(document, f"Melding nr. {melding['id']}:",
                     f"{clock.format_datetime(melding['created_at'])}, fra {melding['author']} "
                     f"({channel_text(melding)}) – {STATUS_LABELS.get(melding['status'], melding['status'])}")
        if melding["acknowledged_at"]:
            _labelled(document, "Mottatt:", f"{clock.format_datetime(melding['acknowledged_at'])} av "
                         f"{melding['acknowledged_by_name']}")
        _labelled(document, "Elever:", ", ".join(
            f"{p['full_name']} ({ROLE_LABELS[p['role']]})" for p in melding["pupils"]))
        if melding["adult_involved"]:
            _labelled(document, "Den ansatte det gjelder (§12-5):", melding["adult_involved"])
        if melding["summary"]:
            _labelled(document, "Beskrivelse:", melding["summary"])

    _heading(document, "Observasjoner", level=2)
    for observation in bundle["observations"]:
        place = observation["zone_name"] or CONTEXT_LABELS.get(observation["context"], "")
        _labelled(document, f"{clock.format_datetime(observation['observed_at'])}:",
                     f"{observation['author']}, {place}. "
                     + ", ".join(LABEL_NAMES.get(label, label) for label in observation["labels"]))
        _labelled(document, "Hva så du?", observation["facts"])
        if observation["comment"]:
            _labelled(document, "Kommentar:", observation["comment"])
    if not bundle["observations"]:
        _paragraph(document, "Ingen observasjoner knyttet til saken.")

    _heading(document, "Systematisk observasjon", level=2)
    for plan in bundle["observation_plans"]:
        whom = f"Klasse {plan['class_name']}" + (f", {plan['pupil_name']}" if plan["pupil_name"] else "")
        _labelled(document, f"{whom}, {clock.format_date(plan['starts_on'])}–{clock.format_date(plan['ends_on'])}:",
                     f"lagt ved {clock.format_datetime(plan['attached_at'])} av {plan['attached_by_name']}. "
                     f"Utskrift: {plan.get('print_url', '')}")
    if not bundle["observation_plans"]:
        _paragraph(document, "Ingen systematisk observasjon lagt ved saken.")

    _heading(document, "Oppgaver etter rutinen", level=2)
    for task in bundle["tasks"]:
        state = (f"utført {clock.format_datetime(task['done_at'])} av {task['done_by_name']}"
                 if task["done_at"] else f"frist {clock.format_date(task['due_on'])}" if task["due_on"] else "åpen")
        _labelled(document, f"{routine.PHASE_LABELS[task['phase']]}:",
                     f"{task['title']} – {task['owner_name'] or ''}, {state}")

    _heading(document, "Samtaler og møter", level=2)
    for talk in bundle["talks"]:
        _labelled(document, f"{meeting_text(talk['held_at'])}:",
                     f"{routine.TALK_LABELS[talk['kind']]}"
                     + (f" ({talk['pupil_name']})" if talk["pupil_name"] else "")
                     + (f". Til stede: {talk['participants']}" if talk["participants"] else ""))
        _labelled(document, "Referat:", talk["referat"])
    if not bundle["talks"]:
        _paragraph(document, "Ingen samtaler registrert.")

    document.add_page_break()
    write_plan(document, plan_values(bundle))

    document.add_page_break()
    _heading(document, "Sakens historikk", level=2)
    _table(document, ("Når", "Hvem", "Hva"), (
        (clock.format_datetime(event["at"]), event["who"],
         event["action"] + (f": {event['detail']}" if event["detail"] else ""))
        for event in bundle["history"]))
    return docx_template.save(document)
