"""Quality as Dagster asset checks and one quality asset, over ``pipelines.steps``.

- ``raw_checks`` on ``raw_documents`` and ``core_checks`` on ``indicator_facts`` evaluate the Great
  Expectations suites in ``expectations/`` on the rows of the run's documents, in DuckDB SQL
  (``pipelines.quality.suite_sql``). The ``*_contract`` checks hold the ``error`` expectations
  and are blocking: when one fails, the marts are not rebuilt in that run. The ``*_warnings``
  checks hold the ``warn`` expectations. ``core_checks`` also hands the rows of every suite to
  GX, which builds its validation results and Data Docs in a detached process.
- ``quarantine_alerts`` and ``document_errors`` (in ``core_checks``) raise one alert per new
  quarantined figure or broken document, and fail as a WARN when there were new ones.
- ``cross_document_checks`` writes ``quality.cross_document_findings`` and reports its WARN checks
  ``growth_consistency`` and ``figures_agree``.

Every failed check raises alerts itself and says so in its metadata (``alerts_raised``), so the
WARN sensor does not report it a second time.
"""

from dagster import (AssetCheckExecutionContext, AssetCheckSpec, AssetExecutionContext, MaterializeResult, asset,
                     multi_asset_check)

from .. import steps
from ..steps import CROSS_DOCUMENT_CHECKS
from ..warehouse import WarehouseResource
from .documents import indicator_facts, raw_documents
from .results import check_result, metadata

ALERTS_RAISED = steps.ALERTS_RAISED  # the sensors skip checks that raised their own alerts
RAW_KEY = raw_documents.key
FACTS_KEY = indicator_facts.key


def _run_documents(context) -> list[str] | None:
    from ..jobs import run_documents

    return run_documents(context.instance, context.run.tags)


@multi_asset_check(
    specs=[
        AssetCheckSpec("raw_contract", asset=RAW_KEY, blocking=True,
                       description="raw.documents meets the error expectations of expectations/raw.documents.yml"),
        AssetCheckSpec("raw_warnings", asset=RAW_KEY,
                       description="raw.documents meets the warn expectations of expectations/raw.documents.yml"),
    ],
    pool="warehouse",
)
def raw_checks(context: AssetCheckExecutionContext, warehouse: WarehouseResource):
    for outcome in steps.raw_checks(warehouse.connect, _run_documents(context)).checks:
        yield check_result(outcome)


@multi_asset_check(
    specs=[
        AssetCheckSpec("core_contract", asset=FACTS_KEY, blocking=True,
                       description="core.indicator_facts, core.documents and quality.quarantine meet the error "
                                   "expectations in expectations/; when not, the marts are not rebuilt"),
        AssetCheckSpec("core_warnings", asset=FACTS_KEY,
                       description="… and their warn expectations (alerts, the run goes on)"),
        AssetCheckSpec("quarantine_alerts", asset=FACTS_KEY,
                       description="one alert per quarantined figure; fails (warn) when figures were newly "
                                   "quarantined"),
        AssetCheckSpec("document_errors", asset=FACTS_KEY,
                       description="one alert per document whose reading, metadata, extraction, screening or "
                                   "load broke (quality.document_errors); fails (warn) when there are new ones"),
    ],
    pool="warehouse",
)
def core_checks(context: AssetCheckExecutionContext, warehouse: WarehouseResource):
    result = steps.core_checks(warehouse.connect, _run_documents(context))
    for line in result.warnings:
        context.log.info(line)
    for outcome in result.checks:
        yield check_result(outcome)


@asset(
    group_name="quality",
    deps=[indicator_facts],
    pool="warehouse",
    kinds={"duckdb"},
    check_specs=[AssetCheckSpec(name, asset="cross_document_checks", description=text)
                 for name, _kinds, text in CROSS_DOCUMENT_CHECKS],
    description="quality.cross_document_findings: stated vs computed growth, and figures that differ "
                "between documents (revisions and conflicts). Its checks are warnings.",
)
def cross_document_checks(context: AssetExecutionContext, warehouse: WarehouseResource):
    result = steps.cross_document(warehouse.connect)
    yield MaterializeResult(metadata=metadata(result.materialized["cross_document_checks"]))
    for outcome in result.checks:
        yield check_result(outcome, with_asset_key=False)


QUALITY_CHECKS = [raw_checks, core_checks]
QUALITY_ASSETS = [cross_document_checks]
