"""Files that are not what they claim, or built to hurt a reader: each refused with what is
wrong, quickly and within memory; and odd but honest encodings read correctly."""

import codecs
import time

import pytest

from pipelines.readers import RejectedDocument, read_document
from tests import pdf_factory as pf

SENTENCE = "临江县2025年地区生产总值356.2亿元,增长5.6%。\n一般公共预算收入21.4亿元。\n" * 10


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "gbk", "gb18030"])
def test_text_without_bom_or_declaration_is_decoded(encoding):
    result = read_document(SENTENCE.encode(encoding), "report.txt")
    assert result.text.startswith("临江县2025年地区生产总值356.2亿元,增长5.6%。")


def test_utf16_html_without_bom_is_read():
    page = "<html><body><p>" + SENTENCE + "</p></body></html>"
    assert "356.2亿元" in read_document(page.encode("utf-16-le"), "page.html").text


@pytest.mark.parametrize("data, name, reason", [
    (b"", "a.html", "empty file"),
    (b"\x00\x01\x02\x03" * 4000, "a.txt", "binary content"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00\xff" * 3000 + b"\x01", "a.html", "binary content"),
    (b"<html><body>" + b"<div>" * 5000 + b"x" + b"</div>" * 5000 + b"</body></html>", "deep.html",
     "nested more than"),
    (b"<html><body>" + b"<span>" * 1500 + "增长5%".encode() + b"</body></html>", "deep2.html", "nested more than"),
    (b"<html><body><script>var a=1;</script></body></html>", "blank.html", "no visible text"),
])
def test_hostile_or_empty_files_are_refused_with_a_reason(data, name, reason):
    started = time.perf_counter()
    with pytest.raises(RejectedDocument) as info:
        read_document(data, name)
    assert reason in info.value.reason
    assert time.perf_counter() - started < 5


def test_oversized_html_is_refused_before_parsing():
    data = b"<html><body>" + ("<p>全年地区生产总值356.2亿元。</p>" * 600_000).encode() + b"</body></html>"
    with pytest.raises(RejectedDocument) as info:
        read_document(data, "huge.html")
    assert "too large" in info.value.reason


def test_unclosed_font_tags_a_few_hundred_deep_are_still_read():
    page = "<html><body>" + "<font>" * 400 + "<p>全年地区生产总值356.2亿元。</p>" + "</body></html>"
    assert "356.2亿元" in read_document(page.encode(), "old.html").text


def test_pdf_claiming_more_pages_than_any_report_is_refused(monkeypatch):
    from pipelines.readers import pdf

    monkeypatch.setattr(pdf, "MAX_PAGES", 2)
    with pytest.raises(RejectedDocument) as info:
        read_document(pf.multi_page_report("全年地区生产总值356.2亿元,增长5.6%。" * 40, 3), "long.pdf")
    assert "pages (limit 2)" in info.value.reason


def test_a_frameset_page_is_read_from_its_noframes_text():
    page = ("<html><frameset><frame src='nav.html'><noframes>青溪县2031年国民经济和社会发展统计公报。"
            "全县地区生产总值增长5.2%。</noframes></frameset></html>").encode("utf-8")
    assert "地区生产总值增长5.2%" in read_document(page, "frames.html").text


@pytest.mark.parametrize("data", [
    codecs.BOM_UTF8 + "青溪县地区生产总值增长5%,一般公共预算收入完成12亿元。".encode("gbk"),
    codecs.BOM_UTF16_LE + "青溪县".encode("utf-16-le") + b"\xa0",
    codecs.BOM_UTF8,
])
def test_a_byte_order_mark_that_lies_is_not_a_crash(data):
    try:
        read_document(data, "lying-bom.txt")
    except RejectedDocument as rejected:
        assert rejected.reason
