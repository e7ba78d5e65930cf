"""The steps of an ingest as plain functions: the Dagster assets call them, and so does the CLI.

read → raw checks → extract → core checks → cross-document checks, marts → region reports.
Each step takes a way to open the warehouse and the run's documents and returns what it did as
plain data (metadata, check outcomes). ``pipelines/assets/`` wraps them as Dagster assets and
checks (the daemon's sensor, schedule and UI); ``run_steps`` runs them in order in this
process for ``annual-etl ingest`` without importing Dagster, stopping after a failed ERROR
check exactly where Dagster's blocking checks stop a run. See docs/cli.md.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from . import warehouse as _warehouse
from .isolation import Failure, IsolatedRunner
from .landing import Archive, LandedFile
from .load import load_core, load_raw, pending_core, pending_raw
from .progress import bar
from .transform import (CoreJob, DocumentError, build_core, core_job, failed_core, failed_read, now_utc, read_job,
                        tables_from_json)

log = logging.getLogger("annual_etl.steps")

BATCH_DOCUMENTS = 50  # documents per write transaction: few commits, short lock holds
RAW_TABLES = ("raw.documents",)
CORE_TABLES = ("core.indicator_facts", "core.documents", "quality.quarantine")
ALERTS_RAISED = "alerts_raised"  # metadata key: this check dispatched its own alerts
CROSS_DOCUMENT_CHECKS = (
    ("growth_consistency", ["growth_gap"],
     "stated growth agrees (within 1 pp) with the growth computed from consecutive levels; comparable-price "
     "growth (GDP, value added) is recorded, not alarmed"),
    ("figures_agree", ["revision", "conflict"],
     "no two documents give different values for the same region, indicator, year, period, basis and measure"),
)

Connect = Callable[..., AbstractContextManager[duckdb.DuckDBPyConnection]]


class Markdown(str):
    """A metadata value shown as Markdown in Dagster (plain text everywhere else)."""


class FilePath(str):
    """A metadata value that is a path on disk."""


@dataclass
class CheckOutcome:
    """One check's result, as Dagster's ``AssetCheckResult`` would carry it."""

    asset: str
    name: str
    passed: bool
    severity: str  # error (blocking) | warn
    description: str
    metadata: dict = field(default_factory=dict)

    @property
    def blocks(self) -> bool:
        return self.severity == "error" and not self.passed


@dataclass
class StepResult:
    """What a step did: metadata per asset it materialised, and the checks it ran."""

    materialized: dict[str, dict] = field(default_factory=dict)
    checks: list[CheckOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def warehouse_opener(path: Path) -> Connect:
    """``connect(read_only=False)`` for one warehouse file; the DDL runs once per process and file."""

    @contextmanager
    def connect(read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        with _warehouse.connect(path, read_only=read_only) as con:
            if not read_only:
                key = (str(path.resolve()), path.stat().st_ino)
                if key not in _warehouse._ENSURED:
                    _warehouse.ensure_schema(con)
                    _warehouse._ENSURED.add(key)
            yield con

    return connect


# ---------------------------------------------------------------------------- per-document steps

def _landed(store: Archive, key: str) -> LandedFile:
    """The archive's record of a document, or a stand-in when even that cannot be read."""
    try:
        return store.read_sidecar(key)
    except Exception as error:
        return LandedFile(document_id=key, source_path="", file_name=key, size_bytes=None, sha256=None,
                          offered_at=now_utc().isoformat(), reject_reason=f"the archive's record of this file is "
                                                                         f"unreadable: {type(error).__name__}: {error}")


def _unstaged(outcome, parse: Callable):
    """A staged outcome's path → the outcome (a Failure stays one)."""
    from .staging import read_staged

    if isinstance(outcome, Failure):
        return outcome
    try:
        return parse(read_staged(outcome))
    except Exception as error:
        return Failure(type(error).__name__, f"the staged file {outcome} is unreadable: {error}")


