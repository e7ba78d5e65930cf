"""How the region pages write figures, sentences and links: 844.1亿元, −17.7%, ≥5%, the sentence
with its figure marked, a figure linked to its sentence. Everything returned is escaped HTML or
plain text for people."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Any, Iterable

from .display import MONEY, UNIT_LABELS, money_scale

DOC_TYPE_ZH = {
    "plan_report": "计划执行情况报告",
    "gov_work_report": "政府工作报告",
    "stats_bulletin": "统计公报",
    "half_year_report": "半年报告",
    "other": "其他",
}
DOC_TYPE_EN = {
    "plan_report": "plan report",
    "gov_work_report": "government work report",
    "stats_bulletin": "statistical bulletin",
    "half_year_report": "half-year report",
    "other": "other",
}
MEASURE_EN = {
    "value": "level",
    "growth_pct": "growth %",
    "rank": "rank",
    "share_pct": "share %",
    "change_pp": "change (pp)",
}
CMP_SYMBOL = {"=": "", "~": "≈", ">=": "≥", "<=": "≤", ">": ">", "<": "<"}


# --- number formatting --------------------------------------------------------------------------


def fmt_number(v: float, max_decimals: int = 2) -> str:
    if v is None or (isinstance(v, float) and (math.isnan(v) or math.isinf(v))):
        return "–"
    s = f"{v:,.{max_decimals}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if s in ("-0", "−0"):
        s = "0"
    return s.replace("-", "−")


@dataclass(frozen=True)
class Scale:
    factor: float
    label: str


def level_scale(unit: str, values: Iterable[float]) -> Scale:
    """The display unit for a series of levels, e.g. CNY in 亿元 when the figures are large; the
    labels are the query display's (``display.MONEY``, ``display.UNIT_LABELS``)."""
    big = max((abs(v) for v in values if v is not None), default=0.0)
    if unit in MONEY:
        divisor, label = money_scale([big])
        return Scale(divisor, MONEY[unit][label])
    label = UNIT_LABELS.get(unit, unit)
    if unit == "m2" and big >= 1e6:
        return Scale(1e6, "平方公里")
    if unit in ("person", "person_time", "t") and big >= 1e4:
        return Scale(1e4, "万" + label)
    return Scale(1.0, label)


def fmt_figure(
    value: float | None, unit: str, measure: str, comparator: str = "=", like: float | None = None
) -> str:
    """A figure for people: 844.1亿元, 5.2%, −17.7%, 第6, 0.3个百分点, ≥5%.

    ``like``: scale a level as this other figure would be (a gap of 0.6亿元 next to 110亿元).
    """
    if value is None:
        return "–"
    sym = CMP_SYMBOL.get(comparator or "=", "")
    if measure in ("growth_pct", "share_pct") or unit == "percent":
        return f"{sym}{fmt_number(value)}%"
    if measure == "change_pp":
        return f"{sym}{fmt_number(value)}个百分点"
    if measure == "rank":
        return f"{sym}第{fmt_number(value, 0)}"
    sc = level_scale(unit, [value if like is None else like])
    return f"{sym}{fmt_number(value / sc.factor)}{sc.label}"


# --- sentences ----------------------------------------------------------------------------------


def highlight_sentence(
    sentence: str | None, raw_text: str, char_start: int, char_end: int, doc_text: str | None
) -> str:
    """The sentence as escaped HTML with the figure in ``<mark>``.

    The figure is located by its offsets in the document text when the sentence can be found
    around them; else by its first occurrence in the sentence; else a window of the document
    text around the offsets is shown instead.
    """
    sentence = sentence or ""
    if doc_text and 0 <= char_start <= char_end <= len(doc_text):
        if sentence:
            lo = max(0, char_end - len(sentence))
            s = doc_text.find(sentence, lo, char_start + len(sentence) + 1)
            while s != -1 and s <= char_start:
                if char_end <= s + len(sentence):
                    a, b = char_start - s, char_end - s
                    return escape(sentence[:a]) + "<mark>" + escape(sentence[a:b]) + "</mark>" + escape(sentence[b:])
                s = doc_text.find(sentence, s + 1, char_start + len(sentence) + 1)
        if not sentence or raw_text not in sentence:
            a = max(0, char_start - 60)
            b = min(len(doc_text), char_end + 60)
            return (
                ("…" if a > 0 else "") + escape(doc_text[a:char_start]) + "<mark>"
                + escape(doc_text[char_start:char_end]) + "</mark>" + escape(doc_text[char_end:b])
                + ("…" if b < len(doc_text) else "")
            )
    i = sentence.find(raw_text) if raw_text else -1
    if i >= 0:
        j = i + len(raw_text)
        return escape(sentence[:i]) + "<mark>" + escape(sentence[i:j]) + "</mark>" + escape(sentence[j:])
    return escape(sentence) + (" <mark>" + escape(raw_text) + "</mark>" if raw_text else "")


def fact_link(fact_id: str | None, text: str, title: str = "") -> str:
    """A figure linked to its sentence (escaped)."""
    if not fact_id:
        return escape(text)
    t = f' title="{escape(title)}"' if title else ""
    return f'<a class="fig" href="#fact-{escape(fact_id)}"{t}>{escape(text)}</a>'


def doc_type_label(doc_type: str | None, lang: str = "zh") -> str:
    names = DOC_TYPE_EN if lang == "en" else DOC_TYPE_ZH
    return names.get(doc_type or "", doc_type or "document")


def indicator_names(info: dict[str, Any], code: str, lang: str = "zh") -> tuple[str, str]:
    """(name to show first, the other language's name) of an indicator; the code when unnamed."""
    zh, en = info.get("name_zh") or "", info.get("name_en") or ""
    return ((en or zh or code), zh) if lang == "en" else ((zh or code), en)


def doc_link(doc: dict[str, Any] | None, document_id: str | None, lang: str = "zh") -> str:
    """A short link to a document's block in the sources: type and date, title on hover."""
    if not document_id:
        return ""
    doc = doc or {"document_id": document_id}
    kind = doc_type_label(doc.get("doc_type"), lang)
    when = doc["published_on"].isoformat() if doc.get("published_on") else "date unknown"
    return (
        f'<a href="#doc-{escape(document_id)}" title="{escape(doc.get("title") or document_id)}">'
        f"{escape(kind)} {escape(when)}</a>"
    )
