"""End to end: the bundled samples through the real CLI into a temporary warehouse."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sources" / "samples"


def sandbox_env(root: Path) -> dict:
    """Every path the pipeline writes, inside ``root``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANNUAL_ETL_")}
    return dict(env, DAGSTER_HOME=str(root / "dagster_home"), ANNUAL_ETL_ARCHIVE=str(root / "archive"),
                ANNUAL_ETL_LOG_DIR=str(root / "logs"), ANNUAL_ETL_WAREHOUSE=str(root / "warehouse.duckdb"),
                ANNUAL_ETL_ALERT_LOG=str(root / "logs" / "alerts.jsonl"), ANNUAL_ETL_DATA_DOCS=str(root / "data_docs"),
                ANNUAL_ETL_REPORTS_DIR=str(root / "reports"))


def run_cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    root = tmp_path_factory.mktemp("ingest")
    env = sandbox_env(root)
    first = run_cli(env, "ingest", str(SAMPLES))
    assert first.returncode == 0, first.stdout + first.stderr
    return root, env, first


def query(root: Path, sql: str, params=()):
    con = duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def dx2023_id(root):
    return query(root, "SELECT document_id FROM raw.documents WHERE file_name = 'dx-2023-plan.txt'")[0][0]


def test_summary_is_short_and_keeps_dagster_chatter_out(sandbox):
    _, _, first = sandbox
    assert "documents parsed   7" in first.stdout
    assert "STEP_START" not in first.stdout + first.stderr
    assert "checks passed" in first.stdout and "Data Docs:" in first.stdout
    assert len(first.stdout.splitlines()) < 30
    root, _, _ = sandbox
    assert (root / "data_docs" / "index.html").exists() and (root / "reports" / "110115.html").exists()


def test_daxing_2023_document_metadata(sandbox):
    root, _, _ = sandbox
    rows = query(root, "SELECT region, region_code, doc_type, actual_year, plan_year, published_on::VARCHAR"
                       " FROM core.documents WHERE document_id = ?", [dx2023_id(root)])
    assert rows == [("北京市大兴区", "110115", "plan_report", 2023, 2024, "2024-02-02")]


def test_daxing_2023_headline_figures(sandbox):
    root, _, _ = sandbox
    facts = query(root, "SELECT indicator_code, year, basis, measure, value, unit, comparator FROM core.indicator_facts"
                        " WHERE document_id = ? AND period = 'FY'", [dx2023_id(root)])
    assert ("industrial_output", 2023, "actual", "value", 84_410_000_000.0, "CNY", "=") in facts
    assert ("industrial_output", 2023, "actual", "growth_pct", -17.7, "percent", "=") in facts
    assert ("industrial_output", 2023, "actual", "rank", 6.0, "rank", "=") in facts
    assert ("gdp", 2024, "target", "growth_pct", 4.5, "percent", "~") in facts
    assert ("unemployment_rate", 2024, "target", "value", 4.0, "percent", "<=") in facts


def test_every_fact_points_at_its_raw_text(sandbox):
    root, _, _ = sandbox
    total, mismatched = query(root, """
        SELECT count(*), count(*) FILTER (WHERE substr(t.text, f.char_start + 1, f.char_end - f.char_start) <> f.raw_text)
        FROM core.indicator_facts f JOIN core.document_texts t USING (document_id)""")[0]
    assert total > 100 and mismatched == 0


def test_marts_hold_real_year_over_year_rows(sandbox):
    root, _, _ = sandbox
    rows = query(root, "SELECT prev_year, reported_growth_pct FROM marts.indicator_yoy"
                       " WHERE region = '北京市大兴区' AND indicator_code = 'industrial_output' AND year = 2023")
    assert rows and rows[0][1] == -17.7


TABLES = ("raw.documents", "raw.document_texts", "core.documents", "core.document_texts", "core.indicator_facts",
          "quality.quarantine", "marts.indicator_yoy", "marts.plan_vs_actual")


def checksums(root: Path) -> dict:
    """Row count and an order-independent hash of every row, per table (names from the list above)."""
    return {table: query(root, f"SELECT count(*), sum(hash(t)) FROM {table} t")[0] for table in TABLES}


def test_second_ingest_changes_no_row(sandbox):
    root, env, _ = sandbox
    before = checksums(root)
    second = run_cli(env, "ingest", str(SAMPLES))
    assert second.returncode == 0, second.stderr
    assert "nothing to do" in second.stdout
    assert checksums(root) == before


def test_changed_bytes_replace_the_old_version_of_a_document(tmp_path):
    env = sandbox_env(tmp_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    report = inbox / "dx-2023-plan.txt"
    shutil.copy(SAMPLES / "dx-2023-plan.txt", report)
    assert run_cli(env, "ingest", str(inbox)).returncode == 0
    old = query(tmp_path, "SELECT document_id FROM core.documents")[0][0]
    report.write_text(report.read_text(encoding="utf-8").replace("844.1亿元", "844.2亿元"), encoding="utf-8")
    assert run_cli(env, "ingest", str(inbox)).returncode == 0
    (new,) = [r[0] for r in query(tmp_path, "SELECT document_id FROM core.documents")]
    assert new != old
    assert query(tmp_path, "SELECT count(*) FROM core.indicator_facts WHERE document_id = ?", [old]) == [(0,)]
    assert query(tmp_path, "SELECT value FROM core.indicator_facts WHERE document_id = ? AND raw_text = '844.2亿元'",
                 [new]) == [(84_420_000_000.0,)]
    assert query(tmp_path, "SELECT superseded_by FROM raw.documents WHERE document_id = ?", [old]) == [(new,)]
