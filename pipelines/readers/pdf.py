"""PDF reader: body text from pypdfium2, ruled tables from pdfplumber, pages kept.

pypdfium2 reads a page in a few milliseconds; pdfplumber needs a few hundred. So every page
goes through pdfium, and only pages whose drawing objects look like a ruled table (or whose
text pdfium visibly lost) are handed to pdfplumber, which then finds the tables and reads the
rest of that page. Lines of all pages are repaired into paragraphs (``pdf_layout``), tables
become one line per row with tab-separated cells, and every page's character range is kept in
``page_spans`` so facts can cite their page.
"""

from __future__ import annotations

import ctypes
import io
import re
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipelines.readers.base import ReadResult, RejectedDocument, TableBlock, TableCell
from pipelines.readers.pdf_layout import (
    Block,
    Line,
    _joiner,
    build_blocks,
    collapse_doubled,
    normalize_line,
    remove_running_furniture,
)

MEDIA_TYPE = "application/pdf"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_HAS_WORDS = re.compile(r"[^\W\d_]")  # any letter or ideograph


@dataclass
class _PageScan:
    """What the page's object list says, read without extracting any text."""

    text_objects: int = 0
    h_edges: int = 0
    v_edges: int = 0
    images: int = 0

    @property
    def looks_ruled(self) -> bool:
        # a ruled table needs at least three horizontal and two vertical rules
        return self.h_edges >= 3 and self.v_edges >= 2


def _reject_open_error(data: bytes, err: Exception) -> RejectedDocument:
    code = getattr(err, "err_code", None)
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return RejectedDocument("encrypted PDF (password required)", media_type=MEDIA_TYPE)
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return RejectedDocument("encrypted PDF (unsupported security handler)", media_type=MEDIA_TYPE)
    # pdfium refuses a well-formed page tree with no pages ("Success" error); ask pdfminer.
    try:
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) == 0:
                return RejectedDocument("PDF has zero pages", media_type=MEDIA_TYPE)
    except Exception:  # noqa: BLE001 - any failure here just means "corrupt"
        pass
    detail = str(err).replace("Failed to load document ", "").strip(" ().") or "unreadable"
    return RejectedDocument(f"corrupt or truncated PDF: {detail}", media_type=MEDIA_TYPE)


def _check_envelope(data: bytes) -> None:
    """Cheap checks before pdfium: header present, file not cut short."""
    if not data:
        raise RejectedDocument("corrupt or truncated PDF: empty file", media_type=MEDIA_TYPE)
    if b"%PDF-" not in data[:1024]:
        raise RejectedDocument("corrupt or truncated PDF: no %PDF- header (not a PDF)", media_type=MEDIA_TYPE)
    if b"%%EOF" not in data[-4096:]:
        # pdfium would quietly rebuild a cut file and return part of it
        raise RejectedDocument(
            "corrupt or truncated PDF: no %%EOF end marker (file cut short?)", media_type=MEDIA_TYPE
        )


