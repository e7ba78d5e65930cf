"""The quality page: what the checks found, readable offline, beside the region reports.

Great Expectations' Data Docs load their scripts and styles from CDNs and show a blank page
without a network. This page carries the same findings in one self-contained HTML file (inline
CSS, no script, no external reference): the expectations of the last check run per table
(``summary.json`` written with the Data Docs), the figures held back in ``quality.quarantine``
with their sentences, and the latest alerts with where each was delivered.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

MAX_ALERTS = 200
MAX_QUARANTINE = 500
FILE_NAME = "quality.html"


def _tables(con) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE schema_name = 'quality'").fetchall()}


def _rows(con, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def load_summary(docs_dir: Path | None) -> dict[str, Any] | None:
    """The last check run's summary.json (None when no check ran in this home yet)."""
    if docs_dir is None:
        from .settings import data_docs_dir

        docs_dir = data_docs_dir()
    path = Path(docs_dir) / "summary.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _expectations_section(summary: dict[str, Any] | None) -> list[str]:
    parts = ['<section id="expectations"><h2>Expectations <span class="muted">Great Expectations, last run</span></h2>']
    if summary is None:
        parts.append('<p class="muted">No check has run in this home yet (run <code>annual-etl ingest</code>).</p>')
        return parts + ["</section>"]
    parts.append(
        '<div class="summary">'
        f'<div><b>{int(summary.get("passed", 0))}</b>passed</div>'
        f'<div><b>{int(summary.get("failed_error", 0))}</b>failed (error)</div>'
        f'<div><b>{int(summary.get("failed_warn", 0))}</b>failed (warn)</div></div>'
        f'<p class="muted">Checked {escape(str(summary.get("built_at", "?")))}. The full Great Expectations '
        f'Data Docs (need a network for their styles): <code>{escape(str(summary.get("index", "")))}</code></p>')
    parts.append('<table><thead><tr><th>table</th><th class="num">rows</th><th class="num">passed</th>'
                 '<th>failed expectations</th></tr></thead><tbody>')
    for table, info in sorted((summary.get("tables") or {}).items()):
        failed = info.get("failed") or []
        cells = []
        if info.get("error"):
            cells.append(f'<span class="status bad">unreadable</span> {escape(str(info["error"]))}')
        for outcome in failed:
            severity = outcome.get("severity") or "error"
            sample = ", ".join(str(s) for s in (outcome.get("sample") or [])[:5])
            cells.append(
                f'<span class="status {"bad" if severity == "error" else "warn"}">{escape(severity)}</span> '
                f'<b>{escape(str(outcome.get("name") or outcome.get("type")))}</b>'
                + (f' — {escape(str(outcome.get("unexpected_count")))} rows' if outcome.get("unexpected_count") else "")
                + (f' <span class="muted">{escape(str(outcome.get("why") or ""))}</span>' if outcome.get("why") else "")
                + (f'<br><span class="muted">e.g. {escape(sample)}</span>' if sample else ""))
        found = "<br>".join(cells) or '<span class="status ok">all passed</span>'
        parts.append(
            f'<tr class="{"missed" if failed or info.get("error") else ""}"><td><code>{escape(table)}</code></td>'
            f'<td class="num">{int(info.get("rows") or 0)}</td><td class="num">{int(info.get("passed") or 0)}</td>'
            f"<td>{found}</td></tr>")
    parts.append("</tbody></table></section>")
    return parts


