"""Region names → full official name and 6-digit administrative division code.

The division list comes from the ``cpca`` package's bundled adcodes table (民政部 codes, 3,500
provinces, cities and counties), not from a hand-typed list. A county's parents follow from its
code (110115 → province 110000, city 110100), so 大兴区 becomes 北京市大兴区 and 杭州市 becomes
浙江省杭州市 even when the text names only the short form. National-level new areas that have no
code of their own (雄安新区) and the cue words come from ``pipelines/data/regions/``.

The whole country is ``中华人民共和国`` with code ``100000`` (the code the national tier takes in
GB/T 2260-derived tables, which give provinces 110000…820000). Resolution never raises: an
unknown place is ``None`` with the reason in :func:`explain_region`.
"""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick

NATIONAL = ("中华人民共和国", "100000")
_DATA = "data/regions"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Division:
    code: str | None  # 6 digits; None for a new area without a code of its own
    name: str  # as in the table, e.g. 大兴区
    level: int  # 0 country, 1 province, 2 city, 3 county
    host: str | None = None  # for a new area without a code: the code of the division it lies in

    @property
    def full_name(self) -> str:
        if self.level == 0:
            return self.name
        if self.code is None:
            return "".join(d.name for d in lineage(self.host or "")) + self.name
        return "".join(d.name for d in lineage(self.code))


@dataclass(frozen=True)
class RegionResolution:
    """Whose report it is, and how that was decided (or why it could not be)."""

    name: str | None
    code: str | None
    how: str  # e.g. "title names 北京市大兴区", "unknown: …"

    def pair(self) -> tuple[str, str | None] | None:
        return (self.name, self.code) if self.name else None


@lru_cache(maxsize=1)
def _cues() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    with resources.files("pipelines").joinpath(f"{_DATA}/cues.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out.setdefault(row["kind"], []).append(row["word"])
    return {kind: tuple(words) for kind, words in out.items()}


@lru_cache(maxsize=1)
def _divisions() -> dict[str, Division]:
    skip = set(_cues()["skip_name"])
    table = resources.files("cpca").joinpath("resources/adcodes.csv")
    out: dict[str, Division] = {}
    with table.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code, name = row["adcode"][:6], row["name"].strip()
            if name in skip or len(name) < 3 or not code.isdigit():
                continue  # 2-character names (城区, 郊区, 和县) are common words in prose
            level = 1 if code.endswith("0000") else 2 if code.endswith("00") else 3
            out[code] = Division(code, name, level)
    return out


@lru_cache(maxsize=1)
def _extra_divisions() -> tuple[Division, ...]:
    with resources.files("pipelines").joinpath(f"{_DATA}/extra_divisions.csv").open(encoding="utf-8") as handle:
        return tuple(Division(None, row["name"], 3, row["parent_code"]) for row in csv.DictReader(handle))


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


def _parents(division: Division) -> set[str]:
    if division.code is None:
        return {d.code for d in lineage(division.host or "")}
    return {p.code for p in lineage(division.code)[:-1]}


@lru_cache(maxsize=1)
def _ethnic() -> re.Pattern:
    names = sorted(_cues()["ethnic"], key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, names)) + ")+$")


def _short(name: str) -> str | None:
    """大兴区 → 大兴, 楚雄彝族自治州 → 楚雄; None when what is left is under two characters."""
    for suffix in _cues()["suffix"]:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                stripped = _ethnic().sub("", stem)
                stem = stripped if len(stripped) >= 2 else stem
            return stem
    return None


_COUNTRY = Division(NATIONAL[1], NATIONAL[0], 0)


@lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    """Every division name (and its suffix-less short form, weaker) → candidate divisions.

    The country's own name is an entry too, so the longest match keeps 共和 (共和县) from being
    read inside 中华人民共和国.
    """
    entries: dict[str, list[tuple[Division, bool]]] = {}
    divisions = list(_divisions().values()) + list(_extra_divisions())
    names = {d.name for d in divisions}
    alias_suffixes = _cues()["alias_suffix"]
    for division in divisions:
        entries.setdefault(division.name, []).append((division, True))
        short = _short(division.name)
        if short and short not in names:
            entries.setdefault(short, []).append((division, False))
            kind = division.name[-1]
            if division.name[-3:-1] == "自治" and kind in alias_suffixes and short + kind not in names:
                entries.setdefault(short + kind, []).append((division, True))  # 楚雄州, 天祝县
    for name in _cues()["national_name"]:
        entries[name] = [(_COUNTRY, True)]
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


