"""The records the extraction engine hands to the rest of the pipeline.

Plain dataclasses: the engine imports neither Dagster nor DuckDB.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DocumentContext:
    """What the engine may know about a document before reading its figures."""

    doc_type: str = "other"  # plan_report | gov_work_report | stats_bulletin | half_year_report | other
    actual_year: int | None = None  # the year whose outcome the document reports
    plan_year: int | None = None  # the year whose targets the document sets
    published_on: date | None = None
    region: str | None = None


@dataclass(frozen=True)
class Fact:
    """One figure as the warehouse stores it (see WAREHOUSE.md, core.indicator_facts)."""

    indicator_code: str | None  # canonical code from indicators.csv, or None
    indicator_label: str  # what the text says it measures, e.g. 规模以上工业总产值
    year: int | None
    period: str  # FY, H1, Q1, Q1-Q3, M1-M10 …
    basis: str  # actual | target
    measure: str  # value | growth_pct | rank | share_pct | change_pp
    value: float  # in the base unit of ``unit``
    unit: str  # CNY, USD, percent, ug/m3, count, person, person_time, flight, m2, t, m3, km, rank …
    comparator: str  # = ~ >= <= > < between
    raw_text: str  # the figure exactly as written; text[char_start:char_end] == raw_text
    char_start: int
    char_end: int
    sentence: str  # the sentence (or table row) the figure stands in
    qualifier: str | None = None  # rank scope (全市), 扣除疫苗影响 …
    raw_unit: str | None = None  # the unit as written, e.g. 亿元
    value_high: float | None = None  # the upper end of a range (comparator ``between``); ``value`` is the lower


@dataclass(frozen=True)
class MalformedFigure:
    """Something that looks like a figure but cannot be read as one (e.g. 84.4.1亿元, 增长%).

    It goes to quality.quarantine instead of core.
    """

    raw_text: str
    char_start: int
    char_end: int
    sentence: str
    check_name: str  # e.g. malformed_number, missing_number, missing_unit
    reason: str  # words a person can act on


@dataclass
class ExtractionResult:
    facts: list[Fact]
    malformed: list[MalformedFigure]
