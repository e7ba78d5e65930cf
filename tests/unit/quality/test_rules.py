from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from pipelines.extract.model import DocumentContext, ExtractionResult, Fact, MalformedFigure
from pipelines.quality import rules
from pipelines.quality.rules import check_fact, load_rulebook, screen

CTX = DocumentContext(doc_type="gov_work_report", actual_year=2024, plan_year=2025,
                      published_on=date(2025, 1, 12), region="北京市大兴区")
SENT = "全区地区生产总值完成1234.5亿元,增长5.2%。"


def fact(**kw) -> Fact:
    base = dict(indicator_code="gdp", indicator_label="地区生产总值", year=2024, period="FY",
                basis="actual", measure="value", value=1234.5e8, unit="CNY", comparator="=",
                raw_text="1234.5亿元", char_start=10, char_end=18, sentence=SENT, raw_unit="亿元")
    base.update(kw)
    return Fact(**base)


def check_name(f: Fact, ctx: DocumentContext = CTX) -> str | None:
    finding = check_fact(f, ctx)
    return finding.check_name if finding else None


@pytest.mark.parametrize(
    "good, bad, name",
    [
        # a rate (percent level) within 0–100
        (dict(indicator_code="forest_coverage", measure="value", value=44.6, unit="percent"),
         dict(indicator_code="forest_coverage", measure="value", value=314.0, unit="percent"),
         "rate_out_of_range"),
        # unemployment: a tighter, indicator-specific rate bound replaces the general one
        (dict(indicator_code="unemployment_rate", measure="value", value=3.1, unit="percent"),
         dict(indicator_code="unemployment_rate", measure="value", value=45.0, unit="percent"),
         "rate_out_of_range"),
        # growth within −100…1000 (an indicator without bounds of its own)
        (dict(indicator_code="tech_contract_value", measure="growth_pct", value=-17.7, unit="percent"),
         dict(indicator_code="tech_contract_value", measure="growth_pct", value=-120.0, unit="percent"),
         "growth_out_of_range"),
        (dict(indicator_code="tech_contract_value", measure="growth_pct", value=500.0, unit="percent"),
         dict(indicator_code="tech_contract_value", measure="growth_pct", value=1500.0, unit="percent"),
         "growth_out_of_range"),
        # an indicator's own growth bounds replace the general ones
        (dict(measure="growth_pct", value=-7.7, unit="percent"),
         dict(measure="growth_pct", value=314.0, unit="percent"), "growth_out_of_range"),
        (dict(indicator_code="industrial_value_added", measure="growth_pct", value=12.0, unit="percent"),
         dict(indicator_code="industrial_value_added", measure="growth_pct", value=250.0, unit="percent"),
         "growth_out_of_range"),
        # no amount in yuan reaches 1e15
        (dict(indicator_code="budget_revenue", value=1.2e11), dict(indicator_code="budget_revenue", value=1e28),
         "implausible_amount"),
        # a level may not be negative
        (dict(value=1.0), dict(value=-12.5e8), "negative_level"),
        (dict(indicator_code="resident_population", unit="person", value=2.0e6),
         dict(indicator_code="resident_population", unit="person", value=-5.0), "negative_level"),
        # pm25 within 1–500
        (dict(indicator_code="pm25", unit="ug/m3", value=34.0),
         dict(indicator_code="pm25", unit="ug/m3", value=0.0), "pm25_out_of_range"),
        (dict(indicator_code="pm25", unit="ug/m3", value=480.0),
         dict(indicator_code="pm25", unit="ug/m3", value=3400.0), "pm25_out_of_range"),
        # unit must fit the indicator
        (dict(unit="CNY"), dict(unit="person"), "unit_mismatch"),
        (dict(indicator_code="foreign_investment", unit="USD"),
         dict(indicator_code="foreign_investment", unit="t"), "unit_mismatch"),
        # growth must be in percent
        (dict(measure="growth_pct", value=5.2, unit="percent"),
         dict(measure="growth_pct", value=5.2, unit="CNY"), "unit_mismatch"),
        # a number needs a unit
        (dict(unit="CNY"), dict(unit=""), "missing_unit"),
        # share and rank bounds
        (dict(measure="share_pct", value=35.0, unit="percent"),
         dict(measure="share_pct", value=135.0, unit="percent"), "share_out_of_range"),
        (dict(measure="rank", value=3.0, unit="rank"),
         dict(measure="rank", value=0.0, unit="rank"), "rank_out_of_range"),
        (dict(measure="change_pp", value=-1.5, unit="percent"),
         dict(measure="change_pp", value=-150.0, unit="percent"), "change_pp_out_of_range"),
        # a year far from the document's years
        (dict(year=2035), dict(year=2204), "year_out_of_range"),
        (dict(year=2000), dict(year=1985), "year_out_of_range"),
        (dict(year=2024), dict(year=1024), "year_out_of_range"),
        # the value must be a finite number
        (dict(value=1.0), dict(value=float("nan")), "not_a_number"),
    ],
)
def test_each_rule_passes_good_and_fails_bad(good, bad, name):
    assert check_name(fact(**good)) is None
    assert check_name(fact(**bad)) == name


