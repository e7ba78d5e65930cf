"""PDF reader: body text from pypdfium2, ruled tables from pdfplumber, pages kept.

pypdfium2 reads a page in a few milliseconds; pdfplumber needs tens to hundreds. So every
page goes through pdfium, and pdfplumber (with ``dedupe_chars``) sees only pages whose path
objects form a ruled grid, and then only a one-page copy holding just the ruled area; its
tables replace the lines pdfium read there. A page whose text pdfium visibly lost (fewer
glyphs than text objects) is read by pdfplumber as a whole. Glyphs pdfium returns out of
reading order and its layout spaces are repaired per line (``pdf_glyphs``); the lines of all
pages are then repaired into paragraphs (``pdf_layout``), tables become one line per row with tab-separated cells,
and every page's character range is kept in ``page_spans`` so facts can cite their page.
Pages are independent until the layout repair, so a file of ``PARALLEL_MIN_PAGES`` or more is
read by two processes when a core is idle (``forked``).
"""

from __future__ import annotations

import ctypes
import io
import re
import unicodedata
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipelines.readers.base import ReadResult, RejectedDocument, TableBlock, TableCell
from pipelines.readers.forked import in_two_processes
from pipelines.readers.pdf_glyphs import LAYOUT_SPACE, OUT_OF_ORDER, repair
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
# A 300-page report with photos is tens of MB; past these it is not one report, and a page
# tree claiming a million pages must not be walked.
MAX_PDF_BYTES = 256 * 1024 * 1024
MAX_PAGES = 3000
# from this many pages on, two processes read a file (forking and sending lines back cost ~30 ms)
PARALLEL_MIN_PAGES = 48
# anything normalize_one_line would change besides outer blanks: NFKC is checked apart
_NEEDS_NORMALIZING = re.compile(r"[\x00-\x08\x0a-\x0c\x0e-\x1f\x7f-\x9f\t\u3000\xa0(\[\u2460-\u2473]|  |\r(?!\n)|(?<!\r)\n")
_HAS_WORDS = re.compile(r"[^\W\d_]")  # any letter or ideograph


@dataclass
class _PageScan:
    """What the page's object list says, read without extracting any text."""

    text_objects: int = 0
    images: int = 0
    # origins (left, bottom) of text objects pdfium measures as zero-sized: it leaves their
    # glyphs out of the text page (a lone "。" wrapped onto its own line, in a CID font)
    unmeasured: list[tuple[float, float]] = field(default_factory=list)
    # straight rules and rectangles drawn on the page: (left, bottom, right, top, kind)
    edges: list[tuple[float, float, float, float, str]] = field(default_factory=list)

    def ruled_regions(self) -> list[tuple[float, float, float, float]]:
        """Areas (PDF coordinates) crossed by at least two vertical and three horizontal rules.

        Vertical rules (rectangles count as both kinds) that overlap in height are grouped;
        a group with enough horizontal rules across it is where a ruled table can be.
        """
        verticals = sorted((e for e in self.edges if e[4] in "vr"), key=lambda e: e[1])
        groups: list[list[float]] = []  # [left, bottom, right, top, n_vertical]
        for left, bottom, right, top, kind in verticals:
            n = 2 if kind == "r" else 1
            if groups and bottom <= groups[-1][3] + 2:
                g = groups[-1]
                g[0], g[2], g[3], g[4] = min(g[0], left), max(g[2], right), max(g[3], top), g[4] + n
            else:
                groups.append([left, bottom, right, top, n])
        regions = []
        for left, bottom, right, top, n_vertical in groups:
            n_horizontal = sum(
                2 if kind == "r" else 1
                for (l, b, r, t, kind) in self.edges
                if kind in "hr" and b >= bottom - 2 and t <= top + 2 and l < right and r > left
            )
            if n_vertical >= 2 and n_horizontal >= 3:
                regions.append((left, bottom, right, top))
        return regions


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
    if b"%%EOF" not in data[-16384:]:  # tolerate padding after the marker
        # pdfium would quietly rebuild a cut file and return part of it
        raise RejectedDocument(
            "corrupt or truncated PDF: no %%EOF end marker (file cut short?)", media_type=MEDIA_TYPE
        )


