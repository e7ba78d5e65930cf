"""Whole-path fuzzing (issue 11): 308 damaged reports and the samples through one real `annual-etl ingest`.

One bad document must cost only itself: the run exits 0 in bounded time, every damaged file is
parsed or rejected with a reason that says what is wrong with it, the good reports' facts are
exactly those of ingesting them alone, and the checkout is left as it was. The damage is seeded
(tests/fuzz/damage.py); a failure names the recipe and case that reproduce it alone.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.fuzz.damage import RECIPES, generate, make_case, plan, samples
from tests.fuzz.harness import UNSPECIFIC, baseline_facts, private_env, reason_category, run_batch

SEED = 11
# every recipe 13 times, bar the heavy ones (a 1 MB line, 10^5 blank lines, thousands of figures:
# each costs seconds of extraction and checks), 3 times each: 308 files
HEAVY = {"long_line", "blank_lines", "many_figures"}
PLAN = [(name, k, index) for name, k, index in plan(13 * len(RECIPES)) if name not in HEAVY or k < 3]
FILES = len(PLAN)
HANG_SECONDS = 420  # the whole batch, beside a 30 s limit per document


def _report(problems, kinds) -> str:
    chosen = [p for p in problems if p.kind in kinds]
    counts = Counter(p.kind for p in chosen)
    return f"{len(chosen)} problems {dict(counts)}:\n" + "\n".join(str(p) for p in chosen[:25])


@pytest.fixture(scope="module")
def fuzz_run(tmp_path_factory):
    """The samples alone in one fresh home, then the samples with the damaged files in another."""
    expected = baseline_facts(tmp_path_factory.mktemp("alone"))
    cases = [make_case(name, k, SEED, index) for name, k, index in PLAN]
    result = run_batch(private_env(tmp_path_factory.mktemp("mixed")), cases, expected, timeout=HANG_SECONDS)
    return result


def test_the_run_finishes_in_time_and_exits_0(fuzz_run):
    assert not fuzz_run.hung, _report(fuzz_run.problems, {"hang"})
    assert fuzz_run.exit_code == 0, _report(fuzz_run.problems, {"crash"}) + "\n" + fuzz_run.output[-3000:]


def test_the_good_reports_keep_exactly_their_facts(fuzz_run):
    assert not fuzz_run.hung
    assert not [p for p in fuzz_run.problems if p.kind == "good_facts"], _report(fuzz_run.problems, {"good_facts"})


def test_every_damaged_file_is_parsed_or_rejected_with_a_specific_reason(fuzz_run):
    assert not fuzz_run.hung
    kinds = {"missing", "unspecific", "not_in_core", "extraction_error", "document_error"}
    assert not [p for p in fuzz_run.problems if p.kind in kinds], _report(fuzz_run.problems, kinds)
    # the batch really is a mix: most recipes parse sometimes, and rejections have several causes
    assert len(fuzz_run.parsed) >= FILES // 3, len(fuzz_run.parsed)
    assert len(fuzz_run.rejected) >= 6, fuzz_run.rejected


def test_nothing_is_written_into_the_checkout(fuzz_run):
    assert not [p for p in fuzz_run.problems if p.kind == "checkout"], _report(fuzz_run.problems, {"checkout"})


# ---------------------------------------------------------------- the generator and the judge


def test_the_damage_is_seeded_and_covers_every_recipe():
    assert FILES >= 300 and {name for name, _, _ in PLAN} == set(RECIPES)
    first = [(c.file_name, c.data) for c in generate(2 * len(RECIPES), SEED)]
    again = [(c.file_name, c.data) for c in generate(2 * len(RECIPES), SEED)]
    assert first == again
    assert {name.split("-")[1] for name, _ in first} == set(RECIPES)
    other_seed = [(c.file_name, c.data) for c in generate(2 * len(RECIPES), SEED + 1)]
    assert sum(a != b for a, b in zip(first, other_seed)) > len(RECIPES)
    # a case is made alone exactly as inside a long run
    index = 5 * len(RECIPES) + 3
    inside = list(generate(1, SEED, start=index))[0]
    alone = make_case(inside.recipe, inside.k, SEED)
    assert alone.data == inside.data


def test_the_damage_is_damage():
    originals = {text.encode("utf-8") for _, text in samples()}
    made = list(generate(3 * len(RECIPES), SEED))
    changed = [c for c in made if c.data not in originals]
    assert len(changed) >= len(made) - 3 * 2  # odd_name and mixed may leave a sample's bytes as they were
    assert any(len(c.data) >= 1 << 20 for c in made if c.recipe == "long_line")
    assert any(c.data.count(b"\n") >= 100_000 or c.data.count(b"\r") >= 100_000 for c in made if c.recipe == "blank_lines")
    assert max(c.data.count(b"<") for c in made if c.recipe == "nested_html") >= 10_000  # 5,000+ open, 5,000+ closed
    assert all(c.file_name.endswith((".pdf", ".PDF")) for c in made if c.recipe.startswith("pdf_"))


def test_the_judge_calls_catch_all_reasons_unspecific():
    assert UNSPECIFIC.search("reader failed: RecursionError: maximum recursion depth exceeded")
    assert UNSPECIFIC.search("")
    assert UNSPECIFIC.search("ValueError: max() arg is an empty sequence")
    assert not UNSPECIFIC.search("binary content (NUL bytes): not a text or HTML document")
    assert not UNSPECIFIC.search("corrupt or truncated PDF: no %%EOF end marker (file cut short?)")
    assert reason_category("too large for a report: 9.1 MB of text/plain (limit 8 MB)") == "too large for a report"
    assert reason_category("unsupported file type .docx; expected .txt") == "unsupported file type .docx"
