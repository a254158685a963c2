"""The archive export of a closed sak: each document as .docx and PDF/A, and a Noark 5-style arkivuttrekk.xml.

Noark 5-style, not a certified Noark 5 extraction: the metadata follow Noark 5's
structure (arkiv, arkivdel, mappe as saksmappe, registrering as journalpost,
dokumentbeskrivelse, dokumentobjekt) and names, so the municipality's archive
can take the files in, but Trygg is no Noark 5 system and claims no approval.
"""
import hashlib
import io
import xml.etree.ElementTree as ElementTree
import zipfile

NOARK = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# PDF/A-2b: an archival PDF (ISO 19005-2, level B) Arkivverket takes as an archive format
PDF_VARIANT = "pdf/a-2b"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SCREENED = "Unntatt offentlighet"
SCREENING_BASIS = "Offl. § 13, jf. fvl. § 13"


def pdf_a(html, stylesheets, base_url):
    """A page's HTML as PDF/A-2b bytes (WeasyPrint embeds the fonts and writes the XMP pdfaid marks)."""
    import weasyprint  # loaded on the first export only: it pulls in Pango

    return weasyprint.HTML(string=html, base_url=base_url).write_pdf(
        stylesheets=[weasyprint.CSS(filename=path) for path in stylesheets], pdf_variant=PDF_VARIANT)


def sha256(data):
    """A file's SHA-256 checksum, as hex."""
    return hashlib.sha256(data).hexdigest()


def file_entries(documents):
    """Each document's files in the zip: (document, [(path in the zip, bytes, format, variant, mime)])."""
    entries = []
    for number, document in enumerate(documents, 1):
        stem = f"dokumenter/{number:02d}-{document['name']}"
        entries.append((document, [
            (f"{stem}.docx", document["docx"], "DOCX", "Produksjonsformat", DOCX_MIME),
            (f"{stem}.pdf", document["pdf"], "PDF/A-2b", "Arkivformat", "application/pdf"),
        ]))
    return entries


def _text(parent, name, value):
    """A child element with text (nothing when the value is empty)."""
    if value in (None, ""):
        return None
    element = ElementTree.SubElement(parent, f"{{{NOARK}}}{name}")
    element.text = str(value)
    return element


def arkivuttrekk(meta, entries):
    """The metadata of the export as Noark 5-style XML bytes.

    :param meta: the sak's facts: sak_id, school, school_id, title, opened_at, closed_at, owner_name,
                 exported_at, exported_by
    """
    ElementTree.register_namespace("", NOARK)
    ElementTree.register_namespace("xsi", XSI)
    arkiv = ElementTree.Element(f"{{{NOARK}}}arkiv")
    _text(arkiv, "systemID", f"trygg-skole-{meta['school_id']}")
    _text(arkiv, "tittel", f"Trygg – {meta['school']}")
    _text(arkiv, "arkivstatus", "Avsluttet")
    _text(arkiv, "opprettetDato", meta["exported_at"])
    _text(arkiv, "opprettetAv", "Trygg")
    arkivdel = ElementTree.SubElement(arkiv, f"{{{NOARK}}}arkivdel")
    _text(arkivdel, "systemID", f"trygg-skole-{meta['school_id']}-skolemiljo")
    _text(arkivdel, "tittel", "Saker om elevens skolemiljø (opplæringsloven kapittel 12)")
    _text(arkivdel, "arkivdelstatus", "Avsluttet periode")
    _text(arkivdel, "opprettetDato", meta["exported_at"])
    _text(arkivdel, "opprettetAv", meta["exported_by"])
    # bevares: Riksarkivarens forskrift § 7-28
    _text(arkivdel, "kassasjon", "Bevares")
    mappe = ElementTree.SubElement(arkivdel, f"{{{NOARK}}}mappe", {f"{{{XSI}}}type": "saksmappe"})
    _text(mappe, "systemID", f"trygg-sak-{meta['sak_id']}")
    _text(mappe, "mappeID", f"sak-{meta['sak_id']}")
    _text(mappe, "tittel", meta["title"])
    _text(mappe, "offentligTittel", "Sak om elevens skolemiljø")
    _text(mappe, "opprettetDato", meta["opened_at"])
    _text(mappe, "avsluttetDato", meta["closed_at"])
    skjerming = ElementTree.SubElement(mappe, f"{{{NOARK}}}skjerming")
    _text(skjerming, "tilgangsrestriksjon", SCREENED)
    _text(skjerming, "skjermingshjemmel", SCREENING_BASIS)
    _text(mappe, "saksdato", (meta["opened_at"] or "")[:10])
    _text(mappe, "administrativEnhet", meta["school"])
    _text(mappe, "saksansvarlig", meta["owner_name"])
    _text(mappe, "saksstatus", "Avsluttet")
    for number, (document, files) in enumerate(entries, 1):
        registrering = ElementTree.SubElement(mappe, f"{{{NOARK}}}registrering", {f"{{{XSI}}}type": "journalpost"})
        _text(registrering, "systemID", f"trygg-sak-{meta['sak_id']}-{number}")
        _text(registrering, "opprettetDato", meta["exported_at"])
        _text(registrering, "opprettetAv", meta["exported_by"])
        _text(registrering, "tittel", document["title"])
        _text(registrering, "journalposttype", document.get("journalposttype", "Organinternt dokument uten oppfølging"))
        _text(registrering, "journalstatus", "Arkivert")
        _text(registrering, "dokumentetsDato", document.get("dated"))
        beskrivelse = ElementTree.SubElement(registrering, f"{{{NOARK}}}dokumentbeskrivelse")
        _text(beskrivelse, "systemID", f"trygg-sak-{meta['sak_id']}-{number}-1")
        _text(beskrivelse, "dokumenttype", document["kind"])
        _text(beskrivelse, "dokumentstatus", "Dokumentet er ferdigstilt")
        _text(beskrivelse, "tittel", document["title"])
        _text(beskrivelse, "opprettetDato", meta["exported_at"])
        _text(beskrivelse, "tilknyttetRegistreringSom", "Hoveddokument")
        _text(beskrivelse, "dokumentnummer", 1)
        for path, data, file_format, variant, mime in files:
            objekt = ElementTree.SubElement(beskrivelse, f"{{{NOARK}}}dokumentobjekt")
            _text(objekt, "versjonsnummer", 1)
            _text(objekt, "variantformat", variant)
            _text(objekt, "format", file_format)
            _text(objekt, "opprettetDato", meta["exported_at"])
            _text(objekt, "referanseDokumentfil", path)
            _text(objekt, "filnavn", path.rsplit("/", 1)[-1])
            _text(objekt, "mimeType", mime)
            _text(objekt, "sjekksum", sha256(data))
            _text(objekt, "sjekksumAlgoritme", "SHA256")
            _text(objekt, "filstoerrelse", len(data))
    ElementTree.indent(arkiv)
    return ElementTree.tostring(arkiv, encoding="utf-8", xml_declaration=True)


def archive_zip(meta, documents):
    """The export as zip bytes: the documents in two formats each and arkivuttrekk.xml describing them."""
    entries = file_entries(documents)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("arkivuttrekk.xml", arkivuttrekk(meta, entries))
        for _, files in entries:
            for path, data, *_ in files:
                archive.writestr(path, data)
    return buffer.getvalue()
