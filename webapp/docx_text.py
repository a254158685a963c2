"""Text that Word documents can hold: python-docx refuses characters XML 1.0 forbids.

Word itself puts some of them into copied text (a vertical tab for a line
break inside a paragraph, a form feed for a page break), so pasted text must
be cleaned before it is stored and again before it is written to a .docx.
"""
import re

# C0 controls except tab, line feed and carriage return; DEL and C1 are legal XML
# but are invisible garbage in a school document, so they go too; lone
# surrogates and the non-characters U+FFFE/U+FFFF are not XML at all.
_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text):
    """The text with Word's breaks as newlines and characters XML forbids taken out ('' for None)."""
    if text is None:
        return ""
    # line and page breaks from Word become ordinary line breaks; str.replace, because
    # str.translate looks up every character in Python and took ~20 µs on a paragraph
    text = str(text).replace("\x0b", "\n").replace("\x0c", "\n")
    return _FORBIDDEN.sub("", text)


def one_line(text):
    """Text for a one-line field (a name): xml_safe, then every run of spaces or breaks as one space."""
    return " ".join(xml_safe(text).split())
