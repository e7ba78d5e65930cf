"""A temp DuckDB warehouse for the quality tests, built from the declared tables (warehouse/schema/)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import duckdb


def create_schema(con) -> None:
    from pipelines.warehouse import ensure_schema

    ensure_schema(con)


def load_planted(con, planted, screened) -> None:
    """Write the planted document the way the indicator_facts asset does (without Dagster)."""
    from pipelines.quality.rules import QUARANTINE_INSERT_SQL, quarantine_rows

    now = datetime(2026, 1, 1, 12, 0)
    doc = planted.document_id
    sha256 = hashlib.sha256(planted.text.encode("utf-8")).hexdigest()
    sha256 = doc + sha256[16:] if not sha256.startswith(doc) else sha256
    con.execute(
        "INSERT INTO raw.documents (document_id, source_path, file_name, media_type, size_bytes, sha256, "
        "encoding, status, ingested_at) VALUES (?, ?, ?, 'text/plain', ?, ?, 'utf-8', 'parsed', ?)",
        [doc, f"/tmp/{doc}.txt", "dx-2024-planted.txt", len(planted.text.encode()), sha256, now],
    )
    con.execute(
        "INSERT INTO core.documents (document_id, title, region, region_code, doc_type, actual_year, plan_year, "
        "char_count, extractor_version, loaded_at) VALUES (?, ?, ?, ?, 'plan_report', 2024, 2025, ?, 'test', ?)",
        [doc, "大兴区2024年计划执行情况(植入)", "北京市大兴区", "110115", len(planted.text), now],
    )
    con.execute("INSERT INTO core.document_texts VALUES (?, ?)", [doc, planted.text])
    for i, f in enumerate(screened.accepted):
        con.execute(
            "INSERT INTO core.indicator_facts (fact_id, document_id, region, indicator_code, indicator_label, year, "
            "period, basis, measure, value, unit, comparator, raw_text, qualifier, char_start, char_end, sentence) "
            "VALUES (?, ?, '北京市大兴区', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [f"{doc}-{i}", doc, f.indicator_code, f.indicator_label, f.year, f.period, f.basis, f.measure,
             f.value, f.unit, f.comparator, f.raw_text, f.qualifier, f.char_start, f.char_end, f.sentence],
        )
    con.executemany(QUARANTINE_INSERT_SQL, quarantine_rows(doc, screened.quarantined, now))


def temp_warehouse(path: Path) -> Path:
    con = duckdb.connect(str(path))
    try:
        create_schema(con)
    finally:
        con.close()
    return path
