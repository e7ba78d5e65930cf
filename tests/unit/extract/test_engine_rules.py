"""One real sentence per rule of the engine (sentences copied from corpus reports)."""

import pytest

from pipelines.extract.model import DocumentContext

from .conftest import coded, one, run


def test_level_rank_and_growth_of_one_indicator():
    # 北京市大兴区2023年计划执行情况
    text = "全年规模以上工业总产值完成844.1亿元,全市第六,同比下降17.7%。"
    facts = coded(text)
    assert [(f.indicator_code, f.measure, f.value, f.unit) for f in facts] == [
        ("industrial_output", "value", 84410000000.0, "CNY"),
        ("industrial_output", "rank", 6.0, "rank"),
        ("industrial_output", "growth_pct", -17.7, "percent"),
    ]
    assert facts[0].raw_text == "844.1亿元" and facts[0].raw_unit == "亿元"
    assert facts[1].raw_text == "第六" and facts[1].qualifier == "全市"
    assert facts[2].raw_text == "17.7%"
    assert all(f.year == 2023 and f.basis == "actual" and f.period == "FY" for f in facts)


def test_three_indicators_in_one_clause_list():
    text = "旅客吞吐量突破3900万人次、航班起降29.31万架次、货邮吞吐量24万吨,带动航空运输业营收突破100亿。"
    facts = run(text).facts
    assert [(f.indicator_code, f.value, f.unit, f.comparator) for f in facts] == [
        ("airport_passengers", 39000000.0, "person_time", ">"),
        (None, 293100.0, "flight", "="),
        (None, 240000.0, "t", "="),
    ]
    assert facts[1].indicator_label == "航班起降"
    assert facts[2].indicator_label == "货邮吞吐量"


def test_plan_section_targets():
    text = (
        "一、2023年国民经济和社会发展计划执行情况\n\n  登记失业率3.14%,好于控制目标。\n\n"
        "  二、2024年经济社会发展计划初步安排\n\n  (二)主要指标\n\n"
        "  一是着力提升经济发展质量。推动主要经济指标平稳向好运行,地区生产总值增长4.5%左右,"
        "规模以上工业总产值增长5%以上,固定资产投资完成1000亿元,城镇登记失业率控制在4%以内。"
    )
    gdp = one(text, indicator_code="gdp")
    assert (gdp.year, gdp.basis, gdp.measure, gdp.value, gdp.comparator, gdp.raw_text) == (2024, "target", "growth_pct", 4.5, "~", "4.5%左右")
    ind = one(text, indicator_code="industrial_output")
    assert (ind.basis, ind.value, ind.comparator) == ("target", 5.0, ">=")
    fai = one(text, indicator_code="fixed_asset_investment")
    assert (fai.year, fai.basis, fai.value, fai.unit) == (2024, "target", 1e11, "CNY")
    rates = [f for f in coded(text) if f.indicator_code == "unemployment_rate"]
    assert [(f.year, f.basis, f.value, f.unit, f.comparator) for f in rates] == [
        (2023, "actual", 3.14, "percent", "="),
        (2024, "target", 4.0, "percent", "<="),
    ]


def test_statistical_bulletin_year_and_inherited_growth():
    ctx = DocumentContext("stats_bulletin", 2024, None, None, "北京市朝阳区")
    text = "初步核算,全年实现地区生产总值(GDP)9230.1亿元,按不变价计算,比上年增长5.0%。其中,第一产业增加值2.9亿元,增长10.2%。"
    facts = run(text, ctx).facts
    assert [(f.indicator_code, f.measure, f.value) for f in facts] == [
        ("gdp", "value", 923010000000.0),
        ("gdp", "growth_pct", 5.0),
        (None, "value", 290000000.0),
        (None, "growth_pct", 10.2),
    ]
    assert facts[2].indicator_label == "第一产业增加值"
    assert all(f.year == 2024 for f in facts)


