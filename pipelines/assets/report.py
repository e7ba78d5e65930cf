"""The region reports asset: one offline HTML page per region (charts drawn in the browser by the
vendored Chart.js copied to reports/assets/), rewritten after the marts when the rows it is built
from changed (``everything`` in the run config rewrites all).

Writes into ``ANNUAL_ETL_REPORTS_DIR`` (default ``HOME/reports/``), or the ``out_dir`` given in
the run config, through ``pipelines.steps.region_reports``.
"""

from pathlib import Path

from dagster import AssetExecutionContext, AssetKey, Config, MaterializeResult, asset

from .. import steps
from ..settings import reports_dir
from ..warehouse import WarehouseResource
from .results import metadata

MART_DEPS = ("indicator_yoy", "plan_vs_actual", "indicator_revisions", "latest_indicators")


class RegionReportsConfig(Config):
    out_dir: str = ""  # empty: reports_dir()
    region: str = ""  # empty: every region; else a full region name or 6-digit code
    everything: bool = False  # rewrite every page, not only those whose inputs changed


@asset(
    name="region_reports",
    group_name="marts",
    pool="warehouse",
    deps=[AssetKey(name) for name in MART_DEPS],
    kinds={"html"},
    description="One offline HTML page per region (charts from reports/assets/, plan vs actual, "
    "revisions, every figure linked to its sentence) and quality.html (checks, held-back figures, alerts; offline), "
    "written by pipelines/report.py.",
)
def region_reports(
    context: AssetExecutionContext, config: RegionReportsConfig, warehouse: WarehouseResource
) -> MaterializeResult:
    out = Path(config.out_dir) if config.out_dir else reports_dir()
    result = steps.region_reports(warehouse.connect, out, config.region or None, config.everything)
    for line in result.warnings:
        context.log.info(line)
    return MaterializeResult(metadata=metadata(result.materialized["region_reports"]))
