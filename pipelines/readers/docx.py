"""Word files: .docx read with python-docx; legacy .doc converted by LibreOffice or refused.

Body paragraphs and tables are read in document order (also inside content controls), so a
table sits where the author put it; tables become ``TableBlock``s with their first row as the
header, as the extraction engine's table rule expects. Page headers and footers of the file
are page furniture and are not read. A .docx is a ZIP: its size, member count and the
unpacked size of the document part are checked before parsing, so a ZIP bomb is refused.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile

from .assemble import assemble
from .base import ReadResult, RejectedDocument
from .chrome import is_chrome_line
from .normalize import normalize_text

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC_MEDIA_TYPE = "application/msword"
MAX_FILE_BYTES = 128 * 1024 * 1024  # photos included; text alone is a few MB
MAX_UNPACKED = 64 * 1024 * 1024  # word/document.xml of a 300-page report is a few MB
MAX_MEMBERS = 2000
MAX_NESTING = 20  # content controls and tables inside tables
CONVERT_TIMEOUT_S = 120
CONVERT_HINT = "convert it with `libreoffice --headless --convert-to docx FILE.doc` and load the .docx"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _reject(reason: str, media_type: str = MEDIA_TYPE) -> RejectedDocument:
    return RejectedDocument(reason, media_type=media_type)


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as err:
        raise _reject(f"corrupt or truncated Word file (.docx is a ZIP archive): {err}") from err
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise _reject(f"not a Word document: ZIP with {len(members)} members")
        part = next((m for m in members if m.filename == "word/document.xml"), None)
        if part is None:
            raise _reject("not a Word document: the ZIP has no word/document.xml (another Office or ZIP file?)")
        if part.file_size > MAX_UNPACKED:
            raise _reject(f"Word document part unpacks to {part.file_size / 1e6:.0f} MB "
                          f"(limit {MAX_UNPACKED // (1024 * 1024)} MB): not a report (ZIP bomb?)")


def read_docx(data: bytes) -> ReadResult:
    """Read a .docx into text and tables; ``RejectedDocument`` for anything unreadable."""
    if len(data) > MAX_FILE_BYTES:
        raise _reject(f"too large for a report: {len(data) / 1e6:.0f} MB Word file "
                      f"(limit {MAX_FILE_BYTES // (1024 * 1024)} MB)")
    if data.startswith(OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            raise _reject("encrypted Word file (password protected): save an unprotected copy")
        raise _reject("legacy Word .doc file named .docx; " + CONVERT_HINT, DOC_MEDIA_TYPE)
    _check_zip(data)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        items: list = []
        _walk(document.element.body, document, items, Paragraph, Table, 0)
        title = (document.core_properties.title or "").strip() or None
    except RejectedDocument:
        raise
    except Exception as err:  # noqa: BLE001 - bad XML, missing parts: say what broke
        raise _reject(f"corrupt Word file: {type(err).__name__}: {err}") from err
    items = [item for item in items if not isinstance(item, str) or not is_chrome_line(item)]
    text, tables = assemble(items)
    if not text.strip():
        raise _reject("Word file has no text (only images or empty paragraphs?)")
    title_hint = normalize_text(title).replace("\n", " ") if title else _first_heading(items)
    return ReadResult(text=text, media_type=MEDIA_TYPE, encoding=None, tables=tables, title_hint=title_hint)


def _walk(element, parent, items: list, paragraph_cls, table_cls, depth: int) -> None:
    """Paragraph lines and table rows in body order, entering content controls (w:sdt)."""
    if depth > MAX_NESTING:
        raise _reject(f"Word file nests content more than {MAX_NESTING} levels deep: not a report")
    for child in element.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = normalize_text(_paragraph_text(paragraph_cls(child, parent)))
            items.extend(line for line in text.split("\n") if line)
        elif tag == "tbl":
            rows = _table_rows(table_cls(child, parent))
            if rows:
                items.append(rows)
        elif tag in ("sdt", "sdtContent", "customXml", "ins", "smartTag"):
            _walk(child, parent, items, paragraph_cls, table_cls, depth + 1)


_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_FOOTNOTE_RUN = re.compile(r"\[?\d{1,2}\]?")


def _paragraph_text(paragraph) -> str:
    """The paragraph's text, with superscript footnote numbers typed as runs ("生产总值" + ²
    + "2345.67亿元") kept as superscript characters, so the shared normaliser can drop them
    instead of reading them as digits of the figure."""
    if "superscript" not in paragraph._p.xml:
        return paragraph.text
    parts = []
    for item in paragraph.iter_inner_content():
        for run in getattr(item, "runs", None) or [item]:
            text = run.text
            if run.font.superscript and _FOOTNOTE_RUN.fullmatch(text.strip()):
                text = text.strip().strip("[]").translate(_SUPERSCRIPT_DIGITS)
            parts.append(text)
    return "".join(parts)


def _table_rows(table) -> list[list[str]]:
    """Cell texts per row; a merged cell is read once (python-docx repeats it across its span)."""
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(normalize_text(cell.text).replace("\n", " ").replace("\t", " "))
        if any(cells):
            rows.append(cells)
    return rows


def _first_heading(items: list) -> str | None:
    for item in items[:5]:
        if isinstance(item, str) and 6 <= len(item) <= 120:
            return item
    return None


def soffice_path() -> str | None:
    """LibreOffice's command when installed (optional: it converts .doc files)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(data: bytes) -> ReadResult:
    """A legacy .doc: converted to .docx by LibreOffice when it is installed, else refused
    with the command that converts it."""
    if not data.startswith(OLE_MAGIC):
        raise _reject("not a Word .doc file: no OLE header (corrupt or mislabelled)", DOC_MEDIA_TYPE)
    command = soffice_path()
    if command is None or os.environ.get("ANNUAL_ETL_NO_SOFFICE"):
        raise _reject("legacy Word .doc is not read directly; " + CONVERT_HINT, DOC_MEDIA_TYPE)
    with tempfile.TemporaryDirectory(prefix="annual-etl-doc-") as tmp:
        source = os.path.join(tmp, "report.doc")
        with open(source, "wb") as handle:
            handle.write(data)
        try:
            subprocess.run([command, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                            "--convert-to", "docx", "--outdir", tmp, source],
                           check=True, capture_output=True, timeout=CONVERT_TIMEOUT_S)
            with open(os.path.join(tmp, "report.docx"), "rb") as handle:
                converted = handle.read()
        except (subprocess.SubprocessError, OSError) as err:
            raise _reject(f"legacy Word .doc could not be converted by LibreOffice ({type(err).__name__}); "
                          + CONVERT_HINT, DOC_MEDIA_TYPE) from err
    result = read_docx(converted)
    result.media_type = DOC_MEDIA_TYPE
    return result
