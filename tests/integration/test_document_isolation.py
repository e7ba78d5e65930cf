"""One document's failure costs only that document, in every stage (issue 11, point 1).

The real command line runs with a small wrapper that breaks chosen stages for documents holding
a marker word: metadata raises, the engine hangs past the time limit, a worker dies. The good
reports of the same batch must come out exactly as when ingested alone, the broken ones must be
recorded with their stage and error, and the run must exit 0 and say how many failed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import duckdb
import pytest

from tests.integration.conftest import SAMPLES_DIR

WRAPPER = r"""
import os, sys, time
import pipelines.transform as transform

real_metadata, real_extract = transform.extract_metadata, transform.extract_facts

def metadata(text, *args, **kwargs):
    if "甲乙丙丁标记" in text:
        raise ValueError("max() arg is an empty sequence")
    return real_metadata(text, *args, **kwargs)

def extract(text, *args, **kwargs):
    if "戊己庚辛标记" in text:
        time.sleep(600)
    if "壬癸子丑标记" in text:
        os._exit(9)
    return real_extract(text, *args, **kwargs)

transform.extract_metadata, transform.extract_facts = metadata, extract
from pipelines.cli import main
sys.exit(main())
"""

GOOD = ("dx-2023-plan.txt", "th-2024-gwr.txt")
BROKEN = {"broken-metadata.txt": "甲乙丙丁标记", "hangs.txt": "戊己庚辛标记", "dies.txt": "壬癸子丑标记"}


def _facts(warehouse, names):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "SELECT d.file_name, f.indicator_code, f.year, f.basis, f.measure, f.value, f.char_start, f.char_end"
            " FROM core.indicator_facts f JOIN raw.documents d USING (document_id)"
            " WHERE list_contains(?, d.file_name) ORDER BY ALL", [list(names)]).fetchall()


@pytest.mark.slow
def test_broken_stages_cost_only_their_documents(etl, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in GOOD:
        shutil.copy(SAMPLES_DIR / name, folder / name)
    body = (SAMPLES_DIR / GOOD[0]).read_text(encoding="utf-8")
    for name, marker in BROKEN.items():
        (folder / name).write_text(body.replace("地区生产总值", marker + "地区生产总值", 1), encoding="utf-8")
    wrapper = tmp_path / "wrapped_cli.py"
    wrapper.write_text(WRAPPER, encoding="utf-8")
    etl.extra_env["ANNUAL_ETL_DOCUMENT_TIMEOUT"] = "20"
    done = subprocess.run([sys.executable, str(wrapper), "ingest", str(folder)], env=etl.env, cwd=etl.root,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 documents failed" in done.stdout

    with duckdb.connect(str(etl.warehouse), read_only=True) as con:
        errors = con.execute("SELECT d.file_name, e.stage, e.error_type FROM quality.document_errors e"
                             " JOIN raw.documents d USING (document_id) ORDER BY 1").fetchall()
        held = con.execute("SELECT d.file_name, q.check_name FROM quality.quarantine q JOIN raw.documents d"
                           " USING (document_id) WHERE q.check_name LIKE 'extraction%' ORDER BY 1").fetchall()
        alerted = con.execute("SELECT count(DISTINCT document_id) FROM quality.alerts"
                              " WHERE check_name LIKE 'document_errors:%'").fetchone()[0]
        loaded = dict(con.execute("SELECT d.file_name, c.doc_type FROM core.documents c JOIN raw.documents d"
                                  " USING (document_id)").fetchall())
    assert errors == [("broken-metadata.txt", "metadata", "ValueError"), ("dies.txt", "extract", "WorkerDied"),
                      ("hangs.txt", "extract", "TimeoutError")]
    assert held == [("dies.txt", "extraction_error"), ("hangs.txt", "extraction_timeout")]
    assert alerted == len(BROKEN)
    assert set(loaded) == set(GOOD) | set(BROKEN)  # every document is accounted for in core
    assert _facts(etl.warehouse, ["broken-metadata.txt"]), "a broken metadata reader must not cost the figures"

    alone = etl.__class__(**{**etl.__dict__, "warehouse": tmp_path / "alone.duckdb", "extra_env": {},
                             "archive": tmp_path / "alone-archive", "dagster_home": tmp_path / "alone-dh"})
    assert alone.ingest(*(folder / name for name in GOOD)).returncode == 0
    assert _facts(etl.warehouse, GOOD) == _facts(alone.warehouse, GOOD)
