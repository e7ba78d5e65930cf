"""Score the extraction engine on the hand-checked corpus, as ``corpus/README.md`` "Scoring" says.

Facts are matched to gold lines per document on (indicator, year, period, basis, measure); a match
is correct when the unit is equal and the value is within 0.5 % relative or 0.01 absolute. Each
gold line matches at most one fact, identical facts count once, ``ambiguous:`` gold lines are
optional, and a fact with a canonical code that matches no gold line is a false positive.

Usage: python benchmarks/score_corpus.py [--corpus DIR] [-v]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipelines.extract import EXTRACTOR_VERSION, extract_facts  # noqa: E402
from pipelines.extract.model import DocumentContext  # noqa: E402
from pipelines.readers import read_document  # noqa: E402

_PERIOD = re.compile(r"period=(?:\d{4})?([A-Z][A-Z0-9\-]*)")


def gold_key(g: dict) -> tuple:
    m = _PERIOD.search(g.get("note", "") or "")
    period = m.group(1) if m else "FY"
    return (g["indicator"], g["year"], period, g["basis"], g["measure"])


def fact_key(f) -> tuple:
    return (f.indicator_code, f.year, f.period, f.basis, f.measure)


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.01 or abs(a - b) <= 0.005 * abs(b)


def context_for(text: str, file_name: str, meta: dict, use_metadata: bool = True) -> tuple[DocumentContext, str]:
    """The production context: metadata read from the text, with the publication date the source
    listing gives (as ``sources/*/manifest.csv`` does in production); ``--context index`` takes
    every field from index.jsonl instead."""
    extract_metadata = None
    if use_metadata:
        try:
            from pipelines.metadata import extract_metadata  # the lead engineer's module
        except ImportError:
            extract_metadata = None
    if extract_metadata is not None:
        try:
            published = meta.get("published")
            hint = date.fromisoformat(published) if published else None
            return extract_metadata(text, file_name, published_hint=hint).context(), "metadata"
        except Exception as exc:  # a broken metadata module must not stop the benchmark
            print(f"  metadata failed on {file_name}: {exc!r}; falling back to index.jsonl", file=sys.stderr)
    pub = meta.get("published")
    return (
        DocumentContext(
            doc_type=meta.get("doc_type") or "other",
            actual_year=meta.get("actual_year"),
            plan_year=meta.get("plan_year"),
            published_on=date.fromisoformat(pub) if pub else None,
            region=meta.get("region"),
        ),
        "index",
    )


def around(text: str, offset: int | None, raw: str) -> str:
    if offset is None:
        offset = text.find(raw)
    if offset is None or offset < 0:
        return ""
    a = max(text.rfind("。", 0, offset), text.rfind("\n", 0, offset)) + 1
    b = min([x for x in (text.find("。", offset), text.find("\n", offset)) if x >= 0] or [len(text)])
    return text[a : b + 1].strip()


def score(corpus: Path, verbose: bool = False, source: str = "auto") -> dict:
    index = [json.loads(line) for line in (corpus / "index.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    tp = fp = fn = 0
    optional_hit = 0
    cmp_ok = cmp_total = 0
    wrong_sign = wrong_scale = 0
    sources: Counter = Counter()
    misses, fps, cmp_bad, sign_scale = [], [], [], []
    for meta in index:
        doc_id = meta["id"]
        path = corpus / f"{doc_id}.txt"
        if not path.exists():
            continue
        text = read_document(path.read_bytes(), path.name).text  # the reader path production takes
        ctx, used = context_for(text, path.name, meta, use_metadata=source != "index")
        sources[used] += 1
        gold_path = corpus / "gold" / f"{doc_id}.jsonl"
        gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()] if gold_path.exists() else []
        result = extract_facts(text, ctx)
        for f in result.facts:
            assert text[f.char_start : f.char_end] == f.raw_text, (doc_id, f)
        # identical facts count once
        facts, seen = [], set()
        for f in result.facts:
            if f.indicator_code is None:
                continue
            ident = fact_key(f) + (f.unit, round(f.value, 6))
            if ident in seen:
                continue
            seen.add(ident)
            facts.append(f)
        used_facts: set[int] = set()
        order = sorted(range(len(gold)), key=lambda i: "ambiguous:" in (gold[i].get("note") or ""))
        for gi in order:
            g = gold[gi]
            ambiguous = "ambiguous:" in (g.get("note") or "")
            key = gold_key(g)
            hit = None
            for fi, f in enumerate(facts):
                if fi in used_facts or fact_key(f) != key:
                    continue
                if f.unit == g["unit"] and close(f.value, float(g["value"])):
                    hit = fi
                    break
            if hit is None:
                if not ambiguous:
                    fn += 1
                    misses.append((doc_id, g, around(text, g.get("offset"), g["raw"])))
                continue
            used_facts.add(hit)
            tp += 1
            if ambiguous:
                optional_hit += 1
            cmp_total += 1
            if facts[hit].comparator == g["comparator"]:
                cmp_ok += 1
            else:
                cmp_bad.append((doc_id, g, facts[hit]))
        for fi, f in enumerate(facts):
            if fi in used_facts:
                continue
            fp += 1
            fps.append((doc_id, f))
            for g in gold:
                if gold_key(g) != fact_key(f) or not f.value or not g["value"]:
                    continue
                gv = float(g["value"])
                if close(f.value, -gv):
                    wrong_sign += 1
                    sign_scale.append(("sign", doc_id, g, f))
                    break
                ratio = abs(f.value / gv)
                if any(close(ratio, r) for r in (1e4, 1e8, 1e-4, 1e-8, 1e12, 1e-12, 1e3, 1e-3)):
                    wrong_scale += 1
                    sign_scale.append(("scale", doc_id, g, f))
                    break
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    cmp_acc = cmp_ok / cmp_total if cmp_total else 0.0
    print(f"extractor {EXTRACTOR_VERSION}; context from: " + ", ".join(f"{k} ({v} docs)" for k, v in sources.items()))
    print(f"gold matched {tp} (optional {optional_hit}), missed {fn}, false positives {fp}")
    print(f"precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}")
    print(f"comparator accuracy {cmp_acc:.4f} ({cmp_ok}/{cmp_total})")
    print(f"wrong sign {wrong_sign}  wrong scale {wrong_scale}")
    if misses:
        print(f"\nMISSES ({len(misses)})")
        for doc_id, g, sent in misses:
            print(f"  {doc_id}: {g['indicator']} {g['year']} {gold_key(g)[2]} {g['basis']} {g['measure']} {g['value']} {g['unit']} {g['comparator']} raw={g['raw']!r}")
            if verbose:
                print(f"      | {sent}")
    if fps:
        print(f"\nFALSE POSITIVES ({len(fps)})")
        for doc_id, f in fps:
            print(f"  {doc_id}: {f.indicator_code} {f.year} {f.period} {f.basis} {f.measure} {f.value:g} {f.unit} {f.comparator} raw={f.raw_text!r} label={f.indicator_label!r}")
            if verbose:
                print(f"      | {f.sentence}")
    if cmp_bad:
        print(f"\nCOMPARATOR MISMATCHES ({len(cmp_bad)})")
        for doc_id, g, f in cmp_bad:
            print(f"  {doc_id}: {g['indicator']} raw={g['raw']!r} gold {g['comparator']} got {f.comparator} ({f.raw_text!r})")
    if sign_scale:
        print("\nWRONG SIGN / SCALE")
        for kind, doc_id, g, f in sign_scale:
            print(f"  {kind} {doc_id}: gold {g['value']} got {f.value} raw={f.raw_text!r}")
    return {"precision": precision, "recall": recall, "f1": f1, "comparator_accuracy": cmp_acc, "wrong_sign": wrong_sign, "wrong_scale": wrong_scale}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument(
        "--context",
        choices=["auto", "index"],
        default="auto",
        help="auto (default): pipelines.metadata when present, else index.jsonl; index: always index.jsonl (isolates the engine from metadata errors)",
    )
    ap.add_argument("-v", "--verbose", action="store_true", help="print the sentence of every miss and false positive")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    score(args.corpus, args.verbose, args.context)
    print(f"\n({time.perf_counter() - t0:.2f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
