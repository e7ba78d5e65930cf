"""How fast `annual-etl ingest` is: one report, N reports, the no-op re-run, and a 300-page PDF.

Every measurement runs the real command line as a cold subprocess with its own fresh home
(``--home``), exactly as a person would run it. For each size N (``--sizes``, default
1,100,1000; 10000 on request) it prints the wall time, the CPU time (user + system of the
command and of the worker processes it reaped, from ``os.wait4``), the peak resident memory of
the command and its workers, the no-op re-run of the same input, one more new report into the
home just filled, and the step times from the run's log. The input comes from
``benchmarks/generate_reports.py`` (distinct variants of the bundled reports).

The PDF part renders a ``--pdf-pages``-page report (``benchmarks/pdf_speed.py``'s builder: CJK
text, headers, one ruled table) and compares a cold ``annual-etl ingest`` of it with a cold
Python process that only opens it with pdfplumber and calls ``extract_text()`` on every page.

Great Expectations builds its Data Docs, and ``pipelines.instance`` records the run into the
Dagster instance, in detached processes after each ingest; the benchmark waits for both before
the next measurement (so they do not steal the CPU), and prints the Data Docs' delay and the
recorder's own CPU time (which it logs: a detached process is not reaped by the command).

    .venv/bin/python benchmarks/ingest_scale.py [--sizes 1,100,1000,10000] [--pdf-pages 300] [--keep DIR]

Targets (issue 14): one new report <= 4 s in a cold process; no-op re-run of 1,000 <= 1.5 s;
1,000 reports <= 30 s; 10,000 <= 5 min with time per document flat; peak RSS <= 1 GB; a
300-page PDF ingest >= 5x faster than bare pdfplumber ``extract_text``.
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
STEP_DONE = re.compile(r'step "([^"]+)" finished in ()([\d.]+) (s)')
RECORDED = re.compile(r"recorded (\d+) run\(s\) in [\d.]+ s CPU \(([\d.]+) s CPU with start-up\)")
PENDING = ".data_docs_pending"
CLI_RUNS = "dagster/.annual_etl_cli_runs"


@dataclass
class Run:
    """One command: exit code, wall and CPU seconds, peak RSS in MB, what it printed."""

    code: int
    wall: float
    cpu: float
    peak_mb: float
    out: str = ""

    def __str__(self) -> str:
        return f"{self.wall:.2f} s wall, {self.cpu:.2f} s CPU, peak {self.peak_mb:.0f} MB, exit {self.code}"


@dataclass
class Measure:
    documents: int
    megabytes: float
    first: Run
    noop: Run
    one_more: Run | None
    docs_build_s: float
    steps: dict[str, float] = field(default_factory=dict)
    recorder_cpu: list[float] = field(default_factory=list)  # each background recording into Dagster

    @property
    def ms_per_doc(self) -> float:
        return 1000 * self.first.wall / self.documents


def cli() -> list[str]:
    return [sys.executable, "-m", "pipelines.cli"]


def run_measured(command: list[str], env: dict | None = None, cwd: Path = REPO_ROOT) -> Run:
    """Run ``command``; its wall time and, from the kernel, its CPU time and peak memory."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    return Run(os.waitstatus_to_exitcode(status), wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out)


def step_seconds(log: Path, after: int = 0) -> dict[str, float]:
    steps: dict[str, float] = {}
    if log.exists():
        text = log.read_text(encoding="utf-8", errors="replace")[after:]
        for name, minutes, value, unit in STEP_DONE.findall(text):
            seconds = float(value) / (1000 if unit == "ms" else 1) + 60 * int(minutes or 0)
            steps[name] = steps.get(name, 0.0) + seconds
    return steps


def wait_for_data_docs(home: Path, timeout: float = 1800) -> float:
    """Seconds until the detached Great Expectations builder has consumed every request."""
    started = time.perf_counter()
    pending = home / "quality" / PENDING
    while time.perf_counter() - started < timeout:
        if not any(pending.glob("*/request.json")):
            break
        time.sleep(0.2)
    return time.perf_counter() - started


def wait_for_recorder(home: Path, timeout: float = 1800) -> list[float]:
    """CPU seconds of each detached recording of a run into the Dagster instance, once all are done."""
    started = time.perf_counter()
    folder = home / CLI_RUNS
    while time.perf_counter() - started < timeout and any(folder.glob("*.json")):
        time.sleep(0.2)
    log = folder / "recorder.log"
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return [float(cpu) for _runs, cpu in RECORDED.findall(text)]


