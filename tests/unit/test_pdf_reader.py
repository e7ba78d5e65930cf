"""The PDF reader on PDFs generated at test time from real report sentences.

Sentences are from the 2023 Daxing plan report (北京市大兴区2023年国民经济和社会发展计划执行
情况与2024年国民经济和社会发展计划的报告); the full text for the parity test is a fixture copy.
"""

from __future__ import annotations

import random
import sys
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipelines.readers.base import ReadResult, RejectedDocument  # noqa: E402
from pipelines.readers.pdf import read_pdf  # noqa: E402
from pipelines.readers.pdf_layout import Line, collapse_doubled, remove_running_furniture  # noqa: E402
from tests import pdf_factory as pf  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "dx-2023-plan.txt"

S_INDUSTRY = "全年规模以上工业总产值完成844.1亿元,全市第六,同比下降17.7%。"
S_PM25 = "持续实施“一微克”行动,PM2.5年均浓度36微克/立方米。"
S_INVEST = "固投爬坡完成市级任务,总量排名全市第五,城南行动完成投资294亿元,超额完成272亿元年度任务。"
S_CONSUME = "消费政策精准发力,出台促进商务领域发展若干措施,累计发放消费券4000万元。"
S_FILLER = (
    "2023年是全面贯彻落实党的二十大精神开局之年,是实施“十四五”规划承上启下的关键之年。"
    "一年来,在市委、市政府和区委的正确领导下,全区上下推动经济社会运行整体向好。"
)


def _paragraph_cut_inside(target: str, cut_after: str) -> str:
    """A real paragraph whose natural wrap falls right after ``cut_after`` inside ``target``."""
    body_w = pf.PAGE_W - 2 * pf.MARGIN_X
    for k in range(len(S_FILLER)):
        para = S_FILLER[:k] + target
        lines = pf.wrap(para, body_w, pf.BODY_SIZE, first_indent=2 * pf.BODY_SIZE)
        if any(line.endswith(cut_after) for line in lines):
            return para
    raise AssertionError("no prefix puts the wrap there")


def _page_texts(data: bytes) -> list[str]:
    doc = pdfium.PdfDocument(data)
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


# --- body text, layout repair ------------------------------------------------------------

def test_reads_sentences_and_keeps_paragraph_breaks():
    result = read_pdf(pf.simple_pdf([S_INDUSTRY, S_PM25]))
    assert isinstance(result, ReadResult)
    assert result.media_type == "application/pdf"
    assert result.encoding is None
    assert result.text.split("\n") == [S_INDUSTRY, S_PM25]
    assert result.page_spans == [(1, 0, len(result.text))]
    assert result.page_count == 1


@pytest.mark.parametrize(
    "target, cut_after, joined",
    [
        (S_INDUSTRY, "844.", "844.1亿元"),
        (S_INDUSTRY, "844", "844.1亿元"),
        (S_PM25, "36微克/立", "36微克/立方米"),
        (S_INVEST, "29", "294亿元"),
    ],
)
def test_number_or_unit_wrapped_across_lines_is_joined(target, cut_after, joined):
    para = _paragraph_cut_inside(target, cut_after)
    data = pf.simple_pdf([para, S_CONSUME])
    raw = _page_texts(data)[0]
    assert cut_after + "\r\n" in raw  # the PDF really breaks the line there
    result = read_pdf(data)
    assert joined in result.text
    assert result.text.split("\n") == [para, S_CONSUME]


def test_fake_bold_heading_is_not_doubled():
    pdf = pf.ReportCanvas(fake_bold=True)
    pdf.heading("(一)全力稳住经济基本盘,主要发展指标好于预期")
    pdf.paragraph(S_INDUSTRY)
    result = read_pdf(pdf.save())
    assert result.text.split("\n") == ["(一)全力稳住经济基本盘,主要发展指标好于预期", S_INDUSTRY]


def test_fake_bold_drawn_glyph_by_glyph_is_collapsed():
    """Each glyph its own text object, drawn twice: pdfium drops such objects, so the page
    goes to pdfplumber, whose dedupe_chars removes the copies."""
    heading = "一、2023年国民经济和社会发展计划执行情况"
    pdf = pf.ReportCanvas(footer=None)
    c = pdf.c
    c.setFont(pf.FONT, pf.HEAD_SIZE)
    x, y = pf.MARGIN_X, pf.TOP_Y - 20
    for ch in heading:
        c.drawString(x, y, ch)
        c.drawString(x + 0.3, y, ch)
        x += pf.width(ch, pf.HEAD_SIZE)
    pdf.y = y - 10
    pdf.paragraph(S_INDUSTRY)
    result = read_pdf(pdf.save())
    assert result.text.split("\n") == [heading, S_INDUSTRY]


