"""Offline HTML reports, one page per region, built from the marts.

``write_region_reports(con, out_dir, region=None)`` writes ``<region_code>.html`` (or a slug when
the code is unknown) for every region in ``marts.latest_indicators`` -- or only the one named by
``region`` (full name or 6-digit code) -- plus an ``index.html`` linking them, and returns the
region pages it wrote (``report_pages.update_region_reports`` writes them, and lets an ingest skip
the pages whose rows did not change).

Each page shows, per indicator, the full-year levels and growth rates by year as bar charts
(drawn in the browser by the vendored Chart.js from JSON in the page, ``charts.py``; the scripts
sit in ``assets/`` beside the pages; no web fonts, nothing fetched), a table of the same figures, the plan-vs-actual comparison with attained and missed targets marked, the
revisions, and at the end every figure with its sentence (the figure highlighted), document title
and character offsets. Every number on the page links to that sentence. All text is escaped.

Pure functions on a DuckDB connection; values are bound as parameters. ``read_region`` reads what
one page shows; each section of the page is one function of it.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, Iterable

from .charts import SCRIPTS_HTML
from .report_format import (CMP_SYMBOL, MEASURE_EN, doc_link, doc_type_label, fact_link, fmt_figure,
                            highlight_sentence, indicator_names)
from .report_indicator import indicator_section
from .settings import DATA_DIR

INDICATORS_CSV = DATA_DIR / "indicators.csv"
LANGS = ("zh", "en")


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


# --- page ---------------------------------------------------------------------------------------

CSS = """
:root { --fg:#1d2733; --muted:#5b6776; --line:#d9dee5;
        --target:#e08a00; --ok:#1e7d3a; --miss:#b3261e; --mark:#fff1a8;
        --bar:#3b6ea5; --neg:#c0504d; --computed:#1d2733; --grid:#e7eaef; --axis:#8a94a3; --prelim-alpha:.55; }
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
.chart { position: relative; background: #fbfcfd; border: 1px solid var(--line); border-radius: 4px;
         padding: 4px; overflow: hidden; }
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


@dataclass
class RegionPage:
    """Everything one region's page shows, read once from the marts and core."""

    region: str
    lang: str
    info: dict[str, dict[str, Any]]  # indicator code -> core.indicators row
    codes: list[str]  # the region's indicators in indicators.csv order
    latest_by: dict[str, list[dict[str, Any]]]
    yoy_by: dict[str, list[dict[str, Any]]]
    pva: list[dict[str, Any]]
    revs: list[dict[str, Any]]
    facts: list[dict[str, Any]]
    documents: dict[str, dict[str, Any]]
    texts: dict[str, str]
    region_code: str | None

    def name(self, code: str) -> str:
        return indicator_names(self.info.get(code) or {}, code, self.lang)[0]

    def zh(self, text: str) -> str:
        """A section's Chinese subtitle, on the Chinese page only."""
        return "" if self.lang == "en" else f' <span class="muted">{text}</span>'

    def doc_link(self, document_id: str | None) -> str:
        return doc_link(self.documents.get(document_id), document_id, self.lang)


def _documents(con, doc_ids: list[str]) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """The documents behind the figures and their texts (for highlighting), by document id."""
    if not doc_ids:
        return {}, {}
    marks = ", ".join("?" for _ in doc_ids)
    documents = {d["document_id"]: d for d in _rows(
        con, "SELECT document_id, title, region_code, doc_type, actual_year, plan_year, published_on "
             f"FROM core.documents WHERE document_id IN ({marks})", doc_ids)}
    texts = {d["document_id"]: d["text"] for d in _rows(
        con, f"SELECT document_id, text FROM core.document_texts WHERE document_id IN ({marks})", doc_ids)}
    return documents, texts


def _grouped(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out = defaultdict(list)
    for r in rows:
        out[r["indicator_code"]].append(r)
    return out


def read_region(con, region: str, lang: str = "zh") -> RegionPage:
    """Read one region's marts rows, figures and documents (values bound, never pasted)."""
    _require_marts(con)
    info = {r["code"]: r for r in _rows(con, "SELECT code, name_zh, name_en, base_unit, better FROM core.indicators")}
    latest = _rows(con, "SELECT * FROM marts.latest_indicators WHERE region = ? "
                        "ORDER BY indicator_code, year, period, basis, measure, unit", [region])
    yoy = _rows(con, "SELECT * FROM marts.indicator_yoy WHERE region = ? ORDER BY indicator_code, year", [region])
    pva = _rows(con, "SELECT * FROM marts.plan_vs_actual WHERE region = ? "
                     "ORDER BY year DESC, indicator_code, measure", [region])
    revs = _rows(con, "SELECT * FROM marts.indicator_revisions WHERE region = ? "
                      "ORDER BY indicator_code, year, period, basis, measure, revision_no", [region])
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
    documents, texts = _documents(con, sorted({f["document_id"] for f in facts}))
    order = _indicator_order()
    codes = sorted({r["indicator_code"] for r in latest}, key=lambda c: (order.get(c, 999), c))
    region_code = next((r["region_code"] for r in latest if r["region_code"]), None)
    return RegionPage(region, lang, info, codes, _grouped(latest), _grouped(yoy), pva, revs, facts, documents, texts,
                      region_code)


def _head(page: RegionPage) -> str:
    """Document head, title, the page's lead, the summary counts and the contents."""
    n_att = sum(1 for r in page.pva if r["attained"] is True)
    n_miss = sum(1 for r in page.pva if r["attained"] is False)
    counts = ((len(page.documents), "documents"), (len(page.codes), "indicators"), (len(page.facts), "figures"),
              (n_att, "targets attained"), (n_miss, "targets missed"), (len(page.revs), "revisions"))
    toc = ['<nav class="toc"><b>Contents:</b> <a href="#plan-vs-actual">Plan vs actual</a>',
           '<a href="#revisions">Revisions</a>', '<a href="#sources">Sources</a>']
    toc += [f'<a href="#ind-{escape(c)}">{escape(page.name(c))}</a>' for c in page.codes]
    return (
        f"<!DOCTYPE html>\n<html lang=\"{'en' if page.lang == 'en' else 'zh-CN'}\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{escape(page.region)} · annual-etl report</title><style>{CSS}</style></head><body><main>"
        f"<h1>{escape(page.region)}"
        + (f" <span class=\"muted\">{escape(page.region_code)}</span>" if page.region_code else "")
        + "</h1>"
        "<p class=\"sub\">Headline indicators from the region's annual reports: levels and growth by "
        "year, targets against outcomes, revisions between documents. Every figure links to the "
        "sentence it was read from.</p>"
        "<div class=\"summary\">" + "".join(f"<div><b>{n}</b>{what}</div>" for n, what in counts) + "</div>"
        + " ".join(toc) + "</nav>"
    )


def _pva_row(page: RegionPage, r: dict[str, Any]) -> str:
    cls = "attained" if r["attained"] is True else "missed" if r["attained"] is False else "unknown"
    status = "✓ attained" if r["attained"] is True else "✗ missed" if r["attained"] is False else "?"
    needed = ""
    if r["threshold"] is not None:
        op = {"higher": "≥", "lower": "≤"}.get(r["direction"] or "", "≈")
        if r["target_comparator"] in (">=", ">", "<=", "<"):
            op = CMP_SYMBOL[r["target_comparator"]]
        needed = op + fmt_figure(r["threshold"], r["unit"], r["measure"])
    gap = fmt_figure(r["gap"], r["unit"], r["measure"], like=r["target_value"]) if r["gap"] is not None else "–"
    if r["gap"] is not None and r["gap"] > 0:
        gap = "+" + gap
    target = r["target_raw_text"] or fmt_figure(r["target_value"], r["unit"], r["measure"], r["target_comparator"])
    actual = fmt_figure(r["actual_value"], r["unit"], r["measure"], r["actual_comparator"])
    estimate = "" if r["actual_is_final"] else '<span class="badge">est.</span>'
    code = r["indicator_code"]
    return _tr(
        f'<a href="#ind-{escape(code)}">{escape(page.name(code))}</a>', r["year"],
        escape(MEASURE_EN.get(r["measure"], r["measure"])),
        ("num", fact_link(r["target_fact_id"], target)),
        ("num", fact_link(r["actual_fact_id"], actual, r["actual_raw_text"] or "") + estimate),
        ("num", escape(needed)), ("num", escape(gap)), ("status", status),
        ("muted", f"target: {page.doc_link(r['target_document_id'])}<br>actual: {page.doc_link(r['actual_document_id'])}"),
        cls=cls)


def _tr(*cells: object, cls: str = "") -> str:
    """A table row; a cell is its HTML, or (class, HTML)."""
    tds = "".join(f'<td class="{c[0]}">{c[1]}</td>' if isinstance(c, tuple) else f"<td>{c}</td>" for c in cells)
    return f'<tr class="{cls}">{tds}</tr>' if cls else f"<tr>{tds}</tr>"


def _table_section(anchor: str, heading: str, rows: list[str], empty: str, table_open: str) -> str:
    """A section of the page: its heading, then the table of its rows, or a line saying there are none."""
    body = table_open + "".join(rows) + "</tbody></table>" if rows else f'<p class="muted">{empty}</p>'
    return f'<section id="{anchor}"><h2>{heading}</h2>{body}</section>'


def _plan_vs_actual(page: RegionPage) -> str:
    return _table_section(
        "plan-vs-actual", "Plan vs actual" + page.zh("目标与完成"), [_pva_row(page, r) for r in page.pva],
        "No target of this region has a reported outcome yet.",
        "<p class=\"muted\">A target reads in the indicator's better direction: ≥, >, ≤, < as "
        "written; “about” (左右) and plain targets are met when the outcome is no worse than the "
        "target minus 0.5 points for percentages, or 2 % of the target for levels.</p>"
        "<table class=\"pva\"><thead><tr><th>indicator</th><th>year</th><th>measure</th>"
        "<th class=\"num\">target</th><th class=\"num\">actual</th><th class=\"num\">needed</th>"
        "<th class=\"num\">gap</th><th>result</th><th>sources</th></tr></thead><tbody>")


def _revision_row(page: RegionPage, r: dict[str, Any]) -> str:
    change = fmt_figure(r["change"], r["unit"], r["measure"], like=r["earlier_value"])
    earlier = fmt_figure(r["earlier_value"], r["unit"], r["measure"], r["earlier_comparator"])
    later = fmt_figure(r["later_value"], r["unit"], r["measure"], r["later_comparator"])
    return _tr(
        escape(page.name(r["indicator_code"])), f"{r['year']} {escape(r['period'])}",
        f"{escape(r['basis'])} / {escape(MEASURE_EN.get(r['measure'], r['measure']))}",
        ("num", fact_link(r["earlier_fact_id"], earlier, r["earlier_raw_text"])),
        ("num", fact_link(r["later_fact_id"], later, r["later_raw_text"])),
        ("num", escape(("+" if (r["change"] or 0) > 0 else "") + change)),
        ("muted", f"{page.doc_link(r['earlier_document_id'])} → {page.doc_link(r['later_document_id'])}"))


def _revisions(page: RegionPage) -> str:
    return _table_section(
        "revisions", "Revisions" + page.zh("不同文件的不同数字"), [_revision_row(page, r) for r in page.revs],
        "No figure of this region is stated differently by two documents.",
        "<table><thead><tr><th>indicator</th><th>year</th><th>basis / measure</th>"
        "<th class=\"num\">earlier</th><th class=\"num\">later</th><th class=\"num\">change</th>"
        "<th>documents</th></tr></thead><tbody>")


def _fact_block(page: RegionPage, f: dict[str, Any], title: str) -> str:
    """One figure with its sentence (the figure marked), what it was read as, and where it stands."""
    did = f["document_id"]
    sent = highlight_sentence(f["sentence"], f["raw_text"], f["char_start"], f["char_end"], page.texts.get(did))
    label = (
        f"{page.name(f['indicator_code'])} · {f['year'] if f['year'] is not None else '?'} {f['period']} · "
        f"{f['basis']} · {MEASURE_EN.get(f['measure'], f['measure'])} = "
        f"{fmt_figure(f['value'], f['unit'], f['measure'], f['comparator'])}"
    )
    where = f"chars {f['char_start']}–{f['char_end']}" + (f", page {f['page']}" if f.get("page") else "")
    return (
        f'<div class="fact" id="fact-{escape(f["fact_id"])}">'
        f'<div><b>{escape(label)}</b> <span class="muted">“{escape(f["raw_text"])}”'
        + (f" · {escape(f['qualifier'])}" if f["qualifier"] else "")
        + f'</span></div><div class="sent">{sent}</div>'
        f'<div class="muted">《{escape(title)}》 · {escape(where)}</div></div>'
    )


def _sources(page: RegionPage) -> str:
    """Every figure with its sentence, by document in publication order."""
    by_doc = defaultdict(list)
    for f in page.facts:
        by_doc[f["document_id"]].append(f)

    def published(did: str):
        d = page.documents.get(did) or {}
        return (d.get("published_on") is None, d.get("published_on") or "", did)

    parts = ['<section id="sources"><h2>Sources <span class="muted">every figure and its sentence</span></h2>']
    for did in sorted(by_doc, key=published):
        d = page.documents.get(did) or {"document_id": did}
        title = d.get("title") or did
        meta = [doc_type_label(d.get("doc_type"), page.lang) if d.get("doc_type") else "",
                d["published_on"].isoformat() if d.get("published_on") else "publication date unknown",
                f"document {did}"]
        parts.append(f'<h3 id="doc-{escape(did)}">《{escape(title)}》</h3>'
                     f'<p class="muted">{escape(" · ".join(m for m in meta if m))}</p>')
        parts.extend(_fact_block(page, f, title) for f in by_doc[did])
    return "".join(parts) + "</section>"


def render_region_html(con, region: str, lang: str = "zh") -> str:
    """The HTML page for one region (full official name); ``lang`` en names indicators and document
    types in English (an analyst abroad reads the page without the Chinese names)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    page = read_region(con, region, lang)
    sections = [indicator_section(c, page.info.get(c) or {}, page.latest_by[c], page.yoy_by[c], lang)
                for c in page.codes]
    return (
        _head(page) + _plan_vs_actual(page) + "".join(sections) + _revisions(page) + _sources(page)
        + "<p class=\"muted\">Generated by annual-etl from marts.latest_indicators, marts.indicator_yoy, "
        "marts.plan_vs_actual, marts.indicator_revisions and core.indicator_facts.</p>"
        "</main>" + SCRIPTS_HTML + "</body></html>\n"
    )


def index_html(entries: list[tuple[str, str | None, str]], quality: str | None = None) -> str:
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
    too, and ``quality.html``, the offline quality page (neither is in the returned list); the
    pages of regions no longer in the warehouse are removed.
    """
    from .report_pages import update_region_reports

    return update_region_reports(con, out_dir, region, lang, docs_dir).written