def test_gwr_review_and_this_years_goals():
    ctx = DocumentContext("other", 2019, 2020, None, "重庆市")
    text = (
        "根据“重庆发布”消息,2019年,重庆地区生产总值增速保持在合理区间,初步预计全年增长6.3%。\n"
        "对于今年政府工作要求,会议提出,2020年重庆地区生产总值增长6%,固定资产投资增长6%左右。"
    )
    facts = coded(text, ctx)
    assert [(f.indicator_code, f.year, f.basis, f.value, f.comparator) for f in facts] == [
        ("gdp", 2019, "actual", 6.3, "="),
        ("gdp", 2020, "target", 6.0, "="),
        ("fixed_asset_investment", 2020, "target", 6.0, "~"),
    ]


def test_this_year_follows_the_document_date():
    ctx = DocumentContext("gov_work_report", 2022, 2023, __import__("datetime").date(2022, 12, 21))
    text = "第一部分 2022年工作情况\n今年,全区地区生产总值预计完成213亿元,按不变价计算增长4%,实现市政府调控目标。"
    facts = coded(text, ctx)
    assert [(f.year, f.basis, f.measure, f.value) for f in facts] == [(2022, "actual", "value", 21300000000.0), (2022, "actual", "growth_pct", 4.0)]


def test_target_list_after_colon():
    ctx = DocumentContext("other", None, 2025, None)
    text = "报告指出,2025年,中山全市经济社会发展主要预期目标是:地区生产总值增长5.5%;社会消费品零售总额增长5%,规模以上工业增加值增长6%以上;地方一般公共预算收入增长3%。"
    facts = coded(text, ctx)
    assert [(f.indicator_code, f.year, f.basis, f.value, f.comparator) for f in facts] == [
        ("gdp", 2025, "target", 5.5, "="),
        ("retail_sales", 2025, "target", 5.0, "="),
        ("industrial_value_added", 2025, "target", 6.0, ">="),
        ("budget_revenue", 2025, "target", 3.0, "="),
    ]


def test_half_year_periods():
    ctx = DocumentContext("half_year_report", 2022, None, None)
    text = "一、上半年计划执行情况\n一季度,全区地区生产总值完成276.1亿元,同比增长5.2%,高于市级下达指标任务10.2个百分点。"
    facts = coded(text, ctx)
    assert [(f.period, f.measure, f.value) for f in facts] == [("Q1", "value", 27610000000.0), ("Q1", "growth_pct", 5.2)]
    text2 = "2018年1-6月,西城区实现社会消费品零售总额501.5亿元,同比增长4.0%。"
    assert {f.period for f in coded(text2, DocumentContext("half_year_report", 2018))} == {"H1"}


@pytest.mark.parametrize(
    "cue,period",
    [("前三季度", "Q1-Q3"), ("1-9月", "Q1-Q3"), ("1-10月", "M1-M10"), ("一季度", "Q1"), ("上半年", "H1")],
)
def test_period_cues(cue, period):
    f = one(f"{cue},全区固定资产投资同比增长6%。", indicator_code="fixed_asset_investment")
    assert f.period == period


def test_explicit_year_wins():
    f = one("从2020年的973.8亿元增加至2024年的1312.9亿元。", DocumentContext("other", 2025), raw_text="973.8亿元")
    assert f.year == 2020
    f = one("地区生产总值从2020年的973.8亿元增加至2024年的1312.9亿元。", DocumentContext("other", 2025), raw_text="1312.9亿元")
    assert (f.indicator_code, f.year) == ("gdp", 2024)


def test_multiples():
    facts = run("信软产业年营收达百亿量级,较上年增长5倍,增速34.2%,全市第三。").facts
    assert [(f.measure, f.value) for f in facts] == [("growth_pct", 500.0), ("growth_pct", 34.2), ("rank", 3.0)]
    assert one("一般公共预算收入实现翻一番。", measure="growth_pct").value == 100.0
    assert one("经济总量翻两番。", measure="growth_pct").value == 300.0


def test_signs():
    assert one("一般公共预算支出262.8亿元,比上年下降6%。", measure="growth_pct").value == -6.0
    # a printed minus after 下降 is a dash, not a second sign
    assert one("工业增加值下降-0.5%。", measure="growth_pct").value == -0.5
    assert one("工业增加值增长-0.5%。", measure="growth_pct").value == -0.5
    assert one("全区常住人口出生率为5.61‰,自然增长率为-1.57‰。", raw_text="1.57‰").value == -1.57