def _scan_page(page: pdfium.PdfPage) -> _PageScan:
    scan = _PageScan()
    raw = page.raw
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = pdfium_c.FPDFPage_GetObject(raw, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            scan.text_objects += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            scan.images += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                continue
            w, h = right.value - left.value, top.value - bottom.value
            if h <= 3 and w >= 8:
                scan.h_edges += 1
            elif w <= 3 and h >= 8:
                scan.v_edges += 1
            elif w >= 8 and h >= 8:  # a rectangle, or a whole grid in one path
                k = max(2, pdfium_c.FPDFPath_CountSegments(obj) // 4)
                scan.h_edges += k
                scan.v_edges += k
    return scan


def _pdfium_lines(page: pdfium.PdfPage, number: int) -> tuple[list[Line], int]:
    """Lines of one page from pdfium, with the box of their first and last glyph."""
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        text = textpage.get_text_range(0, n) if n > 0 else ""
        geometry = len(text) == n  # char i of the string is glyph i of the page
        box = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()

        def charbox(i: int) -> tuple[float, float, float, float]:
            pdfium_c.FPDFText_GetCharBox(textpage.raw, i, *box)  # left, right, bottom, top
            return box[0].value, box[1].value, box[2].value, box[3].value

        lines: list[Line] = []
        pos = 0
        for m in [*_LINE_BREAK.finditer(text), None]:
            end = m.start() if m else len(text)
            seg = text[pos:end]
            a = pos
            pos = m.end() if m else len(text)
            stripped = seg.strip()
            if not stripped:
                continue
            first = a + (len(seg) - len(seg.lstrip()))
            last = first + len(stripped) - 1
            line = Line(text="", page=number, page_height=height)
            if geometry:
                l0, _r0, _b0, t0 = charbox(first)
                _l1, r1, _b1, _t1 = charbox(last)
                line.x0, line.x1, line.top = l0, r1, height - t0
                line.size = pdfium_c.FPDFText_GetFontSize(textpage.raw, first) or None

                def position(i: int, first: int = first) -> tuple[float, float]:
                    lft, _r, btm, _t = charbox(first + i)
                    return lft, btm

                stripped = collapse_doubled(stripped, position, line.size)
            else:
                stripped = collapse_doubled(stripped)
            line.text = normalize_line(stripped)
            if line.text:
                lines.append(line)
        return lines, n
    finally:
        textpage.close()


def _clean_cell(cell: str | None) -> str:
    if not cell:
        return ""
    parts = [p.strip() for p in cell.splitlines() if p.strip()]
    joined = ""
    for p in parts:
        joined += _joiner(joined, p) + p
    return normalize_line(joined).replace("\t", " ")


def _plumber_lines(pdf, index: int, number: int) -> list[Line]:
    """Tables and the text around them for one page, from pdfplumber (deduplicated chars)."""
    page = pdf.pages[index].dedupe_chars()
    height = float(page.height)
    tables = []
    for table in page.find_tables():
        rows = [[_clean_cell(c) for c in row] for row in table.extract()]
        rows = [r for r in rows if any(r)]
        filled_cols = {i for r in rows for i, c in enumerate(r) if c}
        if len(rows) >= 2 and len(filled_cols) >= 2:
            tables.append((table.bbox, rows))

    def outside(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and t <= cy <= b for (x0, t, x1, b), _ in tables)

    rest = page.filter(outside) if tables else page
    lines: list[Line] = []
    for tl in rest.extract_text_lines(return_chars=True, strip=True):
        sizes = sorted(c.get("size", 0) for c in tl.get("chars", ()))
        text = normalize_line(tl["text"])
        if text:
            lines.append(
                Line(text=text, page=number, top=tl["top"], x0=tl["x0"], x1=tl["x1"],
                     size=sizes[len(sizes) // 2] if sizes else None, page_height=height)
            )
    for (x0, top, x1, _bottom), rows in tables:
        lines.append(Line(text="", page=number, top=top, x0=x0, x1=x1, rows=rows, page_height=height))
    lines.sort(key=lambda ln: ln.top if ln.top is not None else 0.0)
    return lines


def _assemble(blocks: list[Block], page_count: int) -> tuple[str, list[tuple[int, int, int]], list[TableBlock]]:
    """Join blocks with newlines, recording page starts and table cell offsets."""
    out: list[str] = []
    pos = 0
    page_start: dict[int, int] = {}
    tables: list[TableBlock] = []

    def emit(s: str) -> None:
        nonlocal pos
        out.append(s)
        pos += len(s)

    for bi, block in enumerate(blocks):
        if bi:
            emit("\n")
        if block.rows is not None:
            page_start.setdefault(block.page, pos)
            start = pos
            rows = []
            for ri, row in enumerate(block.rows):
                if ri:
                    emit("\n")
                cells = []
                for ci, cell in enumerate(row):
                    if ci:
                        emit("\t")
                    cells.append(TableCell(cell, pos, pos + len(cell)))
                    emit(cell)
                rows.append(tuple(cells))
            tables.append(TableBlock(page=block.page, rows=tuple(rows), char_start=start, char_end=pos))
        else:
            for page, piece in block.pieces:
                page_start.setdefault(page, pos)
                emit(piece)
    text = "".join(out)
    starts = [0] * (page_count + 2)
    starts[page_count + 1] = len(text)
    for p in range(page_count, 0, -1):
        starts[p] = page_start.get(p, starts[p + 1])
    starts[1] = 0
    spans = [(p, starts[p], starts[p + 1]) for p in range(1, page_count + 1)]
    return text, spans, tables


def _title_hint(doc: pdfium.PdfDocument) -> str | None:
    try:
        title = (doc.get_metadata_value("Title") or "").strip()
    except Exception:  # noqa: BLE001 - metadata is a nicety
        return None
    title = re.sub(r"^Microsoft (?:Word|PowerPoint) - ", "", title)
    title = re.sub(r"\.(?:docx?|wps|pdf)$", "", title, flags=re.IGNORECASE)
    return normalize_line(title) if re.search(r"[\u4e00-\u9fff]", title) else None


def read_pdf(data: bytes) -> ReadResult:
    """Read a PDF into normalised text with page spans and tables.

    Raises ``RejectedDocument`` (never anything else) for bytes that are not a readable
    report: encrypted, corrupt or truncated, zero pages, or no text layer (scans; no OCR).
    """
    data = bytes(data)
    _check_envelope(data)
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        raise _reject_open_error(data, err) from err
    except Exception as err:  # noqa: BLE001
        raise RejectedDocument(f"corrupt or truncated PDF: {err}", media_type=MEDIA_TYPE) from err
    plumber = None
    try:
        page_count = len(doc)
        if page_count == 0:
            raise RejectedDocument("PDF has zero pages", media_type=MEDIA_TYPE)
        pages: list[list[Line]] = []
        glyphs = 0
        for index in range(page_count):
            page = doc[index]
            try:
                scan = _scan_page(page)
                lines, nchars = _pdfium_lines(page, index + 1)
                glyphs += nchars
                # pdfium drops text objects it cannot measure (e.g. one glyph per object in
                # a font without widths): fewer glyphs than text objects means lost text.
                lost_text = scan.text_objects >= 20 and nchars < scan.text_objects
                if scan.looks_ruled or lost_text:
                    try:
                        if plumber is None:
                            import pdfplumber

                            plumber = pdfplumber.open(io.BytesIO(data))
                        plumber_lines = _plumber_lines(plumber, index, index + 1)
                        if plumber_lines or lost_text:
                            lines = plumber_lines
                    except Exception:  # noqa: BLE001 - keep pdfium's reading of the page
                        pass
            finally:
                page.close()
            pages.append(lines)
        pages = remove_running_furniture(pages)
        text, spans, tables = _assemble(build_blocks(pages), page_count)
        if not _HAS_WORDS.search(text):
            reason = "no text layer; OCR is not supported"
            if glyphs:
                reason += " (only page numbers or marks found)"
            raise RejectedDocument(reason, media_type=MEDIA_TYPE)
        return ReadResult(
            text=text,
            media_type=MEDIA_TYPE,
            encoding=None,
            page_spans=spans,
            tables=tables,
            title_hint=_title_hint(doc),
        )
    except RejectedDocument:
        raise
    except Exception as err:  # noqa: BLE001 - bad bytes must never escape as another type
        raise RejectedDocument(f"corrupt or truncated PDF: {type(err).__name__}: {err}", media_type=MEDIA_TYPE) from err
    finally:
        if plumber is not None:
            plumber.close()
        doc.close()
