"""Sensors that turn what Dagster saw into alerts (``pipelines.quality.alerts``).

- ``check_failure_alerts`` reads new asset-check evaluations from the event log and raises an
  alert for each failed one (WARN failures do not fail a run, so nothing else would tell anyone),
  except the checks that raised their own detailed alerts (metadata ``alerts_raised``).
- ``run_failure_alerts`` raises an alert for each failed run.

Both open the warehouse only when there is something to record, wait briefly for its lock, and
try again on the next tick when it stays busy.
"""


from dagster import (
    AssetCheckSeverity,
    DagsterEventType,
    DefaultSensorStatus,
    EventRecordsFilter,
    RunFailureSensorContext,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    run_failure_sensor,
    sensor,
)
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


@sensor(
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.RUNNING,
    description="Raises an alert for each failed asset check (WARN failures do not fail runs) that did not "
                "raise its own.",
)
def check_failure_alerts(context: SensorEvaluationContext, warehouse: WarehouseResource):
    from ..quality.alerts import alert_for_check_failure

    after = int(context.cursor) if context.cursor else None
    records = context.instance.event_log_storage.get_event_records(
        EventRecordsFilter(event_type=DagsterEventType.ASSET_CHECK_EVALUATION, after_cursor=after),
        limit=BATCH, ascending=True,
    )
    if not records:
        return SkipReason("no new asset-check evaluations")
    alerts = []
    for record in records:
        event = record.event_log_entry.dagster_event
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
            run_id=record.event_log_entry.run_id,
            partition=getattr(evaluation, "partition", None),
        ))
    cursor = str(records[-1].storage_id)
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
