"""Glyph-level repairs of one pdfium text line: reading order and layout spaces.

LibreOffice and WPS draw full-width quotes (and other glyphs of a fallback font) as text
objects of their own, written after the run they sit in; pdfium then returns them where
they were written (the end of the run or line: "关键一 “ ”") and adds spaces for the jumps.
Its generated spaces also stand for mere autospace or justification gaps ("2024 年",
"国 民 经 济"), which the document's text does not have. Pure functions over callables, so
the rules are tested without a PDF.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# glyphs that come back out of place: quotes, dashes, ellipses, brackets drawn in a fallback font
_DRAWN_APART = r"[\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u00b7\u300c-\u300f]"
# pdfium marks the jump back to a glyph written late with a space or a line break, so only such
# a glyph next to a space or at an end of the line can be out of place
OUT_OF_ORDER = re.compile(rf"(?:^|(?<= )){_DRAWN_APART}|{_DRAWN_APART}(?=$| )")
_CJK = r"\u3400-\u9fff\u3001-\u3003\u3008-\u3011\uff01-\uff5e\u2018\u2019\u201c\u201d"
# a space that only layout puts there: between ideographs, or an ideograph and a digit or letter
LAYOUT_SPACE = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}\dA-Za-z])|(?<=[\d%.A-Za-z]) (?=[{_CJK}])")


def _misplaced(seg: str, i: int, origin, generated) -> bool:
    """Glyph i does not sit between its neighbours (generated characters skipped)."""
    before = next((k for k in range(i - 1, -1, -1) if not generated(k)), None)
    after = next((k for k in range(i + 1, len(seg)) if not generated(k)), None)
    x = origin(i)[0]
    return (before is not None and origin(before)[0] > x) or (after is not None and origin(after)[0] < x)


def reading_order(seg: str, origin: Callable[[int], tuple[float, float]], generated: Callable[[int], bool],
                  size: float | None) -> list[int] | None:
    """Positions of ``seg``'s glyphs in left-to-right order (-1: a space), or None to keep it.

    ``origin(i)`` is glyph i's pen position (x, baseline y). Generated characters (pdfium's
    spaces for a jump) are dropped and put back only where the pen jumps more than two ems.
    A line spanning several baselines (sub- or superscripts, two lines read as one) is kept.
    """
    em = size or 10.0
    if not any(_misplaced(seg, m.start(), origin, generated) for m in OUT_OF_ORDER.finditer(seg)):
        return None  # the usual case, settled by three pen positions per quote
    glyphs = [(origin(i), i) for i in range(len(seg)) if not generated(i)]
    if not glyphs:
        return None
    ys = [o[1] for o, _ in glyphs]
    if max(ys) - min(ys) > 0.3 * em:
        return None
    xs = [o[0] for o, _ in glyphs]
    if all(a <= b for a, b in zip(xs, xs[1:])):
        return None
    glyphs.sort(key=lambda g: g[0][0])
    order = [glyphs[0][1]]
    for (prev, _), (cur, i) in zip(glyphs, glyphs[1:]):
        if cur[0] - prev[0] > 2.2 * em:
            order.append(-1)
        order.append(i)
    return order


def layout_spaces(seg: str, generated: Callable[[int], bool], gap: Callable[[int], float] | None = None) -> list[int]:
    """Positions of the spaces pdfium generated between ideographs or an ideograph and a
    digit for an autospace or justification gap, not for a space the document holds.

    ``gap(i)`` is the blank around space i in ems (next glyph's left edge minus the previous
    one's right edge). Autospace is about a quarter em, a typed space half an em or more;
    a line with three or more such gaps is spread out (justified, "国 民 经 济") and loses all.
    """
    found = [m.start() for m in LAYOUT_SPACE.finditer(seg) if generated(m.start())]
    if gap is None or len(found) >= 3:
        return found
    return [i for i in found if gap(i) < 0.4]


def repair(seg: str, origin, generated, size: float | None, gap=None) -> tuple[str, list[int]] | None:
    """``seg`` in reading order without layout spaces, and each output char's position in
    ``seg`` (-1 for a space put in); None when nothing changes."""
    order = reading_order(seg, origin, generated, size) if OUT_OF_ORDER.search(seg) else None
    if order is None:
        cut = set(layout_spaces(seg, generated, gap)) if " " in seg else set()
        if not cut:
            return None
        order = [i for i in range(len(seg)) if i not in cut]
    text = "".join(" " if i < 0 else seg[i] for i in order)
    return text, order
