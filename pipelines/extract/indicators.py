"""Indicator labels → canonical codes, from ``pipelines/data/indicator_aliases.csv``.

Rows with an empty ``code`` are known non-canonical measures (人均地区生产总值, 财政总收入,
城镇投资 …). They are matched like aliases so that, by longest match, they shadow the canonical
phrase inside them, and a figure that follows them gets no code. A code ``a|b`` names two
indicators reported together (城乡居民人均可支配收入分别…: urban, then rural).

Matching uses an Aho-Corasick automaton (``pyahocorasick``) over the simplified-script view,
keeping the longest match at each place.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from . import lexicon as lex
from .textview import to_simplified

DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class LabelMatch:
    start: int
    end: int
    alias: str
    code: str | None  # None for a known non-canonical measure; "a|b" for a pair

    @property
    def codes(self) -> list[str]:
        return self.code.split("|") if self.code else []


def _norm(alias: str) -> str:
    return to_simplified(alias.strip()).replace("（", "(").replace("）", ")")


@lru_cache(maxsize=1)
def alias_table() -> dict[str, str | None]:
    table: dict[str, str | None] = {}
    with (DATA / "indicator_aliases.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            alias = _norm(row["alias"])
            if alias:
                table[alias] = (row.get("code") or "").strip() or None
    return table


@lru_cache(maxsize=1)
def canonical_codes() -> dict[str, dict]:
    with (DATA / "indicators.csv").open(encoding="utf-8") as fh:
        return {row["code"]: row for row in csv.DictReader(fh)}


@lru_cache(maxsize=None)
def other_units(code: str | None) -> frozenset[str]:
    """Units an indicator is also reported in besides its base unit (``indicator_units.csv``)."""
    with (DATA / "indicator_units.csv").open(encoding="utf-8") as fh:
        return frozenset(row["unit"] for row in csv.DictReader(fh) if row["indicator_code"] == code)


@lru_cache(maxsize=None)
def base_unit(code: str | None) -> str | None:
    row = canonical_codes().get(code or "")
    return row["base_unit"] if row else None


@lru_cache(maxsize=1)
def _automaton():
    import ahocorasick

    auto = ahocorasick.Automaton()
    for alias, code in alias_table().items():
        value = (-len(alias), alias, code)
        auto.add_word(alias, value)
        up = alias.upper()
        if up != alias:
            auto.add_word(up, value)
        low = alias.lower()
        if low != alias:
            auto.add_word(low, value)
    auto.make_automaton()
    return auto


def find_labels(s: str, start: int = 0, end: int | None = None) -> list[LabelMatch]:
    """Non-overlapping alias matches in ``s[start:end]``, longest first, left to right."""
    end = len(s) if end is None else end
    if end <= start:
        return []
    # (-length, start, alias, code): sorted, the longest come first, then left to right
    found = [(neg, last + neg + 1, alias, code) for last, (neg, alias, code) in _automaton().iter(s, start, end)]
    if not found:
        return []
    # keep the longest; drop matches overlapping a longer one (occupancy mask: linear, not quadratic)
    found.sort(key=_BY_LENGTH_START)
    busy = bytearray(end - start + 1)
    kept = []
    for neg, a, alias, code in found:
        i = a - start
        j = i - neg
        if busy.find(1, i, j) >= 0:
            continue
        busy[i:j] = b"\x01" * -neg
        kept.append((a, -neg, alias, code))
    kept.sort(key=_START)
    return [LabelMatch(a, a + n, alias, code) for a, n, alias, code in kept]


_BY_LENGTH_START = itemgetter(0, 1)
_START = itemgetter(0)


_STRIP = lex.rx("own_prefix")


@lru_cache(maxsize=4096)
def lookup_indicator(label: str) -> str | None:
    """Canonical code for an indicator phrase (全区地区生产总值 → gdp, 固投 → fixed_asset_investment)."""
    s = _norm(label)
    table = alias_table()
    if s in table:
        code = table[s]
        return _pair_default(s) if code and "|" in code else code
    matches = find_labels(s)
    if not matches:
        code = table.get(_STRIP.sub("", s))
        return None if not code or "|" in code else code
    # the phrase must be essentially the alias: the last (head) match decides
    m = matches[-1]
    if m.code and "|" in m.code:
        return _pair_default(m.alias)
    return m.code


def _pair_default(alias: str) -> str | None:
    """A pair alias used alone (城乡居民人均可支配收入) means the all-residents figure."""
    return "disposable_income" if "可支配收入" in alias else None
