"""Through the command line: a second ingest into a region rewrites that region's page only."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.integration.conftest import SAMPLES_DIR


def pages(reports: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in reports.glob("*.html")}


def region_page(reports: Path, district: str) -> str:
    """The page whose heading names ``district`` (file names are region codes)."""
    (name,) = [p.name for p in reports.glob("*.html")
               if re.search(f"<h1>[^<]*{district}", p.read_text(encoding="utf-8"))]
    return name


def test_second_document_of_a_region_leaves_other_pages_alone(etl):
    reports = etl.root / "home" / "reports"
    etl.run("ingest", str(SAMPLES_DIR / "dx-2023-plan.txt"), str(SAMPLES_DIR / "th-2024-gwr.txt"), check=True)
    daxing, tianhe = region_page(reports, "大兴区"), region_page(reports, "天河区")
    for p in reports.glob("*.html"):  # older than any rewrite, even on a coarse clock
        t = p.stat().st_mtime_ns - 10**10
        os.utime(p, ns=(t, t))
    before = pages(reports)

    etl.run("ingest", str(SAMPLES_DIR / "dx-2024-plan.txt"), check=True)
    after = pages(reports)
    assert after[tianhe] == before[tianhe]
    assert after[daxing][0] > before[daxing][0] and after[daxing][1] != before[daxing][1]
    assert after["index.html"][0] > before["index.html"][0]
    assert after["quality.html"][0] > before["quality.html"][0]
