"""One table cell → one ``Fact``: the number, its comparator (6左右, ≥4.5), its unit (from the cell,
the row, the column header or the table) and the measure its column gives it.

Input: a cell and the ``Column`` its header was read into (``tables.py``); output: a ``Fact``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipelines.extract import lexicon as lex
from pipelines.extract.model import DocumentContext, Fact
from pipelines.extract.textview import to_simplified
from pipelines.extract.units import normalise_unit
from pipelines.readers.base import TableCell

NUMBER_RE = re.compile(r"(?<![\d.])([-−–+]?)\s*(\d[\d,]*(?:\.\d+)?|\.\d+)(?![\d.])")
EMPTY_CELL = re.compile(r"^[-—–/\\\s…]*$")
COMPARATOR_AFTER = lex.LazyTable("table_comparator_after")
COMPARATOR_BEFORE = lex.LazyTable("table_comparator_before")
CELL_GROWTH = lex.rx("table_cell_growth", "(?:{})$")
RANGE_CELL = lex.rx("table_range_cell")


@dataclass
class Column:
    """What a value column's header says about every number below it."""

    index: int
    header: str
    measure: str = "value"  # value | growth_pct | change_pp | rank | share_pct
    year: int | None = None
    period: str = "FY"
    basis: str | None = None  # None: decide from the year and the document
    unit: str | None = None  # raw unit from the header, e.g. 亿元 in 2023年(亿元)
    qualifier: str | None = None
    part: str | None = None  # 城镇 / 农村 / 城市 column: a part of the region (table_part_header)


def _comparator(before: str, after: str) -> str:
    after = after.strip()
    for word, comp in COMPARATOR_AFTER.items():
        if after.startswith(word):
            return comp
    before = before.strip()
    for word, comp in COMPARATOR_BEFORE.items():
        if before.endswith(word):
            return comp
    return "="


def _basis_year(col: Column, context: DocumentContext) -> tuple[str, int | None]:
    year = col.year
    basis = col.basis
    if basis is None:
        if year is not None and context.plan_year is not None and year == context.plan_year and (
            context.actual_year is None or year > context.actual_year
        ):
            basis = "target"
        else:
            basis = "actual"
    if year is None:
        year = context.plan_year if basis == "target" else context.actual_year
        if year is None:
            year = context.actual_year or context.plan_year
    return basis, year


def fact_from_cell(cell, col: Column, label: str, code: str | None, row_unit: str, table_unit: str | None,
                    sentence: str, context: DocumentContext, growth_label: bool = False) -> Fact | None:
    text = cell.text
    if EMPTY_CELL.match(text):
        return None
    rng = RANGE_CELL.match(text.strip())
    if rng and col.measure in ("value", "growth_pct"):
        # 4.5-5 / 3%—4% in one cell: one fact with both ends (comparator between)
        low, high = sorted((float(rng.group("low")), float(rng.group("high"))))
        low_cell = TableCell(rng.group("low") + (rng.group("unit") or ""), cell.char_start, cell.char_end)
        fact = fact_from_cell(low_cell, col, label, code, row_unit,
                               table_unit, sentence, context, growth_label)
        if fact is None:
            return None
        scale = fact.value / low if low else 1.0
        return replace(fact, value=fact.value, value_high=float(f"{high * scale:.12g}"), comparator="between", raw_text=cell.text,
                       char_start=cell.char_start, char_end=cell.char_end)
    m = NUMBER_RE.search(text)
    if not m:
        cn = re.search(r"第?([一二三四五六七八九十]+)", text) if col.measure == "rank" else None
        if not cn:
            return None
        from pipelines.extract.numbers import parse_chinese

        return _fact(cell, col, label, code, float(parse_chinese(cn.group(1))), "rank", "rank", None, "=",
                     sentence, context)
    before, after = text[: m.start()], text[m.end():]
    number = float(m.group(2).replace(",", ""))
    negative = m.group(1) in ("-", "−", "–") or "下降" in before or "减少" in before
    value = -number if negative else number
    comparator = _comparator(before.replace("下降", "").replace("增长", ""), after.lstrip(" %％"))

    measure = col.measure
    if measure == "value" and CELL_GROWTH.search(before) and after.lstrip().startswith(("%", "％")):
        measure = "growth_pct"  # a target column's cell 增长5.5%左右 is a growth rate
    if measure in ("growth_pct", "share_pct"):
        unit, multiplier, raw_unit = "percent", 1.0, "%"
    elif measure == "change_pp":
        unit, multiplier, raw_unit = "percent", 1.0, "百分点"
    elif measure == "rank":
        unit, multiplier, raw_unit = "rank", 1.0, None
    else:
        inline = after.strip()
        for word in COMPARATOR_AFTER:
            inline = inline.replace(word, "")
        candidates = [u for u in (inline.strip(), row_unit, col.unit, table_unit) if u]
        resolved = None
        for raw in candidates:
            resolved = ("percent", 1.0) if raw in ("%", "％") else normalise_unit(to_simplified(raw))
            if resolved:
                raw_unit = raw
                break
        if not resolved:
            return None
        unit, multiplier = resolved
        if unit == "percent" and raw_unit in ("百分点", "个百分点"):
            measure = "change_pp"
        elif unit == "percent" and growth_label:
            measure = "growth_pct"
    return _fact(cell, col, label, code, value * multiplier, measure, unit, raw_unit, comparator, sentence, context)


def _fact(cell, col: Column, label: str, code: str | None, value: float, measure: str, unit: str,
          raw_unit: str | None, comparator: str, sentence: str, context: DocumentContext) -> Fact:
    basis, year = _basis_year(col, context)
    return Fact(
        indicator_code=code,
        indicator_label=label,
        year=year,
        period=col.period,
        basis=basis,
        measure=measure,
        value=float(f"{value:.12g}"),  # 72.15 × 1e8 without float noise (7215000000.000001)
        unit=unit,
        comparator=comparator,
        raw_text=cell.text,
        char_start=cell.char_start,
        char_end=cell.char_end,
        sentence=sentence,
        qualifier=col.qualifier,
        raw_unit=raw_unit,
    )
