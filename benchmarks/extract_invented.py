"""Score the engine on the invented full-length documents (``tests/fixtures/invented``).

These documents were written for generalisation (no rule was tuned on the real corpus for them):
a full statistical bulletin, a provincial work report, a half-year report and a news digest.
Scoring is the corpus one (``score_corpus.score_document``); the context comes from the fixtures'
``index.jsonl`` as a manifest would give it.

Usage: python benchmarks/extract_invented.py [-v] [--context index|bare|none] [--fixtures DIR]
(bare: only the publication date, none: the text alone — stress tests of the engine's own year reading;
--fixtures scores another folder of the same layout, e.g. the held-out tests/fixtures/blind)
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.score_corpus import Tally, report, score_document  # noqa: E402
from pipelines.extract import extract_facts  # noqa: E402
from pipelines.extract.model import DocumentContext  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "invented"


def load(fixtures: Path = FIXTURES, source: str = "index") -> list[tuple[str, str, DocumentContext, list[dict]]]:
    """(id, text, context, gold) for every invented document; ``source`` as score_corpus's --context."""
    out = []
    for line in (fixtures / "index.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        meta = json.loads(line)
        text = (fixtures / f"{meta['id']}.txt").read_text(encoding="utf-8")
        gold = [json.loads(g) for g in (fixtures / f"{meta['id']}.jsonl").read_text(encoding="utf-8").splitlines() if g.strip()]
        ctx = DocumentContext(
            doc_type=meta["doc_type"],
            actual_year=meta.get("actual_year"),
            plan_year=meta.get("plan_year"),
            published_on=date.fromisoformat(meta["published"]) if meta.get("published") else None,
            region=meta.get("region"),
        )
        if source == "bare":
            ctx = DocumentContext(published_on=ctx.published_on)
        elif source == "none":
            ctx = DocumentContext()
        out.append((meta["id"], text, ctx, gold))
    return out


def score(verbose: bool = False, per_doc: bool = True, source: str = "index", fixtures: Path = FIXTURES) -> dict[str, dict]:
    """Figures per document and overall."""
    total = Tally()
    out = {}
    for doc_id, text, ctx, gold in load(fixtures, source=source):
        result = extract_facts(text, ctx)
        one = Tally()
        score_document(one, doc_id, text, gold, result)
        score_document(total, doc_id, text, gold, result)
        out[doc_id] = one.figures()
        if per_doc:
            f = out[doc_id]
            print(f"{doc_id:28s} P {f['precision']:.3f}  R {f['recall']:.3f}  F1 {f['f1']:.3f}  cmp {f['comparator_accuracy']:.3f}")
    out["all"] = report(fixtures.name, total, verbose, verbose) if per_doc else total.figures()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses and false positives with their sentences")
    ap.add_argument("--context", choices=["index", "bare", "none"], default="index")
    ap.add_argument("--fixtures", type=Path, default=FIXTURES, help="folder with index.jsonl, <id>.txt and <id>.jsonl")
    args = ap.parse_args(argv)
    if not (args.fixtures / "index.jsonl").is_file():
        ap.error(f"no index.jsonl in {args.fixtures}")
    score(args.verbose, source=args.context, fixtures=args.fixtures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
