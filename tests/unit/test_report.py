"""The HTML region reports on the small hand-made warehouse of test_marts."""

from __future__ import annotations

import json
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


def chart_specs(html: str) -> list[dict]:
    """The JSON of every chart on a page, in page order."""
    return [json.loads(m) for m in re.findall(r'<script type="application/json" class="chart-data">(.*?)</script>',
                                              html, re.S)]


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
    # charts: a canvas each, with its data as JSON for the browser (bars carrying their values)
    specs = chart_specs(html)
    assert len(specs) >= 6 and html.count("<canvas") == len(specs)
    output = next(s for s in specs if s["title"] == "规模以上工业总产值 · 增速 growth")
    assert output["labels"] == ["2023", "2024"] and output["unit"] == "%"
    (decline,) = [b for b in output["bars"] if b["x"] == "2023"]
    assert decline["y"] == -17.7 and decline["text"] == "−17.7" and decline["href"].startswith("#fact-")
    assert [t["x"] for t in output["targets"]] == ["2024"] and output["targets"][0]["y"] == 5
    assert [(c["x"], c["y"]) for c in output["computed"]] == [("2023", -17.06)]
    assert any(b["text"] == "1,017.7" for s in specs for b in s["bars"])
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
        assert "link" not in doc.tags
        # scripts: the two copied beside the pages, read from disk, and the charts' JSON (no code)
        assert doc.srcs == ([f"{charts.ASSETS_DIR}/chart.umd.min.js", f"{charts.ASSETS_DIR}/region-charts.js"]
                            if p in paths else [])
        assert all((out / src).is_file() for src in doc.srcs)
        assert doc.tags.count("script") == len(doc.srcs) + len(chart_specs(html))
        assert "@import" not in html and "url(" not in html and "@font-face" not in html
        assert re.findall(r"https?://[^\s\"'<>]+", html) == []
        assert all(not h.startswith(("http:", "https:", "//")) for h in doc.hrefs)
    # the vendored library as shipped, its licence beside it
    library = (out / charts.ASSETS_DIR / "chart.umd.min.js").read_text(encoding="utf-8")
    assert library.startswith("/*!\n * Chart.js v4.5.1") and "fetch(" not in library.split("*/")[0]
    assert "MIT" in (out / charts.ASSETS_DIR / "chart.js-LICENSE.md").read_text(encoding="utf-8")


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
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert set(scripts) == {'<script type="application/json" class="chart-data">',
                            '<script src="assets/chart.umd.min.js">', '<script src="assets/region-charts.js">'}


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


def test_chart_data_bars_markers_and_missing_years():
    data = charts.chart_data(
        [charts.Bar("2023", -17.7, "−17.7", "#fact-a", "t<1>"), charts.Bar("2024", 1.3, "1.3", preliminary=True),
         charts.Bar("2025", None, "–")],
        [charts.Marker("2024", 5, "target ≥5%", "target", "#fact-t"), charts.Marker("2021", -17.06, "c", "computed")],
        title="增速 <growth>", unit_label="%")
    assert data["labels"] == ["2021", "2022", "2023", "2024", "2025"]  # a year without figure stays visible
    assert data["bars"] == [
        {"x": "2023", "y": -17.7, "title": "t<1>", "href": "#fact-a", "text": "−17.7", "preliminary": False},
        {"x": "2024", "y": 1.3, "title": "", "href": None, "text": "1.3", "preliminary": True}]  # no value: no bar
    assert data["targets"] == [{"x": "2024", "y": 5, "title": "target ≥5%", "href": "#fact-t"}]
    assert data["computed"] == [{"x": "2021", "y": -17.06, "title": "c", "href": None}]
    assert (data["title"], data["unit"]) == ("增速 <growth>", "%")


def test_chart_json_cannot_end_its_script():
    evil = "</script><script>alert(1)</script> & <!-- \u2028"
    html = charts.chart_html([charts.Bar("2024", 3.0, evil, "#fact-x", evil)], [], title=evil, unit_label="%")
    doc = parse(html)
    assert doc.tags == ["div", "canvas", "span", "script"]  # one script element, the data's
    assert "</script>" not in html.split('class="chart-data">', 1)[1][:-len("</script></div>")]
    (spec,) = chart_specs(html)
    assert spec["title"] == evil and spec["bars"][0]["title"] == evil and spec["bars"][0]["text"] == evil
    assert 'aria-label="&lt;/script&gt;' in html  # the canvas's label and fallback escaped as HTML
    assert "&lt;script&gt;alert(1)" in html.split("<script")[0]


def test_chart_fallback_names_the_values_without_javascript():
    html = charts.chart_html([charts.Bar("2023", 844.1, "844.1"), charts.Bar("2024", 1017.7, "1,017.7")],
                             title="产值 · level", unit_label="亿元")
    fallback = re.search(r"<canvas[^>]*>(.*?)</canvas>", html).group(1)
    assert "产值 · level" in fallback and "2023: 844.1 · 2024: 1,017.7" in fallback


def test_assets_are_copied_once_and_restored_when_changed(tmp_path):
    folder = charts.copy_assets(tmp_path)
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(charts.ASSET_FILES)
    script = folder / "region-charts.js"
    mtime = script.stat().st_mtime_ns
    charts.copy_assets(tmp_path)
    assert script.stat().st_mtime_ns == mtime  # the same bytes: not rewritten
    script.write_text("broken", encoding="utf-8")
    charts.copy_assets(tmp_path)
    assert script.read_bytes() == (charts.ASSETS_SOURCE / "region-charts.js").read_bytes()


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
