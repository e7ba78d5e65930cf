"""Quality end to end: the real Dagster job (pipelines.definitions) on a private warehouse.

- a report with planted malformed figures: each is quarantined and alerted, core keeps the good ones;
- an ERROR check that fails blocks the marts of that run;
- WARN failures (cross-document findings) reach the alert log and the webhook, the run succeeds;
- the alert sensors turn failed checks and failed runs into alerts; a webhook that is down is recorded.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests.unit.quality.planted import PLANTED_MALFORMED, PLANTED_NEGATIVE, PLANTED_RATE, REAL
from tests.unit.quality.webhook import Receiver

pytestmark = pytest.mark.slow

PLANTED_REPORT = (
    "北京市大兴区2024年国民经济和社会发展计划执行情况\n"
    "一、2024年主要指标完成情况\n"
    + REAL + PLANTED_MALFORMED + PLANTED_RATE + PLANTED_NEGATIVE
    + "地区生产总值完成1234.5亿元,增长5.2%。\n"
)
PLANTED_BAD = {"84.4.1亿元", "%", "314%", "12.5亿元"}  # as the extractor delimits them
GOOD = {"844.1亿元", "1234.5亿元", "5.2%", "17.7%"}

# Three reports about one district: consecutive levels whose stated growth disagrees with the
# computed one (retail: an alarm; GDP: comparable prices, recorded only), and two documents about
# 2023 that give different retail sales (a conflict).
HUAIROU = {
    "hr-2023-plan.txt": "北京市怀柔区2023年国民经济和社会发展计划执行情况\n一、2023年主要指标完成情况\n"
                        "2023年,全区地区生产总值完成400亿元,增长5.0%。社会消费品零售额完成100亿元,增长4.0%。\n",
    "hr-2024-plan.txt": "北京市怀柔区2024年国民经济和社会发展计划执行情况\n一、2024年主要指标完成情况\n"
                        "2024年,全区地区生产总值完成440亿元,增长5.2%。社会消费品零售额完成120亿元,增长5.0%。\n",
    "hr-2023-bulletin.txt": "北京市怀柔区2023年国民经济和社会发展统计公报\n"
                            "2023年,全区社会消费品零售额完成101亿元,增长4.0%。\n",
}


class Env:
    def __init__(self, root: Path, monkeypatch):
        self.root = root
        self.warehouse = root / "wh" / "annual.duckdb"
        self.archive = root / "archive"
        self.alert_log = root / "logs" / "alerts.jsonl"
        self.docs = root / "data_docs"
        self.sources = root / "sources"
        home = root / "dagster_home"
        for folder in (home, self.sources, root / "logs"):
            folder.mkdir(parents=True, exist_ok=True)
        (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
        for name, value in {"DAGSTER_HOME": home, "ANNUAL_ETL_WAREHOUSE": self.warehouse,
                            "ANNUAL_ETL_ARCHIVE": self.archive, "ANNUAL_ETL_LOG_DIR": root / "logs",
                            "ANNUAL_ETL_ALERT_LOG": self.alert_log, "ANNUAL_ETL_DATA_DOCS": self.docs}.items():
            monkeypatch.setenv(name, str(value))
        monkeypatch.delenv("ANNUAL_ETL_ALERT_WEBHOOK", raising=False)

    def write(self, name: str, text: str) -> Path:
        path = self.sources / name
        path.write_text(text, encoding="utf-8")
        return path

    def ingest(self, *paths: Path):
        from pipelines.ingest import run_ingest

        return run_ingest(list(paths), warehouse=self.warehouse, archive=self.archive)

    def run_job(self):
        """The ingest job again over every known document (what the schedule does)."""
        from dagster import DagsterInstance

        from pipelines.definitions import defs
        from pipelines.instance import wait_for_recordings
        from pipelines.jobs import all_documents_tags

        assert wait_for_recordings()  # the command line's documents are partitions once recorded
        instance = DagsterInstance.get()
        config = {"resources": {"warehouse": {"config": {"path": str(self.warehouse)}},
                                "archive": {"config": {"path": str(self.archive)}}}}
        return defs.resolve_job_def("ingest_reports").execute_in_process(
            run_config=config, instance=instance, tags=all_documents_tags(instance), raise_on_error=False)

    def rows(self, sql: str, params=None) -> list[tuple]:
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def alert_lines(self) -> list[dict]:
        if not self.alert_log.exists():
            return []
        return [json.loads(line) for line in self.alert_log.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def env(tmp_path, monkeypatch):
    return Env(tmp_path, monkeypatch)


def test_planted_malformed_figures_are_quarantined_alerted_and_kept_out_of_core(env, monkeypatch):
    from pipelines.quality.suites import data_docs_summary

    with Receiver() as hook:
        monkeypatch.setenv("ANNUAL_ETL_ALERT_WEBHOOK", hook.url)
        summary = env.ingest(env.write("dx-2024-planted.txt", PLANTED_REPORT))
    assert summary.succeeded, summary.error
    assert "core_contract" not in " ".join(summary.checks_failed)
    assert "quarantine_alerts (warn)" in summary.checks_failed

    quarantined = {r[0]: r[1] for r in env.rows("SELECT raw_text, check_name FROM quality.quarantine")}
    assert PLANTED_BAD <= set(quarantined)
    assert quarantined["84.4.1亿元"] == "malformed_number"
    assert quarantined["314%"] == "rate_out_of_range"
    assert quarantined["12.5亿元"] == "negative_level"

    core = {r[0] for r in env.rows("SELECT raw_text FROM core.indicator_facts")}
    assert GOOD <= core and not (PLANTED_BAD & core)

    # one alert per quarantined figure: in the table, the log and the webhook
    alerts = env.rows("SELECT check_name, message, delivered_to FROM quality.alerts WHERE check_name IN "
                      "('malformed_number', 'missing_number', 'rate_out_of_range', 'negative_level')")
    assert len(alerts) == len(quarantined)
    for check, message, delivered in alerts:
        assert "dx-2024" in message or "大兴区" in message
        assert "log:" in delivered and "webhook:http://127.0.0.1" in delivered and "HTTP 200" in delivered
    figures = {line["figure"] for line in env.alert_lines()}
    assert PLANTED_BAD <= figures
    assert PLANTED_BAD <= {payload["figure"] for payload in hook.received}

    # the marts were built (no ERROR check failed), the Data Docs too
    assert env.rows("SELECT count(*) FROM marts.latest_indicators")[0][0] > 0
    passed, failed, index = data_docs_summary()
    assert passed > 0 and index is not None and index.exists() and index.is_relative_to(env.docs)

    # running the same data again raises nothing new
    before = env.rows("SELECT count(*) FROM quality.alerts")[0][0]
    result = env.run_job()
    assert result.success
    assert env.rows("SELECT count(*) FROM quality.alerts")[0][0] == before
    assert len(env.alert_lines()) == before


def _plant_contract_breaking_fact(env) -> None:
    """A fact that breaks the contract reaches core behind the screening's back."""
    con = duckdb.connect(str(env.warehouse))
    try:
        con.execute("""
            INSERT INTO core.indicator_facts (fact_id, document_id, region, indicator_code, indicator_label, year,
                period, basis, measure, value, unit, comparator, raw_text, char_start, char_end, sentence)
            SELECT 'bad0000000000001', document_id, region, 'gdp', '地区生产总值', 2030, 'FY', 'actual', 'value',
                   7.0, 'person', '=', raw_text, char_start, char_end, sentence
            FROM core.indicator_facts WHERE raw_text = '1234.5亿元'""")
    finally:
        con.close()


