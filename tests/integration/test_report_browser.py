"""Open a region report in headless Chromium and check what a reader gets.

Needs the Debian package ``chromium`` (``/usr/bin/chromium``); skipped with a reason when it is
absent. Chromium runs with networking features off and a throw-away profile.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import duckdb
import pytest

from pipelines import report
from tests.unit.test_marts import DX_CODE, make_warehouse

pytestmark = pytest.mark.slow


def _chromium() -> str | None:
    for cand in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                 shutil.which("chromium-browser")):
        if cand and Path(cand).is_file() and os.access(cand, os.X_OK):
            return cand
    return None


CHROMIUM = _chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium not found at /usr/bin/chromium (install the Debian package: "
    "apt-get install -y chromium)",
)


def _run(args: list[str], profile: Path, timeout: int = 90) -> subprocess.CompletedProcess:
    cmd = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
        f"--user-data-dir={profile}", *args,
    ]
    return subprocess.run(cmd, capture_output=True, timeout=timeout, text=False)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    db = root / "w.duckdb"
    make_warehouse(db)
    con = duckdb.connect(str(db))
    try:
        paths = report.write_region_reports(con, root / "out")
    finally:
        con.close()
    (p,) = [p for p in paths if p.name == f"{DX_CODE}.html"]
    return p


@needs_chromium
def test_dumped_dom_has_charts_and_numbers(page, tmp_path):
    res = _run(["--dump-dom", page.as_uri()], tmp_path / "profile")
    assert res.returncode == 0, res.stderr.decode("utf-8", "replace")[-2000:]
    dom = res.stdout.decode("utf-8")
    assert "北京市大兴区" in dom
    # the SVG charts survive parsing as SVG elements with their bars
    assert len(re.findall(r"<svg\b", dom)) >= 6
    assert len(re.findall(r'<g class="bar', dom)) >= 8
    assert re.search(r'<g class="bar neg[^"]*" data-value="−17.7"', dom)
    assert 'class="target"' in dom and 'class="computed"' in dom
    # numbers and marks a reader looks for
    for s in ("844.1亿元", "1,017.7亿元", "−17.06%", "4.5%左右", "✓ attained", "✗ missed"):
        assert s in dom, s
    assert "<mark>844.1亿元</mark>" in dom
    # nothing that would reach the network
    assert "<script" not in dom and "<link" not in dom


@needs_chromium
def test_screenshot_renders(page, tmp_path):
    shot = tmp_path / "page.png"
    res = _run(["--window-size=1100,2400", "--hide-scrollbars", f"--screenshot={shot}", page.as_uri()],
               tmp_path / "profile")
    assert res.returncode == 0, res.stderr.decode("utf-8", "replace")[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1100, 2400)
    # a real page, not a blank one: a blank white PNG of this size compresses to a few KB
    assert len(data) > 50_000
    keep = os.environ.get("ANNUAL_ETL_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)


@pytest.fixture(scope="module")
def quality_page(tmp_path_factory) -> Path:
    from tests.unit.test_quality_page import build_pages

    return build_pages(tmp_path_factory.mktemp("quality_browser"))


@needs_chromium
def test_quality_page_renders_offline(quality_page, tmp_path):
    """The quality page in a browser with no network: content there, styled, not blank."""
    res = _run(["--dump-dom", quality_page.as_uri()], tmp_path / "profile")
    assert res.returncode == 0, res.stderr.decode("utf-8", "replace")[-2000:]
    dom = res.stdout.decode("utf-8")
    for text in ("Data quality", "values_between:value", "<mark>84.4.1亿元</mark>", "two decimal points",
                 "cross_document:conflict"):
        assert text in dom, text
    shot = tmp_path / "quality.png"
    res = _run(["--window-size=1100,1400", "--hide-scrollbars", f"--screenshot={shot}", quality_page.as_uri()],
               tmp_path / "profile2")
    assert res.returncode == 0, res.stderr.decode("utf-8", "replace")[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (1100, 1400)
    assert len(data) > 30_000  # text and tables drawn: a blank page of this size is a few KB
    keep = os.environ.get("ANNUAL_ETL_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(shot, Path(keep).with_name("quality-" + Path(keep).name))
