"""Facts from indicator tables (指标 / 单位 / 2023年 / 比上年增长% …).

A table states in its header what prose states around each figure: the year, whether a
column holds levels, growth rates, ranks or targets, and often the unit. This module reads
the header once, then each row's label and number cells, and produces the same ``Fact``
records as the prose engine: the same indicator codes (``lookup_indicator``), the same units
(``normalise_unit``), and ``raw_text`` = the number cell at its offsets in the document text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from pipelines.extract import lexicon as lex
from pipelines.extract.periods import period_of  # the engine's own part-of-year reading (上半年 → H1)
from pipelines.extract.indicators import canonical_codes, lookup_indicator
from pipelines.extract.model import DocumentContext, Fact
from pipelines.extract.tablecell import RANGE_CELL, Column, fact_from_cell
from pipelines.extract.textview import to_simplified
from pipelines.extract.units import normalise_unit

YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年?")
UNIT_IN_PARENS = re.compile(r"[(（\[【]\s*(?:单位\s*[:：]\s*)?([^()（）\[\]【】]{1,8}?)\s*[)）\]】]")
UNIT_PREFIX = re.compile(r"单位\s*[:：]\s*(\S{1,8})")
LABEL_HEADER = lex.rx("table_label_header")
UNIT_HEADER = lex.rx("table_unit_header")
SERIAL_HEADER = lex.rx("table_serial_header", "(?i:{})")
GROWTH_LABEL = lex.rx("table_growth_label")
GROWTH_HEADER = lex.rx("table_growth_header")
PP_HEADER = re.compile(r"百分点")
RANK_HEADER = lex.rx("table_rank_header")
SHARE_HEADER = lex.rx("table_share_header")
TARGET_HEADER = lex.rx("table_target_header")
LEADING_NUMBERING = lex.rx("table_leading_numbering")
RANK_SCOPE = lex.rx("table_rank_scope")
ACTUAL_HEADER = lex.rx("table_actual_header")
CAPTION_NAME = lex.rx("caption_name_cut")
MONTH_HEADER = lex.rx("table_month_header")
VALUE_HEADER = lex.rx("table_value_header", "^(?:{})$")
YEAR_ROW = re.compile(r"^(?:19|20)\d{2}\s*年?$")

PART_HEADER = lex.LazyTable("table_part_header")
PART_ROW = lex.rx("table_part_row")


NUMBER_CELL = lex.rx("table_number_cell")


def _is_number_cell(text: str) -> bool:
    """A cell holding one figure: 844.1, -17.7, 5左右, ≥4.5, 36%, 844.1亿元 (not 2023年, 1-10月)."""
    m = NUMBER_CELL.match(text.strip()) or RANGE_CELL.match(text.strip())
    if not m:
        return False
    unit = m.group("unit")
    return not unit or unit in ("%", "‰", "位", "名") or normalise_unit(unit) is not None


def _unit_in(text: str) -> str | None:
    """A unit written into a header or label: 地区生产总值(亿元), 单位:万元, (%)."""
    for rx in (UNIT_PREFIX, UNIT_IN_PARENS):
        for m in rx.finditer(text):
            raw = to_simplified(m.group(1).strip())
            if raw == "%" or normalise_unit(raw):
                return raw
    return None


def _strip_units(text: str) -> str:
    return UNIT_PREFIX.sub("", UNIT_IN_PARENS.sub("", text)).strip()


def _header_rows(rows: Sequence[Sequence[str]], label_col: int) -> int:
    """Leading rows with no number outside the label column are header rows."""
    n = 0
    for row in rows:
        if any(_is_number_cell(c) for i, c in enumerate(row) if i != label_col):
            break
        n += 1
    return n


def _column_headers(rows: Sequence[Sequence[str]], n_header: int, width: int) -> list[str]:
    """One header string per column; a merged upper cell (empty to its right) spans on."""
    headers = [""] * width
    for r in range(n_header):
        row = list(rows[r]) + [""] * (width - len(rows[r]))
        below = rows[r + 1] if r + 1 < n_header else None
        carry = ""
        for i in range(width):
            cell = row[i].strip()
            if cell:
                carry = cell
            elif carry and below is not None and i < len(below) and below[i].strip():
                cell = carry  # under a merged header such as 2023年 over 绝对值 | 增长%
            else:
                carry = ""
            if cell:
                headers[i] = f"{headers[i]} {cell}".strip()
    return headers


def _read_column(index: int, header: str) -> Column:
    col = Column(index=index, header=header)
    header = to_simplified(header)  # 目標, 億元: traditional headers read like simplified ones
    years = [int(y) for y in YEAR_RE.findall(header)]
    if years:
        col.year = years[-1]
    month = MONTH_HEADER.match(re.sub(r"\s+", "", header))
    col.period = f"M{month.group(1)}" if month else (period_of(header) or "FY")  # a 6月 column: that month
    col.unit = _unit_in(header)
    bare = _strip_units(header)
    if PP_HEADER.search(header):
        col.measure = "change_pp"
    elif GROWTH_HEADER.search(bare) or (bare.endswith("%") and GROWTH_HEADER.search(header)):
        col.measure = "growth_pct"
    elif RANK_HEADER.search(bare):
        col.measure = "rank"
        scope = RANK_SCOPE.search(bare)
        col.qualifier = scope.group(1) if scope else None
    elif SHARE_HEADER.search(bare):
        col.measure = "share_pct"
    col.part = PART_HEADER.get(re.sub(r"\s+", "", bare)) or None
    if TARGET_HEADER.search(bare):
        col.basis = "target"
    elif ACTUAL_HEADER.search(bare):
        col.basis = "actual"
    return col


def _label(text: str) -> str:
    label = _strip_units(text)
    label = LEADING_NUMBERING.sub("", label)
    return re.sub(r"\s+", "", label).rstrip(":：")


def extract_table_facts(tables: Sequence, context: DocumentContext) -> list[Fact]:
    """Facts from ``TableBlock``s (see ``pipelines.readers.base``), in document order.

    Rows without a recognisable unit (from the unit column, the label, the column header or
    a 单位:… header cell) yield nothing for level columns: a bare number is not a figure.
    Growth, rank and share columns need no unit. A table without a header row that has as
    many columns as the table before it continues that table (split by a page break) and
    takes its header.
    """
    facts: list[Fact] = []
    header: list[list[str]] | None = None
    for table in tables:
        try:
            table_facts, header = _facts_of_table(table, context, header)
        except Exception:  # noqa: BLE001 - one odd table must not cost the document its prose facts
            table_facts, header = [], None
        facts.extend(table_facts)
    facts.sort(key=lambda f: (f.char_start, f.char_end, f.indicator_code or "", f.measure))
    return facts


def _facts_of_table(table, context: DocumentContext, previous_header: list[list[str]] | None
                    ) -> tuple[list[Fact], list[list[str]] | None]:
    """Facts of one table, and its header rows (for a continuation on the next page)."""
    cells = [list(row) for row in table.rows]
    texts = [[to_simplified(c.text) for c in row] for row in cells]  # 單位, 目標: read as simplified
    if not texts:
        return [], None
    width = max(len(r) for r in texts)

    def label_column(rows: list[list[str]]) -> int:
        return next((i for row in rows[:3] for i, t in enumerate(row)
                     if LABEL_HEADER.match(_strip_units(t).replace(" ", ""))), 0)

    label_col = label_column(texts)
    n_header = _header_rows(texts, label_col)
    if n_header == 0 and previous_header and max(len(r) for r in previous_header) == width:
        label_col = label_column(previous_header)
        cells = [[] for _ in previous_header] + cells
        texts = [list(r) for r in previous_header] + texts
        n_header = len(previous_header)
    if n_header == 0 or n_header == len(texts):
        return [], None
    header_rows = [list(r) for r in texts[:n_header]]
    headers = _column_headers(texts, n_header, width)
    unit_col = next((i for i, h in enumerate(headers) if UNIT_HEADER.match(_strip_units(h).replace(" ", ""))), None)
    table_unit = next((u for row in texts[:n_header] for t in row if (u := _unit_in(t))), None)
    columns = [
        _read_column(i, headers[i]) for i in range(label_col + 1, width)
        if i != unit_col and not SERIAL_HEADER.match(headers[i].replace(" ", ""))
    ]
    # a header cell that only says 单位:亿元 (or "(亿元)") is a table-wide unit, not a column
    columns = [c for c in columns if _strip_units(c.header) or c.year is not None]
    for left, col in zip(columns, columns[1:]):
        # 2025年预计 | 增长(%) / 1-6月累计 | 累计增长(%): a growth column that names no year or part of
        # the year is its left neighbour's
        if col.measure in ("growth_pct", "change_pp") and left.measure == "value" and col.year is None and col.period == "FY":
            col.year, col.period, col.basis = left.year, left.period, col.basis or left.basis

    facts: list[Fact] = []
    last_label = ""
    parent_code: str | None = None
    by_year = _year_rows(texts[n_header:], label_col, columns, to_simplified(getattr(table, "caption", "")))
    for row_cells, row in zip(cells[n_header:], texts[n_header:]):
        if label_col >= len(row):
            continue
        label_text = row[label_col].strip()
        label = _label(label_text) or last_label
        if not label:
            continue
        last_label = label
        # 地区生产总值增速 | % | 5.2: a growth rate named in the label, not in the header
        growth_label = bool(GROWTH_LABEL.search(label))
        code = lookup_indicator(GROWTH_LABEL.sub("", label) if growth_label else label)
        part_row = PART_ROW.match(label)
        if code is None and part_row and parent_code:
            # 全体居民人均可支配收入 over 城镇居民 | 58320: the part of the row above
            code = _part_code(parent_code, PART_HEADER.get(part_row.group(1)))
        elif not part_row:
            parent_code = code
        if by_year:  # 年份 | 地区生产总值(亿元) | 比上年增长(%): the row is a year, the column the indicator
            year = int(YEAR_RE.match(label).group(1))
            for col in columns:
                if col.index < len(row_cells) and (named := by_year.get(col.index)):
                    fact = fact_from_cell(row_cells[col.index], replace(col, year=year), named[0], named[1],
                                           "", table_unit, "\t".join(row), context)
                    if fact is not None:
                        facts.append(fact)
            continue
        row_unit = row[unit_col].strip() if unit_col is not None and unit_col < len(row) else ""
        sentence = "\t".join(row)
        for col in columns:
            if col.index >= len(row_cells):
                continue
            cell = row_cells[col.index]
            fact = fact_from_cell(cell, col, label, _part_code(code, col.part), row_unit or _unit_in(label_text) or "",
                                   table_unit, sentence, context, growth_label)
            if fact is not None:
                facts.append(fact)
    return facts, header_rows


def _year_rows(rows: list[list[str]], label_col: int, columns: list[Column], caption: str = "") -> dict[int, tuple[str, str | None]]:
    """A table whose rows are years (2019年 | 1201.3 | 6.4): column index → (label, code) from the
    column headers, a growth column taking the indicator of the column before it, or of the caption
    (图1 2019-2023年地区生产总值及其增长速度); {} otherwise."""
    labels = [r[label_col].strip() for r in rows if label_col < len(r) and r[label_col].strip()]
    if len(labels) < 2 or not all(YEAR_ROW.match(t) for t in labels):
        return {}
    out: dict[int, tuple[str, str | None]] = {}
    titled = CAPTION_NAME.sub("", caption)
    named = lookup_indicator(titled) if titled else None
    last: tuple[str, str | None] | None = (titled, named) if named else None
    for col in columns:
        name = re.sub(r"\s+", "", _strip_units(col.header))
        code = lookup_indicator(GROWTH_LABEL.sub("", name)) if name else None
        if code:
            last = (name, code)
            out[col.index] = last
        elif last and (col.measure in ("growth_pct", "change_pp") or named and VALUE_HEADER.match(name)):
            out[col.index] = last  # 比上年增长(%) after its indicator; 绝对数(亿元) under a caption naming one
    return out


def _part_code(code: str | None, part: str | None) -> str | None:
    """A 城镇 / 农村 column: disposable_income becomes urban_ / rural_disposable_income; any other
    indicator in such a column (居民消费价格 | 全市 | 城市 | 农村) is a part of the region: no code."""
    if not part or code is None:
        return code
    split = f"{part}_{code}"
    return split if split in canonical_codes() else None


