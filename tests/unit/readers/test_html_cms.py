"""Pages as government CMSes publish them (TRS/WCM, 集约化平台, 政府信息公开, old table layouts
in GBK, ``<p>`` inside tables, ``<br>`` paragraphs): the article and only the article, the
headline as title, 成文日期/发布日期 as the publication date and never the report's year.
Templates and sentences are invented (benchmarks/cms_pages.py)."""

from datetime import date

import pytest

from benchmarks.cms_pages import STYLES, cms_page
from pipelines.extract import extract_facts
from pipelines.extract.model import DocumentContext
from pipelines.metadata import extract_metadata
from pipelines.readers import read_document

TITLE = "青禾县2024年国民经济和社会发展统计公报"
TEXT = """2024年,全县上下坚持稳中求进工作总基调,经济运行总体平稳。
一、综合
初步核算,全年地区生产总值356.7亿元,比上年增长5.4%。其中,第一产业增加值41.2亿元,增长3.6%。
二、农业
全年粮食产量35.1万吨,比上年增长1.8%。
三、居民收入
全县居民人均可支配收入31208元,比上年增长5.9%。"""
CHROME = ("首页", "当前位置", "位置", "打印", "关闭", "字体", "字号", "浏览次数", "点击数", "阅读次数", "上一篇",
          "热点新闻", "相关文章", "21.5%", "8.6亿元", "35.2万吨", "6.6%", "索引号", "主题分类", ".pdf", "附件",
          "ICP", "网站标识码", "版权所有", "分享到", "长者模式", "政务服务", "1024", "青禾县人民政府网")


def _page(body: str, name: str = "p.html"):
    return read_document(f"<html><body>{body}</body></html>".encode("utf-8"), name)


def _gdp_facts(result, year: int) -> set:
    context = DocumentContext(doc_type="stats_bulletin", actual_year=year)
    return {(f.year, f.measure, f.raw_text) for f in extract_facts(result.text, context, result.tables).facts
            if f.indicator_code == "gdp"}


@pytest.mark.parametrize("style", sorted(STYLES))
def test_the_article_and_only_the_article(style):
    data, name = cms_page(style, TITLE, TEXT, "2025-03-28")
    result = read_document(data, name)
    lines = result.text.split("\n")
    assert result.title_hint == TITLE and lines[0] == TITLE
    for line in TEXT.splitlines():
        assert line in lines, (style, line)
    left = [word for word in CHROME if word in result.text]
    assert not left, (style, left, result.text[:400])
    assert not result.tables  # no menu or metadata table read as a table of figures


@pytest.mark.parametrize("style", sorted(STYLES))
def test_publication_date_is_the_pages_and_the_year_is_the_titles(style):
    data, name = cms_page(style, TITLE, TEXT, "2025-03-28")
    result = read_document(data, name)
    meta = extract_metadata(result.text, name, title_hint=result.title_hint)
    assert (meta.title, meta.doc_type, meta.actual_year) == (TITLE, "stats_bulletin", 2024)
    assert meta.published_on == date(2025, 3, 28)  # 发布日期, not the 成文日期 three days earlier
    assert meta.source_agency == "青禾县统计局"


def test_gbk_declared_old_layout_is_decoded():
    data, name = cms_page("old-table", TITLE, TEXT)
    result = read_document(data, name)
    assert result.encoding == "gb18030" and "全年粮食产量35.1万吨" in result.text


def test_a_dated_info_line_loses_its_counter_and_buttons_but_keeps_its_date():
    page = ("<html><body><h1>青禾县2025年上半年经济运行情况</h1><div>发布时间:2025-07-20 来源:县统计局 浏览次数:377 "
            "【打印本页】【关闭窗口】</div><div>网站总访问量:1234567</div>"
            "<p>上半年,全县地区生产总值176.2亿元,同比增长5.1%。全县政务网站访问量达到1200万人次。</p></body></html>")
    lines = read_document(page.encode("utf-8"), "p.html").text.split("\n")
    assert lines == ["青禾县2025年上半年经济运行情况", "发布时间:2025-07-20 来源:县统计局",
                     "上半年,全县地区生产总值176.2亿元,同比增长5.1%。全县政务网站访问量达到1200万人次。"]


