"""Reading the number part of a figure: Arabic, Chinese numerals, magnitude words.

Chinese numerals go through ``cn2an`` (smart mode). Its known gaps are handled here and pinned
by tests: it rejects bare magnitudes (千亿, 万亿, 百万), ``百分之…`` in smart mode and the
characters 两/〇 in some positions, so those are read before calling it.
"""

from __future__ import annotations

import re

from . import lexicon as lex
from functools import lru_cache

MAGNITUDES = lex.LazyTable("magnitudes", float)

_CN_DIGIT = lex.LazyTable("cn_digits", int)
_CN_PLACE = lex.words("cn_place_values")  # place values inside a numeral, never its magnitude
_AR = re.compile(r"^\d+(?:,\d{3})*(?:\.\d+)?$")
_WAN_SPLIT = re.compile(r"^(\d+(?:\.\d+)?)万(\d+(?:\.\d+)?)$")


class MalformedNumber(ValueError):
    """The characters look like a number but do not read as one (84.4.1)."""


def parse_arabic(raw: str) -> float:
    """``1,234.5`` → 1234.5; a trailing stray dot (``4.1.``) is tolerated; two inner dots are not."""
    s = raw.strip()
    if s.endswith(".") and s.count(".") >= 1:
        s = s[:-1]
    if not _AR.match(s):
        raise MalformedNumber(raw)
    return float(s.replace(",", ""))


@lru_cache(maxsize=4096)
def parse_chinese(raw: str) -> float:
    """Chinese numerals: 三 → 3, 十二 → 12, 一千二百 → 1200, 十七点七 → 17.7, 两 → 2."""
    s = raw.replace("两", "二").replace("〇", "零")
    if len(s) == 1 and s in _CN_DIGIT:
        return float(_CN_DIGIT[s])
    if s in MAGNITUDES:
        return MAGNITUDES[s]
    import cn2an

    try:
        return float(cn2an.cn2an(s, "smart"))
    except Exception:
        pass
    # digit-by-digit reading (一二三 → 123)
    if all(ch in _CN_DIGIT for ch in s):
        return float("".join(str(_CN_DIGIT[ch]) for ch in s))
    raise MalformedNumber(raw)


def parse_percent_words(raw: str) -> float:
    """百分之十七点七 → 17.7 (cn2an smart mode refuses 百分之)."""
    if not raw.startswith("百分之"):
        raise MalformedNumber(raw)
    return parse_chinese(raw[3:])


def parse_number(raw: str) -> float:
    """Any number as written, magnitude included: ``1万2734亿`` → 1.2734e12, ``千亿`` → 1e11."""
    s = raw.strip()
    if not s:
        raise MalformedNumber(raw)
    if s.startswith("百分之"):
        return parse_percent_words(s)
    mag = 1.0
    chinese = not s[0].isdigit()
    for word, value in MAGNITUDES.items():
        if chinese and (len(word) > 1 and word != "万亿" or word in _CN_PLACE.get()):
            # 九千五百亿 is 9500 亿, not 九千五 百亿; 三万九千六百 is 39600 and 三千五百 3500, not
            # 三万九千六 / 三千五 (colloquial 39600 / 3500) × 百: a Chinese numeral keeps its own 百/千
            continue
        if s.endswith(word) and len(s) > len(word) and (s[-len(word) - 1].isdigit() or s[-len(word) - 1] in _CN_DIGIT or s[-len(word) - 1] in "十百千万点"):
            mag, s = value, s[: -len(word)]
            break
    else:
        if s in MAGNITUDES:
            return MAGNITUDES[s]
    m = _WAN_SPLIT.match(s)
    if m:  # 1万2734(亿) = 12734
        return (float(m.group(1)) * 1e4 + float(m.group(2))) * mag
    if s[0].isdigit():
        return parse_arabic(s) * mag
    return parse_chinese(s) * mag
