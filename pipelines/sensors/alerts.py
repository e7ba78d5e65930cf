"""Sensors that turn what Dagster saw into alerts (``pipelines.quality.alerts``).

- ``check_failure_alerts`` reads new asset-check executions (the instance's check history) and raises an
  alert for each failed one (WARN failures do not fail a run, so nothing else would tell anyone),
  except the checks that raised their own detailed alerts (metadata ``alerts_raised``).
- ``run_failure_alerts`` raises an alert for each failed run.

Both open the warehouse only when there is something to record, wait briefly for its lock, and
try again on the next tick when it stays busy.
"""


from dagster import (
    AssetCheckKey,
    AssetCheckSeverity,
    DefaultSensorStatus,
    RunFailureSensorContext,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    run_failure_sensor,
    sensor,
)
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from ..assets.quality import ALERTS_RAISED
from ..warehouse import WarehouseBusy, WarehouseResource, connect

LOCK_WAIT_SECONDS = 20.0
BATCH = 500


def _dispatch(warehouse: WarehouseResource, alerts) -> list:
    from ..quality.alerts import dispatch

    with connect(warehouse.resolved_path(), wait_seconds=LOCK_WAIT_SECONDS) as con:
        return dispatch(con, alerts)


def _root_cause(error) -> str:
    """The innermost message of a Dagster error chain (the user's exception, not Dagster's wrapper)."""
    if error is None:
        return "failed"
    while getattr(error, "cause", None) is not None:
        error = error.cause
    return error.message.strip()


def _metadata_value(value):
    return getattr(value, "value", value)


CURSOR_PREFIX = "check-exec:"
MAX_PAGES = 20  # BATCH records a page, per check, per tick; the rest waits for the next tick


def _check_keys(context: SensorEvaluationContext) -> list[AssetCheckKey]:
    """Every asset check of the code location the sensor runs in."""
    repository = context.repository_def
    if repository is None:  # a context built without one: the project's own definitions
        from ..definitions import defs

        return sorted(defs.resolve_asset_graph().asset_check_keys, key=str)
    return sorted(repository.asset_graph.asset_check_keys, key=str)


def _after(cursor: str | None) -> int:
    """The last asset-check execution id handled; 0 for no cursor or one of the old format."""
    if cursor and cursor.startswith(CURSOR_PREFIX) and cursor[len(CURSOR_PREFIX):].isdigit():
        return int(cursor[len(CURSOR_PREFIX):])
    return 0  # re-reading is harmless: dispatch skips alert ids already raised


def _executions_after(storage, key: AssetCheckKey, after: int) -> list:
    """The executions of one check with an id above ``after`` (the history is read newest first)."""
    found, before = [], None
    for _ in range(MAX_PAGES):
        page = storage.get_asset_check_execution_history(key, limit=BATCH, cursor=before)
        fresh = [r for r in page if r.id > after]
        found.extend(fresh)
        if len(page) < BATCH or len(fresh) < len(page):
            break
        before = page[-1].id
    return found


def _run_finished(instance, run_id: str, cache: dict[str, bool]) -> bool:
    if run_id not in cache:
        run = instance.get_run_by_id(run_id)
        cache[run_id] = run is None or run.is_finished
    return cache[run_id]


@sensor(
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.RUNNING,
    description="Raises an alert for each failed asset check (WARN failures do not fail runs) that did not "
                "raise its own.",
)
def check_failure_alerts(context: SensorEvaluationContext, warehouse: WarehouseResource):
    """Reads the asset-check executions table, which every instance keeps across runs.

    The generic event query with a cursor is refused by the default SQLite instance (its event
    log is sharded per run), so the sensor failed on every tick after its first. The execution
    history has one id sequence for the whole instance; the cursor is the highest id below
    which every execution has finished (a check planned in a running run is read again later).
    """
    from ..quality.alerts import alert_for_check_failure

    after = _after(context.cursor)
    storage = context.instance.event_log_storage
    records = sorted((r for key in _check_keys(context) for r in _executions_after(storage, key, after)),
                     key=lambda r: r.id)
    if not records:
        return SkipReason("no new asset-check evaluations")
    finished: dict[str, bool] = {}
    waiting = [r.id for r in records if r.status == AssetCheckExecutionRecordStatus.PLANNED
               and not _run_finished(context.instance, r.run_id, finished)]
    cursor = CURSOR_PREFIX + str(min(waiting) - 1 if waiting else records[-1].id)
    alerts = []
    for record in records:
        if record.status != AssetCheckExecutionRecordStatus.FAILED or record.event is None:
            continue
        event = record.event.dagster_event
        evaluation = event.event_specific_data if event else None
        if evaluation is None or evaluation.passed:
            continue
        metadata = {k: _metadata_value(v) for k, v in (evaluation.metadata or {}).items()}
        if ALERTS_RAISED in metadata:
            continue  # the check dispatched its own, more detailed alerts
        alerts.append(alert_for_check_failure(
            asset=evaluation.asset_key.to_user_string(),
            check_name=evaluation.check_name,
            severity="warn" if evaluation.severity == AssetCheckSeverity.WARN else "error",
            description=evaluation.description,
            metadata={k: v for k, v in metadata.items() if isinstance(v, (str, int, float, bool))},
            run_id=record.run_id,
            partition=getattr(evaluation, "partition", None) or record.partition,
        ))
    if not alerts:
        return SensorResult(cursor=cursor, skip_reason="no failed checks without alerts")
    try:
        raised = _dispatch(warehouse, alerts)
    except WarehouseBusy as busy:  # keep the cursor: the same evaluations are read again next tick
        return SkipReason(f"warehouse busy, alerts postponed: {busy}")
    context.log.info(f"raised {len(raised)} alerts for {len(alerts)} failed checks")
    return SensorResult(cursor=cursor, skip_reason=f"raised {len(raised)} alerts")


@run_failure_sensor(
    name="run_failure_alerts",
    default_status=DefaultSensorStatus.RUNNING,
    description="Raises an alert for each failed run.",
)
def run_failure_alerts(context: RunFailureSensorContext, warehouse: WarehouseResource):
    from ..quality.alerts import alert_for_run_failure

    run = context.dagster_run
    steps = {}
    for event in context.get_step_failure_events():
        error = event.step_failure_data.error if event.step_failure_data else None
        steps[event.step_key or "?"] = _root_cause(error)[:300]
    start, end = run.tags.get(ASSET_PARTITION_RANGE_START_TAG), run.tags.get(ASSET_PARTITION_RANGE_END_TAG)
    documents = (f"{start}…{end}" if start != end else start) if start else run.tags.get("dagster/partition")
    alert = alert_for_run_failure(run_id=run.run_id, job_name=run.job_name,
                                  error=context.failure_event.message, failed_steps=steps, documents=documents)
    # WarehouseBusy propagates: the sensor's tick fails and the run is reported on a later tick
    _dispatch(warehouse, [alert])


ALERT_SENSORS = [check_failure_alerts, run_failure_alerts]