def test_menus_and_link_lists_go_whatever_their_class_but_a_paragraph_with_a_link_stays():
    page = ("<html><body><table><tr><td><a>首页</a></td><td><a>机构概况</a></td><td><a>政策文件</a></td></tr></table>"
            "<div class='x1'><a>全县投资增长30%</a><br><a>新建学校12所</a></div>"
            "<p>全年新增城镇就业4310人,详见<a href='/a.html'>就业专报</a>。</p>"
            "<p>附件:<a href='/files/2024tjgb.docx'>2024年主要指标</a></p></body></html>")
    text = read_document(page.encode("utf-8"), "p.html").text
    assert text == "全年新增城镇就业4310人,详见就业专报。"


def test_info_table_labels_with_spaces_and_a_dateline_are_never_the_year():
    result = _page("<table><tr><td>索 引 号：</td><td>QH-2026-0007</td><td>发文机关：</td><td>青禾县人民政府</td></tr>"
                   "<tr><td>成文日期：</td><td>2026年01月20日</td><td>发布日期：</td><td>2026年01月23日</td></tr>"
                   "</table><h2>2026年青禾县政府工作报告</h2><p>各位代表:现在,我代表县人民政府向大会报告工作。</p>"
                   "<p>过去一年,全县地区生产总值增长5.5%。</p>", "gwr.html")
    assert "索引号" not in result.text and "成文日期:2026年01月20日" in result.text
    meta = extract_metadata(result.text, "gwr.html", title_hint=result.title_hint)
    assert (meta.doc_type, meta.actual_year, meta.plan_year) == ("gov_work_report", 2025, 2026)
    assert meta.published_on == date(2026, 1, 23)


def test_merged_header_cells_keep_their_columns_on_the_grid():
    page = ("<html><body><h1>青禾县2024年主要经济指标</h1><table border='1'>"
            "<tr><th rowspan='2'>指标</th><th rowspan='2'>单位</th><th colspan='2'>2024年</th><th>2023年</th></tr>"
            "<tr><th>绝对值</th><th>增长%</th><th>绝对值</th></tr>"
            "<tr><td>地区生产总值</td><td>亿元</td><td>356.7</td><td>5.4</td><td>338.2</td></tr>"
            "<tr><td>一般公共预算收入</td><td>亿元</td><td>21.08</td><td>3.2</td><td>20.4</td></tr></table></body></html>")
    result = read_document(page.encode("utf-8"), "t.html")
    (block,) = result.tables
    assert [[c.text for c in row] for row in block.rows[:3]] == [
        ["指标", "单位", "2024年", "", "2023年"], ["", "", "绝对值", "增长%", "绝对值"],
        ["地区生产总值", "亿元", "356.7", "5.4", "338.2"]]
    for row in block.rows:
        for cell in row:
            assert result.text[cell.char_start:cell.char_end] == cell.text
    assert {(2024, "value", "356.7"), (2024, "growth_pct", "5.4"), (2023, "value", "338.2")} <= _gdp_facts(result, 2024)


def test_a_caption_typed_as_the_tables_first_row_is_a_line_above_it():
    result = _page("<p>全县主要指标见下表。</p><table><tr><td colspan='4'>表1 2024年主要经济指标</td></tr>"
                   "<tr><td>指标</td><td>单位</td><td>2024年</td><td>比上年增长%</td></tr>"
                   "<tr><td>地区生产总值</td><td>亿元</td><td>356.7</td><td>5.4</td></tr>"
                   "<tr><td>粮食产量</td><td>万吨</td><td>35.1</td><td>1.8</td></tr></table>")
    assert result.text.split("\n")[:3] == ["全县主要指标见下表。", "表1 2024年主要经济指标", "指标\t单位\t2024年\t比上年增长%"]
    assert [c.text for c in result.tables[0].rows[0]] == ["指标", "单位", "2024年", "比上年增长%"]
    assert _gdp_facts(result, 2024) == {(2024, "value", "356.7"), (2024, "growth_pct", "5.4")}
