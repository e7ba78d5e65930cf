"""Building the ``Fact`` records: measure, time, qualifiers and multi-year exclusions put together.

Input: a ``Doc``, a linked figure and its subject; output: a ``Fact`` or None.
"""

from __future__ import annotations


from . import context as ctxmod
from .figures import Figure
from .model import Fact
from .patterns import ANNUAL_CLAUSE, AVG, BASE_YEAR, CUM, QUAL, REAL_GROWTH, TO_AFTER
from .subjects import Subject
from .document import Doc
from .measures import measure_and_value
from .timing import span_end_year, year_basis_period


FACT_FIELDS = (
    "indicator_code", "indicator_label", "year", "period", "basis", "measure", "value", "unit", "comparator",
    "raw_text", "char_start", "char_end", "sentence", "qualifier", "raw_unit", "value_high",
)


def fact_maker():
    """``Fact(*values)`` in field order, without the frozen dataclass ``__init__``.

    That ``__init__`` sets each of the 15 fields through ``object.__setattr__``; filling the
    instance dict at once builds the same object (same fields, equality, hash, repr) 3x faster.
    Used only while ``Fact`` is a plain frozen dataclass with exactly these fields; otherwise the
    constructor is called.
    """
    import dataclasses

    plain = (
        dataclasses.is_dataclass(Fact)
        and tuple(f.name for f in dataclasses.fields(Fact)) == FACT_FIELDS
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


new_fact = fact_maker()


def make_fact(doc: Doc, f: Figure, subj: Subject, sent_a: int, para_a: int, sent_b: int, para_b: int) -> Fact | None:
    s = doc.s
    start = f.mask_from if f.mask_from is not None else f.a
    cs = max(doc.clause_start(start, sent_a), start - 80)  # a clause, or its last 80 characters
    own_text = s[cs:start]
    if subj.end <= start:
        own_text = s[max(subj.end, cs): start]
    measure, value, code = measure_and_value(doc, f, subj, own_text)
    if f.kind == "threshold" and f.unit is None:
        return None
    year, basis, period, explicit = year_basis_period(doc, f, sent_a, para_a, sent_b, para_b)
    qualifiers = []
    year_note = None
    if "year" in f.extra:
        year = f.extra["year"]
    elif "year_offset" in f.extra and year:
        year += f.extra["year_offset"]  # 较上年的17位: last year's place
    elif "year_from" in f.extra:
        year_note = doc.year_note(f.extra["year_from"], year)
    if "period" in f.extra:
        period = f.extra["period"]
    if f.scope:
        qualifiers.append(f.scope)
    q = QUAL.search(s, max(sent_a, subj.end - len(subj.label) - 2, start - 60), start)
    if q is None and s[f.b: f.b + 1] in "((":
        q = QUAL.search(s, f.b, min(len(s), f.b + 16))  # 增长6%以上(扣除新冠疫苗影响)
    if q:
        qualifiers.append(q.group(0))
    if f.unit == "percent" and REAL_GROWTH.search(s, max(sent_a, start - 14), start) and f.extra.get("prev") is not None:
        # 比上年增长4.9%,扣除价格因素,实际增长4.5%: the real rate is another statistic than the nominal one
        prev = f.extra["prev"]
        planned = ctxmod.target_cue_before(s[doc.clause_start(prev.a, sent_a): prev.a]) >= 0
        if prev.subject is subj and prev.unit == "percent" and not planned:  # 计划增长8%,实际增长9.4%: an outcome
            qualifiers.append("实际增长(扣除价格因素)")
            code = None
    # multi-year figures keep no code (年均增长, 累计, 五年来…下降); 累计 in a part-year report is year-to-date
    clause_from_label = s[cs:start]
    my_own = AVG.search(clause_from_label) if "年" in clause_from_label else None  # (every AVG match holds 年)
    base = BASE_YEAR.search(s, max(cs, start - 16), start)
    if base and measure == "growth_pct" and year and year - int(base.group(1)) != 1:
        # 比2019年同期增长10%: growth over a base year, not year on year
        qualifiers.append(base.group(0).rstrip("增长下降提高降低增加减少"))
        code = None
    multi_ends, span_ends = doc.sent_multi(sent_a)
    if not my_own and (period == "FY" or (span_ends and span_ends[0] <= start)):  # (span_ends ascend)
        my_own = CUM.search(clause_from_label)
    my_sent = next((w for e, w in multi_ends if e <= start), None) if multi_ends else None
    from_to = span_end_year(doc, f, sent_a)
    if from_to is not None:
        year = from_to
        my_sent = None
    elif my_own:
        qualifiers.append(my_own.group(0))
        code = None
        f.extra["multi"] = True
    elif f.kind == "rank" and f.extra.get("prev") is not None and f.extra["prev"].extra.get("multi") and f.extra["prev"].subject is subj:
        code = None  # 年均增速7.7%,居中心城区第一: ranks the multi-year average
    elif my_sent and (measure == "growth_pct" or (code and code.endswith("_reduction"))) and not ANNUAL_CLAUSE.search(clause_from_label) and "year" not in f.extra:
        qualifiers.append(my_sent)
        code = None
    if year_note and from_to is None:
        qualifiers.append(year_note)
    if f.extra.get("attributive"):
        code = None
    if from_to is None and s[start - 1: start] in ("由", "从") and TO_AFTER.match(s, f.b):
        # 增速由10%降至3% / 从1.86%提高到2.35% (no year): the starting point is another period's figure
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
    return new_fact(
        code,  # indicator_code
        label,  # indicator_label
        year,
        period,
        basis,
        measure,
        clean(value),  # value, without float noise: 276.1亿 is 27610000000, not …000004
        unit,
        comparator,
        raw,  # raw_text
        oa,  # char_start
        ob,  # char_end
        sentence,
        ("; ".join(dict.fromkeys(qualifiers)) or None) if qualifiers else None,  # qualifier
        f.raw_unit or None,  # raw_unit
    )


def clean(value: float) -> float:
    """``float(f"{value:.12g}")``: rounded to 12 significant digits (a whole number below 10^12
    has no more, so it is returned as it is, skipping the formatting)."""
    if type(value) is float and value.is_integer() and -1e12 < value < 1e12:
        return value
    return float("%.12g" % value)
