"""Per-document assets: archived file → raw rows → core facts (partitioned by document id).

The work is ``pipelines.steps.read_documents`` / ``extract_documents``, which the command line
calls too: each skips documents already done by the current reader/extractor version, runs the
per-document work in worker processes with a time limit and writes in batches. With the
``staging`` resource set, the workers stage their outcomes as Parquet files (scale-out).
"""

from dagster import AssetExecutionContext, MaterializeResult, asset

from .. import steps
from ..warehouse import WarehouseResource
from .partitions import documents_partitions, single_run
from .resources import ArchiveResource, StagingResource
from .results import metadata


def _materialize(context: AssetExecutionContext, result: steps.StepResult, name: str) -> MaterializeResult:
    for line in result.warnings:
        context.log.warning(line)
    return MaterializeResult(metadata=metadata(result.materialized[name]))


@asset(partitions_def=documents_partitions, backfill_policy=single_run, group_name="raw", pool="warehouse",
       kinds={"duckdb"}, description="raw.documents and raw.document_texts: every offered file, read or rejected.")
def raw_documents(context: AssetExecutionContext, warehouse: WarehouseResource, archive: ArchiveResource,
                  staging: StagingResource) -> MaterializeResult:
    result = steps.read_documents(warehouse.connect, archive.archive(), list(context.partition_keys),
                                  staging.folder())
    return _materialize(context, result, "raw_documents")


@asset(partitions_def=documents_partitions, backfill_policy=single_run, group_name="core", pool="warehouse",
       deps=[raw_documents], kinds={"duckdb"},
       description="core.documents, core.document_texts, core.indicator_facts and quality.quarantine, "
                   "replaced per document in one transaction.")
def indicator_facts(context: AssetExecutionContext, warehouse: WarehouseResource,
                    staging: StagingResource) -> MaterializeResult:
    result = steps.extract_documents(warehouse.connect, list(context.partition_keys), staging.folder())
    return _materialize(context, result, "indicator_facts")