def test_ranges_and_trailing_about():
    ctx = DocumentContext("plan_report", None, 2023)
    text = "主要预期目标是:城乡居民人均可支配收入分别增长7%、8%左右。"
    facts = coded(text, ctx)
    assert [(f.indicator_code, f.value, f.comparator) for f in facts] == [
        ("urban_disposable_income", 7.0, "="),
        ("rural_disposable_income", 8.0, "~"),
    ]
    both = run("地区生产总值增长3%—5%。").facts  # a range is one fact (corpus README, WAREHOUSE.md)
    assert [(f.value, f.value_high, f.comparator, f.raw_text) for f in both] == [(3.0, 5.0, "between", "3%—5%")]
    two = coded("居民人均可支配收入增长8.5%和9%左右。")
    assert [(f.value, f.comparator) for f in two] == [(8.5, "="), (9.0, "~")]


def test_respectively_pairs_subjects():
    ctx = DocumentContext("other", None, 2020)
    text = "今年的主要预期目标是:城镇调查失业率、城镇登记失业率分别为4.8%左右和4.3%左右。"
    facts = coded(text, ctx)
    assert [(f.indicator_code, f.value) for f in facts] == [("surveyed_unemployment_rate", 4.8), ("unemployment_rate", 4.3)]
    heb = coded("上半年,全社会固定资产投资完成3806.8亿元,其中城镇投资3197.2亿元,分别增长33.0%和34.9%。", DocumentContext("half_year_report", 2008))
    assert [(f.indicator_code, f.measure, f.value) for f in heb] == [
        ("fixed_asset_investment", "value", 380680000000.0),
        ("fixed_asset_investment", "growth_pct", 33.0),
    ]


def test_levels_then_growths_in_parallel():
    ctx = DocumentContext("other", 2014, 2015)
    text = "2014年城乡居民人均可支配收入分别为3.6万元、2.1万元,增长9.4%、10.2%。"
    facts = coded(text, ctx)
    assert [(f.indicator_code, f.measure, f.value) for f in facts] == [
        ("urban_disposable_income", "value", 36000.0),
        ("rural_disposable_income", "value", 21000.0),
        ("urban_disposable_income", "growth_pct", 9.4),
        ("rural_disposable_income", "growth_pct", 10.2),
    ]


def test_rank_shared_by_a_list():
    ctx = DocumentContext("plan_report", 2022, 2023)
    text = "人均地区生产总值、全员劳动生产率、居民人均可支配收入、登记失业率等重要经济社会发展指标,保持全市第一。"
    ranks = coded(text, ctx)
    assert {(f.indicator_code, f.measure, f.value, f.qualifier) for f in ranks} == {
        ("disposable_income", "rank", 1.0, "全市"),
        ("unemployment_rate", "rank", 1.0, "全市"),
    }


@pytest.mark.parametrize(
    "text,value,scope",
    [
        ("固投爬坡完成市级任务,总量排名全市第五。", 5, "全市"),
        ("新设市场主体2.75万户,增幅居全市第四。", 4, "全市"),
        ("京外迁入企业152户,位列全市第二。", 2, "全市"),
        ("该区地区生产总值同比增长6.8%,增速位居全市第2位。", 2, "全市"),
        ("昆明GDP总量在全国27个省会城市中排第12位。", 12, "全国27个省会城市"),
    ],
)
def test_rank_forms(text, value, scope):
    f = one(text, measure="rank")
    assert f.value == value and f.unit == "rank" and f.qualifier == scope


def test_rank_subject():
    assert one("固投爬坡完成市级任务,总量排名全市第五。", measure="rank").indicator_code == "fixed_asset_investment"
    f = one("昆明GDP总量在全国27个省会城市中排第12位。", DocumentContext("other", 2019), measure="rank")
    assert f.indicator_code == "gdp" and f.raw_text == "第12位"