def test_unmapped_figures_skip_indicator_unit_but_not_ranges():
    f = fact(indicator_code=None, indicator_label="高新技术企业", unit="count", value=120.0)
    assert check_name(f) is None
    assert check_name(dataclasses.replace(f, value=-3.0)) == "negative_level"


def test_year_check_needs_document_years():
    assert check_name(fact(year=1985), DocumentContext()) is None
    assert check_name(fact(year=1024), DocumentContext()) == "year_out_of_range"


def test_screen_quarantines_every_malformed_figure_and_keeps_good_facts():
    mf = MalformedFigure("84.4.1亿元", 5, 13, "完成84.4.1亿元", "malformed_number", "two decimal points")
    good, bad = fact(), fact(value=-1.0, raw_text="-1亿元")
    out = screen(ExtractionResult(facts=[good, bad], malformed=[mf]), CTX)
    assert out.accepted == [good]
    assert [(q.raw_text, q.check_name, q.severity) for q in out.quarantined] == [
        ("84.4.1亿元", "malformed_number", "error"),
        ("-1亿元", "negative_level", "error"),
    ]
    assert out.quarantined[1].indicator_code == "gdp"
    assert "“-1亿元”" in out.quarantined[1].reason


def test_planted_report(planted):
    out = screen(planted.result, planted.context)
    assert out.accepted == planted.good
    assert sorted(q.raw_text for q in out.quarantined) == sorted(planted.bad_raw_texts)
    for q in out.quarantined:
        assert planted.text[q.char_start:q.char_end] == q.raw_text
        assert q.sentence in planted.text
        assert q.reason


def test_rules_are_data(tmp_path):
    for name in ("indicators.csv", "indicator_units.csv", "measure_units.csv", "value_ranges.csv"):
        (tmp_path / name).write_text((rules.DATA_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    with (tmp_path / "value_ranges.csv").open("a", encoding="utf-8") as fh:
        fh.write("gdp,CNY,value,value,1e9,,warn,gdp_too_small,a GDP below 10 亿元 is suspicious\n")
    book = load_rulebook(tmp_path)
    finding = check_fact(fact(value=5e8), CTX, book)
    assert (finding.check_name, finding.severity) == ("gdp_too_small", "warn")
    assert check_fact(fact(value=5e8), CTX) is None


def test_bad_severity_in_data_is_refused(tmp_path):
    for name in ("indicators.csv", "indicator_units.csv", "measure_units.csv"):
        (tmp_path / name).write_text((rules.DATA_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "value_ranges.csv").write_text(
        "indicator_code,unit,measure,field,min,max,severity,check_name,note\n*,*,*,value,0,,fatal,x,y\n",
        encoding="utf-8")
    with pytest.raises(ValueError, match="severity"):
        load_rulebook(tmp_path)


def test_quarantine_rows_match_the_insert():
    rec = rules.QuarantineRecord("增长%", "增长%。", 3, 6, "missing_number", "no number", "error")
    stamp = datetime(2026, 1, 2, 3, 4)
    row = rules.quarantine_rows("doc", [rec], stamp)[0]
    assert len(row) == len(rules.QUARANTINE_COLUMNS) == rules.QUARANTINE_INSERT_SQL.count("?")
    by_column = dict(zip(rules.QUARANTINE_COLUMNS, row))
    assert by_column.pop("document_id") == "doc" and by_column.pop("detected_at") == stamp
    assert by_column == {name: getattr(rec, name) for name in by_column}  # each value in its own column


def test_a_negative_rate_per_mille_is_allowed_a_negative_level_is_not():
    natural_growth = fact(indicator_code=None, indicator_label="人口自然增长率", unit="permille", value=-3.9)
    assert check_name(natural_growth) is None
    assert check_name(dataclasses.replace(natural_growth, unit="kg")) == "negative_level"
    assert check_name(dataclasses.replace(natural_growth, value=-3900.0)) == "negative_level"


def test_value_ranges_csv_is_well_formed():
    import csv

    with (rules.DATA_DIR / "value_ranges.csv").open(encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        for row in reader:
            assert len(row) == len(header), row
