"""Plain-text reports (.txt): decode, normalise, drop page chrome lines.

Text files are often pages saved from a site or copied from a portal, with the breadcrumb,
reader buttons and footer lines still in them; those lines (``chrome.csv``) are dropped, and
nothing else is changed.
"""

from __future__ import annotations

from .base import ReadResult, RejectedDocument
from .chrome import is_chrome_line, strip_inline
from .encoding import decode_bytes
from .normalize import normalize_text


def read_text(data: bytes) -> ReadResult:
    raw, encoding = decode_bytes(data, media_type="text/plain")
    text = normalize_text(raw)
    if not text:
        raise RejectedDocument("file holds only whitespace", encoding=encoding, media_type="text/plain")
    lines = [strip_inline(line) if line else line for line in text.split("\n")]
    kept = "\n".join(line for line in lines if not line or not is_chrome_line(line))
    text = normalize_text(kept) or text  # a file of nothing but chrome is left for the caller to judge
    return ReadResult(text=text, media_type="text/plain", encoding=encoding)
