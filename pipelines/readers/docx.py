"""Word files: .docx read with python-docx; legacy .doc converted by LibreOffice or refused.

python-docx opens the file; the text is read from the XML by ``docx_text`` (tracked insertions,
fields, soft line breaks, text boxes) and ``docx_numbering`` (automatic 一、/(二) numbers).
Body paragraphs and tables are read in document order (also inside content controls), so a
table sits where the author put it; tables become ``TableBlock``s aligned on the table's grid
with their header rows first, as the extraction engine's table rule expects. Page headers and footers of the file
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
from .docx_numbering import Numbering
from .docx_text import MC_FALLBACK, W, paragraph_text, text_boxes
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

        document = docx.Document(io.BytesIO(data))
        items: list = []
        _walk(document.element.body, _numbering(document), items, 0)
        title = (document.core_properties.title or "").strip() or None
    except RejectedDocument:
        raise
    except Exception as err:  # noqa: BLE001 - bad XML, missing parts: say what broke
        raise _reject(f"corrupt Word file: {type(err).__name__}: {err}") from err
    items = [item for item in items if not isinstance(item, str) or not is_chrome_line(item)]
    text, tables = assemble(items)
    if not text.strip():
        raise _reject("Word file has no text (only images or empty paragraphs?)")
    title_hint = normalize_text(title).replace("\n", " ") if title else _headline(document.element.body, items)
    return ReadResult(text=text, media_type=MEDIA_TYPE, encoding=None, tables=tables, title_hint=title_hint)


def _numbering(document) -> Numbering:
    """The file's list definitions and numbered styles (either part may be missing)."""
    part = document.part
    numbering = next((rel.target_part for rel in part.rels.values()
                      if rel.reltype.endswith("/numbering") and not rel.is_external), None)
    styles = next((rel.target_part for rel in part.rels.values()
                   if rel.reltype.endswith("/styles") and not rel.is_external), None)
    return Numbering(getattr(numbering, "element", None), getattr(styles, "element", None))


def _walk(element, numbering: Numbering, items: list, depth: int) -> None:
    """Paragraph lines and table rows in body order, entering content controls (w:sdt) and
    reading a paragraph's text boxes after it."""
    if depth > MAX_NESTING:
        raise _reject(f"Word file nests content more than {MAX_NESTING} levels deep: not a report")
    for child in element.iterchildren():
        tag = child.tag
        if tag == W + "p":
            text = normalize_text(paragraph_text(child, numbering))
            items.extend(line for line in text.split("\n") if line)
            for box in text_boxes(child):
                _walk(box, numbering, items, depth + 1)
        elif tag == W + "tbl":
            rows = _table_rows(child, numbering)
            if rows:
                items.append(rows)
        elif tag in _CONTAINERS:
            _walk(child, numbering, items, depth + 1)


_CONTAINERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "smartTag", W + "moveTo"}


def _cell_text(tc, numbering: Numbering) -> str:
    """A cell's paragraphs (also those of a table nested in it) as one line."""
    lines = [normalize_text(paragraph_text(p, numbering)) for p in tc.iter(W + "p")
             if not any(a.tag == MC_FALLBACK for a in p.iterancestors())]  # a text box's VML copy
    return " ".join(line for line in lines if line).replace("\n", " ").replace("\t", " ")


def _table_rows(tbl, numbering: Numbering) -> list[list[str]]:
    """Cell texts per row, aligned on the table's grid: a cell merged across columns is read
    once and followed by empty cells for the columns it spans, a cell merged down leaves empty
    cells below it (as the table rule reads merged headers: 2025年 over 绝对值 | 增长%, 指标 and
    单位 over two header rows), skipped grid columns (gridBefore/gridAfter) are empty."""
    rows: list[list[str]] = []
    for tr in tbl.iterchildren(W + "tr"):
        props = tr.find(W + "trPr")
        cells = [""] * _grid_val(props, "gridBefore")
        for tc in tr.iterchildren(W + "tc"):
            tc_pr = tc.find(W + "tcPr")
            span = max(1, _grid_val(tc_pr, "gridSpan"))
            merge = tc_pr.find(W + "vMerge") if tc_pr is not None else None
            merged_down = merge is not None and merge.get(W + "val", "continue") == "continue"
            text = "" if merged_down else _cell_text(tc, numbering)
            cells.extend([text] + [""] * (span - 1))
        cells.extend([""] * _grid_val(props, "gridAfter"))
        if any(cells):
            rows.append(cells)
    return rows


def _grid_val(props, name: str) -> int:
    child = props.find(W + name) if props is not None else None
    value = child.get(W + "val") if child is not None else None
    return int(value) if value and value.isdigit() else 0


_HEADING_STYLE = re.compile(r"title|heading|标题", re.I)


def _title_like(line: str) -> bool:
    return 6 <= len(line) <= 80 and "。" not in line and not line.endswith((":", "：", ",", "，"))


def _headline(body, items: list) -> str | None:
    """The document's headline: among the first paragraphs, one set as a title (centred, a
    Title/Heading style or outline level 0); else the first line that reads like one. A sentence
    ("…报告。") is never a headline, so a news item's lede is not taken for its title."""
    seen = 0
    for p in body.iterchildren(W + "p"):
        text = normalize_text(paragraph_text(p)).replace("\n", "")
        if not text:
            continue
        seen += 1
        ppr = p.find(W + "pPr")
        style = ppr.find(W + "pStyle") if ppr is not None else None
        jc = ppr.find(W + "jc") if ppr is not None else None
        outline = ppr.find(W + "outlineLvl") if ppr is not None else None
        heading = (jc is not None and jc.get(W + "val") == "center") or (
            style is not None and _HEADING_STYLE.search(style.get(W + "val") or "")) or (
            outline is not None and outline.get(W + "val") == "0")
        if heading and _title_like(text) and not is_chrome_line(text):
            return text
        if seen >= 8:
            break
    return next((item for item in items[:5] if isinstance(item, str) and _title_like(item)), None)


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
