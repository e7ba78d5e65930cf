"""The text of a Word paragraph as the reader of the page sees it, read from the XML.

python-docx's ``Paragraph.text`` reads only direct runs and hyperlinks: text in tracked
insertions, simple fields, smart tags and inline content controls is lost, a soft line break
(Shift+Enter, or every line end of text pasted from a PDF) becomes a paragraph break inside a
figure (``356.2`` / ``亿元``), automatic numbering (``一、``, ``(二)``) is not text at all, and
text boxes are skipped. This module walks the paragraph's XML instead.
"""

from __future__ import annotations

import re

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
SOFT = "\x0b"  # a soft line break, resolved by ``join_soft_breaks``
# never the visible text of a paragraph: properties, deleted/moved-away text, field codes,
# the VML copy of a shape that DrawingML already holds, text boxes (read as their own paragraphs)
_SKIP = {W + "pPr", W + "rPr", W + "del", W + "moveFrom", W + "instrText", W + "delText",
         W + "txbxContent", MC_FALLBACK, W + "footnoteReference", W + "endnoteReference"}
_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_FOOTNOTE_RUN = re.compile(r"\[?\d{1,2}\]?")
# a soft break after these ends a line; anywhere else it only wraps the text
_LINE_END = set("。;；:：!！?？")
_LINE_START = ("——", "(", "（", "【", "[")
_ASCII_WORD = re.compile(r"[A-Za-z]")
_PAD = " \t\u3000\xa0"


def paragraph_text(p, numbering=None) -> str:
    """Visible text of a ``w:p`` element (soft breaks resolved), led by its list number."""
    parts: list[str] = []
    stack = [iter(p)]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
            continue
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == W + "r":
            if not _hidden(element):
                parts.append(_run_text(element))
            continue
        stack.append(iter(element))  # ins, hyperlink, fldSimple, smartTag, sdt, customXml …
    text = join_soft_breaks("".join(parts))
    label = numbering.label(p) if numbering is not None else ""
    return label + text if text.strip() else text


def text_boxes(p) -> list:
    """The ``w:txbxContent`` elements anchored in a paragraph (DrawingML copy only)."""
    return [box for box in p.iter(W + "txbxContent")
            if not any(a.tag == MC_FALLBACK for a in box.iterancestors())]


def _hidden(run) -> bool:
    props = run.find(W + "rPr")
    if props is None:
        return False
    vanish = props.find(W + "vanish")
    return vanish is not None and vanish.get(W + "val", "true") not in ("0", "false", "off")


def _superscript(run) -> bool:
    props = run.find(W + "rPr")
    align = props.find(W + "vertAlign") if props is not None else None
    return align is not None and align.get(W + "val") == "superscript"


def _run_text(run) -> str:
    out = []
    for child in run:
        tag = child.tag
        if tag == W + "t":
            out.append(child.text or "")
        elif tag in (W + "tab", W + "ptab"):
            out.append("\t")
        elif tag == W + "br" or tag == W + "cr":  # line, page and column breaks alike
            out.append(SOFT)
        elif tag == W + "noBreakHyphen":
            out.append("-")
    text = "".join(out)
    if _superscript(run) and _FOOTNOTE_RUN.fullmatch(text.strip()):
        # a footnote number between a term and its figure: kept as superscript characters, so the
        # shared normaliser drops it instead of reading it as digits of the figure
        text = text.strip().strip("[]").translate(_SUPERSCRIPT_DIGITS)
    return text


def join_soft_breaks(text: str) -> str:
    """A soft break ends a line after a full stop, colon and the like, or before a dash/bracket
    opening a new line; elsewhere it is a wrap inside a sentence, a term or a number, and the
    two sides are joined (with a space only between two Latin words)."""
    if SOFT not in text:
        return text
    pieces = text.split(SOFT)
    out = pieces[0]
    for piece in pieces[1:]:
        before, after = out.rstrip(_PAD), piece.lstrip(_PAD)
        if not after:  # a break at the end, or two in a row: a line of its own ends
            out = before + "\n"
        elif not before or before.endswith("\n"):
            out = before + after
        elif before[-1] in _LINE_END or after.startswith(_LINE_START):
            out = before + "\n" + after
        elif _ASCII_WORD.match(before[-1]) and _ASCII_WORD.match(after[0]):
            out = before + " " + after
        else:
            out = before + after
    return out.strip("\n")
