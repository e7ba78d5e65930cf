"""Screening rules: which extracted figures may enter ``core`` and which go to quarantine.

``screen`` runs between extraction and loading. It is a pure function (no Dagster, no DuckDB):
every ``MalformedFigure`` is quarantined, and every ``Fact`` that fails a rule is quarantined
instead of loaded. The rules people maintain live in data files beside the indicator list:

- ``pipelines/data/value_ranges.csv``   allowed ranges per indicator / unit / measure, and the
                                         allowed distance of a figure's year from the document's
- ``pipelines/data/indicator_units.csv`` units an indicator may use besides its base unit
- ``pipelines/data/measure_units.csv``   the units a non-level measure (growth_pct, rank …) may use
- ``pipelines/data/indicators.csv``      each indicator's base unit

A fact is held back by the first rule it fails (one quarantine row per figure), so the reason
a person reads is the most basic thing wrong with it.
"""

from __future__ import annotations

import csv
import math
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Iterable

from pipelines import tables
from pipelines.extract.model import DocumentContext, ExtractionResult, Fact, MalformedFigure
from pipelines.settings import DATA_DIR


SEVERITIES = ("error", "warn")
# Units that mean "the text gave no unit".
MISSING_UNITS = frozenset({"", "none", "unknown", "null"})
# Absolute bounds for a figure's year, whatever the document says.
YEAR_FLOOR, YEAR_CEILING = 1949, 2100


@dataclass(frozen=True)
class QuarantineRecord:
    """One figure held back from core (a row of ``quality.quarantine``)."""

    raw_text: str
    sentence: str
    char_start: int | None
    char_end: int | None
    check_name: str
    reason: str
    severity: str  # 'error' | 'warn'
    indicator_code: str | None = None
    held_back: bool = True  # False: the figure was loaded into core, with this warning

    def as_row(self, document_id: str, detected_at: datetime) -> tuple:
        """Values in the order of ``QUARANTINE_COLUMNS`` (the declared order of the table)."""
        return (
            document_id,
            self.raw_text,
            self.sentence,
            self.char_start,
            self.check_name,
            self.reason,
            self.severity,
            detected_at,
            self.char_end,
            self.indicator_code,
            self.held_back,
        )


QUARANTINE_COLUMNS = tables.columns("quality.quarantine")
QUARANTINE_INSERT_SQL = (
    "INSERT INTO quality.quarantine ("
    + ", ".join(QUARANTINE_COLUMNS)
    + ") VALUES ("
    + ", ".join("?" for _ in QUARANTINE_COLUMNS)
    + ")"
)


@dataclass
class ScreenResult:
    accepted: list[Fact] = field(default_factory=list)
    quarantined: list[QuarantineRecord] = field(default_factory=list)


# ---------------------------------------------------------------------------- rule data


@dataclass(frozen=True)
class RangeRule:
    indicator_code: str  # '*' for any
    unit: str  # '*' for any
    measure: str  # '*' for any
    field: str  # 'value' | 'year_offset'
    min: float | None
    max: float | None
    severity: str
    check_name: str
    note: str

    def applies(self, fact: Fact) -> bool:
        return (
            self.indicator_code in ("*", fact.indicator_code)
            and self.unit in ("*", fact.unit)
            and self.measure in ("*", fact.measure)
        )

    @property
    def specificity(self) -> int:
        return sum(x != "*" for x in (self.indicator_code, self.unit, self.measure))


