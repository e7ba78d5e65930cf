"""Bytes → str for text and HTML files, whatever the charset.

Government sites still publish GB2312/GBK/GB18030 pages, often without (or with a wrong)
charset declaration. charset-normalizer does the detection; we only steer it: UTF-8 first
(strict), then a declared charset, then the detector, and GB18030 (a superset of GBK and
GB2312) whenever the detector says any GB charset.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from .base import RejectedDocument

_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "hz", "euc_cn", "x-gbk"}

# No annual report's text comes near these sizes (the full 2023 Daxing plan report is 36 KB; a
# government page with its chrome a few hundred KB). A 50 MB text took 34 s to read, 100 s and
# 1.5 GB to extract, and yielded 280,000 "facts" from repeated text: refuse it up front instead.
MAX_TEXT_BYTES = {"text/plain": 8 * 1024 * 1024, "text/html": 16 * 1024 * 1024}


def _canonical(name: str) -> str | None:
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    return "gb18030" if name.replace("-", "_") in _GB_FAMILY or name in _GB_FAMILY else name


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first few KB, if any."""
    match = _DECLARED.search(data[:4096])
    return _canonical(match.group(1).decode("ascii", "ignore")) if match else None


def decode_bytes(data: bytes, *, media_type: str) -> tuple[str, str]:
    """Return (text, encoding) or raise RejectedDocument with a reason a person can act on."""
    limit = MAX_TEXT_BYTES.get(media_type, MAX_TEXT_BYTES["text/html"])
    if len(data) > limit:
        raise RejectedDocument(
            f"too large for a report: {len(data) / 1e6:.1f} MB of {media_type} (limit {limit // (1024 * 1024)} MB;"
            " real reports are well under 1 MB): split it or check what it is", media_type=media_type)
    if not data.strip():
        raise RejectedDocument("empty file", media_type=media_type)
    for bom, codec, name in ((codecs.BOM_UTF8, "utf-8", "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
                             (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), name
            except UnicodeDecodeError:  # a BOM that lies (GBK text behind a UTF-8 BOM): detect without it
                data = data[len(bom):]
                if not data.strip():
                    raise RejectedDocument("empty file (a byte-order mark and nothing else)", media_type=media_type)
                break
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if b"\x00" in data[:8192]:
        raise RejectedDocument("binary content (NUL bytes, and not UTF-16 text): not a text or HTML document",
                               media_type=media_type)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[str] = []
    declared = declared_charset(data) if media_type == "text/html" else None
    if declared and declared != "utf-8":
        candidates.append(declared)
    best = from_bytes(data[:200_000]).best()
    if best is not None:
        detected = _canonical(best.encoding)
        if detected and detected not in candidates:
            candidates.append(detected)
    if "gb18030" not in candidates:
        candidates.append("gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _looks_like_text(text):
            return text, encoding
    raise RejectedDocument(
        "undecodable bytes: not UTF-8 and no charset (tried " + ", ".join(candidates) + ") gives readable text",
        media_type=media_type,
    )


_PLAUSIBLE = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef\x20-\x7e\r\n\t\u2018-\u201d\u2014\u2026]")


def _plausibility(text: str) -> float:
    """Share of characters a Chinese report is made of (ideographs, ASCII, CJK punctuation)."""
    sample = text[:20000]
    return len(_PLAUSIBLE.findall(sample)) / len(sample) if sample else 0.0


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) when the bytes read as UTF-16 (Windows "Unicode" text saved without a BOM).

    ASCII in UTF-16 puts NUL bytes on one parity; Chinese text has none, so both byte orders
    are tried only when NULs sit on one parity, or when the length is even and one order
    gives near-perfect Chinese text where UTF-8 failed.
    """
    if len(data) % 2:
        return None
    head = data[:8192]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if even or odd:
        if min(even, odd) > 0.1 * max(even, odd):
            return None  # NULs on both parities: binary
        orders = ["utf-16-le"] if odd > even else ["utf-16-be"]
    else:
        try:
            data.decode("utf-8")
            return None
        except UnicodeDecodeError:
            orders = ["utf-16-le", "utf-16-be"]
    for encoding in orders:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausibility(text) >= 0.97 and len(_CJK_RE.findall(text[:20000])) >= 0.2 * min(len(text), 20000):
            return text, encoding
        if even or odd:
            if _plausibility(text) >= 0.9:
                return text, encoding
    return None


_CJK_RE = re.compile(r"[\u3400-\u9fff]")


def _looks_like_text(text: str) -> bool:
    """Guard against a charset that decodes without error but yields junk."""
    if not text:
        return False
    sample = text[:20000]
    bad = sum(1 for ch in sample if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\r\n\t\f"))
    return bad / len(sample) < 0.01
