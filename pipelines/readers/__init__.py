"""Readers: bytes → ``ReadResult`` (normalised text, pages, tables) or ``RejectedDocument``.

The reader is chosen by sniffing the bytes first and the file suffix second, so that a PDF
named ``.html`` or junk named ``.pdf`` is caught with a clear reason.
"""

from __future__ import annotations

from pathlib import PurePath

from .base import ReadResult, RejectedDocument, TableBlock, TableCell

READER_VERSION = "1"

_SUFFIX_TYPES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".html": "text/html",
    ".htm": "text/html",
    ".shtml": "text/html",
    ".xhtml": "text/html",
    ".pdf": "application/pdf",
}
SUPPORTED_SUFFIXES = frozenset(_SUFFIX_TYPES)


def sniff_media_type(data: bytes, file_name: str) -> str | None:
    """The media type from magic bytes, falling back to the suffix."""
    head = data[:1024].lstrip()
    if data[:1024].find(b"%PDF-") != -1:
        return "application/pdf"
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
        raise RejectedDocument(f"unsupported file type {suffix or '(no suffix)'}; expected .txt, .html or .pdf")
    if media_type == "application/pdf":
        if suffix and suffix != ".pdf" and not data.lstrip().startswith(b"%PDF-"):
            raise RejectedDocument(f"{suffix} file holds PDF bytes in an unexpected place", media_type=media_type)
        from .pdf import read_pdf  # pdf libraries load only when a PDF arrives

        return read_pdf(data)
    if suffix == ".pdf":
        raise RejectedDocument("not a PDF: the file does not start with %PDF- (corrupt or mislabelled)",
                               media_type="application/pdf")
    if media_type == "text/html":
        from .html import read_html

        return read_html(data)
    from .text import read_text

    return read_text(data)


__all__ = ["READER_VERSION", "ReadResult", "RejectedDocument", "TableBlock", "TableCell", "read_document",
           "sniff_media_type", "SUPPORTED_SUFFIXES"]
