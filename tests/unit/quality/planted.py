"""A small report built around a real sentence, with malformed and implausible figures planted.

The real sentence (dx-2024 style): 规模以上工业总产值完成844.1亿元,全市第六,同比下降17.7%。
Planted: 84.4.1亿元 (two decimal points), 增长% (a growth with no number), a rate of 314 %,
a negative level. ``planted_document()`` returns the text, the context and the extraction result
the engine would hand over (good facts plus planted ones), with offsets pointing into the text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from pipelines.extract.model import DocumentContext, ExtractionResult, Fact, MalformedFigure

REAL = "规模以上工业总产值完成844.1亿元,全市第六,同比下降17.7%。"
PLANTED_MALFORMED = "固定资产投资完成84.4.1亿元,增长%。"
PLANTED_RATE = "城镇登记失业率为314%。"
PLANTED_NEGATIVE = "社会消费品零售额完成-12.5亿元。"
TEXT = "北京市大兴区2024年国民经济和社会发展计划执行情况。" + REAL + PLANTED_MALFORMED + PLANTED_RATE + PLANTED_NEGATIVE


def _at(text: str, needle: str, sentence: str) -> tuple[int, int]:
    base = TEXT.index(sentence)
    start = TEXT.index(needle, base)
    return start, start + len(needle)


def _fact(raw, sentence, **kw) -> Fact:
    start, end = _at(TEXT, raw, sentence)
    defaults = dict(year=2024, period="FY", basis="actual", comparator="=", qualifier=None)
    defaults.update(kw)
    return Fact(raw_text=raw, char_start=start, char_end=end, sentence=sentence, **defaults)


@dataclass
class Planted:
    document_id: str
    text: str
    context: DocumentContext
    result: ExtractionResult
    good: list[Fact]
    bad_raw_texts: list[str]


PLANTED_SHA256 = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()


def planted_document(document_id: str = PLANTED_SHA256[:16]) -> Planted:
    good = [
        _fact("844.1亿元", REAL, indicator_code="industrial_output", indicator_label="规模以上工业总产值",
              measure="value", value=844.1e8, unit="CNY", raw_unit="亿元"),
        _fact("全市第六", REAL, indicator_code="industrial_output", indicator_label="规模以上工业总产值",
              measure="rank", value=6.0, unit="rank", qualifier="全市"),
        _fact("下降17.7%", REAL, indicator_code="industrial_output", indicator_label="规模以上工业总产值",
              measure="growth_pct", value=-17.7, unit="percent", raw_unit="%"),
    ]
    bad_facts = [
        _fact("314%", PLANTED_RATE, indicator_code="unemployment_rate", indicator_label="城镇登记失业率",
              measure="value", value=314.0, unit="percent", raw_unit="%"),
        _fact("-12.5亿元", PLANTED_NEGATIVE, indicator_code="retail_sales", indicator_label="社会消费品零售额",
              measure="value", value=-12.5e8, unit="CNY", raw_unit="亿元"),
    ]
    malformed = []
    for raw, check, reason in [
        ("84.4.1亿元", "malformed_number", "“84.4.1亿元” has two decimal points"),
        ("增长%", "missing_number", "“增长%” states a growth without a number"),
    ]:
        start, end = _at(TEXT, raw, PLANTED_MALFORMED)
        malformed.append(MalformedFigure(raw, start, end, PLANTED_MALFORMED, check, reason))
    ctx = DocumentContext(doc_type="plan_report", actual_year=2024, plan_year=2025,
                          published_on=date(2025, 1, 10), region="北京市大兴区")
    return Planted(
        document_id=document_id,
        text=TEXT,
        context=ctx,
        result=ExtractionResult(facts=good + bad_facts, malformed=malformed),
        good=good,
        bad_raw_texts=["84.4.1亿元", "增长%", "314%", "-12.5亿元"],
    )
