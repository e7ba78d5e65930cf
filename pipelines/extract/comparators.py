"""Comparator words around a figure (see WAREHOUSE.md): = ~ >= <= > <.

A qualifier written right after the figure (左右, 以上, 以内 …) is closer than a verb written
before it (控制在, 突破 …), so it wins: 控制在5%左右 is ``~``.
"""

from __future__ import annotations

import re

from . import lexicon as lex

# after the figure, longest first; the match is included in raw_text
AFTER = lex.LazyTable("comparator_after")
AFTER_RE = lex.Lazy(lambda: re.compile("|".join(sorted(map(re.escape, AFTER), key=len, reverse=True))))

# before the figure (must end right at it), longest first
BEFORE = lex.LazyTable("comparator_before")
BEFORE_RE = lex.Lazy(lambda: re.compile("(?:" + "|".join(sorted(map(re.escape, BEFORE), key=len, reverse=True)) + ")(?:" + lex.pattern("comparator_before_particles") + ")?$"))
# 上/迈上/跨入 only compare when a tier word follows the figure (迈上5万元台阶, 跨入百亿元行列)
TIER_AFTER = lex.rx("tier_after")
_TIER_VERBS = lex.words("tier_verbs")


def comparator_for(before: str, after: str) -> tuple[str, str, int]:
    """(comparator, qualifier word, length of the after-qualifier to add to raw_text).

    ``before`` is the text just before the figure, ``after`` the text just after it.
    """
    m = AFTER_RE.match(after)
    if m:
        word = m.group(0)
        # 余 / 多 mean "more than" (1.49万余名) and are handled with the unit
        return AFTER[word], word, len(word)
    mb = BEFORE_RE.search(before[-6:])
    if mb:
        word = mb.group(0)
        for suffix in lex.entries("comparator_before_particles"):
            if word.endswith(suffix) and word[:-1] in BEFORE:
                word = word[:-1]
                break
        if word in _TIER_VERBS.get():
            if TIER_AFTER.match(after):
                return BEFORE[word], word, 0
            if word == "上":
                return "=", "", 0
        if word in ("突破", "超过", "超") and TIER_AFTER.match(after):
            return ">", word, 0
        return BEFORE[word], word, 0
    if TIER_AFTER.match(after):
        return ">=", "", 0
    return "=", "", 0
