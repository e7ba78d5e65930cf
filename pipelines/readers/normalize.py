"""Text normalisation shared by every reader.

NFKC turns full-width digits, letters and punctuation (１２３, ％, ，) into their ASCII forms, so
that the extraction engine sees one spelling of every number. Whitespace is tidied line by line
but paragraph breaks are kept: they carry structure (headings, list items) the engine relies on.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_BLANK_LINES = re.compile(r"\n{3,}")
# Pinyin glosses that some reprint sites put after characters: 經(jīng)濟(jì) → 經濟
_PINYIN_GLOSS = re.compile(r"(?<=[\u3400-\u9fff])\(([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ][a-zü]*)\)")


# Footnote marks between a term and its figure: 生产总值[2]2345.67亿元, 生产总值①2345.67, 生产总值²2345.
# Removed before NFKC, which would turn ² into a digit of the figure.
_FOOTNOTE = re.compile(r"(?<=[\u3400-\u9fff])(?:\[\d{1,2}\]|[\u2460-\u2473]|[\u00b9\u00b2\u00b3\u2070-\u2079]{1,2})(?=\d)")


def strip_footnote_marks(text: str) -> str:
    """Drop footnote marks that sit between a term and a figure (kept elsewhere)."""
    return _FOOTNOTE.sub("", text)


def normalize_text(text: str) -> str:
    """NFKC, no footnote marks or pinyin glosses, unified newlines, no control characters,
    one blank line at most."""
    text = unicodedata.normalize("NFKC", strip_footnote_marks(text))
    text = _PINYIN_GLOSS.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
