"""The local Dagster instance as the command line uses it: fast bookkeeping, dead runs released.

Runs executed in process by `annual-etl ingest` carry their process id; a later command frees the
pool slot of a run whose process is gone, so one killed ingest cannot block every later one.
"""

from __future__ import annotations

import os
import socket
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def sqlite_without_fsync(home: Path) -> Iterator[None]:
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


def process_tags() -> dict[str, str]:
    tags = {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}
    started = _process_start(os.getpid())
    if started:
        tags[PROCESS_START_TAG] = started
    return tags


def release_dead_runs(instance, say: Callable[[str], None]) -> None:
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


def _batched_storage_class():
    """SQLite event log storage that writes a batch of materialisations in one transaction each.

    Defined on first use: it subclasses a Dagster class, and importing Dagster takes seconds.
    """
    global _BatchedStorage
    if _BatchedStorage is not None:
        return _BatchedStorage
    from dagster import DagsterEventType
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
    from dagster._core.storage.sqlalchemy_compat import db_result

    class BatchedSqliteEventLogStorage(SqliteEventLogStorage):
        """Dagster's SQLite event log, plus ``store_event_batch`` in one transaction per shard.

        A run over N documents materialises each per-document asset once per partition: N events
        that Dagster hands over as one batch when DAGSTER_EVENT_BATCH_SIZE is set. The stock
        SQLite storage stores them one by one, each on a new engine and connection with its own
        commit (about 14 ms each, 28 s of a 1,000-document ingest); here the run shard gets one
        transaction and the cross-run index shard another. Rows are the same as ``store_event``'s.
        """

        def store_event_batch(self, events) -> None:
            if (len(events) < 2 or len({e.run_id for e in events}) != 1
                    or not all(e.is_dagster_event and e.dagster_event_type == DagsterEventType.ASSET_MATERIALIZATION
                               and e.dagster_event.asset_key for e in events)):
                return super().store_event_batch(events)
            statements = [self.prepare_insert_event(e) for e in events]
            with self.run_connection(events[0].run_id) as conn:
                for statement in statements:
                    conn.execute(statement)
            with self.index_transaction() as conn:
                ids = []
                for statement in statements:
                    with db_result(conn, statement) as result:
                        ids.append(result.inserted_primary_key[0])
                self._store_asset_event_tags(conn, events, ids)
                for event, event_id in zip(events, ids):
                    self._store_asset_event(conn, event, event_id)

    BatchedSqliteEventLogStorage.__qualname__ = "BatchedSqliteEventLogStorage"
    _BatchedStorage = BatchedSqliteEventLogStorage
    return _BatchedStorage


_BatchedStorage = None


def __getattr__(name: str):
    """``pipelines.instance.BatchedSqliteEventLogStorage``, built on first use."""
    if name == "BatchedSqliteEventLogStorage":
        return _batched_storage_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def batch_event_writes(instance) -> bool:
    """Make this process's instance write a step's batch of materialisations in one transaction.

    Only Dagster's own SQLite event log is upgraded, in this process and in place (same files,
    same tables, same rows; the subclass adds one method and no state), so the instance's layout
    and what the daemon and the UI read stay exactly Dagster's. Returns whether it applied.
    """
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

    storage = instance.event_log_storage
    if type(storage) is not SqliteEventLogStorage:
        return isinstance(storage, _batched_storage_class())
    storage.__class__ = _batched_storage_class()
    os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", "10000")
    return True
