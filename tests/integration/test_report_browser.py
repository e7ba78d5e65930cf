"""Open a region report in headless Chromium and check what a reader gets.

Needs the Debian package ``chromium`` (``/usr/bin/chromium``); skipped with a reason when it is
absent. Chromium runs with networking features off and a throw-away profile, on ``file://`` pages.
The charts are drawn by the page's scripts (Chart.js from ``assets/``): a probe copy of the page,
beside it, reads back each canvas's Chart instance and pixels and any error the page raised.
"""

from __future__ import annotations

import html as html_lib
import json
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
    # one canvas per chart, sized by Chart.js (the scripts ran)
    canvases = re.findall(r"<canvas\b[^>]*>", dom)
    assert len(canvases) >= 6 and all('style="display: block;' in c for c in canvases)
    # numbers and marks a reader looks for
    for s in ("844.1亿元", "1,017.7亿元", "−17.06%", "4.5%左右", "✓ attained", "✗ missed"):
        assert s in dom, s
    assert "<mark>844.1亿元</mark>" in dom
    # nothing that would reach the network: the only scripts are the two beside the page
    assert "<link" not in dom
    assert re.findall(r'<script src="([^"]+)"', dom) == ["assets/chart.umd.min.js", "assets/region-charts.js"]


# Injected first in <head>: records uncaught errors, failed loads and console.error calls.
PROBE_HEAD = """<script>window.__problems = [];
window.addEventListener("error", function (e) {
  window.__problems.push(e.message || ("failed to load " + (e.target && (e.target.src || e.target.href))));
}, true);
var __error = console.error;
console.error = function () { window.__problems.push([].join.call(arguments, " ")); __error.apply(console, arguments); };
</script>"""
# Appended after the page's scripts: each canvas's chart, its data and how many pixels it painted.
PROBE_TAIL = """<pre id="probe"></pre><script>
var out = {hasChart: typeof Chart !== "undefined", problems: window.__problems, charts: []};
document.querySelectorAll(".chart canvas").forEach(function (canvas) {
  var chart = window.Chart && Chart.getChart(canvas), painted = 0;
  var pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  for (var i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted++; }
  out.charts.push(chart ? {title: chart.options.plugins.title.text, labels: chart.data.labels,
    kinds: chart.data.datasets.map(function (d) { return d.kind; }),
    data: chart.data.datasets.map(function (d) { return d.data.map(function (p) { return [p.x, p.y]; }); }),
    colors: chart.getDatasetMeta(0).data.map(function (el) { return el.options.backgroundColor; }),
    painted: painted} : null);
});
document.getElementById("probe").textContent = JSON.stringify(out);
</script>"""


def _probe(page: Path, tmp_path: Path, name: str = "probe.html") -> dict:
    """Open a copy of ``page`` (beside it, so ``assets/`` resolves) with the probe; what it found."""
    text = page.read_text(encoding="utf-8")
    text = text.replace("<head>", "<head>" + PROBE_HEAD, 1).replace("</body>", PROBE_TAIL + "</body>", 1)
    probe = page.with_name(name)
    probe.write_text(text, encoding="utf-8")
    try:
        res = _run(["--dump-dom", probe.as_uri()], tmp_path / "profile")
    finally:
        probe.unlink()
    assert res.returncode == 0, res.stderr.decode("utf-8", "replace")[-2000:]
    found = re.search(r'<pre id="probe">(.*?)</pre>', res.stdout.decode("utf-8"), re.S)
    return json.loads(html_lib.unescape(found.group(1)))


@needs_chromium
def test_charts_are_drawn_in_the_browser_from_the_page_data(page, tmp_path):
    found = _probe(page, tmp_path)
    assert found["hasChart"] and found["problems"] == []
    charts = found["charts"]
    assert len(charts) >= 6 and None not in charts  # every canvas holds a Chart
    assert all(c["painted"] > 2000 for c in charts)  # and something was painted on it
    growth = next(c for c in charts if c["title"] == "规模以上工业总产值 · 增速 growth")
    assert growth["labels"] == ["2023", "2024"] and growth["kinds"] == ["bar", "target", "computed"]
    assert growth["data"] == [[["2023", -17.7], ["2024", 1.3]], [["2024", 5]], [["2023", -17.06]]]
    # the decline in the negative colour, lighter as an estimate, the other bar in the bar colour
    assert growth["colors"][0] == "rgba(192,80,77,0.55)" and growth["colors"][1].startswith("rgba(59,110,165,")


@needs_chromium
def test_without_the_assets_the_page_keeps_its_figures(page, tmp_path):
    """Moved away from assets/: no chart and no error beyond the missing scripts, the tables intact."""
    alone = tmp_path / "alone"
    alone.mkdir()
    copy = alone / page.name
    shutil.copy(page, copy)
    found = _probe(copy, tmp_path)
    assert not found["hasChart"] and all(c is None for c in found["charts"])
    assert all("failed to load" in p for p in found["problems"]) and len(found["problems"]) == 2
    dom = _run(["--dump-dom", copy.as_uri()], tmp_path / "profile2").stdout.decode("utf-8")
    assert "844.1亿元" in dom and "−17.06%" in dom


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
