"""Tables that arrive flattened into the text: a cell per line, or ``| a | b |`` rows.

Statistical bulletins often end up like this after copy-paste::

    指标名称
    增长速度(%)
    固定资产投资(不含农户)
    11.7
    #建筑安装投资
    1.7

or ``| 指标 | 绝对数(亿元) | 比上年增长% |`` followed by ``| 地区生产总值 | 2313.0 | 5.2 |``.
The unit of a bare number comes from its column header, as the corpus README asks ("table cells
count like prose, with the unit taken from the column header"). Ruled tables found by a reader
come as ``TableBlock`` and are handled by ``tables.py``; this module only reads what is in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon as lex
from pipelines.readers.base import TableBlock, TableCell

from .units import normalise_unit

_NUM_LINE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*$")
_HEADER_UNIT = lex.rx("header_unit")
_GROWTH_HEADER = lex.rx("growth_header_text")
_PROSE = re.compile(r"[。;；]")
_UNIT_HEADERS = {"单位", "计量单位", "單位"}
_VALUE_HEADER = lex.rx("table_value_header", "^(?:{})$")


@dataclass
class Cell:
    a: int  # view offsets of the number
    b: int
    value: float
    unit: str
    raw_unit: str
    measure: str
    label_a: int  # view offsets of the row label
    label_b: int


def _column(header: str) -> tuple[str, float, str, str] | None:
    """(unit, multiplier, raw unit, measure) of a header cell, or None."""
    m = _HEADER_UNIT.search(header)
    if not m:
        return None
    raw = m.group(1) or m.group(2)
    norm = normalise_unit(raw)
    if not norm:
        return None
    measure = "growth_pct" if (raw == "%" and _GROWTH_HEADER.search(header)) else "value"
    return norm[0], norm[1], raw, measure


def line_table_cells(s: str, paras: list[tuple[int, int]]) -> list[Cell]:
    """Cells of one-cell-per-line tables under a header that names the unit."""
    cells: list[Cell] = []
    columns: list[tuple[str, float, str, str]] = []
    label: tuple[int, int] | None = None
    col = 0
    unit_col = False  # a 单位 header: each row names its unit on the line after its label
    row_unit: tuple[str, float, str] | None = None
    for a, b in paras:
        line = s[a:b]
        t = line.strip()
        if not t:
            continue
        num = _NUM_LINE.match(line)
        if num:
            if columns and label is not None and col < len(columns):
                unit, mult, raw, measure = columns[col]
                if not unit and row_unit:  # 绝对数 under 单位: the row's own unit
                    unit, mult, raw = row_unit
                elif measure == "growth_pct" and row_unit and row_unit[0] == "percent":
                    measure = "change_pp"  # a rate's change (城镇登记失业率 | % | 2.6 | -0.2) is in points
                if unit:
                    value = float(num.group(1)) * mult
                    cells.append(Cell(a + num.start(1), a + num.end(1), value, unit, raw, measure, *label))
                col += 1
            continue
        if len(t) > 40 or _PROSE.search(t) or "|" in t:
            columns, label, unit_col = [], None, False  # prose: the table is over
            continue
        if t in _UNIT_HEADERS and not columns:
            unit_col, label = True, None
            continue
        if unit_col and label is None and _VALUE_HEADER.match(t):
            columns.append(("", 1.0, "", "value"))
            continue
        if unit_col and label is not None and col == 0 and row_unit is None and len(t) <= 6:
            norm = ("percent", 1.0) if t in ("%", "％") else normalise_unit(t)
            if norm:
                row_unit = (norm[0], norm[1], t)
                continue
        head = _column(t)
        if head and len(t) <= 20 and label is None or (head and not cells and label is None):
            columns.append(head)
            continue
        if head and label is not None and col == 0 and len(t) <= 20 and _GROWTH_HEADER.search(t):
            columns.append(head)
            label = None
            continue
        label, col, row_unit = (a + (len(line) - len(line.lstrip())), b), 0, None
    return cells


def pipe_table_cells(s: str, paras: list[tuple[int, int]]) -> list[Cell]:
    """Cells of ``| label | n | n |`` rows under a ``| … | 绝对数(亿元) | 增长% |`` header row."""
    cells: list[Cell] = []
    columns: list[tuple[str, float, str, str] | None] = []
    unit_col: int | None = None
    growth_cols: set[int] = set()
    for a, b in paras:
        line = s[a:b]
        if line.count("|") < 3:
            if "|" not in line:
                columns = []
            continue
        parts = []
        pos = a
        for piece in line.split("|"):
            parts.append((pos, pos + len(piece), piece))
            pos += len(piece) + 1
        parts = parts[1:-1] if line.strip().startswith("|") else parts
        heads = [_column(p[2]) for p in parts]
        is_header = not any(_NUM_LINE.match(p[2]) for p in parts)
        if is_header and (any(heads) or any(p[2].strip() in _UNIT_HEADERS for p in parts)):
            columns = heads
            unit_col = next((i for i, p in enumerate(parts) if p[2].strip() in _UNIT_HEADERS), None)
            growth_cols = {i for i, p in enumerate(parts) if _GROWTH_HEADER.search(p[2])}
            continue
        if not columns or len(parts) < 2:
            continue
        la, lb, ltext = parts[0]
        if _NUM_LINE.match(ltext):
            continue
        row_unit = None
        if unit_col is not None and unit_col < len(parts):
            raw = parts[unit_col][2].strip()
            norm = normalise_unit(raw)
            if norm:
                row_unit = (norm[0], norm[1], raw, "value")
        for i, ((pa, pb, ptext), head) in enumerate(zip(parts[1:], columns[1:]), start=1):
            num = _NUM_LINE.match(ptext)
            if not num:
                continue
            if head is None:
                if row_unit is None or i == unit_col or i in growth_cols:
                    continue
                head = row_unit
            unit, mult, raw, measure = head
            cells.append(Cell(pa + num.start(1), pa + num.end(1), float(num.group(1)) * mult, unit, raw, measure, la, lb))
    return cells


_CELL_SEP = lex.rx("text_table_cell_sep")


def _cells_of(s: str, a: int, b: int) -> list[tuple[int, int]]:
    """View spans of the cells of one line (empty edge cells of ``| a | b |`` dropped)."""
    out, pos = [], a
    for m in _CELL_SEP.finditer(s, a, b):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < b:
        out.append((pos, b))
    return [(x, y) for x, y in out if s[x:y].strip()]


@dataclass(frozen=True)
class CaptionedTable(TableBlock):
    """A table read from the text with the caption line above it (图1 2019-2023年地区生产总值…)."""

    caption: str = ""


def text_tables(s: str, paras: list[tuple[int, int]]) -> list[TableBlock]:
    """Tables written as lines of cells (``a | b | c``, tab- or space-separated): runs of at least
    two consecutive lines with the same number (≥ 3) of cells, the first a header (no number),
    the others holding numbers. ``s`` is the original text (the view drops the spaces that
    separate cells), ``paras`` its lines."""
    tables: list[TableBlock] = []
    run: list[list[tuple[int, int]]] = []
    caption, last_line = "", ""

    def close():
        if len(run) >= 2 and any(_NUM_CELL.match(s[x:y]) for row in run[1:] for x, y in row):
            # shaped like a reader's ruled table, so that tables.py reads both by one rule
            rows = tuple(tuple(TableCell(s[x:y], x, y) for x, y in row) for row in run)
            tables.append(CaptionedTable(None, rows, rows[0][0].char_start, rows[-1][-1].char_end, caption))
        run.clear()

    for a, b in paras:
        line = s[a:b]
        if not run:
            caption = last_line if _CAPTION.match(last_line) else ""
        last_line = line.strip()
        if _PROSE.search(line) or len(line) > 200:
            close()
            continue
        cells = _cells_of(s, a, b)
        narrow = len(cells) == 2 and _two_column_table(s, run or [cells])
        if (len(cells) < 3 and not narrow) or (run and len(cells) != len(run[0])):
            close()
            if len(cells) < 3 and not (narrow and _two_column_table(s, [cells])):
                continue
        if not run and any(_NUM_CELL.match(s[x:y]) for x, y in cells[1:]):
            continue  # a table starts with its header
        run.append(cells)
    close()
    return tables


def _two_column_table(s: str, run: list[list[tuple[int, int]]]) -> bool:
    """指标  比上年增长(%) over 固定资产投资  4.5: two cells make a table only under a header whose
    first cell names the label column (指标, 项目), so that two-part prose lines stay prose."""
    x, y = run[0][0]
    return len(run[0]) == 2 and bool(_LABEL_HEAD.match(s[x:y].strip().replace(" ", "")))


_LABEL_HEAD = lex.rx("table_label_header")
_NUM_CELL = lex.rx("text_table_number_cell")
_CAPTION = lex.rx("caption")
_WORDS = re.compile(r"[\u4e00-\u9fff]")
_YEAR_CELL = re.compile(r"^\s*(?:19|20)\d{2}\s*年?\s*$")


def cell_line_tables(s: str, paras: list[tuple[int, int]]) -> list[TableBlock]:
    """Web tables copied one cell per line (``地区生产总值 |``), rows between lines of bare ``|``.

    A header cell spanning sub-headers (现价(亿元) over 2015年 | 2016年) is the usual bulletin
    layout: with two header rows whose lengths add up to the data rows' length plus one, the first
    value header spans the second row. ``s`` is the original text, ``paras`` its lines."""
    tables: list[TableBlock] = []
    rows: list[list[tuple[int, int]]] = []
    row: list[tuple[int, int]] = []

    def flush() -> None:
        if row:
            rows.append(list(row))
            row.clear()

    def close() -> None:
        flush()
        if len(rows) == 1 and len(rows[0]) >= 6:
            rows[:] = _rows_without_separators(s, rows[0])
        table = _spanned_table(s, rows) if len(rows) >= 2 else None
        if table is not None:
            tables.append(table)
        rows.clear()

    for a, b in paras:
        t = s[a:b].strip()
        if t and set(t) == {"|"}:
            flush()
            continue
        if t.endswith("|") and "|" not in t[:-1] and len(t) <= 40:
            x = a + s[a:b].index(t[0])
            row.append((x, x + len(t[:-1].rstrip())))
            continue
        close()
    close()
    return tables


def _rows_without_separators(s: str, cells: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Cells copied one per line whose row separators (bare ``|`` lines) were lost: a cell with
    words after the first number opens a row; the header cells before the first row label split
    into a spanning row and its year sub-headers (现价(亿元) … over 2015年 | 2016年)."""
    first = next((i for i, (x, y) in enumerate(cells) if _NUM_CELL.match(s[x:y])), None)
    if first is None or first < 2:
        return [cells]
    head, body = cells[: first - 1], cells[first - 1:]
    rows: list[list[tuple[int, int]]] = []
    for x, y in body:
        if _WORDS.search(s[x:y]) or not rows:
            rows.append([])
        rows[-1].append((x, y))
    k = len(head)
    while k > 0 and _YEAR_CELL.match(s[head[k - 1][0]: head[k - 1][1]]):
        k -= 1
    heads = [head[:k], head[k:]] if 0 < k < len(head) else [head]
    return heads + rows


