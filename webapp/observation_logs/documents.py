"""The put-together observation as a Word document (python-docx, from Trygg's template)."""

from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt

from .. import clock, docx_template
from ..docx_text import xml_safe


def cleaned(value):
    """Every string inside dicts, lists and tuples made safe for Word (other values as they are)."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {key: cleaned(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(cleaned(item) for item in value)
    return value


def docx(data, now):
    """A .docx of the plan (8:1), the tasks (8:2), every log by section (8:3) and the analysis."""
    # text pasted from Word may hold control characters python-docx refuses
    data = {key: value if key == "vedlegg8" else cleaned(value) for key, value in data.items()}
    vedlegg8, plan, info = data["vedlegg8"], data["plan"], data["info"]
    document = docx_template.new_document("Systematisk observasjon")
    section = document.sections[0]
    # landscape: the logs stand side by side in columns
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    document.styles["Normal"].font.size = Pt(10)

    document.add_heading("Systematisk observasjon", level=0)
    header = document.add_table(rows=0, cols=2)
    header.style = "Table Grid"
    for label, value in [
        ("Klasse", info["class_name"]), ("Enkeltelev", info["pupil_name"] or "–"),
        ("Periode", f"{clock.format_date(plan['starts_on'])}–{clock.format_date(plan['ends_on'])}"),
        ("Planlagt av", info["created_by_name"]), ("Skrevet ut", clock.format_datetime(clock.to_utc_iso(now))),
    ]:
        cells = header.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.add_paragraph("Taushetsbelagt (offl. § 13, fvl. § 13).")

    document.add_heading("Planlegging av observasjon (Vedlegg 8:1)", level=1)
    document.add_paragraph(vedlegg8.PLANNING_INTRO)
    for key, question in vedlegg8.PLANNING_QUESTIONS:
        paragraph = document.add_paragraph()
        paragraph.add_run(question).bold = True
        document.add_paragraph(data["answers"].get(key) or "–")
    document.add_heading(vedlegg8.NEEDS_HEADING, level=2)
    for heading, points in vedlegg8.NEEDS:
        chosen = [label for key, label in points if key in data["needs"]]
        if chosen:
            document.add_paragraph(f"{heading}: {', '.join(chosen)}")
    if not data["needs"]:
        document.add_paragraph("–")

    document.add_heading("Organisering av observasjon (Vedlegg 8:2)", level=1)
    if data["assignments"]:
        tasks = document.add_table(rows=1, cols=3)
        tasks.style = "Table Grid"
        for cell, text in zip(tasks.rows[0].cells, ["Dag", "Observatør", "Situasjon"]):
            cell.text = text
        for task in data["assignments"]:
            cells = tasks.add_row().cells
            cells[0].text = clock.format_long_date(task["day"]).capitalize()
            cells[1].text, cells[2].text = task["observer_name"], task["situation"]
    else:
        document.add_paragraph("Ingen oppgaver er fordelt.")

    document.add_heading(f"{vedlegg8.LOG_TITLE} (Vedlegg 8:3)", level=1)
    document.add_paragraph(vedlegg8.RULE)
    logs = data["logs"]
    for number, title, items in vedlegg8.SECTIONS:
        document.add_heading(f"{number}. {title}", level=2)
        if logs:
            table = document.add_table(rows=1, cols=len(logs) + 1)
            table.style = "Table Grid"
            table.rows[0].cells[0].text = ""
            for cell, log in zip(table.rows[0].cells[1:], logs):
                cell.text = (f"{log['observer_name']}, {clock.format_date(log['log_date'])}"
                             + (f", {log['situation']}" if log["situation"] else "")
                             + (f" ({log['duration']})" if log["duration"] else ""))
            for key, item, _ in items:
                cells = table.add_row().cells
                cells[0].text = item
                for cell, log in zip(cells[1:], logs):
                    row = log["items"].get(vedlegg8.item_key(number, key))
                    cell.text = ""
                    if row and row["seen"]:
                        cell.paragraphs[0].add_run(f"{vedlegg8.seen_label(number)} ").bold = True
                        cell.paragraphs[0].add_run(row["seen"])
                    if row and row["comment"]:
                        paragraph = cell.add_paragraph()
                        paragraph.add_run(f"{vedlegg8.COMMENT_LABEL}: ").bold = True
                        paragraph.add_run(row["comment"])
        else:
            document.add_paragraph("Ingen logger ennå.")
        records = data["records"].get(number, [])
        if records:
            document.add_paragraph().add_run("Fra tilsyn og SFO").bold = True
            for record in records:
                pupils = ", ".join(f"{p['full_name']} ({p['role_name']})" for p in record["pupils"])
                labels = f" ({', '.join(record['label_names'])})" if record["label_names"] else ""
                text = (f"{clock.format_datetime(record['observed_at'])}, {record['context_name']}, "
                        f"{record['author_name']}{labels}: {record['facts']}")
                if record["comment"]:
                    text += f" Kommentar: {record['comment']}"
                document.add_paragraph(f"{text} Elever: {pupils}.", style="List Bullet")

    document.add_heading("Analyse", level=1)
    document.add_paragraph(plan["analysis"] or "–")
    return docx_template.save(document)
