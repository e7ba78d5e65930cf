"""One indicator's section of a region page: charts of levels and growth, the table by year, and
the figures neither shows (ranks, shares, part-year periods)."""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Any

from .charts import LEGEND_HTML, Bar, Marker, chart_html
from .report_format import MEASURE_EN, fact_link, fmt_figure, fmt_number, indicator_names, level_scale


def _fact_link_title(r: dict[str, Any], what: str) -> str:
    return f"{r['year']}: {what}{r['raw_text']}" + ("" if r["is_final"] else " (preliminary)")


def _level_charts(name: str, title: str, actual: list[dict], targets: list[dict]) -> list[str]:
    """One chart of full-year levels per unit, targets as dashed lines, in the unit people read."""
    units = sorted({r["unit"] for r in actual + targets})
    charts = []
    for unit in units:
        shown = [r for r in actual if r["unit"] == unit]
        aimed = [r for r in targets if r["unit"] == unit]
        sc = level_scale(unit, [r["value"] for r in shown + aimed])
        bars = [Bar(str(r["year"]), r["value"] / sc.factor, fmt_number(r["value"] / sc.factor), f"#fact-{r['fact_id']}",
                    _fact_link_title(r, ""), preliminary=not r["is_final"]) for r in shown]
        marks = [Marker(str(r["year"]), r["value"] / sc.factor, f"{r['year']} target: {r['raw_text']}", "target",
                        f"#fact-{r['fact_id']}") for r in aimed]
        suffix = f" ({unit})" if len(units) > 1 else ""
        charts.append(chart_html(bars, marks, title=f"{name} · {title}{suffix}", unit_label=sc.label))
    return charts


def _growth_chart(name: str, title: str, actual: list[dict], targets: list[dict], yoy: list[dict]) -> list[str]:
    """Reported growth as bars, growth targets as dashed lines, growth computed from levels as ◆."""
    computed = [r for r in yoy if r["pct_change"] is not None]
    if not (actual or targets or computed):
        return []
    bars = [Bar(str(r["year"]), r["value"], fmt_number(r["value"]), f"#fact-{r['fact_id']}",
                _fact_link_title(r, "reported growth "), preliminary=not r["is_final"]) for r in actual]
    marks = [Marker(str(r["year"]), r["value"], f"{r['year']} growth target: {r['raw_text']}", "target",
                    f"#fact-{r['fact_id']}") for r in targets]
    marks += [Marker(str(r["year"]), r["pct_change"], f"{r['year']}: computed from levels {fmt_number(r['pct_change'])}%",
                     "computed", f"#fact-{r['value_fact_id']}") for r in computed]
    return [chart_html(bars, marks, title=f"{name} · {title}", unit_label="%")]


def _indicator_charts(name: str, fy: list[dict], yoy: list[dict], lang: str) -> str:
    level_title, growth_title = ("level", "growth") if lang == "en" else ("水平 level", "增速 growth")

    def pick(basis: str, measure: str) -> list[dict]:
        return [r for r in fy if r["basis"] == basis and r["measure"] == measure]

    charts = (_level_charts(name, level_title, pick("actual", "value"), pick("target", "value"))
              + _growth_chart(name, growth_title, pick("actual", "growth_pct"), pick("target", "growth_pct"), yoy))
    return '<div class="charts">' + "".join(charts) + "</div>" + LEGEND_HTML if charts else ""


def _figures_cell(rows: list[dict]) -> str:
    """Figures of one year, basis and measure, each linked to its sentence (est. when preliminary)."""
    return "<br>".join(
        fact_link(r["fact_id"], fmt_figure(r["value"], r["unit"], r["measure"], r["comparator"]),
           f"{r['raw_text']} — {r['document_title'] or ''}")
        + ("" if r["is_final"] in (True, None) else '<span class="badge">est.</span>')
        for r in rows
    ) or "–"


