"""The command line's ingest: land files, ask the warehouse what needs work, run the steps.

The steps are ``pipelines.steps``, the functions the Dagster assets call too; here they run in
this process without Dagster (docs/cli.md), and what they did is recorded into the Dagster
instance afterwards by a detached process (``pipelines.instance``). The sensor and the schedule
run the job ``ingest_reports`` through the daemon.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .landing import Archive, LandedFile, land_paths


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
        say(f"  logs      {log_file}" + (f" (run {self.run_id[:12]}, recorded in Dagster as runless"
                                            " asset events)" if self.run_id else ""))
        if not self.succeeded:
            say(f"FAILED: {self.error}")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _pending(warehouse: Path, records: list[LandedFile]) -> tuple[list[str], list[str]]:
    """(documents that need work, documents the warehouse has never seen).

    Work: raw or core rows missing, stale, or lacking one of the paths just offered; all of
    them when a mart is missing or was not rebuilt from the core that is there now."""
    from .freshness import stale_marts
    from .load import pending_core, pending_raw
    from .marts import MART_NAMES
    from .warehouse import connect

    ids = [r.document_id for r in records]
    if not warehouse.exists():
        return ids, ids
    with connect(warehouse, read_only=True) as con:
        tables = {row[0] for row in con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables()").fetchall()}
        if "core.documents" not in tables:
            return ids, ids
        seen = {row[0] for row in con.execute("SELECT document_id FROM raw.documents"
                                              " WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall()}
        todo = set(pending_raw(con, ids)) | set(pending_core(con, ids))
        known = {row[0] for row in con.execute("SELECT document_id || '|' || source_path FROM raw.document_sources"
                                               " WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall()}
        for record in records:
            if any(f"{record.document_id}|{path}" not in known for path in record.offers):
                todo.add(record.document_id)
        marts_stale = bool(stale_marts(con, tuple(MART_NAMES)))
    return [i for i in ids if i in todo] or (ids if marts_stale else []), [i for i in ids if i not in seen]


def _summarise(summary: IngestSummary, warehouse: Path, records: list[LandedFile]) -> None:
    from .warehouse import connect

    if not warehouse.exists():
        return
    ids = [r.document_id for r in records]
    with connect(warehouse, read_only=True) as con:
        rows = con.execute("SELECT file_name, status, reject_reason FROM raw.documents"
                           " WHERE document_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY file_name", [ids]).fetchall()
        summary.parsed = sum(1 for r in rows if r[1] == "parsed")
        summary.rejected = [(r[0], r[2] or "") for r in rows if r[1] == "rejected"]
        summary.facts = con.execute("SELECT count(*) FROM core.indicator_facts"
                                    " WHERE document_id IN (SELECT unnest(?::VARCHAR[]))",
                                    [ids]).fetchone()[0]
        summary.quarantined = con.execute("SELECT count(*) FROM quality.quarantine"
                                          " WHERE document_id IN (SELECT unnest(?::VARCHAR[]))"
                                          " AND held_back", [ids]).fetchone()[0]
        summary.failed = [(name or document_id, f"{stage}: {error_type}: {message[:160]}") for document_id, name, stage,
                          error_type, message in con.execute(
            "SELECT e.document_id, d.file_name, e.stage, e.error_type, e.message FROM quality.document_errors e"
            " LEFT JOIN raw.documents d USING (document_id) WHERE e.document_id IN (SELECT unnest(?::VARCHAR[]))"
            " ORDER BY d.file_name, e.stage", [ids]).fetchall()]


def run_ingest(paths: list[Path], *, warehouse: Path, archive: Path,
               say: Callable[[str], None] = lambda message: None) -> IngestSummary:
    """Land ``paths``, then run the ingest steps over the documents that need them."""
    summary = IngestSummary(warehouse=str(warehouse))
    records, offers = land_paths(paths, Archive(archive))
    summary.files_offered, summary.documents = len(offers), len(records)
    # Asked of the warehouse alone: a re-run with nothing to do starts nothing.
    pending, new = _pending(warehouse, records)
    summary.new_documents = len(new)
    if pending:
        from .instance import request_recording
        from .progress import attach_terminal
        from .settings import reports_dir
        from .steps import run_steps

        say(f"ingesting {plural(len(pending), 'document')} …")
        attach_terminal()
        outcome = run_steps(warehouse, archive, pending, reports_dir())
        summary.ran, summary.succeeded, summary.error = True, outcome.succeeded, outcome.error
        for check in outcome.checks:
            if check.passed:
                summary.checks_passed += 1
            else:
                summary.checks_failed.append(f"{check.name} ({check.severity})")
        summary.run_id = request_recording(outcome, [r.document_id for r in records], pending)
    _summarise(summary, warehouse, records)
    if summary.ran:
        from .quality.suites import data_docs_summary

        passed, failed, index = data_docs_summary()
        if index is not None:
            summary.extras.append(f"expectations {passed} passed, {failed} failed — Data Docs: {index}")
    return summary
