"""Throughput of ``extract_facts`` on one core: the corpus texts repeated to several MB.

Usage: python benchmarks/extract_speed.py [--corpus DIR] [--mb 4] [--rounds 5]

Each document is extracted on its own, as the pipeline does, and so is one long document made of
all corpus texts (long reports must not be slower per byte). The volume is split into rounds;
MB/s is UTF-8 input per second of CPU time (``time.process_time``, so other processes on a shared
machine count less), reported for the whole run and for the best round (the usual way to read a
benchmark on a noisy machine, as ``timeit`` does), with the median round and the load average
before and after: on a shared 2-core machine CPU time itself stretches under load (caches, SMT),
so compare figures taken at a similar load. Target: at least 1 MB/s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
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
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    docs = []
    for line in (args.corpus / "index.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        meta = json.loads(line)
        path = args.corpus / f"{meta['id']}.txt"
        if path.exists():
            ctx = DocumentContext(meta.get("doc_type") or "other", meta.get("actual_year"), meta.get("plan_year"), None, meta.get("region"))
            docs.append((path.read_text(encoding="utf-8"), ctx))
    corpus_bytes = sum(len(t.encode("utf-8")) for t, _ in docs)
    long_text = "\n\n".join(t for t, _ in docs)
    long_ctx = DocumentContext("plan_report", 2023, 2024)
    extract_facts(long_text[:3000], DocumentContext())  # warm caches (automaton, OpenCC, regexes)
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    per_round = int(args.mb * 1e6 / args.rounds)
    total_bytes = total_cpu = total_wall = 0.0
    facts = 0
    rates = []
    for _ in range(args.rounds):
        done = 0
        c0, t0 = time.process_time(), time.perf_counter()
        while done < per_round:
            for text, ctx in docs:
                facts += len(extract_facts(text, ctx).facts)
                done += len(text.encode("utf-8"))
            facts += len(extract_facts(long_text, long_ctx).facts)
            done += len(long_text.encode("utf-8"))
        cpu, wall = time.process_time() - c0, time.perf_counter() - t0
        rates.append(done / 1e6 / cpu)
        total_bytes, total_cpu, total_wall = total_bytes + done, total_cpu + cpu, total_wall + wall
    print(f"extractor {EXTRACTOR_VERSION}: {total_bytes / 1e6:.2f} MB ({len(docs)} corpus texts of {corpus_bytes / 1e3:.0f} kB, cycled, plus their concatenation) in {args.rounds} rounds")
    print(f"{total_bytes / 1e6 / total_cpu:.2f} MB/s on one core overall (CPU time {total_cpu:.2f}s; wall-clock {total_bytes / 1e6 / total_wall:.2f} MB/s)")
    print(f"{max(rates):.2f} MB/s in the best round; rounds: " + ", ".join(f"{r:.2f}" for r in rates))
    print(f"{facts / total_cpu:.0f} facts/s")
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{statistics.median(rates):.2f} MB/s in the median round; load average {load_before:.2f} before, {load_after:.2f} after ({os.cpu_count()} CPUs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