def _quarantine_section(con, tables: set[str]) -> list[str]:
    parts = ['<section id="quarantine"><h2>Held back <span class="muted">quality.quarantine</span></h2>']
    if "quality.quarantine" not in tables:
        return parts + ['<p class="muted">No quarantine table in this warehouse.</p></section>']
    rows = _rows(con, """
        SELECT q.document_id, q.raw_text, q.sentence, q.check_name, q.reason, q.severity, q.detected_at,
               d.title, d.region
        FROM quality.quarantine AS q LEFT JOIN core.documents AS d USING (document_id)
        ORDER BY q.detected_at DESC, q.document_id, q.char_start NULLS LAST
        LIMIT ?""", [MAX_QUARANTINE])
    if not rows:
        return parts + ['<p class="muted">Nothing is held back: every figure read passed the screening rules.</p>'
                        "</section>"]
    parts.append('<table><thead><tr><th>figure</th><th>check</th><th>why</th><th>sentence</th>'
                 "<th>document</th></tr></thead><tbody>")
    for r in rows:
        sentence, raw = r["sentence"] or "", r["raw_text"] or ""
        shown = escape(sentence)
        if raw and raw in sentence:
            i = sentence.index(raw)
            shown = escape(sentence[:i]) + "<mark>" + escape(raw) + "</mark>" + escape(sentence[i + len(raw):])
        parts.append(
            f'<tr><td class="num">{escape(raw)}</td><td><span class="status {"bad" if r["severity"] == "error" else "warn"}">'
            f'{escape(r["severity"])}</span> {escape(r["check_name"])}</td><td>{escape(r["reason"])}</td>'
            f"<td>{shown}</td><td class=\"muted\">{escape(r['title'] or r['document_id'])}"
            + (f"<br>{escape(r['region'])}" if r["region"] else "") + "</td></tr>")
    return parts + ["</tbody></table></section>"]


def _alerts_section(con, tables: set[str]) -> list[str]:
    parts = ['<section id="alerts"><h2>Alerts <span class="muted">quality.alerts, newest first</span></h2>']
    if "quality.alerts" not in tables:
        return parts + ['<p class="muted">No alerts table in this warehouse.</p></section>']
    rows = _rows(con, "SELECT created_at, severity, check_name, message, delivered_to FROM quality.alerts"
                      " ORDER BY created_at DESC, alert_id LIMIT ?", [MAX_ALERTS])
    if not rows:
        return parts + ['<p class="muted">No alert has been raised.</p></section>']
    parts.append('<table><thead><tr><th>when (UTC)</th><th>check</th><th>message</th><th>delivered to</th>'
                 "</tr></thead><tbody>")
    for r in rows:
        parts.append(
            f'<tr><td class="num">{escape(r["created_at"].isoformat(sep=" ", timespec="seconds"))}</td>'
            f'<td><span class="status {"bad" if r["severity"] == "error" else "warn"}">{escape(r["severity"])}</span> '
            f'{escape(r["check_name"])}</td><td>{escape(r["message"])}</td>'
            f'<td class="muted">{escape(r["delivered_to"] or "")}</td></tr>')
    return parts + ["</tbody></table></section>"]


def render_quality_html(con, *, docs_dir: Path | None = None, css: str = "") -> str:
    """The whole page; ``con`` may be read-only (it only reads quality.* and core.documents)."""
    tables = _tables(con)
    parts = ['<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
             '<meta name="viewport" content="width=device-width, initial-scale=1">'
             f"<title>Data quality · annual-etl</title><style>{css}{QUALITY_CSS}</style></head><body><main>",
             "<h1>Data quality</h1>",
             '<p class="sub">What the checks found in this warehouse: the expectations of the last run, '
             "the figures held back from the marts, and the alerts raised. This page needs no network.</p>",
             '<nav class="toc"><a href="index.html">Region reports</a> <a href="#expectations">Expectations</a> '
             '<a href="#quarantine">Held back</a> <a href="#alerts">Alerts</a></nav>']
    parts += _expectations_section(load_summary(docs_dir))
    parts += _quarantine_section(con, tables)
    parts += _alerts_section(con, tables)
    parts.append("</main></body></html>\n")
    return "".join(parts)


QUALITY_CSS = """
.status.ok { color: var(--ok); } .status.bad { color: var(--miss); } .status.warn { color: var(--target); }
mark { background: var(--mark); }
"""
