"""Run damaged files through the real `annual-etl ingest` beside the good samples, and judge the result.

Shared by ``tests/integration/test_fuzz_ingest.py`` (one batch) and ``benchmarks/fuzz_ingest.py``
(thousands of files in batches), so both hold the pipeline to the same rules:

- the run exits 0 within its time bound (a damaged document is not a systemic failure);
- every damaged file has a raw.documents row: parsed, or rejected with a specific reason;
- a parsed file reaches core.documents, and its extraction did not crash (no ``extraction_error``);
- quality.document_errors, where it exists, holds no internal error (an exception, a dead worker):
  the per-document time limit (TimeoutError) is the one specific reason it may give, counted apart;
- the good reports' facts are exactly those of ingesting them alone in a fresh home;
- nothing in the repository checkout is created or changed.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.fuzz.damage import REPO_ROOT, SAMPLES_DIR, Case
from tests.integration.conftest import EtlEnv

# The columns of core.indicator_facts that say what a fact is (all of them: a fact has no timestamp).
FACT_COLUMNS = ("fact_id", "document_id", "region", "indicator_code", "indicator_label", "year", "period", "basis",
                "measure", "value", "unit", "comparator", "raw_text", "qualifier", "page", "char_start", "char_end",
                "sentence", "raw_unit")
# Reasons that only say something broke, not what is wrong with the file.
UNSPECIFIC = re.compile(r"^\s*$|^reader failed\b|^extraction failed\b|^(internal )?error\b|^unexpected\b|"
                        r"^(Value|Type|Key|Index|Attribute|Runtime|Unicode\w*|Recursion|Assertion)Error\b", re.I)
SKIPPED_IN_CHECKOUT = {".git", "__pycache__", ".pytest_cache", ".venv"}


def private_env(root: Path) -> EtlEnv:
    """A fresh home (warehouse, archive, DAGSTER_HOME, logs) under ``root``, laid out as the ``etl`` fixture's."""
    env = EtlEnv(root, *(root / part for part in ("wh/annual.duckdb", "archive", "dagster_home", "logs", "sources")))
    for folder in (env.sources, env.log_dir, root / "inbox"):
        folder.mkdir(parents=True, exist_ok=True)
    return env


def document_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def good_documents() -> dict[str, str]:
    """document id → file name of every bundled sample report."""
    return {document_id(p.read_bytes()): p.name for p in sorted(SAMPLES_DIR.glob("*.txt"))}


def good_facts(env: EtlEnv) -> list[tuple]:
    """The sample reports' facts in this warehouse, as sorted tuples (None sorts first)."""
    if not env.warehouse.exists():
        return []
    rows = env.rows(f"SELECT {', '.join(FACT_COLUMNS)} FROM core.indicator_facts"
                    " WHERE list_contains(?, document_id)", [sorted(good_documents())])
    return sorted(rows, key=lambda row: tuple((value is not None, value) for value in row))