def test_a_failing_error_check_keeps_the_marts_from_updating(env):
    from dagster import AssetKey

    summary = env.ingest(env.write("dx-2024-planted.txt", PLANTED_REPORT))
    assert summary.succeeded, summary.error
    marts_before = env.rows("SELECT * FROM marts.latest_indicators ORDER BY ALL")

    _plant_contract_breaking_fact(env)
    result = env.run_job()
    assert not result.success
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert evaluations["core_contract"].passed is False
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert not materialized & {AssetKey(n) for n in
                               ("indicator_yoy", "plan_vs_actual", "indicator_revisions", "latest_indicators",
                                "cross_document_checks")}
    assert env.rows("SELECT * FROM marts.latest_indicators ORDER BY ALL") == marts_before
    assert not env.rows("SELECT * FROM marts.latest_indicators WHERE year = 2030")

    [(severity, message)] = env.rows(
        "SELECT severity, message FROM quality.alerts WHERE check_name = 'core.indicator_facts:unit_fits_indicator'")
    assert severity == "error" and "gdp:person" in message and "blocks the marts" in message


def test_a_failing_error_check_keeps_the_marts_from_updating_on_the_command_line_too(env):
    """The command line runs the steps without Dagster: the same ERROR check stops it before the marts."""
    report = env.write("dx-2024-planted.txt", PLANTED_REPORT)
    assert env.ingest(report).succeeded
    marts_before = env.rows("SELECT * FROM marts.latest_indicators ORDER BY ALL")
    cross_before = env.rows("SELECT count(*) FROM quality.cross_document_findings")

    _plant_contract_breaking_fact(env)  # core changed, so the marts are stale: the re-run has work
    summary = env.ingest(report)
    assert summary.ran and not summary.succeeded
    assert "core_contract (error)" in summary.checks_failed
    assert "core_contract" in summary.error and "marts were not rebuilt" in summary.error
    assert env.rows("SELECT * FROM marts.latest_indicators ORDER BY ALL") == marts_before
    assert not env.rows("SELECT * FROM marts.latest_indicators WHERE year = 2030")
    assert env.rows("SELECT count(*) FROM quality.cross_document_findings") == cross_before
    [(severity,)] = env.rows(
        "SELECT severity FROM quality.alerts WHERE check_name = 'core.indicator_facts:unit_fits_indicator'")
    assert severity == "error"


