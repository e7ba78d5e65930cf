"""Cue words and patterns as data: ``pipelines/data/cues.csv`` (the indicator aliases stay in
``indicator_aliases.csv``).

Each row is ``list,entry,value,note``. A list is an ordered alternation of entries; an entry is a
regex fragment (a plain word is one) and may name another list as ``{other}``, the way
Recognizers-Text's ``!nestedRegex`` does. ``value`` carries what a word means where the list is
a table (comparator, period code, year offset, code). Nothing is read at import time: lists are
loaded on first use and compiled once, so the engine's modules can name them as constants.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data"
CUES = DATA / "cues.csv"
_REF = re.compile(r"\{([a-z][a-z0-9_]*)\}")


class LexiconError(ValueError):
    """The cue data is inconsistent (unknown reference, duplicate entry, empty list)."""


@lru_cache(maxsize=1)
def _rows() -> dict[str, list[tuple[str, str]]]:
    lists: dict[str, list[tuple[str, str]]] = {}
    with CUES.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = (row["list"] or "").strip()
            if not name or name.startswith("#"):
                continue
            lists.setdefault(name, []).append((row["entry"], (row.get("value") or "").strip()))
    return lists


def names() -> list[str]:
    return list(_rows())


def entries(name: str) -> list[str]:
    """The entries of a list, in order (references not expanded)."""
    try:
        return [e for e, _ in _rows()[name]]
    except KeyError:
        raise LexiconError(f"no cue list {name!r} in {CUES.name}") from None


@lru_cache(maxsize=None)
def table(name: str) -> dict[str, str]:
    """entry → value, for lists that are tables (comparators, periods …)."""
    return {e: v for e, v in _rows().get(name, []) or _missing(name)}


def _missing(name: str):
    raise LexiconError(f"no cue list {name!r} in {CUES.name}")


@lru_cache(maxsize=None)
def pattern(name: str, _seen: tuple[str, ...] = ()) -> str:
    """The alternation of a list's entries, with ``{other}`` references expanded."""
    if name in _seen:
        raise LexiconError(f"cue list {name!r} refers to itself through {' → '.join(_seen)}")
    parts = []
    for entry in entries(name):
        parts.append(_REF.sub(lambda m: "(?:" + pattern(m.group(1), _seen + (name,)) + ")", entry))
    return "|".join(parts)


def expand(fragment: str) -> str:
    """One entry with its ``{other}`` references expanded (for tables whose keys are regexes)."""
    return _REF.sub(lambda m: "(?:" + pattern(m.group(1)) + ")", fragment)


@lru_cache(maxsize=None)
def compiled(name: str, template: str = "{}") -> re.Pattern:
    """``re.compile(template.format(alternation))``: the template adds anchors or groups."""
    return re.compile(template.replace("{}", pattern(name)))


class Lazy:
    """An object built on first use (a regex from a cue list, most often); stands in for a
    module-level ``re.compile`` so that importing the engine reads no data. Once built, the
    object's attributes are copied onto the stand-in, so later calls (``X.search``) cost a plain
    attribute lookup rather than a ``__getattr__`` round trip."""

    def __init__(self, build: Callable[[], Any]):
        self._build, self._obj = build, None

    def get(self) -> Any:
        obj = self._obj
        if obj is None:
            obj = self._obj = self._build()
            if isinstance(obj, re.Pattern):
                for name in ("search", "match", "fullmatch", "finditer", "findall", "sub", "split", "pattern"):
                    setattr(self, name, getattr(obj, name))
        return obj

    def __getattr__(self, attr):
        if attr.startswith("_"):
            raise AttributeError(attr)
        return getattr(self.get(), attr)


def rx(name: str, template: str = "{}") -> Lazy:
    """The regex of a cue list, compiled on first use."""
    return Lazy(lambda: compiled(name, template))


class LazyTable(Mapping):
    """A cue list read as a dict (entry → converted value) on first use."""

    def __init__(self, name: str, convert: Callable[[str], Any] = str):
        self._name, self._convert, self._d = name, convert, None

    def _get(self) -> dict:
        if self._d is None:
            self._d = {k: self._convert(v) for k, v in table(self._name).items()}
        return self._d

    def __getitem__(self, key):
        return self._get()[key]

    def __iter__(self) -> Iterator:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


def words(name: str) -> Lazy:
    """The entries of a cue list as a frozenset, on first use (``x in words(...).get()``)."""
    return Lazy(lambda: frozenset(entries(name)))


def check() -> list[str]:
    """Problems in the cue data: unknown references, duplicate entries within a list, empty
    entries, and regex fragments that do not compile."""
    problems = []
    lists = _rows()
    for name, rows in lists.items():
        seen = set()
        for entry, _ in rows:
            if not entry:
                problems.append(f"{name}: empty entry")
            if entry in seen:
                problems.append(f"{name}: duplicate entry {entry!r}")
            seen.add(entry)
            for ref in _REF.findall(entry):
                if ref not in lists:
                    problems.append(f"{name}: unknown reference {{{ref}}} in {entry!r}")
        try:
            re.compile(pattern(name))
        except (re.error, LexiconError) as exc:
            problems.append(f"{name}: {exc}")
    return problems
