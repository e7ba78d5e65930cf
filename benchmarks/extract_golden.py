"""Golden snapshot of ``extract_facts``: every fact and malformed figure, all fields, as JSON lines.

Usage:
    python benchmarks/extract_golden.py --write /tmp/golden.jsonl   # record
    python benchmarks/extract_golden.py --check /tmp/golden.jsonl   # compare, print differences

Texts: ``/work/shared/corpus/*.txt`` (``--corpus``) and ``sources/samples/*.txt``, read through
``pipelines.readers.read_document(bytes, name).text`` with the context of
``pipelines.metadata.extract_metadata(text, name).context()``. Also, as the speed benchmark does,
each corpus text with the context of ``index.jsonl`` and all corpus texts concatenated into one
long document. A performance change must leave the snapshot identical (exit code 0 on --check).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipelines.extract import extract_facts  # noqa: E402
from pipelines.extract.model import DocumentContext  # noqa: E402
from pipelines.metadata import extract_metadata  # noqa: E402
from pipelines.readers import read_document  # noqa: E402


def _jsonable(v):
    if isinstance(v, date):
        return v.isoformat()
    return v


def _ctx_dict(ctx: DocumentContext) -> dict:
    return {k: _jsonable(v) for k, v in dataclasses.asdict(ctx).items()}


def _dump(doc: str, ctx: DocumentContext, text: str):
    res = extract_facts(text, ctx)
    yield {"doc": doc, "kind": "context", **_ctx_dict(ctx), "facts": len(res.facts), "malformed": len(res.malformed)}
    for i, f in enumerate(res.facts):
        yield {"doc": doc, "kind": "fact", "i": i, **{k: _jsonable(v) for k, v in dataclasses.asdict(f).items()}}
    for i, m in enumerate(res.malformed):
        yield {"doc": doc, "kind": "malformed", "i": i, **dataclasses.asdict(m)}


def records(corpus: Path, samples: Path):
    paths = sorted(corpus.glob("*.txt")) + sorted(samples.glob("*.txt"))
    texts: dict[str, str] = {}
    for path in paths:
        name = path.name
        text = read_document(path.read_bytes(), name).text
        try:
            ctx = extract_metadata(text, name).context()
        except Exception:  # a metadata bug (another module) must not hide the engine's output
            ctx = DocumentContext()
        doc = f"{path.parent.name}/{name}"
        texts[doc] = text
        yield from _dump(doc, ctx, text)
    # the speed benchmark's contexts (index.jsonl) and its long concatenated document
    index = corpus / "index.jsonl"
    if index.exists():
        raw = []
        for line in index.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            meta = json.loads(line)
            p = corpus / f"{meta['id']}.txt"
            if p.exists():
                t = p.read_text(encoding="utf-8")
                ctx = DocumentContext(meta.get("doc_type") or "other", meta.get("actual_year"), meta.get("plan_year"), None, meta.get("region"))
                raw.append(t)
                yield from _dump(f"index/{p.name}", ctx, t)
        yield from _dump("long/concatenation", DocumentContext("plan_report", 2023, 2024), "\n\n".join(raw))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("--samples", type=Path, default=REPO / "sources" / "samples")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--write", type=Path)
    g.add_argument("--check", type=Path)
    ap.add_argument("--max-diffs", type=int, default=50)
    args = ap.parse_args(argv)
    lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in records(args.corpus, args.samples)]
    if args.write:
        args.write.write_text("\n".join(lines) + "\n", encoding="utf-8")
        docs = {json.loads(x)["doc"] for x in lines}
        print(f"wrote {len(lines)} records ({len(docs)} documents) to {args.write}")
        return 0
    old = args.check.read_text(encoding="utf-8").splitlines()
    if old == lines:
        print(f"identical: {len(lines)} records")
        return 0
    import difflib

    diffs = [d for d in difflib.unified_diff(old, lines, "golden", "now", n=0, lineterm="") if not d.startswith(("---", "+++"))]
    changed = sum(1 for d in diffs if d[:1] in "+-")
    print(f"DIFFERENT: {len(old)} golden records, {len(lines)} now, {changed} changed lines")
    for d in diffs[: args.max_diffs]:
        print(d)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
