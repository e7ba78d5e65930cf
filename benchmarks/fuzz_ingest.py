"""Long whole-path fuzz (issue 11): thousands of damaged reports through `annual-etl ingest`, in batches.

Each batch of damaged files is ingested with the bundled samples by one real CLI run in a fresh
home (warehouse, archive, DAGSTER_HOME, logs), and judged by tests/fuzz/harness.py: exit code,
time bound, every file parsed or specifically rejected, the samples' facts unchanged. The
damage is seeded (tests/fuzz/damage.py), so every failure listed can be made again alone:

    .venv/bin/python benchmarks/fuzz_ingest.py --files 5000 --batch 50 --seed 7
    .venv/bin/python benchmarks/fuzz_ingest.py --seed 7 --only odd_title --case 3    # one case, verbose
    .venv/bin/python benchmarks/fuzz_ingest.py --list                                 # the recipes

A batch that exits non-zero is bisected (``--bisect``, default the first 3) down to the one
file that makes the run fail alone.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
from tests.fuzz.damage import RECIPES, make_case, plan  # noqa: E402
from tests.fuzz.harness import (BatchResult, Problem, baseline_facts, checkout_changes, checkout_snapshot,  # noqa: E402
                                describe_changes, private_env, run_batch)


def _batches(args) -> list[list]:
    only = [name for part in args.only for name in part.split(",") if name] or None
    if args.case is not None:
        if not only or len(only) != 1:
            raise SystemExit("--case needs exactly one --only RECIPE")
        return [[(only[0], args.case, None)]]
    specs = plan(args.files, only)  # cases are made by the run that ingests them: 5,000 would fill memory
    return [specs[i:i + args.batch] for i in range(0, len(specs), args.batch)]


def _run(work: Path, number: int, specs: list, expected: list, args) -> BatchResult:
    try:
        cases = [make_case(name, k, args.seed, index) for name, k, index in specs]
        return run_batch(private_env(work / f"batch-{number:04d}"), cases, expected, timeout=args.timeout,
                         document_timeout=args.document_timeout, check_checkout=False)
    except Exception as error:  # a bug of the generator or the judge costs this batch, not the whole fuzz
        failed = BatchResult([], exit_code=0)
        failed.problems.append(Problem("harness", f"run {number}: {type(error).__name__}: {error}"))
        return failed


def _bisect(work: Path, cases: list, expected: list, args, tag: str) -> Problem | None:
    """The single file of a failing batch that makes a run fail (or hang) alone, if there is one."""
    suspects, step = [(c.recipe, c.k, None) for c in cases], 0
    while len(suspects) > 1:
        half = suspects[: len(suspects) // 2]
        step += 1
        trial = _run(work / f"bisect-{tag}", step, half, expected, args)
        suspects = half if (trial.crashed or trial.hung) else suspects[len(half):]
    final = _run(work / f"bisect-{tag}", step + 1, suspects, expected, args)
    if final.crashed or final.hung:
        kind = "hang" if final.hung else "crash"
        return Problem(kind, f"fails a run alone: {next((p.detail for p in final.problems if p.kind == kind), '')}",
                       make_case(suspects[0][0], suspects[0][1], args.seed))
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=50, help="damaged files per CLI run")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", action="append", default=[], help="only these recipes (repeat or comma-separate)")
    parser.add_argument("--case", type=int, help="with one --only: just case K of that recipe")
    parser.add_argument("--jobs", type=int, default=2, help="CLI runs at once (each in its own home)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds one run may take before it is a hang")
    parser.add_argument("--document-timeout", type=float, default=30,
                        help="the pipeline's limit per document (ANNUAL_ETL_DOCUMENT_TIMEOUT)")
    parser.add_argument("--bisect", type=int, default=3, help="failing batches to narrow down to one file")
    parser.add_argument("--show", type=int, default=15, help="failures to list")
    parser.add_argument("--keep", help="work in this folder and keep it (default: a temporary one)")
    parser.add_argument("--list", action="store_true", help="list the recipes and exit")
    args = parser.parse_args(argv)
    if args.list:
        for name in sorted(RECIPES):
            print(f"{name:18} {(RECIPES[name].__doc__ or '').strip()}")
        return 0
    batches = _batches(args)
    # a shell starts a background job with SIGINT ignored, and SIGTERM would end it unsummarised:
    # both stop new runs and print what the finished ones came to
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with tempfile.TemporaryDirectory(prefix="annual-etl-fuzz-") as scratch:
        work = Path(args.keep) if args.keep else Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        return _fuzz(args, batches, work)


def _fuzz(args, batches: list[list], work: Path) -> int:
    started = time.monotonic()
    files = sum(len(b) for b in batches)
    recipes = sorted({spec[0] for b in batches for spec in b})
    print(f"fuzz_ingest: seed {args.seed}, {files} files in {len(batches)} runs of <= {args.batch}, "
          f"{len(recipes)} recipes, {args.jobs} at once, hang bound {args.timeout:.0f} s per run", flush=True)
    before = checkout_snapshot()
    expected = baseline_facts(work / "alone")
    print(f"baseline: the samples alone give {len(expected)} facts", flush=True)
    results: list[BatchResult] = []
    pool = ThreadPoolExecutor(max_workers=max(1, args.jobs))
    futures = [pool.submit(_run, work, n, cases, expected, args) for n, cases in enumerate(batches)]
    try:
        for number, future in enumerate(futures):
            result = future.result()
            results.append(result)
            state = "HANG" if result.hung else f"exit {result.exit_code}"
            print(f"  run {number + 1}/{len(batches)}: {state}, {result.seconds:.0f} s, {len(result.parsed)} parsed,"
                  f" {sum(result.rejected.values())} rejected, {len(result.problems)} problems", flush=True)
    except KeyboardInterrupt:  # Ctrl-C, kill -INT or -TERM: finish the runs under way, summarise what is done
        print("  interrupted: no new runs; waiting for those under way", flush=True)
        pool.shutdown(wait=True, cancel_futures=True)
        results += [f.result() for f in futures[len(results):] if f.done() and not f.cancelled()]
    pool.shutdown(wait=True)
    culprits = []
    failing = [r for r in results if r.crashed or r.hung]
    for index, result in enumerate([r for r in failing if r.crashed][: args.bisect]):  # a hang costs too much
        if len(result.cases) > 1:
            found = _bisect(work, result.cases, expected, args, str(index))
            if found:
                culprits.append(found)
    checkout = checkout_changes(before)
    _print_summary(args, results, culprits, checkout, time.monotonic() - started)
    bad = failing or checkout or any(p.kind not in ("checkout", "document_timeout") for r in results for p in r.problems)
    return 1 if bad else 0


def _print_summary(args, results: list[BatchResult], culprits: list[Problem], checkout: list[str],
                   seconds: float) -> None:
    rejected = sum((r.rejected for r in results), Counter())
    problems = [p for r in results for p in r.problems]
    kinds = Counter(p.kind for p in problems)
    facts_lost = sum(1 for r in results if any(p.kind == "good_facts" for p in r.problems))
    print()
    print(f"documents tried   {sum(len(r.cases) for r in results)} (distinct: "
          f"{sum(len(r.parsed) + sum(r.rejected.values()) for r in results)} with a raw row)")
    print(f"crashes           {sum(r.crashed for r in results)} of {len(results)} runs exited non-zero;"
          f" {facts_lost} runs changed the samples' facts")
    print(f"hangs             {sum(r.hung for r in results)} runs over {args.timeout:.0f} s; "
          f"{sum(r.timeouts for r in results)} documents stopped by the {args.document_timeout:.0f} s per-document limit")
    print(f"rejected          {sum(rejected.values())}")
    for reason, count in rejected.most_common():
        print(f"    {count:6}  {reason}")
    print(f"parsed            {sum(len(r.parsed) for r in results)}")
    print(f"problems by kind  {dict(kinds) or 'none'}")
    print(f"checkout          {'untouched' if not checkout else describe_changes(checkout)}")
    print(f"wall time         {seconds:.0f} s ({seconds / max(1, len(results)):.1f} s per run)")
    if culprits:
        print("\nfiles that fail a whole run on their own (bisected):")
        for problem in culprits:
            print(f"  {problem}")
    # in a run that failed, a parsed file missing from core is the run's fault, not the file's
    per_file = [p for r in results for p in r.problems
                if p.case is not None and not ((r.crashed or r.hung) and p.kind == "not_in_core")]
    shown = _first_per_recipe(per_file, args.show)
    if shown:
        print(f"\nfirst failures (one per recipe and kind, {len(per_file)} in all):")
        for problem in shown:
            print(f"  {problem}")
    runs = [p for p in problems if p.case is None and p.kind != "good_facts"][:3]
    for problem in runs:
        print(f"  {problem}"[:1200])


def _first_per_recipe(problems: list[Problem], limit: int) -> list[Problem]:
    seen, out = set(), []
    for problem in problems:
        key = (problem.kind, problem.case.recipe)
        if key not in seen:
            seen.add(key)
            out.append(problem)
    return out[:limit]


if __name__ == "__main__":
    raise SystemExit(main())
