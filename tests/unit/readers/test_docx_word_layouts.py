"""Word files as Word saves them: split runs, soft breaks, fields, tracked changes, automatic
numbering, text boxes and merged table cells must not cost a figure (invented sentences)."""

import io

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from benchmarks.word_layouts import real_docx
from pipelines.extract import extract_facts
from pipelines.extract.model import DocumentContext
from pipelines.readers import read_document
from pipelines.readers.docx_numbering import chinese_number
from pipelines.readers.docx_text import join_soft_breaks
from pipelines.readers.normalize import normalize_text

W = nsdecls("w")


def _read(*paragraph_xml: str, numbering: str | None = None):
    document = docx.Document()
    if numbering:
        root = document.part.numbering_part.element
        for element in parse_xml(f"<w:numbering {W}>{numbering}</w:numbering>"):
            root.append(element)
    body = document.element.body
    for xml in paragraph_xml:
        body[-1].addprevious(parse_xml(xml))
    buffer = io.BytesIO()
    document.save(buffer)
    return read_document(buffer.getvalue(), "report.docx")


def _p(inner: str, ppr: str = "") -> str:
    return f"<w:p {W}><w:pPr>{ppr}</w:pPr>{inner}</w:p>"


def _r(text: str, rpr: str = "") -> str:
    return f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def test_runs_split_inside_a_number_with_bookmarks_between_are_one_figure():
    result = _read(_p(_r("全镇粮食产量1") + '<w:bookmarkStart w:id="1" w:name="_Hlk1"/>' + _r("2.")
                      + '<w:proofErr w:type="spellStart"/>' + _r("7") + '<w:bookmarkEnd w:id="1"/>' + _r("万吨。")))
    assert result.text == "全镇粮食产量12.7万吨。"


def test_soft_breaks_join_wrapped_text_and_end_lines_after_a_stop():
    br = "<w:r><w:br/></w:r>"
    result = _read(_p(_r("全镇一般公共预") + br + _r("算收入8.4") + br + _r("亿元,增") + br + _r("长3.1%。")
                      + br + _r("——新增就业1200人。")))
    assert result.text.split("\n") == ["全镇一般公共预算收入8.4亿元,增长3.1%。", "——新增就业1200人。"]
    assert join_soft_breaks("Gross\x0boutput") == "Gross output"
    assert join_soft_breaks("各位代表:\x0b现在报告\x0b\x0b工作") == "各位代表:\n现在报告\n工作"


def test_insertions_and_fields_are_read_deletions_hidden_text_and_field_codes_are_not():
    inserted = f'<w:ins w:id="7" w:author="甲" w:date="2025-01-01T00:00:00Z">{_r("5.2")}</w:ins>'
    deleted = '<w:del w:id="8" w:author="甲" w:date="2025-01-01T00:00:00Z"><w:r><w:delText>4.9</w:delText></w:r></w:del>'
    simple = f'<w:fldSimple w:instr=" REF 单位 ">{_r("亿元")}</w:fldSimple>'
    complex_field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
                     '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + _r(",") +
                     '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    hidden = _r("(草稿)", "<w:vanish/>")
    result = _read(_p(_r("全镇工业总产值") + deleted + inserted + simple + hidden + complex_field + _r("增长6%。")))
    assert result.text == "全镇工业总产值5.2亿元,增长6%。"


NUMBERING = (
    '<w:abstractNum w:abstractNumId="71"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
    '<w:lvlText w:val="%1、"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
    '<w:lvlText w:val="(%2)"/></w:lvl><w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%3."/></w:lvl></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="72"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf06c"/>'
    '</w:lvl></w:abstractNum><w:num w:numId="71"><w:abstractNumId w:val="71"/></w:num>'
    '<w:num w:numId="72"><w:abstractNumId w:val="72"/></w:num>')


