"""Readers on real report language: charsets, HTML chrome, tables, normalisation, rejections."""

import pytest

from pipelines.readers import RejectedDocument, read_document, sniff_media_type
from pipelines.readers.normalize import normalize_text

SENTENCE = "规模以上工业总产值完成844.1亿元,全市第六,同比下降17.7%。"
PAGE = """<html><head>{meta}<title>北京市大兴区2023年国民经济和社会发展计划执行情况与2024年国民经济和社会发展计划的报告</title>
<script>document.write("增长99%")</script><style>p {{color: red}}</style></head>
<body><nav>首页 &gt; 政务公开 &gt; 计划</nav>
<h1>北京市大兴区2023年国民经济和社会发展计划执行情况与2024年国民经济和社会发展计划的报告</h1>
<div class="info">来源:区发改委  日期:2024-02-02 15:52 打印 【字体:大 中 小】</div>
<p>　　一、2023年国民经济和社会发展计划执行情况</p>
<p>　　工业经济承压前行。规模以上工业总产值完成８４４．１亿元，全市第六，同比下降１７．７％。</p>
<div style="display:none">隐藏的广告 增长50%</div>
<table><tr><th>指标</th><th>单位</th><th>2023年</th><th>比上年增长%</th></tr>
<tr><td>地区生产总值</td><td>亿元</td><td>1122.5</td><td>5.2</td></tr></table>
</body></html>"""


def test_gbk_html_without_charset_declaration_is_detected():
    result = read_document(PAGE.format(meta="").encode("gbk"), "report.html")
    assert result.encoding == "gb18030"
    assert SENTENCE.rstrip("。") in result.text


def test_declared_charset_and_utf8_bom():
    declared = PAGE.format(meta='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    assert read_document(declared.encode("gb2312"), "a.htm").encoding == "gb18030"
    bom = read_document(b"\xef\xbb\xbf" + SENTENCE.encode("utf-8"), "a.txt")
    assert bom.encoding == "utf-8-sig" and bom.text == SENTENCE


def test_html_drops_scripts_navigation_hidden_text_and_chrome_but_keeps_paragraphs():
    text = read_document(PAGE.format(meta='<meta charset="utf-8">').encode("utf-8"), "a.html").text
    assert "document.write" not in text and "首页" not in text and "隐藏的广告" not in text
    assert "打印" not in text and "字体" not in text
    assert "来源:区发改委 日期:2024-02-02 15:52" in text  # metadata the chrome sat beside is kept
    lines = text.split("\n")
    assert "一、2023年国民经济和社会发展计划执行情况" in lines
    assert "工业经济承压前行。" + SENTENCE in lines


def test_full_width_digits_and_percent_become_ascii():
    assert normalize_text("完成８４４．１亿元，同比下降１７．７％") == "完成844.1亿元,同比下降17.7%"


def test_pinyin_glosses_of_reprint_sites_are_removed():
    raw = "2024年安徽省蚌埠市國(guó)民經(jīng)濟(jì)和社會(huì)發(fā)展統(tǒng)計(jì)公報(bào)(2025年更新)"
    assert normalize_text(raw) == "2024年安徽省蚌埠市國民經濟和社會發展統計公報(2025年更新)"


def test_html_table_cells_point_into_the_text():
    result = read_document(PAGE.format(meta='<meta charset="utf-8">').encode("utf-8"), "a.html")
    (table,) = result.tables
    header, row = table.rows
    assert [c.text for c in header] == ["指标", "单位", "2023年", "比上年增长%"]
    assert [c.text for c in row] == ["地区生产总值", "亿元", "1122.5", "5.2"]
    for cell in header + row:
        assert result.text[cell.char_start:cell.char_end] == cell.text


@pytest.mark.parametrize("data, name, reason", [
    (b"", "empty.txt", "empty file"),
    (b"   \n\t ", "blank.txt", "empty file"),
    (bytes(range(256)) * 20, "junk.html", "binary content"),
    (bytes(range(256)) * 20, "junk.pdf", "not a PDF"),
    (b"hello", "notes.docx", "corrupt or truncated Word file"),
    (b"hello", "notes.xlsx", "unsupported file type .xlsx"),
])
def test_unreadable_files_are_rejected_with_a_reason(data, name, reason):
    with pytest.raises(RejectedDocument) as info:
        read_document(data, name)
    assert reason in info.value.reason


def test_media_type_is_sniffed_from_bytes_before_the_suffix():
    assert sniff_media_type(b"%PDF-1.7\n...", "report.html") == "application/pdf"
    assert sniff_media_type(b"<!DOCTYPE html><html>", "report.txt") == "text/html"
    assert sniff_media_type(SENTENCE.encode(), "report.txt") == "text/plain"