def _year_row(year: int, cells: dict[tuple[str, str], list[dict]], y_row: dict | None) -> str:
    computed = (
        fact_link(y_row["value_fact_id"], f"{fmt_number(y_row['pct_change'])}%", f"({year} − {y_row['prev_year']}) / {y_row['prev_year']}")
        if y_row and y_row["pct_change"] is not None else "–"
    )
    gap = fmt_number(y_row["growth_gap_pp"]) if y_row and y_row["growth_gap_pp"] is not None else "–"
    targets = "<br>".join(
        fact_link(r["fact_id"], f"{MEASURE_EN.get(r['measure'], r['measure'])}: "
           + fmt_figure(r["value"], r["unit"], r["measure"], r["comparator"]), r["raw_text"])
        for key, rows in cells.items() if key[0] == "target" for r in rows
    ) or "–"
    return (
        f"<tr><td>{year}</td><td class=\"num\">{_figures_cell(cells.get(('actual', 'value'), []))}</td>"
        f"<td class=\"num\">{_figures_cell(cells.get(('actual', 'growth_pct'), []))}</td><td class=\"num\">{computed}</td>"
        f"<td class=\"num\">{escape(gap)}</td><td>{targets}</td></tr>"
    )


def _by_year_table(fy: list[dict], yoy: list[dict]) -> str:
    """Levels, reported and computed growth, their gap and the targets, one row per year."""
    years = sorted({r["year"] for r in fy if r["measure"] in ("value", "growth_pct")})
    if not years:
        return ""
    by = defaultdict(dict)
    for r in fy:
        by[r["year"]].setdefault((r["basis"], r["measure"]), []).append(r)
    yoy_by_year = {r["year"]: r for r in yoy}
    return (
        "<table class=\"by-year\"><thead><tr><th>year</th><th class=\"num\">level</th>"
        "<th class=\"num\">growth reported</th><th class=\"num\">growth computed</th>"
        "<th class=\"num\">gap (pp)</th><th>targets</th></tr></thead><tbody>"
        + "".join(_year_row(y, by[y], yoy_by_year.get(y)) for y in years)
        + "</tbody></table>"
    )


def _other_figures(latest: list[dict]) -> str:
    """Ranks, shares and part-year figures: what the charts and the year table leave out."""
    other = [r for r in latest if not (r["period"] == "FY" and r["measure"] in ("value", "growth_pct"))]
    if not other:
        return ""
    rows = "".join(
        f"<tr><td>{r['year']}</td><td>{escape(r['period'])}</td><td>{escape(r['basis'])}</td>"
        f"<td>{escape(MEASURE_EN.get(r['measure'], r['measure']))}</td>"
        f"<td class=\"num\">{fact_link(r['fact_id'], fmt_figure(r['value'], r['unit'], r['measure'], r['comparator']), r['raw_text'])}</td>"
        f"<td>{escape(r['qualifier'] or '')}</td></tr>"
        for r in other
    )
    return (
        "<h3>Other figures <span class=\"muted\">(ranks, shares, part-year periods)</span></h3>"
        "<table><thead><tr><th>year</th><th>period</th><th>basis</th><th>measure</th>"
        f"<th class=\"num\">figure</th><th>qualifier</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def indicator_section(
    code: str,
    info: dict[str, Any],
    latest: list[dict[str, Any]],
    yoy: list[dict[str, Any]],
    lang: str = "zh",
) -> str:
    """One indicator: charts, the table by year, and its other figures."""
    first_name, second_name = indicator_names(info, code, lang)
    fy = [r for r in latest if r["period"] == "FY"]
    return (
        f'<section class="indicator" id="ind-{escape(code)}">'
        f"<h2>{escape(first_name)} <span class=\"muted\">{escape(second_name)} · <code>{escape(code)}</code></span></h2>"
        + _indicator_charts(first_name, fy, yoy, lang) + _by_year_table(fy, yoy) + _other_figures(latest)
        + "</section>"
    )