def read_documents(connect: Connect, store: Archive, keys: list[str], staging: Path | None = None) -> StepResult:
    """raw.documents and raw.document_texts for the documents not yet read by this reader version.

    With ``staging``, each worker writes its outcome to a Parquet file there (``pipelines.staging``)
    and this step loads the files: the scale-out form of the same step.
    """
    from .staging import raw_from_json, stage_read

    with connect() as con:
        todo = pending_raw(con, keys)
    parsed = rejected = failed = 0
    reasons: dict[str, str] = {}
    pending = []
    fn, jobs = read_job, [(str(store.root), key) for key in todo]
    if staging is not None:
        fn, jobs = stage_read, [(root, key, str(staging)) for root, key in jobs]
    with IsolatedRunner() as runner, bar(desc="reading", total=len(todo)) as progress:
        for (_root, key, *_), outcome in runner.map(fn, jobs):
            if staging is not None:
                outcome = _unstaged(outcome, raw_from_json)
            if isinstance(outcome, Failure):
                outcome = failed_read(_landed(store, key), DocumentError.of("read", outcome))
            failed += bool(outcome.errors)
            pending.append(outcome)
            progress.update(1)
            if outcome.status == "parsed":
                parsed += 1
            else:
                rejected += 1
                reasons[outcome.landed.file_name] = outcome.reject_reason or ""
            if len(pending) >= BATCH_DOCUMENTS:
                with connect() as con:
                    load_raw(con, pending, now_utc())
                pending = []
    with connect() as con:
        load_raw(con, pending, now_utc())
    return StepResult({"raw_documents": {
        "documents_in_run": len(keys), "read": len(todo), "already_done": len(keys) - len(todo),
        "parsed": parsed, "rejected": rejected, "failed": failed, "rejections": reasons}},
        warnings=[f"rejected {name}: {reason}" for name, reason in reasons.items()])


def _core_jobs(rows) -> list[CoreJob]:
    return [CoreJob(document_id, text, file_name=file_name or "", title_hint=title_hint,
                    published_hint=published if isinstance(published, date) else None,
                    page_spans=json.loads(spans) if spans else None, tables=tables_from_json(tables),
                    source_url=source_url)
            for document_id, text, spans, tables, title_hint, file_name, published, source_url in rows]


def extract_documents(connect: Connect, keys: list[str], staging: Path | None = None) -> StepResult:
    """core.* and quality.quarantine for the documents not yet extracted by this extractor version
    (with ``staging``: through Parquet files, as ``read_documents``)."""
    from .staging import core_from_json, stage_core

    with connect() as con:
        todo = pending_core(con, keys)
    facts = quarantined = failed = 0
    if todo:  # load the rules once, before the workers fork, so that each inherits them
        build_core("0" * 16, "某区2031年统计公报\n全区地区生产总值增长5%。")
    with IsolatedRunner() as runner, bar(desc="extracting", total=len(todo)) as progress:
        for start in range(0, len(todo), BATCH_DOCUMENTS):
            ids = todo[start:start + BATCH_DOCUMENTS]
            with connect() as con:  # read a batch's texts, extract with no connection open, write at once
                rows = con.execute(
                    "SELECT t.document_id, t.text, t.page_spans, t.tables, t.title_hint, d.file_name,"
                    " d.published_hint, d.source_url"
                    " FROM raw.document_texts t JOIN raw.documents d USING (document_id)"
                    " WHERE list_contains(?, t.document_id) ORDER BY t.document_id", [ids]).fetchall()
            outcomes = []
            jobs = _core_jobs(rows)
            work = runner.map(core_job, jobs) if staging is None else (
                (job, _unstaged(staged, core_from_json))
                for (job, _), staged in runner.map(stage_core, [(job, str(staging)) for job in jobs]))
            for job, outcome in work:
                if isinstance(outcome, Failure):
                    outcome = failed_core(job, DocumentError.of("extract", outcome))
                facts += len(outcome.facts)
                quarantined += len(outcome.quarantined)
                failed += bool(outcome.errors)
                outcomes.append(outcome)
                progress.update(1)
            with connect() as con:
                load_core(con, outcomes, now_utc())
    warnings = [f"{failed} document(s) failed in a stage of their work (see the table quality.document_errors)"]
    return StepResult({"indicator_facts": {
        "documents_in_run": len(keys), "extracted": len(todo), "already_done": len(keys) - len(todo),
        "facts_loaded": facts, "figures_quarantined": quarantined, "documents_failed": failed}},
        warnings=warnings if failed else [])


# ---------------------------------------------------------------------------- checks

def _failure_table(reports, severity: str) -> str:
    lines = ["| table | check | rows | example | why |", "|---|---|---|---|---|"]
    for report in reports:
        if report.error and severity == "error":
            lines.append(f"| {report.table} | readable | – | – | {report.error} |")
        for o in report.failed_with(severity):
            example = ", ".join(map(str, o.sample[:3])).replace("|", "/")
            lines.append(f"| {report.table} | {o.name} | {o.unexpected_count} | {example} | {o.why or o.exception or ''} |")
    return "\n".join(lines)


