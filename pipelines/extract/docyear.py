"""The year a document reviews, where its metadata is silent or says the date of the page.

Input: the ``DocumentContext``, the text, the current year (今年) and what ``context.enrich``
found so far; output: the reviewed (actual) year. Three patterns many reports share:

* a statistical bulletin is published in the spring after the year it reports, so a year read
  from its dateline (2025年3月28日) is one too late;
* a work report, a plan report or its news that sets targets for year P reviews P-1;
* a page of whole-year figures (1-12月, 全年) or one reviewing 过去一年, with no year at all,
  published in the first half of a year, reports the year before.
"""

from __future__ import annotations

import re

from . import lexicon as lex
from .model import DocumentContext

_WHOLE_YEAR_REPORT = lex.rx("whole_year_report")
# 过去一年, 刚过去的一年 …: the relative-year words that name the reviewed year
_REVIEW_WORDS = lex.Lazy(lambda: re.compile("|".join(w for w, v in lex.table("relative_year_offset").items() if v == "reviewed")))
_SPRING_MONTHS = 6  # a bulletin or a year-end page comes out by June of the following year
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
        return plan - 1
    if (
        ctx.actual_year is None
        and cur is not None
        and pub is not None
        and pub.month <= _SPRING_MONTHS
        and not scene
        and not has_target
        and (_WHOLE_YEAR_REPORT.search(s) or _REVIEW_WORDS.search(s))
    ):
        return cur - 1  # 1-12月 / 全年 / 过去一年 on a page of the first half-year: last year
    return actual
