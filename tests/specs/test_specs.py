"""One runner for the phenomenon specs (``tests/specs/*.jsonl``), as Recognizers-Text runs its
``Specs/``: each line is an invented sentence, the document context it is read in, and the
coded facts it must yield — all of them and nothing else (``"facts": []`` means nothing coded).

Line fields: ``section`` (the number in PHENOMENA.md), ``name``, ``context`` (DocumentContext
fields; ``published_on`` as ISO date), ``input``, ``facts`` (``indicator``, ``year``, ``basis``,
``measure``, ``value``; optional ``period`` (default FY), ``comparator`` (default =),
``value_high`` (default none)), and optionally ``skip`` with the reason a case is not met yet.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pipelines.extract import extract_facts
from pipelines.extract.model import DocumentContext

SPECS = Path(__file__).resolve().parent


def _cases():
    for path in sorted(SPECS.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            case = json.loads(line)
            marks = [pytest.mark.skip(reason=case["skip"])] if case.get("skip") else []
            yield pytest.param(case, id=f"{path.stem}:{n}:{case['name']}", marks=marks)


def _context(raw: dict) -> DocumentContext:
    raw = dict(raw)
    if raw.get("published_on"):
        raw["published_on"] = date.fromisoformat(raw["published_on"])
    return DocumentContext(**raw)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def _matches(f, want: dict) -> bool:
    return (
        f.indicator_code == want["indicator"]
        and f.year == want["year"]
        and f.basis == want["basis"]
        and f.measure == want["measure"]
        and f.period == want.get("period", "FY")
        and _close(f.value, float(want["value"]))
    )


def _show(f) -> str:
    high = f" high={f.value_high:g}" if getattr(f, "value_high", None) is not None else ""
    return f"{f.indicator_code} {f.year} {f.period} {f.basis} {f.measure} {f.value:g}{high} {f.comparator} {f.raw_text!r}"


def check(case: dict) -> list[str]:
    """Differences between what the engine reads and what the spec expects (empty: a pass)."""
    result = extract_facts(case["input"], _context(case.get("context", {})))
    coded, seen = [], set()
    for f in result.facts:
        key = (f.indicator_code, f.year, f.period, f.basis, f.measure, round(f.value, 6))
        if f.indicator_code is None or key in seen:
            continue
        seen.add(key)
        coded.append(f)
    problems, used = [], set()
    for want in case["facts"]:
        hit = next((i for i, f in enumerate(coded) if i not in used and _matches(f, want)), None)
        if hit is None:
            problems.append(f"missing {want}")
            continue
        used.add(hit)
        f = coded[hit]
        if f.comparator != want.get("comparator", "="):
            problems.append(f"comparator {f.comparator} for {want}")
        if not _close(getattr(f, "value_high", None), want.get("value_high")):
            problems.append(f"value_high {getattr(f, 'value_high', None)} for {want}")
    problems += [f"unexpected {_show(f)}" for i, f in enumerate(coded) if i not in used]
    return problems


@pytest.mark.parametrize("case", list(_cases()))
def test_spec(case):
    problems = check(case)
    assert problems == [], "\n".join([case["input"]] + problems + ["got: " + "; ".join(_show(f) for f in extract_facts(case["input"], _context(case.get("context", {}))).facts)])


def test_every_phenomenon_has_a_passing_spec():
    """Sections 1–25 of PHENOMENA.md (26, page chrome, is the readers' concern)."""
    covered = set()
    for param in _cases():
        case = param.values[0]
        if not case.get("skip"):
            covered.add(case["section"])
    assert set(range(1, 26)) - covered == set()
