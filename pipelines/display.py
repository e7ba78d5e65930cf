"""Query results for people: money in 亿元/万元 with the unit said, tables that fit the terminal.

The warehouse keeps every amount in base units (yuan) with a ``unit`` code next to it; that is
right for machines (CSV, JSON, export) and unreadable in a terminal (11040000000.0). ``humanize``
rescales the amount columns of each row whose unit is money and puts the shown unit in the
``unit`` cell, and ``render_table`` lays the rows out within the terminal's width, measuring CJK
characters as two cells.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

# Columns that hold an amount in the row's unit (marts and the example queries use these names).
AMOUNT_NAMES = frozenset({"value", "abs_change", "gap", "tolerance", "threshold", "change"})
UNIT_COLUMNS = ("unit", "base_unit")
# money unit code -> (label for 1e8, label for 1e4, label for 1)
MONEY = {"CNY": ("亿元", "万元", "元"), "USD": ("亿美元", "万美元", "美元")}
UNIT_LABELS = {
    "CNY/person": "元/人", "percent": "%", "permille": "‰", "pp": "百分点", "person": "人", "person_time": "人次",
    "count": "个", "rank": "位次", "ug/m3": "μg/m³", "t": "吨", "kg": "千克", "km": "公里", "m2": "平方米",
    "m3": "立方米", "kW": "千瓦", "kWh": "千瓦时", "flight": "架次", "unit": "个",
}
ELLIPSIS = "…"
MIN_COLUMN = 4  # narrower than this a column says nothing; lay rows out as records instead
MAX_COLUMN = 48


def is_amount_column(name: str) -> bool:
    return name in AMOUNT_NAMES or name.endswith("_value")


def money_scale(values: Sequence[float]) -> tuple[float, int]:
    """(divisor, index into the MONEY labels) for amounts: 亿 from 1e8 up, 万 from 1e4, else as is."""
    largest = max((abs(v) for v in values), default=0.0)
    if largest >= 1e8:
        return 1e8, 0
    if largest >= 1e4:
        return 1e4, 1
    return 1.0, 2


def format_number(value: float | int | Decimal, max_decimals: int = 2) -> str:
    """1234567.891 -> '1234567.89', 110.0 -> '110' (no thousands separators: copy-paste safe)."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        return str(value)
    text = f"{value:.{max_decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def humanize(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> tuple[list[list[str]], list[str]]:
    """Rows as strings for a person, and notes saying what was rescaled.

    Only rows with a money unit in a ``unit``/``base_unit`` column are rescaled, and only their
    amount columns; the unit cell then names the unit shown (亿元, 万元, 元).
    """
    unit_index = next((columns.index(c) for c in UNIT_COLUMNS if c in columns), None)
    amount_indexes = [i for i, c in enumerate(columns) if is_amount_column(c)]
    rescaled = False
    out: list[list[str]] = []
    for row in rows:
        cells = [cell_text(v) for v in row]
        unit = row[unit_index] if unit_index is not None else None
        if unit in MONEY:
            amounts = [float(row[i]) for i in amount_indexes if isinstance(row[i], (int, float, Decimal))
                       and not isinstance(row[i], bool)]
            divisor, label = money_scale(amounts)
            for i in amount_indexes:
                if isinstance(row[i], (int, float, Decimal)) and not isinstance(row[i], bool):
                    cells[i] = format_number(float(row[i]) / divisor)
            cells[unit_index] = MONEY[unit][label]
            rescaled = rescaled or divisor != 1.0
        elif unit_index is not None and isinstance(unit, str):
            cells[unit_index] = UNIT_LABELS.get(unit, unit)
        out.append(cells)
    notes = []
    if rescaled:
        notes.append("amounts shown in the unit of their row (亿元 = 1e8 yuan, 万元 = 1e4 yuan); "
                     "--format csv or json gives base units")
    return out, notes


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format_number(value, 4)
    if isinstance(value, (datetime, date)):
        return value.isoformat(sep=" ", timespec="seconds") if isinstance(value, datetime) else value.isoformat()
    text = str(value)
    return " ".join(text.split()) if ("\n" in text or "\t" in text or "\r" in text) else text


def text_width(text: str) -> int:
    """Terminal cells: wide and full-width characters (CJK) take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def truncate(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, ending in … when cut."""
    if text_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = text_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + ELLIPSIS


def pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - text_width(text))
    return gap + text if right else text + gap


def header_parts(name: str) -> list[str]:
    """A column name split where it may wrap (after each ``_``): target_value -> target_, value."""
    parts = [p + "_" for p in name.split("_")]
    parts[-1] = parts[-1][:-1]
    return [p for p in parts if p] or [name]


