"""How a year nobody wrote next to a figure was inferred is said in ``qualifier`` (PHENOMENA §1);
a year the metadata gave, or one written in the text, needs no such note."""

from __future__ import annotations

from datetime import date

from pipelines.extract import extract_facts
from pipelines.extract.model import DocumentContext


def coded(text, ctx):
    return [f for f in extract_facts(text, ctx).facts if f.indicator_code]


def test_relative_year_from_publication_date_is_noted():
    (f,) = coded("今年全县地区生产总值预期增长6%左右。", DocumentContext(published_on=date(2036, 2, 10), region="青溪县"))
    assert f.year == 2036 and "year inferred" in f.qualifier and "publication date" in f.qualifier


def test_reviewed_year_inferred_without_metadata_is_noted():
    (f,) = coded("全县地区生产总值增长5.1%。", DocumentContext(published_on=date(2036, 7, 10), region="青溪县"))
    assert "year inferred: 2036" in f.qualifier


def test_year_from_undated_text_is_noted():
    facts = coded("2035年全县地区生产总值增长5.1%。今年全县将力争一般公共预算收入增长6%左右。", DocumentContext(region="青溪县"))
    target = next(f for f in facts if f.basis == "target")
    assert target.year == 2036 and "years named in the text" in target.qualifier
    actual = next(f for f in facts if f.basis == "actual")
    assert actual.year == 2035 and actual.qualifier is None  # written next to the figure


def test_metadata_years_need_no_note():
    ctx = DocumentContext("stats_bulletin", 2035, None, date(2036, 3, 1), "青溪县")
    (f,) = coded("全年全县地区生产总值增长5.1%。", ctx)
    assert f.year == 2035 and f.qualifier is None
