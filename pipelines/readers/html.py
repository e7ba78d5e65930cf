"""HTML → normalised text of the article alone, with paragraph breaks kept and tables located.

A government page is mostly furniture: breadcrumb, reader buttons (打印 【字体:大 中 小】),
share bars, related links, ICP footer, visit counter. We parse with lxml (never executing
anything), drop scripts, forms, hidden elements, containers whose class/id says they are
chrome (``chrome.csv``) and containers made of links (menus, related lists, attachments), then let readability-lxml pick the article's main block. When that
block misses text the page visibly holds (readability scores English prose; a Chinese report
split into many short ``<p>``s can lose to a sidebar) the whole cleaned body is used instead.
Either way chrome lines left inline are removed line by line, and a trailing 相关报道 list is
cut. Tables are rendered one row per line, cells separated by a tab, and returned as
``TableBlock``s whose cell offsets point into the text. The headline (meta ArticleTitle,
``<h1>``, or ``<title>`` without the site's name, never a breadcrumb) becomes ``title_hint``
and, when the article block lacks it, the first line of the text.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from .assemble import assemble
from .base import ReadResult, RejectedDocument
from .chrome import clean_lines, is_chrome_container, is_chrome_line, is_tail_heading
from .encoding import decode_bytes
from .html_furniture import info_lines, info_lines_outside, is_info_table, link_lists
from .normalize import normalize_text

MEDIA_TYPE = "text/html"
# Real pages nest a few dozen levels (a few hundred with unclosed <font> tags); deeper is a
# generated or hostile page, and walking it costs memory for nothing.
MAX_DEPTH = 1000
MAX_ELEMENTS = 400_000
# readability costs ~5 s per MB of page; past this the cleaned body is read as is
MAX_READABILITY_CHARS = 1_500_000

_DROP = {"script", "style", "noscript", "iframe", "form", "nav", "button", "select", "input",
         "textarea", "svg", "canvas", "template", "object", "embed", "head", "footer", "header",
         "aside", "menu", "map", "area", "audio", "video"}
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section",
          "article", "blockquote", "pre", "dd", "dt", "dl", "hr", "center", "main", "figure",
          "figcaption", "caption", "address", "title", "tr", "table", "tbody", "thead", "tfoot", "td", "th"}
_SITE_SUFFIX = re.compile(r"\s*[-_|–—]+\s*[^-_|–—]*(?:网|政府|门户|网站|人民政府|官网|首页|频道|平台)\s*$")
_SITE_PREFIX = re.compile(r"^[^-_|–—]*(?:网|人民政府|门户网站|官网)\s*[-_|–—]+\s*")
_DOC_TITLE_WORDS = re.compile(r"报告|公报|计划|情况|目标|纪要|通知|决议|意见|统计|经济|发展|预算|规划")
_CJK = re.compile(r"[\u3400-\u9fff]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_TITLE_META = ("ArticleTitle", "og:title", "title")


def read_html(data: bytes) -> ReadResult:
    """Read a web page into the article's text, its tables and its headline."""
    text_in, encoding = decode_bytes(data, media_type=MEDIA_TYPE)
    # huge_tree: libxml2 otherwise silently drops everything nested deeper than 256
    parser = lxml_html.HTMLParser(huge_tree=True)
    try:
        root = lxml_html.document_fromstring(_XML_DECL.sub("", text_in), parser=parser)
    except (etree.ParserError, ValueError) as err:
        raise RejectedDocument(f"HTML page could not be parsed: {err}", encoding=encoding,
                               media_type=MEDIA_TYPE) from err
    if any("Excessive depth" in str(entry) for entry in parser.error_log):
        raise RejectedDocument(
            f"HTML nested more than {MAX_DEPTH} elements deep: not a published page (generated or hostile)",
            encoding=encoding, media_type=MEDIA_TYPE)
    _check_shape(root, encoding)
    headline = _headline(root)
    _drop_chrome(root)
    body = root.find("body")
    body = body if body is not None else root
    blocks = _blocks(body)
    article = _main_block(root) if len(text_in) <= MAX_READABILITY_CHARS else None
    if article is not None:
        main_blocks = _blocks(article)
        if _covers(main_blocks, blocks):
            blocks = info_lines_outside(blocks, main_blocks) + main_blocks
    return _assemble(blocks, encoding, headline)


def _check_shape(root, encoding: str) -> None:
    """Reject pages nested deeper or holding more elements than any real page."""
    depth = deepest = count = 0
    for event, _element in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
            count += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                raise RejectedDocument(
                    f"HTML nested more than {MAX_DEPTH} elements deep: not a published page (generated or hostile)",
                    encoding=encoding, media_type=MEDIA_TYPE)
            if count > MAX_ELEMENTS:
                raise RejectedDocument(f"HTML has more than {MAX_ELEMENTS} elements: not a single report page",
                                       encoding=encoding, media_type=MEDIA_TYPE)
        else:
            depth -= 1


