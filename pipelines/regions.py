"""Region names → full official name and 6-digit administrative division code.

The division list comes from the ``cpca`` package's bundled adcodes table (民政部 codes, 3,500
provinces, cities and counties), not from a hand-typed list. A county's parents follow from its
code (110115 → province 110000, city 110100), so 大兴区 becomes 北京市大兴区 and 杭州市 becomes
浙江省杭州市 even when the text names only the short form.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick

NATIONAL = ("中华人民共和国", "100000")
_SKIP_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "地区",
             "省", "市", "区", "县", "盟", "旗")


@dataclass(frozen=True)
class Division:
    code: str  # 6 digits
    name: str  # as in the table, e.g. 大兴区
    level: int  # 1 province, 2 city, 3 county

    @property
    def full_name(self) -> str:
        return "".join(d.name for d in lineage(self.code))


@lru_cache(maxsize=1)
def _divisions() -> dict[str, Division]:
    table = resources.files("cpca").joinpath("resources/adcodes.csv")
    out: dict[str, Division] = {}
    with table.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code, name = row["adcode"][:6], row["name"].strip()
            if name in _SKIP_NAMES or len(name) < 3:
                continue  # 2-character names (城区, 郊区, 和县) are common words in prose
            level = 1 if code.endswith("0000") else 2 if code.endswith("00") else 3
            out[code] = Division(code, name, level)
    return out


def lineage(code: str) -> list[Division]:
    """The division and its parents, outermost first (skipping 市辖区 placeholders)."""
    table = _divisions()
    chain = [code[:2] + "0000", code[:4] + "00", code]
    seen, out = set(), []
    for parent in chain:
        if parent in table and parent not in seen:
            seen.add(parent)
            out.append(table[parent])
    return out


def _short(name: str) -> str | None:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


@lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    """Every division name (and its suffix-less short form, weaker) → candidate divisions."""
    entries: dict[str, list[tuple[Division, bool]]] = {}
    for division in _divisions().values():
        entries.setdefault(division.name, []).append((division, True))
        short = _short(division.name)
        if short and short not in _divisions():
            entries.setdefault(short, []).append((division, False))
    automaton = ahocorasick.Automaton()
    for name, candidates in entries.items():
        automaton.add_word(name, (name, tuple(candidates)))
    automaton.make_automaton()
    return automaton


def _mentions(text: str) -> list[tuple[int, str, tuple[tuple[Division, bool], ...]]]:
    """Longest non-overlapping name matches, left to right."""
    found = sorted(((end - len(name) + 1, name, cands) for end, (name, cands) in _automaton().iter(text)),
                   key=lambda m: (m[0], -len(m[1])))
    out, last_end = [], -1
    for start, name, cands in found:
        if start >= last_end:
            out.append((start, name, cands))
            last_end = start + len(name)
    return out


_DATELINE = re.compile(r"(新华社|中新社|新華社|人民网|人民網|央视网)[^\s,,。]{0,6}?\d{1,2}月\d{1,2}日[电電]")
_NATIONAL_CUES = ("国务院", "國務院", "全国人民代表大会", "國內生產總值", "国内生产总值")


def resolve_region(title: str, body: str) -> tuple[str, str] | None:
    """(full official name, 6-digit code) of the region a report is about, or None.

    The title decides when it names a region (the deepest division it names, disambiguated by the
    parents it also names); otherwise the body's mentions do, weighted by level and by whether
    their parents are named too. Traditional script is folded to simplified first.
    """
    title, body = _DATELINE.sub(" ", to_simplified(title)), _DATELINE.sub(" ", to_simplified(body[:3000]))
    if "国务院" in title and not _mentions(title):
        return NATIONAL
    level_hint = _self_reference_level(body)
    for scope in (title, body):
        mentions = _mentions(scope)
        if not mentions:
            continue
        named = {d.code for _, _, cands in mentions for d, _full in cands}
        scored: dict[str, float] = {}
        for position, _name, cands in mentions:
            for division, full in cands:
                parents = {p.code for p in lineage(division.code)[:-1]}
                if not full and division.level == 3 and not parents & named:
                    continue  # a county's short form (宏伟, 河北) counts only beside its parents' names
                score = (3.0 if full else 0.5) + (2.0 if full else 0.5) * len(parents & named)
                # in the title the deepest full name wins (北京市大兴区); a short form there is more
                # often where something happened (在广州开幕) than whose report it is
                score += division.level * (2.0 if scope is title and full else 0.3)
                score -= position / 10000.0
                if scope is body and _fits_level(division, level_hint):
                    score += 3.0
                scored[division.code] = scored.get(division.code, 0.0) + score
        best = max(scored.items(), key=lambda item: (item[1], -int(item[0])))
        division = _divisions()[best[0]]
        return division.full_name, division.code
    if any(word in title + body for word in _NATIONAL_CUES):
        return NATIONAL
    return None


_SELF_REFERENCES = {
    3: re.compile(r"全区|我区|本区|区委|区政府|区人大"),
    2: re.compile(r"全市|我市|本市|市委|市政府|市人大"),
    1: re.compile(r"全省|我省|本省|省委|省政府|省人大"),
}


def _self_reference_level(body: str) -> int | None:
    """Which level the report speaks of itself at: 全区 → county, 全市 → city, 全省 → province."""
    counts = {level: len(pattern.findall(body)) for level, pattern in _SELF_REFERENCES.items()}
    level, count = max(counts.items(), key=lambda item: item[1])
    return level if count else None


def _fits_level(division: Division, level: int | None) -> bool:
    if level is None:
        return False
    if division.level == level:
        return True
    # municipalities say 全市 of themselves, autonomous regions 全区
    return division.level == 1 and ((level == 2 and division.name.endswith("市"))
                                    or (level == 3 and division.name.endswith("自治区")))


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified script (OpenCC), for matching names only."""
    return _converter().convert(text) if text else text
