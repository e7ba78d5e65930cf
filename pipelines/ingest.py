"""The command line's ingest: land files, register partitions, run the Dagster job in process.

The sensor and the schedule launch the same job (`ingest_reports`) through the daemon; this
module only decides which documents a run must cover and reports what happened.
"""

from __future__ import annotations

import os
import socket
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .landing import Archive, LandedFile, land_paths
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
    facts: int = 0
    quarantined: int = 0
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    run_id: str | None = None
    warehouse: str = ""
    extras: list[str] = field(default_factory=list)

    def print(self, say: Callable[[str], None], *, seconds: float, log_file: Path) -> None:
        say(f"annual-etl ingest — {self.files_offered} files offered, {self.documents} distinct documents"
            f" ({self.new_documents} new), {seconds:.1f} s")
        if not self.ran:
            say("  nothing to do: every document is already in the warehouse (re-running changes nothing)")
        say(f"  documents parsed   {self.parsed}")
        say(f"  documents rejected {len(self.rejected)}")
        for name, reason in self.rejected[:20]:
            say(f"    - {name}: {reason}")
        if len(self.rejected) > 20:
            say(f"    … and {len(self.rejected) - 20} more (SELECT * FROM raw.documents WHERE status = 'rejected')")
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


def _pending(warehouse: Path, records: list[LandedFile]) -> list[str]:
    """Documents whose raw or core rows are missing, stale, or lack one of the paths just offered."""
    from .load import pending_core, pending_raw
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
        known = set(con.execute("SELECT document_id || '|' || source_path FROM raw.document_sources"
                                " WHERE list_contains(?, document_id)", [ids]).fetchall())
        known = {row[0] for row in known}
        for record in records:
            if any(f"{record.document_id}|{path}" not in known for path in record.offers):
                todo.add(record.document_id)
        marts_missing = "marts.indicator_yoy" not in tables
    return [i for i in ids if i in todo] or (ids if marts_missing else [])


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
        summary.quarantined = con.execute("SELECT count(*) FROM quality.quarantine WHERE list_contains(?, document_id)",
                                          [ids]).fetchone()[0]


@contextmanager
def _dagster_sqlite_without_fsync(home: Path) -> Iterator[None]:
    """Let the local Dagster instance's SQLite files skip fsync while this run writes them.

    A run over N documents stores several events per document partition (planned and
    materialised, for each per-document asset), each in its own SQLite transaction on a fresh
    connection; with SQLite's default ``synchronous=FULL`` every one waits for the disk, which
    made Dagster's bookkeeping most of an ingest's time (about 0.3 s per document here).
    ``synchronous=OFF`` still survives a killed process (the data is in the OS cache); only an
    OS crash or power cut could lose the newest run events, and the warehouse, which stays
    fully durable, is what decides which documents are done. Only SQLite files under
    DAGSTER_HOME are touched; ANNUAL_ETL_DAGSTER_FSYNC=1 keeps SQLite's default.
    """
    if os.environ.get("ANNUAL_ETL_DAGSTER_FSYNC") == "1":
        yield
        return
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    prefix = str(home.resolve()) + os.sep

    def on_connect(dbapi_connection, _record) -> None:
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        files = [row[2] for row in dbapi_connection.execute("PRAGMA database_list").fetchall()]
        if any(f and os.path.realpath(f).startswith(prefix) for f in files):
            dbapi_connection.execute("PRAGMA synchronous=OFF")

    event.listen(Engine, "connect", on_connect)
    try:
        yield
    finally:
        event.remove(Engine, "connect", on_connect)


# Tags on every run this command executes in process, so a later command can tell whether the
# process behind a run that never finished is still alive.
PID_TAG, HOST_TAG, PROCESS_START_TAG = "annual_etl/pid", "annual_etl/host", "annual_etl/process_start"