def _clean_title(text: str) -> str:
    text = normalize_text(text).replace("\n", " ")
    text = _SITE_SUFFIX.sub("", text).strip()
    return _SITE_PREFIX.sub("", text).strip() or text


def _usable_title(text: str) -> bool:
    return 6 <= len(text) <= 120 and bool(_CJK.search(text)) and not is_chrome_line(text)


def _headline(root) -> str | None:
    """The article's headline: meta ArticleTitle / og:title; else a heading that reads like a
    document title or repeats <title> (an <h1> is often just the site's logo); else <title>."""
    for name in _TITLE_META:
        for meta in root.iter("meta"):
            if (meta.get("name") or meta.get("property") or "").lower() == name.lower():
                title = _clean_title(meta.get("content") or "")
                if _usable_title(title):
                    return title
    title_tag = root.find(".//title")
    page_title = _clean_title(title_tag.text_content()) if title_tag is not None else ""
    headings = []
    for tag in ("h1", "h2"):
        for element in root.iter(tag):
            if _is_hidden(element) or is_chrome_container(_class_id(element)):
                continue
            title = _clean_title(element.text_content())
            if _usable_title(title):
                headings.append(title)
    squeezed = page_title.replace(" ", "")
    for title in headings:
        if _DOC_TITLE_WORDS.search(title) or (len(title) >= 8 and title.replace(" ", "") in squeezed):
            return title
    if _usable_title(page_title):
        return page_title
    return headings[0] if headings else None


