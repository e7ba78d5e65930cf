"""Dagster resources: the warehouse file and the archive of offered documents.

``WarehouseResource`` lives here rather than in ``pipelines.warehouse`` so that importing the
warehouse helpers does not import Dagster (``pipelines.warehouse.WarehouseResource`` still works).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster import ConfigurableResource

from ..landing import Archive
from ..settings import archive_dir, warehouse_path
from .. import warehouse as _warehouse


class WarehouseResource(ConfigurableResource):
    """The DuckDB file every asset writes; a connection is opened per step and closed at once."""

    path: str = ""

    def resolved_path(self) -> Path:
        return Path(self.path) if self.path else warehouse_path()

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        path = self.resolved_path()
        with _warehouse.connect(path, read_only=read_only) as con:
            if not read_only:
                key = (str(path.resolve()), path.stat().st_ino)
                if key not in _warehouse._ENSURED:  # DDL once per process and file, not on every connection
                    _warehouse.ensure_schema(con)
                    _warehouse._ENSURED.add(key)
            yield con


class ArchiveResource(ConfigurableResource):
    """Content-addressed copies of every offered file; partitions read their bytes from here."""

    path: str = ""

    def archive(self) -> Archive:
        return Archive(self.path or archive_dir())


def default_resources(warehouse_path: str = "", archive_path: str = "") -> dict:
    return {"warehouse": WarehouseResource(path=warehouse_path), "archive": ArchiveResource(path=archive_path)}
