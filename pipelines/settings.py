"""Where things live: one home folder holds everything a deployment writes.

``ANNUAL_ETL_HOME`` (or ``annual-etl --home DIR``) names the home; by default it is
``.annual-etl/`` in the checkout (git-ignored), or ``~/.annual-etl`` when the package is
installed outside a checkout. Warehouse, archive, inbox, Dagster instance, reports, Data Docs,
logs and alerts are folders inside it, so two homes never see each other's documents and an
ingest writes nothing into the checkout. Each place can still be moved alone by its own
variable (``ENVIRONMENT`` lists them all; the README's table is generated from the same list).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
WAREHOUSE_SQL = REPO_ROOT / "warehouse"
DATA_DIR = REPO_ROOT / "pipelines" / "data"  # the data people maintain: indicators, aliases, cue words, units
SAMPLES_DIR = REPO_ROOT / "sources" / "samples"

HOME_ENV = "ANNUAL_ETL_HOME"
HOME_FOLDER = ".annual-etl"

# Every environment variable annual-etl reads: (name, meaning, default). The README documents
# each of them (a unit test holds the two together).
ENVIRONMENT: tuple[tuple[str, str, str], ...] = (
    ("ANNUAL_ETL_HOME", "the home: everything a deployment writes", "`.annual-etl/` in the checkout, else `~/.annual-etl`"),
    ("ANNUAL_ETL_WAREHOUSE", "the DuckDB file (`--warehouse FILE` too)", "`HOME/warehouse/annual_reports.duckdb`"),
    ("ANNUAL_ETL_ARCHIVE", "content-addressed copies of every offered file", "`HOME/archive/`"),
    ("ANNUAL_ETL_INBOX", "folder watched by the `inbox_sensor`", "`HOME/inbox/`"),
    ("DAGSTER_HOME", "the Dagster instance (runs, partitions, schedules, sensor cursors)", "`HOME/dagster/`"),
    ("ANNUAL_ETL_REPORTS_DIR", "HTML region reports written by the pipeline", "`HOME/reports/`"),
    ("ANNUAL_ETL_DATA_DOCS", "Great Expectations Data Docs of the last check run", "`HOME/quality/data_docs/`"),
    ("ANNUAL_ETL_LOG_DIR", "`annual-etl.log` (Dagster's and Great Expectations' logs)", "`HOME/logs/`"),
    ("ANNUAL_ETL_ALERT_LOG", "JSON-lines file, one line per alert", "`HOME/logs/alerts.jsonl`"),
    ("ANNUAL_ETL_ALERT_WEBHOOK", "URL that receives a JSON POST per alert", "unset: no network traffic"),
    ("ANNUAL_ETL_EXPECTATIONS", "folder of the Great Expectations suites (read, not written)", "`expectations/`"),
    ("ANNUAL_ETL_WORKERS", "worker processes that read and extract documents (`0`: in process, no time limit)", "the CPU count, at most 4"),
    ("ANNUAL_ETL_DOCUMENT_TIMEOUT", "seconds one document's reading or extraction may take before it is stopped and recorded", "300"),
    ("ANNUAL_ETL_DUCKDB_MEMORY", "DuckDB's memory limit per connection (it spills to disk past it)", "`512MB`"),
    ("ANNUAL_ETL_NO_SOFFICE", "`1`: refuse `.doc` files (with how to convert them) even when LibreOffice is installed", "unset: `.doc` converted when `soffice` is on PATH"),
)

# The variables that move one place out of the home; `--home DIR` clears them so that DIR
# really holds everything.
PLACE_VARIABLES = ("ANNUAL_ETL_WAREHOUSE", "ANNUAL_ETL_ARCHIVE", "ANNUAL_ETL_INBOX", "DAGSTER_HOME",
                   "ANNUAL_ETL_REPORTS_DIR", "ANNUAL_ETL_DATA_DOCS", "ANNUAL_ETL_LOG_DIR", "ANNUAL_ETL_ALERT_LOG")


def duckdb_memory_limit() -> str:
    """DuckDB's own default is 80 % of RAM, which let the checks of a 10,000-document warehouse
    take a gigabyte; a limit keeps an ingest's peak flat (DuckDB spills what does not fit)."""
    return os.environ.get("ANNUAL_ETL_DUCKDB_MEMORY") or "512MB"


def default_home() -> Path:
    """`.annual-etl/` in a checkout (found by its pyproject.toml), else ``~/.annual-etl``."""
    if (REPO_ROOT / "pyproject.toml").is_file():
        return REPO_ROOT / HOME_FOLDER
    return Path.home() / HOME_FOLDER


def home() -> Path:
    """ANNUAL_ETL_HOME, else ``default_home()``; always absolute (the daemon's cwd differs)."""
    value = os.environ.get(HOME_ENV)
    return Path(value).expanduser().absolute() if value else default_home()


def use_home(path: str | Path) -> Path:
    """Make ``path`` this process's home, with every place inside it (what `--home DIR` does).

    The per-place variables are dropped so that nothing inherited from the shell moves a place
    out of the chosen home, and DAGSTER_HOME is pointed inside it for Dagster itself.
    """
    chosen = Path(path).expanduser().absolute()
    os.environ[HOME_ENV] = str(chosen)
    for name in PLACE_VARIABLES:
        os.environ.pop(name, None)
    os.environ["DAGSTER_HOME"] = str(chosen / "dagster")
    return chosen


def _place(variable: str, *inside: str) -> Path:
    value = os.environ.get(variable)
    return Path(value).expanduser() if value else home().joinpath(*inside)


def warehouse_path() -> Path:
    return _place("ANNUAL_ETL_WAREHOUSE", "warehouse", "annual_reports.duckdb")


def archive_dir() -> Path:
    return _place("ANNUAL_ETL_ARCHIVE", "archive")


def inbox_dir() -> Path:
    return _place("ANNUAL_ETL_INBOX", "inbox")


def dagster_home() -> Path:
    return _place("DAGSTER_HOME", "dagster")


def reports_dir() -> Path:
    return _place("ANNUAL_ETL_REPORTS_DIR", "reports")


def data_docs_dir() -> Path:
    return _place("ANNUAL_ETL_DATA_DOCS", "quality", "data_docs")


def log_dir() -> Path:
    return _place("ANNUAL_ETL_LOG_DIR", "logs")


def alert_log_path() -> Path:
    value = os.environ.get("ANNUAL_ETL_ALERT_LOG")
    return Path(value).expanduser() if value else log_dir() / "alerts.jsonl"


# Where the warehouse lived before the home existed (the spec's old default).
LEGACY_WAREHOUSE = REPO_ROOT / "warehouse" / "annual_reports.duckdb"


def legacy_hint(wanted: Path) -> str:
    """A sentence pointing at the checkout's old warehouse when ``wanted`` does not exist yet."""
    if Path(wanted).exists() or not LEGACY_WAREHOUSE.exists() or Path(wanted) == LEGACY_WAREHOUSE:
        return ""
    return (f" (a warehouse from before ANNUAL_ETL_HOME is at {LEGACY_WAREHOUSE}: pass --warehouse"
            f" {LEGACY_WAREHOUSE}, or move it to {wanted})")


def places() -> dict[str, Path]:
    """Every place of the current home, for `annual-etl home` and the README."""
    return {"home": home(), "warehouse": warehouse_path(), "archive": archive_dir(), "inbox": inbox_dir(),
            "dagster": dagster_home(), "reports": reports_dir(), "data docs": data_docs_dir(),
            "logs": log_dir(), "alerts": alert_log_path()}
