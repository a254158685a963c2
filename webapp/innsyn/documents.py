"""The innsyn copy as a .docx: everything recorded about one pupil, other pupils as "Elev A", "Elev B" …

Every free text written by staff goes through the Redactor (rules.py); the
names of records' other pupils come from it too, so one pupil has one alias
throughout. The copy ends with what was taken out (by alias, never by name)
and what was released, to whom and when.
"""
from .. import clock, docx_template
from ..docx_text import xml_safe
from ..feed.store import CHANNEL_LABELS, CONTEXT_LABELS, LABEL_NAMES, OFFENCE_LABELS, ROLE_LABELS, STATUS_LABELS
from ..feed.texts import CHECKLIST_QUESTIONS, CHECKLIST_TITLE
from ..observation_logs import texts as vedlegg8
from ..saker import documents as sak_documents
from ..saker import rules as routine
from . import rules, texts
from .store import SECTIONS

# an observation log's items by their stored key ('5-eleven'): "Friminutt – Eleven i friminutt"
LOG_ITEMS = {vedlegg8.item_key(number, key): f"{title} – {label}"
             for number, title, items in vedlegg8.SECTIONS for key, label, _ in items}
YES_NO = {1: "ja", 0: "nei"}


class Copy:
    """A document being written, with the Redactor every text goes through."""

    def __init__(self, document, redactor):
        self.document, self.redactor = document, redactor

    def heading(self, text, level=2):
        """A heading (fixed text or the subject's name: not redacted); level 3, one record's, in bold."""
        if level > 2:  # trygg.docx holds the two heading styles Trygg's documents use
            self.document.add_paragraph().add_run(xml_safe(text)).bold = True
        else:
            self.document.add_heading(xml_safe(text), level)

    def paragraph(self, text):
        """A paragraph of fixed text."""
        self.document.add_paragraph(xml_safe(text))

    def line(self, label, value, *, free=True):
        """A bold label and its value; a free text (written by someone) is redacted."""
        if not value:
            return
        paragraph = self.document.add_paragraph()
        paragraph.add_run(f"{label} ").bold = True
        paragraph.add_run(xml_safe(self.redactor.text(value) if free else value))

    def others(self, pupils):
        """A record's other pupils, each by alias with their role."""
        self.line("Andre elever:", ", ".join(
            f"{self.redactor.name(pupil_id)} ({ROLE_LABELS.get(role, role)})" for pupil_id, role in pupils),
            free=False)

    def nothing(self, rows):
        """Say so when a section holds nothing."""
        if not rows:
            self.paragraph(texts.NOTHING)


def _observations(copy, rows):
    """Observations and incidents with the pupil in them."""
    for row in rows:
        kind = "Positiv observasjon" if row["kind"] == "positive" else "Hendelse"
        place = row["zone_name"] or CONTEXT_LABELS.get(row["context"], row["context"])
        copy.heading(f"{kind} {clock.format_datetime(row['observed_at'])}", level=3)
        copy.line("Registrert av:", f"{row['author']}, {place}", free=False)
        copy.line("Eleven var:", ROLE_LABELS.get(row["role"], row["role"]), free=False)
        copy.others(row["others"])
        copy.line("Type:", ", ".join([OFFENCE_LABELS.get(code, code) for code in row["offence_types"]]
                                     + [LABEL_NAMES.get(code, code) for code in row["labels"]]), free=False)
        copy.line("Hva så du?", row["facts"])
        copy.line("Kommentar:", row["comment"])
        copy.line("Grep inn:", YES_NO.get(row["intervened"], ""), free=False)
        copy.line("Utfall:", {"solved": "Løst der og da", "follow_up": "Krever videre arbeid"}.get(
            row["outcome"], ""), free=False)
        copy.line("Den ansatte det gjelder (§12-5):", row["adult_involved"])
        for revision in row["revisions"]:
            copy.line(f"Versjon {revision['version']}, rettet {clock.format_datetime(revision['changed_at'])} av "
                      f"{revision['changed_by_name']}:", "Slik var registreringen før den ble rettet.", free=False)
            copy.line("Hva så du?", revision["facts"])
            copy.line("Kommentar:", revision["comment"])


