"""A normalised, simplified-script view of a report text that remembers where every character came from.

The engine reads figures from the view and reports offsets into the original text. The view:
- converts traditional to simplified script with OpenCC (``t2s``); when a phrase conversion
  changes the length, that run is converted character by character so offsets stay 1:1;
- drops pinyin glosses that some web copies put inside words (轉(zhuǎn) → 转);
- drops stray spaces inside numbers and between a number and its unit (``18. 08 亿元``), and
  spaces between Chinese characters (``政 府 工 作``), but keeps a space between two numbers;
- joins lines broken by a PDF copy in the middle of a sentence (``一\\n般公共预算收入``).

Each view character keeps the offset of the original character it came from, so a span of the
view maps back to ``text[start:end]``.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from . import lexicon as lex

# (?<=[\u4e00-\u9fff])\(…\), with the look-behind written after the "(" so that the pattern starts
# with a literal character, which the regex engine skips to quickly
_PINYIN = re.compile(r"\((?<=[\u4e00-\u9fff]\()(?:[a-z\u00e0-\u00fc\u0101-\u01dc]+)\)")
_CJK = r"\u3400-\u9fff"
_SPACE_CHARS = " \t\u3000\xa0"
_SIDE = r"\u3400-\u9fff\d%.,，、;；:：(（)）"
_INNER_SPACE = re.compile(
    r"(?<=[\u3400-\u9fff\d%.,，、;；:：])[ \t\u3000\xa0]+(?=[\u3400-\u9fff\d%(（,，、;；:：])"
)
# the same matches, found faster: a run of spaces (the regex starts with a character set, so the
# scan skips to the spaces) followed by a right-hand character, then the left-hand one is checked
_SPACE_RUN = re.compile(r"[ \t\u3000\xa0]+(?=[\u3400-\u9fff\d%(（,，、;；:：])")
_SPACE_LEFT = re.compile(r"[\u3400-\u9fff\d%.,，、;；:：]")
_TERMINAL = set("。!！?？;；:：")
_SOFT_JOIN_MIN = 15
_LONG_LINE_END = re.compile(r"\n(?<=[^\n]{%d}\n)" % _SOFT_JOIN_MIN)
# a web list line (地区生产总值412.6亿元 增长6.1%): short, it ends with a figure, and the next line
# does not continue it with punctuation; a page-width PDF line is longer
_LIST_LINE_MAX = 30
_CONTINUATION = set(",，、;；:：)）")
_FIGURE_END = lex.rx("list_line_figure_end")
# thousands grouped by a space before an amount (2 846.37亿元): the left group, the right group
_GROUP_LEFT = re.compile(r"(?<![\d.])\d{1,3}$")
_GROUP_RIGHT = lex.rx("thousands_group_right")
_CONTINUES = lex.rx("list_line_continuation")
# a line that opens a section (一、 (二) 第三部分 ——) is never the tail of a wrapped sentence
_HEADING_START = re.compile(r"\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+部分|——|[■◆●◇▲])")  # a line this long that stops mid-sentence was wrapped by a PDF copy


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


# the shortcut below knows OpenCC's t2s tables: it is taken only while _converter is this one
_OPENCC_CONVERTER = _converter


# OpenCC t2s changes a text only where a dictionary key matches: a character of TSCharacters(Ext)
# or of the compatibility ideographs (found below by converting every BMP character on its own;
# any character beyond the BMP is taken as one that may change),
# or a phrase of TSPhrases. A few phrases change although none of their characters does alone
# (深沈 → 深沉, 回覆 → 回复, 藉口 → 借口, 瞭解 → 了解 …); these are their characters, read off the
# TSPhrases dictionary of the OpenCC versions listed. A text with none of these characters comes
# out of OpenCC unchanged, so the conversion is skipped (most reports are simplified already).
_PHRASE_ONLY_CHARS = "沈藉覆坏瞭哩甦衹"
_CHECKED_OPENCC = {"1.4.2"}
_BMP_RANGES = ((0x80, 0xD800), (0xE000, 0x10000))


@lru_cache(maxsize=1)
def _traditional_chars():
    """A regex matching any character OpenCC t2s may change, or None (then always convert)."""
    import opencc

    if getattr(opencc, "__version__", None) not in _CHECKED_OPENCC:
        return None
    chars = [chr(c) for a, b in _BMP_RANGES for c in range(a, b)]
    out = _OPENCC_CONVERTER().convert("\n".join(chars)).split("\n")
    if len(out) != len(chars):
        return None
    changed = {c for c, o in zip(chars, out) if c != o}
    changed.update(_PHRASE_ONLY_CHARS)
    # every character beyond the BMP counts as a change: a class of BMP characters only is a
    # bitmap to the regex engine (a listed astral character would make it a slow linear list)
    bmp = "".join(re.escape(c) for c in sorted(changed))
    # (and lone surrogates: OpenCC refuses them, and must go on refusing them)
    return re.compile("[" + bmp + "\ud800-\udfff\U00010000-\U0010ffff]")


def to_simplified(text: str) -> str:
    """OpenCC t2s with the guarantee that the result has the same length as the input."""
    if not text:
        return text
    if text.isascii():
        return text
    trad = _traditional_chars() if _converter is _OPENCC_CONVERTER else None
    if trad is not None and trad.search(text) is None:
        return text
    cc = _converter()
    if trad is None:
        out = cc.convert(text)
    else:
        # no dictionary entry spans a line break, so the text converts as its lines do: only
        # the runs of lines holding a character that may change go through OpenCC
        out_parts: list[str] = []
        run: list[str] = []
        for line in text.splitlines(keepends=True):
            if trad.search(line):
                run.append(line)
                continue
            if run:
                out_parts.append(cc.convert("".join(run)))
                run = []
            out_parts.append(line)
        if run:
            out_parts.append(cc.convert("".join(run)))
        out = "".join(out_parts)
    if len(out) == len(text):
        return out
    # A phrase conversion changed the length: convert line by line, then char by char.
    parts = []
    for line in text.splitlines(keepends=True):
        conv = cc.convert(line)
        if len(conv) != len(line):
            conv = "".join(c2 if len(c2 := cc.convert(ch)) == 1 else ch for ch in line)
        parts.append(conv)
    return "".join(parts)


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def _is_num(ch: str) -> bool:
    return ch.isdigit() or ch == "."


# full-width ASCII (０-９, ％, ，…) and the ideographic space, folded one character for one, so
# text that skipped the readers' NFKC still reads the same and offsets stay 1:1
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20
# keep the Chinese full stop, enumeration comma and quotes as they are
for _ch in "。、“”‘’":
    _FOLD.pop(ord(_ch), None)
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_FOLD)) + "]")


class _PosMap:
    """``view.pos[i]``: the original offset of view character i (computed, not stored)."""

    __slots__ = ("view",)

    def __init__(self, view: "TextView"):
        self.view = view

    def __getitem__(self, i: int) -> int:
        if i < 0:
            i += len(self.view.s)
        return self.view.orig(i)

    def __len__(self) -> int:
        return len(self.view.s)


class TextView:
    """``s`` is the view; ``pos[i]`` is the original offset of ``s[i]``."""

    __slots__ = ("text", "s", "pos", "_run_view", "_run_orig")

    def __init__(self, text: str):
        self.text = text
        simp = to_simplified(text)
        if _FOLDABLE.search(simp) is not None:  # str.translate is slow on CJK text: only when needed
            simp = simp.translate(_FOLD)
        if "年" in simp:
            simp = _arabic_years(simp)
        drop = bytearray(len(simp))
        if "(" in simp:
            for m in _PINYIN.finditer(simp):
                for i in range(m.start(), m.end()):
                    drop[i] = 1
        self._mark_spaces(simp, drop)
        self._mark_soft_breaks(simp, drop)
        if "\n" in simp:
            _mark_stacked_lines(simp, drop)
        # the view is the kept runs joined; a view offset maps back through the run it fell in
        self._run_view: list[int] = []  # view offset where each kept run starts
        self._run_orig: list[int] = []  # original offset of the same character
        parts = []
        v = 0
        for m in re.finditer(rb"\x00+", bytes(drop)):
            self._run_view.append(v)
            self._run_orig.append(m.start())
            parts.append(simp[m.start(): m.end()])
            v += m.end() - m.start()
        self.s = "".join(parts) if len(parts) != 1 or len(parts[0]) != len(simp) else simp
        self.pos = _PosMap(self)

    @staticmethod
    def _mark_spaces(s: str, drop: bytearray) -> None:
        # only spaces between two characters of a sentence are candidates (not indentation)
        for m in _SPACE_RUN.finditer(s):
            a, b = m.start(), m.end()
            if a == 0 or not _SPACE_LEFT.match(s, a - 1):
                continue
            left, right = s[a - 1], s[b]
            if _is_num(left) and _is_num(right) and left != "." and right != ".":
                if not (b - a == 1 and _GROUP_LEFT.search(s, max(0, a - 4), a) and _GROUP_RIGHT.match(s, b)):
                    continue  # "26.8 0.4" are two numbers; "18. 08" is one; "2 846.37亿元" is one
            drop[a:b] = b"\x01" * (b - a)

    @staticmethod
    def _mark_soft_breaks(s: str, drop: bytearray) -> None:
        n = len(s)
        # only the end of a line of at least _SOFT_JOIN_MIN characters can be a soft break (the
        # length test below): the regex goes straight to those
        for m in _LONG_LINE_END.finditer(s):
            nl = m.start()
            if nl + 1 >= n:
                return
            start = s.rfind("\n", 0, nl) + 1
            line = s[start:nl].strip(_SPACE_CHARS)
            nxt = s[nl + 1]
            if (
                len(line) >= _SOFT_JOIN_MIN
                and not (_HEADING_START.match(line) and "。" not in line)
                and not _HEADING_START.match(s, nl + 1)
                and line[-1] not in _TERMINAL
                and line[-1] not in "”」』)）|"
                and nxt not in "\n|●■◆◇•·" + _SPACE_CHARS
                and "|" not in line
                and not (len(line) < _LIST_LINE_MAX and nxt not in _CONTINUATION and _FIGURE_END.search(line)
                         and not _CONTINUES.match(s, nl + 1))
            ):
                drop[nl] = 1

    def orig(self, i: int) -> int:
        """Original offset of view character ``i``."""
        k = bisect.bisect_right(self._run_view, i) - 1
        return self._run_orig[k] + (i - self._run_view[k])

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Original offsets of the view span [a, b)."""
        return self.orig(a), self.orig(b - 1) + 1

    def raw(self, a: int, b: int) -> str:
        oa, ob = self.span(a, b)
        return self.text[oa:ob]


