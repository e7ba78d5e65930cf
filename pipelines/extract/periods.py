"""Parts of the year: 上半年 → H1, 前三季度 → Q1-Q3, 1-10月 → M1-M10, 3月份 → M3.

Input: text; output: period codes, and where in the text they are named.
"""

from __future__ import annotations

import re

from . import lexicon as lex
from .model import DocumentContext

PERIOD_CUES = lex.Lazy(lambda: [(re.compile(k), v) for k, v in lex.table("period_cues").items()])
# (第?[一二三四]季度 spelt out, so that every alternative starts with a literal character)
_PERIOD_ANY = lex.rx("period_any")


def period_of(text: str) -> str | None:
    """The part of the year named last in ``text`` (上半年 → H1, 1-10月 → M1-M10)."""
    best = None
    for m in _PERIOD_ANY.finditer(text):
        before = text[max(0, m.start() - 1): m.start()]
        after = text[m.end(): m.end() + 2]
        if before in ("比", "较") or after.startswith("末"):
            continue
        best = m.group(0)
    if best is None:
        return None
    for rx, code in PERIOD_CUES.get():
        mm = rx.fullmatch(best.replace("份", "")) or rx.search(best)
        if mm:
            if code in ("M", "Mn"):  # 1-10月 → M1-M10 (1-12月 is the whole year); 3月份 → M3
                return f"M{mm.group(1)}" if code == "Mn" else "FY" if mm.group(1) == "12" else f"M1-M{mm.group(1)}"
            return code
    return None


def period_marks(s: str, a: int, b: int) -> list[tuple[int, str]]:
    """(end, period) of every part-year cue in s[a:b], for lookups by position."""
    out = []
    for m in _PERIOD_ANY.finditer(s, a, b):
        before = s[max(0, m.start() - 1): m.start()]
        after = s[m.end(): m.end() + 2]
        if before in ("比", "较") or after.startswith("末"):
            continue
        code = period_of(m.group(0))
        if code:
            out.append((m.end(), code))
    return out


def doc_default_period(ctx: DocumentContext, s: str) -> str:
    if ctx.doc_type == "half_year_report":
        # the first part of the year named at the head (not 其中6月份 after it)
        head = [c for _, c in period_marks(s, 0, min(len(s), 300)) if not one_month(c)]
        return head[0] if head else "H1"
    return "FY"


def one_month(code: str) -> bool:
    """M6: one month (其中6月份增长8.2%), which holds for its own clause only, never a document's."""
    return code[0] == "M" and code[1:].isdigit()
