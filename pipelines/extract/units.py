"""Unit normalisation: the raw unit as written → (unit code, multiplier to the base unit).

The table is data (``pipelines/data/units.csv``); magnitude prefixes (万, 亿, 万亿 …) in front of
a listed unit are applied on top, so 万亿元 and 千万元 need no rows of their own.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from . import lexicon as lex
from .numbers import MAGNITUDES

DATA = Path(__file__).resolve().parent.parent / "data" / "units.csv"

# measure implied by a unit, where it is not the default 'value'
UNIT_MEASURE = lex.LazyTable("unit_measure")


@lru_cache(maxsize=1)
def unit_table() -> dict[str, tuple[str, float]]:
    with DATA.open(encoding="utf-8") as fh:
        return {row["raw_unit"]: (row["unit"], float(row["multiplier"])) for row in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def base_units() -> list[str]:
    """Units without a magnitude prefix, longest first (for the figure regex)."""
    units = set()
    for raw in unit_table():
        core = raw
        for word in sorted(MAGNITUDES, key=len, reverse=True):
            if core.startswith(word) and core[len(word):] in unit_table():
                core = ""
                break
        if core:
            units.add(core)
    return sorted(units, key=len, reverse=True)


@lru_cache(maxsize=2048)
def normalise_unit(raw_unit: str) -> tuple[str, float] | None:
    """亿元 → ("CNY", 1e8); 万人次 → ("person_time", 1e4); 亩 → ("m2", 666.6667); unknown → None."""
    raw = (raw_unit or "").strip()
    table = unit_table()
    if raw in table:
        return table[raw]
    for word in sorted(MAGNITUDES, key=len, reverse=True):
        if raw.startswith(word):
            rest = normalise_unit(raw[len(word):])
            if rest:
                return rest[0], rest[1] * MAGNITUDES[word]
    return None
