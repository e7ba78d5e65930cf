"""The year a document reviews, where its metadata is silent or says the date of the page.

Input: the ``DocumentContext``, the text, the current year (今年) and what ``context.enrich``
found so far; output: the reviewed (actual) year. Three patterns many reports share:

* a statistical bulletin is published in the spring after the year it reports, so a year read
  from its dateline (2025年3月28日) is one too late;
* a work report, a plan report or its news that sets targets for year P reviews P-1;
* a page of whole-year figures (1-12月, 全年, 比上年) or one reviewing 过去一年, with no year at
  all, published in the first half of a year (any page of outcomes published in January or
  February), reports the year before (not a page of 一季度 figures).
"""

from __future__ import annotations

import re

from . import lexicon as lex
from .model import DocumentContext
from .periods import period_of

_WHOLE_YEAR_REPORT = lex.rx("whole_year_report")
# 过去一年, 刚过去的一年 …: the relative-year words that name the reviewed year
_REVIEW_WORDS = lex.Lazy(lambda: re.compile("|".join(w for w, v in lex.table("relative_year_offset").items() if v == "reviewed")))
_SPRING_MONTHS = 6  # a bulletin or a year-end page comes out by June of the following year
_FIRST_MONTHS = 2  # no outcome of a year is known in its first two months: a page then reports the year before
_REVIEWING_TYPES = ("gov_work_report", "plan_report", "other")


def reviewed_year(
    ctx: DocumentContext, s: str, cur: int | None, actual: int | None, plan: int | None, scene: list[int], has_target: bool
) -> int | None:
    pub = ctx.published_on
    if (
        ctx.doc_type == "stats_bulletin"
        and pub is not None
        and actual == pub.year
        and pub.month <= _SPRING_MONTHS
        and actual not in scene
    ):
        return actual - 1
    if ctx.actual_year is None and plan is not None and ctx.doc_type in _REVIEWING_TYPES and actual in (None, plan):
        # (a half-year page that sets the year's goals, 确保全年…, reviews this year's months)
        # (a page of 前三季度 figures that ends on 确保完成全年…目标 reports this year's months too)
        part_year = _part_year_page(s) and not _REVIEW_WORDS.search(s[:300])
        return plan if _PLAN_YEAR_PART.search(s[:300].replace(f"{plan}年", "\x00")) or part_year else plan - 1
    if (
        ctx.actual_year is None
        and cur is not None
        and pub is not None
        and pub.month <= _SPRING_MONTHS
        and not scene
        and not has_target
        and (pub.month <= _FIRST_MONTHS or _WHOLE_YEAR_REPORT.search(s) or _REVIEW_WORDS.search(s))
        and not _part_year_page(s)
    ):
        return cur - 1  # 1-12月 / 全年 / 过去一年 on a page of the first half-year: last year
    return actual


def _early_part(m) -> bool:
    """A part of the year that ends before its last quarter (上半年, 1-10月, 前三季度)."""
    return m is not None and period_of(m.group(0)) not in _LATE_PARTS


_LATE_PARTS = (None, "FY", "Q4", "H2", "M12")


def _part_year_page(s: str) -> bool:
    """A page whose opening names a part of the year before its end (一季度, 上半年, 1-10月): it
    reports this year's months, even where 全年 comes up (比去年全年加快, 全年目标)."""
    return period_of(s[:300]) not in _LATE_PARTS


_THIS_YEAR = lex.rx("this_year_words")
# the plan year written right before a part of it (2025年上半年): \x00 stands for "{plan}年"
_PLAN_YEAR_PART = lex.rx("period_any", "\x00(?:{})")
_PART_OF_YEAR = lex.rx("period_any", r"\s*(?:{}|以来)")
_OUTCOME = lex.rx("outcome_figure")
_PART_AFTER_YEAR = lex.rx("period_any", r"\s*(?:{})")
_SENT_END = re.compile(r"[。!！?？\n]")


def after_past_years(s: str, found: list[tuple[int, int, int]], latest: int, target_spans: list[tuple[int, int]] | None) -> int:
    """The current year of an undated text whose only years are past ones.

    ``latest`` (the last year named) is the current year, unless every sentence naming it reports
    outcome figures (a figure after the year, no target cue) while 今年 stands in a sentence that sets targets or names a part of
    the year (今年上半年, 今年以来) without that year: 2035年全县地区生产总值增长5.1%。今年将力争增长6%
    is written in 2036.
    """
    starts = [a for a, _ in target_spans or ()]

    def sentence(pos: int) -> tuple[int, int]:
        a = max((m.end() for m in _SENT_END.finditer(s, max(0, pos - 300), pos)), default=max(0, pos - 300))
        m = _SENT_END.search(s, pos)
        return a, (m.start() if m else len(s))

    def sets_targets(a: int, b: int) -> bool:
        return any(a <= t < b for t in starts)

    for a, y, b in found:
        if y == latest:
            if _early_part(_PART_AFTER_YEAR.match(s, b)):
                return latest  # 2025年上半年 / 2025年1-10月: a part of a year is reported within that year
            sa, sb = sentence(a)
            if sets_targets(sa, sb) or not _OUTCOME.search(s, a, sb):
                return latest  # a sentence that plans the year, or names it without an outcome figure
    for m in _THIS_YEAR.finditer(s):
        a, b = sentence(m.start())
        part_year = _PART_OF_YEAR.match(s, m.end())
        if (part_year or sets_targets(a, b)) and not any(a <= p < b for p, y, _ in found if y == latest):
            return latest + 1
    return latest
