"""A PDF table that goes on over a page without its header row gets the header it continues."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pipelines.readers.pdf import _assemble  # noqa: E402
from pipelines.readers.pdf_layout import Line, build_blocks  # noqa: E402
from pipelines.readers.pdf_tables import is_data_row  # noqa: E402

HEADER = ["指标", "2031年(亿元)", "增长(%)"]


def _table(page, rows, top=100.0):
    return Line("", page, top, 50.0, 450.0, rows=rows, page_height=800.0)


def _text(page, text, top):
    return Line(text, page, top, 50.0, 60.0 + 10 * len(text), 10.0, None, 800.0, top + 10)


def test_continuation_after_a_note_gets_the_header_and_offsets_hold():
    pages = [[_text(1, "全年主要指标如下。", 80), _table(1, [HEADER, ["地区生产总值", "321.4", "6.1"]]),
              _text(1, "注:按现价计算。", 700)],
             [_table(2, [["农业增加值", "48.9", "3.2"], ["工业增加值", "101.7", "7.5"]], top=60.0)]]
    text, spans, tables = _assemble(build_blocks(pages), 2)
    carried = tables[-1]
    assert [c.text for c in carried.rows[0]] == HEADER
    assert [c.text for c in carried.rows[1]] == ["农业增加值", "48.9", "3.2"]
    for row in carried.rows:
        for cell in row:
            assert text[cell.char_start:cell.char_end] == cell.text
    assert spans[1][1] <= carried.char_start  # the carried table is on page 2


def test_a_new_table_after_body_text_or_with_other_columns_is_left_alone():
    body = "下半年,全县继续推进重点项目建设,各项指标稳中有升。"
    pages = [[_table(1, [HEADER, ["地区生产总值", "321.4", "6.1"]])],
             [_text(2, body, 60), _table(2, [["农业增加值", "48.9", "3.2"]], top=120.0)]]
    assert build_blocks(pages)[-1].rows == [["农业增加值", "48.9", "3.2"]]
    pages = [[_table(1, [HEADER, ["地区生产总值", "321.4", "6.1"]]), _text(1, "注:按现价计算。", 700)],
             [_table(2, [["农业增加值", "48.9"]], top=60.0)]]
    assert build_blocks(pages)[-1].rows == [["农业增加值", "48.9"]]


def test_data_rows_and_header_rows():
    assert is_data_row(["农业增加值", "48.26", "—", "13.5%"])
    assert not is_data_row(HEADER)
    assert not is_data_row(["项目", "2030年", "2031年"])
