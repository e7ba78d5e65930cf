"""Document structure: paragraphs, sentences, clauses, section headings and the list lead-ins
that set basis and year for what follows, with per-paragraph caches of years, periods and cues.

Input: the text and its ``DocumentContext``; output: a ``Doc`` the later stages query by offset.
"""

from __future__ import annotations

import bisect
import re

from . import context as ctxmod
from . import lexicon as lex
from .indicators import LabelMatch, find_labels
from .model import DocumentContext
from .periods import doc_default_period
from .segment import SpanIndex, clause_breaks, paragraphs, sentences
from .textview import TextView, to_simplified
from .patterns import BREAKDOWN_LEAD, CUE_TAIL, YEAR_NOTES, LIST_ITEM, SPAN, TITLE_FIGURE
from functools import lru_cache

from .patterns import REGION_SUFFIX


class Doc:
    def __init__(self, text: str, context: DocumentContext):
        self.view = TextView(text)
        self.s = self.view.s
        self._explicit_years = ctxmod.explicit_years(self.s, 0, len(self.s))
        *self._cues, self._cue_words = ctxmod.cue_spans(self.s)
        self._cue_starts = ([a for a, _ in self._cues[0]], [a for a, _ in self._cues[1]])
        self.ctx, self.cur, self.head_period = ctxmod.enrich(context, self.s, self._explicit_years, self._cues[0])
        self.given = context  # what the metadata said, before enrich filled the rest from the text
        self._all_years: tuple | None = None  # years_in over the whole text (and its starts), for para_years
        self.region_level = (to_simplified(context.region).strip()[-1:] or None) if context.region else None
        self.region_parts = region_parts(to_simplified(context.region) if context.region else None)
        self.paras = paragraphs(self.s)
        self.para_idx = SpanIndex(self.paras)
        self.sents = sentences(self.s)
        self.sent_idx = SpanIndex(self.sents)
        self.breaks = clause_breaks(self.s)
        self.labels = find_labels(self.s)
        self.label_starts = [m.start for m in self.labels]
        self.default_period = doc_default_period(self.ctx, self.s)
        self.sections = self._sections()
        self.list_cues = self._list_cues()
        self.section_starts = [st.start for st in self.sections]
        self.list_starts = [a for a, _ in self.list_cues]
        self._para_years: dict = {}
        self._para_year_ends: dict = {}
        self._whole_year_starts: list[int] | None = None
        self._para_periods: dict = {}
        self._sent_cues: dict = {}
        self._sent_multi: dict = {}
        self._sent_text: dict = {}

    # -- document structure ------------------------------------------------------------
    def _sections(self) -> list[ctxmod.Section]:
        out = []
        for a, b in self.paras:
            line = self.s[a:b]
            if not ctxmod.is_heading(line):
                continue
            if TITLE_FIGURE.search(line):
                continue  # a title with figures, not a section heading
            st = ctxmod.heading_state(line, self.cur, self.ctx)
            if st:
                st.start = a
                out.append(st)
        return out

    def _list_cues(self) -> list[tuple[int, int]]:
        """Spans where a target cue ending in ':' or '——' governs the list that follows."""
        spans = []
        paras = self.paras
        # lines without a cue word are skipped: no cue word spans a line break, so a line holds
        # one where the whole text has one starting inside the line
        words = self._cue_words
        if not words:
            return spans
        for i, (a, b) in enumerate(paras):
            k = bisect.bisect_left(words, a)
            if k == len(words) or words[k] >= b:
                continue
            line = self.s[a:b]
            pos = ctxmod.target_cue_before(line)
            if pos < 0:
                continue
            tail = line[pos:].strip()
            if tail and not CUE_TAIL.match(tail) and not tail.endswith((":", "：")):
                continue
            end = b
            for j in range(i + 1, len(paras)):  # (not paras[i + 1:]: no copy of the rest per cue)
                a2, b2 = paras[j]
                nxt = self.s[a2:b2].strip()
                if LIST_ITEM.match(nxt):
                    end = b2
                else:
                    break
            spans.append((a + pos, end))  # the cue governs what follows it, not the start of its line
        return spans

    def para_years(self, para_a: int, para_b: int) -> list[tuple[int, int, int]]:
        got = self._para_years.get(para_a)
        if got is None:
            if self.para_idx.span_at(para_a) == (para_a, para_b):
                # a whole line: its part of the years of the whole text, found once (no year
                # match spans a line break, so the line reads the same on its own)
                if self._all_years is None:
                    found = self._explicit_years + ctxmod.relative_years(self.s, 0, len(self.s), self.cur, self.ctx.actual_year)
                    found.sort()
                    self._all_years = (found, [y[0] for y in found])
                found, starts = self._all_years
                got = found[bisect.bisect_left(starts, para_a): bisect.bisect_left(starts, para_b)]
            else:
                got = ctxmod.years_in(self.s, para_a, para_b, self.cur, self.ctx.actual_year)
            self._para_years[para_a] = got
        return got

    def para_year_ends(self, para_a: int, pyears: list[tuple[int, int, int]]) -> list[int]:
        """End offsets of ``para_years(para_a, …)`` (which is ``pyears``)."""
        got = self._para_year_ends.get(para_a)
        if got is None:
            got = self._para_year_ends[para_a] = [y[2] for y in pyears]
        return got

    def whole_year_within(self, a: int, b: int) -> bool:
        """``WHOLE_YEAR.search(s, a, b)`` is not None, from the places of its words found once."""
        starts = self._whole_year_starts
        if starts is None:
            # every place of each word (they may overlap: 全年末); all are two characters long
            starts = self._whole_year_starts = sorted(m.start() for w in lex.entries("whole_year") for m in re.finditer(w, self.s))
        i = bisect.bisect_left(starts, a)
        return i < len(starts) and starts[i] + 2 <= b

    def year_note(self, source: str, year: int | None) -> str | None:
        """How a year nobody wrote next to the figure was inferred (PHENOMENA §1), or None when the
        metadata gave it. ``source``: reviewed | plan | current | relative."""
        g = self.given
        if year is None:
            return None
        if source == "reviewed" and g.actual_year is not None or source == "plan" and g.plan_year is not None:
            return None
        if source in ("current", "relative") and g.published_on is None and (g.plan_year or g.actual_year):
            return None  # 今年 from the years the metadata gave
        basis = "published" if g.published_on is not None else "text"
        return YEAR_NOTES.get(f"{source}/{basis}", "").format(year=year) or None

    def in_breakdown(self, pos: int) -> bool:
        """Whether ``pos`` is in a sentence that breaks the one before down (分季度看,…)."""
        span = self.sent_idx.span_at(pos)
        return bool(span and BREAKDOWN_LEAD.match(self.s, span[0]))

    def para_periods(self, para_a: int, para_b: int) -> list[tuple[int, str]]:
        got = self._para_periods.get(para_a)
        if got is None:
            got = self._para_periods[para_a] = ctxmod.period_marks(self.s, para_a, para_b)
        return got

    def sentence_text(self, pos: int) -> str:
        span = self.sent_idx.span_at(pos)
        if span is None:
            return ""
        got = self._sent_text.get(span[0])
        if got is None:
            got = self._sent_text[span[0]] = self.view.raw(*span).strip()
        return got

    def sent_multi(self, sent_a: int) -> tuple[list[tuple[int, str]], list[int]]:
        """Multi-year cues (年均, 五年来, 以来 …) and year spans of a sentence, by end offset."""
        got = self._sent_multi.get(sent_a)
        if got is None:
            sent_b = (self.sent_idx.span_at(sent_a) or (sent_a, sent_a))[1]
            text = self.s[sent_a:sent_b]
            cues = []
            spans = []
            # every multi-year cue holds 年 or 以来, every span 年 (most sentences have neither)
            has_year = "年" in text
            if has_year or "以来" in text:
                for m in ctxmod.MULTI_YEAR.finditer(text):
                    if m.group(0) == "以来" and not ctxmod.since_is_multi_year(text, m.end()):
                        continue
                    cues.append((sent_a + m.end(), m.group(0)))
            if has_year:
                spans = [sent_a + m.end() for m in SPAN.finditer(text)]
            got = self._sent_multi[sent_a] = (cues, spans)
        return got

    def sent_cues(self, sent_a: int, sent_b: int) -> tuple[list[int], list[int]]:
        got = self._sent_cues.get(sent_a)
        if got is None:
            if self.sent_idx.span_at(sent_a) == (sent_a, sent_b):
                # a whole sentence: its cues from the scan of the whole text (see cue_spans)
                (t_spans, a_spans), (t_starts, a_starts) = self._cues, self._cue_starts
                targets = [e for _, e in t_spans[bisect.bisect_left(t_starts, sent_a): bisect.bisect_left(t_starts, sent_b)]] if t_spans else []
                actuals = [e for _, e in a_spans[bisect.bisect_left(a_starts, sent_a): bisect.bisect_left(a_starts, sent_b)]] if a_spans else []
                got = (targets, actuals)
            else:
                got = ctxmod.cue_marks(self.s, sent_a, sent_b)
            self._sent_cues[sent_a] = got
        return got

    def section_at(self, pos: int) -> ctxmod.Section | None:
        i = bisect.bisect_right(self.section_starts, pos) - 1
        return self.sections[i] if i >= 0 else None

    def in_list_cue(self, pos: int) -> bool:
        i = bisect.bisect_right(self.list_starts, pos) - 1
        return i >= 0 and self.list_cues[i][0] <= pos < self.list_cues[i][1]

    def clause_start(self, pos: int, floor: int) -> int:
        i = bisect.bisect_right(self.breaks, pos - 1) - 1
        if i >= 0:
            brk = self.breaks[i]
            if brk >= floor:
                return brk + 1
        return floor

    def labels_in(self, a: int, b: int) -> list[LabelMatch]:
        """Labels starting in [a, b) and ending by b (label_starts is sorted)."""
        starts = self.label_starts
        i = bisect.bisect_left(starts, a)
        j = bisect.bisect_left(starts, b, i)
        return [lab for lab in self.labels[i:j] if lab.end <= b]


@lru_cache(maxsize=256)
def region_parts(region: str | None) -> tuple[str, ...]:
    if not region:
        return ()
    parts = re.findall(".+?(?:" + lex.pattern("region_suffix_words") + ")", region) or [region]
    # only the region's own level: 江南省 in 江南省青溪市 is the province, another level (江南省地区
    # 生产总值增长5.5%,青溪市增长5.9%)
    out = set()
    for p in parts[-1:]:
        out.add(p)
        short = REGION_SUFFIX.sub("", p)
        if len(short) >= 2:
            out.add(short)
    return tuple(out)
