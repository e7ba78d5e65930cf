"""What a figure measures: a level, a growth rate (with its sign), a rank, a share, a change.

Input: a figure, its subject and the words before it; output: (measure, value, code).
"""

from __future__ import annotations


from .figures import Figure
from .indicators import base_unit, other_units
from .patterns import ABS_CHANGE, ABS_CHANGE_BARE, GROWTH, GROWTH_IS_LEVEL, GROWTH_NOUNS, NEG, PART_OF, SHARE_WORDS, TO_LEVEL
from .subjects import Subject
from .document import Doc


def measure_and_value(doc: Doc, fig: Figure, subj: Subject, own_text: str) -> tuple[str, float, str | None]:
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
        neg = bool(NEG.search(verb_text[-4:]))
        return "growth_pct", -v if neg else v, code
    if fig.measure_hint == "change_pp":
        # 提高0.5个百分点 / 高于全市0.2个百分点: a change or a gap, keyed by no canonical code
        # (the corpus labels levels, growth and ranks only; the change follows from the levels)
        return "change_pp", (-v if NEG.search(own_text[-6:]) else v), None
    if fig.unit == "percent":
        ratio = bool(code and bu == "percent")  # 研发经费投入强度(占地区生产总值比重): a share is its level
        if not ratio and PART_OF.search(own_text) and "占" not in own_text:
            return "pct_of", v, None  # 完成年度计划的102%: may exceed 100, so not a share
        if not ratio and ("占" in own_text or SHARE_WORDS.search(own_text)):
            return "share_pct", v, None
        gm = None
        for gm in GROWTH.finditer(verb_text):
            pass
        reduction = bool(code and code.endswith("_reduction"))
        if reduction:
            return "value", abs(v), code
        if code in GROWTH_IS_LEVEL.get():
            # 居民消费价格上涨2% / 下降0.3%: the rise is the level
            return "value", (-abs(v) if gm and NEG.search(gm.group(0)) else v), code
        if bu == "percent":
            # a rate: its level, unless the words say it grew
            if gm and verb_text[gm.end():].strip(" ") == "" and gm.group(0) in ("增长", "下降", "增速", "增幅"):
                return "growth_pct", (-abs(v) if NEG.fullmatch(gm.group(0)) else v), None
            return "value", v, code
        if gm or (bu and bu != "percent"):
            neg = bool(gm and NEG.fullmatch(gm.group(0))) or bool(gm and NEG.search(gm.group(0)))
            if gm and gm.group(0) in GROWTH_NOUNS.get():
                # 同比下降 / 增速回落: the verb right before the number decides
                tail = verb_text[gm.start():]
                neg = bool(NEG.search(tail))
            if neg and TO_LEVEL.search(verb_text):
                neg = False  # 增速回落至5% / 降至3%: the rate fell to 5, it is not -5
            if neg:
                # 下降17.7% → -17.7; 下降-0.5% is read as a fall of 0.5 (the dash is not a second sign)
                return "growth_pct", -abs(v), code
            return "growth_pct", -v if fig.extra.get("minus") else v, code
        return "value", -v if fig.extra.get("minus") else v, code
    if ABS_CHANGE.search(own_text.rstrip()) or (fig.kind == "value" and ABS_CHANGE_BARE.search(own_text.rstrip())):
        return "abs_change", (-v if NEG.search(own_text[-4:]) else v), None
    if fig.kind == "threshold" and fig.unit is None:
        fig.unit = bu if bu in ("CNY",) else None
    # a level: the unit must suit the indicator
    if fig.extra.get("minus"):
        v = -v
    if code and bu and fig.unit and not unit_fits(bu, fig.unit, code):
        return "value", v, None
    return "value", v, code


def unit_fits(bu: str, unit: str, code: str) -> bool:
    if bu == unit:
        return True
    if unit in other_units(code):  # indicator_units.csv: foreign investment, trade in US dollars
        return True
    if bu == "count" and unit == "count":
        return True
    return False
