"""Charts already drawn, kept as files named by a digest of what they show.

A region page rewritten because one document was added usually shows most of its charts
unchanged; matplotlib costs ~50 ms a chart and ~0.5 s to import, so a page redraws only the
charts whose bars, markers or labels changed. The key covers every argument of the chart, the
chart and number-formatting code and matplotlib's version, so a stale chart is never reused.
``report_pages`` opens the cache for a run (``reusing``), records which charts each page uses
and removes the files no recorded page uses any more.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from importlib import metadata
from pathlib import Path

FOLDER = ".charts"
_ACTIVE: ContextVar["ChartCache | None"] = ContextVar("annual_etl_chart_cache", default=None)


@lru_cache(maxsize=1)
def _code_fingerprint() -> bytes:
    """The drawing code and matplotlib's version: a change to either redraws every chart."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in ("charts.py", "report_format.py", "display.py"):
        digest.update((here / name).read_bytes())
    try:
        digest.update(metadata.version("matplotlib").encode())
    except metadata.PackageNotFoundError:  # pragma: no cover - no chart can be drawn then
        pass
    return digest.digest()


class ChartCache:
    """SVG charts in ``folder``, one ``<key>.svg`` file each; ``used`` collects the keys asked for."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.used: set[str] = set()

    @staticmethod
    def key(*parts: object) -> str:
        """A digest of the chart's arguments (their repr: dataclasses and numbers repr exactly)."""
        return hashlib.sha256(_code_fingerprint() + repr(parts).encode("utf-8")).hexdigest()[:32]

    def get(self, key: str) -> str | None:
        self.used.add(key)
        try:
            svg = (self.folder / f"{key}.svg").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        return svg if svg.startswith("<svg") and svg.endswith("</svg>") else None  # else half a file: redraw

    def put(self, key: str, svg: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{key}.svg"
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(svg, encoding="utf-8")
        os.replace(tmp, path)

    def keep_only(self, keys: set[str]) -> int:
        """Remove the cached charts not in ``keys``; how many were removed."""
        removed = 0
        for path in self.folder.glob("*.svg"):
            if path.stem not in keys:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def active() -> ChartCache | None:
    """The cache of the run in progress, if one was opened (``reusing``)."""
    return _ACTIVE.get()


@contextmanager
def reusing(folder: Path) -> Iterator[ChartCache]:
    """Within the block, ``charts.svg_bar_chart`` reuses and stores charts in ``folder``."""
    cache = ChartCache(folder)
    token = _ACTIVE.set(cache)
    try:
        yield cache
    finally:
        _ACTIVE.reset(token)