def test_warn_failures_reach_the_alert_log_and_webhook_and_the_run_succeeds(env, monkeypatch):
    paths = [env.write(name, text) for name, text in HUAIROU.items()]
    with Receiver() as hook:
        monkeypatch.setenv("ANNUAL_ETL_ALERT_WEBHOOK", hook.url)
        summary = env.ingest(*paths)
    assert summary.succeeded, summary.error
    assert {"growth_consistency (warn)", "figures_agree (warn)"} <= set(summary.checks_failed)

    findings = env.rows("SELECT kind, indicator_code, alarm, price_basis, document_a, document_b "
                        "FROM quality.cross_document_findings ORDER BY kind, indicator_code")
    by = {(k, code): (alarm, basis, a, b) for k, code, alarm, basis, a, b in findings}
    assert by[("growth_gap", "gdp")][:2] == (False, "comparable_prices")  # recorded, no false alarm
    assert by[("growth_gap", "retail_sales")][:2] == (True, "nominal")
    alarm, _basis, doc_a, doc_b = by[("conflict", "retail_sales")]
    assert alarm and doc_a and doc_b and doc_a != doc_b  # names both sources

    sent = {p["check_name"] for p in hook.received}
    assert {"cross_document:growth_gap", "cross_document:conflict"} <= sent
    logged = [line for line in env.alert_lines() if line["check_name"].startswith("cross_document:")]
    assert {line["details"]["indicator_code"] for line in logged} == {"retail_sales"}  # not gdp
    conflict = next(line for line in logged if line["check_name"] == "cross_document:conflict")
    assert doc_a in conflict["message"] and doc_b in conflict["message"]
    assert "101亿元" in conflict["message"] and "100亿元" in conflict["message"]


# ---------------------------------------------------------------- sensors


def _tiny_defs(warehouse: Path):
    from dagster import AssetCheckResult, AssetCheckSeverity, Definitions, asset, asset_check

    from pipelines.warehouse import WarehouseResource

    @asset
    def thing():
        return 1

    @asset_check(asset=thing)
    def thing_is_fine():
        return AssetCheckResult(passed=False, severity=AssetCheckSeverity.WARN,
                                description="3 figures look odd", metadata={"odd": 3})

    @asset
    def broken():
        raise RuntimeError("the archive is unreadable")

    return Definitions(assets=[thing, broken], asset_checks=[thing_is_fine],
                       resources={"warehouse": WarehouseResource(path=str(warehouse))})