def _lean(fn, restype, *argtypes):
    """A ``pypdfium2.raw`` function called with plain addresses, keeping the GIL.

    pypdfium2's bindings check each pointer's type and release the GIL around every call; the
    page scan makes three calls per page object (a 300-page report has 220,000 of them), and
    that overhead was most of its cost.
    """
    return ctypes.PYFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, ctypes.c_void_p).value)


_P = ctypes.c_void_p
_count_objects = _lean(pdfium_c.FPDFPage_CountObjects, ctypes.c_int, _P)
_get_object = _lean(pdfium_c.FPDFPage_GetObject, _P, _P, ctypes.c_int)
_object_type = _lean(pdfium_c.FPDFPageObj_GetType, ctypes.c_int, _P)
_object_bounds = _lean(pdfium_c.FPDFPageObj_GetBounds, ctypes.c_int, _P, _P, _P, _P, _P)
_count_segments = _lean(pdfium_c.FPDFPath_CountSegments, ctypes.c_int, _P)
_TEXT, _IMAGE, _PATH = pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH


def _scan_page(raw) -> _PageScan:
    scan = _PageScan()
    page = ctypes.cast(raw, _P).value
    box = (ctypes.c_float * 4)()  # left, bottom, right, top
    at = [ctypes.addressof(box) + i * ctypes.sizeof(ctypes.c_float) for i in range(4)]
    get_object, object_type, object_bounds = _get_object, _object_type, _object_bounds
    texts = images = 0
    for i in range(_count_objects(page)):
        obj = get_object(page, i)
        kind = object_type(obj)
        if kind == _TEXT:  # most objects: keep this branch lean
            texts += 1
            if object_bounds(obj, *at) and box[2] - box[0] < 0.01 and box[3] - box[1] < 0.01:
                scan.unmeasured.append((box[0], box[1]))
        elif kind == _IMAGE:
            images += 1
        elif kind == _PATH and object_bounds(obj, *at):
            left, bottom, right, top = box
            w, h = right - left, top - bottom
            if h <= 3 and w >= 8:
                scan.edges.append((left, bottom, right, top, "h"))
            elif w <= 3 and h >= 8:
                scan.edges.append((left, bottom, right, top, "v"))
            elif w >= 8 and h >= 8:  # a rectangle, or a whole grid drawn as one path
                scan.edges.append((left, bottom, right, top, "r"))
                if _count_segments(obj) >= 10:
                    scan.edges.append((left, bottom, right, top, "r"))
    scan.text_objects, scan.images = texts, images
    return scan


def _single_page_pdf(doc: pdfium.PdfDocument, index: int,
                     keep: list[tuple[float, float, float, float]] | None = None) -> bytes:
    """Page ``index`` alone as a small PDF, optionally only the objects touching ``keep``.

    pdfplumber (pdfminer) parses every object of a page and walks the whole page tree on
    open; handing it just the ruled area of one page cuts its cost several-fold.
    """
    new = pdfium.PdfDocument.new()
    try:
        new.import_pages(doc, [index])
        if keep:
            page = new[0]
            raw = page.raw
            left, bottom, right, top = (ctypes.c_float() for _ in range(4))
            for i in range(pdfium_c.FPDFPage_CountObjects(raw) - 1, -1, -1):
                obj = pdfium_c.FPDFPage_GetObject(raw, i)
                if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                    continue
                touches = any(
                    right.value >= l - 2 and left.value <= r + 2 and top.value >= b - 2 and bottom.value <= t + 2
                    for (l, b, r, t) in keep
                )
                if not touches and pdfium_c.FPDFPage_RemoveObject(raw, obj):
                    pdfium_c.FPDFPageObj_Destroy(obj)
            pdfium_c.FPDFPage_GenerateContent(raw)
            page.close()
        buf = io.BytesIO()
        new.save(buf)
        return buf.getvalue()
    finally:
        new.close()


