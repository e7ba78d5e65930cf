"""Lines and tables → one text with exact offsets, shared by the HTML and Word readers.

Prose lines are joined with newlines; a table is one line per row with tab-separated cells,
and each cell's offsets are recorded as it is laid down, so ``text[cell.char_start:
cell.char_end] == cell.text`` holds by construction. A table's caption typed as its first row
(``表1 2024年主要经济指标`` merged across the columns) is laid down as a line before the table:
as a header row it would prefix every column's header (``…指标 单位`` is no unit column).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .base import TableBlock, TableCell

Item = str | Sequence[Sequence[str]]  # a line of prose, or a table's rows of cell texts


def assemble(items: Iterable[Item]) -> tuple[str, list[TableBlock]]:
    """(text, tables) for prose lines and tables in reading order."""
    parts: list[str] = []
    tables: list[TableBlock] = []
    pos = 0

    def emit(line: str) -> int:
        nonlocal pos
        if parts:
            parts.append("\n")
            pos += 1
        start = pos
        parts.append(line)
        pos += len(line)
        return start

    for item in items:
        if isinstance(item, str):
            emit(item)
            continue
        item = list(item)
        while _is_caption(item):
            emit(next(cell for cell in item[0] if cell.strip()))
            item = item[1:]
        rows: list[tuple[TableCell, ...]] = []
        table_start = None
        for cells in item:
            start = emit("\t".join(cells))
            table_start = start if table_start is None else table_start
            row, offset = [], start
            for cell in cells:
                row.append(TableCell(cell, offset, offset + len(cell)))
                offset += len(cell) + 1
            rows.append(tuple(row))
        if rows:
            tables.append(TableBlock(page=None, rows=tuple(rows), char_start=table_start, char_end=pos))
    return "".join(parts), tables


def _filled(row: Sequence[str]) -> int:
    return sum(1 for cell in row if cell.strip())


def _is_caption(rows: list) -> bool:
    """A first row with one cell (not a 单位:… cell, which the table rule reads) above a table
    of several columns."""
    if len(rows) < 3 or _filled(rows[0]) != 1 or not any(_filled(row) >= 2 for row in rows[1:]):
        return False
    return "单位" not in next(cell for cell in rows[0] if cell.strip())
