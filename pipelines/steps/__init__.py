"""The steps of an ingest as plain functions: the Dagster assets call them, and so does the CLI.

read → raw checks → extract → core checks → cross-document checks, marts → region reports.
Each step takes a way to open the warehouse and the run's documents and returns what it did as
plain data (metadata, check outcomes). ``pipelines/assets/`` wraps them as Dagster assets and
checks (the daemon's sensor, schedule and UI); ``run_steps`` runs them in order in this
process for ``annual-etl ingest`` without importing Dagster, stopping after a failed ERROR
check exactly where Dagster's blocking checks stop a run. See docs/cli.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..landing import Archive
from .base import (ALERTS_RAISED, BATCH_DOCUMENTS, CORE_TABLES, CROSS_DOCUMENT_CHECKS, RAW_TABLES, CheckOutcome,
                   Connect, FilePath, Markdown, StepResult, log, warehouse_opener)
from .checks import core_checks, cross_document, raw_checks, suite_checks
from .documents import extract_documents, read_documents
from .outputs import build_marts, region_reports

__all__ = ["ALERTS_RAISED", "BATCH_DOCUMENTS", "CORE_TABLES", "CROSS_DOCUMENT_CHECKS", "RAW_TABLES", "CheckOutcome",
           "Connect", "FilePath", "Markdown", "RunOutcome", "STEPS", "StepResult", "build_marts", "core_checks",
           "cross_document", "extract_documents", "raw_checks", "read_documents", "region_reports", "run_steps",
           "suite_checks", "warehouse_opener"]


@dataclass
class RunOutcome:
    """What ``run_steps`` did: each step's result in order, and which steps failed or were skipped."""

    steps: dict[str, StepResult] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # step -> why it failed
    skipped: list[str] = field(default_factory=list)  # downstream of a failure

    @property
    def checks(self) -> list[CheckOutcome]:
        return [c for result in self.steps.values() for c in result.checks]

    @property
    def succeeded(self) -> bool:
        return not self.errors

    @property
    def error(self) -> str | None:
        return "; ".join(self.errors.values()) or None


# Each step and the steps it needs, in an order that respects them (the Dagster graph's edges).
STEPS = (("raw_documents", ()), ("raw_checks", ("raw_documents",)), ("indicator_facts", ("raw_checks",)),
         ("core_checks", ("indicator_facts",)), ("cross_document_checks", ("core_checks",)),
         ("marts", ("core_checks",)), ("region_reports", ("marts",)))


def run_steps(warehouse: Path, archive: Path, keys: list[str], reports_out: Path) -> RunOutcome:
    """The ingest job's steps in order over ``keys``, in this process.

    A step that raises, or that has a failed ERROR check (raw_contract, core_contract), fails;
    the steps downstream of it are skipped, as Dagster's blocking checks skip them.
    """
    from ..marts import mart_names

    connect = warehouse_opener(warehouse)
    work: dict[str, Callable[[], StepResult]] = {
        "raw_documents": lambda: read_documents(connect, Archive(archive), keys),
        "raw_checks": lambda: raw_checks(connect, keys),
        "indicator_facts": lambda: extract_documents(connect, keys),
        "core_checks": lambda: core_checks(connect, keys),
        "cross_document_checks": lambda: cross_document(connect),
        "marts": lambda: build_marts(connect, tuple(mart_names())),
        "region_reports": lambda: region_reports(connect, reports_out),
    }
    outcome = RunOutcome()
    for name, needs in STEPS:
        if any(n in outcome.errors or n in outcome.skipped for n in needs):
            outcome.skipped.append(name)
            continue
        log.info(f'step "{name}" started')
        started = time.perf_counter()
        try:
            result = work[name]()
        except Exception as error:
            log.exception(f'step "{name}" failed')
            outcome.errors[name] = f"step {name} failed: {type(error).__name__}: {error}"
            continue
        outcome.seconds[name] = time.perf_counter() - started
        outcome.steps[name] = result
        for line in result.warnings:
            log.info(f"{name}: {line}")
        log.info(f'step "{name}" finished in {outcome.seconds[name]:.3f} s')
        blocking = [c.name for c in result.checks if c.blocks]
        if blocking:
            outcome.errors[name] = (f"step {name} failed: blocking check {', '.join(blocking)} failed;"
                                    " nothing downstream of it ran (the marts were not rebuilt)")
    return outcome
