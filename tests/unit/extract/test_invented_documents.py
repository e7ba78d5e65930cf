"""The engine on invented full-length documents (``tests/fixtures/invented``), scored like the corpus.

The documents were written for generalisation: a full bulletin, a provincial work report, a
half-year report, news digests. Floors, not exact counts, so a better rule never breaks the test
while a regression on whole genres does. The gold files are checked too: every ``raw`` sits at its
``offset``, every code is canonical.
"""

from __future__ import annotations

import json

import pytest

from benchmarks.extract_invented import FIXTURES, load, score
from pipelines.extract.indicators import canonical_codes

# (precision, recall) floors: over all invented documents, and for each one
FLOORS = {"all": (0.97, 0.97)}
DOC_FLOOR = (0.9, 0.9)


@pytest.fixture(scope="module")
def scores():
    return score(per_doc=False)


def test_gold_files_are_grounded():
    codes = canonical_codes()
    for doc_id, text, _ctx, gold in load():
        assert gold, doc_id
        for g in gold:
            assert g["indicator"] in codes, (doc_id, g)
            assert text[g["offset"]: g["offset"] + len(g["raw"])] == g["raw"], (doc_id, g)
            assert g["basis"] in ("actual", "target") and g["measure"] in ("value", "growth_pct", "rank"), (doc_id, g)
            assert (g["comparator"] == "between") == ("value_high" in g), (doc_id, g)


def test_every_fixture_is_indexed():
    indexed = {json.loads(line)["id"] for line in (FIXTURES / "index.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()}
    on_disk = {p.stem for p in FIXTURES.glob("*.txt")}
    assert indexed == on_disk


def test_overall_floor(scores):
    p, r = FLOORS["all"]
    assert scores["all"]["precision"] >= p, scores["all"]
    assert scores["all"]["recall"] >= r, scores["all"]
    assert scores["all"]["wrong_sign"] == 0 and scores["all"]["wrong_scale"] == 0


def test_every_document_floor(scores):
    low = {k: v for k, v in scores.items() if k != "all" and (v["precision"] < DOC_FLOOR[0] or v["recall"] < DOC_FLOOR[1])}
    assert not low, low


def test_comparators(scores):
    assert scores["all"]["comparator_accuracy"] >= 0.98, scores["all"]
