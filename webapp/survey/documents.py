"""The round's result as a Word document: a map per question with the class's marks, the tables, the answers."""
import io

from docx.shared import Cm
from PIL import Image, ImageDraw

from .. import clock, docx_template
from ..docx_text import xml_safe
from . import texts

# the marks' colours on paper: the same as on the screen (static/trygg.css .survey-*)
COLOURS = {"leke": (7, 94, 59), "utrygt": (164, 22, 26), "voksne": (20, 70, 170)}


def marked_map(map_image, marks, kind, width=900):
    """The map with one question's marks drawn in its colour and shape, as PNG bytes."""
    image = Image.open(io.BytesIO(map_image)).convert("RGB")
    image = image.resize((width, round(image.height * width / image.width)))
    draw = ImageDraw.Draw(image)
    r, colour = width / 60, COLOURS[kind]
    for mark in marks:
        if mark["x"] is None:
            continue
        x, y = mark["x"] * image.width, mark["y"] * image.height
        if mark["shape"] == "cross":
            draw.line([(x - r, y - r), (x + r, y + r)], fill=colour, width=5)
            draw.line([(x - r, y + r), (x + r, y - r)], fill=colour, width=5)
        elif mark["shape"] == "triangle":
            draw.polygon([(x, y - r), (x + r, y + r * .8), (x - r, y + r * .8)], fill=colour, outline="white")
        else:
            draw.ellipse([x - r, y - r, x + r, y + r], fill=colour, outline="white", width=2)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out


def _table(document, header, rows):
    """A table with a header row."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = xml_safe(str(text))
    return table


def docx(data, map_image, now):
    """A .docx of the round's result."""
    survey_round = data["survey_round"]
    document = docx_template.new_document(texts.TITLE)
    document.add_heading(f"{texts.TITLE} – {xml_safe(survey_round['class_name'])}", level=0)
    document.add_paragraph(f"{texts.ATTACHMENT}. {survey_round['talks']} av {survey_round['pupils']} elever. "
                           f"Åpnet {clock.format_date(survey_round['opened_at'])}, "
                           f"skrevet ut {clock.format_datetime(clock.to_utc_iso(now))}.")
    document.add_paragraph("Taushetsbelagt (offl. § 13, fvl. § 13).")
    document.add_heading("Funn", level=1)
    for row in data["key_findings"]:
        document.add_paragraph(f"{xml_safe(row['name'])}: {texts.FINDINGS['unsafe_unseen_unwatched'].lower()}.",
                               style="List Bullet")
    if not data["key_findings"]:
        document.add_paragraph("Ingen steder er markert utrygt uten registreringer og uten vakt.")
    document.add_heading("Per sone", level=1)
    _table(document, ["Sone", "Leke", "Utrygt", "Voksne bør være", "Registrerte bekymringer", "Vakt", "Funn"],
           [(row["name"], row["leke"], row["utrygt"], row["voksne"], row["concerns"],
             "ja" if row["on_duty"] else "nei", "; ".join(row["findings"]) or "–") for row in data["rows"]])
    for item in data["maps"]:
        document.add_heading(f"{item['question']} ({item['look']}, {item['count']})", level=1)
        if map_image:
            document.add_picture(marked_map(map_image, item["marks"], item["kind"]), width=Cm(15))
    document.add_heading("Svarene", level=1)
    for talk in data["talks"]:
        document.add_heading(xml_safe(talk["pupil_name"]), level=2)
        for column, question in texts.QUESTIONS:
            paragraph = document.add_paragraph()
            paragraph.add_run(question + " ").bold = True
            paragraph.add_run(xml_safe(talk[column]) or "–")
    return docx_template.save(document)
