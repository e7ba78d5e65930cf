"""check_failure_alerts on a persistent SQLite instance, as the daemon runs it.

The default instance (what DAGSTER_HOME gets without a storage section) keeps one event-log
file per run; the old sensor asked it for events across runs after a cursor, which it refuses,
so every tick after the first raised. These tests use such an instance in a temporary
DAGSTER_HOME and a cursor, and look for the alert in the warehouse and the alert log.
"""

from __future__ import annotations

import json

import duckdb
import pytest
from dagster import (AssetCheckResult, AssetCheckSeverity, DagsterInstance, Definitions, asset, asset_check,
                     build_sensor_context, materialize)
from dagster._core.instance.ref import InstanceRef

from pipelines.sensors.alerts import CURSOR_PREFIX, check_failure_alerts
from pipelines.warehouse import WarehouseResource, connect, ensure_schema


@pytest.fixture
def instance(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    with DagsterInstance.from_ref(InstanceRef.from_dir(str(home))) as inst:
        yield inst


@pytest.fixture
def warehouse(tmp_path, monkeypatch):
    path = tmp_path / "w.duckdb"
    with connect(path) as con:
        ensure_schema(con)
    monkeypatch.setenv("ANNUAL_ETL_ALERT_LOG", str(tmp_path / "alerts.jsonl"))
    monkeypatch.delenv("ANNUAL_ETL_ALERT_WEBHOOK", raising=False)
    return path


def _defs(odd: dict):
    @asset
    def thing():
        return 1

    @asset_check(asset=thing)
    def thing_is_fine():
        return AssetCheckResult(passed=False, severity=AssetCheckSeverity.WARN,
                                description=f"{odd['n']} figures look odd", metadata={"odd": odd["n"]})

    @asset_check(asset=thing)
    def thing_is_whole():
        return AssetCheckResult(passed=True)

    return Definitions(assets=[thing], asset_checks=[thing_is_fine, thing_is_whole])


def _tick(instance, defs, warehouse, cursor=None):
    context = build_sensor_context(instance=instance, cursor=cursor, definitions=defs,
                                   resources={"warehouse": WarehouseResource(path=str(warehouse))})
    return check_failure_alerts(context)


def _alerts(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT check_name, severity, message FROM quality.alerts ORDER BY created_at").fetchall()
    finally:
        con.close()


def _materialize(instance, defs):
    result = materialize([defs.resolve_assets_def("thing"), *defs.asset_checks], instance=instance,
                         raise_on_error=False)
    assert result.success  # a WARN failure does not fail the run
    return result


def test_instance_is_the_run_sharded_sqlite_one_that_refused_the_old_query(instance):
    from dagster import DagsterEventType, EventRecordsFilter

    assert instance.event_log_storage.is_run_sharded
    with pytest.raises(Exception, match="run-sharded"):  # the old sensor's query, on a tick with a cursor
        instance.event_log_storage.get_event_records(
            EventRecordsFilter(event_type=DagsterEventType.ASSET_CHECK_EVALUATION, after_cursor=1))


def test_ticks_with_a_cursor_deliver_each_new_warn_failure(instance, warehouse, tmp_path):
    odd = {"n": 3}
    defs = _defs(odd)
    _materialize(instance, defs)
    first = _tick(instance, defs, warehouse)
    assert "raised 1 alerts" in first.skip_reason.skip_message and first.cursor.startswith(CURSOR_PREFIX)

    quiet = _tick(instance, defs, warehouse, cursor=first.cursor)  # nothing new since
    assert "no new asset-check evaluations" in quiet.skip_message

    odd["n"] = 5  # another run finds something else: a new alert, found through the cursor
    run = _materialize(instance, defs)
    second = _tick(instance, defs, warehouse, cursor=first.cursor)
    assert "raised 1 alerts" in second.skip_reason.skip_message
    assert int(second.cursor.removeprefix(CURSOR_PREFIX)) > int(first.cursor.removeprefix(CURSOR_PREFIX))

    rows = _alerts(warehouse)
    assert [(c, s) for c, s, _ in rows] == [("thing:thing_is_fine", "warn")] * 2
    assert "3 figures look odd" in rows[0][2] and "5 figures look odd" in rows[1][2] and run.run_id in rows[1][2]
    logged = [json.loads(line) for line in (tmp_path / "alerts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [entry["details"]["metadata"]["odd"] for entry in logged] == ["3", "5"]


def test_a_cursor_of_the_old_format_reads_again_without_raising_twice(instance, warehouse):
    defs = _defs({"n": 3})
    _materialize(instance, defs)
    _tick(instance, defs, warehouse)
    again = _tick(instance, defs, warehouse, cursor="1")  # what the old sensor stored
    assert "raised 0 alerts" in again.skip_reason.skip_message
    assert len(_alerts(warehouse)) == 1
