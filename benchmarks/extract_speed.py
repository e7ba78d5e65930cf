"""Throughput of ``extract_facts`` on one core: the corpus texts repeated to several MB.

Usage: python benchmarks/extract_speed.py [--corpus DIR] [--mb 4]
Reports MB/s of UTF-8 input (target: at least 1 MB/s). Each document is extracted on its own, as
the pipeline does; the corpus is cycled until the requested volume is reached.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipelines.extract import EXTRACTOR_VERSION, extract_facts  # noqa: E402
from pipelines.extract.model import DocumentContext  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("--mb", type=float, default=4.0, help="volume of text to extract, in MB")
    args = ap.parse_args(argv)
    docs = []
    for line in (args.corpus / "index.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        meta = json.loads(line)
        path = args.corpus / f"{meta['id']}.txt"
        if path.exists():
            ctx = DocumentContext(meta.get("doc_type") or "other", meta.get("actual_year"), meta.get("plan_year"))
            docs.append((path.read_text(encoding="utf-8"), ctx))
    corpus_bytes = sum(len(t.encode("utf-8")) for t, _ in docs)
    # one document made of several copies too, so that long reports are measured as well
    big = "\n\n".join(t for t, _ in docs)
    extract_facts(big[:2000], DocumentContext())  # warm caches (automaton, OpenCC, regexes)
    target = int(args.mb * 1e6)
    done = facts = 0
    t0, c0 = time.perf_counter(), time.process_time()
    while done < target:
        for text, ctx in docs:
            facts += len(extract_facts(text, ctx).facts)
            done += len(text.encode("utf-8"))
        long_text = big * 3
        facts += len(extract_facts(long_text, DocumentContext("plan_report", 2023, 2024)).facts)
        done += len(long_text.encode("utf-8"))
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"extractor {EXTRACTOR_VERSION}: {done / 1e6:.2f} MB ({len(docs)} corpus texts, {corpus_bytes / 1e3:.0f} kB, cycled) in {dt:.2f}s")
    print(f"{done / 1e6 / cpu:.2f} MB/s on one core (CPU time {cpu:.2f}s; wall {done / 1e6 / dt:.2f} MB/s), {facts / cpu:.0f} facts/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
