"""Dagster resources: the warehouse file and the archive of offered documents.

``WarehouseResource`` lives here rather than in ``pipelines.warehouse`` so that importing the
warehouse helpers does not import Dagster (``pipelines.warehouse.WarehouseResource`` still works).
"""

from contextlib import AbstractContextManager
from pathlib import Path

import duckdb
from dagster import ConfigurableResource

from ..landing import Archive
from ..settings import archive_dir, warehouse_path
from ..steps import warehouse_opener


class WarehouseResource(ConfigurableResource):
    """The DuckDB file every asset writes; a connection is opened per step and closed at once."""

    path: str = ""

    def resolved_path(self) -> Path:
        return Path(self.path) if self.path else warehouse_path()

    def connect(self, read_only: bool = False) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        return warehouse_opener(self.resolved_path())(read_only=read_only)


class ArchiveResource(ConfigurableResource):
    """Content-addressed copies of every offered file; partitions read their bytes from here."""

    path: str = ""

    def archive(self) -> Archive:
        return Archive(self.path or archive_dir())


class StagingResource(ConfigurableResource):
    """Where workers stage per-document outcomes as Parquet (``pipelines.staging``); empty: no staging.

    Set it in the run config to scale out (docs/scaling.md): the same assets, staged per document.
    """

    path: str = ""

    def folder(self) -> Path | None:
        return Path(self.path) if self.path else None


def default_resources(warehouse_path: str = "", archive_path: str = "") -> dict:
    return {"warehouse": WarehouseResource(path=warehouse_path), "archive": ArchiveResource(path=archive_path),
            "staging": StagingResource()}