def _process_start(pid: int) -> str | None:
    """The kernel's start time of process ``pid`` (tells a live process from a reused pid)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # field 22, starttime


def _alive(pid: int, started: str | None) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    now = _process_start(pid)
    return now is None or started is None or now == started


def _process_tags() -> dict[str, str]:
    tags = {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}
    started = _process_start(os.getpid())
    if started:
        tags[PROCESS_START_TAG] = started
    return tags


def _release_dead_runs(instance, say: Callable[[str], None]) -> None:
    """Fail the unfinished runs of ingest processes that are gone, and free their pool slots.

    A run killed mid-way (SIGKILL, OOM, power cut) keeps its claim on the ``warehouse`` pool in
    the instance's storage, and every later run would wait for that slot for ever. A live one
    is left alone: this run queues behind it, and says so.
    """
    from dagster import DagsterRunStatus, RunsFilter

    unfinished = instance.get_runs(RunsFilter(
        statuses=[DagsterRunStatus.STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.NOT_STARTED],
        tags={HOST_TAG: socket.gethostname()}))
    for run in unfinished:
        pid = run.tags.get(PID_TAG)
        if not (pid and pid.isdigit()):
            continue
        if _alive(int(pid), run.tags.get(PROCESS_START_TAG)):
            say(f"waiting: another ingest (pid {pid}, Dagster run {run.run_id[:8]}) is writing the warehouse;"
                " this one starts when it finishes")
            continue
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        instance.report_run_failed(run, message=f"the annual-etl process (pid {pid}) running it is gone"
                                   " (killed?); its finished documents are kept, the rest re-run")
        say(f"recovered: run {run.run_id[:8]} of a process that is gone (pid {pid}) was marked failed"
            " and its hold on the warehouse released")


def run_ingest(paths: list[Path], *, warehouse: Path, archive: Path, log_file: Path | None = None,
               say: Callable[[str], None] = lambda message: None) -> IngestSummary:
    """Land ``paths``, then materialise the ingest job over the documents that need it."""
    summary = IngestSummary(warehouse=str(warehouse))
    records, offers = land_paths(paths, Archive(archive))
    summary.files_offered, summary.documents = len(offers), len(records)
    with _dagster_sqlite_without_fsync(dagster_home()):
        _run_job(summary, records, warehouse=warehouse, archive=archive, log_file=log_file, say=say)
    _summarise(summary, warehouse, records)
    if summary.ran:
        from .quality.suites import data_docs_summary

        passed, failed, index = data_docs_summary()
        if index is not None:
            summary.extras.append(f"expectations {passed} passed, {failed} failed — Data Docs: {index}")
    return summary


def _run_job(summary: IngestSummary, records: list[LandedFile], *, warehouse: Path, archive: Path,
             log_file: Path | None, say: Callable[[str], None]) -> None:
    from dagster import DagsterInstance

    from .definitions import defs
    from .jobs import range_tags, register_documents

    # One "planned" event per asset for the run's partition range, not one per document (Dagster
    # otherwise stores 2 x N of them before the run starts). The catch, per Dagster: partitions of
    # a failed run are not marked failed one by one; the warehouse says which documents are done.
    os.environ.setdefault("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "true")
    instance = DagsterInstance.get()
    summary.new_documents = len(register_documents(instance, [r.document_id for r in records]))
    pending = _pending(warehouse, records)
    if pending:
        say(f"ingesting {len(pending)} documents …")
        job = defs.resolve_job_def("ingest_reports")
        run_config = {"resources": {"warehouse": {"config": {"path": str(warehouse)}},
                                    "archive": {"config": {"path": str(archive)}}}}
        if log_file is not None:  # run events to the log file instead of the terminal
            run_config["loggers"] = {"file": {"config": {"path": str(log_file), "log_level": "DEBUG"}}}
        _release_dead_runs(instance, say)
        result = job.execute_in_process(run_config=run_config, instance=instance,
                                        tags={**(range_tags(instance, pending) or {}), **_process_tags()},
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
