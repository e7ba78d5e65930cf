"""The DuckDB warehouse: open per step, close at once, replace one document's rows atomically.

DuckDB lets one process write a file and locks every other process out, readers included. So
nothing holds a connection between steps, and a process that finds the file locked waits (and
says so) instead of failing with DuckDB's raw lock error.
"""

from __future__ import annotations

import csv
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from . import tables
from .settings import DATA_DIR, duckdb_memory_limit, warehouse_path

log = logging.getLogger(__name__)

INDICATORS_CSV = DATA_DIR / "indicators.csv"


class WarehouseBusy(RuntimeError):
    """The warehouse stayed locked by another process for longer than we were willing to wait."""


def _is_lock_error(error: Exception) -> bool:
    message = str(error)
    return "Could not set lock" in message or "Conflicting lock" in message or "lock on file" in message


@contextmanager
def connect(path: str | Path | None = None, *, read_only: bool = False, wait_seconds: float = 600.0,
            on_wait: Callable[[str], None] | None = None,
            config: dict | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse, waiting while another process holds its lock; always close it."""
    path = Path(path or warehouse_path())
    if read_only and not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `annual-etl ingest` first")
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline, delay, told = time.monotonic() + wait_seconds, 0.05, False
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only,
                                  config={"memory_limit": duckdb_memory_limit(), **(config or {})})
            break
        except duckdb.IOException as error:
            if not _is_lock_error(error):
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"the warehouse {path} is locked by another process (an ingest is writing it); "
                    f"gave up after {wait_seconds:.0f} s") from error
            if not told:
                message = f"waiting for the warehouse {path.name}: another process is writing it"
                (on_wait or log.info)(message)
                told = True
            time.sleep(delay)
            delay = min(delay * 1.5, 1.0)
    try:
        yield con
    finally:
        con.close()


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the schemas and the declared tables (``pipelines.tables``: idempotent, older
    warehouses get their missing columns) and refresh the indicator reference table."""
    for sql_file in sorted(tables.SCHEMA_DIR.glob("*.sql")):
        con.execute(sql_file.read_text(encoding="utf-8"))
    tables.apply(con)
    names = tables.columns("core.indicators")
    with INDICATORS_CSV.open(encoding="utf-8") as handle:
        rows = [tuple(r[c] or None for c in names) for r in csv.DictReader(handle)]
    current = con.execute(f"SELECT {', '.join(names)} FROM core.indicators").fetchall()
    if sorted(current) != sorted(rows):
        con.execute("BEGIN")
        con.execute("DELETE FROM core.indicators")
        con.executemany(f"INSERT INTO core.indicators ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                        rows)
        con.execute("COMMIT")


def __getattr__(name: str):
    """``WarehouseResource`` is defined in ``pipelines.assets.resources``: importing Dagster takes
    about 2 s, which commands that only read or check the warehouse (a no-op ingest) never pay."""
    if name == "WarehouseResource":
        from .assets.resources import WarehouseResource

        return WarehouseResource
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_ENSURED: set[tuple[str, int]] = set()


def ensure_schema_once(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """``ensure_schema`` the first time this process writes this file (same path and inode)."""
    key = (str(path.resolve()), path.stat().st_ino)
    if key not in _ENSURED:
        ensure_schema(con)
        _ENSURED.add(key)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Bulk insert through Arrow (fast, values never pasted into SQL).

    ``table`` and ``columns`` come from code, never from data.
    """
    if not rows:
        return
    import pyarrow as pa

    batch = pa.table({name: [row[i] for row in rows] for i, name in enumerate(columns)})
    con.register("_insert_batch", batch)
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM _insert_batch")
    finally:
        con.unregister("_insert_batch")
