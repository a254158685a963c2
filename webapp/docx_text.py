"""Text that Word documents can hold: python-docx refuses characters XML 1.0 forbids.

Word itself puts some of them into copied text (a vertical tab for a line
break inside a paragraph, a form feed for a page break), so pasted text must
be cleaned before it is stored and again before it is written to a .docx.
"""
import re

# Line and page breaks from Word become ordinary line breaks.
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
# C0 controls except tab, line feed and carriage return; DEL and C1 are legal XML
# but are invisible garbage in a school document, so they go too; lone
# surrogates and the non-characters U+FFFE/U+FFFF are not XML at all.
_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text):
    """The text with Word's breaks as newlines and characters XML forbids taken out ('' for None)."""
    if text is None:
        return ""
    return _FORBIDDEN.sub("", str(text).translate(_BREAKS))
