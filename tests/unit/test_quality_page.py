"""The offline quality page: last check run, held-back figures with their sentences, alerts."""

from __future__ import annotations

import json
import re
from datetime import datetime

import duckdb
import pytest

from pipelines import report
from pipelines.quality_page import render_quality_html
from tests.unit.test_marts import make_warehouse

SENTENCE = "规模以上工业总产值完成84.4.1亿元,同比下降17.7%。"


def plant_findings(path, docs):
    """A warehouse with one quarantined figure and one alert, and a summary.json with a failure."""
    make_warehouse(path)
    con = duckdb.connect(str(path))
    try:
        con.execute("INSERT INTO quality.quarantine (document_id, raw_text, sentence, char_start, char_end,"
                    " check_name, reason, severity, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    ["doc0000000000001", "84.4.1亿元", SENTENCE, 10, 18, "malformed_number",
                     "two decimal points", "error", datetime(2026, 1, 2, 3, 4, 5)])
        con.execute("INSERT INTO quality.alerts VALUES (?, ?, ?, ?, ?, ?, ?)",
                    ["a1", datetime(2026, 1, 2, 3, 4, 6), "warn", "cross_document:conflict", None,
                     "Two documents give different retail sales <2023>.", "log:/x/alerts.jsonl; webhook:https://h (HTTP 200)"])
    finally:
        con.close()
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "summary.json").write_text(json.dumps({
        "built_at": "2026-01-02T03:04:07+00:00", "passed": 40, "failed": 1, "failed_error": 0, "failed_warn": 1,
        "index": str(docs / "index.html"),
        "tables": {"core.indicator_facts": {"rows": 12, "passed": 30, "error": None, "failed": [
            {"name": "values_between:value", "type": "expect_column_values_to_be_between", "severity": "warn",
             "unexpected_count": 2, "sample": [314.0, 512.0], "why": "growth above 300 % is a misreading"}]},
            "core.documents": {"rows": 3, "passed": 10, "error": None, "failed": []}}}), encoding="utf-8")


def build_pages(root):
    """The planted warehouse's reports in ``root/out``; returns the quality page's path."""
    plant_findings(root / "w.duckdb", root / "docs")
    con = duckdb.connect(str(root / "w.duckdb"), read_only=True)
    try:
        report.write_region_reports(con, root / "out", docs_dir=root / "docs")
    finally:
        con.close()
    return root / "out" / "quality.html"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    quality = build_pages(tmp_path_factory.mktemp("quality"))
    return quality.read_text(encoding="utf-8"), (quality.parent / "index.html").read_text(encoding="utf-8")


def test_the_page_says_what_the_checks_found(page):
    html, index = page
    assert 'href="quality.html"' in index
    assert "values_between:value" in html and "growth above 300 % is a misreading" in html and "314.0" in html
    assert "<b>40</b>passed" in html and "<b>1</b>failed (warn)" in html
    assert "all passed" in html  # core.documents
    assert "<mark>84.4.1亿元</mark>" in html and "two decimal points" in html and "malformed_number" in html
    assert "Two documents give different retail sales &lt;2023&gt;." in html  # escaped
    assert "webhook:https://h (HTTP 200)" in html


def test_the_page_reaches_nothing_outside_itself(page):
    html, _ = page
    assert "<script" not in html and "<link" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_a_home_without_a_check_run_says_so(tmp_path):
    make_warehouse(tmp_path / "w.duckdb")
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        html = render_quality_html(con, docs_dir=tmp_path / "none")
    finally:
        con.close()
    assert "No check has run in this home yet" in html and "Nothing is held back" in html
    assert "No alert has been raised" in html
