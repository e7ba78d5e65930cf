"""HTML pages as government sites serve them: only the article reaches the stored text.

Pages and sentences are invented in the style of district and provincial portals.
"""

from pipelines.readers import read_document
from tests import pdf_factory as pf

REPORT = """一、2025年工作回顾
过去一年,全县地区生产总值完成356.2亿元,增长5.6%;一般公共预算收入完成21.4亿元,增长3.2%。
规模以上工业增加值增长7.1%,社会消费品零售总额完成118.9亿元,增长4.5%。
二、2026年主要预期目标
地区生产总值增长5.5%左右,城镇调查失业率控制在5.5%以内。"""
TITLE = "临江县2026年政府工作报告"
CHROME = ("当前位置", "首页", "网站支持IPv6", "ICP备", "公网安备", "访问量", "分享到", "相关报道", "字体",
          "打印", "网站标识码", "8.8%", "120亿元", "增长99%", "微博", "全屏", "收藏", "名词解释", "摄")


def _read(page: str):
    return read_document(page.encode("utf-8"), "page.html")


def test_no_page_chrome_survives_and_the_article_is_whole():
    for portal in (False, True):
        result = _read(pf.chrome_page(REPORT, TITLE, portal=portal, date="2026-01-21 09:30"))
        left = [word for word in CHROME if word in result.text]
        assert not left, (portal, left, result.text[:300])
        for line in REPORT.splitlines():
            assert line in result.text.split("\n")


def test_headline_is_the_title_hint_and_opens_the_text_never_the_breadcrumb():
    result = _read(pf.chrome_page(REPORT, TITLE))
    assert result.title_hint == TITLE
    assert result.text.split("\n")[0] == TITLE


def test_title_tag_without_site_suffix_when_the_page_has_no_headline():
    page = ("<html><head><title>临江县2025年国民经济和社会发展统计公报 - 临江县人民政府门户网站</title></head>"
            "<body><div class='crumb'>首页 > 统计信息</div><div>" + "<p>全年地区生产总值356.2亿元,增长5.6%。</p>" * 5
            + "</div></body></html>")
    result = _read(page)
    assert result.title_hint == "临江县2025年国民经济和社会发展统计公报"
    assert "首页" not in result.text


def test_publication_line_is_kept_without_its_reader_buttons():
    result = _read(pf.chrome_page(REPORT, TITLE, date="2026-01-21 09:30"))
    assert "来源:本站 日期:2026-01-21 09:30" in result.text.split("\n")


def test_tables_keep_their_header_row_and_offsets():
    table = ("<table><tr><th>指标</th><th>单位</th><th>2025年</th><th>比上年增长%</th></tr>"
             "<tr><td>地区生产总值</td><td>亿元</td><td>356.2</td><td>5.6</td></tr></table>")
    page = pf.chrome_page(REPORT, TITLE).replace('<div class="TRS_Editor">', '<div class="TRS_Editor">' + table)
    result = _read(page)
    (block,) = result.tables
    assert [c.text for c in block.rows[0]] == ["指标", "单位", "2025年", "比上年增长%"]
    for row in block.rows:
        for cell in row:
            assert result.text[cell.char_start:cell.char_end] == cell.text


def test_article_with_many_short_paragraphs_beside_a_long_sidebar_is_not_lost():
    sidebar = "<div class='list'>" + "".join(f"<p>临江新闻第{i}条:全县重点项目建设稳步推进,各乡镇积极行动。</p>"
                                             for i in range(30)) + "</div>"
    page = pf.chrome_page(REPORT, TITLE).replace("</body>", sidebar + "</body>")
    result = _read(page)
    for line in REPORT.splitlines():
        assert line in result.text


def test_old_page_laid_out_in_nested_tables_reads_as_paragraphs_and_keeps_its_data_table():
    paragraphs = "".join(f"<p>{line}</p>" for line in REPORT.splitlines())
    data = ("<table border=1><tr><td>指标</td><td>单位</td><td>2025年</td></tr>"
            "<tr><td>地区生产总值</td><td>亿元</td><td>356.2</td></tr></table>")
    page = ("<html><head><title>临江县2026年政府工作报告</title></head><body><table width=760><tr><td>"
            "<table><tr><td>首页 | 政务公开</td></tr></table></td></tr><tr><td class=content>"
            + paragraphs + data + "</td></tr></table></body></html>")
    result = _read(page)
    lines = result.text.split("\n")
    for line in REPORT.splitlines():
        assert line in lines
    (table,) = result.tables
    assert [c.text for c in table.rows[1]] == ["地区生产总值", "亿元", "356.2"]


def test_logo_heading_is_not_the_title_and_a_leading_site_name_is_cut():
    page = ("<html><head><title>临江县人民政府 - 临江县2025年国民经济和社会发展统计公报</title></head><body>"
            "<h1>临江县人民政府</h1><div>" + "<p>全年地区生产总值356.2亿元,增长5.6%。</p>" * 5 + "</div></body></html>")
    assert _read(page).title_hint == "临江县2025年国民经济和社会发展统计公报"
