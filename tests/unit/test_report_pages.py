"""An ingest rewrites only the region pages whose inputs changed (pipelines/report_pages.py)."""

from __future__ import annotations

import json
import os
from datetime import date

import duckdb
import pytest

from pipelines import charts, marts, report, report_pages, steps
from pipelines.steps import warehouse_opener
from tests.unit.test_marts import CY_CODE, DOCS, DX, DX_CODE, D, F, fill_core, make_warehouse

# A made-up later bulletin of 大兴, with a figure of a year no other document gives.
LATER = D("dx-later", "大兴区虚构统计公报", DX, DX_CODE, "stats_bulletin", 2026, None, date(2027, 3, 9),
          ["全区地区生产总值增长3.3%,比上年回落零点二个百分点。"],
          [F(0, "3.3%", "gdp", 2026, "growth_pct", 3.3, "percent")])


def snapshot(out) -> dict[str, tuple[int, bytes]]:
    """Every page's mtime (ns) and bytes."""
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.glob("*.html")}


def age(out, seconds: float = 10.0) -> None:
    """Move every page's mtime back, so a rewrite shows even on a coarse clock."""
    for p in out.glob("*.html"):
        t = p.stat().st_mtime_ns - int(seconds * 1e9)
        os.utime(p, ns=(t, t))


def update(db, out, everything: bool = False):
    result = steps.region_reports(warehouse_opener(db), out, everything=everything)
    return result.materialized["region_reports"]


@pytest.fixture
def home(tmp_path):
    db, out = tmp_path / "w.duckdb", tmp_path / "out"
    make_warehouse(db)
    first = update(db, out)
    assert first["pages"] == 2 and first["unchanged"] == 0
    age(out)
    return db, out


def test_nothing_changed_nothing_rewritten_but_index_and_quality(home):
    db, out = home
    before = snapshot(out)
    meta = update(db, out)
    assert (meta["pages"], meta["unchanged"], meta["removed"]) == (0, 2, 0)
    after = snapshot(out)
    assert after[f"{DX_CODE}.html"] == before[f"{DX_CODE}.html"]
    assert after[f"{CY_CODE}.html"] == before[f"{CY_CODE}.html"]
    assert after["index.html"][0] > before["index.html"][0]  # always refreshed
    assert after["quality.html"][0] > before["quality.html"][0]


def test_a_new_document_of_one_region_leaves_the_other_page_alone(home):
    db, out = home
    before = snapshot(out)
    with duckdb.connect(str(db)) as con:
        fill_core(con, [LATER])
        marts.build_all_marts(con)
    meta = update(db, out)
    assert (meta["pages"], meta["unchanged"]) == (1, 1)
    after = snapshot(out)
    assert after[f"{CY_CODE}.html"] == before[f"{CY_CODE}.html"]
    assert after[f"{DX_CODE}.html"][0] > before[f"{DX_CODE}.html"][0]
    assert "大兴区虚构统计公报" in after[f"{DX_CODE}.html"][1].decode()


def test_a_changed_figure_rewrites_its_page(home):
    db, out = home
    before = snapshot(out)
    with duckdb.connect(str(db)) as con:
        (fact,) = con.execute("SELECT fact_id FROM core.indicator_facts WHERE region = ? AND raw_text = ?",
                              [DX, "844.1亿元"]).fetchall()
        con.execute("UPDATE core.indicator_facts SET value = 84_420_000_000 WHERE fact_id = ?", [fact[0]])
        marts.build_all_marts(con)
    update(db, out)
    after = snapshot(out)
    assert after[f"{CY_CODE}.html"] == before[f"{CY_CODE}.html"]
    assert after[f"{DX_CODE}.html"][0] > before[f"{DX_CODE}.html"][0]
    assert "844.2亿元" in after[f"{DX_CODE}.html"][1].decode()


def test_a_vanished_region_loses_its_page_and_index_entry(home, tmp_path):
    db, out = home
    (out / "notes.html").write_text("not ours", encoding="utf-8")  # never recorded: never removed
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM core.indicator_facts WHERE region <> ?", [DX])
        marts.build_all_marts(con)
    meta = update(db, out)
    assert meta["removed"] == 1
    assert not (out / f"{CY_CODE}.html").exists() and (out / "notes.html").exists()
    assert f"{CY_CODE}.html" not in (out / "index.html").read_text(encoding="utf-8")
    state = json.loads((out / report_pages.STATE_FILE).read_text(encoding="utf-8"))
    assert set(state["pages"]) == {f"{DX_CODE}.html"}


def test_a_deleted_or_unrecorded_page_is_written_again(home):
    db, out = home
    (out / f"{CY_CODE}.html").unlink()
    assert update(db, out)["pages"] == 1
    (out / report_pages.STATE_FILE).write_text("{not json", encoding="utf-8")
    assert update(db, out)["pages"] == 2  # no usable state: every page counts as changed


def test_everything_and_the_explicit_command_rewrite_all_pages(home):
    db, out = home
    assert update(db, out, everything=True)["pages"] == 2
    with duckdb.connect(str(db), read_only=True) as con:
        assert len(report.write_region_reports(con, out)) == 2


def test_digests_follow_the_rows_not_their_order(tmp_path):
    first, second = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    make_warehouse(first)
    make_warehouse(second, list(reversed(DOCS)))
    with duckdb.connect(str(first), read_only=True) as a, duckdb.connect(str(second), read_only=True) as b:
        digests = report_pages.region_digests(a, "zh")
        assert digests == report_pages.region_digests(b, "zh")
        assert digests != report_pages.region_digests(a, "en")  # an English page is another page
        assert set(digests) >= {DX}


def test_unchanged_pages_build_no_chart(home, monkeypatch):
    db, out = home

    def no_chart(*args, **kwargs):
        raise AssertionError("built a chart for an unchanged page")

    monkeypatch.setattr("pipelines.report_indicator.chart_html", no_chart)
    assert update(db, out)["pages"] == 0


def test_pages_find_the_chart_scripts_beside_them(home):
    db, out = home
    (out / charts.ASSETS_DIR / "region-charts.js").unlink()
    assert update(db, out)["pages"] == 0  # pages unchanged, the missing script put back
    for name in charts.ASSET_FILES:
        assert (out / charts.ASSETS_DIR / name).read_bytes() == (charts.ASSETS_SOURCE / name).read_bytes()


def test_state_of_the_svg_pages_rewrites_them_and_drops_their_chart_cache(home):
    db, out = home
    old = out / report_pages.OLD_CHART_CACHE
    old.mkdir()
    (old / "0123abcd.svg").write_text("<svg></svg>", encoding="utf-8")
    state = json.loads((out / report_pages.STATE_FILE).read_text(encoding="utf-8"))
    state["version"] = 1  # written by the matplotlib pages
    (out / report_pages.STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    assert update(db, out)["pages"] == 2
    assert not old.exists()
    (out / report_pages.OLD_CHART_CACHE).mkdir()
    (out / report_pages.OLD_CHART_CACHE / "notes.txt").write_text("not ours", encoding="utf-8")
    update(db, out)
    assert (out / report_pages.OLD_CHART_CACHE / "notes.txt").exists()  # only the cached charts removed
