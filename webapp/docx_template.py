"""The Word template Trygg's .docx files start from, and how to rebuild it.

`trygg.docx` is python-docx's default template on A4 pages with the margins
of Norwegian public letters, in Norwegian bokmål (schools print the documents
and archive them), holding only the styles the documents use (no theme,
thumbnail or latent styles), with the theme's fonts and colours written into
them. Rebuild it from python-docx's default after upgrading python-docx or
when a document needs another built-in style (add it to `STYLES`):

    .venv/bin/python -m webapp.docx_template

The zip has fixed dates and order, so a rebuild changes the file only when a part changes.
"""
import io
import zipfile
from datetime import timezone
from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, Twips
from flask import make_response
from lxml import etree

from . import clock

PATH = Path(__file__).with_name("trygg.docx")

# (style id, name) of the styles Trygg's documents use, and the defaults Word looks for
STYLES = [
    ("Normal", "Normal"), ("Title", "Title"), ("Heading1", "heading 1"), ("Heading2", "heading 2"),
    ("ListBullet", "List Bullet"), ("TableGrid", "Table Grid"),
    ("DefaultParagraphFont", "Default Paragraph Font"), ("TableNormal", "Normal Table"), ("NoList", "No List"),
]

# the theme's fonts by the name styles refer to them; `trygg.docx` has no theme
_THEME_FONTS = {"major": "a:majorFont/a:latin/@typeface", "minor": "a:minorFont/a:latin/@typeface"}
_KEEP_PARTS = {RT.OFFICE_DOCUMENT, RT.CORE_PROPERTIES, RT.STYLES, RT.NUMBERING, RT.SETTINGS}
_KEEP_SETTINGS = {"zoom", "defaultTabStop", "characterSpacingControl", "compat", "decimalSymbol", "listSeparator"}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A4 with the margins of Norwegian public letters: 2.5 cm, header and footer 1.25 cm from the edge
A4 = (Twips(11906), Twips(16838))
MARGIN, HEADER_DISTANCE = Cm(2.5), Cm(1.25)
LANGUAGE = "nb-NO"
# how Word in Norwegian writes numbers and lists in fields
_LOCALE_SETTINGS = {"decimalSymbol": ",", "listSeparator": ";"}


def new_document(title=""):
    """A new, empty document from trygg.docx, dated now (archives file documents by these properties)."""
    document = Document(str(PATH))
    properties = document.core_properties
    properties.created = properties.modified = clock.now().astimezone(timezone.utc).replace(tzinfo=None)
    properties.title = title
    return document


# what a .docx is sent as
MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(data, filename):
    """A .docx's bytes as an attachment to download; like every page, never stored (security.py sets no-store)."""
    response = make_response(data)
    response.headers["Content-Type"] = MIMETYPE
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response


def save(document):
    """The document as the bytes of a .docx file."""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _drop_parts(source):
    """Relate only the parts in `_KEEP_PARTS`; python-docx saves only what is related."""
    for rId, rel in list(source.rels.items()):
        if rel.reltype not in _KEEP_PARTS:
            del source.rels[rId]


def _resolve_theme(element, fonts):
    """Name the theme's fonts and colours outright, as Word shows them with the default theme."""
    for rfonts in element.iter(qn("w:rFonts")):
        for attribute, named in (("w:asciiTheme", "w:ascii"), ("w:hAnsiTheme", "w:hAnsi"),
                                 ("w:eastAsiaTheme", None), ("w:cstheme", None)):
            theme = rfonts.attrib.pop(qn(attribute), None)
            if theme and named:  # East Asian and complex-script fonts are empty in python-docx's theme
                rfonts.set(qn(named), fonts["major" if theme.startswith("major") else "minor"])
    for node in element.iter():
        for attribute in ("w:themeColor", "w:themeShade", "w:themeTint"):
            node.attrib.pop(qn(attribute), None)  # w:val already holds the resolved colour


def _slim_styles(styles, fonts):
    """Keep the styles in `STYLES`, without latent styles, links to character styles and revision ids."""
    keep = {style_id for style_id, _ in STYLES}
    for child in list(styles):
        if child.tag == qn("w:latentStyles") or (child.tag == qn("w:style") and child.get(qn("w:styleId")) not in keep):
            styles.remove(child)
    for style in styles.iter(qn("w:style")):
        for child in style.findall(qn("w:link")) + style.findall(qn("w:rsid")):
            style.remove(child)
    _resolve_theme(styles, fonts)


def _slim_numbering(numbering, styles):
    """Keep the numbering definitions the kept styles refer to (List Bullet's bullets)."""
    used = {num.get(qn("w:val")) for num in styles.iter(qn("w:numId"))}
    abstract = set()
    for num in numbering.findall(qn("w:num")):
        if num.get(qn("w:numId")) in used:
            abstract.add(num.find(qn("w:abstractNumId")).get(qn("w:val")))
        else:
            numbering.remove(num)
    for definition in numbering.findall(qn("w:abstractNum")):
        if definition.get(qn("w:abstractNumId")) not in abstract:
            numbering.remove(definition)


def _norwegian(element):
    """Norwegian bokmål wherever python-docx's default says American English."""
    # Word checks spelling and hyphenates text in the language it is marked with
    for node in element.iter():
        for name, value in node.attrib.items():
            if value == "en-US":
                node.set(name, LANGUAGE)


def _a4(section):
    """An A4 page, upright, with Norwegian margins."""
    section.page_width, section.page_height = A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    section.header_distance = section.footer_distance = HEADER_DISTANCE


def build():
    """The bytes of trygg.docx, made from python-docx's default template."""
    document = Document()
    package = document.part.package
    theme = document.part.part_related_by(RT.THEME)
    scheme = etree.fromstring(theme.blob).find(".//{*}fontScheme")
    namespaces = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    fonts = {key: scheme.xpath(path, namespaces=namespaces)[0] for key, path in _THEME_FONTS.items()}

    _drop_parts(package)
    _drop_parts(document.part)
    # Calibri 11, as Trygg's documents always had it
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    styles = document.styles.element
    _slim_styles(styles, fonts)
    _slim_numbering(document.part.numbering_part.element, styles)
    settings = document.settings.element
    for child in list(settings):
        name = child.tag.removeprefix(_W)
        if name not in _KEEP_SETTINGS:
            settings.remove(child)
        elif name in _LOCALE_SETTINGS:
            child.set(qn("w:val"), _LOCALE_SETTINGS[name])
    for part in (styles, settings, document.element):
        _norwegian(part)
    properties = document.core_properties
    properties.language = LANGUAGE
    properties.author, properties.comments = "Trygg", ""
    _a4(document.sections[0])
    section = document.element.body.sectPr
    for attribute in [name for name in section.attrib if name.startswith(_W + "rsid")]:
        del section.attrib[attribute]

    saved = io.BytesIO()
    document.save(saved)
    # the same zip each time: fixed dates and the parts in python-docx's order
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)),
                            source.read(info), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


if __name__ == "__main__":
    PATH.write_bytes(build())
    print(f"wrote {PATH} ({PATH.stat().st_size} bytes)")
