"""The command line's ingest: land files, register partitions, run the Dagster job in process.

The sensor and the schedule launch the same job (`ingest_reports`) through the daemon; this
module only decides which documents a run must cover and reports what happened.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .instance import batch_event_writes, process_tags, release_dead_runs, sqlite_without_fsync
from .landing import Archive, LandedFile, land_paths
from .progress import attach_terminal
from .settings import dagster_home


@dataclass
class IngestSummary:
    files_offered: int = 0
    documents: int = 0
    new_documents: int = 0
    ran: bool = False
    succeeded: bool = True
    error: str | None = None
    parsed: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file name, "stage: error")
    facts: int = 0
    quarantined: int = 0
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    run_id: str | None = None
    warehouse: str = ""
    extras: list[str] = field(default_factory=list)

    def print(self, say: Callable[[str], None], *, seconds: float, log_file: Path) -> None:
        say(f"annual-etl ingest — {plural(self.files_offered, 'file')} offered,"
            f" {plural(self.documents, 'distinct document')} ({self.new_documents} new), {seconds:.1f} s")
        if not self.ran:
            say("  nothing to do: every document is already in the warehouse (re-running changes nothing)")
        say(f"  documents parsed   {self.parsed}")
        say(f"  documents rejected {len(self.rejected)}")
        for name, reason in self.rejected[:20]:
            say(f"    - {name}: {reason}")
        if len(self.rejected) > 20:
            say(f"    … and {len(self.rejected) - 20} more (SELECT * FROM raw.documents WHERE status = 'rejected')")
        if self.failed:
            say(f"  {plural(len(self.failed), 'document')} failed in a stage of their work (each costs only itself;"
                " alerted; SELECT * FROM quality.document_errors):")
            for name, what in self.failed[:10]:
                say(f"    - {name}: {what}")
            if len(self.failed) > 10:
                say(f"    … and {len(self.failed) - 10} more")
        say(f"  facts in core      {self.facts}")
        say(f"  figures quarantined {self.quarantined}")
        if self.ran:
            say(f"  checks passed {self.checks_passed}, failed {len(self.checks_failed)}"
                + (": " + ", ".join(self.checks_failed) if self.checks_failed else ""))
        for line in self.extras:
            say("  " + line)
        say(f"  warehouse {self.warehouse}")
        say(f"  logs      {log_file}" + (f" (Dagster run {self.run_id})" if self.run_id else ""))
        if not self.succeeded:
            say(f"FAILED: {self.error}")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _pending(warehouse: Path, records: list[LandedFile]) -> list[str]:
    """Documents whose raw or core rows are missing, stale, or lack one of the paths just offered;
    all of them when a mart is missing or was not rebuilt from the core that is there now."""
    from .freshness import stale_marts
    from .load import pending_core, pending_raw
    from .marts import MART_NAMES
    from .warehouse import connect

    ids = [r.document_id for r in records]
    if not warehouse.exists():
        return ids
    with connect(warehouse, read_only=True) as con:
        tables = {row[0] for row in con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables()").fetchall()}
        if "core.documents" not in tables:
            return ids
        todo = set(pending_raw(con, ids)) | set(pending_core(con, ids))
        known = {row[0] for row in con.execute("SELECT document_id || '|' || source_path FROM raw.document_sources"
                                               " WHERE list_contains(?, document_id)", [ids]).fetchall()}
        for record in records:
            if any(f"{record.document_id}|{path}" not in known for path in record.offers):
                todo.add(record.document_id)
        marts_stale = bool(stale_marts(con, tuple(MART_NAMES)))
    return [i for i in ids if i in todo] or (ids if marts_stale else [])


def _summarise(summary: IngestSummary, warehouse: Path, records: list[LandedFile]) -> None:
    from .warehouse import connect

    if not warehouse.exists():
        return
    ids = [r.document_id for r in records]
    with connect(warehouse, read_only=True) as con:
        rows = con.execute("SELECT file_name, status, reject_reason FROM raw.documents"
                           " WHERE list_contains(?, document_id) ORDER BY file_name", [ids]).fetchall()
        summary.parsed = sum(1 for r in rows if r[1] == "parsed")
        summary.rejected = [(r[0], r[2] or "") for r in rows if r[1] == "rejected"]
        summary.facts = con.execute("SELECT count(*) FROM core.indicator_facts WHERE list_contains(?, document_id)",
                                    [ids]).fetchone()[0]
        summary.quarantined = con.execute("SELECT count(*) FROM quality.quarantine WHERE list_contains(?, document_id)"
                                          " AND held_back", [ids]).fetchone()[0]
        summary.failed = [(name or document_id, f"{stage}: {error_type}: {message[:160]}") for document_id, name, stage,
                          error_type, message in con.execute(
            "SELECT e.document_id, d.file_name, e.stage, e.error_type, e.message FROM quality.document_errors e"
            " LEFT JOIN raw.documents d USING (document_id) WHERE list_contains(?, e.document_id)"
            " ORDER BY d.file_name, e.stage", [ids]).fetchall()]


def run_ingest(paths: list[Path], *, warehouse: Path, archive: Path, log_file: Path | None = None,
               say: Callable[[str], None] = lambda message: None) -> IngestSummary:
    """Land ``paths``, then materialise the ingest job over the documents that need it."""
    summary = IngestSummary(warehouse=str(warehouse))
    records, offers = land_paths(paths, Archive(archive))
    summary.files_offered, summary.documents = len(offers), len(records)
    # Asked first, of the warehouse alone: a re-run with nothing to do neither imports Dagster nor
    # starts a run (every document it has rows for was registered by the run that wrote them).
    pending = _pending(warehouse, records)
    if pending:
        with sqlite_without_fsync(dagster_home()):
            _run_job(summary, records, pending, warehouse=warehouse, archive=archive, log_file=log_file, say=say)
    _summarise(summary, warehouse, records)
    if summary.ran:
        from .quality.suites import data_docs_summary

        passed, failed, index = data_docs_summary()
        if index is not None:
            summary.extras.append(f"expectations {passed} passed, {failed} failed — Data Docs: {index}")
    return summary


def _run_job(summary: IngestSummary, records: list[LandedFile], pending: list[str], *, warehouse: Path,
             archive: Path, log_file: Path | None, say: Callable[[str], None]) -> None:
    from dagster import DagsterInstance

    from .definitions import defs
    from .jobs import range_tags, register_documents

    # One "planned" event per asset for the run's partition range, not one per document (Dagster
    # otherwise stores 2 x N of them before the run starts). The catch, per Dagster: partitions of
    # a failed run are not marked failed one by one; the warehouse says which documents are done.
    os.environ.setdefault("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "true")
    instance = DagsterInstance.get()
    batch_event_writes(instance)  # a step's per-document materialisations in one transaction
    release_dead_runs(instance, say)  # a killed run is marked failed before this one starts
    summary.new_documents = len(register_documents(instance, [r.document_id for r in records]))
    if pending:
        say(f"ingesting {plural(len(pending), 'document')} …")
        attach_terminal()
        job = defs.resolve_job_def("ingest_reports")
        run_config = {"resources": {"warehouse": {"config": {"path": str(warehouse)}},
                                    "archive": {"config": {"path": str(archive)}}}}
        if log_file is not None:  # run events to the log file instead of the terminal
            run_config["loggers"] = {"file": {"config": {"path": str(log_file), "log_level": "DEBUG"}}}
        result = job.execute_in_process(run_config=run_config, instance=instance,
                                        tags={**(range_tags(instance, pending) or {}), **process_tags()},
                                        raise_on_error=False)
        summary.ran, summary.run_id, summary.succeeded = True, result.run_id, result.success
        for evaluation in result.get_asset_check_evaluations():
            if evaluation.passed:
                summary.checks_passed += 1
            else:
                summary.checks_failed.append(f"{evaluation.check_name} ({evaluation.severity.value.lower()})")
        if not result.success:
            failures = [event for event in result.all_events if event.is_step_failure]
            summary.error = "; ".join(
                f"step {e.step_key} failed: {e.step_failure_data.error.message.strip() if e.step_failure_data.error else ''}"
                for e in failures) or "the run failed (see the log)"
