"""Trygg's slim Word template: made by its script, holding only what the documents use."""
import io
import zipfile

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from webapp import docx_template


def _parts(package):
    """A .docx's parts by name, uncompressed (zlib builds may compress differently)."""
    with zipfile.ZipFile(package) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


def test_template_is_what_its_script_builds():
    assert _parts(io.BytesIO(docx_template.build())) == _parts(docx_template.PATH), \
        "trygg.docx is out of date: run .venv/bin/python -m webapp.docx_template"


def test_template_has_no_thumbnail_theme_or_second_copy_of_the_styles():
    names = zipfile.ZipFile(docx_template.PATH).namelist()
    assert sorted(names) == ["[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "word/_rels/document.xml.rels",
                             "word/document.xml", "word/numbering.xml", "word/settings.xml", "word/styles.xml"]


def test_template_styles_are_the_few_documents_use():
    document = docx_template.new_document()
    styles = document.styles
    assert sorted(style.style_id for style in styles) == sorted(style_id for style_id, _ in docx_template.STYLES)
    assert styles.element.find(qn("w:latentStyles")) is None
    normal = styles["Normal"]
    assert (normal.font.name, normal.font.size.pt) == ("Calibri", 11)
    # the theme's fonts and colours are written out: there is no theme to look them up in
    heading = styles["Heading 1"]
    assert (heading.font.name, heading.font.bold, str(heading.font.color.rgb)) == ("Calibri", True, "365F91")
    assert b"Theme" not in zipfile.ZipFile(docx_template.PATH).read("word/styles.xml")


def test_template_is_a4_with_norwegian_margins():
    section = docx_template.new_document().sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert section.orientation == WD_ORIENT.PORTRAIT
    margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
    assert [round(margin.cm, 2) for margin in margins] == [2.5] * 4
    assert (round(section.header_distance.cm, 2), round(section.footer_distance.cm, 2)) == (1.25, 1.25)


def test_template_is_in_norwegian_bokmal():
    document = docx_template.new_document()
    language = document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang")[0]
    assert (language.get(qn("w:val")), language.get(qn("w:eastAsia"))) == ("nb-NO", "nb-NO")
    assert document.core_properties.language == "nb-NO"
    archive = zipfile.ZipFile(docx_template.PATH)
    assert not [name for name in archive.namelist() if b"en-US" in archive.read(name)]


def test_list_bullet_has_its_bullet_and_table_grid_its_borders():
    document = docx_template.new_document()
    num_id = document.styles["List Bullet"].element.pPr.numPr.numId.val
    numbering = document.part.numbering_part.element
    abstract_id = numbering.num_having_numId(num_id).abstractNumId.val
    level = numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract_id}']/w:lvl[@w:ilvl='0']")[0]
    assert level.find(qn("w:numFmt")).get(qn("w:val")) == "bullet"
    borders = document.styles["Table Grid"].element.xpath("w:tblPr/w:tblBorders/*")
    assert {border.tag.split("}")[1] for border in borders} == {"top", "left", "bottom", "right", "insideH", "insideV"}
    assert {border.get(qn("w:val")) for border in borders} == {"single"}


def test_each_new_document_is_its_own():
    first, second = docx_template.new_document(), docx_template.new_document()
    first.add_paragraph("Bare i det første")
    first.styles["Normal"].font.size = None
    assert [p.text for p in first.paragraphs] == ["Bare i det første"]
    assert second.paragraphs == [] and second.styles["Normal"].font.size.pt == 11
    assert docx_template.new_document().styles["Normal"].font.size.pt == 11


def test_a_new_document_is_dated_now_and_made_by_trygg(app):
    from datetime import datetime, timezone

    app.config["NOW"] = "2026-11-26T10:15:00+01:00"
    with app.app_context():
        properties = docx_template.new_document("Aktivitetsplan – sak nr. 3").core_properties
    assert properties.created == properties.modified == datetime(2026, 11, 26, 9, 15, tzinfo=timezone.utc)
    assert (properties.author, properties.title, properties.language) == (
        "Trygg", "Aktivitetsplan – sak nr. 3", "nb-NO")
    assert "python-docx" not in (properties.comments or "")


def test_a_saved_document_opens_in_word_with_its_text_styles_and_title():
    document = docx_template.new_document("Aktivitetsplan")
    document.add_paragraph("Tekst & <mer>", style="List Bullet")
    document.add_table(rows=1, cols=2).style = "Table Grid"
    saved = Document(io.BytesIO(docx_template.save(document)))
    assert [(p.text, p.style.name) for p in saved.paragraphs] == [("Tekst & <mer>", "List Bullet")]
    assert [table.style.name for table in saved.tables] == ["Table Grid"]
    assert saved.core_properties.title == "Aktivitetsplan"
    with zipfile.ZipFile(io.BytesIO(docx_template.save(document))) as archive:
        assert archive.testzip() is None
        assert archive.read("word/styles.xml") == zipfile.ZipFile(docx_template.PATH).read("word/styles.xml")