def _maybe_doubled(s: str) -> bool:
    """Cheap pre-check for collapse_doubled: 'xxyy…' or 'abcabc'."""
    n = len(s)
    return n >= 4 and n % 2 == 0 and (s[0] == s[1] or s[: n // 2] == s[n // 2 :])


_CJK_THEN_DIGIT = re.compile(r"[\u3400-\u9fff] ?[\d\[]")
# where a raised mark can start: a digit (str.isdigit: with super- and subscripts, circled and
# parenthesised ones) or "[" right after an ideograph, or after one and a space
_MARK_START = re.compile(r"(?:(?<=[\u3400-\u9fff])|(?<=[\u3400-\u9fff] ))"
                         r"[\d\[\u00b2\u00b3\u00b9\u2070-\u209f\u2460-\u24ff\u2776-\u2793\u1369-\u1371\u19da]")


def _drop_raised_marks(text: str, size_of, bottom_of) -> str:
    """Drop footnote numbers set as superscripts after a term ("生产总值²2345.67亿元").

    Word and WPS draw the ² as an ordinary digit, smaller and raised; pdfium gives a plain
    "2" glued to the figure (or ending the line, when it sorts the raised glyph apart). Up to
    three digits or brackets after an ideograph (and an optional autospace) that are at most
    80 % of the ideograph's size and sit higher go, when a figure follows or the line ends.
    Only the places ``_MARK_START`` finds are measured (a line has a few; most glyphs none).
    """
    out, last = [], 0
    for match in _MARK_START.finditer(text):
        i = match.start()
        if i < last or not (text[i].isdigit() or text[i] == "["):
            continue
        term = i - 2 if text[i - 1] == " " else i - 1
        base = size_of(term) or 0.0
        k = i
        while (k < len(text) and k - i < 4 and (text[k].isdigit() or text[k] in "[]") and base
               and (size_of(k) or base) <= 0.8 * base and bottom_of(k) > bottom_of(term) + 0.15 * base):
            k += 1
        if k > i and (k == len(text) or text[k].isdigit() or text[k] == " "):
            out.append(text[last:i])
            last = k
    return "".join(out) + text[last:] if out else text


def _pdfium_lines(raw_page, height: float, number: int, upright: bool = True) -> tuple[list[Line], int]:
    """Lines of one page from pdfium, with the box of their first and last glyph.

    Uses the raw API: the helper objects' finalizers cost as much as the Python work here.
    On a rotated page (``upright`` False) glyph boxes are not in reading orientation, so the
    lines carry no geometry and the layout rules fall back to text alone.
    """
    textpage = pdfium_c.FPDFText_LoadPage(raw_page)
    if not textpage:
        raise RuntimeError(f"pdfium could not read the text of page {number}")
    try:
        n = max(0, pdfium_c.FPDFText_CountChars(textpage))
        text = ""
        if n:
            buf = ctypes.create_string_buffer((n + 1) * 2)
            got = pdfium_c.FPDFText_GetText(textpage, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
            text = buf.raw[: max(0, got - 1) * 2].decode("utf-16-le", errors="ignore")
        geometry = upright and len(text) == n  # char i of the string is glyph i of the page
        box = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
        get_box, font_size = pdfium_c.FPDFText_GetCharBox, pdfium_c.FPDFText_GetFontSize

        def charbox(i: int) -> tuple[float, float, float, float]:
            get_box(textpage, i, *box)  # left, right, bottom, top
            return box[0].value, box[1].value, box[2].value, box[3].value

        # most pages need no normalising at all: check once, then only strip each line
        clean = unicodedata.is_normalized("NFKC", text) and not _NEEDS_NORMALIZING.search(text)
        lines: list[Line] = []
        pos = 0
        for seg in text.split("\r\n"):
            a = pos
            pos += len(seg) + 2
            stripped = seg.strip()
            if not stripped:
                continue
            if geometry:
                first = a + (len(seg) - len(seg.lstrip()))
                l0, _r0, b0, t0 = charbox(first)
                size = font_size(textpage, first) or None
                last = first + len(stripped) - 1
                at = None  # page index of each char of ``stripped``, once glyphs moved
                if _GLYPH_SUSPECTS.search(stripped):
                    fixed = _repair_glyphs(textpage, first, stripped, size)
                    if fixed is not None:
                        stripped, at = fixed
                        l0, last = charbox(at[0])[0], at[-1]
                line = Line("", number, height - t0, l0, charbox(last)[1], size, None, height, height - b0)
                glyph = (lambda i, first=first: first + i) if at is None else at.__getitem__
                if _maybe_doubled(stripped):

                    def position(i: int, glyph=glyph) -> tuple[float, float]:
                        lft, _r, btm, _t = charbox(glyph(i))
                        return lft, btm

                    stripped = collapse_doubled(stripped, position, size)
                elif _CJK_THEN_DIGIT.search(stripped):
                    stripped = _drop_raised_marks(stripped, lambda i, glyph=glyph: font_size(textpage, glyph(i)),
                                                  lambda i, glyph=glyph: charbox(glyph(i))[2])
            else:
                line = Line("", number, page_height=height)
                if _maybe_doubled(stripped):
                    stripped = collapse_doubled(stripped)
            if clean:
                line.text = stripped
            else:
                line.text = normalize_line(stripped)
            if line.text:
                lines.append(line)
        return lines, n
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)


# a line worth the glyph repair: a quote or dash that may be out of place, a space that may be layout
_GLYPH_SUSPECTS = re.compile(f"{OUT_OF_ORDER.pattern}|{LAYOUT_SPACE.pattern}")
_char_origin = _lean(pdfium_c.FPDFText_GetCharOrigin, ctypes.c_int, _P, ctypes.c_int, _P, _P)
_char_box = _lean(pdfium_c.FPDFText_GetCharBox, ctypes.c_int, _P, ctypes.c_int, _P, _P, _P, _P)
_is_generated = _lean(pdfium_c.FPDFText_IsGenerated, ctypes.c_int, _P, ctypes.c_int)
_xy = (ctypes.c_double * 2)()  # origin x, y
_box = (ctypes.c_double * 4)()  # left, right, bottom, top
_XY = [ctypes.addressof(_xy) + i * ctypes.sizeof(ctypes.c_double) for i in range(2)]
_BOX = [ctypes.addressof(_box) + i * ctypes.sizeof(ctypes.c_double) for i in range(4)]


def _repair_glyphs(textpage, first: int, seg: str, size: float | None) -> tuple[str, list[int]] | None:
    """``pdf_glyphs.repair`` on one line of a pdfium text page: the text, and each char's
    page index (a space put in takes its left neighbour's)."""
    get_origin, is_generated, get_box = _char_origin, _is_generated, _char_box
    textpage = ctypes.cast(textpage, _P).value

    def origin(i: int) -> tuple[float, float]:
        get_origin(textpage, first + i, *_XY)
        return _xy[0], _xy[1]

    def gap(i: int) -> float:  # a full-width glyph's advance is an em; its box may be narrower ("、")
        if "\u3000" <= seg[i - 1] <= "\u9fff" or "\uff00" <= seg[i - 1] <= "\uffef":
            right = origin(i - 1)[0] + (size or 10.0)
        else:
            get_box(textpage, first + i - 1, *_BOX)
            right = _box[1]
        get_box(textpage, first + i + 1, *_BOX)
        return (_box[0] - right) / (size or 10.0)

    fixed = repair(seg, origin, lambda i: is_generated(textpage, first + i) == 1, size, gap)
    if fixed is None:
        return None
    text, order = fixed
    at, prev = [], first
    for i in order:
        prev = first + i if i >= 0 else prev
        at.append(prev)
    return (text, at) if text else None


# pdfplumber splits words where glyphs sit further apart than its tolerance (justified lines):
# "一般公共预 算收入 356.2 亿元". Between ideographs, or an ideograph and a digit, no space is real.
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff\d])|(?<=[\d%]) (?=[\u3400-\u9fff])")


