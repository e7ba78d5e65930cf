"""Figures that belong together: ranges (4.5%—5%: one fact), 分别 lists pairing subjects, years or
periods with figures in order, and ranks held for a run of years.

Input: the figures of one sentence with their subjects; output: the same figures, linked.
"""

from __future__ import annotations

import re

from . import context as ctxmod
from . import lexicon as lex
from .figures import Figure
from .model import Fact
from .units import normalise_unit
from .patterns import ATTRIB_AFTER, BARE_RANGE_LOW, ITEM_YEAR, ITEM_YEAR_COMMA, LIST_ITEMS, LIST_SEP, PAIRS, RANGE_SEP, RNG, RUN_OF_YEARS, YEAR_PAIR, YEARS_EACH
from .subjects import Subject, complete_elliptic_items, has_noun, noun_text, subject_from_label
from .document import Doc


def for_each_year(doc: Doc, f: Figure, fact: Fact, flist: list[Figure], sent_a: int) -> list[Fact]:
    """2017、2018年…分别增长10.4%和14.0%,增速连续两年位居…第1位: the rank holds for both years."""
    if f.kind != "rank":
        return []
    clause_a = doc.clause_start(f.mask_from or f.a, sent_a)
    listed = YEARS_EACH.search(doc.s, max(sent_a, f.a - 40), f.a)  # (、 between the years breaks clauses)
    if listed:  # 其中2021年、2023年增速均居全市第1位: the rank for each year listed
        from dataclasses import replace

        years = [int(y) for y in re.findall(r"(?:19|20)\d{2}", listed.group(0))]
        return [replace(fact, year=y) for y in dict.fromkeys(years) if y != fact.year]
    m = RUN_OF_YEARS.search(doc.s, clause_a, f.a)
    if not m:
        return []
    years = sorted({g.extra["year"] for g in flist if "year" in g.extra and g.a < f.a})
    n = int(lex.table("run_of_years_counts")[m.group(1)])
    if len(years) != n:
        return []
    from dataclasses import replace

    return [replace(fact, year=y) for y in years if y != fact.year]


def ranges(s: str, flist: list[Figure]) -> None:
    """3%—5%, 7000亿元至9000亿元, 4.5—5%: a range is one fact (comparator ``between``); the low
    end takes the high end along (``extra["range_high"]``), and the high end makes no fact of its
    own. A range used as an attribute (3%—5%的增速) is neither."""
    i = 0
    while i < len(flist):
        y = flist[i]
        if y.kind == "value" and y.unit and (i == 0 or flist[i - 1].b <= y.a - 2):
            low = _bare_low_end(s, y, flist[i - 1].b if i else 0)
            if low is not None:
                flist.insert(i, low)
                i += 1
        i += 1
    for x, y in zip(flist, flist[1:]):
        if x.kind != "value" or y.kind != "value" or x.unit != y.unit:
            continue
        if not RANGE_SEP.fullmatch(s[x.b: y.a]):
            continue
        if ATTRIB_AFTER.match(s[y.b: y.b + 2]):
            x.extra["attributive"] = True
            continue
        x.extra["range_high"] = y
        y.extra["range_low"] = x


def _bare_low_end(s: str, y: Figure, floor: int) -> Figure | None:
    """The low end of a range written without its unit (4.5—5%), read in the unit of the high end."""
    m = BARE_RANGE_LOW.search(s, max(floor, y.num_a - 16), y.num_a)
    if m is None or y.extra.get("minus"):
        return None
    norm = normalise_unit(y.raw_unit)
    if norm is None:
        return None
    low = Figure(m.start(1), m.end(1), m.start(1), "value", float(m.group(1)) * norm[1], y.unit, y.raw_unit)
    low.measure_hint = y.measure_hint
    return low


def distribute(doc: Doc, flist: list[Figure], sent_a: int) -> None:
    """分别 and parallel lists: pair k subjects (or years) with k figures in order."""
    s = doc.s
    i = 0
    n = len(flist)
    while i < n:
        j = i
        while j + 1 < n and LIST_SEP.fullmatch(s[flist[j].b: flist[j + 1].a]) and flist[j + 1].kind == flist[i].kind:
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
            if isinstance(subj0, Subject) and not subj0.codes and k == 2 and subj0.label in PAIRS:
                subj0 = Subject(subj0.label, subj0.code, subj0.end, codes=PAIRS[subj0.label])
            if isinstance(subj0, Subject) and len(subj0.codes) == k:
                for f, code in zip(group, subj0.codes):
                    f.subject = Subject(subj0.label, code, subj0.end)
                assigned = True
            if not assigned:
                ylist = None
                for ym in YEAR_PAIR.finditer(s[max(sent_a, group[0].a - 200): group[0].a]):
                    ylist = [int(ym.group(1)), int(ym.group(2))]
                if not ylist and fen >= 0:
                    # 2021年至2025年,…分别为8.1%、3.6%、6.5%、5.8%和6.0%: one year of the span per figure
                    for rm in RNG.finditer(s, max(sent_a, group[0].a - 200), group[0].a):
                        ylist = list(range(int(rm.group(1)), int(rm.group(2)) + 1))
                if ylist and len(ylist) == k and fen >= 0:
                    for f, y in zip(group, ylist):
                        f.extra["year"] = y
                    assigned = True
            if not assigned and fen >= 0:
                head = pre[:fen]
                cut = max(head.rfind(","), head.rfind("，"), head.rfind(";"), head.rfind("；"), head.rfind("。"))
                head_a = floor + cut + 1
                items = [(m.start(), m.end()) for m in LIST_ITEMS.finditer(s[head_a: floor + fen])]
                if len(items) >= k:
                    items = items[-k:]
                    subs = []
                    years = []
                    for a, b in items:
                        seg_a, seg_b = head_a + a, head_a + b
                        ym = ITEM_YEAR.fullmatch(s[seg_a:seg_b]) or ITEM_YEAR_COMMA.match(s[seg_a:seg_b])
                        if ym:
                            years.append(int(ym.group(1)))
                        labs = doc.labels_in(seg_a, seg_b)
                        if labs:
                            subs.append(subject_from_label(doc, labs[-1], sent_a))
                        elif has_noun(s[seg_a:seg_b]):
                            subs.append(Subject(noun_text(s[seg_a:seg_b]), None, seg_b))
                        else:
                            subs.append(None)
                    complete_elliptic_items(doc, items, head_a, subs)
                    periods = [ctxmod.period_of(s[head_a + a: head_a + b]) for a, b in items]
                    if all(periods) and len(set(periods)) == k:
                        # 一季度、上半年、前三季度…分别增长: one period per figure
                        for f, p in zip(group, periods):
                            f.extra["period"] = p
                        assigned = True
                    elif len(years) == k:
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


def pair_ranks(s: str, flist: list[Figure]) -> dict[int, list]:
    """城乡居民收入分别增长5.8%、7.9%,均居全国第二: a rank after a pair split by 分别, with 均,
    ranks both members (one line each, same raw text)."""
    out = {}
    for i in range(2, len(flist)):
        f, a, b = flist[i], flist[i - 2], flist[i - 1]
        if f.kind != "rank" or "均" not in s[b.b: f.a]:
            continue
        sa, sb = a.subject, b.subject
        if isinstance(sa, Subject) and isinstance(sb, Subject) and sa.label == sb.label and sa.code and sb.code and sa.code != sb.code:
            out[i] = [sa, sb]
    return out