@dataclass(frozen=True)
class RuleBook:
    base_units: dict[str, str]  # indicator_code -> base unit
    extra_units: dict[str, frozenset[str]]  # indicator_code -> further allowed units
    measure_units: dict[str, frozenset[str]]  # measure -> allowed units
    ranges: tuple[RangeRule, ...]

    def allowed_units(self, indicator_code: str) -> frozenset[str]:
        base = self.base_units.get(indicator_code)
        extra = self.extra_units.get(indicator_code, frozenset())
        return (frozenset({base}) if base else frozenset()) | extra

    def value_rules(self, fact: Fact) -> list[RangeRule]:
        """The value-range rules for a fact: for each check_name the most specific rule only,
        so that ``unemployment_rate`` 0–30 replaces the general 0–100 for rates."""
        best: dict[str, RangeRule] = {}
        for rule in self.ranges:
            if rule.field != "value" or not rule.applies(fact):
                continue
            held = best.get(rule.check_name)
            if held is None or rule.specificity > held.specificity:
                best[rule.check_name] = rule
        return list(best.values())

    def year_rule(self, fact: Fact) -> RangeRule | None:
        rules = [r for r in self.ranges if r.field == "year_offset" and r.applies(fact)]
        return max(rules, key=lambda r: r.specificity) if rules else None


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            {k: (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(fh)
            if any((v or "").strip() for v in row.values())
        ]


def _num(text: str) -> float | None:
    return float(text) if text != "" else None


def load_rulebook(data_dir: Path | str = DATA_DIR) -> RuleBook:
    data_dir = Path(data_dir)
    base_units = {r["code"]: r["base_unit"] for r in _read_csv(data_dir / "indicators.csv")}
    extra: dict[str, set[str]] = {}
    for r in _read_csv(data_dir / "indicator_units.csv"):
        extra.setdefault(r["indicator_code"], set()).add(r["unit"])
    munits: dict[str, set[str]] = {}
    for r in _read_csv(data_dir / "measure_units.csv"):
        munits.setdefault(r["measure"], set()).add(r["unit"])
    ranges = []
    for r in _read_csv(data_dir / "value_ranges.csv"):
        if r["severity"] not in SEVERITIES:
            raise ValueError(f"value_ranges.csv: severity must be error or warn, got {r['severity']!r}")
        if r["field"] not in ("value", "year_offset"):
            raise ValueError(f"value_ranges.csv: field must be value or year_offset, got {r['field']!r}")
        ranges.append(
            RangeRule(
                indicator_code=r["indicator_code"] or "*",
                unit=r["unit"] or "*",
                measure=r["measure"] or "*",
                field=r["field"],
                min=_num(r["min"]),
                max=_num(r["max"]),
                severity=r["severity"],
                check_name=r["check_name"],
                note=r.get("note", ""),
            )
        )
    return RuleBook(
        base_units=base_units,
        extra_units={k: frozenset(v) for k, v in extra.items()},
        measure_units={k: frozenset(v) for k, v in munits.items()},
        ranges=tuple(ranges),
    )


@lru_cache(maxsize=1)
def default_rulebook() -> RuleBook:
    return load_rulebook(DATA_DIR)


# ---------------------------------------------------------------------------- the rules


@dataclass(frozen=True)
class Finding:
    check_name: str
    reason: str
    severity: str = "error"
    hold: bool = True  # False for a plausibility warning: the figure is loaded and flagged


def _fmt(x: float) -> str:
    return f"{x:g}"


def _describe(fact: Fact) -> str:
    what = fact.indicator_code or fact.indicator_label
    return f"{what} ({fact.measure}, {fact.year or 'year unknown'})"


def check_number(fact: Fact, book: RuleBook, context: DocumentContext) -> Finding | None:
    if fact.value is None or isinstance(fact.value, bool) or not math.isfinite(float(fact.value)):
        return Finding("not_a_number", f"the value of “{fact.raw_text}” is not a finite number ({fact.value!r})")
    return None


def check_unit_present(fact: Fact, book: RuleBook, context: DocumentContext) -> Finding | None:
    if (fact.unit or "").strip().lower() in MISSING_UNITS:
        return Finding(
            "missing_unit",
            f"“{fact.raw_text}” for {_describe(fact)} has no unit; "
            "a figure without a unit cannot be compared — check the sentence and the unit table",
        )
    return None


def check_measure_unit(fact: Fact, book: RuleBook, context: DocumentContext) -> Finding | None:
    allowed = book.measure_units.get(fact.measure)
    if allowed and fact.unit not in allowed:
        return Finding(
            "unit_mismatch",
            f"“{fact.raw_text}” is read as {fact.measure} but its unit is {fact.unit}; "
            f"{fact.measure} takes {' or '.join(sorted(allowed))}",
        )
    return None


def _label_code(fact: Fact) -> str | None:
    """The indicator a figure's label names, even where the engine left the figure uncoded."""
    if fact.indicator_code:
        return fact.indicator_code
    from pipelines.extract.indicators import lookup_indicator

    try:
        return lookup_indicator(fact.indicator_label or "")
    except Exception:  # a lexicon problem must not stop screening
        return None


def check_indicator_unit(fact: Fact, book: RuleBook, context: DocumentContext) -> Finding | None:
    """A level in a unit its indicator cannot have (money on PM2.5, percent on a GDP level),
    whether or not the engine gave the figure a code."""
    if fact.measure != "value":
        return None
    code = _label_code(fact)
    allowed = book.allowed_units(code) if code else frozenset()
    if not allowed or fact.unit in allowed or (not fact.indicator_code and fact.unit == "count"):
        return None  # 固定资产投资项目16个 counts projects: a count beside an indicator's name is no misread
    mapped = "is mapped to" if fact.indicator_code else "is labelled as"
    return Finding(
        "unit_mismatch",
        f"“{fact.raw_text}” {mapped} {code} ({fact.indicator_label}) but is in {fact.unit}; "
        f"{code} is measured in {' or '.join(sorted(allowed))} — "
        "the indicator mapping or the unit is wrong",
        "error" if fact.indicator_code else "warn",
    )


def check_value_ranges(fact: Fact, book: RuleBook, context: DocumentContext) -> Finding | None:
    """The first range the value leaves; error ranges first. A ``warn`` range flags a figure
    that is possible but unusual (GDP growth of 20 %): it is loaded, and the warning kept."""
    for rule in sorted(book.value_rules(fact), key=lambda r: r.severity != "error"):
        low_bad = rule.min is not None and fact.value < rule.min
        high_bad = rule.max is not None and fact.value > rule.max
        if low_bad or high_bad:
            if rule.min is not None and rule.max is not None:
                where = f"outside {_fmt(rule.min)}…{_fmt(rule.max)}"
            else:
                where = f"below the minimum {_fmt(rule.min)}" if low_bad else f"above the maximum {_fmt(rule.max)}"
            return Finding(
                rule.check_name,
                f"“{fact.raw_text}” gives {_describe(fact)} = {_fmt(fact.value)} {fact.unit}, {where}: {rule.note}",
                rule.severity,
                hold=rule.severity == "error",
            )
    return None


def document_years(context: DocumentContext) -> list[int]:
    years = [context.actual_year, context.plan_year]
    if context.published_on is not None:
        years.append(context.published_on.year)
    return sorted({y for y in years if y})


def check_year(fact: Fact, book: RuleBook, context: DocumentContext) -> Finding | None:
    if fact.year is None:
        return None
    if not YEAR_FLOOR <= fact.year <= YEAR_CEILING:
        return Finding(
            "year_out_of_range",
            f"“{fact.raw_text}” is dated {fact.year}, outside {YEAR_FLOOR}–{YEAR_CEILING}: the year was misread",
        )
    years = document_years(context)
    rule = book.year_rule(fact)
    if not years or rule is None:
        return None
    lo = years[0] + (rule.min if rule.min is not None else -math.inf)
    hi = years[-1] + (rule.max if rule.max is not None else math.inf)
    if not lo <= fact.year <= hi:
        return Finding(
            rule.check_name,
            f"“{fact.raw_text}” is dated {fact.year}, but the document is about "
            f"{', '.join(map(str, years))}: {rule.note}",
            rule.severity,
        )
    return None


# In order: the first failing rule names what is wrong with a figure.
RULES = (
    check_number,
    check_unit_present,
    check_measure_unit,
    check_indicator_unit,
    check_value_ranges,
    check_year,
)


def check_fact(fact: Fact, context: DocumentContext, book: RuleBook | None = None) -> Finding | None:
    """The first rule that holds the fact back; else the first warning; None when it is clean."""
    book = book or default_rulebook()
    warning = None
    for rule in RULES:
        finding = rule(fact, book, context)
        if finding is not None and finding.hold:
            return finding
        warning = warning or finding
    return warning


def quarantine_malformed(m: MalformedFigure) -> QuarantineRecord:
    return QuarantineRecord(
        raw_text=m.raw_text,
        sentence=m.sentence,
        char_start=m.char_start,
        char_end=m.char_end,
        check_name=m.check_name or "malformed_number",
        reason=m.reason or f"“{m.raw_text}” cannot be read as a number",
        severity="error",
        indicator_code=None,
    )


def screen(
    result: ExtractionResult, context: DocumentContext, book: RuleBook | None = None
) -> ScreenResult:
    """Split an extraction result into facts for core and records for quality.quarantine."""
    book = book or default_rulebook()
    out = ScreenResult()
    out.quarantined.extend(quarantine_malformed(m) for m in result.malformed)
    for fact in result.facts:
        finding = check_fact(fact, context, book)
        if finding is None or not finding.hold:
            out.accepted.append(fact)
        if finding is not None:
            out.quarantined.append(
                QuarantineRecord(
                    raw_text=fact.raw_text,
                    sentence=fact.sentence,
                    char_start=fact.char_start,
                    char_end=fact.char_end,
                    check_name=finding.check_name,
                    reason=finding.reason,
                    severity=finding.severity,
                    indicator_code=fact.indicator_code,
                    held_back=finding.hold,
                )
            )
    return out


# ---------------------------------------------------------------------------- unread figures

_D = r"[0-9０-９]"
# Number shapes no reading can be right about: 84.4.1亿元, 835..9亿元, 1e400亿元, 20 digits before the point.
_MALFORMED_SHAPES = (
    (rf"{_D}+(?:[.．]{_D}+){{2,}}", "has more than one decimal point"),
    (rf"{_D}+[.．]{{2,}}{_D}*", "has a doubled decimal point"),
    (rf"{_D}+(?:[.．]{_D}+)?[eE][+\-]?{_D}+", "is in exponent notation, which reports never use"),
    (rf"{_D}{{16,}}(?:[.．]{_D}+)?", "has more digits than any amount in a report"),
)


@lru_cache(maxsize=1)
def _figure_patterns() -> tuple[re.Pattern, list[tuple[re.Pattern, str]]]:
    """A number followed by a unit of ``units.csv``, and each malformed shape followed by one."""
    units = sorted({r["raw_unit"] for r in _read_csv(DATA_DIR / "units.csv")}, key=len, reverse=True)
    unit = "(?:" + "|".join(map(re.escape, units)) + ")"
    number = rf"(?<![0-9０-９.．]){_D}+(?:[,，]{_D}{{3}})*(?:[.．]{_D}+)?"
    # only with a unit after them: a bare 5e65 or 2024.3.5 is an id or a date, not a figure
    shapes = [(re.compile(rf"(?<![0-9０-９.．A-Za-z]){shape}\s*{unit}"), why) for shape, why in _MALFORMED_SHAPES]
    return re.compile(number + r"\s*" + unit), shapes


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(mark, 0, start) for mark in "。;;\n") + 1
    rights = [i for i in (text.find(mark, end) for mark in "。;;\n") if i >= 0]
    return text[left:(min(rights) + 1 if rights else len(text))].strip()[:500]