def baseline_facts(root: Path, timeout: float = 300) -> list[tuple]:
    """The samples ingested alone in a fresh home: what every mixed run must reproduce."""
    env = private_env(root)
    done = env.ingest(SAMPLES_DIR, timeout=timeout)
    if done.returncode != 0:
        raise AssertionError(f"the samples alone fail to ingest (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    facts = good_facts(env)
    if not facts:
        raise AssertionError("the samples alone yield no facts: nothing to compare the fuzz runs with")
    return facts


def checkout_snapshot() -> dict[str, tuple[int, int]]:
    """(size, mtime) of every file in the checkout, ignored ones included (logs/, reports/, data_docs/)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(REPO_ROOT):
        dirnames[:] = [d for d in dirnames if d not in SKIPPED_IN_CHECKOUT]
        for name in filenames:
            path = Path(dirpath) / name
            try:
                stat = path.lstat()
            except FileNotFoundError:
                continue
            out[str(path.relative_to(REPO_ROOT))] = (stat.st_size, stat.st_mtime_ns)
    return out


def checkout_changes(before: dict[str, tuple[int, int]]) -> list[str]:
    after = checkout_snapshot()
    return sorted([f"created {p}" for p in after.keys() - before.keys()]
                  + [f"changed {p}" for p in after.keys() & before.keys() if after[p] != before[p]]
                  + [f"deleted {p}" for p in before.keys() - after.keys()])


def describe_changes(changes: list[str]) -> str:
    """'N files in the checkout, by folder: {...}, e.g. [...]'."""
    folders = Counter(" ".join(c.split(" ", 1)[0:1]) + " " + "/".join(Path(c.split(" ", 1)[1]).parts[:2])
                      for c in changes)
    return f"{len(changes)} files in the checkout, by folder: {dict(folders)}; e.g. {changes[:3]}"


def reason_category(reason: str) -> str:
    """A rejection reason without its particulars (sizes, names, counts), for counting."""
    head = re.split(r"[:(;]", reason, maxsplit=1)[0]
    return re.sub(r"\d+(?:\.\d+)?", "N", head).strip() or "(empty)"


@dataclass
class Problem:
    # crash | hang | missing | unspecific | not_in_core | extraction_error | document_error | good_facts | checkout,
    # and document_timeout (the per-document limit stopped it: reported, not a failure)
    kind: str
    detail: str
    case: Case | None = None

    def __str__(self) -> str:
        where = f"{self.case.label} ({self.case.file_name!r}; reproduce: {self.case.reproduce()})" if self.case else "run"
        return f"[{self.kind}] {where}: {self.detail}"


@dataclass
class BatchResult:
    """What one `annual-etl ingest` over damaged files and the samples came to."""

    cases: list[Case] = field(repr=False)
    seconds: float = 0.0
    exit_code: int | None = None  # None: killed after the time bound
    output: str = field(default="", repr=False)
    parsed: list[Case] = field(default_factory=list, repr=False)
    rejected: Counter = field(default_factory=Counter)  # reason category → files
    problems: list[Problem] = field(default_factory=list, repr=False)
    timeouts: int = 0  # documents the per-document time limit stopped

    @property
    def hung(self) -> bool:
        return self.exit_code is None

    @property
    def crashed(self) -> bool:
        return self.exit_code not in (0, None)


def write_cases(cases: list[Case], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [case.write(folder) for case in cases]


def run_batch(env: EtlEnv, cases: list[Case], expected_facts: list[tuple], *, timeout: float,
              document_timeout: float = 30, check_checkout: bool = True) -> BatchResult:
    """Ingest ``cases`` with the samples in one CLI run in ``env`` and judge everything it left behind.

    ``document_timeout`` is the pipeline's own per-document limit (no sample comes near it);
    ``timeout`` bounds the whole run, past which it is a hang and its process group is stopped.
    """
    import time

    env.extra_env["ANNUAL_ETL_DOCUMENT_TIMEOUT"] = str(document_timeout)
    paths = write_cases(cases, env.sources)
    before = checkout_snapshot() if check_checkout else None
    result = BatchResult(cases)
    started = time.monotonic()
    process = env.start("ingest", str(SAMPLES_DIR), *(str(p) for p in paths))
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        result.exit_code, result.output = process.returncode, stdout + stderr
    except subprocess.TimeoutExpired:
        _stop_group(process)
        stdout, stderr = process.communicate()
        result.output = stdout + stderr
        result.problems.append(Problem("hang", f"no exit after {timeout:.0f} s; last output: {result.output[-400:]!r}"))
    result.seconds = time.monotonic() - started
    if result.crashed:
        result.problems.append(Problem("crash", f"exit {result.exit_code}: {_failure_lines(result.output)}"
                                                f" — errors in the log: {_logged_errors(env)}"))
    if not result.hung:
        _judge_documents(env, result)
        facts = good_facts(env)
        if facts != expected_facts:
            result.problems.append(Problem("good_facts", _facts_diff(expected_facts, facts)))
    if before is not None:
        changes = checkout_changes(before)
        if changes:
            result.problems.append(Problem("checkout", describe_changes(changes)))
    return result


def _stop_group(process: subprocess.Popen) -> None:
    """SIGTERM the run's whole process group (workers, log tails), then SIGKILL what is left."""
    import signal

    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 20)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _failure_lines(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.startswith(("FAILED", "Traceback"))]
    return " | ".join(lines)[:1500] or output[-600:]


