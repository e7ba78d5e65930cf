"""Where things live: the repository's folders and the environment variables that move them."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
WAREHOUSE_SQL = REPO_ROOT / "warehouse"
SAMPLES_DIR = REPO_ROOT / "sources" / "samples"
INBOX_DIR = REPO_ROOT / "sources" / "inbox"


def warehouse_path() -> Path:
    """ANNUAL_ETL_WAREHOUSE, else warehouse/annual_reports.duckdb."""
    return Path(os.environ.get("ANNUAL_ETL_WAREHOUSE") or REPO_ROOT / "warehouse" / "annual_reports.duckdb")


def archive_dir() -> Path:
    """Content-addressed copies of every offered file (ANNUAL_ETL_ARCHIVE, else sources/archive)."""
    return Path(os.environ.get("ANNUAL_ETL_ARCHIVE") or REPO_ROOT / "sources" / "archive")


def inbox_dir() -> Path:
    return Path(os.environ.get("ANNUAL_ETL_INBOX") or INBOX_DIR)


def dagster_home() -> Path:
    return Path(os.environ.get("DAGSTER_HOME") or REPO_ROOT / ".dagster_home")


def log_dir() -> Path:
    return Path(os.environ.get("ANNUAL_ETL_LOG_DIR") or REPO_ROOT / "logs")
