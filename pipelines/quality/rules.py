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
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from pipelines.extract.model import DocumentContext, ExtractionResult, Fact, MalformedFigure

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

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

    def as_row(self, document_id: str, detected_at: datetime) -> tuple:
        """Values in the order of ``QUARANTINE_COLUMNS``."""
        return (
            document_id,
            self.raw_text,
            self.sentence,
            self.char_start,
            self.char_end,
            self.check_name,
            self.reason,
            self.severity,
            self.indicator_code,
            detected_at,
        )


QUARANTINE_COLUMNS = (
    "document_id",
    "raw_text",
    "sentence",
    "char_start",
    "char_end",
    "check_name",
    "reason",
    "severity",
    "indicator_code",
    "detected_at",
)
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


def check_indicator_unit(fact: Fact, book: RuleBook, context: DocumentContext) -> Finding | None:
    if fact.measure != "value" or not fact.indicator_code:
        return None
    allowed = book.allowed_units(fact.indicator_code)
    if allowed and fact.unit not in allowed:
        return Finding(
            "unit_mismatch",
            f"“{fact.raw_text}” is mapped to {fact.indicator_code} but is in {fact.unit}; "
            f"{fact.indicator_code} is measured in {' or '.join(sorted(allowed))} — "
            "the indicator mapping or the unit is wrong",
        )
    return None


def check_value_ranges(fact: Fact, book: RuleBook, context: DocumentContext) -> Finding | None:
    for rule in book.value_rules(fact):
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
    """The first rule the fact fails, or None when it may be loaded."""
    book = book or default_rulebook()
    for rule in RULES:
        finding = rule(fact, book, context)
        if finding is not None:
            return finding
    return None


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
        if finding is None:
            out.accepted.append(fact)
        else:
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
                )
            )
    return out


def quarantine_rows(
    document_id: str, records: Iterable[QuarantineRecord], detected_at: datetime | None = None
) -> list[tuple]:
    """Rows for ``QUARANTINE_INSERT_SQL`` (``con.executemany(QUARANTINE_INSERT_SQL, rows)``)."""
    detected_at = detected_at or datetime.now()
    return [r.as_row(document_id, detected_at) for r in records]