def _plumber_text(text: str) -> str:
    return _CJK_GAP.sub("", normalize_line(text))


def _clean_cell(cell: str | None) -> str:
    if not cell:
        return ""
    parts = [p.strip() for p in cell.splitlines() if p.strip()]
    joined = ""
    for p in parts:
        joined += _joiner(joined, p) + p
    return _plumber_text(joined).replace("\t", " ")


def _plumber_tables(page, with_boxes: bool = False) -> list[tuple]:
    """Ruled tables of a pdfplumber page (chars deduplicated): (bbox from top, rows of cells),
    plus, with ``with_boxes``, each kept row's cell boxes (None where a cell is spanned)."""
    tables = []
    for table in page.find_tables():
        pairs = [([_clean_cell(c) for c in row], boxes.cells) for row, boxes in zip(table.extract(), table.rows)]
        pairs = [(row, boxes) for row, boxes in pairs if any(row)]
        rows = [row for row, _ in pairs]
        filled_cols = {i for r in rows for i, c in enumerate(r) if c}
        if len(rows) >= 2 and len(filled_cols) >= 2:  # a boxed paragraph is not a table
            tables.append((table.bbox, rows, [boxes for _, boxes in pairs]) if with_boxes else (table.bbox, rows))
    return tables


def _pdfium_cell_texts(doc: pdfium.PdfDocument, index: int, tables: list[tuple]) -> list[tuple]:
    """Cell texts re-read by pdfium inside pdfplumber's cell boxes.

    pdfplumber finds the grid well but decodes some embedded subset fonts (LibreOffice's
    exports) into wrong characters; pdfium reads them right. A cell pdfium finds empty keeps
    pdfplumber's text.
    """
    raw_page = pdfium_c.FPDF_LoadPage(doc.raw, index)
    textpage = pdfium_c.FPDFText_LoadPage(raw_page) if raw_page else None
    try:
        if not textpage:
            return [(bbox, rows) for bbox, rows, _ in tables]
        height = pdfium_c.FPDF_GetPageHeightF(raw_page)
        out = []
        for bbox, rows, boxes in tables:
            fixed = []
            for row, row_boxes in zip(rows, boxes):
                fixed.append([(_clean_cell(_bounded_text(textpage, box, height)) or cell) if box else cell
                              for cell, box in zip(row, row_boxes)] if len(row_boxes) == len(row) else row)
            out.append((bbox, fixed))
        return out
    finally:
        if textpage:
            pdfium_c.FPDFText_ClosePage(textpage)
        if raw_page:
            pdfium_c.FPDF_ClosePage(raw_page)


