"""Writes to the warehouse, one transaction per batch of documents, idempotent.

Document lists are matched with ``IN (SELECT unnest(?))``, which DuckDB answers with a hash join;
``list_contains`` on every row made each batch's deletes grow with the warehouse.

A document's raw rows, and later its core rows, are replaced whole: delete then insert inside
one transaction, so a reader never sees half a document and a killed run leaves nothing partial.
"""

from __future__ import annotations

import logging
from datetime import datetime

import duckdb

from .quality.rules import QUARANTINE_COLUMNS
from .readers import READER_VERSION
from .transform import (CORE_DOCUMENT_COLUMNS, CORE_VERSION, DOCUMENT_ERROR_COLUMNS, FACT_COLUMNS,
                        RAW_DOCUMENT_COLUMNS, RAW_TEXT_COLUMNS, CoreOutcome, DocumentError, RawOutcome, core_rows,
                        error_rows, raw_rows)
from .warehouse import insert_rows

log = logging.getLogger(__name__)

_SUPERSEDE = """
UPDATE raw.documents AS d SET superseded_by = x.newer
FROM (
    SELECT s.document_id, arg_max(n.document_id, n.last_offered_at) AS newer,
           count(DISTINCT s.source_path) AS paths_replaced
    FROM raw.document_sources s
    JOIN raw.document_sources n
      ON n.source_path = s.source_path AND n.document_id <> s.document_id
     AND n.last_offered_at > s.last_offered_at
    GROUP BY s.document_id
) AS x
WHERE d.document_id = x.document_id
  AND x.paths_replaced = (SELECT count(*) FROM raw.document_sources a WHERE a.document_id = x.document_id)
  AND d.superseded_by IS DISTINCT FROM x.newer
"""


def _in_list(con: duckdb.DuckDBPyConnection, sql: str, ids: list[str], *more) -> list[str]:
    return [row[0] for row in con.execute(sql, [ids, *more]).fetchall()]


