"""The lexicon data files are consistent: every alias maps to a known code once, every cue list
reference resolves, no list repeats an entry, and the engine's Python holds no word lists."""

import ast
import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from pipelines.extract import lexicon as lex
from pipelines.extract.indicators import _norm

DATA = Path(lex.__file__).resolve().parent.parent / "data"
EXTRACT = Path(lex.__file__).resolve().parent


def _aliases():
    with (DATA / "indicator_aliases.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _codes():
    with (DATA / "indicators.csv").open(encoding="utf-8") as fh:
        return {row["code"] for row in csv.DictReader(fh)}


def test_no_duplicate_alias():
    counts = Counter(_norm(row["alias"]) for row in _aliases())
    assert [a for a, n in counts.items() if n > 1] == []


def test_every_alias_code_is_known():
    codes = _codes()
    unknown = [(row["alias"], c) for row in _aliases() for c in (row["code"] or "").split("|") if c and c not in codes]
    assert unknown == []


def test_contract_codes_present():
    spec = Path("/work/shared/spec/indicators.csv")
    if not spec.exists():
        pytest.skip("shared spec not mounted")
    with spec.open(encoding="utf-8") as fh:
        wanted = {row["code"] for row in csv.DictReader(fh)}
    assert wanted <= _codes()
    aliased = {c for row in _aliases() for c in (row["code"] or "").split("|") if c}
    assert wanted <= aliased, wanted - aliased


def test_cue_lists_are_consistent():
    assert lex.check() == []


def test_code_valued_tables_name_known_codes():
    codes = _codes()
    for name in ("elliptic_industry", "pair_labels"):
        for value in lex.table(name).values():
            assert set(value.split("|")) <= codes, (name, value)


@pytest.mark.parametrize(
    "rows, problem",
    [({"a": [("x|{nope}", "")]}, "unknown reference"), ({"a": [("x", ""), ("x", "")]}, "duplicate")],
)
def test_bad_cue_data_is_reported(monkeypatch, rows, problem):
    monkeypatch.setattr(lex, "_rows", lambda: rows)
    lex.pattern.cache_clear()
    try:
        assert any(problem in p for p in lex.check())
    finally:
        lex.pattern.cache_clear()


_CJK_ALTERNATION = re.compile(r"[\u4e00-\u9fff]{1,8}\|[\u4e00-\u9fff]{1,8}\|[\u4e00-\u9fff]{1,8}")


def _string_constants(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node


@pytest.mark.parametrize("path", sorted(EXTRACT.glob("*.py")), ids=lambda p: p.name)
def test_no_word_lists_in_python(path):
    """A regex alternation of three or more Chinese words, or a set/dict literal of five or more
    Chinese words, is a word list: it belongs in pipelines/data/cues.csv."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [n.value[:40] for n in _string_constants(tree) if _CJK_ALTERNATION.search(n.value)]
    for node in ast.walk(tree):
        if isinstance(node, (ast.Set, ast.Dict, ast.List, ast.Tuple)):
            elts = node.keys if isinstance(node, ast.Dict) else node.elts
            # (pairs such as ("以上", ">=") count by their first element)
            elts = [e.elts[0] if isinstance(e, ast.Tuple) and e.elts else e for e in elts]
            words = [e.value for e in elts if isinstance(e, ast.Constant) and isinstance(e.value, str) and re.search(r"[\u4e00-\u9fff]", e.value)]
            if len(words) >= 5:
                found.append("/".join(words[:5]))
    assert found == []
