"""What every step shares: how it opens the warehouse and how it says what it did."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .. import warehouse as _warehouse

log = logging.getLogger("annual_etl.steps")

BATCH_DOCUMENTS = 50  # documents per write transaction: few commits, short lock holds
RAW_TABLES = ("raw.documents",)
CORE_TABLES = ("core.indicator_facts", "core.documents", "quality.quarantine")
ALERTS_RAISED = "alerts_raised"  # metadata key: this check dispatched its own alerts
CROSS_DOCUMENT_CHECKS = (
    ("growth_consistency", ["growth_gap"],
     "stated growth agrees (within 1 pp) with the growth computed from consecutive levels; comparable-price "
     "growth (GDP, value added) is recorded, not alarmed"),
    ("figures_agree", ["revision", "conflict"],
     "no two documents give different values for the same region, indicator, year, period, basis and measure"),
)

Connect = Callable[..., AbstractContextManager[duckdb.DuckDBPyConnection]]


class Markdown(str):
    """A metadata value shown as Markdown in Dagster (plain text everywhere else)."""


class FilePath(str):
    """A metadata value that is a path on disk."""


@dataclass
class CheckOutcome:
    """One check's result, as Dagster's ``AssetCheckResult`` would carry it."""

    asset: str
    name: str
    passed: bool
    severity: str  # error (blocking) | warn
    description: str
    metadata: dict = field(default_factory=dict)

    @property
    def blocks(self) -> bool:
        return self.severity == "error" and not self.passed


@dataclass
class StepResult:
    """What a step did: metadata per asset it materialised, and the checks it ran."""

    materialized: dict[str, dict] = field(default_factory=dict)
    checks: list[CheckOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def warehouse_opener(path: Path) -> Connect:
    """``connect(read_only=False)`` for one warehouse file; the DDL runs once per process and file."""

    @contextmanager
    def connect(read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        with _warehouse.connect(path, read_only=read_only) as con:
            if not read_only:
                _warehouse.ensure_schema_once(con, path)
            yield con

    return connect
