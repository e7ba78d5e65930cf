"""Real PDF layouts (LibreOffice/WPS exports): glyph order, layout spaces, wrapped lines."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pipelines.readers.pdf_glyphs import layout_spaces, reading_order, repair  # noqa: E402
from pipelines.readers.pdf_layout import Line, build_blocks, should_break  # noqa: E402


def _glyphs(chars_at):
    """(text, origin, generated) from [(char, x, y, generated)]."""
    text = "".join(c for c, *_ in chars_at)
    return text, (lambda i: chars_at[i][1:3]), (lambda i: chars_at[i][3])


def test_quote_written_after_its_run_goes_back_before_the_word():
    # "推进“绿道”建设" typed; the quotes drawn last, pdfium appends them with a jump space
    text, origin, gen = _glyphs([("推", 0, 5, False), ("进", 10, 5, False), ("绿", 14, 5, False),
                                 ("道", 24, 5, False), ("建", 38, 5, False), ("设", 48, 5, False),
                                 (" ", 58, 5, True), ("“", 10.5, 5, False), ("”", 34, 5, False)])
    order = reading_order(text, origin, gen, 10.0)
    assert "".join(text[i] for i in order) == "推进“绿道”建设"
    assert repair(text, origin, gen, 10.0)[0] == "推进“绿道”建设"


def test_glyphs_on_two_baselines_are_left_alone():
    text, origin, gen = _glyphs([("甲", 10, 5, False), ("乙", 0, 20, False)])
    assert reading_order(text, origin, gen, 10.0) is None


def test_generated_autospace_goes_typed_space_stays():
    seg = "全镇 2031 年 收入 指 标"
    generated = {2: True, 7: True, 9: True}
    assert layout_spaces(seg, lambda i: generated.get(i, False), lambda i: 0.25) == [2, 7, 9]
    # a typed space (not generated) between a term and its definition is text
    assert layout_spaces("试点村 指经认定的村", lambda i: False, lambda i: 0.25) == []
    # one generated space as wide as a typed one is a real gap ("来源:某局 日期:")
    assert layout_spaces("来源:某局 日期", lambda i: True, lambda i: 0.5) == []


def test_justified_line_loses_all_its_spread_spaces():
    seg = "乡 村 振 兴 。"
    assert repair(seg, lambda i: (i * 10.0, 0.0), lambda i: seg[i] == " ", 10.0, lambda i: 0.9)[0] == "乡村振兴。"


def _line(text, x0, x1, top, size=10.0):
    return Line(text, 1, top, x0, x1, size, None, 800.0, top + size)


GEOM = (50.0, 450.0, 10.0)


def test_line_starting_with_closing_quote_continues_the_sentence():
    assert not should_break(_line("心", 50, 60, 100), _line("”工程全面铺开。", 50, 200, 115), GEOM, GEOM)


def test_ragged_wrap_without_full_stop_is_joined_short_line_is_not():
    body = _line("全区建成社区食堂十二家,覆盖六个街", 50, 410, 100)  # 4 ems short of the margin
    assert not should_break(body, _line("道。", 50, 70, 115), GEOM, GEOM)
    heading = _line("(二)社区服务", 70, 180, 100)
    assert should_break(heading, _line("全区建成社区食堂。", 50, 200, 115), GEOM, GEOM)


def test_centred_title_on_two_lines_is_one_title():
    lines = [_line("某县2031年国民经济和社会发展计划执行", 140, 360, 60),
             _line("情况的报告", 225, 275, 74)] + [_line("正文内容" * 5, 50, 450, 100 + 15 * k) for k in range(6)]
    blocks = build_blocks([lines])
    assert blocks[0].pieces[0][1] == "某县2031年国民经济和社会发展计划执行情况的报告"


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) not on PATH")
def test_libreoffice_export_reads_like_the_typed_text(tmp_path):
    pytest.importorskip("docx")
    from pipelines.extract import extract_facts  # noqa: F401 - the reader is what is tested here
    from pipelines.readers.pdf import read_pdf
    from tests import pdf_factory as pf

    typed = ("某县2031年国民经济和社会发展统计公报\n"
             "全县坚持“生态立县”战略,地区生产总值达到152.8亿元,比上年增长6.1%。"
             "实施“千村示范”工程,建成“美丽庭院”3200户,“四好农村路”通车里程达到415公里,"
             "城乡居民人均可支配收入36210元,增长5.4%。\n"
             "全年粮食总产量48.26万吨,比上年增长2.3%。")
    result = read_pdf(pf.libreoffice_pdf(pf.docx_bytes(typed), tmp_path))
    body = result.text.replace("\n", "")
    for piece in ("坚持“生态立县”战略", "实施“千村示范”工程", "建成“美丽庭院”3200户", "152.8亿元", "2031年"):
        assert piece in body
    assert " 年" not in result.text and "“ ”" not in result.text
    assert all(0 <= a <= b <= len(result.text) for _p, a, b in result.page_spans)


def test_number_cut_by_the_wrap_is_joined_even_in_a_centred_title():
    assert not should_break(_line("地区生产总值增长4", 140, 330, 60), _line(".7%左右", 140, 200, 80), GEOM, GEOM)
    assert not should_break(_line("全年完成投资12.", 50, 200, 60), _line("5亿元", 50, 90, 75), GEOM, GEOM)


def test_centred_cells_and_signature_under_a_title_stay_apart():
    rows = [_line("| 指标 | 绝对数(亿元) |", 150, 350, 100), _line("| 地区生产总值 | 1234.5 |", 150, 350, 115)]
    assert should_break(rows[0], rows[1], GEOM, GEOM)
    title = _line("某县2031年国民经济和社会发展统计公报", 140, 360, 60)
    assert should_break(title, _line("2032年3月1日", 200, 300, 75), GEOM, GEOM)
    assert should_break(title, _line("某县统计局", 225, 275, 85), GEOM, GEOM)  # set apart below


def test_full_line_going_on_centred_is_one_paragraph():
    full = _line("某市发展和改革委员会受市政府委托向市第九届人民代表大会第二", 50, 449, 60)
    assert not should_break(full, _line("次会", 240, 260, 74), GEOM, GEOM)
    ended = _line("某市发展和改革委员会向大会书面报告了今年计划执行情况。", 50, 449, 60)
    assert should_break(ended, _line("二、主要任务", 220, 280, 80), GEOM, GEOM)
