"""Dagster resources: the warehouse file and the archive of offered documents."""

from dagster import ConfigurableResource

from ..landing import Archive
from ..settings import archive_dir
from ..warehouse import WarehouseResource


class ArchiveResource(ConfigurableResource):
    """Content-addressed copies of every offered file; partitions read their bytes from here."""

    path: str = ""

    def archive(self) -> Archive:
        return Archive(self.path or archive_dir())


def default_resources(warehouse_path: str = "", archive_path: str = "") -> dict:
    return {"warehouse": WarehouseResource(path=warehouse_path), "archive": ArchiveResource(path=archive_path)}
