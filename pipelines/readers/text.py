"""Plain-text reports (.txt): decode, normalise."""

from __future__ import annotations

from .base import ReadResult, RejectedDocument
from .encoding import decode_bytes
from .normalize import normalize_text


def read_text(data: bytes) -> ReadResult:
    raw, encoding = decode_bytes(data, media_type="text/plain")
    text = normalize_text(raw)
    if not text:
        raise RejectedDocument("file holds only whitespace", encoding=encoding, media_type="text/plain")
    return ReadResult(text=text, media_type="text/plain", encoding=encoding)
