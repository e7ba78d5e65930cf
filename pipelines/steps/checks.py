"""The checks: the suites in SQL (blocking ERROR, WARN), new-alert checks, cross-document findings."""

from __future__ import annotations

from .base import (ALERTS_RAISED, CORE_TABLES, CROSS_DOCUMENT_CHECKS, RAW_TABLES, CheckOutcome, Connect, Markdown,
                   StepResult)


def _failure_table(reports, severity: str) -> str:
    lines = ["| table | check | rows | example | why |", "|---|---|---|---|---|"]
    for report in reports:
        if report.error and severity == "error":
            lines.append(f"| {report.table} | readable | – | – | {report.error} |")
        for o in report.failed_with(severity):
            example = ", ".join(map(str, o.sample[:3])).replace("|", "/")
            lines.append(f"| {report.table} | {o.name} | {o.unexpected_count} | {example} | {o.why or o.exception or ''} |")
    return "\n".join(lines)


def suite_checks(connect: Connect, documents: list[str] | None, asset: str, prefix: str,
                 tables: tuple[str, ...], *, build_docs: bool) -> tuple[list[CheckOutcome], str | None]:
    """``<prefix>_contract`` (error: blocking) and ``<prefix>_warnings`` from the suites, in SQL.

    With ``build_docs`` every suite's rows go to the detached Great Expectations builder; returns
    the Data Docs folder then (None otherwise).
    """
    from ..quality import alerts as al
    from ..quality import suite_sql, suites

    docs = None
    with connect() as con:
        # the docs show every suite; the checks judge only this asset's tables
        everything = list(suites.suite_files()) if build_docs else list(tables)
        rows_in = suites.pending_rows_dir() if build_docs else None  # the checked rows, for GX later
        reports = suite_sql.evaluate_tables(con, everything, documents, export_to=rows_in)
        mine = [r for r in reports if r.table in tables]
        raised = []
        if any(r.failed or r.error for r in mine):
            raised = al.dispatch(con, [a for r in mine for a in al.alerts_for_suite_report(r, con)])
        if build_docs and suites.defer_data_docs(con, reports, documents, rows_in=rows_in) is not None:
            docs = str(suites.data_docs_dir())
    outcomes = []
    for severity in ("error", "warn"):
        failed = [(r.table, o.name) for r in mine for o in r.failed_with(severity)]
        if severity == "error":
            failed += [(r.table, "readable") for r in mine if r.error]
        checked = sum(1 for r in mine for o in r.outcomes if o.severity == severity)
        outcomes.append(CheckOutcome(
            asset, f"{prefix}_{'contract' if severity == 'error' else 'warnings'}", not failed, severity,
            (f"{len(failed)} of {checked} {severity} expectations failed: "
             + ", ".join(f"{t}:{n}" for t, n in failed[:10])) if failed
            else f"all {checked} {severity} expectations passed",
            {"tables": ", ".join(tables), "rows": {r.table: r.row_count for r in mine}, "expectations": checked,
             "failed": len(failed), "failures": Markdown(_failure_table(mine, severity)),
             ALERTS_RAISED: sum(1 for a in raised if a.severity == severity)}))
    return outcomes, docs


def raw_checks(connect: Connect, documents: list[str] | None) -> StepResult:
    outcomes, _ = suite_checks(connect, documents, "raw_documents", "raw", RAW_TABLES, build_docs=False)
    return StepResult(checks=outcomes)


def _new_alerts(name: str, raised: list, what: str, counts: dict) -> CheckOutcome:
    """A WARN check that fails when it raised new alerts (one per item), listing them."""
    return CheckOutcome("indicator_facts", name, not raised, "warn",
                        f"{len(raised)} new {what}, one alert each" if raised else f"no new {what}",
                        {**counts, ALERTS_RAISED: len(raised),
                         "new": Markdown("\n".join(f"- {a.message}" for a in raised[:50]) or "none")})


def core_checks(connect: Connect, documents: list[str] | None) -> StepResult:
    """Alerts for quarantined figures and document errors, then the core suites (blocking)."""
    from ..quality import alerts as al

    with connect() as con:
        raised = al.dispatch(con, al.alerts_for_quarantine(con, None))
        held = con.execute("SELECT count(*), count(DISTINCT document_id) FROM quality.quarantine").fetchone()
        errors = al.alerts_for_document_errors(con)
        errors_raised = al.dispatch(con, errors)
    outcomes, docs = suite_checks(connect, documents, "indicator_facts", "core", CORE_TABLES, build_docs=True)
    return StepResult(checks=[
        _new_alerts("document_errors", errors_raised, "document errors",
                    {"documents_with_errors": len({a.document_id for a in errors})}),
        _new_alerts("quarantine_alerts", raised, "figures quarantined",
                    {"quarantined_figures": held[0], "documents_with_quarantine": held[1]}),
        *outcomes],
        warnings=[f"Great Expectations builds the Data Docs in the background: {docs}"] if docs else [])


def cross_document(connect: Connect) -> StepResult:
    """quality.cross_document_findings and its two WARN checks."""
    from ..quality import alerts as al
    from ..quality.cross_document import alerts_for_findings, refresh_findings

    checks = []
    with connect() as con:
        counts = refresh_findings(con)
        for name, kinds, _text in CROSS_DOCUMENT_CHECKS:
            alarms = con.execute(
                "SELECT count(*) FROM quality.cross_document_findings WHERE alarm AND list_contains(?, kind)",
                [kinds]).fetchone()[0]
            raised = al.dispatch(con, alerts_for_findings(con, kinds))
            checks.append(CheckOutcome("cross_document_checks", name, alarms == 0, "warn",
                                       f"{alarms} findings ({', '.join(kinds)})" if alarms else "nothing found",
                                       {"findings": alarms, ALERTS_RAISED: len(raised)}))
    return StepResult({"cross_document_checks": {
        "growth_gaps": counts.get("growth_gap", 0), "revisions": counts.get("revision", 0),
        "conflicts": counts.get("conflict", 0), "alarms": counts.get("alarms", 0)}}, checks)