def test_share_and_gap_get_no_code():
    facts = run("全区第三产业增加值占全市的20.7%,增速高于全市0.2个百分点。民生领域投入占公共预算支出的81%。").facts
    assert [(f.measure, f.value, f.indicator_code) for f in facts] == [
        ("share_pct", 20.7, None),
        ("change_pp", 0.2, None),
        ("share_pct", 81.0, None),
    ]


def test_not_labelled_conventions():
    text = (
        "实现地区生产总值210.9亿元,年均增长9.1%;税费总收入82亿元;人均地区生产总值54172元;"
        "合同外资5亿美元;工业增加值增长5%;财政总收入1003.08亿元,增长13.49%。"
    )
    facts = run(text, DocumentContext("gov_work_report", 2016, 2017)).facts
    coded_ = [(f.indicator_code, f.measure, f.value) for f in facts if f.indicator_code]
    assert coded_ == [("gdp", "value", 21090000000.0)]
    assert len(facts) == 8  # every figure is still a fact


def test_five_year_growth_is_not_labelled_but_the_level_reached_is():
    ctx = DocumentContext("gov_work_report", 2021, 2022)
    text = "全区地区生产总值年均增长6.6%,突破千亿元大关;一般公共预算收入年均增长9.4%,跨入百亿元行列;居民人均可支配收入年均增长8.1%,迈上5万元台阶。"
    facts = coded(text, ctx)
    assert [(f.indicator_code, f.value, f.comparator, f.raw_text) for f in facts] == [
        ("gdp", 1e11, ">", "千亿元"),
        ("budget_revenue", 1e10, ">=", "百亿元"),
        ("disposable_income", 50000.0, ">=", "5万元"),
    ]


def test_qualifier_kept():
    f = one("地区生产总值扣除疫苗影响同比增长3%,一般公共预算收入完成104.4亿元。", indicator_code="gdp")
    assert f.value == 3.0 and "扣除疫苗影响" in f.qualifier


def test_reductions_are_positive_values():
    f = one("单位地区生产总值能耗降幅为5%左右。", indicator_code="energy_intensity_reduction")
    assert (f.measure, f.value, f.comparator) == ("value", 5.0, "~")
    f = one("万元生产总值能耗下降4%左右。", indicator_code="energy_intensity_reduction")
    assert (f.measure, f.value) == ("value", 4.0)


def test_unemployment_rates_are_never_merged():
    assert one("城镇调查失业率5.5%左右。").indicator_code == "surveyed_unemployment_rate"
    assert one("城镇登记失业率为3.7%。").indicator_code == "unemployment_rate"


def test_elliptical_industry_names():
    f = one("上半年,规模以上工业完成增加值2904.7亿元,增长16.7%。", DocumentContext("half_year_report", 2008), measure="value")
    assert f.indicator_code == "industrial_value_added"
    text = "完成一般公共预算收入2459.1亿元,同口径增长5.9%。规模以上工业总产值达到4.69万亿元,增加值增长9%左右。"
    f = one(text, DocumentContext("other", 2024), raw_text="9%左右")
    assert f.indicator_code == "industrial_value_added"


def test_attributive_figures_get_no_code():
    ctx = DocumentContext("other", 2023, 2024)
    text = "2023年广东地区生产总值达到13.57万亿元、增长4.8%,是全国首个突破13万亿元的省份,总量连续35年居全国首位。"
    facts = coded(text, ctx)
    assert [(f.measure, f.value) for f in facts] == [("value", 13.57e12), ("growth_pct", 4.8), ("rank", 1.0)]


def test_year_lists_and_runs_of_years():
    ctx = DocumentContext("other", 2019, None)
    text = "其中2017、2018年,昆明规模以上工业增加值分别增长10.4%和14.0%,增速连续两年位居全国省会城市第1位。"
    facts = coded(text, ctx)
    assert sorted((f.year, f.measure, f.value) for f in facts) == [
        (2017, "growth_pct", 10.4),
        (2017, "rank", 1.0),
        (2018, "growth_pct", 14.0),
        (2018, "rank", 1.0),
    ]


