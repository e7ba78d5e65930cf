"""Paragraphs, sentences and clauses as (start, end) offsets into one string.

Texts arrive NFKC-normalised, so the full-width ，；：（） usually come as , ; : ( ) while 。、 stay;
both spellings are accepted. Regexes rather than character loops, for speed.
"""

from __future__ import annotations

import bisect
import re

_PARA = re.compile(r"[^\n]+")
_SENT = re.compile(r"[^。!！?？\n]+[。!！?？]*")
# a comma between digits is a thousands separator, not a clause break
# (the separators as single-character alternatives: every alternative then starts with a literal
# character, which lets the regex engine skip to the next candidate quickly)
_CLAUSE_BREAK = re.compile(r";|；|:|：|、|，|,(?!\d{3}(?!\d))|——")

Span = tuple[int, int]


def paragraphs(s: str) -> list[Span]:
    """Lines of the text (a line is the paragraph unit of these reports)."""
    return [m.span() for m in _PARA.finditer(s)]


def sentences(s: str) -> list[Span]:
    """Sentences end at 。!? or a line break."""
    return [m.span() for m in _SENT.finditer(s)]


def clause_breaks(s: str) -> list[int]:
    """Offsets of clause separators (，；：、 and their ASCII forms, ——)."""
    return [m.start() for m in _CLAUSE_BREAK.finditer(s)]


def clauses(s: str) -> list[Span]:
    """Clauses: sentences cut at ，；：、 (and , ; :)."""
    out: list[Span] = []
    for a, b in sentences(s):
        start = a
        for m in _CLAUSE_BREAK.finditer(s, a, b):
            if m.start() > start:
                out.append((start, m.start()))
            start = m.end()
        if b > start:
            out.append((start, b))
    return out


class SpanIndex:
    """Find the span holding an offset, by bisection."""

    def __init__(self, spans: list[Span]):
        self.spans = spans
        self.starts = [a for a, _ in spans]

    def find(self, offset: int) -> int:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i

    def span_at(self, offset: int) -> Span | None:
        i = self.find(offset)
        if i < 0:
            return None
        a, b = self.spans[i]
        return (a, b) if a <= offset < b else None