def wrap_header(name: str, width: int, max_lines: int = 3) -> list[str]:
    """The header in lines of at most ``width`` cells, broken after underscores where possible."""
    lines: list[str] = []
    for part in header_parts(name):
        if lines and text_width(lines[-1] + part) <= width:
            lines[-1] += part
        else:
            lines.append(part)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + ["".join(lines[max_lines - 1:])]
    return [truncate(line, width) for line in lines]


def fit_widths(natural: list[int], floor: list[int], total: int, sep: int = 2) -> list[int] | None:
    """Column widths that fit ``total`` cells: the widest columns give way first, none below its floor.

    None when even the floors do not fit (then print records).
    """
    widths = [min(w, MAX_COLUMN) for w in natural]
    floor = [min(f, w) for f, w in zip(floor, widths)]
    budget = total - sep * (len(widths) - 1)
    if sum(floor) > budget:
        return None
    while sum(widths) > budget:
        shrinkable = [i for i in range(len(widths)) if widths[i] > floor[i]]
        if not shrinkable:
            return None
        widths[max(shrinkable, key=lambda i: widths[i])] -= 1
    return widths


def render_table(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int,
                 numeric: Sequence[bool] | None = None) -> str:
    """An aligned table no wider than ``width``; long cells end in …; records when too many columns.

    Headers wrap after underscores (target_ / value) before any value is cut; a column keeps at
    least 8 cells (or all of its header part and values when narrower).
    """
    if not rows:
        return "(no rows)"
    numeric = list(numeric or [False] * len(columns))
    cells = [max(text_width(r[i]) for r in rows) for i in range(len(columns))]
    parts = [max(text_width(p) for p in header_parts(c)) for c in columns]
    natural = [max(text_width(c), w) for c, w in zip(columns, cells)]
    floor = [max(MIN_COLUMN, min(p, 8), min(w, 8)) for p, w in zip(parts, cells)]
    # first narrow the columns whose header is wider than their values (the header wraps or is
    # cut), then cut the widest values
    lossless = [max(f, w) for f, w in zip(floor, cells)]
    widths = fit_widths(natural, lossless, width)
    if widths is None:
        widths = fit_widths([min(n, MAX_COLUMN, max(l, p)) for n, l, p in zip(natural, lossless, parts)], floor, width)
    if widths is None:
        return render_records(columns, rows, width)
    header_lines = [wrap_header(c, w) for c, w in zip(columns, widths)]
    depth = max(len(h) for h in header_lines)
    lines = []
    for level in range(depth):
        lines.append("  ".join(pad(h[level] if level < len(h) else "", w, right=num)
                               for h, w, num in zip(header_lines, widths, numeric)).rstrip())
    lines.append("  ".join("─" * w for w in widths))
    for row in rows:
        lines.append("  ".join(pad(truncate(cell, w), w, right=num)
                               for cell, w, num in zip(row, widths, numeric)).rstrip())
    return "\n".join(lines)


def render_records(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> str:
    """One block per row, one line per column (psql's expanded display), wrapped to ``width``."""
    label = min(max(text_width(c) for c in columns), 28)
    room = max(10, width - label - 3)
    blocks = []
    for n, row in enumerate(rows, 1):
        lines = [f"── row {n} " + "─" * max(0, min(width, 60) - 8 - len(str(n)))]
        for name, cell in zip(columns, row):
            chunks = wrap(cell, room) or [""]
            lines.append(f"{pad(truncate(name, label), label)} │ {chunks[0]}".rstrip())
            lines.extend(f"{' ' * label} │ {chunk}".rstrip() for chunk in chunks[1:4])
            if len(chunks) > 4:
                lines[-1] = lines[-1][: max(0, len(lines[-1]) - 1)] + ELLIPSIS
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def wrap(text: str, width: int) -> list[str]:
    """Split ``text`` into pieces of at most ``width`` cells (CJK text has no spaces to break at)."""
    out, current, used = [], [], 0
    for ch in text:
        w = text_width(ch)
        if used + w > width and current:
            out.append("".join(current))
            current, used = [], 0
        current.append(ch)
        used += w
    if current:
        out.append("".join(current))
    return out


def numeric_columns(rows: Sequence[Sequence[Any]], count: int) -> list[bool]:
    """Columns whose non-null values are all numbers (right-aligned)."""
    flags = []
    for i in range(count):
        values = [r[i] for r in rows if r[i] is not None]
        flags.append(bool(values) and all(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)
                                          for v in values))
    return flags