def test_table_flattened_one_cell_per_line():
    ctx = DocumentContext("stats_bulletin", 2020)
    text = "1:固定资产投资(不含农户)及其构成\n\n指标名称\n\n增长速度(%)\n\n固定资产投资(不含农户)\n\n11.7\n\n#建筑安装投资\n\n1.7\n\n#政策性住房\n\n15.4\n"
    facts = run(text, ctx).facts
    assert [(f.indicator_code, f.measure, f.value, f.unit, f.raw_text) for f in facts] == [
        ("fixed_asset_investment", "growth_pct", 11.7, "percent", "11.7"),
        ("construction_investment", "growth_pct", 1.7, "percent", "1.7"),
        (None, "growth_pct", 15.4, "percent", "15.4"),
    ]


def test_pipe_table_units_from_the_header():
    ctx = DocumentContext("stats_bulletin", 2024)
    text = "| 指标 | 绝对数(亿元) | 比上年增长% |\n| 地区生产总值 | 2313.0 | 5.2 |\n| 其中:第一产业 | 287.0 | 2.2 |\n"
    facts = run(text, ctx).facts
    assert [(f.indicator_code, f.measure, f.value, f.unit) for f in facts] == [
        ("gdp", "value", 231300000000.0, "CNY"),
        ("gdp", "growth_pct", 5.2, "percent"),
        (None, "value", 28700000000.0, "CNY"),
        (None, "growth_pct", 2.2, "percent"),
    ]


def test_annual_average_rate_is_not_a_multi_year_average():
    ctx = DocumentContext("gov_work_report", 2023, 2024)
    f = one("城镇新增就业1244万人,年均城镇调查失业率5.2%。", ctx, raw_text="5.2%")
    assert (f.indicator_code, f.measure, f.value) == ("surveyed_unemployment_rate", "value", 5.2)


@pytest.mark.parametrize(
    "text,code,measure,value,unit",
    [
        ("全年全市生产总值达到3.2万亿元,按可比价格计算,比上年增长5.5%。", "gdp", "value", 3.2e12, "CNY"),
        ("实际利用外资12.5亿美元,增长15%。", "foreign_investment", "value", 1.25e9, "USD"),
        ("空气质量优良天数比率达到85.2%,PM2.5平均浓度下降到30微克/立方米。", "pm25", "value", 30.0, "ug/m3"),
        ("空气质量优良天数比率达到85.2%。", "good_air_days_ratio", "value", 85.2, "percent"),
        ("技术合同成交额突破200亿元,增长20%。", "tech_contract_value", "value", 2e10, "CNY"),
        ("年末常住人口1234.56万人,比上年末增加5.6万人。", "resident_population", "value", 12345600.0, "person"),
        ("全年完成固定资产投资比上年下降2.3%,其中工业投资增长10.1%。", "fixed_asset_investment", "growth_pct", -2.3, "percent"),
        ("城镇污水处理率达到98%。", "sewage_treatment_rate", "value", 98.0, "percent"),
        ("每万人拥有高价值发明专利数实现22件。", "high_value_patents_per_10k", "value", 22.0, "count"),
        ("食品安全监测抽验合格率达到98.5%以上。", "food_safety_pass_rate", "value", 98.5, "percent"),
    ],
)
def test_genre_sentences(text, code, measure, value, unit):
    ctx = DocumentContext("stats_bulletin", 2023)
    facts = [f for f in coded(text, ctx) if f.indicator_code == code and f.measure == measure]
    assert len(facts) == 1
    assert facts[0].value == pytest.approx(value) and facts[0].unit == unit


def test_subsets_after_其中_get_no_code():
    facts = run("全年完成固定资产投资比上年下降2.3%,其中工业投资增长10.1%,民间投资下降5.5%。", DocumentContext("stats_bulletin", 2023)).facts
    assert [(f.indicator_code, f.value) for f in facts] == [("fixed_asset_investment", -2.3), (None, 10.1), (None, -5.5)]


