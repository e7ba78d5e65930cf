"""Quality as Dagster asset checks and one quality asset.

- ``raw_checks`` on ``raw_documents`` and ``core_checks`` on ``indicator_facts`` evaluate the Great
  Expectations suites in ``expectations/`` on the rows of the run's documents, in DuckDB SQL
  (``pipelines.quality.suite_sql``: milliseconds, where importing and running GX took seconds). The ``*_contract`` checks hold the ``error``
  expectations and are blocking: when one fails, the marts are not rebuilt in that run. The
  ``*_warnings`` checks hold the ``warn`` expectations (``AssetCheckSeverity.WARN``).
  ``core_checks`` also hands the same rows of every suite to GX, which builds its validation
  results and Data Docs in a detached process (``suites.defer_data_docs``), out of the run's way.
- ``quarantine_alerts`` (in ``core_checks``) raises one alert per quarantined figure not alerted
  before, and fails as a WARN when there were new ones.
- ``cross_document_checks`` writes ``quality.cross_document_findings`` and reports its WARN checks
  ``growth_consistency`` and ``figures_agree``.

Every failed check raises alerts itself (``pipelines.quality.alerts.dispatch``) and says so in
its metadata (``alerts_raised``), so the WARN sensor does not report it a second time.
"""


from collections.abc import Iterator

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    MaterializeResult,
    MetadataValue,
    asset,
    multi_asset_check,
)

from ..warehouse import WarehouseResource
from .documents import indicator_facts, raw_documents

RAW_KEY = raw_documents.key
FACTS_KEY = indicator_facts.key
RAW_TABLES = ("raw.documents",)
CORE_TABLES = ("core.indicator_facts", "core.documents", "quality.quarantine")
ALERTS_RAISED = "alerts_raised"  # metadata key: this check dispatched its own alerts


def _failure_table(reports, severity: str) -> str:
    lines = ["| table | check | rows | example | why |", "|---|---|---|---|---|"]
    for report in reports:
        if report.error and severity == "error":
            lines.append(f"| {report.table} | readable | – | – | {report.error} |")
        for o in report.failed_with(severity):
            example = ", ".join(map(str, o.sample[:3])).replace("|", "/")
            lines.append(f"| {report.table} | {o.name} | {o.unexpected_count} | {example} | {o.why or o.exception or ''} |")
    return "\n".join(lines)


def _suite_results(
    context, warehouse: WarehouseResource, asset_key: AssetKey, prefix: str, tables: tuple[str, ...],
    *, build_docs: bool,
) -> Iterator[AssetCheckResult]:
    from ..jobs import run_documents
    from ..quality import alerts as al
    from ..quality import suite_sql, suites

    documents = run_documents(context.instance, context.run.tags)
    with warehouse.connect() as con:
        # the docs show every suite; the checks judge only this asset's tables
        everything = list(suites.suite_files()) if build_docs else list(tables)
        rows_in = suites.pending_rows_dir() if build_docs else None  # the checked rows, for GX later
        reports = suite_sql.evaluate_tables(con, everything, documents, export_to=rows_in)
        mine = [r for r in reports if r.table in tables]
        raised = []
        if any(r.failed or r.error for r in mine):
            raised = al.dispatch(con, [a for r in mine for a in al.alerts_for_suite_report(r, con)])
        if build_docs and suites.defer_data_docs(con, reports, documents, rows_in=rows_in) is not None:
            context.log.info(f"Great Expectations builds the Data Docs in the background: {suites.data_docs_dir()}")
    for severity, name, check_severity in (("error", f"{prefix}_contract", AssetCheckSeverity.ERROR),
                                           ("warn", f"{prefix}_warnings", AssetCheckSeverity.WARN)):
        failed = [(r.table, o.name) for r in mine for o in r.failed_with(severity)]
        if severity == "error":
            failed += [(r.table, "readable") for r in mine if r.error]
        checked = sum(1 for r in mine for o in r.outcomes if o.severity == severity)
        yield AssetCheckResult(
            asset_key=asset_key,
            check_name=name,
            passed=not failed,
            severity=check_severity,
            description=(f"{len(failed)} of {checked} {severity} expectations failed: "
                         + ", ".join(f"{t}:{n}" for t, n in failed[:10])) if failed
            else f"all {checked} {severity} expectations passed",
            metadata={
                "tables": ", ".join(tables),
                "rows": MetadataValue.json({r.table: r.row_count for r in mine}),
                "expectations": checked,
                "failed": len(failed),
                "failures": MetadataValue.md(_failure_table(mine, severity)),
                ALERTS_RAISED: sum(1 for a in raised if a.severity == severity),
            },
        )