def _notes(copy, rows):
    """Notes in the pupil's file."""
    for row in rows:
        copy.line(f"{clock.format_datetime(row['created_at'])}, {row['author']}:", row["text"])


def _meldinger(copy, rows):
    """Meldinger the pupil is in."""
    for row in rows:
        copy.heading(f"Melding {clock.format_datetime(row['created_at'])}", level=3)
        copy.line("Fra:", f"{row['author']} ({CHANNEL_LABELS.get(row['channel'], row['channel'])})", free=False)
        copy.line("Meldt av:", row["raised_by"])
        copy.line("Status:", STATUS_LABELS.get(row["status"], row["status"]), free=False)
        if row["acknowledged_at"]:
            copy.line("Mottatt:", f"{clock.format_datetime(row['acknowledged_at'])} av "
                                  f"{row['acknowledged_by_name'] or ''}", free=False)
        copy.line("Eleven var:", ROLE_LABELS.get(row["role"], row["role"]), free=False)
        copy.others(row["others"])
        copy.line("Hva ble meldt:", row["summary"])
        copy.line("Den ansatte det gjelder (§12-5):", row["adult_involved"])


def _talk(copy, talk):
    """One talk or meeting with its referat."""
    whom = f" ({copy.redactor.name(talk['pupil_id'])})" if talk["pupil_id"] else ""
    copy.line(f"{sak_documents.meeting_text(talk['held_at'])}:", f"{routine.TALK_LABELS[talk['kind']]}{whom}",
              free=False)
    copy.line("Til stede:", talk["participants"])
    copy.line("Referat:", talk["referat"])
    copy.line("Skrevet av:", talk["author"], free=False)


def _saker(copy, cases, show_school, today):
    """The pupil's cases: talks, the letter to the parents, the aktivitetsplan."""
    for sak in cases:
        copy.heading(f"Sak nr. {sak['id']}, opprettet {clock.format_date(sak['opened_at'])}", level=3)
        copy.line("Fase:", routine.PHASE_LABELS.get(sak["phase"], sak["phase"]), free=False)
        copy.line("Saksansvarlig:", sak["owner_name"] or "", free=False)
        if sak["closed_at"]:
            copy.line("Avsluttet:", f"{clock.format_date(sak['closed_at'])}: {sak['closed_reason']}")
        for talk in sak["talks"]:
            _talk(copy, talk)
        if sak["letter_bundle"]["letter"] or sak["start_meeting_at"]:
            letter = rules.redact_all(sak_documents.letter_values(sak["letter_bundle"], today), copy.redactor.text)
            copy.heading(letter["title"] + " (Vedlegg 10)", level=3)
            school_name = copy.redactor.text(sak["letter_bundle"]["school"]["name"])
            sak_documents.write_letter(copy.document, letter, school_name)
        if sak["plan"] or sak["tiltak"]:
            values = rules.redact_all(sak_documents.plan_values(sak["plan_bundle"]), copy.redactor.text)
            if not show_school:  # the plan's "Klasse:" row
                heading, rows = values["sections"][0]
                values["sections"][0] = (heading, rows[:1])
            sak_documents.write_plan(copy.document, values)


def _talks_elsewhere(copy, talks):
    """Talks with or about the pupil in other pupils' cases."""
    for talk in talks:
        _talk(copy, talk)


def _observation_plans(copy, plans):
    """Systematic observations with the pupil in focus, their plan and logs."""
    for plan in plans:
        copy.heading(f"Observasjon {clock.format_date(plan['starts_on'])}–{clock.format_date(plan['ends_on'])}",
                     level=3)
        copy.line("Planlagt av:", plan["created_by_name"], free=False)
        for key, question in vedlegg8.PLANNING_QUESTIONS:
            copy.line(question, plan["answers"].get(key, ""))
        for log in plan["logs"]:
            copy.line("Logg:", f"{clock.format_date(log['log_date'])}, {log['observer_name']}"
                               + (f", {log['duration']}" if log["duration"] else ""), free=False)
            copy.line("Situasjon:", log["situation"])
            for item in log["items"]:
                label = LOG_ITEMS.get(item["item"], item["item"])
                copy.line(f"{label}, {vedlegg8.SEEN_LABEL.lower()}", item["seen"])
                copy.line(f"{label}, {vedlegg8.COMMENT_LABEL.lower()}:", item["comment"])
        copy.line("Analyse:", plan["analysis"])


