"""The marts: one SQL file each in warehouse/marts/, rebuilt from core after each ingest.

All of them are one Dagster step (a multi-asset) running ``pipelines.steps.build_marts``: every
mart is rebuilt (with the staging views it reads) and its build recorded in
``quality.mart_builds``, all in one DuckDB transaction. A kill mid-way commits nothing, so the
marts stay as they were and are found stale by the next ingest.
"""

from dagster import AssetExecutionContext, AssetSpec, MaterializeResult, multi_asset

from .. import steps
from ..marts import mart_names
from ..warehouse import WarehouseResource
from .documents import indicator_facts
from .results import metadata

# One asset per warehouse/marts/<name>.sql (with its <name>.yml): adding a mart is adding two files.
MART_ASSET_NAMES = tuple(mart_names())


@multi_asset(
    name="marts",
    specs=[AssetSpec(name, group_name="marts", deps=[indicator_facts], kinds={"duckdb"},
                     description=f"marts.{name}, built by warehouse/marts/{name}.sql on the staging views "
                                 "of warehouse/marts/staging/")
           for name in MART_ASSET_NAMES],
    pool="warehouse",
)
def build_marts(context: AssetExecutionContext, warehouse: WarehouseResource):
    result = steps.build_marts(warehouse.connect, MART_ASSET_NAMES)
    for name in MART_ASSET_NAMES:
        yield MaterializeResult(asset_key=name, metadata=metadata(result.materialized[name]))


mart_assets = [build_marts]