@lru_cache(maxsize=1)
def _dateline() -> re.Pattern:
    """新华社北京3月5日电 / 本报北京7月13日电: where a story was filed, not whose figures it gives."""
    agencies = "|".join(map(re.escape, _cues()["dateline"]))
    return re.compile(rf"(?:{agencies})[^\s,，。]{{0,6}}?\d{{1,2}}月\d{{1,2}}日电")


def resolve_region(title: str, body: str) -> tuple[str, str | None] | None:
    """(full official name, 6-digit code) of the region a report is about, or None."""
    return explain_region(title, body).pair()


def explain_region(title: str, body: str) -> RegionResolution:
    """Whose report this is, with how it was decided; never raises.

    The title decides when it names a region (the deepest division it names, disambiguated by the
    parents it also names); otherwise the body's mentions do, weighted by level and by whether
    their parents are named too. Traditional script is folded to simplified first.
    """
    try:
        return _explain(title or "", body or "")
    except Exception as error:  # a resolver bug must cost the region, never the document
        log.exception("region resolution failed")
        return RegionResolution(None, None, f"unknown: region resolution failed ({type(error).__name__}: {error})")


def _explain(title: str, body: str) -> RegionResolution:
    title, body = _dateline().sub(" ", to_simplified(title)), _dateline().sub(" ", to_simplified(body[:3000]))
    cues = _cues()
    level_hint = _self_reference_level(body)
    title_mentions = _mentions(title)
    if any(word in title for word in cues["national_title"]) and not _local(title_mentions):
        return RegionResolution(*NATIONAL, "title names the country or a national body")
    for scope, text in (("title", title), ("opening", body)):
        mentions = title_mentions if scope == "title" else _mentions(text)  # the opening only when needed
        best = _best(mentions, scope == "title", level_hint)
        if best is not None:
            return RegionResolution(best.full_name, best.code, f"{scope} names {best.full_name}")
    national_text = _SURVEY_TEAM.sub(" ", title + body)  # 国家统计局某市调查队 signs a local bulletin
    if level_hint == 0 or any(word in national_text for word in cues["national_body"]):
        return RegionResolution(*NATIONAL, "the text speaks of the whole country (全国, 国内生产总值)")
    return RegionResolution(None, None, "unknown: no division name in the title or the opening of the text")


_SURVEY_TEAM = re.compile(r"国家统计局[\u4e00-\u9fff]{1,12}?调查(?:总)?队")


def _local(mentions) -> bool:
    return any(d.level > 0 for _, _, cands in mentions for d, _full in cands)


def _best(mentions, in_title: bool, level_hint: int | None) -> Division | None:
    """The division these mentions most likely speak of, or None when none counts."""
    named = {d.code for _, _, cands in mentions for d, _full in cands}
    scored: dict[Division, float] = {}
    for position, _name, cands in mentions:
        for division, full in cands:
            parents = _parents(division)
            if not full and division.level == 3 and not parents & named:
                continue  # a county's short form (宏伟, 河北) counts only beside its parents' names
            score = (3.0 if full else 0.5) + (2.0 if full else 0.5) * len(parents & named)
            # in the title the deepest full name wins (北京市大兴区); a short form there is more
            # often where something happened (在广州开幕) than whose report it is
            score += division.level * (2.0 if in_title and full else 0.3)
            score -= position / 10000.0
            if not in_title and _fits_level(division, level_hint):
                score += 3.0
            scored[division] = scored.get(division, 0.0) + score
    if not scored:
        return None
    return max(scored.items(), key=lambda item: (item[1], -int(item[0].code or item[0].host or "0")))[0]


@lru_cache(maxsize=1)
def _self_references() -> dict[int, re.Pattern]:
    cues = _cues()
    return {level: re.compile("|".join(map(re.escape, cues[f"self_level_{level}"]))) for level in range(4)}


def _self_reference_level(body: str) -> int | None:
    """Which level the report speaks of itself at: 全国 → country, 全省 → province, 全区 → county."""
    counts = {level: len(pattern.findall(body)) for level, pattern in _self_references().items()}
    level, count = max(counts.items(), key=lambda item: (item[1], item[0]))
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
