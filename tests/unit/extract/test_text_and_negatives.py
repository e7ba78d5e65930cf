"""Offsets through traditional script, pinyin glosses, stray spaces; things that are not figures."""

from pipelines.extract.indicators import lookup_indicator
from pipelines.extract.model import DocumentContext
from pipelines.extract.textview import TextView

from .conftest import coded, one, run


def test_traditional_script_offsets_point_into_the_original():
    text = "2024年國內生産總值達到1萬2734億元,增長5.2%,萬億元級城市。"
    facts = coded(text, DocumentContext("other", 2024))
    assert [(f.indicator_code, f.value, f.raw_text) for f in facts] == [
        ("gdp", 12734e8, "1萬2734億元"),
        ("gdp", 5.2, "5.2%"),
    ]
    assert all(text[f.char_start : f.char_end] == f.raw_text for f in facts)


def test_pinyin_glosses_are_skipped():
    text = "根據(jù)地區(qū)生產(chǎn)總值統(tǒng)一核算結(jié)果,全年全省地區(qū)生產(chǎn)總值20913.25億元,比上年增長(zhǎng)4.9%。"
    facts = coded(text, DocumentContext("stats_bulletin", 2023))
    assert [(f.indicator_code, f.measure, f.value, f.raw_text) for f in facts] == [
        ("gdp", "value", 2091325000000.0, "20913.25億元"),
        ("gdp", "growth_pct", 4.9, "4.9%"),
    ]


def test_stray_spaces_inside_numbers():
    text = "地区生产总值达到 18. 08 亿元,增长 0. 5%。"
    facts = coded(text)
    assert [(f.value, f.raw_text) for f in facts] == [(18.08e8, "18. 08 亿元"), (0.5, "0. 5%")]
    # two numbers side by side stay two numbers
    assert TextView("26.8 0.4").s == "26.8 0.4"


def test_pdf_line_break_inside_a_name():
    text = "全市生产总值增长7.6%,全部财政收入增长18.5%、首次突破300亿元, 一\n般公共预算收入增长15.5%,固定资产投资增长7.4%,规模\n以上工业增加值增长13.8%。"
    facts = coded(text, DocumentContext("gov_work_report", 2018, 2019))
    assert [(f.indicator_code, f.value) for f in facts] == [
        ("gdp", 7.6),
        ("budget_revenue", 15.5),
        ("fixed_asset_investment", 7.4),
        ("industrial_value_added", 13.8),
    ]


def test_not_figures():
    text = (
        "“十四五”时期,我们实施“一微克”行动,推出“1+N”产业政策体系2.0版和6.0版。一是加快建设,"
        "锁定三个千亿级产业集群。日期:2024年2月2日 15:52。确保“23·7”特大暴雨期间平安度汛,"
        "第四实验学校、第三批全国乡村治理示范乡镇,全市第一梯队,第一时间支援。"
    )
    assert run(text).facts == []


def test_malformed_figures_are_quarantined():
    res = run("全区地区生产总值为84.4.1亿元,增长%。")
    assert res.facts == []
    assert [(m.check_name, m.raw_text) for m in res.malformed] == [("malformed_number", "84.4.1亿元"), ("missing_number", "%")]
    assert all(m.reason for m in res.malformed)


def test_stray_dot_before_percent_is_read():
    f = one("1-6月,西城区累计实现公共财政预算收入220.2亿元,同比增长4.1.%。", DocumentContext("half_year_report", 2018), measure="growth_pct")
    assert (f.indicator_code, f.value, f.raw_text, f.period) == ("budget_revenue", 4.1, "4.1.%", "H1")


def test_chinese_numeral_percent():
    f = one("规上工业增加值增长百分之十七点七。")
    assert (f.indicator_code, f.value) == ("industrial_value_added", 17.7)


