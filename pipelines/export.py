"""`annual-etl export`: hand the marts and core tables to another tool, with their dictionary.

Everything is read through one read-only connection inside one transaction, so the files are
a consistent snapshot and the warehouse file is never written. DuckDB's own COPY streams each
table into a Parquet or CSV file named ``<schema>.<table>.<ext>``; next to them go ``data_dictionary.csv`` (table, column, type,
description), ``data_dictionary.md`` (the analyst's dictionary) and ``manifest.json`` (row
counts, file hashes, the extractor versions behind the rows). The folder is written under a
temporary name and renamed when complete: a reader never sees half an export.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

EXPORT_SCHEMAS = ("marts", "core")
FORMATS = ("parquet", "csv")
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


def _tables(con) -> list[tuple[str, str, str | None]]:
    """(schema, table, comment) of every base table in EXPORT_SCHEMAS, in a stable order."""
    rows = con.execute(
        "SELECT schema_name, table_name, comment FROM duckdb_tables()"
        " WHERE database_name = current_database() AND list_contains(?, schema_name)"
        " ORDER BY array_position(?, schema_name), table_name",
        [list(EXPORT_SCHEMAS), list(EXPORT_SCHEMAS)]).fetchall()
    # names become file names and (quoted) identifiers: only plain lower-case ones
    return [(s, t, c) for s, t, c in rows if _IDENT.match(s) and _IDENT.match(t)]


def _columns(con, schema: str, table: str) -> list[tuple[str, str, str | None]]:
    return con.execute(
        "SELECT column_name, data_type, comment FROM duckdb_columns()"
        " WHERE database_name = current_database() AND schema_name = ? AND table_name = ? ORDER BY column_index",
        [schema, table]).fetchall()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sql_path(path: Path) -> str:
    """A file path as a SQL string literal (COPY takes no bound parameter for it); our own path."""
    return "'" + str(path).replace("'", "''") + "'"


def _write_table(con, schema: str, table: str, target: Path, fmt: str) -> int:
    """COPY one table into ``target`` (DuckDB writes Parquet and CSV itself); returns its row count.

    ``schema`` and ``table`` were checked against duckdb_tables() and a strict pattern.
    """
    options = "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "FORMAT csv, HEADER true"
    con.execute(f'COPY (SELECT * FROM "{schema}"."{table}") TO {_sql_path(target)} ({options})')
    return con.execute(f'SELECT count(*) FROM "{schema}"."{table}"').fetchall()[0][0]


def export_warehouse(warehouse: Path, out: Path, *, fmt: str = "parquet", wait_seconds: float = 300.0) -> list[Path]:
    """Write every marts and core table of ``warehouse`` into the new folder ``out``.

    ``out`` must not exist or be empty (an export never mixes with older files). Returns the
    files written. FileNotFoundError without a warehouse, FileExistsError for a non-empty ``out``.
    """
    from .docs import data_dictionary_markdown
    from .warehouse import connect

    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(f"{out} exists and is not an empty folder; export into a new one")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.parent / f".{out.name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        with connect(warehouse, read_only=True, wait_seconds=wait_seconds) as con:
            con.execute("BEGIN TRANSACTION")  # one snapshot for every table
            tables = _tables(con)
            manifest_tables, dictionary = [], []
            for schema, table, comment in tables:
                name = f"{schema}.{table}.{fmt}"
                rows = _write_table(con, schema, table, partial / name, fmt)
                manifest_tables.append({"table": f"{schema}.{table}", "file": name, "rows": rows,
                                        "description": comment})
                dictionary.extend((f"{schema}.{table}", c, t, d or "") for c, t, d in _columns(con, schema, table))
            versions = [r[0] for r in con.execute(
                "SELECT DISTINCT extractor_version FROM core.documents ORDER BY 1").fetchall()] \
                if any(s == "core" and t == "documents" for s, t, _ in tables) else []
            markdown = data_dictionary_markdown(con)
            con.execute("COMMIT")
        with (partial / "data_dictionary.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["table", "column", "type", "description"])
            writer.writerows(dictionary)
        (partial / "data_dictionary.md").write_text(markdown, encoding="utf-8")
        for entry in manifest_tables:
            entry["sha256"] = _sha256(partial / entry["file"])
        manifest = {"exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "warehouse": str(Path(warehouse).absolute()), "format": fmt,
                    "extractor_versions": versions, "tables": manifest_tables}
        (partial / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        if out.exists():
            out.rmdir()  # empty, checked above
        os.replace(partial, out)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return sorted(out.iterdir())
