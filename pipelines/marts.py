"""Analyst-facing marts: build them from ``warehouse/marts/*.sql`` and describe them.

Pure functions on an open DuckDB connection; no Dagster. Each mart is one SQL file
(``CREATE OR REPLACE TABLE marts.<name> AS SELECT ...`` built only from ``core.*``) with a
description file beside it (``<name>.yml``: the model description and one line per column).
``build_mart`` runs the SQL and then applies the descriptions with ``COMMENT ON`` so that
``DESCRIBE`` / ``duckdb_columns()`` show them.

Identifiers (schema, table, column names) only ever come from ``MART_NAMES`` and from the
columns DuckDB reports for the table just built; values are bound as parameters. The one
exception is the text of a comment: DuckDB's parser does not accept a parameter in
``COMMENT ON ... IS ?``, so the description (read from a file in this repository) is written as
a single-quoted SQL literal with quotes doubled, see ``_sql_literal``.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

MARTS_DIR = Path(__file__).resolve().parent.parent / "warehouse" / "marts"

# Build order. Each mart reads only core.*, so any order works; this one goes from the
# plain pick of values to the comparisons built on the same rule.
MART_NAMES: list[str] = [
    "latest_indicators",
    "indicator_yoy",
    "plan_vs_actual",
    "indicator_revisions",
]


def _check_name(name: str) -> str:
    if name not in MART_NAMES:
        raise ValueError(f"unknown mart {name!r}; expected one of {', '.join(MART_NAMES)}")
    return name


def mart_sql_path(name: str) -> Path:
    return MARTS_DIR / f"{_check_name(name)}.sql"


def mart_sql(name: str) -> str:
    """The SQL text of a mart (one CREATE OR REPLACE TABLE statement)."""
    return mart_sql_path(name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _load_descriptions(name: str) -> dict[str, Any]:
    yml = MARTS_DIR / f"{name}.yml"
    data = yaml.safe_load(yml.read_text(encoding="utf-8")) or {}
    table = str(data.get("description") or "").strip()
    columns = {str(k): str(v).strip() for k, v in (data.get("columns") or {}).items()}
    return {"table": table, "columns": columns}


def mart_descriptions(name: str) -> dict[str, Any]:
    """``{"table": str, "columns": {column: description}}`` from ``warehouse/marts/<name>.yml``."""
    d = _load_descriptions(_check_name(name))
    return {"table": d["table"], "columns": dict(d["columns"])}


def _sql_literal(text: str) -> str:
    """A single-quoted SQL string literal (COMMENT ON does not take bound parameters)."""
    if "\x00" in text:
        raise ValueError("NUL character in a description")
    return "'" + text.replace("'", "''") + "'"


def _quote_ident(ident: str) -> str:
    return '"' + ident.replace('"', '""') + '"'


def _table_columns(con, schema: str, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() "
        "WHERE schema_name = ? AND table_name = ? ORDER BY column_index",
        [schema, table],
    ).fetchall()
    return [r[0] for r in rows]


def apply_comments(con, name: str) -> None:
    """Apply the description file of a mart as table and column comments.

    Raises ValueError when the description file and the built table disagree on columns, so a
    column cannot be added to the SQL without being described.
    """
    desc = mart_descriptions(name)
    columns = _table_columns(con, "marts", name)
    missing = [c for c in columns if c not in desc["columns"]]
    extra = [c for c in desc["columns"] if c not in columns]
    if missing or extra:
        raise ValueError(
            f"marts.{name}: description file out of step with the table "
            f"(undescribed columns: {missing}, described but absent: {extra})"
        )
    table_ident = f"marts.{_quote_ident(name)}"
    con.execute(f"COMMENT ON TABLE {table_ident} IS {_sql_literal(desc['table'])}")
    for col in columns:
        con.execute(
            f"COMMENT ON COLUMN {table_ident}.{_quote_ident(col)} IS "
            f"{_sql_literal(desc['columns'][col])}"
        )


def build_mart(con, name: str) -> int:
    """(Re)build ``marts.<name>`` from its SQL file, apply its comments, return its row count."""
    _check_name(name)
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    con.execute(mart_sql(name))
    apply_comments(con, name)
    return int(con.execute(f"SELECT count(*) FROM marts.{_quote_ident(name)}").fetchone()[0])


def build_all_marts(con) -> dict[str, int]:
    """Build every mart in ``MART_NAMES`` order; ``{name: row_count}``."""
    return {name: build_mart(con, name) for name in MART_NAMES}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        text = f"{value:,.4f}".rstrip("0").rstrip(".") if abs(value) < 1e15 else f"{value:.6g}"
    elif isinstance(value, (date, datetime)):
        text = value.isoformat()
    else:
        text = str(value)
    text = text.replace("\r", " ").replace("\n", " ")
    if len(text) > 80:
        text = text[:77] + "..."
    # Markdown table cells: escape the pipe and HTML-significant characters.
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def mart_preview_markdown(con, name: str, limit: int = 10) -> str:
    """The first ``limit`` rows of a mart as a Markdown table (for Dagster metadata)."""
    _check_name(name)
    limit = max(0, int(limit))
    cur = con.execute(f"SELECT * FROM marts.{_quote_ident(name)} LIMIT ?", [limit])
    headers = [d[0] for d in cur.description]
    rows = cur.fetchall()
    total = con.execute(f"SELECT count(*) FROM marts.{_quote_ident(name)}").fetchone()[0]
    lines = [
        "| " + " | ".join(_cell(h) for h in headers) + " |",
        "| " + " | ".join("---" for _ in headers) + " |",
    ]
    for row in rows:
        lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    lines.append("")
    lines.append(f"{len(rows)} of {total} rows of marts.{name}.")
    return "\n".join(lines)
