"""Quality gates for what slips past the engine, on invented sentences (issue 11, point 4).

Each case goes through ``build_core`` (metadata → extraction → screening), as an ingest does.
"""

import pytest

from pipelines.transform import build_core

TITLE = "青川区2031年国民经济和社会发展统计公报\n"


def core(sentence: str):
    return build_core("0123456789abcdef", TITLE + sentence)


def held(outcome, check: str):
    return [q for q in outcome.quarantined if q.check_name == check]


def test_money_on_an_air_quality_figure_is_quarantined_even_when_uncoded():
    outcome = core("全年PM2.5年均浓度41亿元,空气质量持续改善。")
    assert not [f for f in outcome.facts if f.raw_text == "41亿元"]
    (record,) = held(outcome, "unit_mismatch")
    assert record.raw_text == "41亿元" and record.held_back and "pm25" in record.reason


def test_percent_on_a_gdp_level_is_quarantined():
    outcome = core("全区地区生产总值达到37.5%。")
    assert not [f for f in outcome.facts if f.indicator_code == "gdp" and f.measure == "value"]
    assert held(outcome, "unit_mismatch") or held(outcome, "rate_out_of_range") or not outcome.facts


@pytest.mark.parametrize("sentence, raw", [
    ("全区地区生产总值增长271%。", "271%"),
    ("规模以上工业增加值增长186%。", "186%"),
])
def test_impossible_growth_is_held_back(sentence, raw):
    outcome = core(sentence)
    assert not [f for f in outcome.facts if f.raw_text == raw]
    (record,) = held(outcome, "growth_out_of_range")
    assert record.raw_text == raw and record.severity == "error" and record.held_back


def test_unusual_growth_is_loaded_and_flagged():
    outcome = core("全区地区生产总值增长18.6%。")
    assert [f.value for f in outcome.facts if f.indicator_code == "gdp"] == [18.6]
    (record,) = held(outcome, "growth_unusual")
    assert record.severity == "warn" and not record.held_back


def test_an_amount_no_region_has_is_held_back():
    outcome = core("全区一般公共预算收入88888888888888888888亿元。")
    assert not [f for f in outcome.facts if f.indicator_code == "budget_revenue"]
    assert len(outcome.quarantined) == 1 and outcome.quarantined[0].severity == "error"


@pytest.mark.parametrize("sentence, raw", [
    ("全区一般公共预算收入612..4亿元,增长3%。", "612..4亿元"),
    ("全区固定资产投资3e12亿元。", "3e12亿元"),
    ("全区地区生产总值57.3.2亿元。", "57.3.2亿元"),
])
def test_a_figure_the_reader_gives_up_on_leaves_a_trace(sentence, raw):
    outcome = core(sentence)
    records = [q for q in outcome.quarantined if raw in q.raw_text or q.raw_text in raw]
    assert records and records[0].char_start is not None
    start = records[0].char_start
    assert (TITLE + sentence)[start:records[0].char_end] == records[0].raw_text
    assert not [f for f in outcome.facts if f.char_start < records[0].char_end and start < f.char_end]


def test_ids_and_dates_are_not_malformed_figures():
    outcome = core("文件编号5e61a7,发布于2031.3.5。全区地区生产总值增长5.1%。")
    assert not held(outcome, "malformed_number")


def test_a_broken_metadata_reader_costs_the_metadata_not_the_figures(monkeypatch):
    import pipelines.transform as transform

    def broken(*_args, **_kwargs):
        raise ValueError("max() arg is an empty sequence")

    monkeypatch.setattr(transform, "extract_metadata", broken)
    outcome = core("全区地区生产总值增长5.1%。")
    assert [(e.stage, e.error_type) for e in outcome.errors] == [("metadata", "ValueError")]
    assert outcome.metadata.region is None and outcome.metadata.doc_type == "other"


def test_a_broken_engine_costs_the_figures_with_a_record(monkeypatch):
    import pipelines.transform as transform

    def broken(*_args, **_kwargs):
        raise RecursionError("too deep")

    monkeypatch.setattr(transform, "extract_facts", broken)
    outcome = core("全区地区生产总值增长5.1%。")
    assert [(e.stage, e.error_type) for e in outcome.errors] == [("extract", "RecursionError")]
    assert outcome.facts == [] and outcome.quarantined[0].check_name == "extraction_error"