def _bare_warehouse(path: Path) -> None:
    from pipelines.warehouse import connect, ensure_schema

    with connect(path) as con:
        ensure_schema(con)


def test_check_failure_sensor_reports_warn_failures_once(env, monkeypatch):
    from dagster import DagsterInstance, build_sensor_context, materialize

    from pipelines.sensors.alerts import check_failure_alerts
    from pipelines.warehouse import WarehouseResource

    _bare_warehouse(env.warehouse)
    defs = _tiny_defs(env.warehouse)
    with DagsterInstance.ephemeral() as instance:
        result = materialize([defs.resolve_assets_def("thing"), *defs.asset_checks],
                             instance=instance, raise_on_error=False)
        assert result.success  # a WARN failure does not fail the run
        resources = {"warehouse": WarehouseResource(path=str(env.warehouse))}
        with Receiver() as hook:
            monkeypatch.setenv("ANNUAL_ETL_ALERT_WEBHOOK", hook.url)
            tick = check_failure_alerts(build_sensor_context(instance=instance, resources=resources,
                                                             definitions=defs))
            again = check_failure_alerts(build_sensor_context(instance=instance, resources=resources,
                                                              definitions=defs))
            rerun = materialize([defs.resolve_assets_def("thing"), *defs.asset_checks], instance=instance)
            assert rerun.success
            after_rerun = check_failure_alerts(build_sensor_context(instance=instance, resources=resources,
                                                                    cursor=tick.cursor, definitions=defs))
    assert tick.cursor and "raised 1 alerts" in (tick.skip_reason.skip_message or "")
    assert again.skip_reason.skip_message.startswith("raised 0")  # same evaluation, no cursor: deduplicated
    assert "raised 0" in after_rerun.skip_reason.skip_message  # same data failing the same way: same alert id
    [(check, severity, message)] = env.rows("SELECT check_name, severity, message FROM quality.alerts")
    assert check == "thing:thing_is_fine" and severity == "warn" and "3 figures look odd" in message
    assert len(hook.received) == 1 and hook.received[0]["severity"] == "warn"
    assert len(env.alert_lines()) == 1


def test_run_failure_sensor_reports_the_failed_run_and_survives_a_dead_webhook(env, monkeypatch):
    from dagster import DagsterEventType, DagsterInstance, build_run_status_sensor_context, materialize

    from pipelines.quality import alerts as al
    from pipelines.sensors.alerts import run_failure_alerts
    from pipelines.warehouse import WarehouseResource

    monkeypatch.setattr(al, "WEBHOOK_BACKOFF_S", 0.01)
    _bare_warehouse(env.warehouse)
    defs = _tiny_defs(env.warehouse)
    with Receiver() as hook:  # take a free port, then close it: the webhook is down
        dead = hook.url
    monkeypatch.setenv("ANNUAL_ETL_ALERT_WEBHOOK", dead)
    with DagsterInstance.ephemeral() as instance:
        result = materialize([defs.resolve_assets_def("broken")], instance=instance, raise_on_error=False)
        assert not result.success
        failure = next(e for e in result.all_events if e.event_type == DagsterEventType.PIPELINE_FAILURE)
        context = build_run_status_sensor_context(
            sensor_name="run_failure_alerts", dagster_event=failure, dagster_instance=instance,
            dagster_run=result.dagster_run, resources={"warehouse": WarehouseResource(path=str(env.warehouse))},
        ).for_run_failure()
        run_failure_alerts(context)
    [(check, severity, message, delivered)] = env.rows(
        "SELECT check_name, severity, message, delivered_to FROM quality.alerts")
    assert check.startswith("run_failure:") and severity == "error"
    assert result.run_id in message and "the archive is unreadable" in message
    assert "FAILED" in delivered and "log:" in delivered
