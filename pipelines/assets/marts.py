"""Mart assets: one per SQL file in warehouse/marts/, rebuilt from core after each ingest.

Each asset builds its mart on its own: ``marts.build_mart`` first (re)creates the staging views
of warehouse/marts/staging/ (marts.stg_*), so no separate staging asset has to run before it."""


from dagster import AssetExecutionContext, AssetsDefinition, MaterializeResult, MetadataValue, asset

from ..warehouse import WarehouseResource
from .documents import indicator_facts

MART_ASSET_NAMES = ("indicator_yoy", "plan_vs_actual", "indicator_revisions", "latest_indicators")


def _mart_asset(name: str) -> AssetsDefinition:
    @asset(name=name, group_name="marts", pool="warehouse", deps=[indicator_facts], kinds={"duckdb"},
           description=f"marts.{name}, built by warehouse/marts/{name}.sql on the staging views "
                       "of warehouse/marts/staging/ (recreated first)")
    def _build(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
        from .. import marts  # SQL files are read when the asset runs, not at import
        from ..freshness import record_mart_build

        with warehouse.connect() as con:
            rows = marts.build_mart(con, name)
            record_mart_build(con, name)  # after the build: a kill in between leaves the mart stale, not wrong
            preview = marts.mart_preview_markdown(con, name)
        return MaterializeResult(metadata={"row_count": rows, "preview": MetadataValue.md(preview)})

    return _build


mart_assets = [_mart_asset(name) for name in MART_ASSET_NAMES]
