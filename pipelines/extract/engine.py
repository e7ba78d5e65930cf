"""The pipeline of stages: document (structure) → figures → subjects → linking → measures and
timing → facts. Each stage is its own module; this one runs them sentence by sentence.

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

import re
from dataclasses import replace

from .figures import Figure, scan
from .indicators import base_unit
from .document import Doc
from .facts import make_fact
from .measures import unit_fits
from .linking import distribute, for_each_year, pair_ranks, ranges
from .model import DocumentContext, ExtractionResult, Fact, MalformedFigure
from .patterns import ATTRIB_AFTER, BREAKDOWN_LEAD, GROWTH_ANAPHOR, PART_OF
from .segment import paragraphs
from .subjects import Subject, borrow_head, has_noun, place_subject, resolve_subject, subject_from_label
from .timing import year_basis_period


def extract(text: str, context: DocumentContext) -> ExtractionResult:
    doc = Doc(text, context)
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

    head: tuple[int, Subject] | None = None  # (paragraph, subject of the first figure of the last sentence)
    last_growth: tuple[int, Subject | None] | None = None  # (paragraph, subject of the last growth rate, None if uncoded)
    for si, flist in by_sent.items():
        sent_a, sent_b = doc.sents[si] if si >= 0 else (0, len(s))
        para = doc.para_idx.span_at(sent_a) or (sent_a, sent_b)
        subjects: list[Subject | None] = []
        shared_for: dict[int, list[Subject]] = {}
        prev: Figure | None = None
        last_real: Subject | None = None
        breakdown = None
        if head and head[0] == para[0] and head[1].code and BREAKDOWN_LEAD.match(s, sent_a):
            breakdown = head[1]  # 分季度看,一季度增长5.2%: a breakdown of the sentence before keeps its subject
        elif last_growth and last_growth[0] == para[0] and last_growth[1] and GROWTH_ANAPHOR.match(s, sent_a):
            breakdown = last_growth[1]  # …增长6.1%。增速居全市第3位: the growth rate a sentence before
        last_real = breakdown
        ranges(s, flist)
        for idx, f in enumerate(flist):
            f.extra["prev"] = flist[idx - 1] if idx > 0 else None
            start = f.mask_from if f.mask_from is not None else f.a
            floor = max(sent_a, prev.b if prev else sent_a)
            own_a = doc.clause_start(start, floor)
            own_a = max(own_a, floor)
            subj, shared = resolve_subject(doc, f, own_a, sent_a, prev)
            if prev is not None and not shared and f.kind != "rank":
                subj = place_subject(doc, subj, own_a, start, last_real) or subj
            if subj is None or (breakdown and not subj.label and subj.code is None):
                subj = last_real or Subject("", None, own_a)
            elif subj.code is None and last_real is not None and last_real.code and 2 <= len(subj.label) <= 4:
                subj = borrow_head(subj, last_real) or subj
            if shared:
                shared_for[idx] = shared
            f.subject = subj
            subjects.append(subj)
            attributive = bool(ATTRIB_AFTER.match(s[f.b: f.b + 5])) or f.extra.get("attributive", False)
            f.extra["attributive"] = attributive
            if not attributive and not (subj.code is None and f.unit == "percent" and PART_OF.search(s, max(own_a, start - 12), start)):
                last_real = subj  # (完成年度预算的52%,同比增长3.1%: the growth is still the revenue's)
            prev = f
        if flist[0].subject is not None and flist[0].subject.label:
            head = (para[0], flist[0].subject)
        distribute(doc, flist, sent_a)
        shared_for.update(pair_ranks(s, flist))
        for idx, f in enumerate(flist):
            if "range_low" in f.extra:
                continue  # the high end of a range: part of the low end's fact
            subs = shared_for.get(idx) or [f.subject]
            below = _label_below(doc, f, para) if len(flist) == 1 and not f.subject.code else None
            if below:
                # 5.9% / 地区生产总值增速 (a 数读 digest): the label under a figure alone on its line
                subs, (sent_a, sent_b) = [below[0]], below[1]
                para, f.mask_from = below[1], below[1][1]
            for subj in subs:
                fact = make_fact(doc, f, subj, sent_a, para[0], sent_b, para[1])
                if fact and "range_high" in f.extra:
                    fact = _range_fact(doc, fact, f.extra["range_high"], subj, sent_a, sent_b, para)
                if fact:
                    facts.append(fact)
                    facts.extend(for_each_year(doc, f, fact, flist, sent_a))
                    if fact.measure == "growth_pct" and not f.extra.get("attributive"):
                        last_growth = (para[0], subj if fact.indicator_code else None)

    table_facts, table_spans = text_table_facts(doc)
    if table_spans:  # a table read as a table is not read again as prose
        facts = [f for f in facts if not any(a <= f.char_start < b for a, b in table_spans)]
    facts.extend(table_facts)
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
    return ExtractionResult(_without_restatements(out), malformed)


def _label_below(doc: Doc, f: Figure, para: tuple[int, int]) -> tuple[Subject, tuple[int, int]] | None:
    """A figure alone on its line with a short line naming an indicator under it, and no figure in
    that line (the text view joins a label above its figure, so a figure left alone has its label
    below): (the label's subject, the label line)."""
    s = doc.s
    a, b = para
    if s[a:b].strip(" \t\u3000【】[]（）()") != s[f.a:f.b] or b + 1 >= len(s) or s[b] != "\n":
        return None
    nb = s.find("\n", b + 1)
    nb = len(s) if nb < 0 else nb
    line = s[b + 1: nb]
    labs = doc.labels_in(b + 1, nb)
    if not labs or len(line) > 30 or _FIGURE_IN.search(line):
        return None
    subj = subject_from_label(doc, labs[-1], b + 1)
    return (subj, (b + 1, nb)) if subj.code else None


_FIGURE_IN = re.compile(r"\d(?!\d*年)")


def _without_restatements(facts: list[Fact]) -> list[Fact]:
    """A fact stated twice, once rounded (30418亿元 … 增加到3.04万亿元), is one fact: the rounded
    restatement (fewer digits, within 0.5 %) is dropped. Thresholds and ranges are other facts."""
    best: dict[tuple, Fact] = {}
    drop: set[int] = set()
    for f in facts:
        if f.indicator_code is None or f.comparator not in ("=", "~") or not f.value:
            continue
        key = (f.indicator_code, f.year, f.period, f.basis, f.measure, f.unit)
        other = best.get(key)
        if other is None:
            best[key] = f
        elif other.value != f.value and abs(other.value - f.value) <= 0.005 * abs(other.value):
            keep, lose = (other, f) if _digits(other.raw_text) >= _digits(f.raw_text) else (f, other)
            best[key] = keep
            drop.add(id(lose))
    return [f for f in facts if id(f) not in drop] if drop else facts


def _digits(raw: str) -> int:
    return sum(ch.isdigit() for ch in raw)


def text_table_facts(doc: Doc) -> tuple[list[Fact], list[tuple[int, int]]]:
    """Facts from tables flattened into the text (see tabletext.py), and the original-text spans
    of the tables read as tables (their lines are not read again as prose)."""
    from .tables import extract_table_facts
    from .tabletext import cell_line_tables, line_table_cells, pipe_table_cells, text_tables

    s = doc.s
    if "|" not in s and "\t" not in doc.view.text and "  " not in doc.view.text and not re.search(r"[(（]\s*(?:%|[万亿]*元)\s*[)）]", s):
        return [], []

    text = doc.view.text
    lines = paragraphs(text)
    tables = text_tables(text, lines) + cell_line_tables(text, lines)
    table_out = [_unit_checked(f) for f in extract_table_facts(tables, doc.ctx)] if tables else []
    spans = [(t.char_start, t.char_end) for t in tables if any(t.char_start <= f.char_start < t.char_end for f in table_out)]
    if spans:
        table_out = [f for f in table_out if any(a <= f.char_start < b for a, b in spans)]

    def in_table(view_a: int) -> bool:
        oa = doc.view.span(view_a, view_a + 1)[0]
        return any(a <= oa < b for a, b in spans)

    cells = [c for c in line_table_cells(s, doc.paras) + pipe_table_cells(s, doc.paras) if not in_table(c.a)]
    out = []
    for cell in cells:
        label_text = doc.s[cell.label_a: cell.label_b].strip(" |#")
        labs = doc.labels_in(cell.label_a, cell.label_b)
        code = None
        if labs and not has_noun(doc.s[labs[-1].end: cell.label_b]) and not has_noun(doc.s[cell.label_a: labs[-1].start].replace("其中", "")):
            code = labs[-1].code if labs[-1].code and "|" not in labs[-1].code else None
        if code and (cell.measure == "value" and base_unit(code) != cell.unit or cell.measure == "change_pp"):
            code = None
        fig = Figure(cell.a, cell.b, cell.a, "value", cell.value, cell.unit, cell.raw_unit)
        sent = doc.sent_idx.span_at(cell.label_a) or (cell.label_a, cell.label_b)
        para = doc.para_idx.span_at(cell.a) or (cell.a, cell.b)
        year, basis, period, _ = year_basis_period(doc, fig, para[0], para[0], para[1], para[1])
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
    return out + table_out, spans


def _range_fact(doc: Doc, low: Fact, high_fig: Figure, subj: Subject, sent_a: int, sent_b: int, para) -> Fact | None:
    """One fact for a range: ``value`` the lower end, ``value_high`` the upper, raw text across both."""
    high = make_fact(doc, high_fig, subj, sent_a, para[0], sent_b, para[1])
    if high is None or high.measure != low.measure:
        return low
    lo, hi = sorted((low.value, high.value))
    raw = doc.view.text[low.char_start: high.char_end]
    return replace(low, value=lo, value_high=hi, comparator="between", raw_text=raw, char_end=high.char_end)


def _unit_checked(f: Fact) -> Fact:
    """A table level whose unit does not suit its indicator (a 构成% column of GDP) keeps no code."""
    if f.indicator_code and f.measure == "value" and not unit_fits(base_unit(f.indicator_code) or "", f.unit, f.indicator_code):
        return replace(f, indicator_code=None)
    return f
