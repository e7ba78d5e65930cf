"""Bar charts for the region pages, drawn by matplotlib as inline SVG: no script, no font, nothing
fetched, so the page stays one offline file.

Matplotlib lays out the axes, ticks and labels; what it cannot say in SVG is added to its output
afterwards: each bar's and marker's class, value and hover text (``<title>``), and plain ``href``
links (no xlink namespace). Text stays text (``svg.fonttype: none``), so the browser draws the
Chinese labels with the page's fonts. Matplotlib is imported with the first chart (about 0.65 s of
CPU), so commands that draw no chart never pay for it; a chart drawn before for the same figures is
reused from ``chart_cache`` when the caller opened one.
"""

from __future__ import annotations

import hashlib
import io
import logging
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Callable

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
COLORS = {"bar": "#3b6ea5", "neg": "#c0504d", "target": "#e08a00", "computed": "#1d2733",
          "text": "#1d2733", "muted": "#5b6776", "grid": "#e7eaef", "axis": "#8a94a3"}
PRELIMINARY_ALPHA = 0.55
FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "DejaVu Sans"]
LEGEND_HTML = (
    '<div class="legend">'
    f'<span><i class="sw" style="background:{COLORS["bar"]}"></i>reported (final)</span>'
    f'<span><i class="sw" style="background:{COLORS["bar"]};opacity:{PRELIMINARY_ALPHA}"></i>preliminary estimate</span>'
    f'<span><i class="sw" style="background:{COLORS["neg"]}"></i>decline</span>'
    f'<span><i class="sw" style="background:{COLORS["target"]};height:3px"></i>target</span>'
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


def _rc(salt: str) -> dict:
    return {"svg.fonttype": "none", "svg.hashsalt": salt, "font.family": "sans-serif", "font.sans-serif": FONTS,
            "font.size": 11, "text.color": COLORS["text"], "xtick.color": COLORS["muted"],
            "ytick.color": COLORS["muted"], "axes.edgecolor": COLORS["axis"]}


def svg_bar_chart(bars: list[Bar], markers: list[Marker] | None = None, *, title: str, unit_label: str,
                  width: int = 420, height: int = 230, css_class: str = "chart",
                  number: Callable[[float], str] = lambda v: f"{v:g}") -> str:
    """A bar chart as an inline ``<svg>`` (positive and negative bars, dashed target lines,
    diamonds for computed values); ``number`` formats the y ticks. Inside ``chart_cache.reusing``
    a chart drawn before with the same arguments is read back instead of drawn."""
    from .chart_cache import active

    cache = active()
    if cache is None:
        return _draw_chart(bars, markers or [], title, unit_label, width, height, css_class, number)
    key = cache.key(bars, markers or [], title, unit_label, width, height, css_class,
                    f"{number.__module__}.{number.__qualname__}")
    svg = cache.get(key)
    if svg is None:
        svg = _draw_chart(bars, markers or [], title, unit_label, width, height, css_class, number)
        cache.put(key, svg)
    return svg


def _draw_chart(bars: list[Bar], markers: list[Marker], title: str, unit_label: str, width: int, height: int,
                css_class: str, number: Callable[[float], str]) -> str:
    """Draw the chart with matplotlib (imported here, with the first chart drawn)."""
    import matplotlib
    from matplotlib.figure import Figure

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # a CJK font with one weight
    labels = x_labels(bars, markers)
    where = {label: i for i, label in enumerate(labels)}
    extras: dict[str, dict[str, str]] = {}  # element id -> attributes and hover text added to the SVG
    salt = hashlib.sha256(title.encode("utf-8")).hexdigest()[:12]  # ids unique per chart on one page
    with matplotlib.rc_context(_rc(salt)), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing")  # drawn by the browser, not here
        fig = Figure(figsize=(width / 72, height / 72), dpi=72)  # 1 pt = 1 px
        ax = fig.add_axes((56 / width, 28 / height, (width - 66) / width, (height - 58) / height))
        for i, bar in enumerate(b for b in bars if b.value is not None):
            _draw_bar(ax, f"{salt}-bar{i}", where[bar.label], bar, extras)
        for i, marker in enumerate(markers):
            _draw_marker(ax, f"{salt}-mark{i}", where[marker.label], marker, extras)
        _style_axes(ax, labels, title, unit_label, number)
        out = io.StringIO()
        fig.savefig(out, format="svg", transparent=True, metadata={"Date": None, "Creator": None})
    return _as_inline_svg(out.getvalue(), extras, title=title, css_class=css_class, width=width, height=height)


def _draw_bar(ax, gid: str, x: int, bar: Bar, extras: dict) -> None:
    negative = bar.value < 0
    (patch,) = ax.bar([x], [bar.value], width=0.6, color=COLORS["neg" if negative else "bar"],
                      alpha=PRELIMINARY_ALPHA if bar.preliminary else None)
    label = ax.annotate(bar.text, (x, bar.value), xytext=(0, -12 if negative else 4), textcoords="offset points",
                        ha="center", va="baseline", fontsize=11)
    for artist in (patch, label):
        artist.set_url(bar.href)
    patch.set_gid(gid)
    extras[gid] = {"class": "bar neg" if negative else "bar", "data-value": bar.text, "title": bar.title}
    if bar.preliminary:
        extras[gid]["class"] += " prelim"


def _draw_marker(ax, gid: str, x: int, marker: Marker, extras: dict) -> None:
    if marker.kind == "target":
        (artist,) = ax.plot([x - 0.42, x + 0.42], [marker.value] * 2, color=COLORS["target"], linewidth=2.5,
                            linestyle=(0, (5, 3)), zorder=3)
    else:
        (artist,) = ax.plot([x], [marker.value], marker="D", markersize=6.5, linestyle="none",
                            color=COLORS["computed"], zorder=4)
    artist.set_url(marker.href)
    artist.set_gid(gid)
    extras[gid] = {"class": marker.kind, "title": marker.title}


def _style_axes(ax, labels: list[str], title: str, unit_label: str, number: Callable[[float], str]) -> None:
    """Years below, a few round ticks at the left, room for the value labels, title and unit above."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.set_xlim(-0.5, max(len(labels), 1) - 0.5)
    ax.set_xticks(range(len(labels)), labels)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number(v)))
    low, high = ax.get_ylim()
    low, high = min(low, 0.0), max(high, 0.0)
    room = (high - low) * 0.12 or 1.0  # for the value labels above and below the bars
    ax.set_ylim(low - room if low < 0 else 0.0, high + room if high > 0 else high)
    ax.grid(axis="y", color=COLORS["grid"], linewidth=1)
    ax.set_axisbelow(True)
    ax.axhline(0.0, color=COLORS["axis"], linewidth=1)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0, labelsize=11)
    # placed, not laid out: matplotlib's title placement measures every tick label (a third of the time)
    fig = ax.get_figure()
    width, height = fig.bbox.width, fig.bbox.height
    fig.text(56 / width, 1 - 14 / height, title, fontsize=13, fontweight="bold", va="baseline")
    fig.text(50 / width, 1 - 22 / height, unit_label, ha="right", va="baseline", color=COLORS["muted"])


def _as_inline_svg(svg: str, extras: dict[str, dict[str, str]], *, title: str, css_class: str,
                   width: int, height: int) -> str:
    """Matplotlib's SVG file as an element of an HTML page: no XML prologue, metadata or clip paths,
    sizes in pixels, the chart's title and each mark's hover text as ``<title>``, plain ``href`` links."""
    ET.register_namespace("", SVG_NS)
    root = ET.fromstring(svg)
    for parent in list(root.iter()):  # the axes hold every mark (see _style_axes): no clipping needed
        parent.attrib.pop("clip-path", None)
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}metadata", f"{{{SVG_NS}}}clipPath"):
                parent.remove(child)
    root.attrib.update({"class": css_class, "role": "img", "aria-label": title,
                        "width": str(width), "height": str(height)})
    root.insert(0, _title(title))
    for element in root.iter():
        if XLINK_HREF in element.attrib:  # an in-page link: no xlink, no new window
            element.set("href", element.attrib.pop(XLINK_HREF))
            element.attrib.pop("target", None)
        more = extras.get(element.get("id", ""))
        if element.tag == f"{{{SVG_NS}}}g":  # figure_1, axes_1 … would repeat in every chart of the page
            element.attrib.pop("id", None)
        if more:
            element.attrib.update({k: v for k, v in more.items() if k != "title"})
            if more["title"]:
                element.insert(0, _title(more["title"]))
    return ET.tostring(root, encoding="unicode")


def _title(text: str) -> ET.Element:
    element = ET.Element(f"{{{SVG_NS}}}title")
    element.text = text
    return element