def suite_checks(connect: Connect, documents: list[str] | None, asset: str, prefix: str,
                 tables: tuple[str, ...], *, build_docs: bool) -> tuple[list[CheckOutcome], str | None]:
    """``<prefix>_contract`` (error: blocking) and ``<prefix>_warnings`` from the suites, in SQL.

    With ``build_docs`` every suite's rows go to the detached Great Expectations builder; returns
    the Data Docs folder then (None otherwise).
    """
    from .quality import alerts as al
    from .quality import suite_sql, suites

    docs = None
    with connect() as con:
        # the docs show every suite; the checks judge only this asset's tables
        everything = list(suites.suite_files()) if build_docs else list(tables)
        rows_in = suites.pending_rows_dir() if build_docs else None  # the checked rows, for GX later
        reports = suite_sql.evaluate_tables(con, everything, documents, export_to=rows_in)
        mine = [r for r in reports if r.table in tables]
        raised = []
        if any(r.failed or r.error for r in mine):
            raised = al.dispatch(con, [a for r in mine for a in al.alerts_for_suite_report(r, con)])
        if build_docs and suites.defer_data_docs(con, reports, documents, rows_in=rows_in) is not None:
            docs = str(suites.data_docs_dir())
    outcomes = []
    for severity in ("error", "warn"):
        failed = [(r.table, o.name) for r in mine for o in r.failed_with(severity)]
        if severity == "error":
            failed += [(r.table, "readable") for r in mine if r.error]
        checked = sum(1 for r in mine for o in r.outcomes if o.severity == severity)
        outcomes.append(CheckOutcome(
            asset, f"{prefix}_{'contract' if severity == 'error' else 'warnings'}", not failed, severity,
            (f"{len(failed)} of {checked} {severity} expectations failed: "
             + ", ".join(f"{t}:{n}" for t, n in failed[:10])) if failed
            else f"all {checked} {severity} expectations passed",
            {"tables": ", ".join(tables), "rows": {r.table: r.row_count for r in mine}, "expectations": checked,
             "failed": len(failed), "failures": Markdown(_failure_table(mine, severity)),
             ALERTS_RAISED: sum(1 for a in raised if a.severity == severity)}))
    return outcomes, docs


def raw_checks(connect: Connect, documents: list[str] | None) -> StepResult:
    outcomes, _ = suite_checks(connect, documents, "raw_documents", "raw", RAW_TABLES, build_docs=False)
    return StepResult(checks=outcomes)


def _new_alerts(name: str, raised: list, what: str, counts: dict) -> CheckOutcome:
    """A WARN check that fails when it raised new alerts (one per item), listing them."""
    return CheckOutcome("indicator_facts", name, not raised, "warn",
                        f"{len(raised)} new {what}, one alert each" if raised else f"no new {what}",
                        {**counts, ALERTS_RAISED: len(raised),
                         "new": Markdown("\n".join(f"- {a.message}" for a in raised[:50]) or "none")})


def core_checks(connect: Connect, documents: list[str] | None) -> StepResult:
    """Alerts for quarantined figures and document errors, then the core suites (blocking)."""
    from .quality import alerts as al

    with connect() as con:
        raised = al.dispatch(con, al.alerts_for_quarantine(con, None))
        held = con.execute("SELECT count(*), count(DISTINCT document_id) FROM quality.quarantine").fetchone()
        errors = al.alerts_for_document_errors(con)
        errors_raised = al.dispatch(con, errors)
    outcomes, docs = suite_checks(connect, documents, "indicator_facts", "core", CORE_TABLES, build_docs=True)
    return StepResult(checks=[
        _new_alerts("document_errors", errors_raised, "document errors",
                    {"documents_with_errors": len({a.document_id for a in errors})}),
        _new_alerts("quarantine_alerts", raised, "figures quarantined",
                    {"quarantined_figures": held[0], "documents_with_quarantine": held[1]}),
        *outcomes],
        warnings=[f"Great Expectations builds the Data Docs in the background: {docs}"] if docs else [])


def cross_document(connect: Connect) -> StepResult:
    """quality.cross_document_findings and its two WARN checks."""
    from .quality import alerts as al
    from .quality.cross_document import alerts_for_findings, refresh_findings

    checks = []
    with connect() as con:
        counts = refresh_findings(con)
        for name, kinds, _text in CROSS_DOCUMENT_CHECKS:
            alarms = con.execute(
                "SELECT count(*) FROM quality.cross_document_findings WHERE alarm AND list_contains(?, kind)",
                [kinds]).fetchone()[0]
            raised = al.dispatch(con, alerts_for_findings(con, kinds))
            checks.append(CheckOutcome("cross_document_checks", name, alarms == 0, "warn",
                                       f"{alarms} findings ({', '.join(kinds)})" if alarms else "nothing found",
                                       {"findings": alarms, ALERTS_RAISED: len(raised)}))
    return StepResult({"cross_document_checks": {
        "growth_gaps": counts.get("growth_gap", 0), "revisions": counts.get("revision", 0),
        "conflicts": counts.get("conflict", 0), "alarms": counts.get("alarms", 0)}}, checks)


