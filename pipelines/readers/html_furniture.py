"""Page furniture found by shape rather than by name: link lists and 政府信息公开 tables.

Menus, 相关文章/热点新闻 lists and 上一篇/下一篇 lines are mostly link text whatever their
class is called, and a link to a .pdf/.docx is an attachment's file name, not the article.
The 政府信息公开 table above an article (索引号, 发文机关, 成文日期, 发布日期 …) is no table of
figures: its dates and issuing office become ``label:value`` lines for the metadata reader.
"""

from __future__ import annotations

import re

from lxml import etree

from .chrome import is_meta_label
from .normalize import normalize_text

# containers made of links (menus, 相关文章/热点新闻 lists, 上一篇/下一篇): dropped whatever their class
_LINK_LIST_TAGS = {"ul", "ol", "dl", "table", "tr", "td", "div", "p", "li", "dd", "span", "section"}
_ATTACHMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|wps|et|zip|rar|ofd)(?:$|[?#])", re.I)
_KEPT_LABEL = re.compile(r"日期|时间|机关|机构|主体")  # what metadata reads; 索引号, 分类 are the site's
# a line that dates the page or names its source (来源:… 发布时间:2025-03-28 …)
_INFO_LINE = re.compile(r"(?:发布时间|发布日期|成文日期|发文机关|时间|日期|来源)\s*[:：]\s*\S")


def _chars(text: str | None) -> int:
    return len("".join(text.split())) if text else 0


def link_lists(root) -> list:
    """Elements whose text is mostly links (menus, related-news lists, 上一篇/下一篇) and links
    to attachments (a file name is not the article); one bottom-up pass, so linear in the page."""
    stats: dict = {}
    found = []
    for _event, element in etree.iterwalk(root, events=("end",)):
        if not isinstance(element.tag, str):
            continue
        total, linked, links = _chars(element.text), 0, 0
        for child in element:
            if child in stats:
                child_total, child_linked, child_links = stats.pop(child)
                total, linked, links = total + child_total, linked + child_linked, links + child_links
            total += _chars(child.tail)
        if element.tag == "a":
            linked, links = total, links + 1
            if _ATTACHMENT.search(element.get("href") or ""):
                found.append(element)
        stats[element] = (total, linked, links)
        if element.tag in _LINK_LIST_TAGS and links >= 2 and 0 < total <= 400 and linked >= 0.7 * total:
            found.append(element)
    return found


def _own_cells(table) -> list[str]:
    return [normalize_text(cell.text_content()).replace("\n", " ") for tr in table.iter("tr")
            if next(tr.iterancestors("table"), None) is table
            for cell in tr if isinstance(cell.tag, str) and cell.tag in ("td", "th")]


def is_info_table(table) -> bool:
    """The 政府信息公开 table above an article (索引号 | … | 发文机关 | … | 成文日期 | …)."""
    cells = [c for c in _own_cells(table) if c.strip()]
    labels = sum(1 for c in cells if is_meta_label(c))
    return labels >= 2 and labels * 3 >= len(cells)


def info_lines(table) -> list[str]:
    """The metadata table's dates and issuing office as ``label:value`` lines (发布日期:2025年03月
    28日), read like an info line; 索引号 and 分类 are the site's filing, the 标题 the headline's."""
    cells, lines = _own_cells(table), []
    for index, cell in enumerate(cells):
        if not is_meta_label(cell) or index + 1 >= len(cells) or is_meta_label(cells[index + 1]):
            continue
        label = re.sub(r"[\s:：]+", "", cell)
        value = cells[index + 1].strip()
        if value and _KEPT_LABEL.search(label):
            lines.append(f"{label}:{value}")
    return lines


def info_lines_outside(page_blocks: list, article_blocks: list) -> list[str]:
    """Info lines (来源, 发布时间, the 政府信息公开 dates) printed outside the block chosen as the
    article: kept, since they date the document; at most four, each short."""
    inside = {line.strip() for block in article_blocks if isinstance(block, str) for line in block.split("\n")}
    found: list[str] = []
    for block in page_blocks:
        if not isinstance(block, str):
            continue
        for line in block.split("\n"):
            line = line.strip()
            if line and line not in inside and len(line) <= 120 and _INFO_LINE.search(normalize_text(line)):
                found.append(line)
    return found[:4]
