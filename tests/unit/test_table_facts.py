"""Facts from indicator tables: from a generated PDF, and from table blocks built in memory.

Figures are from real reports (2023 Daxing plan report; Chaoyang and Guizhou bulletins).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipelines.extract import extract_facts  # noqa: E402
from pipelines.extract.model import DocumentContext  # noqa: E402
from pipelines.extract.tables import extract_table_facts  # noqa: E402
from pipelines.readers.base import TableBlock, TableCell  # noqa: E402
from pipelines.readers.pdf import read_pdf  # noqa: E402
from tests import pdf_factory as pf  # noqa: E402

PLAN = DocumentContext(doc_type="plan_report", actual_year=2023, plan_year=2024, region="北京市大兴区")
BULLETIN = DocumentContext(doc_type="stats_bulletin", actual_year=2023, region="北京市朝阳区")


def table_in_text(rows, before: str = "主要指标完成情况如下。\n", after: str = "\n以上数据为初步统计。"):
    """Render rows the way the PDF reader does (one line per row, tab between cells)."""
    text = before
    out_rows = []
    start = len(text)
    for r, row in enumerate(rows):
        if r:
            text += "\n"
        cells = []
        for c, cell in enumerate(row):
            if c:
                text += "\t"
            cells.append(TableCell(cell, len(text), len(text) + len(cell)))
            text += cell
        out_rows.append(tuple(cells))
    block = TableBlock(page=1, rows=tuple(out_rows), char_start=start, char_end=len(text))
    return text + after, block


def brief(facts):
    return [(f.indicator_code, f.year, f.basis, f.measure, float(f"{f.value:.10g}"), f.unit, f.comparator, f.raw_text)
            for f in facts]


def assert_grounded(text, facts):
    for f in facts:
        assert text[f.char_start:f.char_end] == f.raw_text
        assert f.raw_text in f.sentence


# --- from a generated PDF -------------------------------------------------------------------

def test_indicator_table_of_a_generated_pdf_yields_its_facts():
    pdf = pf.ReportCanvas()
    pdf.heading("一、2023年主要指标完成情况")
    pdf.paragraph("全年规模以上工业总产值完成844.1亿元,全市第六,同比下降17.7%。")
    pdf.table(pf.Table(
        rows=[
            ["指标", "单位", "2023年", "比上年增长%"],
            ["规模以上工业总产值", "亿元", "844.1", "-17.7"],
            ["细颗粒物年均浓度", "微克/立方米", "36", ""],
            ["城镇调查失业率", "%", "4.1", ""],
            ["常住人口", "万人", "199.9", "—"],
        ],
        col_widths=[170, 90, 90, 101],
    ))
    result = read_pdf(pdf.save())
    assert len(result.tables) == 1
    facts = extract_table_facts(result.tables, PLAN)
    assert brief(facts) == [
        ("industrial_output", 2023, "actual", "value", 84410000000.0, "CNY", "=", "844.1"),
        ("industrial_output", 2023, "actual", "growth_pct", -17.7, "percent", "=", "-17.7"),
        ("pm25", 2023, "actual", "value", 36.0, "ug/m3", "=", "36"),
        ("surveyed_unemployment_rate", 2023, "actual", "value", 4.1, "percent", "=", "4.1"),
        ("resident_population", 2023, "actual", "value", 1999000.0, "person", "=", "199.9"),
    ]
    assert_grounded(result.text, facts)
    assert all(result.page_at(f.char_start) == 1 for f in facts)
    assert facts[0].sentence == "规模以上工业总产值\t亿元\t844.1\t-17.7"
    assert facts[0].raw_unit == "亿元" and facts[0].indicator_label == "规模以上工业总产值"


def test_engine_entry_point_adds_table_facts():
    text, block = table_in_text([["指标", "单位", "2023年"], ["地区生产总值", "亿元", "1234.5"]])
    plain = extract_facts(text, BULLETIN).facts
    with_tables = extract_facts(text, BULLETIN, [block]).facts
    want = [("gdp", 2023, "actual", "value", 123450000000.0, "CNY", "=", "1234.5")]
    assert brief([f for f in with_tables if f.indicator_code]) == want
    # the same table flattened into the text (tab-separated lines) is read by the same rule
    assert brief([f for f in plain if f.indicator_code]) == want


# --- header readings --------------------------------------------------------------------------

def test_unit_in_column_header_and_growth_column():
    text, block = table_in_text([
        ["指标", "2023年(亿元)", "增长(%)"],
        ["地区生产总值", "8255.0", "5.2"],
        ["一般公共预算收入", "571.3", "6.9"],
    ])
    facts = extract_table_facts([block], BULLETIN)
    assert brief(facts) == [
        ("gdp", 2023, "actual", "value", 825500000000.0, "CNY", "=", "8255.0"),
        ("gdp", 2023, "actual", "growth_pct", 5.2, "percent", "=", "5.2"),
        ("budget_revenue", 2023, "actual", "value", 57130000000.0, "CNY", "=", "571.3"),
        ("budget_revenue", 2023, "actual", "growth_pct", 6.9, "percent", "=", "6.9"),
    ]
    assert_grounded(text, facts)


def test_merged_year_header_over_absolute_and_growth_with_table_unit():
    text, block = table_in_text([
        ["单位:亿元", "", ""],
        ["指标", "2023年", ""],
        ["", "绝对值", "增长%"],
        ["社会消费品零售总额", "1406.1", "-8.8"],
        ["固定资产投资", "", "-4.4"],
    ])
    facts = extract_table_facts([block], BULLETIN)
    assert brief(facts) == [
        ("retail_sales", 2023, "actual", "value", 140610000000.0, "CNY", "=", "1406.1"),
        ("retail_sales", 2023, "actual", "growth_pct", -8.8, "percent", "=", "-8.8"),
        ("fixed_asset_investment", 2023, "actual", "growth_pct", -4.4, "percent", "=", "-4.4"),
    ]
    assert_grounded(text, facts)


def test_plan_table_with_actuals_and_targets():
    text, block = table_in_text([
        ["序号", "指标名称", "单位", "2023年完成", "2024年目标"],
        ["1", "地区生产总值增速", "%", "5.2", "5左右"],
        ["2", "一般公共预算收入", "亿元", "123.5", "≥130"],
        ["3", "细颗粒物年均浓度", "微克/立方米", "36", "控制在36以内"],
        ["4", "城镇调查失业率", "%", "", "5以内"],
    ])
    facts = extract_table_facts([block], PLAN)
    got = brief(facts)
    assert ("gdp", 2023, "actual", "growth_pct", 5.2, "percent", "=", "5.2") in got
    assert ("gdp", 2024, "target", "growth_pct", 5.0, "percent", "~", "5左右") in got
    assert ("budget_revenue", 2023, "actual", "value", 12350000000.0, "CNY", "=", "123.5") in got
    assert ("budget_revenue", 2024, "target", "value", 13000000000.0, "CNY", ">=", "≥130") in got
    assert ("pm25", 2023, "actual", "value", 36.0, "ug/m3", "=", "36") in got
    assert ("pm25", 2024, "target", "value", 36.0, "ug/m3", "<=", "控制在36以内") in got
    assert ("surveyed_unemployment_rate", 2024, "target", "value", 5.0, "percent", "<=", "5以内") in got
    assert len(got) == 7
    # 序号 is not a figure
    assert not [f for f in facts if f.raw_text in ("1", "2", "3", "4")]
    assert_grounded(text, facts)


def test_label_with_unit_in_parentheses_rank_and_period_columns():
    text, block = table_in_text([
        ["项目", "2023年1-10月", "全市位次"],
        ["规模以上工业总产值(亿元)", "702.3", "6"],
        ["(一)实际利用外资(亿美元)", "12.4", "第三"],
    ])
    facts = extract_table_facts([block], BULLETIN)
    got = [(f.indicator_code, f.period, f.measure, float(f"{f.value:.10g}"), f.unit, f.qualifier) for f in facts]
    assert got == [
        ("industrial_output", "M1-M10", "value", 70230000000.0, "CNY", None),
        ("industrial_output", "FY", "rank", 6.0, "rank", "全市"),
        ("foreign_investment", "M1-M10", "value", 1240000000.0, "USD", None),
        ("foreign_investment", "FY", "rank", 3.0, "rank", "全市"),
    ]
    assert facts[2].indicator_label == "实际利用外资"


def test_unknown_unit_or_empty_cells_yield_no_level_facts():
    text, block = table_in_text([
        ["指标", "2023年", "比上年增长%"],
        ["地区生产总值", "1234.5", "5.2"],  # no unit anywhere: the level is skipped
        ["建安投资", "—", "/"],
    ])
    facts = extract_table_facts([block], BULLETIN)
    assert brief(facts) == [("gdp", 2023, "actual", "growth_pct", 5.2, "percent", "=", "5.2")]


def test_rows_not_in_the_dictionary_keep_their_label_without_code():
    text, block = table_in_text([["指标", "单位", "2023年"], ["其中:第一产业", "亿元", "12.6"]])
    facts = extract_table_facts([block], BULLETIN)
    assert [(f.indicator_code, f.indicator_label, f.value) for f in facts] == [(None, "第一产业", 1260000000.0)]


@pytest.mark.parametrize("rows", [[], [["指标", "2023年"]], [["地区生产总值", "1234.5"], ["建安投资", "12"]]])
def test_tables_without_a_usable_header_yield_nothing(rows):
    if not rows:
        assert extract_table_facts([], BULLETIN) == []
        return
    _text, block = table_in_text(rows)
    assert extract_table_facts([block], BULLETIN) == []


def test_table_continued_on_the_next_page_takes_the_header_of_the_first_part():
    text1, first = table_in_text([["指标", "单位", "2023年", "比上年增长%"], ["地区生产总值", "亿元", "1234.5", "5.2"]])
    text2, second = table_in_text([["社会消费品零售总额", "亿元", "1406.1", "-8.8"]], before=text1 + "\n")
    facts = extract_table_facts([first, second], BULLETIN)
    assert [(f.indicator_code, f.measure, f.raw_text) for f in facts] == [
        ("gdp", "value", "1234.5"), ("gdp", "growth_pct", "5.2"),
        ("retail_sales", "value", "1406.1"), ("retail_sales", "growth_pct", "-8.8"),
    ]
    assert_grounded(text2, facts)
    # a headerless table of another shape is not a continuation
    _t, other = table_in_text([["社会消费品零售总额", "1406.1"]], before=text1 + "\n")
    assert len(extract_table_facts([first, other], BULLETIN)) == 2
