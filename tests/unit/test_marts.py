"""The marts on a small hand-made warehouse with known answers.

The documents are short excerpts of real reports (Daxing 2022-2024 plan and work reports,
Chaoyang's 2024 statistical bulletin) with the real figures, plus three hand-made documents that
do not exist in the corpus, marked HAND-MADE below, for the cases the real excerpts lack (a final
bulletin figure, a later news restatement, targets just inside and just outside a tolerance band).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines import docs, marts

YI = 1e8  # 亿

DX, DX_CODE = "北京市大兴区", "110115"
CY, CY_CODE = "北京市朝阳区", "110105"


def doc_id(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:16]


@dataclass
class F:
    """One fact: ``raw`` is found in sentence ``s`` (the n-th occurrence, from 0)."""

    s: int
    raw: str
    code: str | None
    year: int
    measure: str
    value: float
    unit: str
    basis: str = "actual"
    cmp: str = "="
    period: str = "FY"
    label: str = ""
    qualifier: str | None = None
    value_high: float | None = None
    nth: int = 0


@dataclass
class D:
    name: str
    title: str
    region: str
    region_code: str
    doc_type: str
    actual_year: int | None
    plan_year: int | None
    published_on: date | None
    sentences: list[str]
    facts: list[F] = field(default_factory=list)

    @property
    def id(self) -> str:
        return doc_id(self.name)


DOCS: list[D] = [
    D(
        "dx-2022-plan",
        "北京市大兴区2022年国民经济和社会发展计划执行情况与2023年国民经济和社会发展计划的报告",
        DX, DX_CODE, "plan_report", 2022, 2023, date(2023, 2, 9),
        [
            "——主要经济指标稳中有进。地区生产总值扣除疫苗影响同比增长3%,一般公共预算收入完成104.4亿元,"
            "规模以上工业总产值完成1017.7亿元,固定资产投资完成922.3亿元,社会消费品零售额完成640.1亿元。",
            "——人居环境质量明显改善。森林覆盖率提升至34%,生活垃圾回收利用率达37.5%,"
            "全区污水处理率达95%以上,细颗粒物年均浓度32微克/立方米。",
        ],
        [
            F(0, "3%", "gdp", 2022, "growth_pct", 3, "percent", qualifier="扣除疫苗影响"),
            F(0, "104.4亿元", "budget_revenue", 2022, "value", 104.4 * YI, "CNY"),
            F(0, "1017.7亿元", "industrial_output", 2022, "value", 1017.7 * YI, "CNY"),
            F(0, "922.3亿元", "fixed_asset_investment", 2022, "value", 922.3 * YI, "CNY"),
            F(0, "640.1亿元", "retail_sales", 2022, "value", 640.1 * YI, "CNY"),
            F(1, "32微克/立方米", "pm25", 2022, "value", 32, "ug/m3"),
        ],
    ),
    D(
        "dx-2023-plan",
        "北京市大兴区2023年国民经济和社会发展计划执行情况与2024年国民经济和社会发展计划的报告",
        DX, DX_CODE, "plan_report", 2023, 2024, date(2024, 2, 2),
        [
            "美锦氢能总部基地一期等12个项目开工。",
            "全年规模以上工业总产值完成844.1亿元,全市第六,同比下降17.7%。",
            "持续实施“一微克”行动,PM2.5年均浓度36微克/立方米。",
            "推动主要经济指标平稳向好运行,地区生产总值增长4.5%左右,规模以上工业总产值增长5%以上,"
            "社会消费品零售额增长5%以上,固定资产投资完成1000亿元,建安投资完成360亿元,一般公共预算收入完成110亿元。",
            # HAND-MADE sentences (not in the real report): a PM2.5 target as in WAREHOUSE.md's
            # example, and a second, later statement of the 2023 industrial output.
            "细颗粒物年均浓度36微克/立方米左右。",
            "规模以上工业总产值约844亿元。",
        ],
        [
            F(0, "12个", None, 2023, "value", 12, "count", label="开工项目"),
            F(1, "844.1亿元", "industrial_output", 2023, "value", 844.1 * YI, "CNY"),
            F(1, "第六", "industrial_output", 2023, "rank", 6, "rank", qualifier="全市"),
            F(1, "17.7%", "industrial_output", 2023, "growth_pct", -17.7, "percent"),
            F(2, "36微克/立方米", "pm25", 2023, "value", 36, "ug/m3"),
            F(3, "4.5%左右", "gdp", 2024, "growth_pct", 4.5, "percent", "target", "~"),
            F(3, "5%以上", "industrial_output", 2024, "growth_pct", 5, "percent", "target", ">="),
            F(3, "5%以上", "retail_sales", 2024, "growth_pct", 5, "percent", "target", ">=", nth=1),
            F(3, "1000亿元", "fixed_asset_investment", 2024, "value", 1000 * YI, "CNY", "target"),
            F(3, "360亿元", "construction_investment", 2024, "value", 360 * YI, "CNY", "target"),
            F(3, "110亿元", "budget_revenue", 2024, "value", 110 * YI, "CNY", "target"),
            F(4, "36微克/立方米左右", "pm25", 2024, "value", 36, "ug/m3", "target", "~"),
            F(5, "844亿元", "industrial_output", 2023, "value", 844 * YI, "CNY", cmp="~"),
        ],
    ),
    D(
        "dx-2024-gwr",
        "大兴区六届人大五次会议政府工作报告",
        DX, DX_CODE, "gov_work_report", 2024, 2025, date(2025, 1, 26),
        [
            "初步预计,地区生产总值增长5.2%;一般公共预算收入完成110.4亿元、增长5%;固定资产投资达835.9亿元。",
        ],
        [
            F(0, "5.2%", "gdp", 2024, "growth_pct", 5.2, "percent"),
            F(0, "110.4亿元", "budget_revenue", 2024, "value", 110.4 * YI, "CNY"),
            F(0, "5%", "budget_revenue", 2024, "growth_pct", 5, "percent"),
            F(0, "835.9亿元", "fixed_asset_investment", 2024, "value", 835.9 * YI, "CNY"),
        ],
    ),
    D(
        "dx-2024-plan",
        "北京市大兴区2024年国民经济和社会发展计划执行情况与2025年国民经济和社会发展计划的报告",
        DX, DX_CODE, "plan_report", 2024, 2025, None,
        [
            "坚决扛起稳定经济增长的硬任务,地区生产总值增长5.2%,一般公共预算收入增长5%,规模以上工业总产值增长1.3%。",
            "生活垃圾回收利用率达40%,全区污水处理率达96%以上,细颗粒物年均浓度34微克/立方米。",
        ],
        [
            F(0, "5.2%", "gdp", 2024, "growth_pct", 5.2, "percent"),
            F(0, "5%", "budget_revenue", 2024, "growth_pct", 5, "percent"),
            F(0, "1.3%", "industrial_output", 2024, "growth_pct", 1.3, "percent"),
            F(1, "34微克/立方米", "pm25", 2024, "value", 34, "ug/m3"),
        ],
    ),
    # HAND-MADE: a 2024 statistical bulletin for Daxing with a final budget revenue figure.
    D(
        "dx-2024-bulletin-handmade",
        "北京市大兴区2024年国民经济和社会发展统计公报",
        DX, DX_CODE, "stats_bulletin", 2024, None, date(2025, 3, 28),
        ["全年一般公共预算收入110.6亿元。"],
        [F(0, "110.6亿元", "budget_revenue", 2024, "value", 110.6 * YI, "CNY")],
    ),
    # HAND-MADE: news after the bulletin repeating the preliminary estimate.
    D(
        "dx-2025-news-handmade",
        "大兴区去年一般公共预算收入稳步增长",
        DX, DX_CODE, "other", None, None, date(2025, 4, 10),
        ["大兴区2024年一般公共预算收入完成110.4亿元。"],
        [F(0, "110.4亿元", "budget_revenue", 2024, "value", 110.4 * YI, "CNY")],
    ),
    D(
        "cy-2024-bulletin",
        "朝阳区2024年国民经济和社会发展统计公报",
        CY, CY_CODE, "stats_bulletin", 2024, None, None,
        [
            "初步核算,全年实现地区生产总值(GDP)9230.1亿元,按不变价计算,比上年增长5.0%。",
            "全年完成区级一般公共预算收入566.3亿元,比上年增长0.5%。",
            "全年开发就业岗位11.0万个,城镇登记失业率为3.7%。",
        ],
        [
            F(0, "9230.1亿元", "gdp", 2024, "value", 9230.1 * YI, "CNY"),
            F(0, "5.0%", "gdp", 2024, "growth_pct", 5.0, "percent"),
            F(1, "566.3亿元", "budget_revenue", 2024, "value", 566.3 * YI, "CNY", qualifier="区级"),
            F(1, "0.5%", "budget_revenue", 2024, "growth_pct", 0.5, "percent"),
            F(2, "3.7%", "unemployment_rate", 2024, "value", 3.7, "percent"),
        ],
    ),
    # HAND-MADE: Chaoyang targets for 2024: one just outside its band, one exactly on its edge.
    D(
        "cy-2023-plan-handmade",
        "北京市朝阳区2023年国民经济和社会发展计划执行情况与2024年国民经济和社会发展计划的报告",
        CY, CY_CODE, "plan_report", 2023, 2024, date(2024, 1, 15),
        ["地区生产总值增长5.6%左右,一般公共预算收入增长1%左右,城镇登记失业率控制在4%以内。"],
        [
            F(0, "5.6%左右", "gdp", 2024, "growth_pct", 5.6, "percent", "target", "~"),
            F(0, "1%左右", "budget_revenue", 2024, "growth_pct", 1, "percent", "target", "~"),
            F(0, "4%以内", "unemployment_rate", 2024, "value", 4, "percent", "target", "<="),
        ],
    ),
]

DOC = {d.name: d for d in DOCS}


def fact_id(d: D, i: int) -> str:
    return f"{d.id}-{i:04d}"


def fill_core(con, documents: list[D] = DOCS) -> None:
    """Insert the documents, their texts and facts into core (schemas must exist)."""
    for d in documents:
        text = d.title + "\n"
        starts = []
        for s in d.sentences:
            starts.append(len(text))
            text += s + "\n"
        con.execute(
            "INSERT INTO core.documents (document_id, title, region, region_code, doc_type, "
            "actual_year, plan_year, published_on, source_agency, page_count, char_count, "
            "extractor_version, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, 'test', now())",
            [d.id, d.title, d.region, d.region_code, d.doc_type, d.actual_year, d.plan_year,
             d.published_on, len(text)],
        )
        con.execute("INSERT INTO core.document_texts VALUES (?, ?)", [d.id, text])
        for i, f in enumerate(d.facts):
            sentence = d.sentences[f.s]
            pos = -1
            for _ in range(f.nth + 1):
                pos = sentence.index(f.raw, pos + 1)
            start = starts[f.s] + pos
            end = start + len(f.raw)
            assert text[start:end] == f.raw
            con.execute(
                "INSERT INTO core.indicator_facts (fact_id, document_id, region, indicator_code, "
                "indicator_label, year, period, basis, measure, value, unit, comparator, raw_text, "
                "qualifier, page, char_start, char_end, sentence, raw_unit, value_high) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, NULL, ?)",
                [fact_id(d, i), d.id, d.region, f.code, f.label or (f.code or "?"), f.year,
                 f.period, f.basis, f.measure, f.value, f.unit, f.cmp, f.raw, f.qualifier,
                 start, end, sentence, f.value_high],
            )


def make_warehouse(path: Path, documents: list[D] = DOCS, build: bool = True) -> None:
    """A warehouse file at ``path`` with the DDL, core.indicators, the documents and the marts."""
    con = duckdb.connect(str(path))
    try:
        docs.scratch_warehouse(con, build_marts=False)
        fill_core(con, documents)
        if build:
            marts.build_all_marts(con)
    finally:
        con.close()


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    path = tmp_path_factory.mktemp("marts") / "test.duckdb"
    make_warehouse(path)
    con = duckdb.connect(str(path))
    yield con
    con.close()


def rows(con, sql: str, params=None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def one(con, sql: str, params=None) -> dict:
    got = rows(con, sql, params)
    assert len(got) == 1, got
    return got[0]


# --- indicator_yoy ------------------------------------------------------------------------------


def test_yoy_daxing_industrial_output_2023(wh):
    r = one(wh, "SELECT * FROM marts.indicator_yoy WHERE region = ? AND indicator_code = ? AND year = ?",
            [DX, "industrial_output", 2023])
    assert r["value"] == pytest.approx(84_410_000_000)  # 844.1亿元, not the later 约844亿元
    assert r["unit"] == "CNY"
    assert r["prev_year"] == 2022
    assert r["prev_value"] == pytest.approx(101_770_000_000)
    assert r["abs_change"] == pytest.approx(-17_360_000_000)
    assert r["pct_change"] == pytest.approx(-17.06, abs=0.005)  # (844.1 - 1017.7) / 1017.7
    assert r["reported_growth_pct"] == pytest.approx(-17.7)
    assert r["growth_gap_pp"] == pytest.approx(-0.64, abs=0.005)
    assert r["value_document_id"] == DOC["dx-2023-plan"].id
    assert r["prev_document_id"] == DOC["dx-2022-plan"].id
    assert r["growth_document_id"] == DOC["dx-2023-plan"].id
    assert r["region_code"] == DX_CODE


def test_yoy_missing_previous_year_keeps_row_with_null_prev(wh):
    r = one(wh, "SELECT * FROM marts.indicator_yoy WHERE region = ? AND indicator_code = ? AND year = ?",
            [DX, "industrial_output", 2022])
    assert r["value"] == pytest.approx(101_770_000_000)
    for col in ("prev_year", "prev_value", "abs_change", "pct_change", "prev_document_id", "growth_gap_pp"):
        assert r[col] is None, col
    assert r["reported_growth_pct"] is None


def test_yoy_does_not_bridge_a_gap_year(wh):
    # FAI: 2022 and 2024 levels, no 2023: 2024 must not compare with 2022.
    r = one(wh, "SELECT * FROM marts.indicator_yoy WHERE region = ? AND indicator_code = ? AND year = ?",
            [DX, "fixed_asset_investment", 2024])
    assert r["prev_year"] is None and r["prev_value"] is None


def test_yoy_lower_is_better_series_and_chosen_sides(wh):
    got = rows(wh, "SELECT year, value, prev_value, pct_change FROM marts.indicator_yoy "
                   "WHERE region = ? AND indicator_code = 'pm25' ORDER BY year", [DX])
    assert [(g["year"], g["value"]) for g in got] == [(2022, 32), (2023, 36), (2024, 34)]
    assert got[1]["pct_change"] == pytest.approx(12.5)
    assert got[2]["pct_change"] == pytest.approx(-5.56, abs=0.005)
    # budget revenue 2024: the bulletin's final 110.6亿元 and the reported growth of 5 %
    r = one(wh, "SELECT * FROM marts.indicator_yoy WHERE region = ? AND indicator_code = ? AND year = ?",
            [DX, "budget_revenue", 2024])
    assert r["value"] == pytest.approx(110.6 * YI)
    assert r["value_document_id"] == DOC["dx-2024-bulletin-handmade"].id
    assert r["reported_growth_pct"] == pytest.approx(5)
    assert r["prev_value"] is None  # no 2023 level in the sample


def test_yoy_only_full_year_actual_levels_with_codes(wh):
    bad = wh.execute("SELECT count(*) FROM marts.indicator_yoy WHERE indicator_code IS NULL").fetchone()[0]
    assert bad == 0
    # one row per region, indicator, unit, year
    dup = wh.execute(
        "SELECT count(*) FROM (SELECT region, indicator_code, unit, year FROM marts.indicator_yoy "
        "GROUP BY ALL HAVING count(*) > 1)"
    ).fetchone()[0]
    assert dup == 0
    # targets never appear as levels: pm25 2024 is the actual 34, not the target 36
    r = one(wh, "SELECT value FROM marts.indicator_yoy WHERE region = ? AND indicator_code = 'pm25' AND year = 2024", [DX])
    assert r["value"] == 34


# --- plan_vs_actual -----------------------------------------------------------------------------


def pva(con, region, code, year=2024):
    return one(con, "SELECT * FROM marts.plan_vs_actual WHERE region = ? AND indicator_code = ? AND year = ?",
               [region, code, year])


def test_plan_vs_actual_gdp_about_target_attained(wh):
    r = pva(wh, DX, "gdp")
    assert r["measure"] == "growth_pct"
    assert r["target_value"] == 4.5 and r["target_comparator"] == "~"
    assert r["actual_value"] == pytest.approx(5.2)
    assert r["attained"] is True
    assert r["gap"] == pytest.approx(0.7)
    assert r["target_document_id"] == DOC["dx-2023-plan"].id
    # both estimates are preliminary; the later publication (the work report of 2025-01-26) wins
    assert r["actual_document_id"] == DOC["dx-2024-gwr"].id
    assert r["tolerance"] == 0.5 and r["threshold"] == pytest.approx(4.0)


def test_plan_vs_actual_at_least_target_missed(wh):
    r = pva(wh, DX, "industrial_output")
    assert (r["target_value"], r["target_comparator"], r["actual_value"]) == (5, ">=", 1.3)
    assert r["attained"] is False
    assert r["gap"] == pytest.approx(-3.7)
    assert r["actual_document_id"] == DOC["dx-2024-plan"].id  # published_on unknown, actual_year 2024


def test_plan_vs_actual_at_most_target_lower_is_better(wh):
    r = pva(wh, CY, "unemployment_rate")
    assert (r["target_value"], r["target_comparator"], r["actual_value"]) == (4, "<=", 3.7)
    assert r["direction"] == "lower"
    assert r["attained"] is True
    assert r["gap"] == pytest.approx(-0.3)
    assert r["actual_document_id"] == DOC["cy-2024-bulletin"].id  # reports 2024 as its actual_year


def test_plan_vs_actual_about_target_just_outside_band_missed(wh):
    r = pva(wh, CY, "gdp")
    assert (r["target_value"], r["target_comparator"], r["actual_value"]) == (5.6, "~", 5.0)
    assert r["threshold"] == pytest.approx(5.1)
    assert r["attained"] is False
    assert r["gap"] == pytest.approx(-0.6)


def test_plan_vs_actual_about_target_on_the_edge_attained(wh):
    r = pva(wh, CY, "budget_revenue")
    assert (r["target_value"], r["actual_value"]) == (1, 0.5)  # 1 - 0.5 = 0.5: no worse, attained
    assert r["attained"] is True


def test_plan_vs_actual_lower_is_better_level_with_percent_tolerance(wh):
    r = pva(wh, DX, "pm25")
    assert (r["target_value"], r["actual_value"]) == (36, 34)
    assert r["direction"] == "lower"
    assert r["tolerance"] == pytest.approx(0.72)  # 2 % of 36
    assert r["attained"] is True
    assert r["gap"] == pytest.approx(-2)


def test_plan_vs_actual_levels(wh):
    fai = pva(wh, DX, "fixed_asset_investment")  # 835.9亿 vs 1000亿 (=): band 980亿
    assert fai["attained"] is False
    assert fai["gap"] == pytest.approx(-164.1 * YI)
    br = pva(wh, DX, "budget_revenue")  # 110亿 target; the final bulletin figure 110.6亿 is used
    assert br["actual_value"] == pytest.approx(110.6 * YI)
    assert br["actual_document_id"] == DOC["dx-2024-bulletin-handmade"].id
    assert br["actual_is_final"] is True
    assert br["attained"] is True


def test_plan_vs_actual_only_pairs_with_actuals(wh):
    got = rows(wh, "SELECT region, indicator_code FROM marts.plan_vs_actual ORDER BY ALL")
    assert len(got) == 8
    # retail sales and construction investment targets have no 2024 actual in the sample
    assert ("北京市大兴区", "retail_sales") not in [(g["region"], g["indicator_code"]) for g in got]
    assert wh.execute("SELECT count(*) FROM marts.plan_vs_actual WHERE attained IS NULL").fetchone()[0] == 0
    # never pairs a target with a figure from its own document
    same = wh.execute(
        "SELECT count(*) FROM marts.plan_vs_actual WHERE target_document_id = actual_document_id"
    ).fetchone()[0]
    assert same == 0


@pytest.mark.parametrize("code, actual, attained", [
    ("gdp", 4.6, True),     # better higher: the lower end of 增长4.5%—5% is reached
    ("gdp", 4.2, False),
    ("cpi", 2.9, True),     # better lower: at or under the upper end of 涨幅2.5%—3%
    ("cpi", 3.4, False),
])
def test_plan_vs_actual_range_targets(tmp_path, code, actual, attained):
    target = D("plan", "计划", DX, DX_CODE, "plan_report", 2030, 2031, date(2031, 2, 2),
               ["增长4.5%—5%。"], [F(0, "4.5%—5%", code, 2031, "growth_pct" if code == "gdp" else "value", 4.5,
                                   "percent", "target", "between", value_high=5.0)])
    done = D("done", "执行情况", DX, DX_CODE, "plan_report", 2031, 2032, date(2032, 2, 2),
             [f"增长{actual}%。"], [F(0, f"{actual}%", code, 2031, "growth_pct" if code == "gdp" else "value",
                                     actual, "percent")])
    if code == "cpi":  # the range reads as 2.5 … 3
        target.facts[0] = F(0, "4.5%—5%", code, 2031, "value", 2.5, "percent", "target", "between", value_high=3.0)
    make_warehouse(tmp_path / "w.duckdb", [target, done])
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        got = rows(con, "SELECT target_comparator, target_value, target_value_high, attained FROM marts.plan_vs_actual")
    finally:
        con.close()
    assert len(got) == 1 and got[0]["target_comparator"] == "between" and got[0]["attained"] is attained
    assert got[0]["target_value_high"] == (5.0 if code == "gdp" else 3.0)


def test_plan_vs_actual_requires_later_document(tmp_path):
    # A target and an "actual" for the same year in an earlier document are not paired.
    earlier = D("early", "早的报告", DX, DX_CODE, "other", None, None, date(2023, 1, 1),
                ["地区生产总值增长6%。"], [F(0, "6%", "gdp", 2024, "growth_pct", 6, "percent")])
    target = D("target", "目标", DX, DX_CODE, "plan_report", 2023, 2024, date(2024, 2, 2),
               ["地区生产总值增长4.5%左右。"], [F(0, "4.5%左右", "gdp", 2024, "growth_pct", 4.5, "percent", "target", "~")])
    make_warehouse(tmp_path / "w.duckdb", [earlier, target])
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        assert con.execute("SELECT count(*) FROM marts.plan_vs_actual").fetchone()[0] == 0
    finally:
        con.close()


# --- indicator_revisions ------------------------------------------------------------------------


def test_revisions_between_documents_in_publication_order(wh):
    got = rows(wh, "SELECT * FROM marts.indicator_revisions WHERE region = ? AND indicator_code = ? "
                   "ORDER BY revision_no", [DX, "budget_revenue"])
    assert len(got) == 2
    a, b = got
    assert (a["year"], a["period"], a["basis"], a["measure"]) == (2024, "FY", "actual", "value")
    assert a["earlier_value"] == pytest.approx(110.4 * YI) and a["later_value"] == pytest.approx(110.6 * YI)
    assert a["change"] == pytest.approx(0.2 * YI)
    assert a["earlier_document_id"] == DOC["dx-2024-gwr"].id
    assert a["earlier_title"] == "大兴区六届人大五次会议政府工作报告"
    assert a["earlier_published_on"] == date(2025, 1, 26)
    assert a["earlier_raw_text"] == "110.4亿元" and a["later_raw_text"] == "110.6亿元"
    assert a["later_document_id"] == DOC["dx-2024-bulletin-handmade"].id
    assert b["earlier_document_id"] == DOC["dx-2024-bulletin-handmade"].id
    assert b["later_document_id"] == DOC["dx-2025-news-handmade"].id
    assert b["later_value"] == pytest.approx(110.4 * YI)
    assert (a["n_documents"], a["n_distinct_values"]) == (3, 2)


def test_revisions_ignore_equal_restatements_and_same_document(wh):
    # gdp growth 2024 is 5.2 in both the work report and the plan report: no revision;
    # industrial output 2023 is stated twice in one document (844.1亿元, then 约844亿元): no revision.
    assert wh.execute("SELECT count(*) FROM marts.indicator_revisions").fetchone()[0] == 2
    assert wh.execute("SELECT count(*) FROM marts.indicator_revisions WHERE earlier_document_id = later_document_id").fetchone()[0] == 0


# --- latest_indicators --------------------------------------------------------------------------


def test_latest_prefers_bulletin_over_plan_estimate_and_later_news(wh):
    r = one(wh, "SELECT * FROM marts.latest_indicators WHERE region = ? AND indicator_code = ? AND year = ? "
                "AND basis = 'actual' AND measure = 'value'", [DX, "budget_revenue", 2024])
    assert r["value"] == pytest.approx(110.6 * YI)
    assert r["document_id"] == DOC["dx-2024-bulletin-handmade"].id
    assert r["is_final"] is True
    assert (r["n_documents"], r["n_distinct_values"]) == (3, 2)
    assert r["indicator_name_zh"] == "一般公共预算收入"


def test_latest_prefers_later_publication_among_estimates(wh):
    r = one(wh, "SELECT * FROM marts.latest_indicators WHERE region = ? AND indicator_code = 'gdp' AND year = 2024 "
                "AND basis = 'actual' AND measure = 'growth_pct'", [DX])
    assert r["value"] == pytest.approx(5.2)
    assert r["document_id"] == DOC["dx-2024-gwr"].id
    assert r["is_final"] is False


def test_latest_later_years_report_is_final(tmp_path):
    # the 2022 level restated by the 2023 report (a later year's report) is final and beats the
    # 2022 report's own estimate.
    est = D("est", "2022 报告", DX, DX_CODE, "plan_report", 2022, 2023, date(2023, 2, 9),
            ["规模以上工业总产值完成1017.7亿元。"], [F(0, "1017.7亿元", "industrial_output", 2022, "value", 1017.7 * YI, "CNY")])
    later = D("later", "2023 报告", DX, DX_CODE, "plan_report", 2023, 2024, date(2024, 2, 2),
              ["上年规模以上工业总产值1020亿元。"], [F(0, "1020亿元", "industrial_output", 2022, "value", 1020 * YI, "CNY")])
    make_warehouse(tmp_path / "w.duckdb", [est, later])
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        r = one(con, "SELECT value, is_final, document_id FROM marts.latest_indicators")
        assert r["value"] == pytest.approx(1020 * YI) and r["is_final"] is True
        assert r["document_id"] == later.id
    finally:
        con.close()


def test_latest_first_statement_in_document_wins(wh):
    r = one(wh, "SELECT * FROM marts.latest_indicators WHERE region = ? AND indicator_code = 'industrial_output' "
                "AND year = 2023 AND measure = 'value'", [DX])
    assert r["raw_text"] == "844.1亿元" and r["n_documents"] == 1


def test_latest_unique_per_key_and_no_null_codes(wh):
    dup = wh.execute(
        "SELECT count(*) FROM (SELECT region, indicator_code, year, period, basis, measure "
        "FROM marts.latest_indicators GROUP BY ALL HAVING count(*) > 1)"
    ).fetchone()[0]
    assert dup == 0
    assert wh.execute("SELECT count(*) FROM marts.latest_indicators WHERE indicator_code IS NULL").fetchone()[0] == 0
    n_keys = wh.execute(
        "SELECT count(*) FROM (SELECT DISTINCT f.region, indicator_code, year, period, basis, measure, unit "
        "FROM core.indicator_facts f WHERE indicator_code IS NOT NULL)"
    ).fetchone()[0]
    assert wh.execute("SELECT count(*) FROM marts.latest_indicators").fetchone()[0] == n_keys


def test_latest_traces_back_to_the_text(wh):
    got = rows(wh, "SELECT l.raw_text, substr(t.text, l.char_start + 1, l.char_end - l.char_start) AS cut "
                   "FROM marts.latest_indicators l JOIN core.document_texts t USING (document_id)")
    assert got and all(g["raw_text"] == g["cut"] for g in got)


def test_latest_deterministic_tie_break(tmp_path):
    a = D("tie-a", "甲", DX, DX_CODE, "other", None, None, date(2024, 3, 1),
          ["森林覆盖率达34%。"], [F(0, "34%", "forest_coverage", 2023, "value", 34, "percent")])
    b = D("tie-b", "乙", DX, DX_CODE, "other", None, None, date(2024, 3, 1),
          ["森林覆盖率达35%。"], [F(0, "35%", "forest_coverage", 2023, "value", 35, "percent")])
    make_warehouse(tmp_path / "w.duckdb", [a, b])
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        first = one(con, "SELECT document_id FROM marts.latest_indicators")["document_id"]
        assert first == min(a.id, b.id)
        for _ in range(3):
            assert marts.build_mart(con, "latest_indicators") == 1
            assert one(con, "SELECT document_id FROM marts.latest_indicators")["document_id"] == first
    finally:
        con.close()


# --- the module: build, comments, preview -------------------------------------------------------


def test_build_mart_returns_row_counts_and_is_repeatable(wh):
    counts = {n: marts.build_mart(wh, n) for n in marts.MART_NAMES}
    assert counts["plan_vs_actual"] == 8
    assert counts["indicator_revisions"] == 2
    assert counts == {n: marts.build_mart(wh, n) for n in marts.MART_NAMES}


def test_mart_names_match_files():
    import re

    # found in the folder, each after what it reads, else by name
    assert marts.MART_NAMES == ["indicator_revisions", "indicator_yoy", "latest_indicators", "plan_vs_actual"]
    assert marts.STAGING_NAMES == ["stg_documents", "stg_stated_facts", "stg_chosen_facts"]
    for n in marts.MART_NAMES:
        sql = marts.mart_sql(n)
        assert marts.mart_sql_path(n) == marts.MARTS_DIR / f"{n}.sql"
        assert f"CREATE OR REPLACE TABLE marts.{n} AS" in sql
        # built only from core.* and the staging views, never from another mart
        refs = set(re.findall(r"\b(raw|core|quality|marts)\.\w+", sql))
        assert refs <= {"core", "marts"}, refs
        read = set(re.findall(r"\b(?:FROM|JOIN)\s+marts\.(\w+)", sql, re.I))
        assert read and read <= set(marts.STAGING_NAMES), read
    for i, n in enumerate(marts.STAGING_NAMES):
        sql = marts.mart_sql(n)
        assert marts.mart_sql_path(n) == marts.MARTS_DIR / "staging" / f"{n}.sql"
        assert f"CREATE OR REPLACE VIEW marts.{n} AS" in sql
        # built only from core.* and the staging views before it
        refs = set(re.findall(r"\b(raw|core|quality|marts)\.\w+", sql))
        assert refs <= {"core", "marts"}, refs
        read = set(re.findall(r"\b(?:FROM|JOIN)\s+marts\.(\w+)", sql, re.I))
        assert read <= set(marts.STAGING_NAMES[:i]), read


def test_unknown_mart_rejected(wh):
    with pytest.raises(ValueError):
        marts.build_mart(wh, "latest_indicators; DROP TABLE core.documents")
    with pytest.raises(ValueError):
        marts.mart_descriptions("nope")


def test_comments_applied_to_every_column(wh):
    for n in marts.MART_NAMES:
        desc = marts.mart_descriptions(n)
        assert desc["table"]
        t = one(wh, "SELECT comment FROM duckdb_tables() WHERE schema_name = 'marts' AND table_name = ?", [n])
        assert t["comment"] == desc["table"]
        cols = rows(wh, "SELECT column_name, comment FROM duckdb_columns() WHERE schema_name = 'marts' AND table_name = ?", [n])
        assert cols and all(c["comment"] for c in cols), [c["column_name"] for c in cols if not c["comment"]]
        assert {c["column_name"]: c["comment"] for c in cols} == desc["columns"]
    # the contract columns are there
    yoy = set(marts.mart_descriptions("indicator_yoy")["columns"])
    assert {"region", "indicator_code", "unit", "year", "value", "prev_year", "prev_value", "abs_change",
            "pct_change", "reported_growth_pct", "growth_gap_pp"} <= yoy
    pv = set(marts.mart_descriptions("plan_vs_actual")["columns"])
    assert {"region", "indicator_code", "year", "measure", "target_value", "target_comparator", "actual_value",
            "attained", "gap", "target_document_id", "actual_document_id"} <= pv


def test_describe_shows_comments(wh):
    got = wh.execute("SELECT comment FROM duckdb_columns() WHERE schema_name = 'marts' "
                     "AND table_name = 'plan_vs_actual' AND column_name = 'attained'").fetchone()[0]
    assert "met" in got


def test_preview_markdown(wh):
    md = marts.mart_preview_markdown(wh, "plan_vs_actual", limit=3)
    lines = md.splitlines()
    assert lines[0].startswith("| region | region_code | indicator_code |")
    assert lines[1].startswith("| --- |")
    assert len([l for l in lines if l.startswith("| ")]) == 2 + 3
    assert "3 of 8 rows of marts.plan_vs_actual." in md
    assert "北京市" in md


def test_schema_comments_cover_every_column(wh):
    missing = wh.execute(
        "SELECT schema_name || '.' || table_name || '.' || column_name FROM duckdb_columns() "
        "WHERE schema_name IN ('raw', 'core', 'quality') "
        "AND (comment IS NULL OR comment = '')"
    ).fetchall()
    hint = ("every raw/core/quality column needs a description: give it one in its table's "
            "warehouse/schema/<schema>.<table>.yml and rerun scripts/gen_data_dictionary.py")
    assert missing == [], f"{hint}; missing: {[m[0] for m in missing]}"
    tables = wh.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name IN ('raw', 'core', 'quality') "
        "AND (comment IS NULL OR comment = '')"
    ).fetchall()
    assert tables == [], f"{hint}; tables without a description: {[t[0] for t in tables]}"


def test_empty_warehouse_builds_empty_marts(tmp_path):
    con = duckdb.connect(str(tmp_path / "empty.duckdb"))
    try:
        docs.scratch_warehouse(con)
        for n in marts.MART_NAMES:
            assert marts.build_mart(con, n) == 0
    finally:
        con.close()


def test_data_dictionary(wh, tmp_path):
    out = docs.write_data_dictionary(wh, tmp_path / "dd.md")
    text = out.read_text(encoding="utf-8")
    for t in ("raw.documents", "core.indicator_facts", "quality.alerts", "marts.indicator_yoy",
              "marts.plan_vs_actual", "marts.indicator_revisions", "marts.latest_indicators"):
        assert f"### {t}" in text
    assert "| `growth_gap_pp` |" in text
    assert "substr(text, char_start + 1" in text


def test_example_queries_run_read_only(tmp_path):
    path = tmp_path / "q.duckdb"
    make_warehouse(path)
    files = sorted((Path(marts.__file__).resolve().parent.parent / "warehouse" / "queries").glob("*.sql"))
    names = {f.stem for f in files}
    assert {"yoy_for_region", "plan_vs_actual_misses", "revisions", "latest_gdp_growth_by_region",
            "trace_fact_to_sentence"} <= names
    con = duckdb.connect(str(path), read_only=True)
    try:
        results = {f.stem: con.execute(f.read_text(encoding="utf-8")).fetchall() for f in files}
    finally:
        con.close()
    assert len(results["plan_vs_actual_misses"]) == 3
    assert len(results["revisions"]) == 2
    assert len(results["latest_gdp_growth_by_region"]) == 3
    # every traced figure's offsets cut out exactly its raw_text
    assert results["trace_fact_to_sentence"] and all(r[9] for r in results["trace_fact_to_sentence"])


def test_shared_preamble_written_once():
    # The preparation every mart shares (pub_order_date, is_final, the first statement per document)
    # and the `chosen` rule are written once, in the staging views; no mart file copies them, so
    # they cannot drift apart.
    sqls = {n: marts.mart_sql(n) for n in marts.MART_NAMES}
    staging = {n: marts.mart_sql(n) for n in marts.STAGING_NAMES}
    for n, sql in sqls.items():
        for shared in ("core.indicator_facts", "core.documents", "make_date(", "rn_in_doc", "WHERE pick = 1"):
            assert shared not in sql, (n, shared)
    assert "make_date(" in staging["stg_documents"]
    assert "core.indicator_facts" in staging["stg_stated_facts"] and "AS is_final" in staging["stg_stated_facts"]
    assert "WHERE s.rn_in_doc = 1" in staging["stg_stated_facts"]
    assert "WHERE pick = 1" in staging["stg_chosen_facts"]
    for n in ("latest_indicators", "indicator_yoy"):
        assert "FROM marts.stg_chosen_facts" in sqls[n]
    for n in ("plan_vs_actual", "indicator_revisions"):
        assert "FROM marts.stg_stated_facts" in sqls[n]


def test_staging_views_described(wh):
    # every staging view and each of its columns carries the description of its .yml, like the marts
    views = {r["view_name"]: r["comment"] for r in rows(
        wh, "SELECT view_name, comment FROM duckdb_views() WHERE schema_name = 'marts' AND NOT internal")}
    assert views == {n: marts.mart_descriptions(n)["table"] for n in marts.STAGING_NAMES}
    assert all(views.values())
    got: dict[str, dict[str, str]] = {}
    for r in rows(wh, "SELECT table_name, column_name, comment FROM duckdb_columns() "
                      "WHERE schema_name = 'marts' AND starts_with(table_name, 'stg_')"):
        got.setdefault(r["table_name"], {})[r["column_name"]] = r["comment"]
    assert got == {n: marts.mart_descriptions(n)["columns"] for n in marts.STAGING_NAMES}
    assert all(c for cols in got.values() for c in cols.values())
    assert {"pub_order_date", "is_final", "n_documents"} <= set(got["stg_stated_facts"])
    # staging views are views, the marts are tables
    assert {r["table_name"] for r in rows(wh, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts'")} \
        == set(marts.MART_NAMES)


def test_each_mart_builds_without_staging(tmp_path):
    # One Dagster asset builds one mart: it must not depend on the staging views being there, or
    # being current, beforehand.
    path = tmp_path / "w.duckdb"
    make_warehouse(path)
    con = duckdb.connect(str(path))
    try:
        expected = {n: rows(con, f"SELECT * FROM marts.{n} ORDER BY ALL") for n in marts.MART_NAMES}
        for n in marts.MART_NAMES:
            for v in reversed(marts.STAGING_NAMES):
                con.execute(f"DROP VIEW IF EXISTS marts.{v}")
            con.execute(f"DROP TABLE marts.{n}")
            assert marts.build_mart(con, n) == len(expected[n])
            assert rows(con, f"SELECT * FROM marts.{n} ORDER BY ALL") == expected[n]
        # the views follow core without being rebuilt
        before = one(con, "SELECT count(*) AS n FROM marts.stg_stated_facts")["n"]
        con.execute("DELETE FROM core.indicator_facts WHERE document_id = ?", [DOCS[0].id])
        assert one(con, "SELECT count(*) AS n FROM marts.stg_stated_facts")["n"] < before
    finally:
        con.close()


def test_every_mart_names_its_indicator_in_chinese_and_english(wh):
    for name in ("indicator_yoy", "plan_vs_actual", "indicator_revisions", "latest_indicators"):
        columns = [r[0] for r in wh.execute(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'marts' AND table_name = ?"
            " ORDER BY column_index", [name]).fetchall()]
        at = columns.index("indicator_code")
        assert columns[at + 1: at + 3] == ["indicator_name_zh", "indicator_name_en"], name
    gdp = one(wh, "SELECT DISTINCT indicator_name_zh, indicator_name_en FROM marts.plan_vs_actual"
                  " WHERE indicator_code = 'gdp'")
    assert gdp == {"indicator_name_zh": "地区生产总值", "indicator_name_en": "gross regional product"}
    missing = wh.execute("SELECT count(*) FROM marts.indicator_yoy WHERE indicator_name_en IS NULL").fetchone()[0]
    assert missing == 0


def test_a_mart_is_two_files(tmp_path, monkeypatch):
    """Issue 16: a new SQL file and its description in the marts folder make a built, described mart."""
    import shutil

    folder = tmp_path / "marts"
    shutil.copytree(marts.MARTS_DIR, folder)
    (folder / "gdp_growth_by_year.sql").write_text(
        "CREATE OR REPLACE TABLE marts.gdp_growth_by_year AS\n"
        "SELECT year, count(*) AS regions FROM marts.indicator_yoy\n"
        "WHERE indicator_code = 'gdp' GROUP BY year;\n", encoding="utf-8")
    (folder / "gdp_growth_by_year.yml").write_text(
        "name: gdp_growth_by_year\ndescription: How many regions report a GDP level per year.\n"
        "columns:\n  year: The year.\n  regions: Regions with a GDP level that year.\n", encoding="utf-8")
    monkeypatch.setattr(marts, "MARTS_DIR", folder)
    names = marts.mart_names()
    assert "gdp_growth_by_year" in names
    assert names.index("gdp_growth_by_year") > names.index("indicator_yoy")  # it reads indicator_yoy
    path = tmp_path / "w.duckdb"
    make_warehouse(path)
    con = duckdb.connect(str(path))
    try:
        assert con.execute("SELECT count(*) FROM marts.gdp_growth_by_year").fetchone()[0] >= 1
        comments = dict(con.execute(
            "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'gdp_growth_by_year'").fetchall())
        assert comments["regions"] == "Regions with a GDP level that year."
    finally:
        con.close()
