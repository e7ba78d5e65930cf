"""Per-document transforms: pages for facts, and an engine failure that costs one document only."""

import pipelines.transform as transform
from pipelines.transform import build_core

TEXT = ("北京市大兴区2023年国民经济和社会发展计划执行情况与2024年国民经济和社会发展计划的报告\n"
        "一、2023年国民经济和社会发展计划执行情况\n规模以上工业总产值完成844.1亿元,全市第六,同比下降17.7%。")


def test_facts_get_their_page_from_the_page_spans():
    second_page = TEXT.index("规模以上")
    outcome = build_core("a" * 16, TEXT, page_spans=[(1, 0, second_page), (2, second_page, len(TEXT))])
    values = {(f.measure, f.value): page for f, page in zip(outcome.facts, outcome.pages)}
    assert values[("value", 84_410_000_000.0)] == 2 and values[("growth_pct", -17.7)] == 2
    assert outcome.metadata.region == "北京市大兴区" and outcome.quarantined == []


def test_an_engine_error_quarantines_the_document_instead_of_failing_the_batch(monkeypatch):
    def broken(*_args, **_kwargs):
        raise ValueError("unexpected token")

    monkeypatch.setattr(transform, "extract_facts", broken)
    outcome = build_core("b" * 16, TEXT)
    assert outcome.facts == [] and outcome.metadata.region == "北京市大兴区"
    (record,) = outcome.quarantined
    assert record.check_name == "extraction_error" and "ValueError: unexpected token" in record.reason
