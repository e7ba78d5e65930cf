"""What `annual-etl ingest` did, recorded in the Dagster instance after it returns.

The command line runs the steps in its own process without Dagster (``pipelines.steps``,
docs/cli.md). So that Dagster's users still see its work, ``request_recording`` writes the run's
documents, each materialised asset's metadata and each check's result to a JSON file in
``DAGSTER_HOME/.annual_etl_cli_runs/`` and starts a detached ``python -m pipelines.instance``.
That process registers the documents as partitions and stores the materialisations and check
evaluations as runless asset events (Dagster's ``report_runless_asset_event``; the per-document
materialisations of a run in one SQLite transaction), tagged with the command's run id. The
asset catalog, its partitions and its checks show them; the runs list does not (there was no
Dagster run). Recorders take turns on a lock and each one records every request left, oldest
first, so one that was killed is caught up by the next.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
import traceback
import uuid
from pathlib import Path

from .settings import REPO_ROOT, dagster_home
from .steps import FilePath, Markdown, RunOutcome

REQUESTS_DIR = ".annual_etl_cli_runs"
PER_DOCUMENT = ("raw_documents", "indicator_facts")  # assets partitioned by document
CLI_RUN_TAG = "annual_etl/cli_run"


def requests_dir(home: Path | None = None) -> Path:
    return (home or dagster_home()) / REQUESTS_DIR


def _encode(values: dict) -> dict:
    return {k: ["md", str(v)] if isinstance(v, Markdown) else ["path", str(v)] if isinstance(v, FilePath)
            else ["value", v] for k, v in values.items()}


def _decode(values: dict) -> dict:
    return {k: Markdown(v) if kind == "md" else FilePath(v) if kind == "path" else v
            for k, (kind, v) in values.items()}


def request_recording(outcome: RunOutcome, offered: list[str], run_documents: list[str], *,
                      spawn: bool = True) -> str:
    """Queue this command's run for the instance and start the recorder; returns the run's id.

    ``offered``: every document of the command (registered as partitions, as the daemon's runs
    would); ``run_documents``: those the run covered (one materialisation each per document asset).
    """
    run_id = uuid.uuid4().hex
    folder = requests_dir()
    folder.mkdir(parents=True, exist_ok=True)
    request = {
        "run_id": run_id, "pid": os.getpid(), "offered": offered, "documents": run_documents,
        "materialized": {name: _encode(meta) for result in outcome.steps.values()
                         for name, meta in result.materialized.items()},
        "checks": [dict(vars(c), metadata=_encode(c.metadata)) for c in outcome.checks],
    }
    partial = folder / f".{run_id}.partial"
    partial.write_text(json.dumps(request, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(partial, folder / f"{time.time_ns()}-{run_id}.json")  # names sort by age
    if spawn:
        with open(folder / "recorder.log", "ab") as out:
            subprocess.Popen([sys.executable, "-m", "pipelines.instance", str(folder)], stdin=subprocess.DEVNULL,
                             stdout=out, stderr=out, start_new_session=True, cwd=str(REPO_ROOT),
                             env=dict(os.environ, DAGSTER_HOME=str(folder.parent), PYTHONPATH=os.pathsep.join(
                                 p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p)))
    return run_id


def _events(request: dict) -> tuple[list, list]:
    """(materialisations, check evaluations) of one request, as Dagster objects."""
    from dagster import AssetCheckEvaluation, AssetCheckSeverity, AssetKey, AssetMaterialization

    from .assets.results import metadata

    tags = {CLI_RUN_TAG: request["run_id"], "annual_etl/pid": str(request["pid"])}
    materializations = []
    for name, values in request["materialized"].items():
        meta = metadata(_decode(values))
        partitions = request["documents"] if name in PER_DOCUMENT else [None]
        materializations += [AssetMaterialization(AssetKey(name), description="annual-etl ingest", metadata=meta,
                                                  partition=key, tags=tags) for key in partitions]
    checks = [AssetCheckEvaluation(AssetKey(c["asset"]), c["name"], c["passed"], metadata(_decode(c["metadata"])),
                                   severity=AssetCheckSeverity.ERROR if c["severity"] == "error"
                                   else AssetCheckSeverity.WARN, description=c["description"])
              for c in request["checks"]]
    return materializations, checks


def _store(instance, materializations: list) -> None:
    """Runless materialisations in one transaction per SQLite shard (one by one elsewhere)."""
    from dagster._core.events import DagsterEvent, DagsterEventType, StepMaterializationData
    from dagster._core.events.log import EventLogEntry
    from dagster._core.instance.utils import RUNLESS_JOB_NAME, RUNLESS_RUN_ID
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

    now = time.time()
    if type(instance.event_log_storage) is not SqliteEventLogStorage:
        for event in materializations:
            instance.report_runless_asset_event(event)
        return
    entries = [EventLogEntry(user_message="", level=20, job_name=RUNLESS_JOB_NAME, run_id=RUNLESS_RUN_ID,
                             error_info=None, timestamp=now, step_key=None,
                             dagster_event=DagsterEvent(DagsterEventType.ASSET_MATERIALIZATION.value,
                                                        job_name=RUNLESS_JOB_NAME,
                                                        event_specific_data=StepMaterializationData(event)))
               for event in materializations]
    if entries:
        store_materializations(instance.event_log_storage, entries)


def store_materializations(storage, entries: list) -> None:
    """Dagster's own SQLite inserts for each event, in one transaction per shard, not one each."""
    from dagster._core.storage.sqlalchemy_compat import db_result

    statements = [storage.prepare_insert_event(e) for e in entries]
    with storage.run_connection(entries[0].run_id) as conn:
        for statement in statements:
            conn.execute(statement)
    with storage.index_transaction() as conn:
        ids = []
        for statement in statements:
            with db_result(conn, statement) as result:
                ids.append(result.inserted_primary_key[0])
        storage._store_asset_event_tags(conn, entries, ids)
        for entry, event_id in zip(entries, ids):
            storage._store_asset_event(conn, entry, event_id)


def record(instance, request: dict) -> None:
    """Register the request's documents, then store its materialisations and check evaluations."""
    from .jobs import register_documents

    register_documents(instance, request["offered"])
    materializations, checks = _events(request)
    _store(instance, materializations)
    for evaluation in checks:
        instance.report_runless_asset_event(evaluation)


def record_pending(folder: Path) -> int:
    """Record every queued request, oldest first (one recorder at a time); returns how many."""
    import resource

    from dagster import DagsterInstance

    started = time.process_time()
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        requests = sorted(folder.glob("*.json"))
        if not requests:
            return 0
        with DagsterInstance.get() as instance:
            for path in requests:
                try:
                    record(instance, json.loads(path.read_text(encoding="utf-8")))
                except Exception:  # kept aside, not retried for ever: later runs still get recorded
                    traceback.print_exc()
                    (folder / "failed").mkdir(exist_ok=True)
                    os.replace(path, folder / "failed" / path.name)
                    print(f"could not record {path.name}; kept in {folder / 'failed'}", flush=True)
                    continue
                path.unlink()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"recorded {len(requests)} run(s) in {time.process_time() - started:.2f} s CPU"
          f" ({usage.ru_utime + usage.ru_stime:.2f} s CPU with start-up)", flush=True)
    return len(requests)


def wait_for_recordings(home: Path | None = None, timeout: float = 120.0) -> bool:
    """Wait until every queued run is recorded (tests, benchmarks); False on timeout."""
    folder = requests_dir(home)
    deadline = time.monotonic() + timeout
    while any(folder.glob("*.json")):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


if __name__ == "__main__":
    record_pending(Path(sys.argv[1]))
