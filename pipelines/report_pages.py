"""Which region pages are out of date: a content digest of what each page is built from.

A region page depends on the region's rows in the four marts, its figures in core.indicator_facts,
the documents (title, type, dates, text) behind those figures, core.indicators, indicators.csv and
the code that draws it. One grouped query hashes the region's rows per table (DuckDB's row hash,
summed, so row order does not matter); the sums, with a digest of the shared inputs, make the
page's digest. ``PageState`` keeps the digest each page was written with in ``.pages.json`` beside
the pages, so an ingest rewrites only the pages whose digest changed and removes the pages of
regions that are gone (only pages it recorded: nothing else in the folder is touched).
``update_region_reports`` does the writing for both the ingest step and ``write_region_reports``,
and keeps the chart scripts in ``assets/`` beside the pages (``charts.copy_assets``): a page holds
its charts' data, not the drawing code, so a new script needs no page rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import charts
from .report import CSS, find_regions, index_html, list_regions, region_file_name, render_region_html
from .settings import DATA_DIR

STATE_FILE = ".pages.json"
STATE_VERSION = 2  # 2: charts drawn in the browser from JSON (1: SVG by matplotlib)
OLD_CHART_CACHE = ".charts"  # version 1's drawn charts, removed
# The modules that turn rows into a page: a change to any of them rewrites every page.
RENDERERS = ("report.py", "report_indicator.py", "report_format.py", "charts.py", "display.py")

# Per region and table: how many rows and the sum of their hashes. Only the columns a page reads
# for the figures and documents (a re-extraction that changes nothing shown changes no digest).
REGION_PARTS_SQL = """
WITH facts AS (
    SELECT coalesce(f.region, d.region) AS region, f.document_id,
           hash(row(f.fact_id, f.document_id, f.indicator_code, f.indicator_label, f.year, f.period, f.basis,
                    f.measure, f.value, f.unit, f.comparator, f.raw_text, f.qualifier, f.page, f.char_start,
                    f.char_end, f.sentence)) AS h
    FROM core.indicator_facts AS f LEFT JOIN core.documents AS d USING (document_id)
    WHERE f.indicator_code IS NOT NULL),
docs AS (
    SELECT d.document_id, hash(row(d.document_id, d.title, d.region_code, d.doc_type, d.actual_year, d.plan_year,
                                   d.published_on, t.text)) AS h
    FROM core.documents AS d LEFT JOIN core.document_texts AS t USING (document_id)),
parts AS (
    SELECT region, 'latest' AS part, hash(m) AS h FROM marts.latest_indicators AS m
    UNION ALL SELECT region, 'yoy', hash(m) FROM marts.indicator_yoy AS m
    UNION ALL SELECT region, 'pva', hash(m) FROM marts.plan_vs_actual AS m
    UNION ALL SELECT region, 'revs', hash(m) FROM marts.indicator_revisions AS m
    UNION ALL SELECT region, 'facts', h FROM facts
    UNION ALL SELECT r.region, 'docs', d.h FROM (SELECT DISTINCT region, document_id FROM facts) AS r
              JOIN docs AS d USING (document_id))
