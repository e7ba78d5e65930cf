"""Tables of a PDF that go on over a page without their header row.

Word repeats a table's header on the next page only when asked; most offices don't, and a
note or a caption ("续表") may sit between the two parts, so the part on the new page is a
table of bare figures ("48.26 | 56.69 | 13.5"). The extraction reads a column by its header,
so the part gets the header of the table it continues.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_FIGURE = re.compile(r"^[-+−]?\d[\d,.]*%?$|^[—–-]+$")
MAX_BETWEEN = 12  # characters of a caption or note that may sit between the two parts


def is_data_row(row: Sequence[str]) -> bool:
    """Most filled cells after the first (the row label) are figures or dashes."""
    cells = [c.strip() for c in row[1:] if c.strip()]
    return bool(cells) and sum(bool(_FIGURE.match(c.replace(" ", ""))) for c in cells) * 2 >= len(cells) + 1


def carried_header(blocks: Sequence, page: int, rows: Sequence[Sequence[str]]) -> list[list[str]] | None:
    """The header rows to put on a table that opens ``page`` with a data row, taken from the
    last table before it when that one ends on the page before with as many columns and
    nothing but short captions or notes between them; None otherwise."""
    if not rows or not is_data_row(rows[0]):
        return None
    for block in reversed(blocks):
        if block.rows is None:
            if any(p == page and len(t) > MAX_BETWEEN for p, t in block.pieces):
                return None  # body text on this page before the table: a new table
            continue
        last_page = block.row_pages[-1] if block.row_pages else block.page
        if last_page != page - 1 or not block.rows or len(block.rows[0]) != len(rows[0]):
            return None
        header = []
        for row in block.rows:
            if is_data_row(row):
                break
            header.append(list(row))
        return header if 0 < len(header) < len(block.rows) else None
    return None
