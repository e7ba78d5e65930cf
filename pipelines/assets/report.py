"""The region reports asset: one self-contained HTML page per region, rebuilt after the marts.

Writes into ``ANNUAL_ETL_REPORTS_DIR`` (default ``HOME/reports/``), or
the ``out_dir`` given in the run config. Add ``region_reports`` to the Definitions' assets.
"""

from pathlib import Path

from dagster import AssetExecutionContext, AssetKey, Config, MaterializeResult, MetadataValue, asset

from ..settings import reports_dir
from ..warehouse import WarehouseResource

MART_DEPS = ("indicator_yoy", "plan_vs_actual", "indicator_revisions", "latest_indicators")




class RegionReportsConfig(Config):
    out_dir: str = ""  # empty: reports_dir()
    region: str = ""  # empty: every region; else a full region name or 6-digit code


@asset(
    name="region_reports",
    group_name="marts",
    pool="warehouse",
    deps=[AssetKey(name) for name in MART_DEPS],
    kinds={"html"},
    description="One self-contained HTML page per region (charts, plan vs actual, revisions, every "
    "figure linked to its sentence) and quality.html (checks, held-back figures, alerts; offline), "
    "written by pipelines/report.py.",
)
def region_reports(
    context: AssetExecutionContext, config: RegionReportsConfig, warehouse: WarehouseResource
) -> MaterializeResult:
    from ..report import write_region_reports  # imported when the asset runs

    out = Path(config.out_dir) if config.out_dir else reports_dir()
    with warehouse.connect(read_only=True) as con:
        written = write_region_reports(con, out, region=config.region or None)
    context.log.info(f"wrote {len(written)} region report(s) to {out}")
    listing = "\n".join(f"- `{p.name}`" for p in written) or "_no region with facts_"
    metadata = {"pages": len(written), "out_dir": MetadataValue.path(str(out)), "files": MetadataValue.md(listing)}
    if not config.region:  # all regions: the quality page was written too
        metadata["quality_page"] = MetadataValue.path(str(out / "quality.html"))
    return MaterializeResult(metadata=metadata)
