"""The raw, core and quality tables, declared once in ``warehouse/schema/<schema>.<table>.yml``.

Each file gives a table's description and, in order, its columns: type, ``key`` (the primary key),
``required`` (NOT NULL), ``values`` (a CHECK that the value is one of these), ``default`` and
description. Everything else is derived from it: the DDL and its comments (``apply``, run on every
ensure_schema), the column lists the loaders insert (``columns``), the Great Expectations
not-null and value-set lists that say ``columns: required`` or leave out ``value_set``
(``pipelines/quality/suites.py``), and through the comments ``docs/data_dictionary.md``.

A warehouse made by an older release gets the columns it lacks with ``ALTER TABLE … ADD COLUMN``
(type and default only: DuckDB adds no constraint to an existing table), so a new column goes at
the end of its table's list, where ALTER puts it too, and old and new warehouses keep one order.

Only this module reads YAML for the tables; it imports no DuckDB, so the worker processes that
build rows can use ``columns`` cheaply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .settings import WAREHOUSE_SQL

SCHEMA_DIR = WAREHOUSE_SQL / "schema"
TYPES = ("VARCHAR", "BIGINT", "INTEGER", "DOUBLE", "BOOLEAN", "DATE", "TIMESTAMP", "JSON")
COLUMN_KEYS = {"type", "key", "required", "values", "default", "description"}
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    key: bool = False
    required: bool = False
    values: tuple[str, ...] = ()
    default: bool | int | float | None = None

    def ddl(self, *, constraints: bool = True) -> str:
        """``name TYPE [PRIMARY KEY | NOT NULL] [CHECK …] [DEFAULT …]``; names, types and
        defaults are checked when the file is read, the CHECK values are quoted literals."""
        out = [self.name, self.type]
        if constraints and self.key:
            out.append("PRIMARY KEY")
        elif constraints and self.required:
            out.append("NOT NULL")
        if constraints and self.values:
            out.append(f"CHECK ({self.name} IN ({', '.join(sql_literal(v) for v in self.values)}))")
        if self.default is not None:
            out.append("DEFAULT " + (str(self.default).lower() if isinstance(self.default, bool) else str(self.default)))
        return " ".join(out)


@dataclass(frozen=True)
class Table:
    name: str  # schema.table
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()  # a key of more than one column

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def create_sql(self) -> str:
        body = [c.ddl() for c in self.columns]
        if self.primary_key:
            body.append(f"PRIMARY KEY ({', '.join(self.primary_key)})")
        return f"CREATE TABLE IF NOT EXISTS {self.name} ({', '.join(body)})"


def sql_literal(text: str) -> str:
    """A single-quoted SQL string literal (DDL and COMMENT ON take no bound parameters)."""
    text = str(text)
    if "\x00" in text:
        raise ValueError("NUL character in a SQL literal")
    return "'" + text.replace("'", "''") + "'"


def _column(name: str, spec: dict[str, Any], where: str) -> Column:
    unknown = set(spec) - COLUMN_KEYS
    if not _NAME.match(name) or unknown:
        raise ValueError(f"{where}: bad column {name!r}" + (f" (unknown keys {sorted(unknown)})" if unknown else ""))
    if spec.get("type") not in TYPES:
        raise ValueError(f"{where}.{name}: type must be one of {TYPES}, got {spec.get('type')!r}")
    if not spec.get("description"):
        raise ValueError(f"{where}.{name}: every column needs a description (it becomes its COMMENT)")
    default = spec.get("default")
    if default is not None and not isinstance(default, (bool, int, float)):
        raise ValueError(f"{where}.{name}: default must be a boolean or a number, got {default!r}")
    return Column(name, spec["type"], str(spec["description"]).strip(), bool(spec.get("key")),
                  bool(spec.get("required")), tuple(str(v) for v in spec.get("values") or ()), default)


def read_table(path: Path) -> Table:
    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    name = doc.get("name", "")
    if name != path.name.removesuffix(".yml") or not all(_NAME.match(p) for p in name.split(".")) \
            or name.count(".") != 1:
        raise ValueError(f"{path.name}: `name` must be schema.table and match the file name, got {name!r}")
    if not doc.get("description"):
        raise ValueError(f"{path.name}: the table needs a description (it becomes its COMMENT)")
    columns = tuple(_column(c, spec or {}, name) for c, spec in (doc.get("columns") or {}).items())
    primary_key = tuple(doc.get("primary_key") or ())
    if not columns or not set(primary_key) <= {c.name for c in columns}:
        raise ValueError(f"{path.name}: needs columns, and its primary_key must name some of them")
    return Table(name, str(doc["description"]).strip(), columns, primary_key)


@lru_cache(maxsize=None)
def tables(directory: Path = SCHEMA_DIR) -> dict[str, Table]:
    """Every declared table by its name (schema.table), read once per process."""
    return {t.name: t for t in map(read_table, sorted(Path(directory).glob("*.yml")))}


def table(name: str) -> Table:
    try:
        return tables()[name]
    except KeyError:
        raise KeyError(f"{name} is not declared in {SCHEMA_DIR}") from None


def columns(name: str, without: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The table's columns in their declared order, less ``without`` (columns the loader does not
    write, e.g. one an UPDATE sets later); the rows a loader builds follow this order."""
    declared = tuple(c.name for c in table(name).columns)
    if not set(without) <= set(declared):
        raise KeyError(f"{name} has no column {sorted(set(without) - set(declared))}")
    return tuple(c for c in declared if c not in without)


def required(name: str) -> list[str]:
    """Columns that may not be NULL (the key, and those declared ``required``)."""
    t = table(name)
    return [c.name for c in t.columns if c.key or c.required or c.name in t.primary_key]


def apply(con, directory: Path = SCHEMA_DIR) -> None:
    """Create missing tables, add missing columns (older warehouses), and set every comment that
    differs from its description. Idempotent, and cheap when nothing changed."""
    declared = tables(directory)
    for schema in sorted({name.split(".")[0] for name in declared}):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    have: dict[tuple[str, str], str | None] = {}
    for schema, table_name, column, comment in con.execute(
            "SELECT schema_name, table_name, NULL, comment FROM duckdb_tables() WHERE database_name = current_database()"
            " UNION ALL SELECT schema_name, table_name, column_name, comment FROM duckdb_columns()"
            " WHERE database_name = current_database()").fetchall():
        have[(f"{schema}.{table_name}", column)] = comment
    for t in declared.values():
        if (t.name, None) not in have:
            con.execute(t.create_sql())
        for c in t.columns:
            if (t.name, None) in have and (t.name, c.name) not in have:
                con.execute(f"ALTER TABLE {t.name} ADD COLUMN IF NOT EXISTS {c.ddl(constraints=False)}")
            if have.get((t.name, c.name)) != c.description:
                con.execute(f"COMMENT ON COLUMN {t.name}.{c.name} IS {sql_literal(c.description)}")
        if have.get((t.name, None)) != t.description:
            con.execute(f"COMMENT ON TABLE {t.name} IS {sql_literal(t.description)}")
