"""Comparator words around a figure (see WAREHOUSE.md): = ~ >= <= > <.

A qualifier written right after the figure (左右, 以上, 以内 …) is closer than a verb written
before it (控制在, 突破 …), so it wins: 控制在5%左右 is ``~``.
"""

from __future__ import annotations

import re

# after the figure, longest first; the match is included in raw_text
AFTER = {
    "左右": "~",
    "上下": "~",
    "以上": ">=",
    "及以上": ">=",
    "以内": "<=",
    "之内": "<=",
    "以下": "<=",
}
AFTER_RE = re.compile("|".join(sorted(map(re.escape, AFTER), key=len, reverse=True)))

# before the figure (must end right at it), longest first
BEFORE = {
    "不少于": ">=",
    "不低于": ">=",
    "不小于": ">=",
    "不超过": "<=",
    "不高于": "<=",
    "不大于": "<=",
    "控制在": "<=",
    "控制到": "<=",
    "超过": ">",
    "突破": ">",
    "超": ">",
    "逾": ">",
    "高于": ">",
    "不足": "<",
    "低于": "<",
    "少于": "<",
    "约": "~",
    "大约": "~",
    "近": "~",
    "接近": "~",
    "迈上": ">=",
    "迈入": ">=",
    "跨入": ">=",
    "跨上": ">=",
    "跃上": ">=",
    "跃升上": ">=",
    "跃升至": "=",
    "再上": ">=",
    "站上": ">=",
    "上": ">=",
}
BEFORE_RE = re.compile("(?:" + "|".join(sorted(map(re.escape, BEFORE), key=len, reverse=True)) + r")(?:了|到|至|在)?$")
# 上/迈上/跨入 only compare when a tier word follows the figure (迈上5万元台阶, 跨入百亿元行列)
TIER_AFTER = re.compile(r"^(?:的)?(?:台阶|大关|行列|能级|关口|量级)")
_TIER_VERBS = {"迈上", "迈入", "跨入", "跨上", "跃上", "跃升上", "再上", "站上", "上"}


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
        for suffix in ("了", "到", "至", "在"):
            if word.endswith(suffix) and word[:-1] in BEFORE:
                word = word[:-1]
                break
        if word in _TIER_VERBS:
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