def _numbered(text: str, level: int, num: str = "71") -> str:
    return _p(_r(text), f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>')


def test_automatic_numbering_is_written_before_the_heading():
    result = _read(_numbered("2025年工作回顾", 0), _numbered("产业提质增效", 1), _numbered("农业增产", 2),
                   _numbered("工业稳中有进", 2), _numbered("民生持续改善", 1), _numbered("2026年工作安排", 0),
                   _numbered("总体要求", 1), _numbered("一项列举", 0, num="72"), numbering=NUMBERING)
    assert result.text.split("\n") == ["一、2025年工作回顾", "(一)产业提质增效", "1.农业增产", "2.工业稳中有进",
                                       "(二)民生持续改善", "二、2026年工作安排", "(一)总体要求", "一项列举"]
    assert [chinese_number(n) for n in (1, 10, 12, 20, 34, 105, 110)] == \
        ["一", "十", "十二", "二十", "三十四", "一百零五", "一百一十"]


def test_a_text_box_is_read_once_after_its_anchor():
    box = real_docx("标题行之后的第一段文字。\n第二段。\n第三段。\n第四段。\n专栏:全镇新建道路15公里。\n"
                    "第六段。\n第七段。\n第八段。", seed=3)
    text = read_document(box, "r.docx").text
    assert text.count("全镇新建道路15公里") == 1


def test_a_report_saved_the_way_word_saves_it_reads_as_its_text():
    source = ("青禾县2025年国民经济和社会发展计划执行情况与2026年计划草案的报告\n各位代表:\n"
              "一、2025年计划执行情况\n(一)经济运行稳中有进\n全县地区生产总值完成356.7亿元,增长5.4%;"
              "一般公共预算收入21.08亿元,增长3.2%,城镇新增就业4310人,完成年度计划的107.8%。\n"
              "(二)民生保障持续加强\n城乡居民人均可支配收入达到38521元,增长5.9%,其中农村居民人均可支配收入"
              "24160元,增长7.1%。\n二、2026年计划草案\n(一)主要预期目标\n地区生产总值增长5.5%左右;"
              "一般公共预算收入增长3%左右。\n(三)保持原有编号的段落\n第九段。")
    for seed in range(4):
        result = read_document(real_docx(source, seed=seed), "plan.docx")
        assert result.text == normalize_text(source), seed


def test_merged_header_cells_keep_the_columns_and_their_years():
    document = docx.Document()
    table = document.add_table(rows=4, cols=5)
    rows = [["指标", "单位", "2025年", "", "2024年"], ["", "", "绝对值", "增长%", "绝对值"],
            ["地区生产总值", "亿元", "356.7", "5.4", "338.2"], ["", "亿元", "21.08", "3.2", "20.4"]]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value:
                table.cell(r, c).text = value
    table.cell(0, 2).merge(table.cell(0, 3))
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(3, 0).text = "一般公共预算收入"
    buffer = io.BytesIO()
    document.save(buffer)
    result = read_document(buffer.getvalue(), "t.docx")
    (block,) = result.tables
    assert [[c.text for c in row] for row in block.rows[:2]] == [
        ["指标", "单位", "2025年", "", "2024年"], ["", "", "绝对值", "增长%", "绝对值"]]
    context = DocumentContext(doc_type="stats_bulletin", actual_year=2025)
    facts = {(f.year, f.measure, f.raw_text) for f in extract_facts(result.text, context, result.tables).facts
             if f.indicator_code == "gdp"}
    assert {(2025, "value", "356.7"), (2025, "growth_pct", "5.4"), (2024, "value", "338.2")} <= facts


def test_headline_is_a_centred_or_heading_paragraph_never_a_lede_sentence():
    centred = _read(_p(_r("青禾镇政府工作简报")), _p(_r("青禾镇2025年工作总结"), '<w:jc w:val="center"/>'))
    assert centred.title_hint == "青禾镇2025年工作总结"  # the centred line, not the one above it
    titled = _read(_p(_r("青禾镇2025年上半年经济运行情况"), '<w:pStyle w:val="Title"/>'), _p(_r("正文第一段。")))
    assert titled.title_hint == "青禾镇2025年上半年经济运行情况"
    lede = _read(_p(_r("1月12日,县发展改革委向大会提交了计划草案的报告。")), _p(_r("报告显示,全县投资增长8%。")))
    assert lede.title_hint is None


def test_a_list_restarted_by_its_number_definition_counts_from_its_start():
    restart = NUMBERING + ('<w:num w:numId="73"><w:abstractNumId w:val="71"/><w:lvlOverride w:ilvl="0">'
                           '<w:startOverride w:val="1"/></w:lvlOverride></w:num>')
    result = _read(_numbered("上年回顾", 0), _numbered("今年安排", 0), _numbered("附件说明", 0, num="73"),
                   _numbered("其他事项", 0, num="73"), numbering=restart)
    assert result.text.split("\n") == ["一、上年回顾", "二、今年安排", "一、附件说明", "二、其他事项"]
