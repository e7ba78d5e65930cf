"""Shared fixtures for the end-to-end tests: a private warehouse, archive and DAGSTER_HOME per test.

``etl`` gives a test its own folders and runs the real command line (``.venv/bin/annual-etl``,
or ``python -m pipelines.cli`` with this interpreter) as a subprocess with them. Nothing touches
the repository's warehouse/, sources/archive/, .dagster_home/ or logs/.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLES_DIR = REPO_ROOT / "sources" / "samples"
GOOD_REPORT = SAMPLES_DIR / "dx-2023-plan.txt"  # the one full real report bundled


def cli_command() -> list[str]:
    script = Path(sys.executable).parent / "annual-etl"
    return [str(script)] if script.exists() else [sys.executable, "-m", "pipelines.cli"]


TABLES_FOR_CHECKSUM = ("raw.documents", "raw.document_texts", "raw.document_sources", "core.documents",
                       "core.document_texts", "core.indicator_facts", "quality.quarantine")


@dataclass
class EtlEnv:
    """One test's private places and a way to run the command line on them."""

    root: Path
    warehouse: Path
    archive: Path
    dagster_home: Path
    log_dir: Path
    sources: Path
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ANNUAL_ETL_")}
        env.update({
            "ANNUAL_ETL_HOME": str(self.root / "home"),  # anything not moved below stays in here
            "ANNUAL_ETL_WAREHOUSE": str(self.warehouse),
            "ANNUAL_ETL_ARCHIVE": str(self.archive),
            "ANNUAL_ETL_LOG_DIR": str(self.log_dir),
            "ANNUAL_ETL_ALERT_LOG": str(self.log_dir / "alerts.jsonl"),
            "ANNUAL_ETL_INBOX": str(self.root / "inbox"),
            "DAGSTER_HOME": str(self.dagster_home),
            "PYTHONUNBUFFERED": "1",
        })
        env.update(self.extra_env)
        return env

    def command(self, *args: str) -> list[str]:
        return [*cli_command(), *args]

    def run(self, *args: str, timeout: float = 300, check: bool = False) -> subprocess.CompletedProcess:
        """Run ``annual-etl ARGS`` to completion with this test's environment (text output)."""
        done = subprocess.run(self.command(*args), env=self.env, cwd=self.root, capture_output=True,
                              text=True, timeout=timeout)
        if check and done.returncode != 0:
            raise AssertionError(f"annual-etl {' '.join(args)} exited {done.returncode}\n"
                                 f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}")
        return done

    def start(self, *args: str, **popen) -> subprocess.Popen:
        """Start ``annual-etl ARGS`` in the background (its own process group)."""
        return subprocess.Popen(self.command(*args), env=self.env, cwd=self.root, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True, **popen)

    def ingest(self, *paths: str | Path, timeout: float = 300) -> subprocess.CompletedProcess:
        return self.run("ingest", *(str(p) for p in paths), timeout=timeout)

    def connect(self):
        """A read-only DuckDB connection to this test's warehouse (close it!)."""
        import duckdb

        return duckdb.connect(str(self.warehouse), read_only=True)

    def table_checksums(self, tables: tuple[str, ...] = TABLES_FOR_CHECKSUM) -> dict[str, tuple]:
        """(row count, order-independent hash of every row, timestamps included) per table."""
        out = {}
        con = self.connect()
        try:
            for table in tables:  # fixed names from TABLES_FOR_CHECKSUM, never from data
                out[table] = con.execute(
                    f"SELECT count(*), coalesce(bit_xor(hash(t::VARCHAR)), 0) FROM {table} AS t").fetchone()
        finally:
            con.close()
        return out

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        con = self.connect()
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()


@pytest.fixture
def etl(tmp_path: Path) -> EtlEnv:
    env = EtlEnv(root=tmp_path, warehouse=tmp_path / "wh" / "annual.duckdb", archive=tmp_path / "archive",
                 dagster_home=tmp_path / "dagster_home", log_dir=tmp_path / "logs", sources=tmp_path / "sources")
    for folder in (env.sources, env.log_dir, env.root / "inbox"):
        folder.mkdir(parents=True, exist_ok=True)
    return env


def document_id_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def load_generator():
    """benchmarks/generate_reports.py as a module (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("annual_etl_generate_reports",
                                                  REPO_ROOT / "benchmarks" / "generate_reports.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def generate_reports():
    """``generate_reports(out_dir, count) -> [paths]``: distinct real-report variants."""
    return load_generator().generate