def _arabic_years(s: str) -> str:
    """二〇二三年 → 2023年 in the view: one digit per character, so offsets are unchanged."""
    from . import lexicon as lex

    digits = lex.table("cn_digits")
    rx = lex.compiled("cn_year")
    if rx.search(s) is None:
        return s
    return rx.sub(lambda m: "".join(digits[ch] for ch in m.group(0)), s)


_FIGURE_LINE = lex.rx("stacked_figure_line", r"(?m)^[ \t\u3000]*(?:{})[ \t\u3000]*$")
_GROWTH_OPENING = lex.rx("list_line_continuation", r"[ \t\u3000]*(?:{})")
_LABEL_LINE = re.compile(r"[^\d\n]*(?:(?:19|20)\d{2}年[^\d\n]*)?")


def _mark_stacked_lines(s: str, drop: bytearray) -> None:
    """An infographic or web card written one item per line: 地区生产总值 / 3521.6亿元 / 增长5.9%.
    A short label line without figures joins the figure line under it, and a figure line joins a
    growth line under it (增长5.9%), so the sentence reads as prose. Not in a stack that opens with
    a figure line (5.9% / 地区生产总值增速 / 4.1% / …): there each label belongs to the figure above
    it, and joining it to the one below would give it the wrong figure."""
    figure_lines = [(m.start(), m.end()) for m in _FIGURE_LINE.finditer(s)]
    ends = {b for _, b in figure_lines}
    for a, b in figure_lines:
        if a < 2 or s[a - 1] != "\n":
            continue
        nl = a - 1
        if nl in ends:
            if _GROWTH_OPENING.match(s, a):
                drop[nl] = 1  # 3521.6亿元 / 增长5.9%
            continue
        start = s.rfind("\n", 0, nl) + 1
        if _label_line(s[start:nl].strip(_SPACE_CHARS)):
            # a label over its figure is joined to it; a label under its figure is kept apart from
            # the next figure, even where the line is long enough to look wrapped
            drop[nl] = 0 if _stack_opens_with_figure(s, start, ends) else 1


def _label_line(line: str) -> bool:
    """A short line naming an indicator, without a figure (2025年全市地区生产总值)."""
    from .indicators import find_labels  # (indicators reads its aliases through this module)

    return (
        2 <= len(line) <= _LIST_LINE_MAX
        and _LABEL_LINE.fullmatch(line) is not None
        and _is_cjk(line[-1])
        and not _HEADING_START.match(line)
        and bool(find_labels(to_simplified(line)))
    )


def _stack_opens_with_figure(s: str, start: int, ends: set[int]) -> bool:
    """Whether the run of short lines around ``start`` (labels and figure lines, no blank line)
    is laid out figure above label: it ends on a label line (5.9% / 地区生产总值增速), where a
    label-above-figure run ends on a figure."""
    pos, last_is_figure = start, False
    while pos < len(s):
        end = s.find("\n", pos)
        end = len(s) if end < 0 else end
        line = s[pos:end].strip(_SPACE_CHARS)
        if end in ends:
            last_is_figure = True
        elif _label_line(line):
            last_is_figure = False
        else:
            break
        pos = end + 1
    return not last_is_figure
