"""The extraction engine: view → figures → subjects → measure, sign, year, basis, period → facts.

Attribution follows the grammar of the genre. A figure belongs to the indicator named in its own
clause (规模以上工业总产值完成844.1亿元); a clause that names nothing (,全市第六 / ,同比下降17.7% /
,比上年增长5.0%) continues the subject of the figure before it in the same sentence; a clause that
names something non-canonical (第一产业增加值, 城镇新增就业) gives its figures no code. 分别 pairs a
list of subjects (or of the figures before) with a list of figures in order. A rank after a list
of indicators (A、B、C等指标,保持全市第一) is shared by all of them.

Codes are only given to the measures the warehouse keys canonical indicators by: value,
growth_pct and rank. Shares (share_pct: 占…的81%), percentages of a plan or another figure
(pct_of: 完成年度计划的102%), percentage-point gaps (change_pp: 高于全市0.2个百分点), absolute
changes (abs_change: 比上年末减少0.7万人), ratios (ratio: 是上年的2倍) and multi-year figures
(年均增长, 累计, 五年来…下降, 比2019年增长) keep their label but no code.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon as lex
from . import context as ctxmod
from .figures import Figure, scan
from .indicators import LabelMatch, base_unit, find_labels
from .model import DocumentContext, ExtractionResult, Fact, MalformedFigure
from .segment import SpanIndex, clause_breaks, paragraphs, sentences
from .textview import TextView, to_simplified

# words that do not name a new subject between a label and its figure
_FILLER = lex.rx("filler")
_GROWTH = lex.rx("growth_words")
_NEG = lex.rx("fall_words")
_GROWTH_NOUNS = lex.words("growth_nouns")
_ABS_CHANGE = lex.rx("abs_change")
_INDUSTRY_TOPIC = lex.rx("industry_topic")
_ELLIPTIC_INDUSTRY = lex.LazyTable("elliptic_industry")
_LEAD_PUNCT = re.compile(r"^[\s,，、;；:：。]+")
_TRAIL_OPEN = re.compile(r"[(（“\"]+$")
_TRAIL_VERB = lex.rx("label_trailing_verbs")
_COMPOSITE = lex.rx("industry_composite")
# 完成年度计划的102% / 为上年的95%: a share of a plan or of another figure, not a growth rate
_TO_AFTER = lex.rx("range_to_after")
_TO_LEVEL = lex.rx("fall_to_level")
_PART_OF = lex.rx("part_of")
_SHARE_CUT = lex.rx("share_cut")
_SHARE_WORDS = lex.rx("share_words")
_RANGE_SEP = lex.rx("range_sep")
_LIST_SEP = lex.rx("list_sep")
_QUAL = lex.rx("qualifiers")
_REAL_GROWTH = lex.rx("real_growth")
_AVG = lex.rx("multi_year_average")
_BASE_YEAR = lex.rx("base_year_growth")
_CUM = lex.rx("cumulative")
_SPAN = lex.rx("year_span")
_FROM = lex.rx("from_year")
_TO = lex.rx("to_year")
_RNG = lex.rx("year_range")
_YEAR_OF = lex.rx("year_of")
_WHOLE_YEAR = lex.rx("whole_year")
_PAIRS = lex.LazyTable("pair_labels", lambda v: tuple(v.split("|")))
_ATTRIB_AFTER = lex.rx("attributive_after")
_TITLE_FIGURE = lex.rx("title_figure")
_CUE_TAIL = lex.rx("cue_tail")
_LIST_ITEM = lex.rx("list_item_mark")
_YEAR_PAIR = lex.rx("year_pair")
_LIST_ITEMS = lex.rx("list_item_text")
_ITEM_YEAR = re.compile(r"\s*((?:19|20)\d{2})年?")
_ITEM_YEAR_COMMA = re.compile(r"\s*((?:19|20)\d{2})年[,，]")


_FACT_FIELDS = (
    "indicator_code", "indicator_label", "year", "period", "basis", "measure", "value", "unit", "comparator",
    "raw_text", "char_start", "char_end", "sentence", "qualifier", "raw_unit", "value_high",
)


def _fact_maker():
    """``Fact(*values)`` in field order, without the frozen dataclass ``__init__``.

    That ``__init__`` sets each of the 15 fields through ``object.__setattr__``; filling the
    instance dict at once builds the same object (same fields, equality, hash, repr) 3x faster.
    Used only while ``Fact`` is a plain frozen dataclass with exactly these fields; otherwise the
    constructor is called.
    """
    import dataclasses

    plain = (
        dataclasses.is_dataclass(Fact)
        and tuple(f.name for f in dataclasses.fields(Fact)) == _FACT_FIELDS
        and not hasattr(Fact, "__post_init__")
        and "__slots__" not in Fact.__dict__
        and Fact.__dataclass_params__.frozen
    )
    if not plain:
        return lambda *values: Fact(*values)
    new, set_attr = object.__new__, object.__setattr__

    def make(indicator_code, indicator_label, year, period, basis, measure, value, unit, comparator,
             raw_text, char_start, char_end, sentence, qualifier, raw_unit, value_high=None):  # fmt: skip
        obj = new(Fact)
        set_attr(obj, "__dict__", {
            "indicator_code": indicator_code, "indicator_label": indicator_label, "year": year, "period": period,
            "basis": basis, "measure": measure, "value": value, "unit": unit, "comparator": comparator,
            "raw_text": raw_text, "char_start": char_start, "char_end": char_end, "sentence": sentence,
            "qualifier": qualifier, "raw_unit": raw_unit, "value_high": value_high,
        })  # fmt: skip
        return obj

    return make


_new_fact = _fact_maker()


@dataclass(slots=True)
class Subject:
    label: str
    code: str | None
    end: int  # view offset where the label ends
    qualifier: str | None = None
    codes: tuple[str, ...] = ()  # a pair (urban, rural) to split over 分别


@lru_cache(maxsize=8192)
def _has_noun(text: str) -> bool:
    # pure, and asked mostly of a few short stretches (同比增长, 完成, 比上年末): cached, since
    # the filler regex tries its ~250 words at every character
    rest = _FILLER.sub("", text)
    return sum(1 for ch in rest if "\u4e00" <= ch <= "\u9fff") >= 2


@lru_cache(maxsize=4096)
def _noun_text(text: str) -> str:
    t = _LEAD_PUNCT.sub("", text)
    t = _TRAIL_OPEN.sub("", t)
    t = _TRAIL_VERB.sub("", t)
    return t.strip()[-20:]


class _Doc:
    def __init__(self, text: str, context: DocumentContext):
        self.view = TextView(text)
        self.s = self.view.s
        self._explicit_years = ctxmod.explicit_years(self.s, 0, len(self.s))
        *self._cues, self._cue_words = ctxmod.cue_spans(self.s)
        self._cue_starts = ([a for a, _ in self._cues[0]], [a for a, _ in self._cues[1]])
        self.ctx, self.cur, self.head_period = ctxmod.enrich(context, self.s, self._explicit_years, self._cues[0])
        self._all_years: tuple | None = None  # years_in over the whole text (and its starts), for para_years
        self.region_parts = _region_parts(to_simplified(context.region) if context.region else None)
        self.paras = paragraphs(self.s)
        self.para_idx = SpanIndex(self.paras)
        self.sents = sentences(self.s)
        self.sent_idx = SpanIndex(self.sents)
        self.breaks = clause_breaks(self.s)
        self.labels = find_labels(self.s)
        self.label_starts = [m.start for m in self.labels]
        self.default_period = ctxmod.doc_default_period(self.ctx, self.s)
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
            if _TITLE_FIGURE.search(line):
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
            if tail and not _CUE_TAIL.match(tail) and not tail.endswith((":", "：")):
                continue
            end = b
            for j in range(i + 1, len(paras)):  # (not paras[i + 1:]: no copy of the rest per cue)
                a2, b2 = paras[j]
                nxt = self.s[a2:b2].strip()
                if _LIST_ITEM.match(nxt):
                    end = b2
                else:
                    break
            spans.append((a, end))
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
        """``_WHOLE_YEAR.search(s, a, b)`` is not None, from the places of its words found once."""
        starts = self._whole_year_starts
        if starts is None:
            # every place of each word (they may overlap: 全年末); all are two characters long
            starts = self._whole_year_starts = sorted(m.start() for w in lex.entries("whole_year") for m in re.finditer(w, self.s))
        i = bisect.bisect_left(starts, a)
        return i < len(starts) and starts[i] + 2 <= b

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
                spans = [sent_a + m.end() for m in _SPAN.finditer(text)]
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


def _subject_from_label(doc: _Doc, lab: LabelMatch, sent_a: int) -> Subject:
    code = lab.code
    codes: tuple[str, ...] = ()
    if code and "|" in code:
        codes = tuple(code.split("|"))
        code = "disposable_income" if "可支配收入" in lab.alias else codes[0]
    cs = doc.clause_start(lab.start, sent_a)
    prefix = doc.s[cs: lab.start]
    if code is None and lab.alias in _ELLIPTIC_INDUSTRY:
        # 工业总产值 / 增加值 in a sentence about 规模以上工业, unless a subset is named (其中国有企业增加值)
        if _INDUSTRY_TOPIC.search(doc.s, max(sent_a, lab.start - 200), lab.start) and "其中" not in prefix and not _has_noun(prefix):
            code = _ELLIPTIC_INDUSTRY[lab.alias]
    if code and _other_region(doc, prefix, lab.alias):
        code, codes = None, ()
    return Subject(doc.s[lab.start: lab.end], code, lab.end, codes=codes)


_REGION_SUFFIX = lex.rx("region_suffix")


@lru_cache(maxsize=256)
def _region_parts(region: str | None) -> tuple[str, ...]:
    if not region:
        return ()
    parts = re.findall(".+?(?:" + lex.pattern("region_suffix_words") + ")", region) or [region]
    out = set()
    for p in parts:
        out.add(p)
        short = _REGION_SUFFIX.sub("", p)
        if len(short) >= 2:
            out.add(short)
    return tuple(out)


_SELF = lex.words("own_region_words")
_PLACE_END = lex.words("place_suffix_chars")


def _other_region(doc: _Doc, prefix: str, alias: str) -> bool:
    """广州经济总量 / 高新区地区生产总值 in another region's report: the figure is not this region's.

    Only the place name written right before the label counts; 全市/我区/该区 and the parts of
    the document's own region (北京市大兴区 → 大兴区, 大兴, 北京 …) are this region.
    """
    parts = doc.region_parts
    if not parts:
        return False
    prefix = prefix.rstrip()
    if len(prefix) < 2 or not ("\u4e00" <= prefix[-1] <= "\u9fff"):
        return False
    if prefix[-2:] in _SELF.get():
        return False
    if prefix[-1] not in _PLACE_END.get() and alias != "经济总量":
        return False
    for n in range(2, 7):
        t = prefix[-n:]
        if not all("\u4e00" <= ch <= "\u9fff" for ch in t):
            break
        if any(t.endswith(p) or p.endswith(t) for p in parts):
            return False
    if _FILLER.sub("", prefix[-2:]) == "":
        return False
    return True


def _composite_industry(doc: _Doc, a: int, b: int) -> Subject | None:
    if doc.s.find("规", a, b) < 0:  # every match starts with 规 (规模以上 / 规上)
        return None
    m = None
    for m in _COMPOSITE.finditer(doc.s[a:b]):
        pass
    if m:
        code = "industrial_value_added" if m.group(1) == "增加值" else "industrial_output"
        return Subject(m.group(0), code, a + m.end())
    return None


def _resolve_subject(doc: _Doc, fig: Figure, own_a: int, sent_a: int, prev: Figure | None) -> tuple[Subject | None, list[Subject]]:
    """(subject, shared-subjects) for a figure; subject None means 'inherit from the previous figure'."""
    s = doc.s
    start = fig.mask_from if fig.mask_from is not None else fig.a
    own_text = s[own_a:start]
    # share: 占X的81% — the subject is before 占
    mcut = _SHARE_CUT.search(own_text)
    cut = mcut.start() if mcut else -1
    search_end = own_a + cut if cut >= 0 else start
    labs = doc.labels_in(own_a, search_end)
    comp = _composite_industry(doc, own_a, search_end)
    if comp and (not labs or comp.end >= labs[-1].end):
        if not _has_noun(s[comp.end:search_end]):
            return comp, []
    if labs:
        lab = labs[-1]
        between = s[lab.end:search_end]
        if not _has_noun(between):
            return _subject_from_label(doc, lab, sent_a), []
        return Subject(_noun_text(s[own_a:search_end]), None, lab.end), []
    if _has_noun(s[own_a:search_end]):
        # the verbs after the noun (同比增长) still tell the measure: the subject 'ends' at the clause start
        return Subject(_noun_text(s[own_a:search_end]), None, own_a), []
    # walk back over figure-less clauses, down to the previous figure of the sentence
    floor = max(sent_a, prev.b) if prev is not None else sent_a
    pos = own_a - 1
    while pos > floor:
        ca = max(doc.clause_start(pos, floor), floor)
        if prev is not None and ca == floor:
            break  # the rest of the previous figure's clause (5个城市, 的省份) is its complement
        text = s[ca:pos]
        labs = doc.labels_in(ca, pos)
        comp = _composite_industry(doc, ca, pos)
        if comp:
            return comp, []
        if labs:
            lab = labs[0]
            subj = _subject_from_label(doc, lab, sent_a)
            shared: list[Subject] = []
            if fig.kind == "rank" or "均" in s[own_a:fig.a]:
                # A、B、C等指标,保持全市第一: the figure belongs to every item of the list
                shared = [_subject_from_label(doc, lb, sent_a) for lb in labs]
                p = ca - 1
                while p > floor and s[p] == "、":
                    ca2 = max(doc.clause_start(p, floor), floor)
                    more = doc.labels_in(ca2, p)
                    if not more:
                        break
                    shared = [_subject_from_label(doc, lb, sent_a) for lb in more] + shared
                    p = ca2 - 1
                if len(shared) < 2:
                    shared = []
            return subj, shared
        if _has_noun(text):
            return Subject(_noun_text(text), None, pos), []
        pos = ca - 1
    if prev is not None:
        return None, []
    return Subject("", None, own_a), []


def _measure_and_value(doc: _Doc, fig: Figure, subj: Subject, own_text: str) -> tuple[str, float, str | None]:
    """(measure, value, code) once the subject is known."""
    code = subj.code
    bu = base_unit(code)
    v = fig.value
    verb_text = own_text
    if fig.kind == "rank":
        return "rank", v, code
    if fig.kind == "ratio":
        return "ratio", v, None
    if fig.kind == "multiple" or fig.measure_hint == "growth_pct":
        neg = bool(_NEG.search(verb_text[-4:]))
        return "growth_pct", -v if neg else v, code
    if fig.measure_hint == "change_pp":
        # 提高0.5个百分点 / 高于全市0.2个百分点: a change or a gap, keyed by no canonical code
        # (the corpus labels levels, growth and ranks only; the change follows from the levels)
        return "change_pp", (-v if _NEG.search(own_text[-6:]) else v), None
    if fig.unit == "percent":
        if _PART_OF.search(own_text) and "占" not in own_text:
            return "pct_of", v, None  # 完成年度计划的102%: may exceed 100, so not a share
        if "占" in own_text or _SHARE_WORDS.search(own_text):
            return "share_pct", v, None
        gm = None
        for gm in _GROWTH.finditer(verb_text):
            pass
        reduction = bool(code and code.endswith("_reduction"))
        if reduction:
            return "value", abs(v), code
        if bu == "percent":
            # a rate: its level, unless the words say it grew
            if gm and verb_text[gm.end():].strip(" ") == "" and gm.group(0) in ("增长", "下降", "增速", "增幅"):
                return "growth_pct", (-abs(v) if _NEG.fullmatch(gm.group(0)) else v), None
            return "value", v, code
        if gm or (bu and bu != "percent"):
            neg = bool(gm and _NEG.fullmatch(gm.group(0))) or bool(gm and _NEG.search(gm.group(0)))
            if gm and gm.group(0) in _GROWTH_NOUNS.get():
                # 同比下降 / 增速回落: the verb right before the number decides
                tail = verb_text[gm.start():]
                neg = bool(_NEG.search(tail))
            if neg and _TO_LEVEL.search(verb_text):
                neg = False  # 增速回落至5% / 降至3%: the rate fell to 5, it is not -5
            if neg:
                # 下降17.7% → -17.7; 下降-0.5% is read as a fall of 0.5 (the dash is not a second sign)
                return "growth_pct", -abs(v), code
            return "growth_pct", -v if fig.extra.get("minus") else v, code
        return "value", -v if fig.extra.get("minus") else v, code
    if _ABS_CHANGE.search(own_text.rstrip()):
        return "abs_change", (-v if _NEG.search(own_text[-4:]) else v), None
    if fig.kind == "threshold" and fig.unit is None:
        fig.unit = bu if bu in ("CNY",) else None
    # a level: the unit must suit the indicator
    if fig.extra.get("minus"):
        v = -v
    if code and bu and fig.unit and not _unit_fits(bu, fig.unit, code):
        return "value", v, None
    return "value", v, code


def _unit_fits(bu: str, unit: str, code: str) -> bool:
    if bu == unit:
        return True
    if code == "foreign_investment" and unit in ("USD", "CNY"):
        return True
    if bu == "count" and unit == "count":
        return True
    return False


def _year_basis_period(doc: _Doc, fig: Figure, sent_a: int, para_a: int, sent_b: int, para_b: int) -> tuple[int | None, str, str, bool]:
    s = doc.s
    ctx = doc.ctx
    pos = fig.mask_from if fig.mask_from is not None else fig.a
    sec = doc.section_at(pos)
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
    # 2022年的844亿元: the year written right before the figure
    m = _YEAR_OF.search(s, max(0, pos - 6), pos)
    if m:
        year, explicit = int(m.group(1)), True
    elif years:
        year, explicit = years[-1][1], True
    # basis
    t_ends, a_ends = doc.sent_cues(sent_a, sent_b)
    tpos = max((e for e in t_ends if e <= pos), default=-1) if t_ends else -1
    in_list = doc.in_list_cue(pos) if doc.list_cues else False
    apos = max((e for e in a_ends if e <= pos), default=-1) if a_ends else -1
    basis = None
    if tpos >= 0 and tpos > apos:
        basis = "target"
    elif in_list and apos < 0:
        basis = "target"
    elif apos >= 0:
        basis = "actual"
    if basis is None and explicit and year:
        if ctx.plan_year and year >= ctx.plan_year and not (ctx.actual_year and year <= ctx.actual_year):
            basis = "target"
        elif ctx.actual_year and year <= ctx.actual_year:
            basis = "actual"
        elif ctx.actual_year and year > ctx.actual_year and not ctx.plan_year:
            basis = "target"  # a review of one year that names a later one: its goals
        elif doc.cur and year < doc.cur:
            basis = "actual"
    if basis is None and sec and sec.basis:
        basis = sec.basis
    if basis is None:
        if explicit and year and ctx.plan_year and year >= ctx.plan_year and not ctx.actual_year:
            basis = "target"
        else:
            basis = "actual"
    if year is None:
        if sec and sec.year and (sec.basis in (None, basis)):
            year = sec.year
        elif basis == "target":
            year = ctx.plan_year or doc.cur
        else:
            year = ctx.actual_year or doc.cur
    # period
    pmarks = doc.para_periods(para_a, para_b)
    marks = [(e, c) for e, c in pmarks if e <= pos] if pmarks else pmarks
    period = next((c for e, c in reversed(marks) if e > sent_a), None) if marks else None
    # 全年 / 年末 / 年底 within the last 200 characters (asked only when no period was found)
    whole_year = period is None and doc.whole_year_within(max(sent_a, pos - 200), pos)
    if period is None and not whole_year and marks:
        period = marks[-1][1]
    if period is None and sec and sec.period:
        period = sec.period
    if period is None:
        period = doc.default_period
        if doc.head_period and (year is None or year == doc.cur):
            period = doc.head_period
        if whole_year:
            period = "FY"
    return year, basis, period, explicit


def extract(text: str, context: DocumentContext) -> ExtractionResult:
    doc = _Doc(text, context)
    s = doc.s
    figs, bad = scan(s)
    facts: list[Fact] = []
    malformed: list[MalformedFigure] = []

    for a, b, check, reason in bad:
        oa, ob = doc.view.span(a, b)
        si = doc.sent_idx.span_at(a) or (a, b)
        malformed.append(MalformedFigure(text[oa:ob], oa, ob, doc.view.raw(*si).strip(), check, reason))

    # group by sentence
    by_sent: dict[int, list[Figure]] = {}
    for f in figs:
        i = doc.sent_idx.find(f.a)
        by_sent.setdefault(i, []).append(f)

    for si, flist in by_sent.items():
        sent_a, sent_b = doc.sents[si] if si >= 0 else (0, len(s))
        para = doc.para_idx.span_at(sent_a) or (sent_a, sent_b)
        subjects: list[Subject | None] = []
        shared_for: dict[int, list[Subject]] = {}
        prev: Figure | None = None
        last_real: Subject | None = None
        _ranges(s, flist)
        for idx, f in enumerate(flist):
            f.extra["prev"] = flist[idx - 1] if idx > 0 else None
            start = f.mask_from if f.mask_from is not None else f.a
            floor = max(sent_a, prev.b if prev else sent_a)
            own_a = doc.clause_start(start, floor)
            own_a = max(own_a, floor)
            subj, shared = _resolve_subject(doc, f, own_a, sent_a, prev)
            if subj is None:
                subj = last_real or Subject("", None, own_a)
            elif subj.code is None and last_real is not None and last_real.code and 2 <= len(subj.label) <= 4:
                subj = _borrow_head(subj, last_real) or subj
            if shared:
                shared_for[idx] = shared
            f.subject = subj
            subjects.append(subj)
            attributive = bool(_ATTRIB_AFTER.match(s[f.b: f.b + 2])) or f.extra.get("attributive", False)
            f.extra["attributive"] = attributive
            if not attributive:
                last_real = subj
            prev = f
        _distribute(doc, flist, sent_a)
        for idx, f in enumerate(flist):
            subs = shared_for.get(idx) or [f.subject]
            for subj in subs:
                fact = _make_fact(doc, f, subj, sent_a, para[0], sent_b, para[1])
                if fact:
                    facts.append(fact)
                    facts.extend(_for_each_year(doc, f, fact, flist, sent_a))

    facts.extend(_text_table_facts(doc))
    facts.sort(key=lambda x: (x.char_start, x.char_end, x.indicator_code or "", x.measure))
    # de-duplicate identical facts from shared subjects
    out, seen = [], set()
    for fct in facts:
        key = (fct.char_start, fct.char_end, fct.indicator_code, fct.measure, fct.indicator_label, fct.year)
        if key in seen:
            continue
        seen.add(key)
        out.append(fct)
    malformed.sort(key=lambda m: m.char_start)
    return ExtractionResult(out, malformed)


_RUN_OF_YEARS = lex.rx("run_of_years")


def _for_each_year(doc: _Doc, f: Figure, fact: Fact, flist: list[Figure], sent_a: int) -> list[Fact]:
    """2017、2018年…分别增长10.4%和14.0%,增速连续两年位居…第1位: the rank holds for both years."""
    if f.kind != "rank":
        return []
    m = _RUN_OF_YEARS.search(doc.s, doc.clause_start(f.mask_from or f.a, sent_a), f.a)
    if not m:
        return []
    years = sorted({g.extra["year"] for g in flist if "year" in g.extra and g.a < f.a})
    n = int(lex.table("run_of_years_counts")[m.group(1)])
    if len(years) != n:
        return []
    from dataclasses import replace

    return [replace(fact, year=y) for y in years if y != fact.year]


def _text_table_facts(doc: _Doc) -> list[Fact]:
    """Facts from tables flattened into the text (see tabletext.py)."""
    from .tabletext import line_table_cells, pipe_table_cells

    if "|" not in doc.s and not re.search(r"[(（]\s*(?:%|[万亿]*元)\s*[)）]", doc.s):
        return []
    out = []
    for cell in line_table_cells(doc.s, doc.paras) + pipe_table_cells(doc.s, doc.paras):
        label_text = doc.s[cell.label_a: cell.label_b].strip(" |#")
        labs = doc.labels_in(cell.label_a, cell.label_b)
        code = None
        if labs and not _has_noun(doc.s[labs[-1].end: cell.label_b]) and not _has_noun(doc.s[cell.label_a: labs[-1].start].replace("其中", "")):
            code = labs[-1].code if labs[-1].code and "|" not in labs[-1].code else None
        if code and cell.measure == "value" and base_unit(code) != cell.unit:
            code = None
        fig = Figure(cell.a, cell.b, cell.a, "value", cell.value, cell.unit, cell.raw_unit)
        sent = doc.sent_idx.span_at(cell.label_a) or (cell.label_a, cell.label_b)
        para = doc.para_idx.span_at(cell.a) or (cell.a, cell.b)
        year, basis, period, _ = _year_basis_period(doc, fig, para[0], para[0], para[1], para[1])
        oa, ob = doc.view.span(cell.a, cell.b)
        out.append(
            Fact(
                indicator_code=code,
                indicator_label=label_text,
                year=year,
                period=period,
                basis=basis,
                measure=cell.measure,
                value=float(f"{cell.value:.12g}"),
                unit=cell.unit,
                comparator="=",
                raw_text=doc.view.text[oa:ob],
                char_start=oa,
                char_end=ob,
                sentence=doc.view.raw(*sent).strip() + " | " + doc.view.raw(cell.a, cell.b),
                qualifier="table",
                raw_unit=cell.raw_unit,
            )
        )
    return out


def _ranges(s: str, flist: list[Figure]) -> None:
    """3%—5%, 7000亿元至9000亿元: a range; its ends take >= and <=, or none when it is an attribute."""
    for x, y in zip(flist, flist[1:]):
        if x.kind != "value" or y.kind != "value" or x.unit != y.unit:
            continue
        if not _RANGE_SEP.fullmatch(s[x.b: y.a]):
            continue
        if _ATTRIB_AFTER.match(s[y.b: y.b + 2]):
            x.extra["attributive"] = True
            continue
        if x.comparator == "=":
            x.comparator = ">="
        if y.comparator == "=":
            y.comparator = "<="


def _borrow_head(subj: Subject, last: Subject) -> Subject | None:
    """城镇居民人均可支配收入增长5%,农村居民增长6%: 农村居民 is short for 农村居民人均可支配收入."""
    from .indicators import alias_table

    table = alias_table()
    word = subj.label
    for cut in range(1, len(last.label)):
        tail = last.label[cut:]
        if len(tail) < 3:
            break
        for k in range(len(word), 0, -1):
            # 农村居民 + 人均可支配收入, or 农村 + 居民人均可支配收入
            cand = word[:k] + tail
            code = table.get(cand)
            if code and "|" not in code and cand != last.label and word[k:] == "":
                return Subject(cand, code, subj.end)
    return None


def _complete_elliptic_items(doc: _Doc, items, head_a: int, subs: list) -> None:
    """城镇、农村居民人均可支配收入分别…: 城镇 borrows the head noun of the last item."""
    from .indicators import alias_table

    last = subs[-1] if subs else None
    if not last or not last.label:
        return
    table = alias_table()
    for i, (a, b) in enumerate(items[:-1]):
        sub = subs[i]
        word = doc.s[head_a + a: head_a + b].strip()
        if (sub is not None and sub.code) or not word or len(word) > 6:
            continue
        for cut in range(1, len(last.label)):
            cand = word + last.label[cut:]
            code = table.get(cand)
            if code and "|" not in code:
                subs[i] = Subject(cand, code, head_a + b)
                break


def _distribute(doc: _Doc, flist: list[Figure], sent_a: int) -> None:
    """分别 and parallel lists: pair k subjects (or years) with k figures in order."""
    s = doc.s
    i = 0
    n = len(flist)
    while i < n:
        j = i
        while j + 1 < n and _LIST_SEP.fullmatch(s[flist[j].b: flist[j + 1].a]) and flist[j + 1].kind == flist[i].kind:
            j += 1
        k = j - i + 1
        if k >= 2:
            group = flist[i: j + 1]
            floor = max(sent_a, flist[i - 1].b if i > 0 else sent_a)
            pre = s[floor: group[0].a]
            fen = pre.rfind("分别")
            assigned = False
            # a pair alias (城乡居民人均可支配收入) or its subject
            subj0 = group[0].subject
            if isinstance(subj0, Subject) and not subj0.codes and k == 2 and subj0.label in _PAIRS:
                subj0 = Subject(subj0.label, subj0.code, subj0.end, codes=_PAIRS[subj0.label])
            if isinstance(subj0, Subject) and len(subj0.codes) == k:
                for f, code in zip(group, subj0.codes):
                    f.subject = Subject(subj0.label, code, subj0.end)
                assigned = True
            if not assigned:
                ylist = None
                for ym in _YEAR_PAIR.finditer(s[max(sent_a, group[0].a - 200): group[0].a]):
                    ylist = [int(ym.group(1)), int(ym.group(2))]
                if ylist and len(ylist) == k and fen >= 0:
                    for f, y in zip(group, ylist):
                        f.extra["year"] = y
                    assigned = True
            if not assigned and fen >= 0:
                head = pre[:fen]
                cut = max(head.rfind(","), head.rfind("，"), head.rfind(";"), head.rfind("；"), head.rfind("。"))
                head_a = floor + cut + 1
                items = [(m.start(), m.end()) for m in _LIST_ITEMS.finditer(s[head_a: floor + fen])]
                if len(items) >= k:
                    items = items[-k:]
                    subs = []
                    years = []
                    for a, b in items:
                        seg_a, seg_b = head_a + a, head_a + b
                        ym = _ITEM_YEAR.fullmatch(s[seg_a:seg_b]) or _ITEM_YEAR_COMMA.match(s[seg_a:seg_b])
                        if ym:
                            years.append(int(ym.group(1)))
                        labs = doc.labels_in(seg_a, seg_b)
                        if labs:
                            subs.append(_subject_from_label(doc, labs[-1], sent_a))
                        elif _has_noun(s[seg_a:seg_b]):
                            subs.append(Subject(_noun_text(s[seg_a:seg_b]), None, seg_b))
                        else:
                            subs.append(None)
                    _complete_elliptic_items(doc, items, head_a, subs)
                    if len(years) == k:
                        for f, y in zip(group, years):
                            f.extra["year"] = y
                        assigned = True
                    elif all(subs):
                        for f, sb in zip(group, subs):
                            f.subject = sb
                        assigned = True
            if not assigned and i >= k:
                # 分别为3.6万元、2.1万元,增长9.4%、10.2% / A 3806.8亿元,其中B 3197.2亿元,分别增长…
                prevs = flist[i - k: i]
                own_subject = any(
                    doc.labels_in(max(sent_a, (flist[x - 1].b if x > 0 else sent_a)), flist[x].a) for x in range(i, j + 1)
                )
                distinct = len({id(p.subject) for p in prevs}) == k
                if distinct and not own_subject and (fen >= 0 or all(p.kind == "value" and p.unit != "percent" for p in prevs)):
                    for f, p in zip(group, prevs):
                        f.subject = p.subject
                        if "year" in p.extra:
                            f.extra["year"] = p.extra["year"]
        i = j + 1


def _make_fact(doc: _Doc, f: Figure, subj: Subject, sent_a: int, para_a: int, sent_b: int, para_b: int) -> Fact | None:
    s = doc.s
    start = f.mask_from if f.mask_from is not None else f.a
    cs = max(doc.clause_start(start, sent_a), start - 80)  # a clause, or its last 80 characters
    own_text = s[cs:start]
    if subj.end <= start:
        own_text = s[max(subj.end, cs): start]
    measure, value, code = _measure_and_value(doc, f, subj, own_text)
    if f.kind == "threshold" and f.unit is None:
        return None
    year, basis, period, explicit = _year_basis_period(doc, f, sent_a, para_a, sent_b, para_b)
    if "year" in f.extra:
        year = f.extra["year"]
    qualifiers = []
    if f.scope:
        qualifiers.append(f.scope)
    q = _QUAL.search(s, max(sent_a, subj.end - len(subj.label) - 2, start - 60), start)
    if q is None and s[f.b: f.b + 1] in "((":
        q = _QUAL.search(s, f.b, min(len(s), f.b + 16))  # 增长6%以上(扣除新冠疫苗影响)
    if q:
        qualifiers.append(q.group(0))
    if f.unit == "percent" and _REAL_GROWTH.search(s, max(sent_a, start - 14), start) and f.extra.get("prev") is not None:
        # 比上年增长4.9%,扣除价格因素,实际增长4.5%: the real rate is another statistic than the nominal one
        prev = f.extra["prev"]
        if prev.subject is subj and prev.unit == "percent":
            qualifiers.append("实际增长(扣除价格因素)")
            code = None
    # multi-year figures keep no code (年均增长, 累计, 五年来…下降); 累计 in a part-year report is year-to-date
    clause_from_label = s[cs:start]
    my_own = _AVG.search(clause_from_label) if "年" in clause_from_label else None  # (every _AVG match holds 年)
    base = _BASE_YEAR.search(s, max(cs, start - 16), start)
    if base and measure == "growth_pct" and year and year - int(base.group(1)) != 1:
        # 比2019年同期增长10%: growth over a base year, not year on year
        qualifiers.append(base.group(0).rstrip("增长下降提高降低增加减少"))
        code = None
    multi_ends, span_ends = doc.sent_multi(sent_a)
    if not my_own and (period == "FY" or (span_ends and span_ends[0] <= start)):  # (span_ends ascend)
        my_own = _CUM.search(clause_from_label)
    my_sent = next((w for e, w in multi_ends if e <= start), None) if multi_ends else None
    from_to = _from_to(doc, f, sent_a)
    if from_to is not None:
        year = from_to
        my_sent = None
    elif my_own:
        qualifiers.append(my_own.group(0))
        code = None
        f.extra["multi"] = True
    elif f.kind == "rank" and f.extra.get("prev") is not None and f.extra["prev"].extra.get("multi") and f.extra["prev"].subject is subj:
        code = None  # 年均增速7.7%,居中心城区第一: ranks the multi-year average
    elif my_sent and (measure == "growth_pct" or (code and code.endswith("_reduction"))):
        qualifiers.append(my_sent)
        code = None
    if f.extra.get("attributive"):
        code = None
    if from_to is None and s[start - 1: start] == "由" and _TO_AFTER.match(s, f.b):
        # 增速由10%降至3%: the starting point is another period's figure
        qualifiers.append("起点(由)")
        code = None
    if measure in ("share_pct", "abs_change", "pct_of"):
        code = None
    unit = f.unit or ("rank" if f.kind == "rank" else None)
    if unit is None:
        return None
    oa, ob = doc.view.span(f.a, f.b)
    raw = doc.view.text[oa:ob]
    sentence = doc.sentence_text(f.a) or raw
    comparator = f.comparator
    label = subj.label or ""
    return _new_fact(
        code,  # indicator_code
        label,  # indicator_label
        year,
        period,
        basis,
        measure,
        _clean(value),  # value, without float noise: 276.1亿 is 27610000000, not …000004
        unit,
        comparator,
        raw,  # raw_text
        oa,  # char_start
        ob,  # char_end
        sentence,
        ("; ".join(dict.fromkeys(qualifiers)) or None) if qualifiers else None,  # qualifier
        f.raw_unit or None,  # raw_unit
    )


def _clean(value: float) -> float:
    """``float(f"{value:.12g}")``: rounded to 12 significant digits (a whole number below 10^12
    has no more, so it is returned as it is, skipping the formatting)."""
    if type(value) is float and value.is_integer() and -1e12 < value < 1e12:
        return value
    return float("%.12g" % value)


def _from_to(doc: _Doc, f: Figure, sent_a: int) -> int | None:
    """从X(年)…增加到Y: the endpoints of a span get its first and last year."""
    s = doc.s
    sent_a = max(sent_a, f.a - 120)  # 从X…增加到Y is written within a clause or two
    if s.find("从", sent_a, f.a) < 0:
        return None
    tail = s[max(sent_a, f.a - 12): f.a]
    m_from = _FROM.search(tail)
    m_to = _TO.search(tail)
    if not (m_from or m_to):
        return None
    before = s[sent_a: f.a]
    rng = _RNG.search(before)
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
