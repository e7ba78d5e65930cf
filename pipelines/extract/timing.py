"""Which year, basis (actual / target) and period a figure belongs to, from the words around it,
its paragraph, its section and the document context.

Input: a ``Doc`` and a figure; output: (year, basis, period, explicit).
"""

from __future__ import annotations

import bisect

from . import context as ctxmod
from .figures import Figure
from .patterns import ADOPTED_TARGET_AFTER, FROM, RNG, TO, WEAK_TARGET, YEAR_OF
from .document import Doc


def year_basis_period(doc: Doc, fig: Figure, sent_a: int, para_a: int, sent_b: int, para_b: int) -> tuple[int | None, str, str, bool]:
    s = doc.s
    ctx = doc.ctx
    pos = fig.mask_from if fig.mask_from is not None else fig.a
    sec = doc.section_at(pos)
    fig.extra.pop("year_from", None)
    # year
    pyears = doc.para_years(para_a, para_b)
    if not pyears:
        years = pyears
    elif len(pyears) < 64:
        years = pyears[: bisect.bisect_right(doc.para_year_ends(para_a, pyears), pos)]
    else:
        years = [y for y in pyears if y[2] <= pos][-1:]
    year = None
    explicit = False
    year_at = -1  # where the figure's year is written
    # 2022年的844亿元: the year written right before the figure
    year_of = YEAR_OF.search(s, max(0, pos - 6), pos)
    if year_of:
        year, explicit, year_at = int(year_of.group(1)), True, year_of.start()
    elif years:
        year, explicit, year_at = years[-1][1], True, years[-1][0]
        if not s[years[-1][0]].isdigit():
            fig.extra["year_from"] = "relative"  # 今年 / 去年: as good as the current year is
    # basis
    t_ends, a_ends = doc.sent_cues(sent_a, sent_b)
    tpos = max((e for e in t_ends if e <= pos), default=-1) if t_ends else -1
    in_list = doc.in_list_cue(pos) if doc.list_cues else False
    apos = max((e for e in a_ends if e <= pos), default=-1) if a_ends else -1
    if tpos >= 0 and (apos >= 0 or (sec and sec.basis == "actual")) and WEAK_TARGET.search(s, max(0, tpos - 4), tpos):
        # 确保 in a review (一、2025年工作回顾 / 过去一年,…确保…) tells what was done, not a goal
        tpos = max((e for e in t_ends if e < tpos - 4 and e <= pos), default=-1)
    basis = None
    if tpos >= 0 and tpos > apos:
        basis = "target"
    elif in_list and apos < 0:
        basis = "target"
    elif apos >= 0:
        basis = "actual"
    if basis is None:
        adopted = ADOPTED_TARGET_AFTER.match(s, fig.b, sent_b)
        if adopted:
            # 将…增长6%左右作为今年的预期目标: the cue after the figure, and the year it names
            basis = "target"
            named = ctxmod.years_in(s, adopted.start(), adopted.end(), doc.cur, ctx.actual_year)
            if named and not explicit:
                year, explicit = named[-1][1], True
    if basis is None and explicit and year:
        if ctx.plan_year and year >= ctx.plan_year and not (ctx.actual_year and year <= ctx.actual_year):
            basis = "target"
        elif ctx.actual_year and year <= ctx.actual_year:
            basis = "actual"
        elif ctx.actual_year and year > ctx.actual_year and not ctx.plan_year and not ctxmod.period_of(s[sent_a:pos]) and not (
            year_of and TO.search(s[max(sent_a, year_of.start() - 6): year_of.start()])
        ):
            # a review of one year that names a later one: its goals (not 今年上半年's outcomes, nor the
            # end of a span reached: 从2020年的2500亿元增加到2024年的3300亿元)
            basis = "target"
        elif doc.cur and year < doc.cur:
            basis = "actual"
    if basis is None and sec and sec.basis:
        basis = sec.basis
    if basis is None:
        if explicit and year and ctx.plan_year and year >= ctx.plan_year and not ctx.actual_year:
            basis = "target"
        else:
            basis = "actual"
    if year is None and basis == "target" and ctx.actual_year and a_ends and max(a_ends) > pos and tpos >= 0:
        # 固定资产投资计划增长8%,实际增长9.4%: the plan beside its outcome is the outcome's year's
        year = ctx.actual_year
        fig.extra["year_from"] = "reviewed"
    if year is None:
        if sec and sec.year and (sec.basis in (None, basis) or sec.basis == "actual"):
            # (a target inside a review of year Y, 年初确定的…目标, is Y's)
            year = sec.year
        elif basis == "target":
            year = ctx.plan_year or doc.cur
            fig.extra["year_from"] = "plan" if ctx.plan_year else "current"
        else:
            year = ctx.actual_year or doc.cur
            fig.extra["year_from"] = "reviewed" if ctx.actual_year else "current"
    # period
    pmarks = doc.para_periods(para_a, para_b)
    marks = [(e, c) for e, c in pmarks if e <= pos] if pmarks else pmarks
    if marks and any(c[0] == "M" and c[1:].isdigit() for _, c in marks):
        # a single month holds for its own clause (其中3月份增长9.1%), or for its sentence when it
        # opens it (12月份,全市…增长7%)
        clause_a = doc.clause_start(pos, sent_a)
        marks = [(e, c) for e, c in marks if not (c[0] == "M" and c[1:].isdigit()) or e >= clause_a or sent_a <= e <= sent_a + 5]
    period = next((c for e, c in reversed(marks) if e > sent_a), None) if marks else None
    # 全年 / 年末 / 年底 within the last 200 characters (asked only when no period was found)
    whole_year = period is None and doc.whole_year_within(max(sent_a, pos - 200), pos)
    if period is None and not whole_year and marks:
        # the last mark before, unless it stands in a breakdown (分季度看,一季度…,二季度…) or a
        # year is written after it (今年上半年…。从2020年的400亿元增加至…: whole years)
        period = next((c for e, c in reversed(marks) if not doc.in_breakdown(e) and year_at < e), None)
    if period is None and sec and sec.period and not whole_year:
        period = sec.period
    if period is None:
        period = doc.default_period
        if doc.head_period and (year is None or year == doc.cur):
            period = doc.head_period
        if whole_year:
            period = "FY"
    return year, basis, period, explicit


def span_end_year(doc: Doc, f: Figure, sent_a: int) -> int | None:
    """从X(年)…增加到Y: the endpoints of a span get its first and last year."""
    s = doc.s
    sent_a = max(sent_a, f.a - 120)  # 从X…增加到Y is written within a clause or two
    if s.find("从", sent_a, f.a) < 0:
        return None
    tail = s[max(sent_a, f.a - 12): f.a]
    m_from = FROM.search(tail)
    m_to = TO.search(tail)
    if not (m_from or m_to):
        return None
    before = s[sent_a: f.a]
    rng = RNG.search(before)
    cong = ctxmod.congress_year(before)
    if m_from:
        if m_from.group(1):
            return int(m_from.group(1))
        if rng:
            return int(rng.group(1))
        if cong:
            return cong
        return None
    if m_to and m_to.groups() and m_to.group(1):
        return int(m_to.group(1))
    if rng:
        return int(rng.group(2))
    if cong and doc.cur:
        return doc.cur - 1
    return None
