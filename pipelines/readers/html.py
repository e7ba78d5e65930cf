"""HTML → normalised text, with paragraph breaks kept and tables located.

BeautifulSoup over lxml parses (never executes) the page. Scripts, styles, forms and
navigation are dropped; block elements become line breaks; page chrome such as
``打印 【字体:大 中 小】`` is removed. Tables are rendered one row per line, cells separated by a
tab, and returned as ``TableBlock``s whose cell offsets point into the text.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Doctype, ProcessingInstruction

from .base import ReadResult, RejectedDocument, TableBlock, TableCell
from .encoding import decode_bytes
from .normalize import normalize_text

_DROP = {"script", "style", "noscript", "iframe", "form", "nav", "button", "select", "input",
         "textarea", "svg", "canvas", "template", "object", "embed", "head"}
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section",
          "article", "header", "footer", "aside", "blockquote", "pre", "dd", "dt", "dl", "hr",
          "center", "main", "figure", "figcaption", "caption", "address", "title"}
# Page chrome printed inline with the article on government sites.
_CHROME = re.compile(
    r"(【?\s*打印\s*(本页|此页)?\s*】?\s*)?【\s*字体\s*[::]?[^】\n]*】?"
    r"|【\s*(关闭|关闭窗口|打印|收藏|返回顶部)\s*】"
    r"|字号\s*[::]\s*(\[?\s*[大中小]\s*\]?\s*){2,3}"
    r"|分享到\s*[::]?"
    r"|(?<=\s)打印(?=\s*$)"
)
_CHROME_LINE = re.compile(r"^(打印|关闭|关闭窗口|返回顶部|上一篇.*|下一篇.*|扫一扫.*|分享|收藏|【打印】|\[打印\])$")


def _is_hidden(tag: Tag) -> bool:
    style = (tag.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or tag.has_attr("hidden")


def read_html(data: bytes) -> ReadResult:
    text_in, encoding = decode_bytes(data, media_type="text/html")
    soup = BeautifulSoup(text_in, "lxml")
    title_tag = soup.find("title")
    title_hint = normalize_text(title_tag.get_text(" ")) if title_tag else None
    for tag in soup.find_all(list(_DROP)):
        tag.decompose()
    for tag in soup.find_all(_is_hidden):
        tag.decompose()
    blocks: list[str | list[list[str]]] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            blocks.append("".join(buffer))
            buffer.clear()

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                buffer.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            if child.name == "table":
                flush()
                blocks.append(_table_rows(child))
                continue
            block = child.name in _BLOCK
            if block:
                flush()
            walk(child)
            if block:
                flush()

    walk(soup.body or soup)
    flush()
    return _assemble(blocks, encoding, title_hint)


def _table_rows(table: Tag) -> list[list[str]]:
    rows = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue  # rows of a nested table are read with their own cells' text
        cells = [normalize_text(td.get_text(" ")).replace("\n", " ") for td in tr.find_all(["td", "th"], recursive=False)]
        if any(cells):
            rows.append(cells)
    return rows


def _clean_line(line: str) -> str:
    line = _CHROME.sub(" ", line)
    line = re.sub(r"[ \t]+", " ", line).strip()
    return "" if _CHROME_LINE.match(line) else line


def _assemble(blocks, encoding: str, title_hint: str | None) -> ReadResult:
    """Join blocks into one text; record table cells' offsets as they are laid down."""
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

    for block in blocks:
        if isinstance(block, str):
            for line in normalize_text(block).split("\n"):
                line = _clean_line(line)
                if line:
                    emit(line)
            continue
        rows: list[tuple[TableCell, ...]] = []
        table_start = None
        for cells in block:
            line = "\t".join(cells)
            start = emit(line)
            table_start = start if table_start is None else table_start
            row, offset = [], start
            for cell in cells:
                row.append(TableCell(cell, offset, offset + len(cell)))
                offset += len(cell) + 1
            rows.append(tuple(row))
        if rows:
            tables.append(TableBlock(page=None, rows=tuple(rows), char_start=table_start, char_end=pos))
    text = "".join(parts)
    if not text.strip():
        raise RejectedDocument("HTML page has no visible text", encoding=encoding, media_type="text/html")
    return ReadResult(text=text, media_type="text/html", encoding=encoding, tables=tables, title_hint=title_hint)
