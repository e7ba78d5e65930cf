"""The engine never raises on garbled report language, and every fact it returns is grounded."""

import random

from pipelines.extract import extract_facts
from pipelines.extract.model import DocumentContext

PIECES = ["地区生产总值", "规模以上工业总产值", "增长", "下降", "同比", "完成", "达到", "844.1", "17.7", "-0.5",
          "亿元", "万元", "%", "％", "个百分点", "左右", "以上", "以内", "控制在", "突破", "全市第", "六", "前十",
          "十十", "两", "百分之", "点", "倍", "翻一番", "2023年", "2024年", "上半年", "1—9月", ",", "。", ";", "、",
          "\n", " ", "(", ")", "“", "”", "萬億元", "增長", "84.4.1", "万", "亿", "千", "第", "位", "居", "排名"]


def test_random_report_language_never_raises_and_stays_grounded():
    rng = random.Random(20261127)
    for _ in range(1500):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 60)))
        result = extract_facts(text, DocumentContext("plan_report", 2023, 2024))
        for fact in result.facts:
            assert text[fact.char_start:fact.char_end] == fact.raw_text, (text, fact)
        for bad in result.malformed:
            assert text[bad.char_start:bad.char_end] == bad.raw_text, (text, bad)
