"""What every reader returns, and how it says no.

Readers turn bytes into one normalised text string. They know nothing of indicators; all
offsets downstream point into ``ReadResult.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class RejectedDocument(Exception):
    """The file cannot be read as a report; ``reason`` is shown to people as is."""

    def __init__(self, reason: str, *, encoding: str | None = None, media_type: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.encoding = encoding
        self.media_type = media_type


@dataclass(frozen=True)
class TableCell:
    """One cell of a table, located in the document text by its offsets."""

    text: str
    char_start: int
    char_end: int


@dataclass(frozen=True)
class TableBlock:
    """A ruled table found by a reader. ``rows[0]`` is the header row when there is one.

    Every cell's text is also present in ``ReadResult.text`` at its offsets, so a fact read
    from a table is traceable like one read from prose.
    """

    page: int | None
    rows: tuple[tuple[TableCell, ...], ...]
    char_start: int
    char_end: int


@dataclass
class ReadResult:
    """The reader's output: normalised text plus where it came from."""

    text: str
    media_type: str  # text/plain, text/html, application/pdf
    encoding: str | None = None  # the charset the bytes were decoded from (None for PDF)
    # (page_number, char_start, char_end) for each page; empty for formats without pages
    page_spans: list[tuple[int, int, int]] = field(default_factory=list)
    tables: list[TableBlock] = field(default_factory=list)
    title_hint: str | None = None  # e.g. the HTML <title>

    @property
    def page_count(self) -> int | None:
        return len(self.page_spans) or None

    def page_at(self, offset: int) -> int | None:
        """The page number holding character ``offset`` (None when the format has no pages)."""
        for number, start, end in self.page_spans:
            if start <= offset < end:
                return number
        return self.page_spans[-1][0] if self.page_spans and offset >= self.page_spans[-1][2] else None
