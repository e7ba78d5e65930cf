"""Lines and tables → one text with exact offsets, shared by the HTML and Word readers.

Prose lines are joined with newlines; a table is one line per row with tab-separated cells,
and each cell's offsets are recorded as it is laid down, so ``text[cell.char_start:
cell.char_end] == cell.text`` holds by construction.
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