def _bounded_text(textpage, box, height: float) -> str:
    x0, top, x1, bottom = box
    args = (textpage, x0 + 0.5, height - top - 0.5, x1 - 0.5, height - bottom + 0.5)
    n = pdfium_c.FPDFText_GetBoundedText(*args, None, 0)
    if n <= 0:
        return ""
    buf = ctypes.create_string_buffer((n + 1) * 2)
    got = pdfium_c.FPDFText_GetBoundedText(*args, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)), n + 1)
    return buf.raw[: max(0, got) * 2].decode("utf-16-le", errors="ignore").replace("\r\n", "\n").strip("\x00")


def _table_line(bbox, rows, number: int, height: float) -> Line:
    x0, top, x1, _bottom = bbox
    return Line(text="", page=number, top=top, x0=x0, x1=x1, rows=rows, page_height=height)


def _inside(line: Line, tables) -> bool:
    if line.x0 is None or line.top is None:
        return False
    y = line.baseline if line.baseline is not None else line.top
    return any(x0 - 2 <= line.x0 <= x1 + 2 and top - 2 <= y <= bottom + 2 for (x0, top, x1, bottom), _ in tables)


def _with_tables(lines: list[Line], tables, number: int, height: float) -> list[Line]:
    """pdfium's lines with those inside a table replaced by the table, placed by position."""
    out = list(lines)
    for table in sorted(tables, key=lambda t: t[0][1]):
        bbox, rows = table
        inside = [i for i, ln in enumerate(out) if not ln.is_table and _inside(ln, [table])]
        if inside:  # where pdfium read the table's glyphs, in content order
            at = inside[0]
        else:  # first body line below the table's top (footers at the page edge don't count)
            at = next((i for i, ln in enumerate(out) if not ln.is_table and ln.top is not None
                       and bbox[1] < ln.top < 0.92 * height), len(out))
        out = [ln for i, ln in enumerate(out) if i not in inside]
        out.insert(at - sum(1 for i in inside if i < at), _table_line(bbox, rows, number, height))
    return out