# ---------------------------------------------------------------------------- marts and pages

def build_marts(connect: Connect, names: tuple[str, ...]) -> StepResult:
    """Every mart (with its staging views) and its build record, in one transaction."""
    from . import marts
    from .freshness import record_mart_build

    with connect() as con:
        con.execute("BEGIN")
        try:
            counts = {name: marts.build_mart(con, name) for name in names}
            for name in names:
                record_mart_build(con, name)  # same transaction: a mart and its record go together
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        previews = {name: marts.mart_preview_markdown(con, name) for name in names}
    return StepResult({name: {"row_count": counts[name], "preview": Markdown(previews[name])} for name in names})


def region_reports(connect: Connect, out: Path, region: str | None = None) -> StepResult:
    """One HTML page per region (and quality.html when every region is written)."""
    from .report import write_region_reports

    with connect(read_only=True) as con:
        written = write_region_reports(con, out, region=region)
    metadata = {"pages": len(written), "out_dir": FilePath(out),
                "files": Markdown("\n".join(f"- `{p.name}`" for p in written) or "_no region with facts_")}
    if not region:
        metadata["quality_page"] = FilePath(out / "quality.html")
    return StepResult({"region_reports": metadata}, warnings=[f"wrote {len(written)} region report(s) to {out}"])


# ---------------------------------------------------------------------------- the whole ingest

@dataclass
class RunOutcome:
    """What ``run_steps`` did: each step's result in order, and which steps failed or were skipped."""

    steps: dict[str, StepResult] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # step -> why it failed
    skipped: list[str] = field(default_factory=list)  # downstream of a failure

    @property
    def checks(self) -> list[CheckOutcome]:
        return [c for result in self.steps.values() for c in result.checks]

    @property
    def succeeded(self) -> bool:
        return not self.errors

    @property
    def error(self) -> str | None:
        return "; ".join(self.errors.values()) or None


# Each step and the steps it needs, in an order that respects them (the Dagster graph's edges).
STEPS = (("raw_documents", ()), ("raw_checks", ("raw_documents",)), ("indicator_facts", ("raw_checks",)),
         ("core_checks", ("indicator_facts",)), ("cross_document_checks", ("core_checks",)),
         ("marts", ("core_checks",)), ("region_reports", ("marts",)))


def run_steps(warehouse: Path, archive: Path, keys: list[str], reports_out: Path) -> RunOutcome:
    """The ingest job's steps in order over ``keys``, in this process.

    A step that raises, or that has a failed ERROR check (raw_contract, core_contract), fails;
    the steps downstream of it are skipped, as Dagster's blocking checks skip them.
    """
    from .marts import mart_names

    connect = warehouse_opener(warehouse)
    work: dict[str, Callable[[], StepResult]] = {
        "raw_documents": lambda: read_documents(connect, Archive(archive), keys),
        "raw_checks": lambda: raw_checks(connect, keys),
        "indicator_facts": lambda: extract_documents(connect, keys),
        "core_checks": lambda: core_checks(connect, keys),
        "cross_document_checks": lambda: cross_document(connect),
        "marts": lambda: build_marts(connect, tuple(mart_names())),
        "region_reports": lambda: region_reports(connect, reports_out),
    }
    outcome = RunOutcome()
    for name, needs in STEPS:
        if any(n in outcome.errors or n in outcome.skipped for n in needs):
            outcome.skipped.append(name)
            continue
        log.info(f'step "{name}" started')
        started = time.perf_counter()
        try:
            result = work[name]()
        except Exception as error:
            log.exception(f'step "{name}" failed')
            outcome.errors[name] = f"step {name} failed: {type(error).__name__}: {error}"
            continue
        outcome.seconds[name] = time.perf_counter() - started
        outcome.steps[name] = result
        for line in result.warnings:
            log.info(f"{name}: {line}")
        log.info(f'step "{name}" finished in {outcome.seconds[name]:.3f} s')
        blocking = [c.name for c in result.checks if c.blocks]
        if blocking:
            outcome.errors[name] = (f"step {name} failed: blocking check {', '.join(blocking)} failed;"
                                    " nothing downstream of it ran (the marts were not rebuilt)")
    return outcome
