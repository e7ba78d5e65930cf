"""Which marts were built from the core that is there now, so a run killed mid-way is repaired.

Each mart build records a fingerprint of core (its documents and facts) in ``quality.mart_builds``
in the same connection that built it. A mart whose fingerprint differs from core's — the run that
should have rebuilt it died, or core changed after it — is stale, and the next ingest rebuilds the
marts even when it finds no new document.
"""

from __future__ import annotations

import duckdb

_CORE_STATE = """
SELECT (SELECT count(*)::VARCHAR || ':' || coalesce(sum(hash(document_id, extractor_version, loaded_at)), 0)::VARCHAR
        FROM core.documents)
    || '/' ||
       (SELECT count(*)::VARCHAR || ':' || coalesce(sum(hash(fact_id, indicator_code, value)), 0)::VARCHAR
        FROM core.indicator_facts)
"""


def core_state(con: duckdb.DuckDBPyConnection) -> str:
    """A fingerprint of core.documents and core.indicator_facts (changes when any row does)."""
    return con.execute(_CORE_STATE).fetchone()[0]


def record_mart_build(con: duckdb.DuckDBPyConnection, mart: str) -> None:
    con.execute("INSERT OR REPLACE INTO quality.mart_builds (mart, core_state, built_at)"
                " VALUES (?, ?, now()::TIMESTAMP)", [mart, core_state(con)])


def stale_marts(con: duckdb.DuckDBPyConnection, marts: tuple[str, ...]) -> list[str]:
    """Marts missing, never recorded, or built from another state of core."""
    tables = {row[0] for row in con.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() UNION ALL "
        "SELECT schema_name || '.' || view_name FROM duckdb_views()").fetchall()}
    if "quality.mart_builds" not in tables:
        return list(marts)
    state = core_state(con)
    built = dict(con.execute("SELECT mart, core_state FROM quality.mart_builds").fetchall())
    return [m for m in marts if f"marts.{m}" not in tables or built.get(m) != state]
