"""Cross-document checks on a small temp DuckDB warehouse."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from pipelines.quality.cross_document import alerts_for_findings, refresh_findings
from tests.unit.quality.warehouse_fixture import create_schema

REGION = "北京市怀柔区"


@pytest.fixture
def con():
    c = duckdb.connect()
    create_schema(c)
    yield c
    c.close()


def add_doc(con, doc_id: str, year: int, doc_type: str = "plan_report") -> None:
    con.execute("INSERT INTO core.documents (document_id, title, region, doc_type, actual_year, char_count, "
                "extractor_version, loaded_at) VALUES (?, ?, ?, ?, ?, 100, 't', now())",
                [doc_id, f"{REGION}{year}年报告", REGION, doc_type, year])


def add_fact(con, doc_id: str, code: str, year: int, measure: str, value: float, raw: str,
             unit: str | None = None, basis: str = "actual", period: str = "FY") -> None:
    unit = unit or ("percent" if measure == "growth_pct" else "CNY")
    fact_id = f"{doc_id}-{code}-{year}-{measure}-{period}"
    con.execute("INSERT INTO core.indicator_facts (fact_id, document_id, region, indicator_code, indicator_label, "
                "year, period, basis, measure, value, unit, comparator, raw_text, char_start, char_end, sentence) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '=', ?, 0, ?, ?)",
                [fact_id, doc_id, REGION, code, code, year, period, basis, measure, value, unit, raw, len(raw),
                 f"{code}完成{raw}。"])


def findings(con) -> dict:
    return {(r[0], r[1]): r[2:] for r in con.execute(
        "SELECT kind, indicator_code, alarm, price_basis, gap, document_a, document_b, message "
        "FROM quality.cross_document_findings").fetchall()}


def test_growth_gap_raises_an_alarm_when_levels_disagree_with_stated_growth(con):
    add_doc(con, "d2023", 2023)
    add_doc(con, "d2024", 2024)
    add_fact(con, "d2023", "retail_sales", 2023, "value", 100e8, "100亿元")
    add_fact(con, "d2024", "retail_sales", 2024, "value", 120e8, "120亿元")
    add_fact(con, "d2024", "retail_sales", 2024, "growth_pct", 5.0, "5.0%")
    counts = refresh_findings(con, datetime(2026, 1, 1))
    assert counts == {"growth_gap": 1, "alarms": 1}
    alarm, basis, gap, doc_a, doc_b, message = findings(con)[("growth_gap", "retail_sales")]
    assert alarm and basis == "nominal" and gap == pytest.approx(-15.0)
    assert "5.0%" in message and "100亿元" in message and "120亿元" in message and "20.0%" in message
    [alert] = alerts_for_findings(con, ["growth_gap"])
    assert alert.document_id == "d2024" and alert.figure == "120亿元" and alert.severity == "warn"
    assert "retail_sales完成" in alert.message  # the sentences


def test_growth_within_one_point_is_fine(con):
    add_doc(con, "d2023", 2023)
    add_doc(con, "d2024", 2024)
    add_fact(con, "d2023", "retail_sales", 2023, "value", 100e8, "100亿元")
    add_fact(con, "d2024", "retail_sales", 2024, "value", 105.5e8, "105.5亿元")
    add_fact(con, "d2024", "retail_sales", 2024, "growth_pct", 5.0, "5.0%")
    assert refresh_findings(con) == {"alarms": 0}


def test_gdp_growth_at_comparable_prices_is_recorded_not_alarmed(con):
    add_doc(con, "d2023", 2023)
    add_doc(con, "d2024", 2024)
    add_fact(con, "d2023", "gdp", 2023, "value", 400e8, "400亿元")
    add_fact(con, "d2024", "gdp", 2024, "value", 440e8, "440亿元")
    add_fact(con, "d2024", "gdp", 2024, "growth_pct", 5.2, "5.2%")
    assert refresh_findings(con) == {"growth_gap": 1, "alarms": 0}
    alarm, basis, *_rest, message = findings(con)[("growth_gap", "gdp")]
    assert not alarm and basis == "comparable_prices" and "comparable prices" in message
    assert alerts_for_findings(con, ["growth_gap"]) == []


def test_same_year_documents_that_disagree_are_a_conflict_naming_both(con):
    add_doc(con, "plan23", 2023)
    add_doc(con, "bull23", 2023, "stats_bulletin")
    add_fact(con, "plan23", "retail_sales", 2023, "value", 100e8, "100亿元")
    add_fact(con, "bull23", "retail_sales", 2023, "value", 101e8, "101亿元")
    assert refresh_findings(con) == {"conflict": 1, "alarms": 1}
    alarm, _b, _gap, doc_a, doc_b, message = findings(con)[("conflict", "retail_sales")]
    assert alarm and {doc_a, doc_b} == {"plan23", "bull23"}
    assert "plan23" in message and "bull23" in message and "100亿元" in message and "101亿元" in message


def test_a_later_document_with_another_value_is_a_revision(con):
    add_doc(con, "d2023", 2023)
    add_doc(con, "d2024", 2024)
    add_fact(con, "d2023", "gdp", 2023, "value", 400e8, "400亿元")
    add_fact(con, "d2024", "gdp", 2023, "value", 402e8, "402亿元")
    assert refresh_findings(con) == {"revision": 1, "alarms": 1}
    _alarm, _b, gap, doc_a, doc_b, _m = findings(con)[("revision", "gdp")]
    assert (doc_a, doc_b) == ("d2023", "d2024") and gap == pytest.approx(2e8)


def test_agreeing_documents_and_other_bases_find_nothing(con):
    add_doc(con, "d2023", 2023)
    add_doc(con, "d2024", 2024)
    add_fact(con, "d2023", "gdp", 2023, "value", 400e8, "400亿元")
    add_fact(con, "d2024", "gdp", 2023, "value", 400e8, "400.0亿元")
    add_fact(con, "d2023", "gdp", 2024, "growth_pct", 5.0, "5%", basis="target")
    add_fact(con, "d2024", "gdp", 2024, "growth_pct", 5.5, "5.5%", basis="actual")
    assert refresh_findings(con) == {"alarms": 0}


def test_findings_are_replaced_not_accumulated(con):
    add_doc(con, "plan23", 2023)
    add_doc(con, "bull23", 2023, "stats_bulletin")
    add_fact(con, "plan23", "retail_sales", 2023, "value", 100e8, "100亿元")
    add_fact(con, "bull23", "retail_sales", 2023, "value", 101e8, "101亿元")
    first = con.execute("SELECT finding_id FROM quality.cross_document_findings").fetchall() if refresh_findings(con) else []
    refresh_findings(con)
    assert con.execute("SELECT finding_id FROM quality.cross_document_findings").fetchall() == first
    con.execute("DELETE FROM core.indicator_facts WHERE document_id = 'bull23'")
    assert refresh_findings(con) == {"alarms": 0}