def test_lookup_indicator():
    assert lookup_indicator("全区地区生产总值") == "gdp"
    assert lookup_indicator("固投") == "fixed_asset_investment"
    assert lookup_indicator("城镇调查失业率") == "surveyed_unemployment_rate"
    assert lookup_indicator("城镇登记失业率") == "unemployment_rate"
    assert lookup_indicator("社零额") == "retail_sales"
    assert lookup_indicator("地方财政一般预算收入") == "budget_revenue"
    assert lookup_indicator("公共财政预算收入") == "budget_revenue"
    assert lookup_indicator("PM2.5年均浓度") == "pm25"
    assert lookup_indicator("实到外资") == "foreign_investment"
    assert lookup_indicator("規模以上工業增加值") == "industrial_value_added"
    assert lookup_indicator("人均地区生产总值") is None
    assert lookup_indicator("财政总收入") is None
    assert lookup_indicator("合同外资") is None
    assert lookup_indicator("工业增加值") is None


def test_every_canonical_code_has_an_alias():
    import csv
    from pathlib import Path

    data = Path(__file__).resolve().parents[3] / "pipelines" / "data"
    codes = {r["code"] for r in csv.DictReader((data / "indicators.csv").open(encoding="utf-8"))}
    aliased = set()
    for r in csv.DictReader((data / "indicator_aliases.csv").open(encoding="utf-8")):
        aliased.update((r["code"] or "").split("|"))
    assert codes <= aliased


def test_facts_are_sorted_and_deterministic():
    text = "地区生产总值增长5.2%;一般公共预算收入完成110.4亿元、增长5%;固定资产投资达835.9亿元。"
    a = run(text).facts
    b = run(text).facts
    assert a == b
    assert [f.char_start for f in a] == sorted(f.char_start for f in a)


def test_full_width_text_is_folded_one_for_one():
    text = "２０２３年全市ＧＤＰ增长５．２％，"
    f = one(text, DocumentContext("stats_bulletin", 2023))
    assert (f.indicator_code, f.value, f.raw_text) == ("gdp", 5.2, "５．２％")


def test_pipe_table_with_a_unit_column():
    text = "| 指标 | 单位 | 绝对数 | 比上年增长(%) |\n| 地区生产总值 | 亿元 | 2313.0 | 5.2 |\n| 年末常住人口 | 万人 | 329.6 | -0.3 |\n"
    facts = run(text, DocumentContext("stats_bulletin", 2024)).facts
    assert [(f.indicator_code, f.measure, f.value, f.unit) for f in facts] == [
        ("gdp", "value", 231300000000.0, "CNY"),
        ("gdp", "growth_pct", 5.2, "percent"),
        ("resident_population", "value", 3296000.0, "person"),
        ("resident_population", "growth_pct", -0.3, "percent"),
    ]


def test_horizon_year_is_a_target():
    f = one("到2025年,森林覆盖率达到45%。", DocumentContext("gov_work_report", 2023, 2024))
    assert (f.indicator_code, f.year, f.basis, f.value) == ("forest_coverage", 2025, "target", 45.0)


def test_tier_words_are_not_units():
    facts = run("装机容量达到120万千瓦,迈上新台阶,新增3台机组。").facts
    assert [(f.value, f.unit) for f in facts] == [(1200000.0, "kW"), (3.0, "count")]


def test_empty_and_blank_texts():
    assert run("").facts == [] and run("").malformed == []
    assert run("  \n\n ").facts == []


def test_length_changing_conversion_falls_back_to_characters(monkeypatch):
    from pipelines.extract import textview

    class Stretching:
        def convert(self, text):
            # a phrase rule that changes length on whole lines, but not on single characters
            return text.replace("萬億", "万亿X") if len(text) > 1 else {"萬": "万", "億": "亿"}.get(text, text)

    textview.to_simplified.__globals__["_converter"].cache_clear()
    monkeypatch.setattr(textview, "_converter", lambda: Stretching())
    out = textview.to_simplified("總額1.2萬億元")
    assert len(out) == len("總額1.2萬億元") and "万亿" in out


def test_table_blocks_are_passed_on(monkeypatch):
    import sys
    import types

    from pipelines.extract import extract_facts
    from pipelines.extract.model import Fact

    fake = types.ModuleType("pipelines.extract.tables")
    marker = Fact("gdp", "地区生产总值", 2024, "FY", "actual", "value", 1.0, "CNY", "=", "1", 0, 1, "1")
    fake.extract_table_facts = lambda tables, ctx: [marker]
    monkeypatch.setitem(sys.modules, "pipelines.extract.tables", fake)
    import pipelines.extract as pkg

    monkeypatch.setattr(pkg, "tables", fake, raising=False)
    res = extract_facts("1", DocumentContext(), tables=[object()])
    assert marker in res.facts