SELECT region, part, count(*), sum(h::HUGEINT)::VARCHAR FROM parts WHERE region IS NOT NULL
GROUP BY region, part ORDER BY region, part
"""
SHARED_SQL = "SELECT count(*), sum(hash(i)::HUGEINT)::VARCHAR FROM core.indicators AS i"


def _shared_digest(con) -> str:
    """The inputs every page shares: core.indicators, indicators.csv and the renderers."""
    digest = hashlib.sha256(repr(con.execute(SHARED_SQL).fetchone()).encode())
    here = Path(__file__).resolve().parent
    for path in [DATA_DIR / "indicators.csv", *(here / name for name in RENDERERS)]:
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"-")
    return digest.hexdigest()


def region_digests(con, lang: str) -> dict[str, str]:
    """``{region: digest}`` of every region with rows in the marts or figures, for pages in ``lang``."""
    shared = _shared_digest(con)
    parts: dict[str, list] = {}
    for region, part, count, total in con.execute(REGION_PARTS_SQL).fetchall():
        parts.setdefault(region, []).append((part, count, total))
    return {region: hashlib.sha256(json.dumps([STATE_VERSION, shared, lang, region, rows]).encode()).hexdigest()
            for region, rows in parts.items()}


@dataclass
class PageState:
    """The digest each region page was last written with, read from and saved to ``STATE_FILE``."""

    out_dir: Path
    pages: dict[str, dict[str, str]] = field(default_factory=dict)  # file name -> region, lang, digest

    @classmethod
    def load(cls, out_dir: Path) -> "PageState":
        try:
            data = json.loads((out_dir / STATE_FILE).read_text(encoding="utf-8"))
            pages = data["pages"] if data.get("version") == STATE_VERSION else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pages = {}  # no state yet, or unreadable: every page counts as changed
        return cls(out_dir, {k: v for k, v in pages.items() if isinstance(v, dict) and _safe_name(k)})

    def current(self, file_name: str, digest: str | None) -> bool:
        """True when the page on disk was written from inputs with this digest."""
        entry = self.pages.get(file_name)
        return (digest is not None and entry is not None and entry.get("digest") == digest
                and (self.out_dir / file_name).is_file())

    def record(self, file_name: str, region: str, lang: str, digest: str | None) -> None:
        """The page was written from inputs with ``digest``."""
        if digest is None:
            self.pages.pop(file_name, None)
        else:
            self.pages[file_name] = {"region": region, "lang": lang, "digest": digest}

    def remove_others(self, keep: set[str], lang: str) -> list[str]:
        """Delete the recorded ``lang`` pages not in ``keep`` (their region is gone); their names."""
        gone = sorted(n for n, e in self.pages.items() if e.get("lang") == lang and n not in keep)
        for name in gone:
            (self.out_dir / name).unlink(missing_ok=True)
            del self.pages[name]
        return gone

    def save(self) -> None:
        """Write the state whole or not at all (a new file renamed over the old one)."""
        path = self.out_dir / STATE_FILE
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"version": STATE_VERSION, "pages": self.pages}, ensure_ascii=False, indent=1),
                       encoding="utf-8")
        os.replace(tmp, path)


def _safe_name(name: object) -> bool:
    """A page name we could have written: a plain ``.html`` file in the folder, never a path."""
    return isinstance(name, str) and name.endswith(".html") and "/" not in name and "\\" not in name \
        and not name.startswith(".")


@dataclass
class PagesWritten:
    """What one call wrote: the region pages rewritten, those left as they were, those removed."""

    written: list[Path]
    unchanged: list[Path]
    removed: list[str]


def _page_names(regions: list[tuple[str, str | None]], lang: str) -> list[tuple[str, str | None, str]]:
    """``(region, code, file name)`` per region: the code, else a slug; ``.en.html`` beside the Chinese."""
    entries: list[tuple[str, str | None, str]] = []
    used: set[str] = set()
    for name, code in regions:
        fname = region_file_name(name, code)
        if fname in used:  # two names under one code: keep both pages apart
            fname = region_file_name(name, None)
        if lang == "en":  # beside the Chinese pages, not over them
            fname = fname.removesuffix(".html") + ".en.html"
        used.add(fname)
        entries.append((name, code, fname))
    return entries


def update_region_reports(con, out_dir: Path, region: str | None = None, lang: str = "zh",
                          docs_dir: Path | None = None, only_changed: bool = False) -> PagesWritten:
    """Write the region pages into ``out_dir`` (see ``write_region_reports``).

    ``only_changed`` skips a page whose inputs have the digest it was last written with
    (``report_pages``): an ingest pays for the regions it changed, not for every region. Every
    page written records its digest; the chart scripts are put in ``assets/`` when they differ.
    When all regions are asked for, the pages of regions that are gone are removed, and the index
    and ``quality.html`` are always rewritten.
    """
    out_dir = Path(out_dir)
    regions = list_regions(con) if region is None else find_regions(con, region)
    out_dir.mkdir(parents=True, exist_ok=True)
    state = PageState.load(out_dir)
    digests = region_digests(con, lang)
    done = PagesWritten([], [], [])
    entries = _page_names(regions, lang)
    charts.copy_assets(out_dir)
    for name, _code, fname in entries:
        path = out_dir / fname
        if only_changed and state.current(fname, digests.get(name)):
            done.unchanged.append(path)
            continue
        path.write_text(render_region_html(con, name, lang=lang), encoding="utf-8")
        state.record(fname, name, lang, digests.get(name))
        done.written.append(path)
    if region is None:
        from .quality_page import FILE_NAME, render_quality_html

        done.removed = state.remove_others({fname for _, _, fname in entries}, lang)
        (out_dir / FILE_NAME).write_text(render_quality_html(con, docs_dir=docs_dir, css=CSS), encoding="utf-8")
        index = "index.en.html" if lang == "en" else "index.html"
        (out_dir / index).write_text(index_html(entries, FILE_NAME), encoding="utf-8")
    if entries or done.removed:
        state.save()
    _remove_old_chart_cache(out_dir)
    return done


def _remove_old_chart_cache(out_dir: Path) -> None:
    """Delete the SVG files an earlier version cached in ``.charts/`` (and the folder once empty)."""
    folder = out_dir / OLD_CHART_CACHE
    if not folder.is_dir():
        return
    for path in folder.glob("*.svg"):
        path.unlink(missing_ok=True)
    try:
        folder.rmdir()
    except OSError:  # something else lives there: not ours to remove
        pass