@multi_asset_check(
    specs=[
        AssetCheckSpec("raw_contract", asset=RAW_KEY, blocking=True,
                       description="raw.documents meets the error expectations of expectations/raw.documents.yml"),
        AssetCheckSpec("raw_warnings", asset=RAW_KEY,
                       description="raw.documents meets the warn expectations of expectations/raw.documents.yml"),
    ],
    pool="warehouse",
)
def raw_checks(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> Iterator[AssetCheckResult]:
    yield from _suite_results(context, warehouse, RAW_KEY, "raw", RAW_TABLES, build_docs=False)


def _new_alerts_result(check_name: str, raised: list, what: str, counts: dict) -> AssetCheckResult:
    """A WARN check that fails when it raised new alerts (one per item), listing them."""
    return AssetCheckResult(
        asset_key=FACTS_KEY, check_name=check_name, passed=not raised, severity=AssetCheckSeverity.WARN,
        description=f"{len(raised)} new {what}, one alert each" if raised else f"no new {what}",
        metadata={**counts, ALERTS_RAISED: len(raised),
                  "new": MetadataValue.md("\n".join(f"- {a.message}" for a in raised[:50]) or "none")},
    )


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
def core_checks(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> Iterator[AssetCheckResult]:
    from ..quality import alerts as al

    with warehouse.connect() as con:
        raised = al.dispatch(con, al.alerts_for_quarantine(con, None))
        held = con.execute("SELECT count(*), count(DISTINCT document_id) FROM quality.quarantine").fetchone()
        errors = al.alerts_for_document_errors(con)
        errors_raised = al.dispatch(con, errors)
    yield _new_alerts_result("document_errors", errors_raised, "document errors",
                             {"documents_with_errors": len({a.document_id for a in errors})})
    yield _new_alerts_result("quarantine_alerts", raised, "figures quarantined",
                             {"quarantined_figures": held[0], "documents_with_quarantine": held[1]})
    yield from _suite_results(context, warehouse, FACTS_KEY, "core", CORE_TABLES, build_docs=True)


CROSS_DOCUMENT_CHECKS = (
    ("growth_consistency", ["growth_gap"],
     "stated growth agrees (within 1 pp) with the growth computed from consecutive levels; comparable-price "
     "growth (GDP, value added) is recorded, not alarmed"),
    ("figures_agree", ["revision", "conflict"],
     "no two documents give different values for the same region, indicator, year, period, basis and measure"),
)


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
    from ..quality import alerts as al
    from ..quality.cross_document import alerts_for_findings, refresh_findings

    results = []
    with warehouse.connect() as con:
        counts = refresh_findings(con)
        for name, kinds, _text in CROSS_DOCUMENT_CHECKS:
            alarms = con.execute(
                "SELECT count(*) FROM quality.cross_document_findings WHERE alarm AND list_contains(?, kind)",
                [kinds]).fetchone()[0]
            raised = al.dispatch(con, alerts_for_findings(con, kinds))
            results.append(AssetCheckResult(
                check_name=name, passed=alarms == 0, severity=AssetCheckSeverity.WARN,
                description=f"{alarms} findings ({', '.join(kinds)})" if alarms else "nothing found",
                metadata={"findings": alarms, ALERTS_RAISED: len(raised)},
            ))
    yield MaterializeResult(metadata={
        "growth_gaps": counts.get("growth_gap", 0), "revisions": counts.get("revision", 0),
        "conflicts": counts.get("conflict", 0), "alarms": counts.get("alarms", 0),
    })
    yield from results


QUALITY_CHECKS = [raw_checks, core_checks]
QUALITY_ASSETS = [cross_document_checks]