def _pdfminer_chars(data: bytes) -> list:
    """Every glyph of a (tiny, one-page) PDF as pdfminer ``LTChar``s, without layout analysis."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    out = []

    def walk(item) -> None:
        if isinstance(item, LTChar):
            out.append(item)
        elif hasattr(item, "__iter__"):
            for child in item:
                walk(child)

    for page in extract_pages(io.BytesIO(data), laparams=None):
        walk(page)
    return out


def _recover_unmeasured(doc: pdfium.PdfDocument, index: int, lines: list[Line], origins, height: float,
                        number: int) -> list[Line]:
    """Put back the glyphs of text objects pdfium left out, read by pdfplumber at their origin.

    Each comes back as a line of its own at its position, so the paragraph rules join it
    ("…越走越宽" + "。") like any wrapped line. pdfminer parses a copy of the page holding only
    those objects, which costs about a millisecond.
    """
    keep = [(x - 1, y - 1, x + 1, y + 1) for x, y in origins]
    chars = _pdfminer_chars(_single_page_pdf(doc, index, keep))
    found: list[Line] = []
    for x, y in origins:
        mine = [c for c in chars if abs(c.matrix[4] - x) < 0.5 and abs(c.matrix[5] - y) < 0.5 and c.get_text().strip()]
        text = normalize_line("".join(c.get_text() for c in mine))
        if not text:
            continue
        size = mine[0].size or None
        found.append(Line(text, number, height - y - (size or 10.0), x, max(c.x1 for c in mine), size, None,
                          height, height - y))
    out = list(lines)
    for line in found:  # right after the nearest line above it (content order is not top-down)
        above = [(other.baseline, i) for i, other in enumerate(out)
                 if other.baseline is not None and other.baseline <= line.baseline + 0.5]
        out.insert(max(above)[1] + 1 if above else 0, line)
    return out


def _plumber_page_lines(page, number: int) -> list[Line]:
    """All of a page from pdfplumber: for pages whose text pdfium could not read."""
    height = float(page.height)
    tables = _plumber_tables(page)

    def outside(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and t <= cy <= b for (x0, t, x1, b), _ in tables)

    rest = page.filter(outside) if tables else page
    lines: list[Line] = []
    for tl in rest.extract_text_lines(return_chars=True, strip=True):
        sizes = sorted(c.get("size", 0) for c in tl.get("chars", ()))
        text = _plumber_text(tl["text"])
        if text:
            lines.append(
                Line(text=text, page=number, top=tl["top"], x0=tl["x0"], x1=tl["x1"],
                     size=sizes[len(sizes) // 2] if sizes else None, page_height=height)
            )
    lines += [_table_line(bbox, rows, number, height) for bbox, rows in tables]
    lines.sort(key=lambda ln: ln.top if ln.top is not None else 0.0)
    return lines


def _open_plumber_page(data: bytes):
    import pdfplumber

    pdf = pdfplumber.open(io.BytesIO(data))
    return pdf, pdf.pages[0].dedupe_chars()


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
                if block.row_pages:
                    page_start.setdefault(block.row_pages[ri], pos)
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


def _read_page(doc: pdfium.PdfDocument, index: int) -> tuple[list[Line], int, bool]:
    """One page's lines (tables in place), its glyph count, and whether it is a scan (images, no text)."""
    raw_page = pdfium_c.FPDF_LoadPage(doc.raw, index)
    if not raw_page:
        raise RuntimeError(f"pdfium could not load page {index + 1}")
    try:
        scan = _scan_page(raw_page)
        height = pdfium_c.FPDF_GetPageHeightF(raw_page)
        upright = pdfium_c.FPDFPage_GetRotation(raw_page) == 0
        lines, nchars = _pdfium_lines(raw_page, height, index + 1, upright)
    finally:
        pdfium_c.FPDF_ClosePage(raw_page)
    if scan.unmeasured and upright and len(scan.unmeasured) <= 50:
        try:
            lines = _recover_unmeasured(doc, index, lines, scan.unmeasured, height, index + 1)
        except Exception:  # noqa: BLE001 - a lost full stop is not worth the page
            pass
    scanned = bool(scan.images) and not any(ln.text.strip() for ln in lines)
    # pdfium drops text objects it cannot measure (e.g. one glyph per object in a
    # font without widths): fewer glyphs than text objects means lost text.
    lost_text = scan.text_objects >= 20 and nchars < scan.text_objects
    regions = [] if lost_text else scan.ruled_regions()
    if lost_text or regions:
        plumber = None
        try:
            plumber, ppage = _open_plumber_page(_single_page_pdf(doc, index, regions or None))
            if lost_text:
                lines = _plumber_page_lines(ppage, index + 1)
            else:
                tables = _plumber_tables(ppage, with_boxes=True)
                if tables:
                    tables = _pdfium_cell_texts(doc, index, tables)
                    lines = _with_tables(lines, tables, index + 1, height)
        except Exception:  # noqa: BLE001 - keep pdfium's reading of the page
            pass
        finally:
            if plumber is not None:
                plumber.close()
    return lines, nchars, scanned