def _logged_errors(env: EtlEnv) -> list[str]:
    """The distinct exception lines (``ValueError: …``) of the run's log, Dagster's wrappers left out."""
    log = env.log_dir / "annual-etl.log"
    if not log.exists():
        return []
    found = re.findall(r"^(?!dagster\.)([A-Za-z_][\w.]*(?:Error|Exception|Interrupt)\b[^\n]{0,200})$",
                       log.read_text(encoding="utf-8", errors="replace"), flags=re.M)
    return list(dict.fromkeys(found))[:5]


def _facts_diff(expected: list[tuple], got: list[tuple]) -> str:
    missing, extra = Counter(expected) - Counter(got), Counter(got) - Counter(expected)
    lost_docs = Counter(good_documents().get(row[1], row[1]) for row in missing.elements())
    return (f"{len(expected)} facts expected, {len(got)} found; {sum(missing.values())} missing"
            f" (by sample: {dict(lost_docs)}), {sum(extra.values())} unexpected;"
            f" e.g. missing {list(missing)[:1]}, unexpected {list(extra)[:1]}")


def _judge_documents(env: EtlEnv, result: BatchResult) -> None:
    if not env.warehouse.exists():
        result.problems.append(Problem("missing", "no warehouse was written at all"))
        return
    by_id: dict[str, list[Case]] = {}
    for case in result.cases:
        by_id.setdefault(document_id(case.data), []).append(case)
    ids = sorted(by_id)
    raw = {r[0]: r[1:] for r in env.rows("SELECT document_id, status, reject_reason FROM raw.documents"
                                         " WHERE list_contains(?, document_id)", [ids])}
    in_core = {r[0] for r in env.rows("SELECT document_id FROM core.documents WHERE list_contains(?, document_id)",
                                      [ids])}
    crashed = {r[0]: r[1] for r in env.rows("SELECT document_id, any_value(reason) FROM quality.quarantine"
                                            " WHERE check_name = 'extraction_error' AND list_contains(?, document_id)"
                                            " GROUP BY document_id", [ids])}
    errors = _document_errors(env, ids)
    result.timeouts = sum(1 for doc_errors in errors.values() for e in doc_errors if e[1] == "TimeoutError")
    for doc_id, cases in by_id.items():
        case = cases[0]
        if doc_id not in raw:
            result.problems.append(Problem("missing", "no raw.documents row", case))
            continue
        status, reason = raw[doc_id]
        if status == "parsed":
            result.parsed.append(case)
            if doc_id not in in_core and doc_id not in errors:
                result.problems.append(Problem("not_in_core", "parsed, but no core.documents row", case))
        else:
            result.rejected[reason_category(reason or "")] += 1
            if UNSPECIFIC.search(reason or ""):
                result.problems.append(Problem("unspecific", f"rejected with {reason!r}", case))
        if doc_id in crashed:
            result.problems.append(Problem("extraction_error", crashed[doc_id], case))
        for stage, error_type, message in errors.get(doc_id, []):
            kind = "document_timeout" if error_type == "TimeoutError" else "document_error"
            result.problems.append(Problem(kind, f"quality.document_errors, stage {stage}: {error_type}: {message}", case))


def _document_errors(env: EtlEnv, ids: list[str]) -> dict[str, list[tuple[str, str, str]]]:
    """document id → (stage, error_type, message) in quality.document_errors, when the table exists."""
    columns = {r[0] for r in env.rows("SELECT column_name FROM duckdb_columns()"
                                      " WHERE schema_name = 'quality' AND table_name = 'document_errors'")}
    if not columns:
        return {}
    out: dict[str, list[tuple[str, str, str]]] = {}
    for doc_id, stage, error_type, message in env.rows(
            "SELECT document_id, stage, error_type, message FROM quality.document_errors"
            " WHERE list_contains(?, document_id) ORDER BY document_id, stage", [ids]):
        out.setdefault(doc_id, []).append((stage, error_type, message or ""))
    return out
