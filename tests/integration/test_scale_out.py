"""The scale-out split works on one machine: per-document extraction in separate processes
(Dagster's multiprocess executor) into Parquet staging files, one loader into DuckDB, and the
warehouse ends up with exactly what the ordinary in-process ingest produces.
"""

from __future__ import annotations

import os
import shutil

import pytest

pytestmark = pytest.mark.slow

COMPARED = {
    "raw.documents": "SELECT document_id, file_name, media_type, size_bytes, sha256, encoding, status, reject_reason"
                     " FROM raw.documents ORDER BY ALL",
    "raw.document_texts": "SELECT document_id, md5(text), page_spans, tables, title_hint FROM raw.document_texts ORDER BY ALL",
    "core.documents": "SELECT document_id, title, region, region_code, doc_type, actual_year, plan_year, published_on,"
                      " source_agency, page_count, char_count, extractor_version FROM core.documents ORDER BY ALL",
    "core.indicator_facts": "SELECT * EXCLUDE (loaded_at) FROM core.indicator_facts ORDER BY ALL",
    "quality.quarantine": "SELECT * EXCLUDE (detected_at) FROM quality.quarantine ORDER BY ALL",
}


def _snapshot(etl_or_path) -> dict[str, list]:
    import duckdb

    con = duckdb.connect(str(etl_or_path), read_only=True)
    try:
        columns = {r[0] for r in con.execute(
            "SELECT table_schema || '.' || table_name || '.' || column_name FROM information_schema.columns").fetchall()}
        out = {}
        for table, sql in COMPARED.items():
            if "EXCLUDE (loaded_at)" in sql and f"{table}.loaded_at" not in columns:
                sql = sql.replace(" EXCLUDE (loaded_at)", "")
            if "EXCLUDE (detected_at)" in sql and f"{table}.detected_at" not in columns:
                sql = sql.replace(" EXCLUDE (detected_at)", "")
            out[table] = con.execute(sql).fetchall()
        return out
    finally:
        con.close()


def test_fanned_out_extraction_into_parquet_then_one_loader_matches_the_ingest(etl, generate_reports, tmp_path):
    import pyarrow.parquet as pq
    from dagster import DagsterInstance

    from pipelines.scale_out import run_scale_out

    sources = etl.sources / "batch"
    generate_reports(tmp_path / "gen", 4)
    shutil.copytree(tmp_path / "gen", sources)
    (sources / "empty.txt").write_bytes(b"")  # a rejected document travels through staging too

    staging = tmp_path / "staging"
    scaled = tmp_path / "scaled.duckdb"
    home = tmp_path / "scale_home"
    home.mkdir()
    old_home = os.environ.get("DAGSTER_HOME")
    with DagsterInstance.local_temp(str(home)) as instance:
        success, records, counts = run_scale_out([sources], warehouse=scaled, archive=tmp_path / "scale_archive",
                                                 staging=staging, instance=instance, max_concurrent=2)
        run = instance.get_runs()[0]
        stats = instance.get_run_stats(run.run_id)
    assert os.environ.get("DAGSTER_HOME") == old_home
    assert success
    assert len(records) == 5
    assert counts["documents"] == 5 and counts["parsed"] == 4 and counts["facts"] > 40
    assert stats.steps_succeeded == 1 + 5 + 1  # fan-out, one step per document, the loader

    # one Parquet file per document, written by processes other than this one, in parallel
    files = sorted(staging.glob("*.parquet"))
    assert [f.stem for f in files] == sorted(r.document_id for r in records)
    staged = [pq.read_table(f, columns=["document_id", "status", "facts", "staged_by_pid"]).to_pylist()[0]
              for f in files]
    pids = {row["staged_by_pid"] for row in staged}
    assert os.getpid() not in pids and len(pids) >= 2
    assert sum(row["status"] == "rejected" for row in staged) == 1
    assert sum(row["facts"] for row in staged) == counts["facts"]
    assert not list(staging.glob(".staging-*"))  # no half-written file left behind

    # the ordinary in-process ingest of the same folder gives the same warehouse rows
    done = etl.ingest(sources, timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    expected = _snapshot(etl.warehouse)
    got = _snapshot(scaled)
    for table in COMPARED:
        assert got[table] == expected[table], table
    assert len(got["core.indicator_facts"]) == counts["facts"]