def read_pdf(data: bytes) -> ReadResult:
    """Read a PDF into normalised text with page spans and tables.

    Raises ``RejectedDocument`` (never anything else) for bytes that are not a readable
    report: encrypted, corrupt or truncated, zero pages, or no text layer (scans; no OCR).
    """
    data = bytes(data)
    if len(data) > MAX_PDF_BYTES:
        raise RejectedDocument(f"too large for a report: {len(data) / 1e6:.0f} MB of PDF "
                               f"(limit {MAX_PDF_BYTES // (1024 * 1024)} MB)", media_type=MEDIA_TYPE)
    _check_envelope(data)
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        raise _reject_open_error(data, err) from err
    except Exception as err:  # noqa: BLE001
        raise RejectedDocument(f"corrupt or truncated PDF: {err}", media_type=MEDIA_TYPE) from err
    try:
        page_count = len(doc)
        if page_count == 0:
            raise RejectedDocument("PDF has zero pages", media_type=MEDIA_TYPE)
        if page_count > MAX_PAGES:
            raise RejectedDocument(f"PDF has {page_count} pages (limit {MAX_PAGES}): not a single report",
                                   media_type=MEDIA_TYPE)
        # a big file's second half is read by a forked process while this one reads the first
        done = in_two_processes(lambda indices: [_read_page(doc, i) for i in indices], list(range(page_count)),
                                min_items=PARALLEL_MIN_PAGES)
        pages = [lines for lines, _nchars, _scanned in done]
        glyphs = sum(nchars for _lines, nchars, _scanned in done)
        scanned = sum(scanned for _lines, _nchars, scanned in done)  # pages with images but no text
        if page_count >= 3 and scanned >= 0.9 * page_count:
            raise RejectedDocument(
                f"no text layer on {scanned} of {page_count} pages (scanned); OCR is not supported",
                media_type=MEDIA_TYPE,
            )
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
        doc.close()
