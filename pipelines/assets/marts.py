"""The marts: one SQL file each in warehouse/marts/, rebuilt from core after each ingest.

All four are one Dagster step (a multi-asset): every mart is rebuilt (with the staging views of
warehouse/marts/staging/ it reads) and its build recorded in ``quality.mart_builds``, all in
one DuckDB transaction. One step instead of four saves Dagster's per-step bookkeeping, and one
commit instead of dozens (each CREATE and COMMENT ON is otherwise its own fsync'ed commit). A kill
mid-way commits nothing, so the marts stay as they were and are found stale by the next ingest.
"""


from dagster import AssetExecutionContext, AssetSpec, MaterializeResult, MetadataValue, multi_asset

from ..warehouse import WarehouseResource
from .documents import indicator_facts

from ..marts import mart_names

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
    from .. import marts  # SQL files are read when the step runs, not at import
    from ..freshness import record_mart_build

    with warehouse.connect() as con:
        con.execute("BEGIN")
        try:
            # build_mart (re)creates the staging views too: cheap inside one transaction, and each
            # mart is built by the same function whether one or all are asked for
            counts = {name: marts.build_mart(con, name) for name in MART_ASSET_NAMES}
            for name in MART_ASSET_NAMES:
                record_mart_build(con, name)  # same transaction: a mart and its record go together
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        previews = {name: marts.mart_preview_markdown(con, name) for name in MART_ASSET_NAMES}
    for name in MART_ASSET_NAMES:
        yield MaterializeResult(asset_key=name, metadata={"row_count": counts[name],
                                                          "preview": MetadataValue.md(previews[name])})


mart_assets = [build_marts]
