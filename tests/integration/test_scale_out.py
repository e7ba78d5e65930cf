"""Scale-out is configuration of the same job: ``ingest_reports`` with the multiprocess executor
and Parquet staging runs the same asset functions (each step in its own process, per-document
outcomes staged by worker processes, one writer per step) and the warehouse ends up with exactly
what `annual-etl ingest`, which calls the same step functions without Dagster, produces.
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


def test_the_ingest_job_scaled_out_by_configuration_matches_the_command_line(etl, generate_reports, tmp_path,
                                                                             monkeypatch):
    import pyarrow.parquet as pq
    from dagster import AssetKey, DagsterEventType, DagsterInstance

    from pipelines.jobs import run_scaled_out
    from pipelines.landing import Archive, land_paths

    sources = etl.sources / "batch"
    generate_reports(tmp_path / "gen", 4)
    shutil.copytree(tmp_path / "gen", sources)
    (sources / "empty.txt").write_bytes(b"")  # a rejected document travels through staging too

    monkeypatch.setenv("ANNUAL_ETL_HOME", str(tmp_path / "scale_home"))  # reports, Data Docs, alert log
    monkeypatch.setenv("ANNUAL_ETL_WORKERS", "2")
    staging, scaled, archive = tmp_path / "staging", tmp_path / "scaled.duckdb", tmp_path / "scale_archive"
    records, _ = land_paths([sources], Archive(archive))
    ids = sorted(r.document_id for r in records)
    (tmp_path / "dagster").mkdir()
    with DagsterInstance.local_temp(str(tmp_path / "dagster")) as instance:
        success, run_id = run_scaled_out(instance, ids, warehouse=str(scaled), archive=str(archive),
                                         staging=str(staging), max_concurrent=2)
        # every step of the job ran in a process of its own (Dagster's multiprocess executor)
        started = {e.step_key for e in instance.all_logs(run_id, of_type=DagsterEventType.STEP_WORKER_STARTED)}
        materialized = {key: instance.get_materialized_partitions(AssetKey(key))
                        for key in ("raw_documents", "indicator_facts")}
        marts = instance.get_latest_materialization_event(AssetKey("latest_indicators"))
    assert success
    assert {"raw_documents", "indicator_facts", "marts", "region_reports", "cross_document_checks"} <= started
    assert materialized == {"raw_documents": set(ids), "indicator_facts": set(ids)}
    assert marts is not None and marts.run_id == run_id

    # one Parquet file per document and stage, written by worker processes, not by this one
    raw_files, core_files = sorted((staging / "raw").glob("*.parquet")), sorted((staging / "core").glob("*.parquet"))
    assert [f.stem for f in raw_files] == ids
    assert len(core_files) == 4  # the parsed documents
    pids = {pq.read_table(f, columns=["staged_by_pid"]).to_pylist()[0]["staged_by_pid"] for f in raw_files + core_files}
    assert os.getpid() not in pids and len(pids) >= 2
    assert not list(staging.rglob(".staging-*"))  # no half-written file left behind

    # the command line (the same step functions, in process, no staging) gives the same rows
    done = etl.ingest(sources, timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    expected = _snapshot(etl.warehouse)
    got = _snapshot(scaled)
    for table in COMPARED:
        assert got[table] == expected[table], table
    assert len(got["core.indicator_facts"]) > 40
