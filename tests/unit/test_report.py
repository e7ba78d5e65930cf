"""The HTML region reports on the small hand-made warehouse of test_marts."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import duckdb
import pytest

from pipelines import charts, report, report_format
from tests.unit.test_marts import CY, CY_CODE, DOC, DX, DX_CODE, D, F, fact_id, make_warehouse


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "test.duckdb"
    make_warehouse(path)
    con = duckdb.connect(str(path))
    yield con
    con.close()


@pytest.fixture(scope="module")
def pages(wh, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    paths = report.write_region_reports(wh, out)
    return out, paths


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.tags: list[str] = []
        self.srcs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if "href" in a:
            self.hrefs.append(a["href"])
        if "src" in a:
            self.srcs.append(a["src"])


def parse(html: str) -> _Collector:
    c = _Collector()
    c.feed(html)
    return c


def test_one_page_per_region_named_by_code(pages):
    out, paths = pages
    assert sorted(p.name for p in paths) == sorted([f"{DX_CODE}.html", f"{CY_CODE}.html"])
    assert (out / "index.html").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'href="{DX_CODE}.html"' in index and DX in index


def test_daxing_page_content(pages):
    out, _ = pages
    html = (out / f"{DX_CODE}.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert DX in html and DX_CODE in html
    for name in ("规模以上工业总产值", "地区生产总值", "一般公共预算收入", "细颗粒物年均浓度"):
        assert name in html
    # levels and growth, formatted for people
    assert "844.1亿元" in html and "1,017.7亿元" in html
    assert "−17.7%" in html  # reported growth
    assert "−17.06%" in html  # computed from the two levels
    assert "110.6亿元" in html  # the bulletin's final figure
    # inline SVG charts with bars carrying their values
    assert html.count("<svg") >= 6
    assert re.search(r'<g class="bar neg[^"]*" data-value="−17.7"', html)
    assert 'data-value="1,017.7"' in html
    # plan vs actual: attained and missed marked
    assert "✓ attained" in html and "✗ missed" in html
    assert html.count('<tr class="missed">') == 2  # fixed-asset investment, industrial output growth
    assert html.count('<tr class="attained">') == 3
    assert "4.5%左右" in html
    # revisions
    assert "统计公报 2025-03-28" in html


def test_every_figure_links_to_its_sentence(pages):
    out, _ = pages
    html = (out / f"{DX_CODE}.html").read_text(encoding="utf-8")
    doc = parse(html)
    fact_links = {h[1:] for h in doc.hrefs if h.startswith("#fact-")}
    assert fact_links, "no links to facts"
    missing = fact_links - doc.ids
    assert not missing, missing
    internal = {h[1:] for h in doc.hrefs if h.startswith("#")}
    assert internal <= doc.ids
    # the 844.1亿元 figure: sentence with the figure highlighted, title and offsets
    d = DOC["dx-2023-plan"]
    fid = fact_id(d, 1)
    block = re.search(rf'<div class="fact" id="fact-{fid}">(.*?)</div></div>', html, re.S).group(1)
    assert "全年规模以上工业总产值完成<mark>844.1亿元</mark>,全市第六,同比下降17.7%。" in block
    assert d.title in block
    text = d.title + "\n" + "\n".join(d.sentences) + "\n"
    start = text.index("844.1亿元")
    assert f"chars {start}–{start + len('844.1亿元')}" in block


def test_highlight_uses_offsets_not_first_occurrence(pages):
    # "5%以上" appears twice in the target sentence; retail sales is the second one.
    out, _ = pages
    html = (out / f"{DX_CODE}.html").read_text(encoding="utf-8")
    d = DOC["dx-2023-plan"]
    fid = fact_id(d, 7)
    block = re.search(rf'<div class="fact" id="fact-{fid}">(.*?)</div></div>', html, re.S).group(1)
    assert "规模以上工业总产值增长5%以上,社会消费品零售额增长<mark>5%以上</mark>" in block


def test_self_contained_no_network(pages):
    out, paths = pages
    for p in paths + [out / "index.html"]:
        html = p.read_text(encoding="utf-8")
        doc = parse(html)
        assert "script" not in doc.tags
        assert "link" not in doc.tags
        assert not doc.srcs
        assert "@import" not in html and "url(" not in html and "@font-face" not in html
        # the only http(s) string allowed is the SVG namespace
        others = [u for u in re.findall(r"https?://[^\s\"'<>]+", html) if u != "http://www.w3.org/2000/svg"]
        assert others == [], others
        assert all(not h.startswith(("http:", "https:", "//")) for h in doc.hrefs)


def test_chaoyang_page_and_single_region(wh, tmp_path):
    paths = report.write_region_reports(wh, tmp_path, region=CY)
    assert [p.name for p in paths] == [f"{CY_CODE}.html"]
    assert not (tmp_path / "index.html").exists()
    html = paths[0].read_text(encoding="utf-8")
    assert "9,230.1亿元" in html and "5%" in html
    assert "5.6%左右" in html and "✗ missed" in html
    assert "4%以内" in html
    assert DX not in html  # nothing of the other region
    by_code = report.write_region_reports(wh, tmp_path / "b", region=CY_CODE)
    assert [p.name for p in by_code] == [f"{CY_CODE}.html"]
    assert report.write_region_reports(wh, tmp_path / "c", region="火星市") == []
    assert not (tmp_path / "c" / "index.html").exists()


def test_text_is_escaped(tmp_path):
    evil = D(
        "evil", "<script>alert(1)</script>报告", DX, DX_CODE, "stats_bulletin", 2024, None, date(2025, 3, 1),
        ["地区生产总值<b>增长</b>5.0%&。"],
        [F(0, "5.0%", "gdp", 2024, "growth_pct", 5.0, "percent", qualifier="<i>q</i>")],
    )
    make_warehouse(tmp_path / "w.duckdb", [evil])
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        (path,) = report.write_region_reports(con, tmp_path / "out")
    finally:
        con.close()
    html = path.read_text(encoding="utf-8")
    assert "<script>" not in html and "<b>增长</b>" not in html and "<i>q</i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;报告" in html
    assert "&lt;b&gt;增长&lt;/b&gt;<mark>5.0%</mark>&amp;。" in html


def test_region_without_code_gets_a_safe_slug():
    name = report.region_file_name("浙江省杭州市", None)
    assert re.fullmatch(r"region-[0-9a-f]{10}\.html", name)
    assert report.region_file_name("../../etc", "../x") .startswith("region-")
    assert "/" not in report.region_file_name("../../etc", "../x")


def test_marts_missing_gives_clear_error(tmp_path):
    con = duckdb.connect(str(tmp_path / "none.duckdb"))
    try:
        with pytest.raises(RuntimeError, match="marts"):
            report.write_region_reports(con, tmp_path)
    finally:
        con.close()


def test_formatting():
    assert report_format.fmt_figure(84_410_000_000, "CNY", "value") == "844.1亿元"
    assert report_format.fmt_figure(-17.7, "percent", "growth_pct") == "−17.7%"
    assert report_format.fmt_figure(4.5, "percent", "growth_pct", "~") == "≈4.5%"
    assert report_format.fmt_figure(6, "rank", "rank") == "第6"
    assert report_format.fmt_figure(3_439_000, "person", "value") == "343.9万人"
    assert report_format.fmt_figure(60_000_000, "CNY", "value", like=110e8) == "0.6亿元"


def test_svg_chart_negative_and_markers():
    svg = charts.svg_bar_chart(
        [charts.Bar("2023", -17.7, "−17.7", "#fact-a", "t<1>"), charts.Bar("2024", 1.3, "1.3", preliminary=True)],
        [charts.Marker("2024", 5, "target ≥5%", "target", "#fact-t"), charts.Marker("2021", -17.06, "c", "computed")],
        title="增速 <growth>", unit_label="%", number=report_format.fmt_number,
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'class="bar neg"' in svg and 'class="bar prelim"' in svg
    assert 'class="target"' in svg and 'class="computed"' in svg
    assert "增速 &lt;growth&gt;" in svg and "<title>t&lt;1&gt;</title>" in svg and "<title>target ≥5%</title>" in svg
    assert '<a href="#fact-a">' in svg and '<a href="#fact-t">' in svg
    assert re.findall(r">(20\d\d)</text>", svg) == ["2021", "2022", "2023", "2024"]  # a missing year stays visible
    assert "−10</text>" in svg  # ticks read like the page's numbers
    # an element of an HTML page: no XML prologue, no metadata, no xlink, nothing that opens a window
    assert "<?xml" not in svg and "metadata" not in svg and "xlink" not in svg and "_blank" not in svg
    ids = re.findall(r' id="([^"]+)"', svg)
    assert len(ids) == len(set(ids)) and not any(i.startswith(("figure_", "axes_", "patch_")) for i in ids)


def test_two_charts_on_a_page_share_no_id():
    def chart(title):
        return charts.svg_bar_chart([charts.Bar("2024", 3.0, "3")], [charts.Marker("2024", 2.0, "c", "computed")],
                                    title=title, unit_label="%")
    first, second = chart("GDP · growth"), chart("CPI · growth")
    assert not set(re.findall(r' id="([^"]+)"', first)) & set(re.findall(r' id="([^"]+)"', second))
    assert chart("GDP · growth") == first  # the same figures make the same page


def test_region_reports_asset(tmp_path):
    from dagster import AssetSpec, materialize

    from pipelines.assets.report import MART_DEPS, region_reports
    from pipelines.warehouse import WarehouseResource

    db = tmp_path / "w.duckdb"
    make_warehouse(db)
    result = materialize(
        [*(AssetSpec(n) for n in MART_DEPS), region_reports],
        selection=[region_reports.key],
        resources={"warehouse": WarehouseResource(path=str(db))},
        run_config={"ops": {"region_reports": {"config": {"out_dir": str(tmp_path / "out")}}}},
    )
    assert result.success
    (event,) = result.get_asset_materialization_events()
    assert event.materialization.metadata["pages"].value == 2
    assert (tmp_path / "out" / f"{DX_CODE}.html").exists()
    deps = {k.to_user_string() for k in region_reports.asset_deps[region_reports.key]}
    assert deps == set(MART_DEPS)


def test_english_pages_beside_the_chinese_ones(wh, tmp_path):
    out = tmp_path / "en"
    written = report.write_region_reports(wh, out, lang="en")
    assert {p.name for p in written} == {f"{DX_CODE}.en.html", f"{CY_CODE}.en.html"}
    assert (out / "index.en.html").exists() and not (out / "index.html").exists()
    html = (out / f"{DX_CODE}.en.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert "<h2>gross regional product <span class=\"muted\">地区生产总值" in html  # English first, Chinese beside
    assert "目标与完成" not in html and ("government work report" in html or "plan report" in html)
    chinese = report.render_region_html(wh, DX, lang="zh")
    assert "<h2>地区生产总值 <span class=\"muted\">gross regional product" in chinese
    with pytest.raises(ValueError):
        report.render_region_html(wh, DX, lang="fr")
