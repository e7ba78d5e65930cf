"""Re-extraction by content: change an alias in a copy of the lexicon, ingest again, the document
is re-extracted with the new rules (no version constant bumped by hand).

The second ingest runs the command line from a copy of the package whose lexicon differs in one
line, on the same home: what a deployment sees after pulling a lexicon change.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.integration.conftest import document_id_of

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
REPORT = REPO / "sources" / "samples" / "dx-2024-plan.txt"
ALIAS_LINE = "budget_revenue,一般公共预算收入,canonical name"


def _ingest(code_root: Path, home: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANNUAL_ETL_") and k != "DAGSTER_HOME"}
    env.update(ANNUAL_ETL_HOME=str(home), PYTHONPATH=str(code_root), PYTHONUNBUFFERED="1")
    done = subprocess.run([sys.executable, "-m", "pipelines.cli", "ingest", str(REPORT)], cwd=home.parent, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _state(home: Path, document_id: str) -> tuple[str, set[str]]:
    con = duckdb.connect(str(home / "warehouse" / "annual_reports.duckdb"), read_only=True)
    try:
        version = con.execute("SELECT extractor_version FROM core.documents WHERE document_id = ?",
                              [document_id]).fetchone()[0]
        codes = {r[0] for r in con.execute(
            "SELECT DISTINCT indicator_code FROM core.indicator_facts WHERE document_id = ?"
            " AND sentence LIKE '%一般公共预算收入增长5%%' AND raw_text = '5%'", [document_id]).fetchall()}
    finally:
        con.close()
    return version, codes


def test_a_lexicon_change_re_extracts_the_document(tmp_path):
    home = tmp_path / "home"
    document_id = document_id_of(REPORT.read_bytes())
    _ingest(REPO, home)
    version, codes = _state(home, document_id)
    assert codes == {"budget_revenue"}

    copy = tmp_path / "code"
    copy.mkdir()
    for name in ("pipelines", "warehouse", "expectations"):
        shutil.copytree(REPO / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "data_docs"))
    for name in ("dagster.yaml", "pyproject.toml"):
        shutil.copy(REPO / name, copy / name)
    aliases = copy / "pipelines" / "data" / "indicator_aliases.csv"
    text = aliases.read_text(encoding="utf-8")
    assert ALIAS_LINE in text
    aliases.write_text(text.replace(ALIAS_LINE, "budget_expenditure,一般公共预算收入,changed for the test"),
                       encoding="utf-8")

    again = _ingest(copy, home)
    new_version, new_codes = _state(home, document_id)
    assert new_version != version and new_version.split("+")[:2] == version.split("+")[:2]
    assert new_codes == {"budget_expenditure"}, again.stdout  # extracted again, with the new alias
    assert "ingesting 1 documents" in again.stderr or "ingesting 1 document" in again.stderr

    unchanged = _ingest(copy, home)  # same content, same version: nothing to do
    assert _state(home, document_id) == (new_version, new_codes)
    assert "nothing to do" in unchanged.stdout
