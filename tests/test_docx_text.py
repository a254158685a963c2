"""Text that Word documents can hold: what pasted text loses and keeps."""
import io

from docx import Document

from webapp.docx_text import xml_safe


def test_word_line_and_page_breaks_become_newlines():
    assert xml_safe("første\x0bandre\x0ctredje") == "første\nandre\ntredje"


def test_other_control_characters_are_dropped_but_tab_and_newlines_kept():
    assert xml_safe("a\x00b\x01c\x08d\x1fe\x7f") == "abcde"
    assert xml_safe("kolonne\tkolonne\r\nlinje\n") == "kolonne\tkolonne\r\nlinje\n"
    assert xml_safe("Æøå – «sitat» 😀") == "Æøå – «sitat» 😀"
    assert xml_safe(None) == ""


def test_cleaned_text_goes_into_a_docx():
    document = Document()
    document.add_paragraph(xml_safe("Limt inn fra Word:\x0bny linje\x01"))
    out = io.BytesIO()
    document.save(out)
    assert "ny linje" in Document(io.BytesIO(out.getvalue())).paragraphs[0].text