def test_another_regions_figure_gets_no_code():
    ctx = DocumentContext("other", 2023, 2024, None, "广东省")
    facts = run("●2023年广东地区生产总值达到13.57万亿元;\n●广州经济总量突破3万亿元;\n●高新区地区生产总值增长8%。", ctx).facts
    assert [(f.indicator_code, f.value) for f in facts] == [("gdp", 13.57e12), (None, 3e12), (None, 8.0)]
    own = run("全省经济总量达到13.57万亿元。", ctx).facts
    assert own[0].indicator_code == "gdp"


def test_a_named_subset_of_industry_is_not_promoted():
    facts = run("全年规模以上工业增加值比上年增长5.0%,其中国有控股企业增加值增长3.3%。", DocumentContext("stats_bulletin", 2023)).facts
    assert [(f.indicator_code, f.value) for f in facts] == [("industrial_value_added", 5.0), (None, 3.3)]


def test_real_growth_after_nominal_gets_no_code():
    facts = run("全年全市居民人均可支配收入73797元,比上年增长4.9%,扣除价格因素,实际增长4.5%。", DocumentContext("stats_bulletin", 2023)).facts
    assert [(f.indicator_code, f.measure, f.value) for f in facts] == [
        ("disposable_income", "value", 73797.0),
        ("disposable_income", "growth_pct", 4.9),
        (None, "growth_pct", 4.5),
    ]
    assert "扣除价格因素" in facts[2].qualifier


def test_city_proper_is_this_region():
    f = one("全年市区PM2.5平均浓度为30微克/立方米。", DocumentContext("stats_bulletin", 2023, None, None, "浙江省杭州市"))
    assert (f.indicator_code, f.value) == ("pm25", 30.0)


def test_past_year_follows_the_reviewed_year():
    from datetime import date

    december = DocumentContext("gov_work_report", 2022, 2023, date(2022, 12, 21))
    january = DocumentContext("gov_work_report", 2024, 2025, date(2025, 1, 8))
    assert one("过去一年,全区地区生产总值增长4%。", december).year == 2022
    assert one("过去一年,全区地区生产总值增长4%。", january).year == 2024
    assert one("2023年度,全区地区生产总值增长4%。", DocumentContext("other")).year == 2023


def test_elliptic_list_items_borrow_the_head_noun():
    facts = coded("城镇、农村居民人均可支配收入分别为5万元和3万元,分别增长4.5%和6.2%。", DocumentContext("stats_bulletin", 2023))
    assert [(f.indicator_code, f.measure, f.value) for f in facts] == [
        ("urban_disposable_income", "value", 50000.0),
        ("rural_disposable_income", "value", 30000.0),
        ("urban_disposable_income", "growth_pct", 4.5),
        ("rural_disposable_income", "growth_pct", 6.2),
    ]


def test_three_subjects_three_figures():
    facts = coded("地区生产总值、固定资产投资、社会消费品零售总额分别增长5%、8%和6%。", DocumentContext("stats_bulletin", 2023))
    assert [(f.indicator_code, f.value) for f in facts] == [("gdp", 5.0), ("fixed_asset_investment", 8.0), ("retail_sales", 6.0)]


def test_achieved_goals_are_not_targets():
    f = one("全面实现“十四五”发展目标,地区生产总值增长5%。", DocumentContext("gov_work_report", 2025, 2026))
    assert f.basis == "actual"


def test_wrapped_pdf_lines_keep_their_section_headings():
    text = (
        "一、2023年国民经济和社会发展计划执行情况\n"
        "2023年是全面贯彻落实党的二十大精神开局之年,地区生产总值增长5.2%,一般公共预算收入完\n成110.4亿元。\n"
        "二、2024年经济社会发展计划初步安排\n(二)主要指标\n"
        "一是着力提升经济发展质量。推动主要经济指标平稳向好运行,地区生产总值增长4.5%左右,规模\n以上工业总产值增长5%以上。"
    )
    facts = coded(text)
    assert [(f.indicator_code, f.year, f.basis, f.value) for f in facts] == [
        ("gdp", 2023, "actual", 5.2),
        ("budget_revenue", 2023, "actual", 11040000000.0),
        ("gdp", 2024, "target", 4.5),
        ("industrial_output", 2024, "target", 5.0),
    ]


