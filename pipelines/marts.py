"""Analyst-facing marts: build them from ``warehouse/marts/*.sql`` and describe them.

Pure functions on an open DuckDB connection; no Dagster. Two layers, dbt-style:

- staging (``warehouse/marts/staging/stg_*.sql``, ``staging_names()``): views in the ``marts``
  schema that prepare ``core.*`` once for every mart -- ``marts.stg_documents`` (pub_order_date),
  ``marts.stg_stated_facts`` (one statement per document and key, with is_final) and
  ``marts.stg_chosen_facts`` (the latest_indicators pick);
- marts (``warehouse/marts/<name>.sql``, ``mart_names()``): ``CREATE OR REPLACE TABLE
  marts.<name> AS SELECT ...`` built from the staging views (and ``core.indicators``), never
  from another mart.

Every model has a description file beside its SQL (``<name>.yml``: the model description and
one line per column). ``build_mart`` first (re)creates the staging views -- they are cheap views,
so a mart built on its own (one Dagster asset) never finds them missing or out of step with the
SQL files -- then runs the mart's SQL, and applies the descriptions with ``COMMENT ON`` so that
``DESCRIBE`` / ``duckdb_columns()`` show them, for the views as for the tables.

Models are found by convention: a ``<name>.sql`` with its ``<name>.yml`` in the folder is a mart
(or a staging view), ordered after the models it reads; no list in code names them.

Identifiers (schema, table, column names) only ever come from the model file names (which must
match ``[a-z_][a-z0-9_]*``, and are quoted) and from the columns DuckDB reports for the relation just built; values are bound
as parameters. The one
exception is the text of a comment: DuckDB's parser does not accept a parameter in
``COMMENT ON ... IS ?``, so the description (read from a file in this repository) is written as
a single-quoted SQL literal with quotes doubled, see ``tables.sql_literal``.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .settings import WAREHOUSE_SQL
from .tables import sql_literal

MARTS_DIR = WAREHOUSE_SQL / "marts"


def _models(directory: Path) -> list[str]:
    """The models of a folder (one ``<name>.sql`` beside its ``<name>.yml``), each after the
    ``marts.<name>`` models it reads; otherwise by name. Adding a mart is adding two files."""
    return list(_ordered_models(str(directory)))


@lru_cache(maxsize=8)
def _ordered_models(directory: str) -> tuple[str, ...]:
    sql = {path.stem: re.sub(r"--[^\n]*|/\*.*?\*/", " ", path.read_text(encoding="utf-8"), flags=re.S)
           for path in sorted(Path(directory).glob("*.sql"))}  # comments name other marts too
    bad = [name for name in sql if not re.fullmatch(r"[a-z_][a-z0-9_]*", name)]
    if bad:
        raise ValueError(f"mart file names must be lower-case identifiers: {', '.join(bad)} in {directory}")
    ordered: list[str] = []

    def visit(name: str, reading: tuple[str, ...] = ()) -> None:
        if name in ordered:
            return
        if name in reading:
            raise ValueError(f"marts read each other in a circle: {' → '.join(reading + (name,))}")
        for dependency in re.findall(r"\bmarts\.([a-z_][a-z0-9_]*)", sql[name]):
            if dependency in sql and dependency != name:
                visit(dependency, reading + (name,))
        ordered.append(name)

    for name in sql:
        visit(name)
    return tuple(ordered)


def staging_names() -> list[str]:
    """Staging views (``warehouse/marts/staging/*.sql``) in dependency order; every mart reads them."""
    return _models(MARTS_DIR / "staging")


def mart_names() -> list[str]:
    """Marts (``warehouse/marts/*.sql``) in dependency order."""
    return _models(MARTS_DIR)


def __getattr__(attribute: str) -> list[str]:
    """``MART_NAMES`` and ``STAGING_NAMES``, found in the folder when asked for."""
    if attribute == "MART_NAMES":
        return mart_names()
    if attribute == "STAGING_NAMES":
        return staging_names()
    raise AttributeError(attribute)


def _check_name(name: str) -> str:
    if name not in mart_names() and name not in staging_names():
        raise ValueError(
            f"unknown mart {name!r}; expected one of {', '.join(mart_names() + staging_names())}"
        )
    return name


def _model_dir(name: str) -> Path:
    return MARTS_DIR / "staging" if name in staging_names() else MARTS_DIR


def mart_sql_path(name: str) -> Path:
    """The SQL file of a mart or staging view."""
    return _model_dir(_check_name(name)) / f"{name}.sql"


def mart_sql(name: str) -> str:
    """The SQL text of a mart (one CREATE OR REPLACE TABLE statement) or of a staging view (one
    CREATE OR REPLACE VIEW statement)."""
    return mart_sql_path(name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _load_descriptions(name: str) -> dict[str, Any]:
    yml = _model_dir(name) / f"{name}.yml"
    data = yaml.safe_load(yml.read_text(encoding="utf-8")) or {}
    table = str(data.get("description") or "").strip()
    columns = {str(k): str(v).strip() for k, v in (data.get("columns") or {}).items()}
    return {"table": table, "columns": columns}


def mart_descriptions(name: str) -> dict[str, Any]:
    """``{"table": str, "columns": {column: description}}`` from ``warehouse/marts/<name>.yml``
    (``warehouse/marts/staging/<name>.yml`` for a staging view)."""
    d = _load_descriptions(_check_name(name))
    return {"table": d["table"], "columns": dict(d["columns"])}


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
    """Apply the description file of a mart (or staging view) as table and column comments.

    Raises ValueError when the description file and the built relation disagree on columns, so a
    column cannot be added to the SQL without being described.
    """
    desc = mart_descriptions(name)
    kind = "VIEW" if name in staging_names() else "TABLE"
    columns = _table_columns(con, "marts", name)
    missing = [c for c in columns if c not in desc["columns"]]
    extra = [c for c in desc["columns"] if c not in columns]
    if missing or extra:
        raise ValueError(
            f"marts.{name}: description file out of step with the table "
            f"(undescribed columns: {missing}, described but absent: {extra})"
        )
    table_ident = f"marts.{_quote_ident(name)}"
    con.execute(f"COMMENT ON {kind} {table_ident} IS {sql_literal(desc['table'])}")
    for col in columns:
        con.execute(
            f"COMMENT ON COLUMN {table_ident}.{_quote_ident(col)} IS "
            f"{sql_literal(desc['columns'][col])}"
        )


def build_staging(con, through: str | None = None) -> None:
    """(Re)create the staging views in ``STAGING_NAMES`` order -- all of them, or up to and
    including ``through`` -- and apply their comments. Views: cheap, and never stale."""
    names = staging_names()
    if through is not None:
        if through not in names:
            raise ValueError(f"unknown staging view {through!r}; expected one of {', '.join(names)}")
        names = names[: names.index(through) + 1]
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    for staging_name in names:
        con.execute(mart_sql(staging_name))
        apply_comments(con, staging_name)


def build_mart(con, name: str, *, staging: bool = True) -> int:
    """(Re)build ``marts.<name>`` from its SQL file, apply its comments, return its row count.

    The staging views are (re)created first, so a mart can be built on its own; pass
    ``staging=False`` only when they were just built (``build_all_marts``). ``name`` may also be
    a staging view, which (re)creates the views up to it.
    """
    _check_name(name)
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    if name in staging_names():
        build_staging(con, through=name)
    else:
        if staging:
            build_staging(con)
        con.execute(mart_sql(name))
        apply_comments(con, name)
    return int(con.execute(f"SELECT count(*) FROM marts.{_quote_ident(name)}").fetchone()[0])


def build_all_marts(con) -> dict[str, int]:
    """Create the staging views once, then build every mart in ``MART_NAMES`` order;
    ``{mart name: row_count}``."""
    build_staging(con)
    return {name: build_mart(con, name, staging=False) for name in mart_names()}


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