def _watch_flags(copy, rows):
    """What duty staff were asked to look for."""
    for row in rows:
        copy.line(f"{clock.format_date(row['created_at'])}, {row['created_by_name']}, "
                  f"til {clock.format_date(row['until'])}:", row["look_for"])


def _checklists(copy, rows):
    """Vedlegg 6 checklists a pattern around the pupil prompted."""
    for row in rows:
        copy.heading(f"{CHECKLIST_TITLE} {clock.format_date(row['created_at'])}, {row['author']}", level=3)
        for number, question in enumerate(CHECKLIST_QUESTIONS, start=1):
            answer = row["answers"].get(str(number)) or {}
            copy.line(question, " – ".join(part for part in (answer.get("answer", ""),
                                                            copy.redactor.text(answer.get("comment", ""))) if part),
                      free=False)


def export_docx(bundle, *, redactor, recipient, recipient_name, released_by, now):
    """The copy as a .docx (bytes), and what it took out: [(alias, [details])]."""
    pupil, school = bundle["pupil"], bundle["school"]
    show_school = rules.shows_school_details(pupil)
    document = docx_template.new_document(texts.TITLE.format(name=pupil["full_name"]))
    copy = Copy(document, redactor)
    copy.paragraph(texts.EXEMPT)
    copy.heading(texts.TITLE.format(name=pupil["full_name"]), level=1)
    copy.paragraph(texts.INTRO)
    details = [pupil["full_name"]]
    if show_school and pupil["class_name"]:
        details.append(f"klasse {pupil['class_name']}")
    if pupil["birth_date"]:
        details.append(f"født {clock.format_date(pupil['birth_date'])}")
    copy.line("Elev:", ", ".join(details), free=False)
    if show_school:
        copy.line("Skole:", school["name"], free=False)
    else:
        copy.paragraph(texts.CONFIDENTIAL_LEFT_OUT)
    released = texts.RELEASED_LINE.format(name=recipient_name, recipient=rules.RECIPIENTS[recipient],
                                          when=clock.format_datetime(now.isoformat()), by=released_by)
    copy.paragraph(released)

    writers = {
        "observasjoner": lambda rows: _observations(copy, rows),
        "notater": lambda rows: _notes(copy, rows),
        "meldinger": lambda rows: _meldinger(copy, rows),
        "saker": lambda rows: _saker(copy, rows, show_school, now.date()),
        "samtaler": lambda rows: _talks_elsewhere(copy, rows),
        "observasjonsplaner": lambda rows: _observation_plans(copy, rows),
        "folg_med": lambda rows: _watch_flags(copy, rows),
        "sjekklister": lambda rows: _checklists(copy, rows),
    }
    for key, heading in SECTIONS.items():
        copy.heading(heading)
        copy.nothing(bundle[key])
        writers[key](bundle[key])

    redactions = redactor.redactions()
    copy.heading(texts.REDACTED_TITLE)
    if redactions:
        copy.paragraph(texts.REDACTED_INTRO)
        for name, left_out in redactions:
            document.add_paragraph(xml_safe(f"{name}: {', '.join(left_out)}"), "List Bullet")
    else:
        copy.paragraph(texts.NOTHING_REDACTED)
    copy.heading(texts.RELEASED_TITLE)
    grid = document.add_table(rows=1, cols=2, style="Table Grid")
    grid.rows[0].cells[0].text, grid.rows[0].cells[1].text = "Hva", "Antall"
    for key, heading in SECTIONS.items():
        cells = grid.add_row().cells
        cells[0].text, cells[1].text = heading, str(len(bundle[key]))
    copy.paragraph(released)
    return docx_template.save(document), redactions