def _overlap_test(spans: list[tuple[int, int]]):
    """``overlaps(start, end)``: whether [start, end) overlaps any of ``spans``, in O(log n).

    A long text has thousands of facts and thousands of figures; testing each figure against
    every fact was quadratic (a 300-page PDF: 35 million comparisons).
    """
    ordered = sorted(spans)
    starts = [a for a, _ in ordered]
    reach = list(accumulate((b for _, b in ordered), max))  # furthest end among the first i spans

    def overlaps(start: int, end: int) -> bool:
        i = bisect_left(starts, end)  # spans starting before ``end``
        return i > 0 and reach[i - 1] > start

    return overlaps


def unread_figures(text: str, result: ExtractionResult, screened: ScreenResult) -> tuple[list[Fact], list[QuarantineRecord]]:
    """Figures the number reader gave up on or misread, so that none vanishes without a trace.

    A malformed number (84.4.1亿元, 835..9亿元, 1e400亿元, a 20-digit amount) is quarantined as an
    error, and any fact read from inside it is held back with it. A number with a unit that no
    fact and no quarantined figure covers is quarantined as a warning (``unread_figure``).
    Returns the facts that may still be loaded, and the new quarantine records.
    """
    figure, shapes = _figure_patterns()
    accepted = screened.accepted
    flagged = [(m.char_start, m.char_end) for m in result.malformed]
    flagged += [(q.char_start, q.char_end) for q in screened.quarantined if q.char_start is not None and q.held_back]
    known = [(f.char_start, f.char_end) for f in result.facts] + flagged
    records: list[QuarantineRecord] = []
    bad_spans: list[tuple[int, int]] = []
    for pattern, why in shapes:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(a <= start and end <= b for a, b in bad_spans) or any(a < end and start < b for a, b in flagged):
                continue
            bad_spans.append((start, end))
            misread = [f for f in accepted if f.char_start < end and start < f.char_end]
            records.append(QuarantineRecord(
                raw_text=match.group(0), sentence=_sentence_around(text, start, end), char_start=start,
                char_end=end, check_name="malformed_number", severity="error",
                indicator_code=next((f.indicator_code for f in misread if f.indicator_code), None),
                reason=f"“{match.group(0)}” {why}; it cannot be read as a figure"
                       + (f" (it was misread as {misread[0].value:g} {misread[0].unit}, held back)" if misread else "")
                       + " — correct the source document"))
    if bad_spans:
        accepted = [f for f in accepted if not any(f.char_start < e and s < f.char_end for s, e in bad_spans)]
    covered = _overlap_test(known + bad_spans)
    for match in figure.finditer(text):
        start, end = match.span()
        if not covered(start, end):
            records.append(QuarantineRecord(
                raw_text=match.group(0), sentence=_sentence_around(text, start, end), char_start=start,
                char_end=end, check_name="unread_figure", severity="warn",
                reason=f"“{match.group(0)}” looks like a figure but the extractor read nothing from it; "
                       "check whether the rules miss a pattern"))
    return accepted, records


def quarantine_rows(
    document_id: str, records: Iterable[QuarantineRecord], detected_at: datetime | None = None
) -> list[tuple]:
    """Rows for ``QUARANTINE_INSERT_SQL`` (``con.executemany(QUARANTINE_INSERT_SQL, rows)``)."""
    detected_at = detected_at or datetime.now()
    return [r.as_row(document_id, detected_at) for r in records]