def _class_id(element) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def _is_hidden(element) -> bool:
    style = (element.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style or element.get("hidden") is not None


def _drop_chrome(root) -> None:
    """Remove elements that are never the article: scripts, forms, hidden and chrome containers."""
    doomed = []
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments, processing instructions
            doomed.append(element)
        elif element.tag in _DROP or _is_hidden(element):
            doomed.append(element)
        elif element.tag not in ("body", "html") and is_chrome_container(_class_id(element)) \
                and not _holds_article(element):
            doomed.append(element)
    doomed.extend(link_lists(root))
    for element in doomed:
        parent = element.getparent()
        if parent is None:
            continue
        tail = element.tail
        parent.remove(element)
        if tail and tail.strip():  # text after the element belongs to the parent
            _append_text(parent, element, tail)


def _append_text(parent, removed, tail: str) -> None:
    """lxml keeps text following an element on that element; keep it when the element goes."""
    previous = removed.getprevious() if removed.getparent() is not None else None
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail


def _holds_article(element) -> bool:
    """A container named like chrome that still holds most of the page's prose (class="top")."""
    text = element.text_content()
    return len(_CJK.findall(text)) >= 400 and "。" in text


def _main_block(root):
    """readability-lxml's choice of the article's element, or None when it has no opinion."""
    try:
        from readability import Document
        from readability.readability import Unparseable
    except ImportError:  # optional at run time: the whole cleaned body is read instead
        return None
    try:
        summary = Document(etree.tostring(root, encoding="unicode")).summary(html_partial=True)
    except (Unparseable, ValueError, etree.LxmlError, RecursionError):
        return None
    if not summary or not summary.strip():
        return None
    try:
        return lxml_html.fragment_fromstring(summary, create_parent="div")
    except (etree.ParserError, ValueError, AssertionError):  # a frameset page: lxml finds no body
        return None


def _significant_cjk(blocks) -> int:
    """Characters of prose lines and table cells: what the article must not lose."""
    total = 0
    for block in blocks:
        if isinstance(block, str):
            total += sum(len(_CJK.findall(line)) for line in block.split("\n") if len(line.strip()) >= 20)
        else:
            total += sum(len(_CJK.findall(cell)) for row in block for cell in row)
    return total


def _covers(main_blocks, all_blocks) -> bool:
    """readability's block keeps nearly all prose and every table of the cleaned page."""
    tables_main = sum(1 for b in main_blocks if not isinstance(b, str))
    tables_all = sum(1 for b in all_blocks if not isinstance(b, str))
    whole = _significant_cjk(all_blocks)
    return tables_main >= tables_all and whole > 0 and _significant_cjk(main_blocks) >= 0.9 * whole


def _blocks(node) -> list[str | list[list[str]]]:
    """Paragraph strings and tables (rows of cell texts), in reading order; iterative, so a
    deeply nested page cannot exhaust the stack."""
    blocks: list[str | list[list[str]]] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            blocks.append("".join(buffer))
            buffer.clear()

    # stack items: ("open", element) or ("close", element) or ("text", str)
    stack: list[tuple[str, object]] = [("open", node)]
    while stack:
        kind, item = stack.pop()
        if kind == "text":
            buffer.append(item)
            continue
        element = item
        if kind == "close":
            if element.tag in _BLOCK:
                flush()
            continue
        if not isinstance(element.tag, str):
            continue
        if element.tag == "table" and element is not node and is_info_table(element):
            flush()
            blocks.extend(info_lines(element))
            continue
        if element.tag == "table" and element is not node and not _is_layout_table(element):
            flush()
            rows = _table_rows(element)
            if rows:
                blocks.append(rows)
            continue
        if element.tag in _BLOCK:
            flush()
        if element.tag == "br":
            flush()
        pending: list[tuple[str, object]] = []
        if element.text:
            pending.append(("text", element.text))
        for child in element:
            pending.append(("open", child))
            if child.tail:
                pending.append(("text", child.tail))
        pending.append(("close", element))
        stack.extend(reversed(pending))
    flush()
    return blocks


def _is_layout_table(table) -> bool:
    """A table that lays out the page (old sites put the whole article in one): it holds
    another table or a cell of running prose. Its cells are read as paragraphs."""
    if next(table.iterdescendants("table"), None) is not None:
        return True
    if all(len([c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]) < 2 for tr in table.iter("tr")):
        return True  # one column: a box around text, not a table of figures
    return any(len(cell.text_content()) > 300 for cell in table.iter("td", "th"))


def _span(cell, name: str, limit: int) -> int:
    value = (cell.get(name) or "").strip()
    return min(int(value), limit) if value.isdigit() and int(value) > 0 else 1


def _table_rows(table) -> list[list[str]]:
    """Cell texts per row on the table's grid: a ``colspan`` cell is followed by empty cells for
    the columns it spans (a merged header keeps its columns), a ``rowspan`` cell leaves empty
    cells in the rows below it (as the table rule reads a header merged down: 指标, 单位), so
    every row has its cells in the columns of the header."""
    rows = []
    below: dict[int, tuple[str, int]] = {}  # column → (text, rows still covered by a rowspan)

    def carry(cells: list[str]) -> None:
        while len(cells) in below:
            column = len(cells)
            text, left = below[column]
            cells.append(text)
            if left > 1:
                below[column] = (text, left - 1)
            else:
                del below[column]

    for tr in table.iter("tr"):
        owner = next(tr.iterancestors("table"), None)
        if owner is not table:
            continue  # rows of a nested table are read with their own cells' text
        cells: list[str] = []
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            carry(cells)
            text = normalize_text(cell.text_content()).replace("\n", " ").replace("\t", " ")
            span, down = _span(cell, "colspan", 50), _span(cell, "rowspan", 500)
            if down > 1:
                below.update({len(cells) + i: ("", down - 1) for i in range(span)})
            cells.extend([text] + [""] * (span - 1))
        carry(cells)
        if any(cells):
            rows.append(cells)
    return rows


def _assemble(blocks, encoding: str, headline: str | None) -> ReadResult:
    """Join blocks into one text; record table cells' offsets as they are laid down."""
    items: list[str | list[list[str]]] = []
    prose: list[str] = []

    def close_prose() -> None:
        items.extend(clean_lines(prose, cut_tail=False))
        prose.clear()

    for block in blocks:
        if isinstance(block, str):
            prose.extend(normalize_text(block).split("\n"))
        else:
            close_prose()
            items.append(block)
    close_prose()
    items = _cut_tail(items)
    if headline:
        items = _headline_first(items, headline)

    text, tables = assemble(items)
    if not text.strip():
        raise RejectedDocument("HTML page has no visible text", encoding=encoding, media_type=MEDIA_TYPE)
    return ReadResult(text=text, media_type=MEDIA_TYPE, encoding=encoding, tables=tables, title_hint=headline)


def _headline_first(items: list, headline: str) -> list:
    """The headline opens the text: moved up past short info lines (来源, 成文日期 …) printed
    above it, or added when the article block lacks it."""
    squeezed = headline.replace(" ", "")
    for index, item in enumerate(items[:8]):
        if not isinstance(item, str):
            break
        if squeezed in item.replace(" ", "") and len(item) <= 2 * len(squeezed) + 10:
            return [item] + items[:index] + items[index + 1:]
        if len(item) > 60:  # the article has begun
            break
    return [headline] + items


def _cut_tail(items: list) -> list:
    """Drop a trailing reading list or glossary (相关报道, 名词解释) in the second half."""
    lines = [i for i, item in enumerate(items) if isinstance(item, str)]
    if len(lines) < 4:
        return items
    half = lines[len(lines) // 2]
    for index in range(half, len(items)):
        if isinstance(items[index], str) and is_tail_heading(items[index]):
            return items[:index]
    return items
