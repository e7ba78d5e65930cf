"""How `annual-etl ingest` scales: 10, 100, 1,000 distinct real-report variants, one run each.

Each size gets a fresh temporary warehouse, archive and DAGSTER_HOME; the command runs as a
subprocess exactly as a person would run it, its peak memory is read from the kernel
(``os.wait4``: the child's own maximum resident set), and then the same command runs again over
everything already ingested (the no-op re-run). The input is made by
``benchmarks/generate_reports.py`` from ``sources/samples/*.txt``.

    .venv/bin/python benchmarks/ingest_scale.py [--sizes 10,100,1000] [--keep DIR]

Targets (issue 7): 1,000 text reports in <= 120 s, no-op re-run <= 10 s, peak < 1 GB, time per
document not growing with N.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_reports import generate  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
STEP_DONE = re.compile(r'Finished execution of step "([^"]+)" in (?:(\d+)m)?([\d.]+)(m?s)')


@dataclass
class Measure:
    documents: int
    megabytes: float
    seconds: float
    peak_mb: float
    noop_seconds: float
    noop_peak_mb: float
    exit_codes: tuple[int, int]
    steps: dict[str, float] = field(default_factory=dict)
    summary: str = ""

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.seconds

    @property
    def ms_per_doc(self) -> float:
        return 1000 * self.seconds / self.documents


def cli() -> list[str]:
    script = Path(sys.executable).parent / "annual-etl"
    return [str(script)] if script.exists() else [sys.executable, "-m", "pipelines.cli"]


def run_measured(command: list[str], env: dict, cwd: Path) -> tuple[int, float, float, str]:
    """(exit code, wall seconds, peak RSS in MB of the child, stdout)."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, time.perf_counter() - started, usage.ru_maxrss / 1024, out


def step_seconds(log: Path) -> dict[str, float]:
    steps: dict[str, float] = {}
    if log.exists():
        for name, minutes, value, unit in STEP_DONE.findall(log.read_text(encoding="utf-8", errors="replace")):
            seconds = float(value) / (1000 if unit == "ms" else 1) + 60 * int(minutes or 0)
            steps[name] = steps.get(name, 0.0) + seconds
    return steps


def measure(count: int, workdir: Path, conflicting: bool = False) -> Measure:
    work = workdir / f"n{count}"
    sources = work / "sources"
    paths = generate(sources, count, conflicting=conflicting)
    size = sum(p.stat().st_size for p in paths) / 1e6
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANNUAL_ETL_")}
    env.update(ANNUAL_ETL_WAREHOUSE=str(work / "warehouse.duckdb"), ANNUAL_ETL_ARCHIVE=str(work / "archive"),
               ANNUAL_ETL_LOG_DIR=str(work / "logs"), ANNUAL_ETL_ALERT_LOG=str(work / "logs" / "alerts.jsonl"),
               ANNUAL_ETL_INBOX=str(work / "inbox"), DAGSTER_HOME=str(work / "dagster_home"))
    command = [*cli(), "ingest", str(sources)]
    code, seconds, peak, out = run_measured(command, env, work)
    steps = step_seconds(work / "logs" / "annual-etl.log")
    code2, noop, noop_peak, _ = run_measured(command, env, work)
    return Measure(count, size, seconds, peak, noop, noop_peak, (code, code2), steps, out)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
        memory = f"{mem / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        memory = "unknown memory"
    return f"{os.cpu_count()} cores (nproc), {memory}, {cpu}, Python {platform.python_version()}, {platform.system()}"


def table(results: list[Measure]) -> str:
    lines = ["| documents | input MB | ingest s | docs/s | ms/doc | MB/s | peak MB | no-op re-run s | exit |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for m in results:
        lines.append(f"| {m.documents} | {m.megabytes:.2f} | {m.seconds:.1f} | {m.docs_per_s:.1f} | {m.ms_per_doc:.0f} |"
                     f" {m.megabytes / m.seconds:.3f} | {max(m.peak_mb, m.noop_peak_mb):.0f} | {m.noop_seconds:.1f} |"
                     f" {m.exit_codes[0]}/{m.exit_codes[1]} |")
    return "\n".join(lines)


def steps_table(results: list[Measure]) -> str:
    names = list(dict.fromkeys(name for m in results for name in m.steps))
    lines = ["| step | " + " | ".join(f"N={m.documents} s" for m in results) + " |",
             "|---|" + "---:|" * len(results)]
    for name in names:
        lines.append(f"| {name} | " + " | ".join(f"{m.steps.get(name, 0):.1f}" for m in results) + " |")
    lines.append("| (all steps) | " + " | ".join(f"{sum(m.steps.values()):.1f}" for m in results) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--keep", help="work in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--conflicting", action="store_true",
                        help="generate copies that contradict each other (stresses the cross-document checks)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {machine()}", flush=True)
    print(f"input: generated by benchmarks/generate_reports.py{' --conflicting' if args.conflicting else ''}",
          flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="annual-etl-bench-") as tmp:
        workdir = Path(args.keep) if args.keep else Path(tmp)
        for count in sizes:
            result = measure(count, workdir, args.conflicting)
            results.append(result)
            print(f"N={count}: {result.seconds:.1f} s, no-op {result.noop_seconds:.1f} s, peak {result.peak_mb:.0f} MB,"
                  f" exit {result.exit_codes}", flush=True)
            if result.exit_codes != (0, 0):
                print(result.summary, flush=True)
    print()
    print(table(results))
    print()
    print("Dagster step times (from the run's log):")
    print()
    print(steps_table(results))
    small, large = results[0], results[-1]
    print()
    print(f"time per document: {small.ms_per_doc:.0f} ms at N={small.documents}, {large.ms_per_doc:.0f} ms at"
          f" N={large.documents} (x{large.ms_per_doc / small.ms_per_doc:.2f})")
    return 0 if all(m.exit_codes == (0, 0) for m in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
