"""The hand-labelled fixture folders (invented, and the held-out blind set) are well-formed.

A gold line that points at the wrong characters, uses a code the spec does not know, or carries a
value at the wrong scale silently skews every score computed on it, so each line is checked
against its own text: ``raw`` sits at ``offset``, the code and unit are canonical, and a value
written with Arabic digits equals its raw figure times the unit's multiplier (``blind/raw_units.csv``).
No engine is run here: these are checks of the labels, not of the extractor.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FOLDERS = [REPO / "tests" / "fixtures" / "invented", REPO / "tests" / "fixtures" / "blind"]
DOC_TYPES = {"stats_bulletin", "gov_work_report", "plan_report", "half_year_report", "other"}
COMPARATORS = {"=", "~", ">=", "<=", ">", "<", "between"}
MEASURE_UNIT = {"growth_pct": "percent", "rank": "rank"}
PERIOD = re.compile(r"period=(?:\d{4})?(H1|Q[1-4](?:-Q[1-4])?|M\d{1,2}(?:-M\d{1,2})?)(?=[\s;]|$)")
NUMBER = re.compile(r"[0-9０-９][0-9０-９,.．]*")


def _base_units() -> dict[str, set[str]]:
    """Indicator code → the units its facts may carry (its base unit, plus a reported currency)."""
    data = REPO / "pipelines" / "data"
    with open(data / "indicators.csv", encoding="utf-8") as fh:
        units = {row["code"]: {row["base_unit"]} for row in csv.DictReader(fh)}
    with open(data / "indicator_units.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            units[row["indicator_code"]].add(row["unit"])
    return units


def _raw_units() -> tuple[dict[str, float], dict[str, tuple[str, float]]]:
    with open(FOLDERS[1] / "raw_units.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    magnitudes = {r["word"]: float(r["multiplier"]) for r in rows if r["kind"] == "magnitude"}
    units = {r["word"]: (r["unit"], float(r["multiplier"])) for r in rows if r["kind"] == "unit"}
    return magnitudes, units


BASE_UNITS = _base_units()
MAGNITUDES, UNITS = _raw_units()


def _longest_prefix(text: str, words) -> str | None:
    return max((w for w in words if text.startswith(w)), key=len, default=None)


def expected_value(raw: str, note: str) -> tuple[float, str] | None:
    """(value in base units, unit) that an Arabic-digit ``raw`` spells, or None when it cannot be read
    plainly (Chinese numerals, mixed forms like 3萬4270元, a cell without a stated unit)."""
    m = NUMBER.match(raw)
    if not m:
        return None
    number = float(m.group().translate(str.maketrans("０１２３４５６７８９．", "0123456789.")).replace(",", ""))
    rest = raw[m.end():]
    cell = re.search(r"cell unit: (\S+)", note)
    if cell and not rest.strip("左右以上以下以内"):
        rest = cell.group(1)
    mag = _longest_prefix(rest, MAGNITUDES)
    mult = MAGNITUDES[mag] if mag else 1.0
    rest = rest[len(mag):] if mag else rest
    unit = _longest_prefix(rest, UNITS)
    if unit is None:
        return None
    code, factor = UNITS[unit]
    return number * mult * factor, code


def _documents():
    for folder in FOLDERS:
        index = [json.loads(line) for line in (folder / "index.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
        for meta in index:
            yield pytest.param(folder, meta, id=f"{folder.name}/{meta['id']}")


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_index_lists_every_document_once(folder):
    ids = [json.loads(line)["id"] for line in (folder / "index.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(ids) == len(set(ids))
    assert set(ids) == {p.stem for p in folder.glob("*.txt")} == {p.stem for p in folder.glob("*.jsonl") if p.stem != "index"}


@pytest.mark.parametrize("folder,meta", list(_documents()))
def test_gold_lines_are_well_formed(folder, meta):
    assert meta["doc_type"] in DOC_TYPES and meta.get("region")
    if meta.get("published"):
        date.fromisoformat(meta["published"])
    text = (folder / f"{meta['id']}.txt").read_text(encoding="utf-8")
    gold = [json.loads(line) for line in (folder / f"{meta['id']}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    assert gold, "a fixture without gold lines measures nothing"
    firm_keys = []
    for g in gold:
        note = g.get("note") or ""
        where = (meta["id"], g["raw"], g.get("offset"))
        assert text[g["offset"]: g["offset"] + len(g["raw"])] == g["raw"], where
        assert g["indicator"] in BASE_UNITS, where
        assert g["basis"] in ("actual", "target") and g["measure"] in ("value", "growth_pct", "rank"), where
        assert isinstance(g["year"], int) and 1990 <= g["year"] <= 2040, where
        assert g["unit"] == MEASURE_UNIT.get(g["measure"], g["unit"]), where
        if g["measure"] == "value":
            assert g["unit"] in BASE_UNITS[g["indicator"]], where
        assert g["comparator"] in COMPARATORS, where
        assert (g["comparator"] == "between") == ("value_high" in g), where
        if "value_high" in g:
            assert g["value_high"] > g["value"], where
        if "period=" in note:
            assert PERIOD.search(note), where
        if g["measure"] == "rank":
            assert g["value"] >= 1 and g["value"] == int(g["value"]), where
        spelled = None if "index form" in note else expected_value(g["raw"], note)
        if spelled is not None:
            value, unit = spelled
            assert unit == g["unit"], where
            assert abs(abs(g["value"]) - value) <= max(0.005 * value, 0.01), (where, g["value"], value)
        if "ambiguous:" not in note:
            period = PERIOD.search(note)
            scope = re.search(r"scope=(\S+)", note) if g["measure"] == "rank" else None  # ranks in two scopes are two facts
            firm_keys.append((g["indicator"], g["year"], period.group(1) if period else "FY", g["basis"], g["measure"], scope and scope.group(1)))
    repeated = {k for k in firm_keys if firm_keys.count(k) > 1}
    assert not repeated, f"a fact stated twice is one line: {repeated}"


def test_value_reader_reads_the_forms_the_fixtures_use():
    assert expected_value("5.82万亿元", "") == (5.82e12, "CNY")
    assert expected_value("742.8亿斤", "") == pytest.approx((742.8e8 * 0.0005, "t"))
    assert expected_value("41,208元", "") == (41208.0, "CNY")
    assert expected_value("52.18", "cell unit: 亿元") == (52.18e8, "CNY")
    assert expected_value("6左右", "cell unit: %") == (6.0, "percent")
    assert expected_value("第5位", "") is None and expected_value("三万九千六百元", "") is None