def pending_raw(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> list[str]:
    """Documents whose raw rows are missing or were written by another reader version."""
    done = set(_in_list(con, "SELECT document_id FROM raw.documents"
                             " WHERE document_id IN (SELECT unnest($1::VARCHAR[])) AND reader_version = $2",
                        document_ids, READER_VERSION))
    return [d for d in document_ids if d not in done]


def pending_core(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> list[str]:
    """Parsed documents whose core rows are missing or stale (another extractor version)."""
    parsed = set(_in_list(con, "SELECT document_id FROM raw.documents WHERE status = 'parsed'"
                               " AND document_id IN (SELECT unnest($1::VARCHAR[]))", document_ids))
    done = set(_in_list(con, "SELECT document_id FROM core.documents"
                             " WHERE document_id IN (SELECT unnest($1::VARCHAR[])) AND extractor_version = $2",
                        document_ids, CORE_VERSION))
    return [d for d in document_ids if d in parsed and d not in done]


def _one_by_one(load, con: duckdb.DuckDBPyConnection, outcomes: list, stamp: datetime, failed) -> None:
    """Write a batch in one transaction; if that fails, each document alone, so that one
    document's unwritable rows (a string DuckDB refuses, a bug) cost only that document."""
    try:
        load(con, outcomes, stamp)
        return
    except Exception:  # DuckDB or Arrow refusing a value, or a bug
        if len(outcomes) == 1:
            pass
        else:
            for outcome in outcomes:
                _one_by_one(load, con, [outcome], stamp, failed)
            return
    try:
        load(con, outcomes, stamp)
    except Exception as error:
        try:
            load(con, [failed(outcomes[0], DocumentError.of("load", error))], stamp)
        except Exception:  # not even the error could be written: the log keeps it, the batch goes on
            log.exception("could not write a document or its error; it is left for the next run")


def load_raw(con: duckdb.DuckDBPyConnection, outcomes: list[RawOutcome], ingested_at: datetime) -> None:
    """Replace these documents' raw rows, one transaction per batch (per document if a batch fails)."""
    from .transform import failed_read

    _one_by_one(_load_raw, con, outcomes, ingested_at, lambda o, error: failed_read(o.landed, error))


def load_core(con: duckdb.DuckDBPyConnection, outcomes: list[CoreOutcome], loaded_at: datetime) -> None:
    """Replace these documents' core rows, one transaction per batch (per document if a batch fails)."""
    from .transform import unloadable_core

    _one_by_one(_load_core, con, outcomes, loaded_at, unloadable_core)


def _load_raw(con: duckdb.DuckDBPyConnection, outcomes: list[RawOutcome], ingested_at: datetime) -> None:
    """Replace the raw rows of these documents and record every path they were offered under."""
    if not outcomes:
        return
    ids = [o.landed.document_id for o in outcomes]
    documents, texts, sources, errors = [], [], [], []
    for outcome in outcomes:
        document_row, text_row = raw_rows(outcome, ingested_at)
        documents.append(document_row)
        errors.extend(error_rows(outcome.landed.document_id, outcome.errors, ingested_at))
        if text_row:
            texts.append(text_row)
        for path, offered in outcome.landed.offers.items():
            offered_at = datetime.fromisoformat(offered).replace(tzinfo=None)
            sources.append((outcome.landed.document_id, path, offered_at, offered_at))
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM raw.document_texts WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
        con.execute("DELETE FROM raw.documents WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
        con.execute("DELETE FROM quality.document_errors WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
        insert_rows(con, "raw.documents", RAW_DOCUMENT_COLUMNS, documents)
        insert_rows(con, "quality.document_errors", DOCUMENT_ERROR_COLUMNS, errors)
        insert_rows(con, "raw.document_texts", RAW_TEXT_COLUMNS, texts)
        con.executemany(
            "INSERT INTO raw.document_sources (document_id, source_path, first_seen_at, last_offered_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET last_offered_at = greatest("
            "raw.document_sources.last_offered_at, excluded.last_offered_at)", sources)
        con.execute(_SUPERSEDE)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _load_core(con: duckdb.DuckDBPyConnection, outcomes: list[CoreOutcome], loaded_at: datetime) -> None:
    """Replace the core and quarantine rows of these documents (and drop the versions they supersede)."""
    if not outcomes:
        return
    ids = [o.document_id for o in outcomes]
    documents, facts, quarantine, errors = [], [], [], []
    for outcome in outcomes:
        document_row, fact_rows = core_rows(outcome, loaded_at)
        documents.append(document_row)
        facts.extend(fact_rows)
        quarantine.extend(record.as_row(outcome.document_id, loaded_at) for record in outcome.quarantined)
        errors.extend(error_rows(outcome.document_id, outcome.errors, loaded_at))
    con.execute("BEGIN TRANSACTION")
    try:
        replaced = ids + _in_list(con, "SELECT document_id FROM raw.documents"
                                       " WHERE superseded_by IN (SELECT unnest(?::VARCHAR[]))", ids)
        for table in ("core.indicator_facts", "core.document_texts", "core.documents", "quality.quarantine"):
            con.execute(f"DELETE FROM {table} WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [replaced])
        con.execute("DELETE FROM quality.document_errors"
                    " WHERE stage <> 'read' AND document_id IN (SELECT unnest(?::VARCHAR[]))",
                    [replaced])
        insert_rows(con, "core.documents", CORE_DOCUMENT_COLUMNS, documents)
        insert_rows(con, "quality.document_errors", DOCUMENT_ERROR_COLUMNS, errors)
        with_text = [o.document_id for o in outcomes if o.text_loaded]
        con.execute("INSERT INTO core.document_texts SELECT document_id, text FROM raw.document_texts"
                    " WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [with_text])
        insert_rows(con, "core.indicator_facts", FACT_COLUMNS, facts)
        insert_rows(con, "quality.quarantine", QUARANTINE_COLUMNS, quarantine)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
