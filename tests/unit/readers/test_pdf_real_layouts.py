"""PDF layouts as offices produce them: Word files exported by LibreOffice (skipped when it is
not installed), and the layout rules that real exports need, on rendered pages."""

import shutil

import pytest

from pipelines.readers import read_document
from pipelines.readers.pdf import read_pdf
from pipelines.readers.pdf_layout import Line, build_blocks, normalize_one_line
from tests import pdf_factory as pf

PARAS = [
    "2025年,全县上下坚持稳中求进工作总基调,经济运行总体平稳、稳中有进。初步核算,全年地区生产总值完成356.2亿元,"
    "按不变价格计算,比上年增长5.6%。其中,第一产业增加值41.3亿元,增长3.4%;第二产业增加值132.8亿元,增长6.9%;"
    "第三产业增加值182.1亿元,增长5.1%。",
    "全年一般公共预算收入完成21.4亿元,增长3.2%,其中税收收入15.6亿元,增长4.4%。全年一般公共预算支出58.7亿元,"
    "增长2.1%。民生领域投入占一般公共预算支出的比重达到81%。",
    "全年细颗粒物(PM2.5)年均浓度32微克/立方米,比上年下降3.0%;空气质量优良天数比例达到86.5%。",
] * 6


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_word_layout_exported_by_libreoffice_reads_like_the_text(tmp_path):
    table = [["指标", "单位", "2025年", "比上年增长%"], ["地区生产总值", "亿元", "356.2", "5.6"],
             ["一般公共预算收入", "亿元", "21.4", "3.2"]]
    docx = pf.docx_bytes("\n".join(PARAS), title="临江县2025年国民经济和社会发展统计公报", tables=[table],
                         header="临江县统计局")
    result = read_document(pf.libreoffice_pdf(docx, tmp_path), "bulletin.pdf")
    assert len(result.page_spans) >= 3
    lines = result.text.replace(" ", "").split("\n")
    for para in PARAS:  # every paragraph whole: wraps inside numbers and terms re-joined,
        assert para in lines  # page numbers and the running header gone, also across page breaks
    assert not any(line.strip("- ").isdigit() for line in lines)
    assert "临江县统计局" not in result.text
    assert [c.text for c in result.tables[-1].rows[0]] == table[0]
    for number, start, end in result.page_spans:
        assert 0 <= start <= end <= len(result.text)


def test_footnote_mark_between_term_and_figure_is_removed():
    data = pf.simple_pdf(["全县地区生产总值[2]356.2亿元,增长5.6%。规模以上工业增加值①88.1亿元。"])
    text = read_pdf(data).text
    assert "地区生产总值356.2亿元" in text and "工业增加值88.1亿元" in text
    assert normalize_one_line("生产总值²356.2亿元") == "生产总值356.2亿元"


def test_lone_full_stop_wrapped_onto_its_own_line_is_kept():
    # pdfium measures a text object holding only "。" (CJK font without its box) as zero-sized
    # and leaves it out of the text page; the reader puts it back where it was drawn
    width = pf.PAGE_W - 2 * pf.MARGIN_X
    line = ""
    while pf.width(line + "增", pf.BODY_SIZE) <= width:
        line += "增"
    pdf = pf.ReportCanvas(footer=None)
    pdf.lines([line[:-2] + "完成", "。", "下一段落从这里开始。"], indent_first=False)
    pdf.draw_line(pf.MARGIN_X + 24, "另起一段,全年地区生产总值356.2亿元。", pf.BODY_SIZE)
    text = read_pdf(pdf.save()).text
    assert "完成。" in text
    assert "356.2亿元。" in text


