"""Layout repair for text read from PDF pages.

A PDF knows glyphs and positions, not paragraphs. This module turns per-page lines (from
pypdfium2 or pdfplumber) into paragraphs: lines wrapped inside a word, number or unit are
joined again ("844." + "1亿元"), running headers/footers and page numbers are dropped, and
fake-bold glyphs (each character drawn twice) are collapsed. It is pure Python on purpose, so
that the rules can be tested without a PDF.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# A line that ends like this closes a sentence (after NFKC: ,;:!? are ASCII, 。 stays).
SENTENCE_END = frozenset("。!?;:…」』”\"")
FULL_STOP = frozenset("。!?…")  # ends a sentence for sure (";" and ":" often end a wrapped line)
CLOSING = frozenset("”’」』)）】〕,，。、;；:：!！?？%")
HEADING_RE = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[章节部分篇条]|[一二三四五六七八九十百]+、|"
    r"[(（][一二三四五六七八九十百\d]+[)）]|\d{1,2}[.、](?!\d)|附件|附表)"
)
PAGE_NUMBER_RES = (
    re.compile(r"^[-—–~·•\s]*\d{1,4}[-—–~·•\s]*$"),  # "3", "- 3 -", "— 12 —"
    re.compile(r"^第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?$"),  # 第 3 页, 第3页 共10页
    re.compile(r"^共\s*\d{1,4}\s*页\s*[,/]?\s*第\s*\d{1,4}\s*页$"),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),  # 3/10
    re.compile(r"^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE),
)
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


try:  # the shared normaliser's gloss pattern: PDF text must match txt/html text
    from pipelines.readers.normalize import _PINYIN_GLOSS
except ImportError:  # pragma: no cover - renamed: the mirror test in test_pdf_reader fails
    _PINYIN_GLOSS = None
from pipelines.readers.normalize import strip_footnote_marks
from pipelines.readers.pdf_tables import carried_header

_FOOTNOTE_CHARS = re.compile(r"[\[\u2460-\u2473\u00b9\u00b2\u00b3\u2070-\u2079]")

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")  # Cc except tab


def normalize_one_line(text: str) -> str:
    """``normalize_text`` for a single line, mirrored with regexes (it is ~5x faster).

    Same steps: NFKC (full-width digits and ％ become ASCII), pinyin glosses out, control
    characters out, blank runs to one space, stripped. A unit test keeps the two in step.
    """
    if "\r" in text or "\n" in text:
        text = text.replace("\r", " ").replace("\n", " ")
    if _FOOTNOTE_CHARS.search(text):
        text = strip_footnote_marks(text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if _PINYIN_GLOSS is not None and "(" in text:
        text = _PINYIN_GLOSS.sub("", text)
    text = _CONTROL.sub("", text)
    if " " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


def normalize_line(text: str) -> str:
    """Normalise one PDF line exactly as the txt/html readers normalise theirs.

    Single spaces are kept: pdfium inserts one only for a real gap (a column of an unruled
    table, "来源:区发改委 日期:…"), not inside justified Chinese prose.
    """
    return normalize_one_line(text)


@dataclass(slots=True)
class Line:
    """One visual line of a page, or a whole table (``rows`` set) placed at its position.

    Geometry is in PDF points with ``top`` measured from the top of the page; it is None when
    the source could not give it, and the rules fall back to text alone.
    """

    text: str
    page: int
    top: float | None = None
    x0: float | None = None
    x1: float | None = None
    size: float | None = None
    rows: list[list[str]] | None = None  # a table: cell texts per row
    page_height: float | None = None
    baseline: float | None = None  # from the top of the page, like ``top``

    @property
    def is_table(self) -> bool:
        return self.rows is not None


def is_page_number(text: str) -> bool:
    t = text.strip()
    return bool(t) and any(r.match(t) for r in PAGE_NUMBER_RES)


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def remove_running_furniture(pages: Sequence[list[Line]]) -> list[list[Line]]:
    """Drop page numbers and running headers/footers.

    Candidates are lines in the top/bottom 8 % of a page (for lines without geometry: the
    first/last line, or the first two/last two for page numbers), so a bare "2024" closing a
    paragraph in mid-page stays. A candidate goes when it is a page number, small print in
    the top margin, or when the same text (digits ignored) comes back at the edge of at least
    half the pages (both pages of a two-page document).
    """

    def edges(lines: list[Line]) -> tuple[list[int], list[int]]:
        """(candidates for a repeated header/footer, candidates for a page number)."""
        zone = {
            i for i, ln in enumerate(lines)
            if ln.top is not None and ln.page_height
            and not 0.08 * ln.page_height <= ln.top <= 0.92 * ln.page_height
        }
        n = len(lines)
        # without geometry, the first and last lines stand in for the margins
        ends1 = {i for i in (0, n - 1) if 0 <= i < n and lines[i].top is None}
        ends2 = {i for i in (0, 1, n - 2, n - 1) if 0 <= i < n and lines[i].top is None}
        one = sorted(i for i in zone | ends1 if not lines[i].is_table)
        two = sorted(i for i in zone | ends2 if not lines[i].is_table)
        return one, two

    page_edges = [edges(lines) for lines in pages]
    edge_counts: Counter[str] = Counter()
    for lines, (one, _two) in zip(pages, page_edges):
        edge_counts.update({_furniture_key(lines[i].text) for i in one})
    repeat_floor = max(2, (len(pages) + 1) // 2)  # two pages: on both; more: on half of them

    sizes = Counter(int((ln.size or 0) * 2 + 0.5) / 2 for lines in pages for ln in lines if ln.size)
    body_size = sizes.most_common(1)[0][0] if sizes else None

    def small_top_line(ln: Line) -> bool:
        """Small print in the top margin: a running header even on a one-page document."""
        return bool(
            body_size and ln.size and ln.top is not None and ln.page_height
            and ln.top < 0.08 * ln.page_height and ln.size <= 0.85 * body_size and len(ln.text) <= 40
        )

    out: list[list[Line]] = []
    for lines, (one, two) in zip(pages, page_edges):
        drop = {i for i in two if is_page_number(lines[i].text) or small_top_line(lines[i])}
        if len(pages) >= 2:
            for i in one:
                text = lines[i].text
                if len(text) <= 60 and edge_counts[_furniture_key(text)] >= repeat_floor:
                    drop.add(i)
        out.append([ln for i, ln in enumerate(lines) if i not in drop] if drop else lines)
    return out


def collapse_doubled(text: str, position: Callable[[int], tuple[float, float] | None] | None = None,
                     size: float | None = None) -> str:
    """Collapse a fake-bold line whose glyphs were each drawn twice.

    pdfium drops most such duplicates itself; this catches what slips through, either as
    "一一、、主主要要" (each glyph doubled) or "主要指标主要指标" (the run drawn twice). With
    ``position(i) -> (x, y)`` the copies must sit within half a character of each other, so a
    genuine "谢谢" (two glyphs side by side) is kept; without positions only long runs with no
    digits are collapsed.
    """
    n = len(text)
    if n < 4:
        return text
    tol = 0.5 * (size or 10.0)

    def near(i: int, j: int) -> bool | None:
        if position is None:
            return None
        a, b = position(i), position(j)
        if a is None or b is None:
            return None
        return abs(a[0] - b[0]) <= tol and abs(a[1] - b[1]) <= tol

    def verdict(pairs: list[tuple[int, int]]) -> bool:
        checks = [near(i, j) for i, j in pairs]
        if all(c is True for c in checks):
            return True
        if all(c is None for c in checks):  # no geometry: text rule only
            return n >= 8 and not any(ch.isdigit() for ch in text)
        return False

    if n % 2 == 0 and text[0::2] == text[1::2]:
        if verdict([(i, i + 1) for i in range(0, n, 2)]):
            return text[0::2]
    if n % 2 == 0 and text[: n // 2] == text[n // 2 :]:
        half = n // 2
        if verdict([(i, i + half) for i in range(half)]):
            return text[:half]
    return text


def _is_heading(text: str) -> bool:
    return bool(HEADING_RE.match(text)) and len(text) <= 60


MIN_GEOMETRY_LINES = 6


def _page_geometry(lines: Sequence[Line]) -> tuple[float | None, float | None, float | None]:
    """Left and right text margins and body font size of a set of lines.

    Left: the leftmost start shared by at least two lines (continuation lines of wrapped
    paragraphs start there; first lines are indented). Right: the furthest end of a body-size
    line. Both are robust to pages made of short lines, which a percentile is not.
    """
    body = [ln for ln in lines if not ln.is_table and ln.x0 is not None and ln.x1 is not None]
    if len(body) < MIN_GEOMETRY_LINES:  # too few lines to tell margins from indents
        return None, None, None
    sizes = Counter(int((ln.size or 0) * 10 + 0.5) / 10 for ln in body)
    size = sizes.most_common(1)[0][0] or None
    lefts = Counter(int(ln.x0 + 0.5) for ln in body)
    shared = [x for x, c in lefts.items() if c >= 2]
    left = float(min(shared) if shared else min(lefts))
    same_size = [ln.x1 for ln in body if size is None or ln.size is None or abs(ln.size - size) <= 0.5]
    right = max(same_size or [ln.x1 for ln in body])
    return left, right, size


_DATELINE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|^[(（\[【—-]")


def _centred_wrap(prev: Line, nxt: Line, left: float, right: float, em: float, body_size: float | None) -> bool:
    """Two centred lines of one wrapped title.

    Both centred on one axis away from both margins, single-spaced, where titles are (top of
    the first page, or larger than the body), no sentence end between, the first line full:
    half the column wide and no shorter than the second, or as wide as the second (a title
    in a narrow frame).
    A signature, a date, a bracketed subtitle or a table row under a title is not its end.
    """
    w_p, w_n = prev.x1 - prev.x0, nxt.x1 - nxt.x0
    full = (w_p >= 0.5 * (right - left) and w_p >= w_n - em) or (abs(w_p - w_n) <= 3 * em and w_p >= 10 * em)
    titled = (body_size is not None and prev.size is not None and prev.size > body_size + 0.5) or (
        prev.page == 1 and prev.top is not None and bool(prev.page_height) and prev.top < 0.3 * prev.page_height)
    # lines of one paragraph are set closer than a title and the line under it
    close = prev.top is not None and nxt.top is not None and 0 < nxt.top - prev.top <= 1.6 * em
    centred = close and (abs((prev.x0 + prev.x1) - (nxt.x0 + nxt.x1)) < 2 * em
               and min(prev.x0, nxt.x0) > left + 2 * em and max(prev.x1, nxt.x1) < right - 2 * em)
    return (titled and centred and full and "|" not in prev.text + nxt.text
            and prev.text[-1:] not in SENTENCE_END and not _DATELINE.search(nxt.text)
            and not (prev.size and nxt.size and abs(prev.size - nxt.size) > 0.5))


# a number cut by the wrap: "增长4" / ".7%", "12." / "5亿元", "36" / "%"
_NUMBER_CUT = re.compile(r"\d\Z|\d\.\Z")


def _cuts_number(ptext: str, ntext: str) -> bool:
    if not _NUMBER_CUT.search(ptext[-2:]):
        return False
    return ntext[:1] == "%" or (ptext[-1] == "." and ntext[:1].isdigit()) or (
        ntext[:1] == "." and ntext[1:2].isdigit())


def should_break(prev: Line, nxt: Line, geom_prev: tuple, geom_next: tuple) -> bool:
    """Whether a paragraph ends between two consecutive lines (else they are one wrapped line).

    Chinese has no spaces between words, so wrapping can cut a word, a number or a unit
    anywhere; a line is joined to the next unless it ends a paragraph: it stops short of the
    right margin, the next line is indented or in another font size, or (without geometry)
    it ends a sentence or is a heading.
    """
    if prev.is_table or nxt.is_table:
        return True
    ptext, ntext = prev.text, nxt.text
    left_p, right_p, size_p = geom_prev
    left_n, _right_n, size_n = geom_next
    have_geom = None not in (prev.x0, prev.x1, nxt.x0, nxt.x1, right_p, left_n)
    if have_geom:
        em = prev.size or size_p or 10.0
        em_n = nxt.size or size_n or em
        # a short line ends a paragraph (or is a heading); glyph boxes of closing punctuation
        # stop short of their advance, so "short" needs a clear gap unless a sentence ends
        if ntext[:1] in CLOSING or _cuts_number(ptext, ntext):  # never how a paragraph starts
            return False
        if _centred_wrap(prev, nxt, left_p, right_p, em, size_p):
            return False
        gap = right_p - prev.x1
        # ragged right edges (fonts substituted after line breaking) leave wrapped lines up
        # to ~4 ems short: without a full stop, only a clearly short line ends a paragraph
        if gap > 6 * em or (gap > 2 * em and ptext[-1:] in FULL_STOP):
            return True
        if (gap < 1.5 * em and ptext[-1:] not in SENTENCE_END and nxt.x0 > left_n + 2 * em_n
                and abs(nxt.x0 + nxt.x1 - left_p - right_p) < 2 * em):
            return False  # a full line going on centred: the end of a centred paragraph
        if nxt.x0 > left_n + 1.2 * em_n:  # indented first line of a new paragraph
            return True
        if gap > 3 * em and ptext[-1:] in SENTENCE_END:
            return True
        if prev.size and nxt.size and abs(prev.size - nxt.size) > 1.0:
            return True
        if _is_heading(ntext) and ptext[-1:] in SENTENCE_END:
            return True
        return False
    if ptext[-1:] in SENTENCE_END:
        return True
    return _is_heading(ptext) and len(ptext) <= 40


def _joiner(a: str, b: str) -> str:
    """Separator when joining wrapped lines: none.

    Chinese layout (and WPS/Word's "allow Latin text to wrap mid-word", usual in government
    documents) breaks anywhere, acronyms and numbers included ("G" / "DP", "844." / "1亿元"),
    so a space would split them; a lost space between two English words costs less.
    """
    return ""


@dataclass
class Block:
    """A paragraph or a table of the assembled document, with the pages its text covers."""

    pieces: list[tuple[int, str]]  # (page, text) in order; a paragraph may span pages
    rows: list[list[str]] | None = None
    page: int | None = None
    row_pages: list[int] | None = None  # a table's rows may run onto the next pages


def build_blocks(pages: Sequence[list[Line]]) -> list[Block]:
    """Join the lines of all pages (in order) into paragraphs and tables."""
    # margins for odd and for even pages (printed reports may mirror them), else for all
    by_parity: dict[int, list[Line]] = {0: [], 1: []}
    for lines in pages:
        if lines:
            by_parity[lines[0].page % 2].extend(lines)
    whole = None
    parity_geom = {}
    for parity, group in by_parity.items():
        geom = _page_geometry(group)
        if geom[0] is None or len(group) < sum(map(len, pages)):
            if whole is None:
                whole = _page_geometry([ln for lines in pages for ln in lines])
            # mirrored margins move the column, they do not narrow it: pages of short lines
            # (a table typed as one cell per line) do not show where the column ends
            if geom[0] is None or (whole[0] is not None and geom[1] - geom[0] < 0.8 * (whole[1] - whole[0])):
                geom = whole
        parity_geom[parity] = geom
    geoms = {lines[0].page: parity_geom[lines[0].page % 2] for lines in pages if lines}
    blocks = _join_lines(pages, geoms)
    if _PINYIN_GLOSS is not None:  # a gloss may follow its character on the next line: 產 / (chǎn)
        for block in blocks:
            block.pieces = [(p, _PINYIN_GLOSS.sub("", t) if "(" in t else t) for p, t in block.pieces]
    return blocks


def _continues(block: Block, prev: Line, table: Line) -> bool:
    """A table at the top of a page that goes on with the table closing the page before:
    nothing between them (furniture is gone by now) and the same number of columns."""
    return (block.rows is not None and table.page == prev.page + 1 and bool(table.rows) and bool(block.rows)
            and len(table.rows[0]) == len(block.rows[0]))


def _split_row(last: list[str], first: list[str]) -> bool:
    """The first row on the new page finishes the last row of the old one: Word lets a row
    break across pages, leaving the rest of a long cell ("品产量") with its other cells empty."""
    return (len(last) == len(first) and any(not c for c in first) and any(first)
            and all(a for a, b in zip(last, first) if b))


def _join_lines(pages: Sequence[list[Line]], geoms: dict) -> list[Block]:
    blocks: list[Block] = []
    prev: Line | None = None
    for lines in pages:
        for ln in lines:
            if ln.is_table:
                if prev is not None and prev.is_table and blocks and _continues(blocks[-1], prev, ln):
                    rows = ln.rows[1:] if ln.rows[0] == blocks[-1].rows[0] else list(ln.rows)  # repeated header
                    done = blocks[-1].rows
                    if rows and _split_row(done[-1], rows[0]):  # a row broken by the page break
                        done = done[:-1] + [[a + b for a, b in zip(done[-1], rows[0])]]
                        rows = rows[1:]
                    blocks[-1].rows = done + rows
                    blocks[-1].row_pages = (blocks[-1].row_pages or [blocks[-1].page] * len(done))[:len(done)] \
                        + [ln.page] * len(rows)
                else:
                    header = carried_header(blocks, ln.page, ln.rows)
                    blocks.append(Block(pieces=[], rows=(header or []) + list(ln.rows), page=ln.page))
                prev = ln
                continue
            if not ln.text:
                continue
            if prev is None or not blocks or should_break(prev, ln, geoms[prev.page], geoms[ln.page]):
                blocks.append(Block(pieces=[(ln.page, ln.text)], page=ln.page))
            else:
                block = blocks[-1]
                sep = _joiner(block.pieces[-1][1], ln.text)
                if block.pieces[-1][0] == ln.page:
                    block.pieces[-1] = (ln.page, block.pieces[-1][1] + sep + ln.text)
                else:
                    block.pieces.append((ln.page, sep + ln.text))
            prev = ln
    return blocks