def _spanned_table(s: str, rows: list[list[tuple[int, int]]]) -> TableBlock | None:
    first = next((i for i, r in enumerate(rows) if any(_NUM_CELL.match(s[x:y]) for x, y in r[1:])), None)
    if not first:
        return None
    heads, data = rows[:first], [r for r in rows[first:] if r]
    width = max(len(r) for r in data)
    data = [r for r in data if len(r) == width]

    def cell(span: tuple[int, int] | None, at: int) -> TableCell:
        return TableCell(s[span[0]:span[1]], *span) if span else TableCell("", at, at)

    at = heads[0][0][0]
    if len(heads) == 1 and len(heads[0]) == width:
        header = [tuple(cell(c, at) for c in heads[0])]
    elif len(heads) == 2 and len(heads[0]) + len(heads[1]) - 1 == width and len(heads[0]) >= 2:
        top, sub = heads
        k = len(sub)
        upper = [top[0], top[1]] + [None] * (k - 1) + top[2:]
        lower = [None] + sub + [None] * (len(top) - 2)
        header = [tuple(cell(c, at) for c in upper), tuple(cell(c, at) for c in lower)]
    else:
        return None
    body = [tuple(cell(c, at) for c in r) for r in data]
    if not body:
        return None
    return TableBlock(None, tuple(header + body), at, body[-1][-1].char_end)