def test_table_running_onto_the_next_page_is_one_table_without_the_repeated_header():
    header = ["指标", "单位", "2025年"]

    def table(page, rows, top=100.0):
        return Line("", page, top=top, x0=72, x1=500, rows=rows, page_height=842)

    pages = [
        [Line("主要指标如下。", 1, top=80, x0=96, x1=200, size=12, page_height=842),
         table(1, [header, ["地区生产总值", "亿元", "356.2"]], top=700)],
        [table(2, [header, ["一般公共预算收入", "亿元", "21.4"]], top=60),
         Line("以上数据为初步核算数。", 2, top=300, x0=96, x1=300, size=12, page_height=842)],
    ]
    blocks = build_blocks(pages)
    tables = [b for b in blocks if b.rows is not None]
    assert len(tables) == 1
    assert tables[0].rows == [header, ["地区生产总值", "亿元", "356.2"], ["一般公共预算收入", "亿元", "21.4"]]
    # a different table (other columns) on the next page stays apart
    pages[1][0] = table(2, [["项目", "数值"], ["常住人口", "52.1"]], top=60)
    assert len([b for b in build_blocks(pages) if b.rows is not None]) == 2


def test_superscript_footnote_number_is_not_read_as_a_digit_of_the_figure():
    pdf = pf.ReportCanvas(footer=None)
    c = pdf.c
    for y in (700, 680):
        c.setFont(pf.FONT, 12)
        c.drawString(72, y, "全县地区生产总值")
        x = 72 + pf.width("全县地区生产总值")
        c.setFont(pf.FONT, 7)
        c.drawString(x, y + 5, "2")  # the footnote number, raised and smaller
        c.setFont(pf.FONT, 12)
        c.drawString(x + pf.width("2", 7), y, "356.2亿元,增长5.6%。")
    text = read_pdf(pdf.save()).text
    assert "生产总值356.2亿元" in text and "2356.2" not in text


def test_same_sized_digits_after_a_term_stay():
    pdf = pf.simple_pdf(["全县地区生产总值2356.2亿元,增长5.6%。"])
    assert "生产总值2356.2亿元" in read_pdf(pdf).text


def _word_with_superscript_footnotes() -> bytes:
    import io

    import docx

    document = docx.Document()
    for _ in range(3):
        paragraph = document.add_paragraph("全县地区生产总值")
        paragraph.add_run("2").font.superscript = True
        paragraph.add_run("356.2亿元,增长5.6%。工业增加值")
        paragraph.add_run("[3]").font.superscript = True
        paragraph.add_run("88.1亿元。")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_word_superscript_footnote_numbers_are_dropped():
    text = read_document(_word_with_superscript_footnotes(), "a.docx").text
    assert text.split("\n")[0] == "全县地区生产总值356.2亿元,增长5.6%。工业增加值88.1亿元。"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_word_superscript_footnote_numbers_are_dropped_from_its_pdf_export(tmp_path):
    text = read_document(pf.libreoffice_pdf(_word_with_superscript_footnotes(), tmp_path), "a.pdf").text
    assert "2356.2" not in text and "356.2" in text and "88.1" in text


def test_row_broken_by_the_page_break_is_one_row_again():
    header = ["指标", "单位", "2025年"]
    pages = [
        [Line("", 1, top=600, x0=72, x1=500, rows=[header, ["地区生产总值", "亿元", "356.2"], ["规模以上工业增", "亿元", "88.1"]],
              page_height=842)],
        [Line("", 2, top=60, x0=72, x1=500, rows=[["加值", "", ""], ["一般公共预算收入", "亿元", "21.4"]], page_height=842)],
    ]
    (block,) = build_blocks(pages)
    assert block.rows == [header, ["地区生产总值", "亿元", "356.2"], ["规模以上工业增加值", "亿元", "88.1"],
                          ["一般公共预算收入", "亿元", "21.4"]]
    assert block.row_pages == [1, 1, 1, 2]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_long_word_table_exported_over_several_pages_is_one_table_with_page_spans(tmp_path):
    rows = [["指标", "单位", "2025年", "比上年增长%"]] + [
        [f"第{i}类工业产品产量", "万吨", f"{100 + i}.5", f"{i % 9}.1"] for i in range(70)]
    docx = pf.docx_bytes("全县主要工业产品产量如下表。", tables=[rows], header="临江县统计局")
    result = read_document(pf.libreoffice_pdf(docx, tmp_path), "table.pdf")
    assert len(result.page_spans) >= 3
    (table,) = result.tables
    assert [[c.text for c in row] for row in table.rows] == rows
    for row in table.rows:
        for cell in row:
            assert result.text[cell.char_start:cell.char_end] == cell.text
    last = table.rows[-1][2]
    assert result.page_at(last.char_start) == len(result.page_spans)
