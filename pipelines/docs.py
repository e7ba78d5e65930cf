"""The analyst's data dictionary, generated from the warehouse's own comments.

``write_data_dictionary(con, path)`` reads ``duckdb_tables()`` and ``duckdb_columns()`` (the
comments come from the table declarations ``warehouse/schema/<schema>.<table>.yml`` for
raw/core/quality and from ``warehouse/marts/<name>.yml`` for the marts) and writes one Markdown file.

``scratch_warehouse(con)`` sets up an empty warehouse with the pipeline's DDL, the indicator
reference table and empty marts, so that the dictionary can be generated without ingesting
anything (``scripts/gen_data_dictionary.py``) and tests can build small warehouses.
"""

from __future__ import annotations

from pathlib import Path

from pipelines import marts
from pipelines.settings import WAREHOUSE_SQL

QUERIES_DIR = WAREHOUSE_SQL / "queries"

SCHEMAS = ["raw", "core", "quality", "marts"]
SCHEMA_BLURBS = {
    "raw": "Every file offered, as read from the source, accepted or not.",
    "core": "Cleaned documents and the figures extracted from them, each traceable to its characters.",
    "quality": "What the checks held back and the alerts they raised.",
    "marts": "Analyst-facing comparisons built from core (SQL in `warehouse/marts/`).",
}


def scratch_warehouse(con, build_marts: bool = True) -> None:
    """The pipeline's DDL and indicator reference (``warehouse.ensure_schema``), then the marts,
    on an open connection: an empty warehouse for the dictionary and for tests."""
    from pipelines.warehouse import ensure_schema

    ensure_schema(con)
    if build_marts:
        marts.build_all_marts(con)


def _md(text: object) -> str:
    s = "" if text is None else str(text)
    return (
        s.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\r", " ").replace("\n", " ")
    )


def data_dictionary_markdown(con) -> str:
    """The data dictionary as Markdown: every table of raw/core/quality/marts with its columns."""
    tables = con.execute(
        "SELECT schema_name, table_name, comment FROM duckdb_tables() "
        "WHERE database_name = current_database() AND schema_name IN (?, ?, ?, ?) "
        "ORDER BY schema_name, table_name",
        SCHEMAS,
    ).fetchall()
    views = con.execute(
        "SELECT schema_name, view_name, comment FROM duckdb_views() "
        "WHERE database_name = current_database() AND schema_name IN (?, ?, ?, ?) "
        "AND NOT internal ORDER BY schema_name, view_name",
        SCHEMAS,
    ).fetchall()
    relations = {(s, t): (c, "table") for s, t, c in tables}
    relations.update({(s, t): (c, "view") for s, t, c in views})

    order = {s: i for i, s in enumerate(SCHEMAS)}
    mart_order = {n: i for i, n in enumerate(marts.MART_NAMES)}

    def sort_key(key):
        schema, name = key
        return (order[schema], mart_order.get(name, 99) if schema == "marts" else 0, name)

    out: list[str] = [
        "# Data dictionary",
        "",
        "Generated from the warehouse's own comments (`duckdb_tables()`, `duckdb_columns()`) by",
        "`scripts/gen_data_dictionary.py`; do not edit by hand. Tables, columns and descriptions are",
        "declared in `warehouse/schema/<schema>.<table>.yml` (raw, core, quality) and",
        "`warehouse/marts/<name>.yml` (marts). The contract behind them is WAREHOUSE.md; the units,",
        "codes and comparators are explained there.",
        "",
    ]
    for schema in SCHEMAS:
        names = [k for k in sorted(relations, key=sort_key) if k[0] == schema]
        if not names:
            continue
        out.append(f"## {schema}")
        out.append("")
        out.append(SCHEMA_BLURBS[schema])
        out.append("")
        out.append("| table | description |")
        out.append("| --- | --- |")
        for key in names:
            out.append(f"| [`{schema}.{key[1]}`](#{schema}{key[1]}) | {_md(relations[key][0])} |")
        out.append("")
        for key in names:
            comment, kind = relations[key]
            out.append(f"### {schema}.{key[1]}")
            out.append("")
            if kind == "view":
                out.append("_view_")
                out.append("")
            out.append(_md(comment) or "_no description_")
            out.append("")
            cols = con.execute(
                "SELECT column_name, data_type, is_nullable, comment FROM duckdb_columns() "
                "WHERE database_name = current_database() AND schema_name = ? AND table_name = ? "
                "ORDER BY column_index",
                [schema, key[1]],
            ).fetchall()
            out.append("| column | type | null | description |")
            out.append("| --- | --- | --- | --- |")
            for name, dtype, nullable, ccomment in cols:
                out.append(
                    f"| `{_md(name)}` | {_md(dtype)} | {'yes' if nullable else 'no'} | {_md(ccomment)} |"
                )
            out.append("")
    queries = sorted(QUERIES_DIR.glob("*.sql"))
    if queries:
        out.append("## Example queries")
        out.append("")
        out.append("Run one with `annual-etl query --file warehouse/queries/<file>`.")
        out.append("")
        for q in queries:
            first = ""
            for line in q.read_text(encoding="utf-8").splitlines():
                if line.startswith("--"):
                    first = line.lstrip("- ").strip()
                    break
            out.append(f"- `warehouse/queries/{q.name}`: {_md(first)}")
        out.append("")
    return "\n".join(out)


def write_data_dictionary(con, path: Path | str) -> Path:
    """Write the data dictionary for the warehouse behind ``con`` to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data_dictionary_markdown(con), encoding="utf-8")
    return path