def test_collapse_doubled_needs_copies_at_the_same_spot():
    same_spot = lambda i: (100.0 + 16 * (i // 2) + 0.3 * (i % 2), 700.0)  # noqa: E731
    assert collapse_doubled("一一、、主主要要指指标标", same_spot, 16) == "一、主要指标"
    run_twice = lambda i: (100.0 + 16 * (i % 4) + 0.3 * (i // 4), 700.0)  # noqa: E731
    assert collapse_doubled("主要指标主要指标", run_twice, 16) == "主要指标"
    side_by_side = lambda i: (100.0 + 16 * i, 700.0)  # noqa: E731
    assert collapse_doubled("谢谢大大家家", side_by_side, 16) == "谢谢大大家家"
    assert collapse_doubled("主要指标主要指标", side_by_side, 16) == "主要指标主要指标"
    # no geometry: only long digit-free runs
    assert collapse_doubled("一一、、主主要要指指标标") == "一、主要指标"
    assert collapse_doubled("11223344") == "11223344"
    assert collapse_doubled("谢谢") == "谢谢"


def test_running_header_and_page_numbers_removed():
    header = "北京市大兴区国民经济和社会发展计划报告"
    text = FIXTURE.read_text(encoding="utf-8")
    data = pf.render_report(text[:9000], header=header)
    raw_pages = _page_texts(data)
    assert len(raw_pages) >= 3
    assert all(header in p for p in raw_pages) and "- 2 -" in raw_pages[1]
    result = read_pdf(data)
    assert header not in result.text
    lines = result.text.split("\n")
    assert not [ln for ln in lines if pf_page_number(ln)]
    assert result.page_count == len(raw_pages)


def test_small_running_header_goes_even_on_a_one_page_report():
    pdf = pf.ReportCanvas(header="北京市大兴区国民经济和社会发展计划报告")
    pdf.heading("一、2023年国民经济和社会发展计划执行情况")
    for _ in range(3):
        pdf.paragraph(S_FILLER + S_INDUSTRY)
    result = read_pdf(pdf.save())
    assert result.page_count == 1
    assert result.text.startswith("一、2023年国民经济和社会发展计划执行情况\n")
    assert "计划报告" not in result.text


def test_bare_number_in_mid_page_is_content_not_a_page_number():
    paragraphs = [S_FILLER + S_INDUSTRY, "2024", S_FILLER + S_PM25]
    result = read_pdf(pf.simple_pdf(paragraphs))
    assert result.text.split("\n") == paragraphs


def test_latin_acronym_wrapped_mid_word_is_joined_without_a_space():
    para = _paragraph_cut_inside("第一、二、三产业对GDP增长的贡献率分别为1.5%、27.2%和71.3%。", "G")
    assert "对GDP增长" in read_pdf(pf.simple_pdf([para])).text


def pf_page_number(line: str) -> bool:
    import re

    return bool(re.fullmatch(r"-\s*\d+\s*-|第\s*\d+\s*页", line.strip()))


def test_furniture_rules_on_lines():
    pages = [
        [Line("大兴区发展改革委员会", n), Line("正文第%d页的内容。" % n, n), Line("第二行。", n),
         Line("第 %d 页" % n, n)]
        for n in range(1, 5)
    ]
    kept = remove_running_furniture(pages)
    assert [[ln.text for ln in p] for p in kept] == [["正文第%d页的内容。" % n, "第二行。"] for n in range(1, 5)]
    # one page: a line at the edge may be content, only page numbers go
    kept = remove_running_furniture(pages[:1])
    assert [len(p) for p in kept] == [3]


def test_full_width_digits_and_percent_are_nfkc_normalised():
    result = read_pdf(pf.simple_pdf(["规模以上工业总产值完成８４４．１亿元,同比下降１７．７％。"]))
    assert result.text == "规模以上工业总产值完成844.1亿元,同比下降17.7%。"


# --- pages ------------------------------------------------------------------------------

def test_page_spans_cover_text_and_locate_sentences():
    text = FIXTURE.read_text(encoding="utf-8")
    data = pf.render_report(text)
    raw_pages = [p.replace("\r\n", "") for p in _page_texts(data)]
    result = read_pdf(data)
    spans = result.page_spans
    assert [s[0] for s in spans] == list(range(1, len(raw_pages) + 1))
    assert spans[0][1] == 0 and spans[-1][2] == len(result.text)
    assert all(a[2] == b[1] for a, b in zip(spans, spans[1:]))
    for needle in ["844.1亿元", "36微克/立方米", "累计发放消费券4000万元"]:
        offset = result.text.index(needle)
        page = result.page_at(offset)
        assert needle[:3] in raw_pages[page - 1] or needle[-3:] in raw_pages[page - 1]


def test_paragraph_running_over_a_page_break_is_one_paragraph():
    text = FIXTURE.read_text(encoding="utf-8")
    data = pf.render_report(text)
    result = read_pdf(data)
    paragraphs = [unicodedata.normalize("NFKC", p).strip() for p in text.splitlines() if p.strip()]
    # every source paragraph comes back whole (spaces aside), also those cut by a page break
    got = set(result.text.replace(" ", "").split("\n"))
    missing = [p for p in paragraphs if p.replace(" ", "") not in got]
    assert not missing, missing[:2]
    crossing = [
        s for s in result.page_spans[1:] if s[1] > 0 and result.text[s[1] - 1] != "\n"
    ]
    assert crossing, "expected at least one paragraph to continue on the next page"


# --- tables -------------------------------------------------------------------------------

INDICATOR_TABLE = pf.Table(
    rows=[
        ["指标", "单位", "2023年", "比上年增长%"],
        ["地区生产总值", "亿元", "1234.5", "5.2"],
        ["规模以上工业总产值", "亿元", "844.1", "-17.7"],
        ["细颗粒物年均浓度", "微克/立方米", "36", ""],
    ],
    col_widths=[170, 90, 90, 101],
)


def _table_pdf(fake_bold: bool = False) -> bytes:
    pdf = pf.ReportCanvas(fake_bold=fake_bold)
    pdf.heading("一、主要指标完成情况")
    pdf.paragraph(S_INDUSTRY)
    pdf.table(INDICATOR_TABLE)
    pdf.paragraph(S_PM25)
    return pdf.save()


def test_ruled_table_becomes_rows_with_cell_offsets():
    result = read_pdf(_table_pdf())
    assert len(result.tables) == 1
    table = result.tables[0]
    assert table.page == 1
    assert [[c.text for c in row] for row in table.rows] == [list(r) for r in INDICATOR_TABLE.rows]
    for row in table.rows:
        for cell in row:
            assert result.text[cell.char_start:cell.char_end] == cell.text
    assert result.text[table.char_start:table.char_end].split("\n")[2] == "规模以上工业总产值\t亿元\t844.1\t-17.7"
    # reading order: heading, prose, table, prose; table text not repeated as prose
    lines = result.text.split("\n")
    assert lines[0] == "一、主要指标完成情况" and lines[1] == S_INDUSTRY and lines[-1] == S_PM25
    assert result.text.count("844.1") == 2  # once in the sentence, once in the table


def test_pdfplumber_only_opened_for_table_pages(monkeypatch):
    import pdfplumber

    calls = []
    real_open = pdfplumber.open
    monkeypatch.setattr(pdfplumber, "open", lambda *a, **k: calls.append(1) or real_open(*a, **k))
    read_pdf(pf.render_report(FIXTURE.read_text(encoding="utf-8")[:6000]))
    assert calls == []
    read_pdf(_table_pdf())
    assert calls == [1]


# --- bad PDFs -----------------------------------------------------------------------------

def _good() -> bytes:
    return pf.simple_pdf([S_INDUSTRY, S_PM25])


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda: pf.encrypted_pdf(), "encrypted PDF (password required)"),
        (lambda: _good()[: len(_good()) // 2], "corrupt or truncated PDF"),
        (lambda: _good()[:-40], "corrupt or truncated PDF"),
        (lambda: _good()[:300], "corrupt or truncated PDF"),
        (lambda: b"\x00\xffjunk" * 500, "corrupt or truncated PDF"),
        (lambda: b"", "corrupt or truncated PDF: empty file"),
        (lambda: b"%PDF-1.7\n" + bytes(random.Random(7).randrange(256) for _ in range(3000)) + b"\n%%EOF",
         "corrupt or truncated PDF"),
        (lambda: pf.zero_page_pdf(), "PDF has zero pages"),
        (lambda: pf.image_only_pdf(), "no text layer; OCR is not supported"),
        (lambda: pf.image_only_pdf(with_page_number=False), "no text layer; OCR is not supported"),
        (lambda: pf.mostly_scanned_pdf(10), "no text layer on 9 of 10 pages (scanned); OCR is not supported"),
    ],
    ids=["encrypted", "truncated-half", "truncated-tail", "truncated-head", "junk", "empty", "random-body",
         "zero-pages", "image-only", "image-only-no-footer", "scanned-after-a-typed-cover"],
)
def test_bad_pdfs_are_rejected_with_a_reason(make, reason):
    with pytest.raises(RejectedDocument) as info:
        read_pdf(make())
    assert info.value.reason.startswith(reason)
    assert info.value.media_type == "application/pdf"


def test_owner_password_only_pdf_is_readable():
    assert read_pdf(pf.owner_only_encrypted_pdf()).text == "规模以上工业总产值完成844.1亿元,全市第六,同比下降17.7%。"


def test_damaged_bytes_never_raise_anything_but_rejected():
    data = bytearray(_table_pdf())
    rng = random.Random(2024)
    for _ in range(40):
        bad = bytearray(data)
        for _ in range(rng.randrange(1, 30)):
            bad[rng.randrange(len(bad))] = rng.randrange(256)
        try:
            read_pdf(bytes(bad))
        except RejectedDocument:
            pass


# --- parity with the text version ----------------------------------------------------------

def test_real_report_as_pdf_yields_the_same_facts_with_pages():
    """The 2023 Daxing plan report (12 874 characters) as an 11-page PDF with fake-bold
    headings, running header and page numbers: the engine must find the same facts."""
    extract = pytest.importorskip("pipelines.extract")
    if not hasattr(extract, "extract_facts"):
        pytest.skip("extraction engine not available yet")
    from datetime import date

    from pipelines.extract.model import DocumentContext
    from pipelines.readers.normalize import normalize_text

    ctx = DocumentContext(doc_type="plan_report", actual_year=2023, plan_year=2024,
                          published_on=date(2024, 2, 2), region="北京市大兴区")
    source = FIXTURE.read_text(encoding="utf-8")
    plain = normalize_text(source)
    data = pf.render_report(source)
    pdf_result = read_pdf(data)
    assert pdf_result.page_count >= 8
    raw_pages = [unicodedata.normalize("NFKC", p.replace("\r\n", "")) for p in _page_texts(data)]

    def facts_of(text: str, tables=()):
        facts = extract.extract_facts(text, ctx, tables).facts
        for f in facts:
            assert text[f.char_start:f.char_end] == f.raw_text
        return facts

    def key(f):
        return (f.indicator_code, f.year, f.period, f.basis, f.measure, f.unit, round(f.value, 6), f.comparator)

    from_text, from_pdf = facts_of(plain), facts_of(pdf_result.text, pdf_result.tables)
    canonical_text = [key(f) for f in from_text if f.indicator_code]
    canonical_pdf = [key(f) for f in from_pdf if f.indicator_code]
    assert len(canonical_text) >= 15
    same = sum(k in canonical_pdf for k in canonical_text)
    parity = same / len(canonical_text)
    all_same = sum(k in {key(f) for f in from_pdf} for k in map(key, from_text))
    print(f"canonical facts parity: {same}/{len(canonical_text)} = {parity:.1%}; "
          f"all figures: {all_same}/{len(from_text)} (pdf: {len(from_pdf)})")
    assert parity >= 0.98
    assert len(canonical_pdf) <= len(canonical_text) * 1.02 + 1
    for f in from_pdf:
        page = pdf_result.page_at(f.char_start)
        assert page is not None and 1 <= page <= pdf_result.page_count
        # the page really holds the figure (its start, when a line or page break cuts it)
        assert f.raw_text[:2] in raw_pages[page - 1]


@pytest.mark.parametrize(
    "line",
    ["规模以上工业总产值完成８４４．１亿元，同比下降１７．７％。", "  PM2.5\u3000年均浓度\t36微克/立方米 ",
     "經(jīng)濟(jì)增长", "控制\x07字符\x1f在内", "Ⅱ类水质 ㎡ ①"],
)
def test_line_normaliser_mirrors_the_shared_normalize_text(line):
    from pipelines.readers.normalize import normalize_text
    from pipelines.readers.pdf_layout import normalize_one_line

    assert normalize_one_line(line) == normalize_text(line)


def test_pinyin_gloss_cut_by_a_line_break_is_removed():
    para = _paragraph_cut_inside("经济持续回升向好,产(chǎn)业发展成效明显。", "产")
    result = read_pdf(pf.simple_pdf([para]))
    assert "产业发展成效明显" in result.text and "chǎn" not in result.text


def test_rotated_landscape_page_reads_in_order():
    paragraphs = [S_FILLER + S_INDUSTRY, S_FILLER + S_PM25]
    result = read_pdf(pf.rotated_landscape_pdf(paragraphs))
    assert result.text.split("\n") == paragraphs
