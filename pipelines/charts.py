"""Bar charts for the region pages, drawn by the reader's browser with Chart.js (vendored).

Python only writes what a chart shows: a ``<canvas>`` and, beside it, the chart's data as JSON in
a ``<script type="application/json">`` (escaped so no figure text can close the script).
``report_assets/region-charts.js`` builds each chart from that JSON with Chart.js: bars coloured by
sign, preliminary estimates lighter, dashed target lines, computed growth as diamonds, value
labels, hover text and links to the figure's sentence. Drawing in the browser costs an ingest
nothing per chart (matplotlib cost ~0.65 s to import and ~70 ms a chart). The two scripts are
copied once into ``assets/`` beside the pages (``copy_assets``) rather than inlined: 200 KB in each
of a thousand pages would be written and read again on every rewrite. Without JavaScript (or with
the page moved away from ``assets/``) the canvas shows its fallback line and the year tables give
every figure.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from html import escape
from pathlib import Path

ASSETS_SOURCE = Path(__file__).resolve().parent / "report_assets"
ASSETS_DIR = "assets"  # beside the pages, referenced relatively
ASSET_FILES = ("chart.umd.min.js", "chart.js-LICENSE.md", "region-charts.js")
SCRIPTS_HTML = (f'<script src="{ASSETS_DIR}/chart.umd.min.js"></script>'
                f'<script src="{ASSETS_DIR}/region-charts.js"></script>')
# The colours are the page's CSS variables (report.CSS); region-charts.js reads the same ones.
LEGEND_HTML = (
    '<div class="legend">'
    '<span><i class="sw" style="background:var(--bar)"></i>reported (final)</span>'
    '<span><i class="sw" style="background:var(--bar);opacity:var(--prelim-alpha)"></i>preliminary estimate</span>'
    '<span><i class="sw" style="background:var(--neg)"></i>decline</span>'
    '<span><i class="sw" style="background:var(--target);height:3px"></i>target</span>'
    "<span>◆ growth computed from two levels</span></div>"
)


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


def x_labels(bars: list[Bar], markers: list[Marker]) -> list[str]:
    """The x labels in order; years run without gaps (a missing year stays visible)."""
    labels = sorted({b.label for b in bars} | {m.label for m in markers})
    if labels and all(label.isdigit() for label in labels) and int(labels[-1]) - int(labels[0]) < 16:
        labels = [str(v) for v in range(int(labels[0]), int(labels[-1]) + 1)]
    return labels


def chart_data(bars: list[Bar], markers: list[Marker], *, title: str, unit_label: str) -> dict:
    """What region-charts.js draws: the x labels, the bars, the target lines and computed points."""
    def point(label: str, value: float, title: str, href: str | None) -> dict:
        return {"x": label, "y": value, "title": title, "href": href}

    return {
        "title": title,
        "unit": unit_label,
        "labels": x_labels(bars, markers),
        "bars": [{**point(b.label, b.value, b.title, b.href), "text": b.text, "preliminary": b.preliminary}
                 for b in bars if b.value is not None],
        "targets": [point(m.label, m.value, m.title, m.href) for m in markers if m.kind == "target"],
        "computed": [point(m.label, m.value, m.title, m.href) for m in markers if m.kind == "computed"],
    }


def script_json(data: object) -> str:
    """JSON safe inside ``<script>``: ``<``, ``>``, ``&`` and the JS line separators as escapes, so
    a figure's text can neither end the script element nor break the parse."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                       ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


def chart_html(bars: list[Bar], markers: list[Marker] | None = None, *, title: str, unit_label: str,
               width: int = 420, height: int = 230) -> str:
    """One chart: a canvas (its fallback, shown without JavaScript, names the chart and its values)
    and its data as JSON for region-charts.js."""
    data = chart_data(bars, markers or [], title=title, unit_label=unit_label)
    values = " · ".join(f"{b['x']}: {b['text']}" for b in data["bars"])
    return (
        f'<div class="chart" style="width:{width}px;height:{height}px"><canvas role="img" aria-label="{escape(title)}">'
        f'<span class="muted">{escape(title)}{" — " + escape(values) if values else ""}</span></canvas>'
        f'<script type="application/json" class="chart-data">{script_json(data)}</script></div>'
    )


def copy_assets(out_dir: Path) -> Path:
    """Put Chart.js, its licence and the page script in ``out_dir/assets`` (a file is rewritten only
    when it differs from the vendored one); the folder."""
    folder = Path(out_dir) / ASSETS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for name in ASSET_FILES:
        source, target = ASSETS_SOURCE / name, folder / name
        data = source.read_bytes()
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            pass
        tmp = target.with_name(f".{name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
    return folder