def test_prose_reading_gives_way_inside_a_table_read_by_tables_py(monkeypatch):
    import sys
    import types

    from pipelines.extract import extract_facts
    from pipelines.extract.model import Fact
    from pipelines.readers.base import TableBlock, TableCell

    text = "地区生产总值增长5%。\n| 地区生产总值 | 2313.0亿元 |\n"
    start = text.index("|")
    block = TableBlock(None, ((TableCell("地区生产总值", start + 2, start + 8),),), start, len(text))
    cell = text.index("2313.0亿元")
    table_fact = Fact("gdp", "地区生产总值", 2024, "FY", "actual", "value", 2313e8, "CNY", "=", "2313.0亿元", cell, cell + 8, "row")
    fake = types.ModuleType("pipelines.extract.tables")
    fake.extract_table_facts = lambda tables, ctx: [table_fact]
    monkeypatch.setitem(sys.modules, "pipelines.extract.tables", fake)
    import pipelines.extract as pkg

    monkeypatch.setattr(pkg, "tables", fake, raising=False)
    res = extract_facts(text, DocumentContext("stats_bulletin", 2024), tables=[block])
    assert [f.raw_text for f in res.facts] == ["5%", "2313.0亿元"]
    assert res.facts[1] is table_fact


def test_long_unpunctuated_text_stays_linear():
    import time

    from pipelines.extract import extract_facts

    text = ("全区生产总值增长5%" + "啊" * 50 + "\n") * 2000  # lines joined into one huge sentence
    t0 = time.process_time()
    res = extract_facts(text, DocumentContext("plan_report", 2023, 2024))
    assert len(res.facts) == 2000
    assert time.process_time() - t0 < 10  # quadratic scans took far longer


def test_unit_without_number_is_quarantined():
    res = run("一般公共预算收入完成亿元,增长%。")
    assert [(m.check_name, m.raw_text) for m in res.malformed] == [("missing_number", "亿元"), ("missing_number", "%")]


def test_more_than_words_inside_the_figure():
    facts = run("实现营业收入3000多亿元,吸纳就业100余万人,新增市场主体1.49万余户。").facts
    assert [(f.value, f.unit, f.comparator, f.raw_text) for f in facts] == [
        (3e11, "CNY", ">", "3000多亿元"),
        (1e6, "person", ">", "100余万人"),
        (14900.0, "count", ">", "1.49万余户"),
    ]


def test_random_text_never_breaks_grounding():
    import random

    from pipelines.extract import extract_facts

    alphabet = list(
        "0123456789.,，。;；:：、%‰亿万千百元美人次吨亩第位前首增长下降同比比上年全市区省左右以上以内控制在突破超约-—~()（）\n 地区生产总值"
        "一般公共预算收入规模以上工业增加值固投社零额城乡居民人均可支配收入分别和及与由至到从年月日今年去年上半年一季度翻一番倍的占其中“”|#萬億增長"
    )
    rnd = random.Random(7)
    ctxs = [DocumentContext(), DocumentContext("plan_report", 2023, 2024, None, "北京市大兴区"), DocumentContext("half_year_report", 2022)]
    for _ in range(300):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 160)))
        for ctx in ctxs:
            res = extract_facts(text, ctx)
            assert all(text[f.char_start : f.char_end] == f.raw_text for f in res.facts)
            assert all(text[m.char_start : m.char_end] == m.raw_text for m in res.malformed)
            assert [f.char_start for f in res.facts] == sorted(f.char_start for f in res.facts)


def test_a_garbled_rank_is_no_figure_and_does_not_stop_the_document():
    # a doubled numeral (前十十, a typo of a reprint) must neither raise nor become a rank
    facts = coded("2023年,地区生产总值排名全市前十十位,增长5.2%。", DocumentContext("other", 2024))
    assert [(f.measure, f.value) for f in facts] == [("growth_pct", 5.2)]
