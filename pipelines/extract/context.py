"""Which year, basis (actual / target) and period a figure belongs to.

Sources, strongest first: the words right before the figure (2022年的…, 上半年, 预期目标是…),
the explicit years of its paragraph, the section heading above it (一、2023年…执行情况 → actual
2023; 二、2024年…计划 / 主要预期目标 → target 2024), and the ``DocumentContext`` defaults.
今年 / 去年 follow from the document's date (or its report years when the date is unknown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon as lex
from .docyear import reviewed_year
from .periods import one_month, period_marks, period_of
from .model import DocumentContext

# (?<![\d.])((?:19|20)\d{2})…, with the look-behind written after the first digit, so that the
# pattern starts with the literal characters 1 / 2, which the regex engine skips to quickly
YEAR = re.compile(r"((?:1(?<![\d.]1)9|2(?<![\d.]2)0)\d{2})(?:年(?!\d)|(?=[-—~至到]\d{2,4}年))")
# a year that is not a setting of the scene: a date, a comparison, a range, an attribute
_DATE_AFTER = re.compile(r"^(?:\d{1,2}月|\d)")
_YEAR_BEFORE_SKIP = lex.rx("year_skip_before")
_YEAR_AFTER_SKIP = lex.rx("year_skip_after")
RELATIVE = lex.rx("relative_year")
_DIGIT_YM_END = re.compile(r"[\d年月]$")
_RANGE_MARK = re.compile(r"[-—~至到]")
_RANGE_MARK_END = re.compile(r"[-—~至到]$")


_TARGET_CUE_CORE = lex.rx("target_cue")
_TARGET_NOT_AFTER = lex.rx("target_not_after")


class _TargetCue:
    """Target cue words, except after 实现/完成/好于… (实现预期目标 reports an outcome).

    The exclusion is checked on the few characters before a match instead of by look-behinds
    at every position, which keeps the scan fast.
    """

    @staticmethod
    def finditer(s: str, a: int = 0, b: int | None = None):
        b = len(s) if b is None else b
        for m in _TARGET_CUE_CORE.finditer(s, a, b):
            if _TARGET_NOT_AFTER.search(s, max(0, m.start() - 4), m.start()):
                continue
            yield m

    @staticmethod
    def search(s: str, a: int = 0, b: int | None = None):
        return next(_TargetCue.finditer(s, a, b), None)


TARGET_CUE = _TargetCue()
_TARGET_NEG_BEFORE = lex.rx("target_neg_before")
ACTUAL_CUE = lex.rx("actual_cue")

HEAD_ACTUAL = lex.rx("heading_actual")
HEAD_TARGET = lex.rx("heading_target")
HEADING_MARK = lex.rx("heading_mark")

MULTI_YEAR = lex.rx("multi_year")
_SINCE_OK = lex.rx("since_this_year")

PARTY_CONGRESS = lex.LazyTable("party_congress", int)
_PLAN_PERIODS = lex.Lazy(lambda: [(re.compile(lex.expand(k)), int(v)) for k, v in lex.table("plan_period").items()])
_PLAN_PERIOD_HINT = re.compile(r"十.五")  # a quick test before the plan-period patterns
_ANNIV = lex.Lazy(lambda: [(re.compile(k), int(v)) for k, v in lex.table("anniversaries").items()])
_DATE = re.compile(r"((?:19|20)\d{2})(?:年(\d{1,2})月(\d{1,2})日|-(\d{1,2})-(\d{1,2}))")


@dataclass
class Section:
    start: int
    year: int | None
    basis: str | None
    period: str | None


def current_year(context: DocumentContext, s: str) -> int | None:
    """The year 今年 refers to."""
    if context.published_on:
        if context.plan_year and context.published_on.year > context.plan_year:
            return context.plan_year
        return context.published_on.year
    if context.doc_type in ("plan_report", "gov_work_report", "other") and context.plan_year:
        return context.plan_year
    if context.actual_year:
        return context.actual_year
    if context.plan_year:
        return context.plan_year
    m = _DATE.search(s[:120])  # a dateline at the top
    if m:
        return int(m.group(1))
    for rx, base in _ANNIV.get():  # 新中国成立75周年 → 2024
        m = rx.search(s[:3000])
        if m:
            return base + int(next(g for g in m.groups() if g))
    m = _DATE.search(s[:400])
    if m:
        return int(m.group(1))
    return None


def years_in(s: str, a: int, b: int, cur: int | None, reviewed: int | None = None) -> list[tuple[int, int, int]]:
    """(position, year, end) of the scene-setting years in s[a:b]: explicit, 今年, 去年, 过去一年.

    过去一年 is the year the document reviews (``reviewed``) when known: in a report read in
    December it is the current year, in one read in January the previous one.
    """
    out = explicit_years(s, a, b)
    out.extend(relative_years(s, a, b, cur, reviewed))
    out.sort()
    return out


def explicit_years(s: str, a: int, b: int) -> list[tuple[int, int, int]]:
    """The written years of ``years_in`` (2023年 …), in text order."""
    out = []
    for m in YEAR.finditer(s, a, b):
        before = s[max(0, m.start() - 2): m.start()]
        after = s[m.end(): m.end() + 3]
        horizon = before[-1:] in ("到", "至") and not _DIGIT_YM_END.search(before[:-1]) and not after.startswith("的")
        if _DATE_AFTER.match(after) or _YEAR_AFTER_SKIP.match(after) or (_YEAR_BEFORE_SKIP.search(before) and not horizon):
            continue
        if m.group(0).endswith("年") is False:
            continue
        out.append((m.start(), int(m.group(1)), m.end()))
    return out


def relative_years(s: str, a: int, b: int, cur: int | None, reviewed: int | None = None) -> list[tuple[int, int, int]]:
    """The relative years of ``years_in`` (今年, 去年, 过去一年 …), in text order."""
    out: list[tuple[int, int, int]] = []
    if cur:
        for m in RELATIVE.finditer(s, a, b):
            w = m.group(0)
            after = s[m.end(): m.end() + 3]
            before = s[max(0, m.start() - 2): m.start()]
            if _YEAR_BEFORE_SKIP.search(before):
                continue
            if _YEAR_AFTER_SKIP.match(after) and not after.startswith("以来") and not after.startswith("的"):
                continue
            off = lex.table("relative_year_offset").get(w)
            y = (reviewed or (cur - 1 if cur else None)) if off == "reviewed" else (cur + int(off) if off else None)
            if y:
                out.append((m.start(), y, m.end()))
    if _PLAN_PERIOD_HINT.search(s, a, b):
        out.extend(plan_period_years(s, a, b))
        out.sort()
    return out


def plan_period_years(s: str, a: int, b: int) -> list[tuple[int, int, int]]:
    """A five-year plan named as the scene (“十四五”时期, / 十三五末): its last year. Not after
    较 / 比 (较十三五末增长三成 compares with it)."""
    out = []
    for rx, year in _PLAN_PERIODS.get():
        for m in rx.finditer(s, a, b):
            before = s[max(0, m.start() - 3): m.start()].rstrip("“\"‘")
            if _YEAR_BEFORE_SKIP.search(before):
                continue
            out.append((m.start(), year, m.end()))
    return out


def target_cue_before(text: str) -> int:
    """Position just after the last target cue in ``text``, or -1."""
    last = -1
    for m in TARGET_CUE.finditer(text):
        if _TARGET_NEG_BEFORE.search(text[max(0, m.start() - 4): m.start()]):
            continue
        last = m.end()
    return last


def is_heading(line: str) -> bool:
    t = line.strip()
    if not t or len(t) > 60 or "。" in t:
        return False
    if t[-1] in ",，;；、":
        return False
    return bool(HEADING_MARK.match(t)) or len(t) <= 40


_CAPTION = lex.rx("caption")


def heading_state(line: str, cur: int | None, ctx: DocumentContext) -> Section | None:
    """What a heading line says about the figures below it (None when it says nothing)."""
    t = line.strip()
    if _CAPTION.match(t):
        return None  # 图1 2020-2024年地区生产总值: a caption, not a section
    years = [
        int(m.group(1))
        for m in YEAR.finditer(t)
        if not _DATE_AFTER.match(t[m.end(): m.end() + 3]) and not m.group(0)[-1:].isdigit() and not _RANGE_MARK.match(t[m.end(): m.end() + 1])
        and not _RANGE_MARK_END.search(t[max(0, m.start() - 1): m.start()])
    ]
    if "今年" in t and cur:
        years.append(cur)
    ma = HEAD_ACTUAL.search(t)
    mt = HEAD_TARGET.search(t)
    if mt and _TARGET_NEG_BEFORE.search(t[max(0, mt.start() - 4): mt.start()]):
        mt = None
    period = period_of(t)
    if ma:
        # the year written before the actual cue (…2023年…执行情况与2024年…计划 → 2023)
        ys = [int(m.group(1)) for m in YEAR.finditer(t[: ma.start()])]
        year = ys[-1] if ys else (years[0] if years else None)
        return Section(0, year or ctx.actual_year, "actual", period)
    if mt:
        year = years[-1] if years else (ctx.plan_year or cur)
        return Section(0, year, "target", period)
    if _WORK_REPORT_TITLE.search(t):
        return None  # 枫溪县2025年政府工作报告要点摘编: the title names the report, not a plan section
    if years and HEADING_MARK.match(t) or (years and len(t) <= 20):
        # 三、2026年重点工作 in a report planning 2026: what follows are its goals
        planned = ctx.plan_year and years[-1] >= ctx.plan_year and not (ctx.actual_year and years[-1] <= ctx.actual_year)
        return Section(0, years[-1], "target" if planned else None, period)
    if period:
        return Section(0, None, None, period)
    return None


def since_is_multi_year(text: str, end: int) -> bool:
    """以来 ending at ``end`` means a multi-year span unless it is 今年以来 / 上半年以来 …"""
    return not _SINCE_OK.search(text[:end])


def congress_year(text: str) -> int | None:
    for name, year in PARTY_CONGRESS.items():
        if name + "以来" in text:
            return year
    return None


_LOOSE_YEAR = lex.rx("loose_year")
_NEXT_YEAR = lex.rx("next_year_words")
_WORK_REPORT_TITLE = lex.rx("work_report_title")
_YEAR_END_MONTH = 11  # pages of November and December look at the next year


def enrich(
    ctx: DocumentContext,
    s: str,
    explicit: list[tuple[int, int, int]] | None = None,
    target_spans: list[tuple[int, int]] | None = None,
) -> tuple[DocumentContext, int | None, str | None]:
    """Fill what the metadata left open from the text itself.

    Returns (context, current year for 今年, default part-year period or None). A news digest
    without a date still says which year it reviews (its first scene-setting year) and which
    one it plans (its last one, when it sets targets).
    """
    from dataclasses import replace

    from .docyear import after_past_years

    # (``explicit``: explicit_years(s, 0, len(s)) when the caller has it already)
    found = sorted(explicit) if explicit is not None else years_in(s, 0, len(s), None)
    scene = [y for _, y, _ in found]
    # 到2035年 names a horizon, not the year the text is written in
    present = [y for a, y, _ in found if not _RANGE_MARK_END.search(s, max(0, a - 1), a)] or scene
    # (``target_spans``: cue_spans(s)[0] when the caller has it already)
    if target_spans is not None:
        has_target = bool(target_spans)
    else:
        has_target = any(
            not _TARGET_NEG_BEFORE.search(s[max(0, m.start() - 4): m.start()]) for m in TARGET_CUE.finditer(s)
        )
    cur = None
    if ctx.published_on:
        cur = ctx.published_on.year
        if ctx.plan_year and cur > ctx.plan_year:
            cur = ctx.plan_year  # a page re-posted years later: 今年 is still the report's year
    else:
        m = _DATE.search(s[:200])
        if m:
            cur = int(m.group(1))
    if cur is None:
        cur = current_year(ctx, s) if (ctx.plan_year or ctx.actual_year) else None
    if cur is None and present:
        cur = after_past_years(s, found, max(present), target_spans)
    if cur is None:
        cur = current_year(ctx, s)
    if cur is None:
        m = _LOOSE_YEAR.search(s[:2000])
        if m:
            cur = int(m.group(1))
    actual, plan = ctx.actual_year, ctx.plan_year
    if actual is None and cur is not None and ctx.doc_type not in ("plan_report",):
        first = scene[0] if scene else None
        if first is not None and first < cur:
            # the latest year before the current one (a five-year review names older years first)
            actual = max(y for y in scene if y < cur)
        elif not has_target and (first is None or first == cur):
            actual = cur
    if actual is None and cur is not None and ctx.doc_type == "plan_report" and plan is None and not has_target:
        actual = cur
    if plan is None and has_target and cur is not None and ctx.published_on and ctx.published_on.month >= _YEAR_END_MONTH and _NEXT_YEAR.search(s):
        # a year-end page (an economic work conference in December) plans 明年 and reviews 今年
        plan, actual = cur + 1, actual or cur
    if plan is None and has_target and cur is not None and (actual is None or cur > actual):
        plan = cur
    titled = _WORK_REPORT_TITLE.search(s[:200]) if ctx.actual_year is None and ctx.plan_year is None else None
    if titled:
        # 2026年政府工作报告 / 政府工作报告——2026年1月12日在…会议上: delivered early in 2026, it
        # reviews 2025 and plans 2026 (PHENOMENA §2), whatever its page or its words say
        y = int(titled.group("y") or titled.group("yp") or titled.group("yd"))
        if titled.group("m") and int(titled.group("m")) >= _YEAR_END_MONTH:
            y += 1  # ——2022年12月21日: the report for 2023, delivered at the end of 2022
        plan, actual = y, (actual if actual is not None and actual < y else y - 1)
    actual = reviewed_year(ctx, s, cur, actual, plan, scene, has_target)
    period = None
    if ctx.doc_type in ("other", "half_year_report"):
        head = s[:300]
        if not (has_target and TARGET_CUE.search(head)):
            # one part of the year named at the head sets the default; a list of them does not
            named = {code for _, code in period_marks(head, 0, len(head)) if not one_month(code)}
            period = named.pop() if len(named) == 1 else None
    new = replace(ctx, actual_year=actual, plan_year=plan)
    return new, cur, period


def cue_spans(s: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[int]]:
    """(start, end) of the target cues and of the actual cues of the whole text, as ``cue_marks``
    counts them, and the starts of all target cue words (before the checks of the words around
    them). No cue word holds a sentence end (。!? or a line break), so the cues of a sentence are
    the ones starting in it."""
    words = list(_TARGET_CUE_CORE.finditer(s))
    targets = [
        (m.start(), m.end())
        for m in words  # TARGET_CUE.finditer(s), from the same scan
        if not _TARGET_NOT_AFTER.search(s, max(0, m.start() - 4), m.start())
        and not _TARGET_NEG_BEFORE.search(s[max(0, m.start() - 4): m.start()])
    ]
    actuals = [(m.start(), m.end()) for m in ACTUAL_CUE.finditer(s)]
    return targets, actuals, [m.start() for m in words]


def cue_marks(s: str, a: int, b: int) -> tuple[list[int], list[int]]:
    """End offsets of target cues and of actual cues in s[a:b]."""
    targets = [
        m.end() for m in TARGET_CUE.finditer(s, a, b) if not _TARGET_NEG_BEFORE.search(s[max(0, m.start() - 4): m.start()])
    ]
    actuals = [m.end() for m in ACTUAL_CUE.finditer(s, a, b)]
    return targets, actuals
