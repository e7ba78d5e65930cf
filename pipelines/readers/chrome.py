"""Page chrome of government sites: which lines and HTML containers are not the document.

The word lists live in ``pipelines/data/metadata/chrome.csv`` (kinds: ``line`` — a whole line
that is chrome, ``inline`` — chrome inside a line, ``tail`` — a heading after which a page
holds only reading lists or glossaries, ``class`` — an HTML class/id token of a chrome
container, ``meta_label`` — a label cell of a 政府信息公开 metadata table), so a new portal's
furniture is a data change. Loaded on first use, not at import.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class ChromeRules:
    line: re.Pattern
    inline: re.Pattern
    tail: re.Pattern
    class_token: re.Pattern
    meta_label: re.Pattern


def data_rows(name: str) -> list[dict[str, str]]:
    """Rows of a CSV under ``pipelines/data/metadata/`` (shared with ``pipelines.metadata``)."""
    ref = resources.files("pipelines").joinpath("data", "metadata", name)
    with ref.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if (row.get("pattern") or "").strip()]


@lru_cache(maxsize=1)
def chrome_rules() -> ChromeRules:
    rows = data_rows("chrome.csv")

    def union(kind: str) -> str:
        return "|".join(f"(?:{row['pattern']})" for row in rows if row["kind"] == kind)

    tokens = "|".join(re.escape(row["pattern"]) for row in rows if row["kind"] == "class")
    return ChromeRules(
        line=re.compile(rf"\s*(?:{union('line')})\s*", re.I),
        inline=re.compile(union("inline")),
        tail=re.compile(rf"\s*(?:{union('tail')})\s*"),
        class_token=re.compile(rf"(?:^|[-_\d])(?:{tokens})(?:$|[-_\d])", re.I),
        meta_label=re.compile(rf"(?:{union('meta_label')})\s*[:：]?"),
    )


def is_chrome_line(line: str) -> bool:
    """A line that is site furniture (breadcrumb, reader buttons, footer, counter, caption)."""
    line = line.strip()
    return not line or bool(chrome_rules().line.fullmatch(line))


def strip_inline(line: str) -> str:
    """The line without chrome printed inside it (``【字体:大 中 小】`` after the date); empty
    when the whole line is chrome."""
    if is_chrome_line(line):
        return ""
    return re.sub(r"[ \t]+", " ", chrome_rules().inline.sub(" ", line)).strip()


def is_tail_heading(line: str) -> bool:
    """A heading after which only reading lists or glossaries follow (相关报道, 名词解释)."""
    return bool(chrome_rules().tail.fullmatch(line))


def is_meta_label(cell: str) -> bool:
    """A label cell of a 政府信息公开 metadata table: 索引号:, 发文机关:, 成文日期: …"""
    return bool(chrome_rules().meta_label.fullmatch(re.sub(r"\s+", "", cell)))


def is_chrome_container(class_and_id: str) -> bool:
    """Whether an element's class/id tokens mark it as navigation, header, footer or share bar."""
    return any(chrome_rules().class_token.search(token) for token in class_and_id.split())


def clean_lines(lines: list[str], *, cut_tail: bool = True) -> list[str]:
    """Lines without chrome; with ``cut_tail``, nothing after a trailing 相关报道/名词解释 heading
    found in the second half of the page."""
    out: list[str] = []
    for line in lines:
        line = strip_inline(line)
        if not line or is_chrome_line(line):
            continue
        out.append(line)
    if cut_tail and len(out) >= 4:
        for index in range(len(out) // 2, len(out)):
            if is_tail_heading(out[index]):
                return out[:index]
    return out