def env_for(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANNUAL_ETL_", "DAGSTER_"))}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def ingest(home: Path, *paths: Path) -> list[str]:
    return [*cli(), "--home", str(home), "ingest", *map(str, paths)]


def measure(count: int, workdir: Path, conflicting: bool = False) -> Measure:
    work = workdir / f"n{count}"
    sources, home = work / "sources", work / "home"
    paths = generate(sources, count, conflicting=conflicting)
    extra = generate(work / "extra", count + 1, conflicting=conflicting)[-1]  # one more, not among the N
    size = sum(p.stat().st_size for p in paths) / 1e6
    env = env_for(home)
    first = run_measured(ingest(home, sources), env)
    steps = step_seconds(home / "logs" / "annual-etl.log")
    docs_build = wait_for_data_docs(home)
    wait_for_recorder(home)
    noop = run_measured(ingest(home, sources), env)
    one_more = run_measured(ingest(home, extra), env) if count > 1 else None
    wait_for_data_docs(home)
    return Measure(count, size, first, noop, one_more, docs_build, steps, wait_for_recorder(home))


PDFPLUMBER_ONLY = """
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    chars = sum(len(page.extract_text() or "") for page in pdf.pages)
print(chars)
"""


def measure_pdf(pages: int, workdir: Path) -> tuple[Run, Run, dict[str, float]]:
    """(cold `annual-etl ingest` of a ``pages``-page PDF, cold bare pdfplumber extract_text, the
    ingest's Dagster step times)."""
    from pdf_speed import build_pdf, use_embedded_font

    use_embedded_font()  # a subset of an installed CJK font, as published PDFs carry (when there is one)
    work = workdir / f"pdf{pages}"
    work.mkdir(parents=True, exist_ok=True)
    pdf = work / f"dx-2023-plan-{pages}p.pdf"
    pdf.write_bytes(build_pdf(pages))
    bare = run_measured([sys.executable, "-c", PDFPLUMBER_ONLY, str(pdf)])
    home = work / "home"
    ours = run_measured(ingest(home, pdf), env_for(home))
    steps = step_seconds(home / "logs" / "annual-etl.log")
    wait_for_data_docs(home)
    return ours, bare, steps


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
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{os.cpu_count()} cores (nproc), {memory}, {cpu}, Python {platform.python_version()},"
            f" {platform.system()}, load average {load:.1f} at start")


def table(results: list[Measure]) -> str:
    lines = ["| documents | input MB | ingest s | CPU s | ms/doc | peak MB | no-op s | no-op CPU s | +1 report s"
             " | +1 CPU s | Data Docs (background) s | exit |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for m in results:
        more = m.one_more
        peak = max(m.first.peak_mb, m.noop.peak_mb, more.peak_mb if more else 0)
        lines.append(
            f"| {m.documents} | {m.megabytes:.2f} | {m.first.wall:.1f} | {m.first.cpu:.1f} | {m.ms_per_doc:.0f} |"
            f" {peak:.0f} | {m.noop.wall:.2f} | {m.noop.cpu:.2f} | {f'{more.wall:.1f}' if more else '–'} |"
            f" {f'{more.cpu:.1f}' if more else '–'} | {m.docs_build_s:.0f} |"
            f" {m.first.code}/{m.noop.code}{f'/{more.code}' if more else ''} |")
    return "\n".join(lines)


def steps_table(results: list[Measure]) -> str:
    names = list(dict.fromkeys(name for m in results for name in m.steps))
    lines = ["| step | " + " | ".join(f"N={m.documents} s" for m in results) + " |",
             "|---|" + "---:|" * len(results)]
    for name in names:
        lines.append(f"| {name} | " + " | ".join(f"{m.steps.get(name, 0):.2f}" for m in results) + " |")
    lines.append("| (all steps) | " + " | ".join(f"{sum(m.steps.values()):.2f}" for m in results) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,1000", help="comma-separated document counts (e.g. 1,100,1000,10000)")
    parser.add_argument("--pdf-pages", type=int, default=300, help="pages of the PDF case (0: skip it)")
    parser.add_argument("--keep", help="work in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--conflicting", action="store_true",
                        help="generate copies that contradict each other (stresses the cross-document checks)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"machine: {machine()}", flush=True)
    print(f"input: generated by benchmarks/generate_reports.py{' --conflicting' if args.conflicting else ''}",
          flush=True)
    results: list[Measure] = []
    ok = True
    with tempfile.TemporaryDirectory(prefix="annual-etl-bench-") as tmp:
        workdir = Path(args.keep) if args.keep else Path(tmp)
        for count in sizes:
            m = measure(count, workdir, args.conflicting)
            results.append(m)
            print(f"N={count}: ingest {m.first}; no-op {m.noop}"
                  + (f"; one more report {m.one_more}" if m.one_more else "")
                  + f"; Data Docs built {m.docs_build_s:.0f} s later"
                  + f"; recorded into Dagster in the background: {', '.join(f'{c:.2f}' for c in m.recorder_cpu)}"
                    " s CPU", flush=True)
            codes = [m.first.code, m.noop.code] + ([m.one_more.code] if m.one_more else [])
            if any(codes):
                ok = False
                print(m.first.out, flush=True)
        if args.pdf_pages:
            ours, bare, pdf_steps = measure_pdf(args.pdf_pages, workdir)
            ok = ok and ours.code == 0 and bare.code == 0
            print(f"PDF {args.pdf_pages} pages: annual-etl ingest {ours}; bare pdfplumber extract_text {bare};"
                  f" ratio {bare.wall / ours.wall:.1f}x wall, {bare.cpu / ours.cpu:.1f}x CPU", flush=True)
            print("PDF ingest steps (wall s): " + ", ".join(f"{k} {v:.2f}" for k, v in pdf_steps.items()), flush=True)
    if results:
        print()
        print(table(results))
        print()
        print("Step times (from the run's log):")
        print()
        print(steps_table(results))
        multi = [m for m in results if m.documents >= 100]
        if len(multi) >= 2:
            small, large = multi[0], multi[-1]
            marginal = 1000 * (large.first.wall - small.first.wall) / (large.documents - small.documents)
            print()
            print(f"time per document: {small.ms_per_doc:.0f} ms at N={small.documents}, {large.ms_per_doc:.0f} ms at"
                  f" N={large.documents}; marginal {marginal:.0f} ms per document between them")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
