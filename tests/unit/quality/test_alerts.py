from __future__ import annotations

import json

import duckdb
import pytest

from pipelines.quality import alerts as al
from pipelines.quality.rules import screen
from tests.unit.quality.warehouse_fixture import create_schema, load_planted
from tests.unit.quality.webhook import Receiver


@pytest.fixture
def con():
    c = duckdb.connect()
    create_schema(c)
    yield c
    c.close()


def test_quarantine_alerts_name_document_figure_sentence_and_check(con, planted):
    load_planted(con, planted, screen(planted.result, planted.context))
    alerts = al.alerts_for_quarantine(con, [planted.document_id])
    assert sorted(a.figure for a in alerts) == sorted(planted.bad_raw_texts)
    for a in alerts:
        assert a.document_id == planted.document_id
        assert "大兴区2024年计划执行情况" in a.message  # the document, by title
        assert a.figure in a.message and a.check_name in a.message
        assert a.sentence and a.sentence[:10] in a.message
        assert a.severity == "error"
    assert al.alerts_for_quarantine(con, ["someone-else"]) == []
    assert len(al.alerts_for_quarantine(con, None)) == len(alerts)


def test_alert_ids_are_deterministic(con, planted):
    load_planted(con, planted, screen(planted.result, planted.context))
    first = [a.alert_id for a in al.alerts_for_quarantine(con, [planted.document_id])]
    second = [a.alert_id for a in al.alerts_for_quarantine(con, [planted.document_id])]
    assert first == second and len(set(first)) == len(first)


def test_dispatch_writes_table_log_and_webhook_once(con, planted, tmp_path):
    load_planted(con, planted, screen(planted.result, planted.context))
    alerts = al.alerts_for_quarantine(con, [planted.document_id])
    log = tmp_path / "logs" / "alerts.jsonl"
    with Receiver() as hook:
        sent = al.dispatch(con, alerts, log_path=log, webhook_url=hook.url)
        again = al.dispatch(con, al.alerts_for_quarantine(con, [planted.document_id]),
                            log_path=log, webhook_url=hook.url)
    assert len(sent) == len(alerts) == 4 and again == []
    assert len(hook.received) == 4
    assert {r["figure"] for r in hook.received} == set(planted.bad_raw_texts)
    lines = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    assert [x["alert_id"] for x in lines] == [a.alert_id for a in alerts]
    rows = con.execute("SELECT alert_id, severity, delivered_to FROM quality.alerts").fetchall()
    assert len(rows) == 4
    for _id, severity, delivered_to in rows:
        assert severity == "error"
        assert f"log:{log}" in delivered_to
        assert "webhook:http://127.0.0.1" in delivered_to and "HTTP 200" in delivered_to
        assert "secret-token" not in delivered_to  # the path of a webhook can be a secret


def test_webhook_down_does_not_crash_and_is_recorded(con, tmp_path, monkeypatch):
    monkeypatch.setattr(al, "WEBHOOK_BACKOFF_S", 0.01)
    a = al.make_alert(severity="warn", check_name="x", message="m", key=("k",), document_id="d")
    b = al.make_alert(severity="warn", check_name="x", message="m", key=("k2",), document_id="d")
    with Receiver() as hook:  # find a free port, then close it
        url = hook.url
    sent = al.dispatch(con, [a, b], log_path=tmp_path / "a.jsonl", webhook_url=url)
    assert [s.alert_id for s in sent] == [a.alert_id, b.alert_id]
    assert "FAILED" in sent[0].delivered_to and "attempt" in sent[0].delivered_to
    assert "not tried" in sent[1].delivered_to
    stored = dict(con.execute("SELECT alert_id, delivered_to FROM quality.alerts").fetchall())
    assert "FAILED" in stored[a.alert_id]
    assert (tmp_path / "a.jsonl").read_text().count("\n") == 2


def test_webhook_retries_then_gives_up_on_server_errors(monkeypatch):
    monkeypatch.setattr(al, "WEBHOOK_BACKOFF_S", 0.01)
    with Receiver(status=503) as hook:
        ok, what = al.post_json(hook.url, {"a": 1}, backoff=0.01)
    assert not ok and "HTTP 503" in what and len(hook.received) == al.WEBHOOK_ATTEMPTS


def test_webhook_from_environment(con, tmp_path, monkeypatch):
    a = al.make_alert(severity="warn", check_name="x", message="m", key=("env",))
    with Receiver() as hook:
        monkeypatch.setenv(al.WEBHOOK_ENV, hook.url)
        monkeypatch.setenv(al.LOG_ENV, str(tmp_path / "env.jsonl"))
        al.dispatch(con, [a])
    assert len(hook.received) == 1 and (tmp_path / "env.jsonl").exists()


def test_no_webhook_configured_means_log_only(con, tmp_path, monkeypatch):
    monkeypatch.delenv(al.WEBHOOK_ENV, raising=False)
    a = al.make_alert(severity="error", check_name="x", message="m", key=("solo",))
    [sent] = al.dispatch(con, [a], log_path=tmp_path / "solo.jsonl")
    assert sent.delivered_to == f"log:{tmp_path / 'solo.jsonl'}"


def test_dispatch_inside_callers_transaction(con, tmp_path):
    a = al.make_alert(severity="warn", check_name="x", message="m", key=("tx",))
    con.execute("BEGIN TRANSACTION")
    al.dispatch(con, [a], log_path=tmp_path / "tx.jsonl", in_transaction=True)
    con.execute("COMMIT")
    assert con.execute("SELECT count(*) FROM quality.alerts").fetchone()[0] == 1


def _report(rows):
    from pipelines.quality.suites import ExpectationOutcome, SuiteReport

    outcome = ExpectationOutcome(name="year_far_from_document", type="expect_column_values_to_be_between",
                                 column="year_distance", severity="error", success=False,
                                 unexpected_count=len(rows), sample=[180] * len(rows), why="too far", rows=rows)
    return SuiteReport("core.indicator_facts", "core.indicator_facts", 10, outcomes=[outcome])


def test_suite_failures_alert_per_document_with_figure_and_sentence_and_stable_ids():
    a = {"document_id": "docA", "fact_id": "f1", "raw_text": "2204年", "sentence": "到2204年建成。"}
    b = {"document_id": "docB", "fact_id": "f9", "raw_text": "1024年", "sentence": "1024年以来。"}
    first = al.alerts_for_suite_report(_report([a]))
    [alert] = first
    assert alert.document_id == "docA" and alert.figure == "2204年" and alert.sentence == "到2204年建成。"
    assert alert.severity == "error" and "year_far_from_document" in alert.message and "too far" in alert.message
    assert "blocks the marts" in alert.message
    # another document failing the same check later does not re-raise docA's alert
    later = {x.document_id: x.alert_id for x in al.alerts_for_suite_report(_report([a, b]))}
    assert later["docA"] == alert.alert_id and later["docB"] != alert.alert_id


def test_unreadable_table_raises_an_error_alert():
    from pipelines.quality.suites import SuiteReport

    [alert] = al.alerts_for_suite_report(SuiteReport("raw.documents", "raw.documents", 0, error="CatalogException: no"))
    assert alert.severity == "error" and "could not be read" in alert.message
