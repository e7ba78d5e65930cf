"""Readers: bytes → ``ReadResult`` (normalised text, pages, tables) or ``RejectedDocument``.

The reader is chosen by sniffing the bytes first and the file suffix second, so that a PDF
named ``.html`` or junk named ``.pdf`` is caught with a clear reason.
"""

from __future__ import annotations

from pathlib import PurePath

from .base import ReadResult, RejectedDocument, TableBlock, TableCell

READER_VERSION = "3"  # 3: Word text from the XML (soft breaks, numbering, text boxes, grid tables), CMS page furniture

_SUFFIX_TYPES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".html": "text/html",
    ".htm": "text/html",
    ".shtml": "text/html",
    ".xhtml": "text/html",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
}
DOCX_TYPE = _SUFFIX_TYPES[".docx"]
DOC_TYPE = _SUFFIX_TYPES[".doc"]
# What folder discovery offers: every format a reader exists for (.doc is refused with how to
# convert it when LibreOffice is not installed, which is better than passing over it in silence).
READABLE_SUFFIXES = frozenset(_SUFFIX_TYPES)


def sniff_media_type(data: bytes, file_name: str) -> str | None:
    """The media type from magic bytes, falling back to the suffix."""
    head = data[:1024].lstrip()
    if data[:1024].find(b"%PDF-") != -1:
        return "application/pdf"
    if data.startswith(b"PK\x03\x04"):  # a ZIP: a .docx when it holds word/document.xml
        return DOCX_TYPE if b"word/" in data[:65536] or PurePath(file_name).suffix.lower() == ".docx" else None
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE: .doc (or an encrypted .docx)
        return DOCX_TYPE if PurePath(file_name).suffix.lower() == ".docx" else DOC_TYPE
    lowered = head[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in lowered or b"<body" in lowered:
        return "text/html"
    return _SUFFIX_TYPES.get(PurePath(file_name).suffix.lower())


def read_document(data: bytes, file_name: str) -> ReadResult:
    """Read one document's bytes; raise RejectedDocument with the reason when it can't be read."""
    suffix = PurePath(file_name).suffix.lower()
    media_type = sniff_media_type(data, file_name)
    if not data:
        raise RejectedDocument("empty file (0 bytes)", media_type=media_type)
    if media_type is None:
        raise RejectedDocument(f"unsupported file type {suffix or '(no suffix)'}; expected .txt, .html, .pdf or .docx")
    if media_type == "application/pdf":
        if suffix and suffix != ".pdf" and not data.lstrip().startswith(b"%PDF-"):
            raise RejectedDocument(f"{suffix} file holds PDF bytes in an unexpected place", media_type=media_type)
        from .pdf import read_pdf  # pdf libraries load only when a PDF arrives

        return read_pdf(data)
    if suffix == ".pdf":
        raise RejectedDocument("not a PDF: the file does not start with %PDF- (corrupt or mislabelled)",
                               media_type="application/pdf")
    if media_type in (DOCX_TYPE, DOC_TYPE):
        from .docx import read_doc, read_docx

        return read_docx(data) if media_type == DOCX_TYPE else read_doc(data)
    if suffix in (".docx", ".doc"):
        raise RejectedDocument(f"not a Word file: {suffix} without a ZIP or OLE header (corrupt or mislabelled)",
                               media_type=_SUFFIX_TYPES[suffix])
    if media_type == "text/html":
        from .html import read_html

        return read_html(data)
    from .text import read_text

    return read_text(data)


__all__ = ["READER_VERSION", "ReadResult", "RejectedDocument", "TableBlock", "TableCell", "read_document",
           "sniff_media_type", "READABLE_SUFFIXES"]
