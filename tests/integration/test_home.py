"""One home holds everything: two homes never see each other's documents, the checkout stays clean,
and the alert sensor ticks with a cursor through Dagster's own code-server path on a home's instance.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.integration.conftest import cli_command, document_id_of

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sources" / "samples"


def _clean_env(**extra: str) -> dict[str, str]:
    """The machine's environment without any place variable: only the home decides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANNUAL_ETL_") and k != "DAGSTER_HOME"}
    env.update(PYTHONUNBUFFERED="1", **extra)
    return env


def _checkout_state() -> str:
    """What git sees in the checkout, ignored files included (bytecode caches aside)."""
    done = subprocess.run(["git", "status", "--porcelain", "--ignored", "--untracked-files=all"], cwd=REPO,
                          capture_output=True, text=True, check=True)
    return "\n".join(line for line in done.stdout.splitlines()
                     if "__pycache__" not in line and ".pytest_cache" not in line)


def _documents(warehouse: Path) -> set[str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {r[0] for r in con.execute("SELECT document_id FROM core.documents").fetchall()}
    finally:
        con.close()


@pytest.mark.skipif(not (REPO / ".git").exists(), reason="needs the git checkout")
def test_two_homes_are_isolated_and_the_checkout_is_untouched(tmp_path):
    before = _checkout_state()
    home_a, home_b = tmp_path / "a", tmp_path / "b"
    doc_a, doc_b = SAMPLES / "dx-2023-plan.txt", SAMPLES / "th-2024-gwr.txt"
    run_a = subprocess.run([*cli_command(), "--home", str(home_a), "ingest", str(doc_a)], cwd=tmp_path,
                           env=_clean_env(ANNUAL_ETL_HOME=str(home_b)),  # --home wins over the variable
                           capture_output=True, text=True, timeout=300)
    assert run_a.returncode == 0, run_a.stdout + run_a.stderr
    run_b = subprocess.run([*cli_command(), "ingest", str(doc_b)], cwd=REPO, env=_clean_env(ANNUAL_ETL_HOME=str(home_b)),
                           capture_output=True, text=True, timeout=300)
    assert run_b.returncode == 0, run_b.stdout + run_b.stderr

    id_a, id_b = document_id_of(doc_a.read_bytes()), document_id_of(doc_b.read_bytes())
    assert _documents(home_a / "warehouse" / "annual_reports.duckdb") == {id_a}
    assert _documents(home_b / "warehouse" / "annual_reports.duckdb") == {id_b}
    for home, doc_id in ((home_a, id_a), (home_b, id_b)):
        assert {p.name.split(".")[0] for p in (home / "archive").rglob("*") if p.is_file()} == {doc_id}
        assert (home / "dagster" / "dagster.yaml").exists()
        assert (home / "logs" / "annual-etl.log").exists()
        assert (home / "quality" / "data_docs" / "index.html").exists()
        assert list((home / "reports").glob("*.html"))
    assert _checkout_state() == before  # nothing written into the checkout, not even ignored files

    # the Dagster instance of each home knows its own document only (what daily_refresh runs over),
    # once the detached recorder has stored what the command did
    from dagster import DagsterInstance
    from dagster._core.instance.ref import InstanceRef

    from pipelines.instance import wait_for_recordings

    for home, doc_id in ((home_a, id_a), (home_b, id_b)):
        assert wait_for_recordings(home / "dagster")
        assert (home / "dagster" / "history" / "runs.db").is_file()
        with DagsterInstance.from_ref(InstanceRef.from_dir(str(home / "dagster"))) as instance:
            assert instance.get_dynamic_partitions("documents") == [doc_id]

    # `annual-etl home` says the same places
    shown = subprocess.run([*cli_command(), "--home", str(home_a), "home"], env=_clean_env(), capture_output=True,
                           text=True, timeout=60, check=True).stdout
    assert f"warehouse  {home_a / 'warehouse' / 'annual_reports.duckdb'}" in shown

    # the check-failure sensor on this home's persistent instance, with a cursor: the tick that
    # used to raise ("run-sharded event log storage") on every tick after the first
    dagster = Path(sys.executable).parent / "dagster"
    preview = subprocess.run([str(dagster), "sensor", "preview", "check_failure_alerts", "--cursor", "1",
                              "-m", "pipelines.definitions"], cwd=tmp_path,
                             env=_clean_env(ANNUAL_ETL_HOME=str(home_a), DAGSTER_HOME=str(home_a / "dagster"),
                                            PYTHONPATH=str(REPO)),
                             capture_output=True, text=True, timeout=300)
    output = preview.stdout + preview.stderr
    assert preview.returncode == 0 and "run-sharded" not in output, output
    assert "check_failure_alerts" in output