def test_two_year_average_and_base_year_growth_get_no_code():
    ctx = DocumentContext("stats_bulletin", 2021)
    facts = run("地区生产总值同比增长8.5%,两年平均增长5.1%。", ctx).facts
    assert [(f.indicator_code, f.value) for f in facts] == [("gdp", 8.5), (None, 5.1)]
    f = one("社会消费品零售总额比2019年同期增长10%。", ctx)
    assert f.indicator_code is None and f.qualifier == "比2019年同期"
    assert one("社会消费品零售总额比2020年增长10%。", ctx).indicator_code == "retail_sales"


def test_annual_mean_concentration_is_not_a_multi_year_cue():
    ctx = DocumentContext("plan_report", 2024, 2025)
    text = "细颗粒物年均浓度为30微克/立方米,同比下降6.3%;单位地区生产总值能耗下降3.5%。"
    facts = coded(text, ctx)
    assert [(f.indicator_code, f.measure, f.value) for f in facts] == [
        ("pm25", "value", 30.0),
        ("pm25", "growth_pct", -6.3),
        ("energy_intensity_reduction", "value", 3.5),
    ]


def test_multiples_and_ratios():
    assert one("外贸进出口额翻了一番。").value == 100.0
    assert one("工业投资增长0.5倍。").value == 50.0
    f = one("营业收入是上年的2倍。")
    assert (f.measure, f.value, f.unit, f.indicator_code) == ("ratio", 2.0, "times", None)


def test_more_names_of_the_same_indicators():
    ctx = DocumentContext("stats_bulletin", 2023)
    assert one("PM2.5累计浓度为30微克/立方米。", ctx).indicator_code == "pm25"
    assert one("细颗粒物(PM2.5)年均浓度为32微克/立方米。", ctx).indicator_code == "pm25"
    assert one("空气质量达标天数比例达到78.5%。", ctx).indicator_code == "good_air_days_ratio"
    assert one("每万人发明专利拥有量达到150件。", ctx).indicator_code is None  # not the high-value count


def test_short_subject_borrows_the_head_noun_of_the_previous_one():
    ctx = DocumentContext("stats_bulletin", 2023, None, None, "广东省")
    facts = coded("城镇居民人均可支配收入增长5%,农村居民增长6%。", ctx)
    assert [(f.indicator_code, f.value) for f in facts] == [("urban_disposable_income", 5.0), ("rural_disposable_income", 6.0)]
    other = run("全省地区生产总值增长5%,其中广州增长6%。", ctx).facts
    assert [(f.indicator_code, f.value) for f in other] == [("gdp", 5.0), (None, 6.0)]


def test_a_reposted_page_keeps_the_reports_year():
    from datetime import date

    ctx = DocumentContext("plan_report", 2015, 2016, date(2017, 4, 11))
    f = one("今年,全区地区生产总值增长7%左右的目标。", ctx)
    assert f.year == 2016


def test_figure_captions_are_not_sections():
    ctx = DocumentContext("stats_bulletin", 2020)
    text = "图2 2015-2019年常住人口\n单位:万人\n年末全区常住人口201.5万人。"
    assert one(text, ctx, indicator_code="resident_population").year == 2020


def test_percent_of_a_plan_is_not_growth():
    facts = run("固定资产投资完成800亿元,完成年度计划的102.3%。").facts
    assert [(f.indicator_code, f.measure, f.value) for f in facts] == [("fixed_asset_investment", "value", 8e10), (None, "pct_of", 102.3)]


def test_a_rate_that_fell_to_a_level_is_not_negative():
    assert one("地区生产总值增速回落至5%。", DocumentContext("stats_bulletin", 2023)).value == 5.0
    assert one("规模以上工业总产值同比下降17.7%。", DocumentContext("stats_bulletin", 2023)).value == -17.7


def test_starting_point_of_a_change_gets_no_code():
    facts = run("固定资产投资增速由10%降至3%。", DocumentContext("stats_bulletin", 2023)).facts
    assert [(f.indicator_code, f.value) for f in facts] == [(None, 10.0), ("fixed_asset_investment", 3.0)]
