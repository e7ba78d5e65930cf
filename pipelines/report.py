"""Self-contained HTML reports, one page per region, built from the marts.

``write_region_reports(con, out_dir, region=None)`` writes ``<region_code>.html`` (or a slug when
the code is unknown) for every region in ``marts.latest_indicators`` -- or only the one named by
``region`` (full name or 6-digit code) -- plus an ``index.html`` linking them, and returns the
region pages it wrote.

Each page shows, per indicator, the full-year levels and growth rates by year as inline SVG bar
charts (hand-written SVG; no JavaScript, no web fonts, nothing fetched from the network), a table
of the same figures, the plan-vs-actual comparison with attained and missed targets marked, the
revisions, and at the end every figure with its sentence (the figure highlighted), document title
and character offsets. Every number on the page links to that sentence. All text is escaped.

Pure functions on a DuckDB connection; values are bound as parameters.
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, Iterable

INDICATORS_CSV = Path(__file__).resolve().parent / "data" / "indicators.csv"

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
LANGS = ("zh", "en")
MEASURE_EN = {
    "value": "level",
    "growth_pct": "growth %",
    "rank": "rank",
    "share_pct": "share %",
    "change_pp": "change (pp)",
}
CMP_SYMBOL = {"=": "", "~": "≈", ">=": "≥", "<=": "≤", ">": ">", "<": "<"}


# --- data access --------------------------------------------------------------------------------


def _rows(con, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _require_marts(con) -> None:
    have = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts'"
        ).fetchall()
    }
    need = {"latest_indicators", "indicator_yoy", "plan_vs_actual", "indicator_revisions"}
    missing = sorted(need - have)
    if missing:
        raise RuntimeError(
            "the marts are not built yet (missing: " + ", ".join(f"marts.{m}" for m in missing)
            + "); run the pipeline (annual-etl ingest ...) or pipelines.marts.build_all_marts first"
        )


def _indicator_order() -> dict[str, int]:
    try:
        with INDICATORS_CSV.open(encoding="utf-8", newline="") as fh:
            return {r["code"]: i for i, r in enumerate(csv.DictReader(fh))}
    except OSError:  # pragma: no cover - packaged without the csv
        return {}


def list_regions(con) -> list[tuple[str, str | None]]:
    """``[(region, region_code)]`` of every region with at least one mart figure."""
    _require_marts(con)
    return [
        (r[0], r[1])
        for r in con.execute(
            "SELECT region, max(region_code) FROM marts.latest_indicators "
            "WHERE region IS NOT NULL GROUP BY region ORDER BY region"
        ).fetchall()
    ]


def find_regions(con, wanted: str) -> list[tuple[str, str | None]]:
    """Regions matching ``wanted``: exact name or code first, else a part of the name (大兴, 天河).

    People type the short name; the warehouse keeps the full official one (北京市大兴区). More
    than one result means the part was ambiguous and the caller should say which ones.
    """
    wanted = wanted.strip()
    regions = list_regions(con)
    exact = [(r, c) for r, c in regions if r == wanted or (c is not None and c == wanted)]
    if exact or not wanted:
        return exact
    short = wanted.removesuffix("区").removesuffix("县").removesuffix("市") or wanted
    return [(r, c) for r, c in regions if short in r]


def region_file_name(region: str, region_code: str | None) -> str:
    """A safe file name: the 6-digit code, else an ASCII slug of the name."""
    if region_code and re.fullmatch(r"[0-9A-Za-z_-]{1,32}", region_code):
        return f"{region_code}.html"
    ascii_part = re.sub(r"[^0-9A-Za-z]+", "-", region).strip("-").lower()[:40]
    digest = hashlib.sha256(region.encode("utf-8")).hexdigest()[:10]
    return f"region-{ascii_part + '-' if ascii_part else ''}{digest}.html"


# --- number formatting --------------------------------------------------------------------------


def _num(v: float, max_decimals: int = 2) -> str:
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
    """The display unit for a series of levels, e.g. CNY in 亿元 when the figures are large."""
    vals = [abs(v) for v in values if v is not None]
    big = max(vals) if vals else 0.0
    if unit in ("CNY", "USD"):
        cur = "元" if unit == "CNY" else "美元"
        if big >= 1e8:
            return Scale(1e8, "亿" + cur)
        if big >= 1e4:
            return Scale(1e4, "万" + cur)
        return Scale(1.0, cur)
    if unit in ("person", "person_time"):
        base = "人" if unit == "person" else "人次"
        return Scale(1e4, "万" + base) if big >= 1e4 else Scale(1.0, base)
    if unit == "t":
        return Scale(1e4, "万吨") if big >= 1e4 else Scale(1.0, "吨")
    if unit == "m2":
        return Scale(1e6, "平方公里") if big >= 1e6 else Scale(1.0, "平方米")
    labels = {"percent": "%", "ug/m3": "μg/m³", "count": "个", "flight": "架次", "m3": "立方米",
              "km": "公里", "rank": "名"}
    return Scale(1.0, labels.get(unit, unit))


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
        return f"{sym}{_num(value)}%"
    if measure == "change_pp":
        return f"{sym}{_num(value)}个百分点"
    if measure == "rank":
        return f"{sym}第{_num(value, 0)}"
    sc = level_scale(unit, [value if like is None else like])
    return f"{sym}{_num(value / sc.factor)}{sc.label}"


# --- SVG charts ---------------------------------------------------------------------------------


def _nice_step(span: float, target_ticks: int = 4) -> float:
    if span <= 0:
        return 1.0
    raw = span / target_ticks
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= raw:
            return m * mag
    return 10 * mag


@dataclass
class Bar:
    label: str  # x label, e.g. the year
    value: float | None  # in display units
    text: str  # value label
    href: str | None = None
    title: str = ""
    preliminary: bool = False


@dataclass
class Marker:
    label: str  # x label the marker belongs to
    value: float
    title: str
    kind: str  # "target" (dashed line) or "computed" (diamond)
    href: str | None = None


def svg_bar_chart(
    bars: list[Bar],
    markers: list[Marker] | None = None,
    *,
    title: str,
    unit_label: str,
    width: int = 420,
    height: int = 230,
    css_class: str = "chart",
) -> str:
    """A bar chart as an inline ``<svg>`` element (positive and negative bars, target lines,
    diamond markers); every string is escaped."""
    markers = markers or []
    labels: list[str] = []
    for b in bars:
        if b.label not in labels:
            labels.append(b.label)
    for m in markers:
        if m.label not in labels:
            labels.append(m.label)
    labels.sort()
    if labels and all(lab.isdigit() for lab in labels):
        first, last = int(labels[0]), int(labels[-1])
        if last - first < 16:  # years: keep the gaps visible
            labels = [str(v) for v in range(first, last + 1)]
    values = [b.value for b in bars if b.value is not None] + [m.value for m in markers]
    lo = min([0.0] + values)
    hi = max([0.0] + values)
    if hi == lo:
        hi = lo + 1.0
    step = _nice_step(hi - lo)
    lo_t = math.floor(lo / step) * step
    hi_t = math.ceil(hi / step) * step
    if hi_t - hi < step * 0.15 and hi > 0:
        hi_t += step  # room for the value labels above the highest bar
    if lo < 0 and lo - lo_t < step * 0.15:
        lo_t -= step

    left, right, top, bottom = 56, 10, 30, 28
    pw, ph = width - left - right, height - top - bottom

    def y(v: float) -> float:
        return top + (hi_t - v) / (hi_t - lo_t) * ph

    n = max(len(labels), 1)
    slot = pw / n
    bw = min(slot * 0.6, 46)
    xc = {lab: left + slot * (i + 0.5) for i, lab in enumerate(labels)}

    out: list[str] = [
        f'<svg class="{escape(css_class)}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text class="ct" x="{left}" y="14">{escape(title)}</text>',
        f'<text class="cu" x="{left - 6}" y="{top - 8}" text-anchor="end">{escape(unit_label)}</text>',
    ]
    # grid and y ticks
    k = 0
    v = lo_t
    while v <= hi_t + step * 1e-6 and k < 50:
        yy = y(v)
        out.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{yy:.1f}" y2="{yy:.1f}"/>')
        out.append(
            f'<text class="tick" x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end">{escape(_num(v))}</text>'
        )
        v += step
        k += 1
    # bars
    y0 = y(0.0)
    for b in bars:
        if b.value is None:
            continue
        x = xc[b.label] - bw / 2
        top_y, bot_y = (y(b.value), y0) if b.value >= 0 else (y0, y(b.value))
        cls = "bar neg" if b.value < 0 else "bar"
        if b.preliminary:
            cls += " prelim"
        rect = (
            f'<rect class="{cls}" data-value="{escape(_num(b.value, 4))}" x="{x:.1f}" '
            f'y="{top_y:.1f}" width="{bw:.1f}" height="{max(bot_y - top_y, 0.5):.1f}">'
            f"<title>{escape(b.title)}</title></rect>"
        )
        label_y = top_y - 4 if b.value >= 0 else bot_y + 12
        text = (
            f'<text class="val" x="{xc[b.label]:.1f}" y="{label_y:.1f}" text-anchor="middle">'
            f"{escape(b.text)}</text>"
        )
        if b.href:
            out.append(f'<a href="{escape(b.href)}">{rect}{text}</a>')
        else:
            out.append(rect + text)
    # markers
    for m in markers:
        cx, cy = xc[m.label], y(m.value)
        if m.kind == "target":
            shape = (
                f'<line class="target" x1="{cx - slot * 0.42:.1f}" x2="{cx + slot * 0.42:.1f}" '
                f'y1="{cy:.1f}" y2="{cy:.1f}"><title>{escape(m.title)}</title></line>'
            )
        else:
            d = 4.5
            shape = (
                f'<path class="computed" d="M{cx:.1f} {cy - d:.1f} L{cx + d:.1f} {cy:.1f} '
                f'L{cx:.1f} {cy + d:.1f} L{cx - d:.1f} {cy:.1f} Z"><title>{escape(m.title)}</title></path>'
            )
        out.append(f'<a href="{escape(m.href)}">{shape}</a>' if m.href else shape)
    # axes and x labels
    out.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{y0:.1f}" y2="{y0:.1f}"/>')
    for lab in labels:
        out.append(
            f'<text class="xl" x="{xc[lab]:.1f}" y="{height - 10}" text-anchor="middle">{escape(lab)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


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


# --- page ---------------------------------------------------------------------------------------

CSS = """
:root { --fg:#1d2733; --muted:#5b6776; --line:#d9dee5; --bar:#3b6ea5; --neg:#c0504d;
        --target:#e08a00; --ok:#1e7d3a; --miss:#b3261e; --mark:#fff1a8; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
       "WenQuanYi Zen Hei", system-ui, sans-serif; color: var(--fg); margin: 0; line-height: 1.5;
       background: #f6f7f9; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 28px 60px; background: #fff; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 36px 0 8px; padding-top: 8px; border-top: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 20px 0 6px; }
.sub, .muted { color: var(--muted); font-size: .92rem; }
nav.toc { font-size: .92rem; margin: 12px 0; }
nav.toc a { margin-right: 12px; white-space: nowrap; }
a { color: #1a5fa8; text-decoration: none; }
a:hover { text-decoration: underline; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: 6px 0 12px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eef1f5; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
svg.chart { background: #fbfcfd; border: 1px solid var(--line); border-radius: 4px; }
svg .ct { font-size: 13px; font-weight: 600; fill: var(--fg); }
svg .cu, svg .tick, svg .xl { font-size: 11px; fill: var(--muted); }
svg .val { font-size: 11px; fill: var(--fg); }
svg .grid { stroke: #e7eaef; stroke-width: 1; }
svg .axis { stroke: #8a94a3; stroke-width: 1; }
svg .bar { fill: var(--bar); }
svg .bar.neg { fill: var(--neg); }
svg .bar.prelim { fill-opacity: .55; }
svg .target { stroke: var(--target); stroke-width: 2.5; stroke-dasharray: 5 3; }
svg .computed { fill: #1d2733; }
.legend { font-size: .82rem; color: var(--muted); margin: 2px 0 8px; }
.legend span { margin-right: 14px; }
.sw { display: inline-block; width: 12px; height: 10px; margin-right: 4px; vertical-align: middle; }
.status { font-weight: 600; white-space: nowrap; }
tr.attained .status { color: var(--ok); }
tr.missed .status { color: var(--miss); }
tr.missed { background: #fdf3f2; }
.badge { display: inline-block; font-size: .78rem; padding: 0 6px; border-radius: 8px;
         background: #eef1f5; color: var(--muted); margin-left: 4px; }
.fact { border-left: 3px solid var(--line); padding: 4px 10px; margin: 6px 0; }
.fact:target { border-left-color: var(--target); background: #fff8e6; }
.fact .sent { margin: 2px 0; }
mark { background: var(--mark); padding: 0 1px; font-weight: 600; }
.summary { display: flex; gap: 22px; flex-wrap: wrap; margin: 14px 0; }
.summary div { background: #eef1f5; border-radius: 6px; padding: 8px 14px; }
.summary b { font-size: 1.3rem; display: block; }
"""


def _a(fact_id: str | None, text: str, title: str = "") -> str:
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


def _doc_link(doc: dict[str, Any] | None, document_id: str | None, lang: str = "zh") -> str:
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


def _indicator_section(
    code: str,
    info: dict[str, Any],
    latest: list[dict[str, Any]],
    yoy: list[dict[str, Any]],
    lang: str = "zh",
) -> str:
    anchor = f"ind-{code}"
    first_name, second_name = indicator_names(info, code, lang)
    level_title, growth_title = ("level", "growth") if lang == "en" else ("水平 level", "增速 growth")
    parts: list[str] = [
        f'<section class="indicator" id="{escape(anchor)}">',
        f"<h2>{escape(first_name)} <span class=\"muted\">{escape(second_name)} · <code>{escape(code)}</code></span></h2>",
    ]
    fy = [r for r in latest if r["period"] == "FY"]
    lev_act = [r for r in fy if r["basis"] == "actual" and r["measure"] == "value"]
    lev_tgt = [r for r in fy if r["basis"] == "target" and r["measure"] == "value"]
    gr_act = [r for r in fy if r["basis"] == "actual" and r["measure"] == "growth_pct"]
    gr_tgt = [r for r in fy if r["basis"] == "target" and r["measure"] == "growth_pct"]
    yoy_by_year = {r["year"]: r for r in yoy}

    charts: list[str] = []
    units = sorted({r["unit"] for r in lev_act + lev_tgt})
    for unit in units:
        la = [r for r in lev_act if r["unit"] == unit]
        lt = [r for r in lev_tgt if r["unit"] == unit]
        sc = level_scale(unit, [r["value"] for r in la + lt])
        bars = [
            Bar(
                str(r["year"]), r["value"] / sc.factor, _num(r["value"] / sc.factor),
                f"#fact-{r['fact_id']}",
                f"{r['year']}: {r['raw_text']}" + ("" if r["is_final"] else " (preliminary)"),
                preliminary=not r["is_final"],
            )
            for r in la
        ]
        marks = [
            Marker(str(r["year"]), r["value"] / sc.factor,
                   f"{r['year']} target: {r['raw_text']}", "target", f"#fact-{r['fact_id']}")
            for r in lt
        ]
        suffix = f" ({unit})" if len(units) > 1 else ""
        charts.append(svg_bar_chart(bars, marks, title=f"{first_name} · {level_title}{suffix}", unit_label=sc.label))
    if gr_act or gr_tgt or any(r["pct_change"] is not None for r in yoy):
        bars = [
            Bar(
                str(r["year"]), r["value"], _num(r["value"]), f"#fact-{r['fact_id']}",
                f"{r['year']}: reported growth {r['raw_text']}" + ("" if r["is_final"] else " (preliminary)"),
                preliminary=not r["is_final"],
            )
            for r in gr_act
        ]
        marks = [
            Marker(str(r["year"]), r["value"], f"{r['year']} growth target: {r['raw_text']}", "target",
                   f"#fact-{r['fact_id']}")
            for r in gr_tgt
        ] + [
            Marker(str(r["year"]), r["pct_change"],
                   f"{r['year']}: computed from levels {_num(r['pct_change'])}%", "computed",
                   f"#fact-{r['value_fact_id']}")
            for r in yoy if r["pct_change"] is not None
        ]
        charts.append(svg_bar_chart(bars, marks, title=f"{first_name} · {growth_title}", unit_label="%"))
    if charts:
        parts.append('<div class="charts">' + "".join(charts) + "</div>")
        parts.append(
            '<div class="legend"><span><i class="sw" style="background:#3b6ea5"></i>reported (final)</span>'
            '<span><i class="sw" style="background:#3b6ea5;opacity:.55"></i>preliminary estimate</span>'
            '<span><i class="sw" style="background:#c0504d"></i>decline</span>'
            '<span><i class="sw" style="background:#e08a00;height:3px"></i>target</span>'
            '<span>◆ growth computed from two levels</span></div>'
        )

    # table by year
    years = sorted({r["year"] for r in fy if r["measure"] in ("value", "growth_pct")})
    if years:
        by = defaultdict(dict)
        for r in fy:
            by[r["year"]].setdefault((r["basis"], r["measure"]), []).append(r)
        parts.append(
            "<table class=\"by-year\"><thead><tr><th>year</th><th class=\"num\">level</th>"
            "<th class=\"num\">growth reported</th><th class=\"num\">growth computed</th>"
            "<th class=\"num\">gap (pp)</th><th>targets</th></tr></thead><tbody>"
        )
        for yv in years:
            cells = by[yv]

            def figs(key: tuple[str, str]) -> str:
                return "<br>".join(
                    _a(r["fact_id"], fmt_figure(r["value"], r["unit"], r["measure"], r["comparator"]),
                       f"{r['raw_text']} — {r['document_title'] or ''}")
                    + ("" if r["is_final"] in (True, None) else '<span class="badge">est.</span>')
                    for r in cells.get(key, [])
                ) or "–"

            y_row = yoy_by_year.get(yv)
            computed = (
                _a(y_row["value_fact_id"], f"{_num(y_row['pct_change'])}%",
                   f"({yv} − {y_row['prev_year']}) / {y_row['prev_year']}")
                if y_row and y_row["pct_change"] is not None else "–"
            )
            gap = _num(y_row["growth_gap_pp"]) if y_row and y_row["growth_gap_pp"] is not None else "–"
            targets = [
                r for k, rs in cells.items() if k[0] == "target" for r in rs
            ]
            tcell = "<br>".join(
                _a(r["fact_id"], f"{MEASURE_EN.get(r['measure'], r['measure'])}: "
                   + fmt_figure(r["value"], r["unit"], r["measure"], r["comparator"]), r["raw_text"])
                for r in targets
            ) or "–"
            parts.append(
                f"<tr><td>{yv}</td><td class=\"num\">{figs(('actual', 'value'))}</td>"
                f"<td class=\"num\">{figs(('actual', 'growth_pct'))}</td><td class=\"num\">{computed}</td>"
                f"<td class=\"num\">{escape(gap)}</td><td>{tcell}</td></tr>"
            )
        parts.append("</tbody></table>")

    other = [
        r for r in latest
        if not (r["period"] == "FY" and r["measure"] in ("value", "growth_pct"))
    ]
    if other:
        parts.append("<h3>Other figures <span class=\"muted\">(ranks, shares, part-year periods)</span></h3>")
        parts.append(
            "<table><thead><tr><th>year</th><th>period</th><th>basis</th><th>measure</th>"
            "<th class=\"num\">figure</th><th>qualifier</th></tr></thead><tbody>"
        )
        for r in other:
            parts.append(
                f"<tr><td>{r['year']}</td><td>{escape(r['period'])}</td><td>{escape(r['basis'])}</td>"
                f"<td>{escape(MEASURE_EN.get(r['measure'], r['measure']))}</td>"
                f"<td class=\"num\">{_a(r['fact_id'], fmt_figure(r['value'], r['unit'], r['measure'], r['comparator']), r['raw_text'])}</td>"
                f"<td>{escape(r['qualifier'] or '')}</td></tr>"
            )
        parts.append("</tbody></table>")
    parts.append("</section>")
    return "".join(parts)


def render_region_html(con, region: str, lang: str = "zh") -> str:
    """The HTML page for one region (full official name); ``lang`` en names indicators and document
    types in English (an analyst abroad reads the page without the Chinese names)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    _require_marts(con)
    info = {
        r["code"]: r
        for r in _rows(con, "SELECT code, name_zh, name_en, base_unit, better FROM core.indicators")
    }
    order = _indicator_order()
    latest = _rows(
        con,
        "SELECT * FROM marts.latest_indicators WHERE region = ? "
        "ORDER BY indicator_code, year, period, basis, measure, unit",
        [region],
    )
    yoy = _rows(con, "SELECT * FROM marts.indicator_yoy WHERE region = ? ORDER BY indicator_code, year", [region])
    pva = _rows(
        con,
        "SELECT * FROM marts.plan_vs_actual WHERE region = ? ORDER BY year DESC, indicator_code, measure",
        [region],
    )
    revs = _rows(
        con,
        "SELECT * FROM marts.indicator_revisions WHERE region = ? "
        "ORDER BY indicator_code, year, period, basis, measure, revision_no",
        [region],
    )
    facts = _rows(
        con,
        "SELECT f.fact_id, f.document_id, f.indicator_code, f.indicator_label, f.year, f.period, "
        "f.basis, f.measure, f.value, f.unit, f.comparator, f.raw_text, f.qualifier, f.page, "
        "f.char_start, f.char_end, f.sentence "
        "FROM core.indicator_facts AS f LEFT JOIN core.documents AS d USING (document_id) "
        "WHERE coalesce(f.region, d.region) = ? AND f.indicator_code IS NOT NULL "
        "ORDER BY f.document_id, f.char_start, f.fact_id",
        [region],
    )
    doc_ids = sorted({f["document_id"] for f in facts})
    documents: dict[str, dict[str, Any]] = {}
    texts: dict[str, str] = {}
    if doc_ids:
        marks = ", ".join("?" for _ in doc_ids)
        for d in _rows(
            con,
            "SELECT document_id, title, region_code, doc_type, actual_year, plan_year, published_on "
            f"FROM core.documents WHERE document_id IN ({marks})",
            doc_ids,
        ):
            documents[d["document_id"]] = d
        for d in _rows(
            con, f"SELECT document_id, text FROM core.document_texts WHERE document_id IN ({marks})", doc_ids
        ):
            texts[d["document_id"]] = d["text"]
    region_code = next((r["region_code"] for r in latest if r["region_code"]), None)

    codes = sorted({r["indicator_code"] for r in latest}, key=lambda c: (order.get(c, 999), c))
    latest_by = defaultdict(list)
    for r in latest:
        latest_by[r["indicator_code"]].append(r)
    yoy_by = defaultdict(list)
    for r in yoy:
        yoy_by[r["indicator_code"]].append(r)

    def name(code: str) -> str:
        return indicator_names(info.get(code) or {}, code, lang)[0]

    def zh(text: str) -> str:  # the Chinese subtitles of the sections, on the Chinese page only
        return "" if lang == "en" else f' <span class="muted">{text}</span>'

    n_att = sum(1 for r in pva if r["attained"] is True)
    n_miss = sum(1 for r in pva if r["attained"] is False)
    head = (
        f"<!DOCTYPE html>\n<html lang=\"{'en' if lang == 'en' else 'zh-CN'}\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{escape(region)} · annual-etl report</title><style>{CSS}</style></head><body><main>"
    )
    parts: list[str] = [head]
    parts.append(
        f"<h1>{escape(region)}"
        + (f" <span class=\"muted\">{escape(region_code)}</span>" if region_code else "")
        + "</h1>"
    )
    parts.append(
        "<p class=\"sub\">Headline indicators from the region's annual reports: levels and growth by "
        "year, targets against outcomes, revisions between documents. Every figure links to the "
        "sentence it was read from.</p>"
    )
    parts.append(
        "<div class=\"summary\">"
        f"<div><b>{len(documents)}</b>documents</div>"
        f"<div><b>{len(codes)}</b>indicators</div>"
        f"<div><b>{len(facts)}</b>figures</div>"
        f"<div><b>{n_att}</b>targets attained</div>"
        f"<div><b>{n_miss}</b>targets missed</div>"
        f"<div><b>{len(revs)}</b>revisions</div>"
        "</div>"
    )
    toc = ['<nav class="toc"><b>Contents:</b> <a href="#plan-vs-actual">Plan vs actual</a>',
           '<a href="#revisions">Revisions</a>', '<a href="#sources">Sources</a>']
    toc += [f'<a href="#ind-{escape(c)}">{escape(name(c))}</a>' for c in codes]
    parts.append(" ".join(toc) + "</nav>")

    # plan vs actual
    parts.append('<section id="plan-vs-actual"><h2>Plan vs actual' + zh("目标与完成") + '</h2>')
    if pva:
        parts.append(
            "<p class=\"muted\">A target reads in the indicator's better direction: ≥, >, ≤, < as "
            "written; “about” (左右) and plain targets are met when the outcome is no worse than the "
            "target minus 0.5 points for percentages, or 2 % of the target for levels.</p>"
        )
        parts.append(
            "<table class=\"pva\"><thead><tr><th>indicator</th><th>year</th><th>measure</th>"
            "<th class=\"num\">target</th><th class=\"num\">actual</th><th class=\"num\">needed</th>"
            "<th class=\"num\">gap</th><th>result</th><th>sources</th></tr></thead><tbody>"
        )
        for r in pva:
            cls = "attained" if r["attained"] is True else "missed" if r["attained"] is False else "unknown"
            status = "✓ attained" if r["attained"] is True else "✗ missed" if r["attained"] is False else "?"
            needed = ""
            if r["threshold"] is not None:
                op = {"higher": "≥", "lower": "≤"}.get(r["direction"] or "", "≈")
                if r["target_comparator"] in (">=", ">", "<=", "<"):
                    op = CMP_SYMBOL[r["target_comparator"]]
                needed = op + fmt_figure(r["threshold"], r["unit"], r["measure"])
            gap_s = (
                fmt_figure(r["gap"], r["unit"], r["measure"], like=r["target_value"])
                if r["gap"] is not None else "–"
            )
            if r["gap"] is not None and r["gap"] > 0:
                gap_s = "+" + gap_s
            tdoc, adoc = documents.get(r["target_document_id"]), documents.get(r["actual_document_id"])
            parts.append(
                f'<tr class="{cls}"><td><a href="#ind-{escape(r["indicator_code"])}">{escape(name(r["indicator_code"]))}</a></td>'
                f"<td>{r['year']}</td><td>{escape(MEASURE_EN.get(r['measure'], r['measure']))}</td>"
                f"<td class=\"num\">{_a(r['target_fact_id'], r['target_raw_text'] or fmt_figure(r['target_value'], r['unit'], r['measure'], r['target_comparator']))}</td>"
                f"<td class=\"num\">{_a(r['actual_fact_id'], fmt_figure(r['actual_value'], r['unit'], r['measure'], r['actual_comparator']), r['actual_raw_text'] or '')}"
                + ("" if r["actual_is_final"] else '<span class="badge">est.</span>')
                + f"</td><td class=\"num\">{escape(needed)}</td><td class=\"num\">{escape(gap_s)}</td>"
                f"<td class=\"status\">{status}</td>"
                f"<td class=\"muted\">target: {_doc_link(tdoc, r['target_document_id'], lang)}"
                f"<br>actual: {_doc_link(adoc, r['actual_document_id'], lang)}</td></tr>"
            )
        parts.append("</tbody></table>")
    else:
        parts.append("<p class=\"muted\">No target of this region has a reported outcome yet.</p>")
    parts.append("</section>")

    for code in codes:
        parts.append(_indicator_section(code, info.get(code) or {}, latest_by[code], yoy_by[code], lang))

    # revisions
    parts.append('<section id="revisions"><h2>Revisions' + zh("不同文件的不同数字") + '</h2>')
    if revs:
        parts.append(
            "<table><thead><tr><th>indicator</th><th>year</th><th>basis / measure</th>"
            "<th class=\"num\">earlier</th><th class=\"num\">later</th><th class=\"num\">change</th>"
            "<th>documents</th></tr></thead><tbody>"
        )
        for r in revs:
            ch = fmt_figure(r["change"], r["unit"], r["measure"], like=r["earlier_value"])
            parts.append(
                f"<tr><td>{escape(name(r['indicator_code']))}</td><td>{r['year']} {escape(r['period'])}</td>"
                f"<td>{escape(r['basis'])} / {escape(MEASURE_EN.get(r['measure'], r['measure']))}</td>"
                f"<td class=\"num\">{_a(r['earlier_fact_id'], fmt_figure(r['earlier_value'], r['unit'], r['measure'], r['earlier_comparator']), r['earlier_raw_text'])}</td>"
                f"<td class=\"num\">{_a(r['later_fact_id'], fmt_figure(r['later_value'], r['unit'], r['measure'], r['later_comparator']), r['later_raw_text'])}</td>"
                f"<td class=\"num\">{escape(('+' if (r['change'] or 0) > 0 else '') + ch)}</td>"
                f"<td class=\"muted\">{_doc_link(documents.get(r['earlier_document_id']), r['earlier_document_id'], lang)} → "
                f"{_doc_link(documents.get(r['later_document_id']), r['later_document_id'], lang)}</td></tr>"
            )
        parts.append("</tbody></table>")
    else:
        parts.append("<p class=\"muted\">No figure of this region is stated differently by two documents.</p>")
    parts.append("</section>")

    # sources: every figure with its sentence
    parts.append('<section id="sources"><h2>Sources <span class="muted">every figure and its sentence</span></h2>')
    by_doc = defaultdict(list)
    for f in facts:
        by_doc[f["document_id"]].append(f)

    def doc_sort(did: str):
        d = documents.get(did) or {}
        return (d.get("published_on") is None, d.get("published_on") or "", did)

    for did in sorted(by_doc, key=doc_sort):
        d = documents.get(did) or {"document_id": did}
        meta = [doc_type_label(d.get("doc_type"), lang) if d.get("doc_type") else "",
                d["published_on"].isoformat() if d.get("published_on") else "publication date unknown",
                f"document {did}"]
        parts.append(
            f'<h3 id="doc-{escape(did)}">《{escape(d.get("title") or did)}》</h3>'
            f'<p class="muted">{escape(" · ".join(m for m in meta if m))}</p>'
        )
        for f in by_doc[did]:
            sent = highlight_sentence(f["sentence"], f["raw_text"], f["char_start"], f["char_end"], texts.get(did))
            label = (
                f"{name(f['indicator_code'])} · {f['year'] if f['year'] is not None else '?'} {f['period']} · "
                f"{f['basis']} · {MEASURE_EN.get(f['measure'], f['measure'])} = "
                f"{fmt_figure(f['value'], f['unit'], f['measure'], f['comparator'])}"
            )
            where = f"chars {f['char_start']}–{f['char_end']}" + (f", page {f['page']}" if f.get("page") else "")
            parts.append(
                f'<div class="fact" id="fact-{escape(f["fact_id"])}">'
                f'<div><b>{escape(label)}</b> <span class="muted">“{escape(f["raw_text"])}”'
                + (f" · {escape(f['qualifier'])}" if f["qualifier"] else "")
                + f'</span></div><div class="sent">{sent}</div>'
                f'<div class="muted">《{escape(d.get("title") or did)}》 · {escape(where)}</div></div>'
            )
    parts.append("</section>")
    parts.append(
        "<p class=\"muted\">Generated by annual-etl from marts.latest_indicators, marts.indicator_yoy, "
        "marts.plan_vs_actual, marts.indicator_revisions and core.indicator_facts.</p>"
    )
    parts.append("</main></body></html>\n")
    return "".join(parts)


def _index_html(entries: list[tuple[str, str | None, str]], quality: str | None = None) -> str:
    items = "".join(
        f'<li><a href="{escape(fname)}">{escape(region)}</a>'
        + (f' <span class="muted">{escape(code)}</span>' if code else "")
        + "</li>"
        for region, code, fname in entries
    )
    link = f'<p><a href="{escape(quality)}">Data quality</a> — checks, held-back figures, alerts</p>' if quality else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        f"<title>annual-etl reports</title><style>{CSS}</style></head><body><main>"
        f"<h1>Region reports</h1><ul>{items}</ul>{link}</main></body></html>\n"
    )


def write_region_reports(con, out_dir: Path, region: str | None = None, lang: str = "zh",
                         docs_dir: Path | None = None) -> list[Path]:
    """Write one HTML page per region into ``out_dir``; return the region pages written.

    ``region`` picks regions by full name (北京市大兴区), 6-digit code (110115) or part of the
    name (大兴, see ``find_regions``). ``lang`` en writes ``<code>.en.html`` pages with English
    indicator names beside the Chinese ones. Nothing is
    written and ``[]`` returned when no region matches (or the warehouse has no figures).
    RuntimeError when the marts have not been built. When all regions are written, an ``index.html`` linking them is written
    too, and ``quality.html``, the offline quality page (neither is in the returned list).
    """
    out_dir = Path(out_dir)
    regions = list_regions(con)
    if region is not None:
        regions = find_regions(con, region)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    entries: list[tuple[str, str | None, str]] = []
    used: set[str] = set()
    for name, code in regions:
        fname = region_file_name(name, code)
        if fname in used:  # two names under one code: keep both pages apart
            fname = region_file_name(name, None)
        if lang == "en":  # beside the Chinese pages, not over them
            fname = fname.removesuffix(".html") + ".en.html"
        used.add(fname)
        path = out_dir / fname
        path.write_text(render_region_html(con, name, lang=lang), encoding="utf-8")
        written.append(path)
        entries.append((name, code, fname))
    if region is None:
        from .quality_page import FILE_NAME, render_quality_html

        (out_dir / FILE_NAME).write_text(render_quality_html(con, docs_dir=docs_dir, css=CSS), encoding="utf-8")
        index = "index.en.html" if lang == "en" else "index.html"
        (out_dir / index).write_text(_index_html(entries, FILE_NAME), encoding="utf-8")
    return written
