"""A killed ingest leaves no partial document, and running again finishes the job.

200 distinct real-report variants are ingested; the process is SIGKILLed right after the first
batch of core rows reached the warehouse file (so some documents are in core and some are not),
then the warehouse is checked document by document, the ingest is run again to completion, and
a third run must change nothing at all (same checksums of every table).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

DOCUMENTS = 200


def _wait_for(predicate, timeout: float, what: str, proc=None, interval: float = 0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc is not None and proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"ingest ended (exit {proc.returncode}) before {what}\n{out}\n{err}")
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def _log_has(log: Path, needle: str) -> bool:
    return log.exists() and needle in log.read_text(encoding="utf-8", errors="replace")


class _Tail:
    """Reads only what was appended to a log since the last look (cheap to poll every 10 ms)."""

    def __init__(self, path: Path):
        self.path, self.offset, self.seen = path, 0, ""

    def has(self, needle: str) -> bool:
        if self.path.exists():
            with self.path.open("rb") as handle:
                handle.seek(self.offset)
                chunk = handle.read()
            self.offset += len(chunk)
            self.seen = (self.seen[-len(needle):] + chunk.decode("utf-8", errors="replace"))
        return needle in self.seen


def _stamp(path: Path) -> tuple:
    """The main database file only: it changes when a committed batch is checkpointed into it
    (on close), not when a connection merely opens (the .wal can come and go then)."""
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def _check_no_partial_document(etl) -> dict[str, int]:
    """Every document is whole in each layer; returns facts per document in core."""
    orphans = {
        "raw text without raw document": "SELECT count(*) FROM raw.document_texts t ANTI JOIN raw.documents d USING (document_id)",
        "parsed raw document without text": "SELECT count(*) FROM raw.documents d ANTI JOIN raw.document_texts t USING (document_id) WHERE d.status = 'parsed'",
        "core document not parsed in raw": "SELECT count(*) FROM core.documents c ANTI JOIN (SELECT * FROM raw.documents WHERE status = 'parsed') d USING (document_id)",
        "core document without text": "SELECT count(*) FROM core.documents c ANTI JOIN core.document_texts t USING (document_id)",
        "core text without document": "SELECT count(*) FROM core.document_texts t ANTI JOIN core.documents c USING (document_id)",
        "facts without core document": "SELECT count(*) FROM core.indicator_facts f ANTI JOIN core.documents c USING (document_id)",
        "quarantine without core document": "SELECT count(*) FROM quality.quarantine q ANTI JOIN core.documents c USING (document_id)",
        "core text differs from raw text": "SELECT count(*) FROM core.document_texts c JOIN raw.document_texts r USING (document_id) WHERE c.text <> r.text",
    }
    for what, sql in orphans.items():
        assert etl.rows(sql) == [(0,)], what
    return dict(etl.rows("SELECT c.document_id, count(f.fact_id) FROM core.documents c"
                         " LEFT JOIN core.indicator_facts f USING (document_id) GROUP BY ALL"))


def _expected_facts(etl, document_ids: list[str]) -> dict[str, int]:
    """What the extractor yields for each of these documents, computed here from raw text."""
    from datetime import date

    from pipelines.transform import build_core, fact_id

    rows = etl.rows("SELECT t.document_id, t.text, d.file_name, t.title_hint, d.published_hint"
                    " FROM raw.document_texts t JOIN raw.documents d USING (document_id)"
                    " WHERE list_contains(?, t.document_id)", [document_ids])
    out = {}
    for document_id, text, file_name, title_hint, published in rows:
        outcome = build_core(document_id, text, file_name=file_name, title_hint=title_hint,
                             published_hint=published if isinstance(published, date) else None)
        out[document_id] = len({fact_id(document_id, f) for f in outcome.facts})
    return out


def _dagster_view(etl) -> tuple[list[str], set[str], set[str]]:
    """(runs that never finished, document partitions, extracted partitions) of the test's Dagster
    instance, once the command line's runs are recorded there (it starts no Dagster run itself)."""
    from dagster import AssetKey, DagsterInstance, DagsterRunStatus, RunsFilter
    from dagster._core.instance.ref import InstanceRef

    from pipelines.instance import wait_for_recordings

    assert wait_for_recordings(etl.dagster_home)
    if not (etl.dagster_home / "history").exists():
        return [], set(), set()
    with DagsterInstance.from_ref(InstanceRef.from_dir(str(etl.dagster_home))) as instance:
        unfinished = [run.run_id for run in instance.get_runs(RunsFilter(statuses=[
            DagsterRunStatus.STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.NOT_STARTED]))]
        return (unfinished, set(instance.get_dynamic_partitions("documents")),
                instance.get_materialized_partitions(AssetKey("indicator_facts")))


def _unfinished_runs(etl) -> list[str]:
    return _dagster_view(etl)[0]


def test_sigkill_mid_ingest_leaves_whole_documents_and_a_rerun_completes(etl, generate_reports):
    inbox = etl.sources / "many"
    generate_reports(inbox, DOCUMENTS)
    log = etl.log_dir / "annual-etl.log"

    proc = etl.start("ingest", str(inbox))
    try:
        tail = _Tail(log)
        _wait_for(lambda: tail.has('step "indicator_facts" started'), 150,
                  "the extraction step to start", proc)
        start = _stamp(etl.warehouse)
        # the first batch of core rows committed (the file changed): kill now, mid-step
        _wait_for(lambda: _stamp(etl.warehouse) != start, 60, "a first core batch to be written", proc)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert not _log_has(log, 'step "indicator_facts" finished')

    facts_after_kill = _check_no_partial_document(etl)
    assert etl.rows("SELECT count(*), count(*) FILTER (status = 'parsed') FROM raw.documents") == [(DOCUMENTS, DOCUMENTS)]
    assert 0 < len(facts_after_kill) < DOCUMENTS, f"kill landed outside the step: {len(facts_after_kill)} in core"
    # the documents that made it are whole: exactly the facts the extractor finds in them
    assert facts_after_kill == _expected_facts(etl, list(facts_after_kill))
    assert min(facts_after_kill.values()) > 0
    loaded_before = dict(etl.rows("SELECT document_id, loaded_at FROM core.documents"))

    second = etl.ingest(inbox, timeout=240)
    assert second.returncode == 0, second.stdout + second.stderr
    # the killed command held no Dagster run or pool slot that could block this one, and what the
    # re-run did reached the instance: every document a partition, the re-extracted ones materialised
    unfinished, partitions, extracted = _dagster_view(etl)
    assert unfinished == []
    all_ids = {r[0] for r in etl.rows("SELECT document_id FROM raw.documents")}
    assert partitions == all_ids
    assert all_ids - set(facts_after_kill) <= extracted
    # only the documents missing from core are pending
    assert f"ingesting {DOCUMENTS - len(facts_after_kill)} documents" in second.stderr
    assert f"documents parsed   {DOCUMENTS}" in second.stdout
    facts_after_rerun = _check_no_partial_document(etl)
    assert len(facts_after_rerun) == DOCUMENTS
    for document_id, count in facts_after_kill.items():  # untouched by the re-run
        assert facts_after_rerun[document_id] == count
    # the rows written before the kill were kept, not rewritten
    assert dict(etl.rows("SELECT document_id, loaded_at FROM core.documents WHERE list_contains(?, document_id)",
                         [list(facts_after_kill)])) == loaded_before
    assert etl.rows("SELECT count(*) FROM marts.indicator_yoy")[0][0] > 0

    before = etl.table_checksums()
    third = etl.ingest(inbox, timeout=120)
    assert third.returncode == 0, third.stdout + third.stderr
    assert "nothing to do" in third.stdout
    assert etl.table_checksums() == before


KILL_IN_MARTS = r"""
import os, sys
import pipelines.marts as marts

real_build = marts.build_mart
built = []

def build_mart(con, name):
    rows = real_build(con, name)
    built.append(name)
    if len(built) == 2:
        os.kill(os.getpid(), 9)  # SIGKILL half-way through the marts
    return rows

marts.build_mart = build_mart
from pipelines.cli import main
sys.exit(main())
"""

MARTS = ("indicator_yoy", "plan_vs_actual", "indicator_revisions", "latest_indicators")


def _marts(warehouse: Path) -> dict[str, list]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {m: con.execute(f"SELECT * FROM marts.{m} ORDER BY ALL").fetchall() for m in MARTS}


def test_a_kill_while_the_marts_are_rebuilt_is_repaired_by_the_next_run(etl, tmp_path):
    """Issue 11.5: the re-run finds no new document, yet rebuilds the marts and fails the dead run."""
    import subprocess
    import sys

    from tests.integration.conftest import SAMPLES_DIR

    first_batch = [SAMPLES_DIR / "dx-2022-plan.txt", SAMPLES_DIR / "dx-2023-plan.txt"]
    assert etl.ingest(*first_batch).returncode == 0
    wrapper = tmp_path / "kill_in_marts.py"
    wrapper.write_text(KILL_IN_MARTS, encoding="utf-8")
    killed = subprocess.run([sys.executable, str(wrapper), "ingest", str(SAMPLES_DIR)], env=etl.env, cwd=etl.root,
                            capture_output=True, text=True, timeout=600)
    assert killed.returncode == -9, killed.stdout + killed.stderr

    again = etl.ingest(SAMPLES_DIR)
    assert again.returncode == 0, again.stdout + again.stderr
    assert _unfinished_runs(etl) == []  # the killed command leaves no Dagster run unfinished
    assert "nothing to do" not in again.stdout  # stale marts are work, though no document is new

    clean = etl.__class__(**{**etl.__dict__, "warehouse": tmp_path / "clean.duckdb", "extra_env": {},
                             "archive": tmp_path / "clean-archive", "dagster_home": tmp_path / "clean-dh"})
    assert clean.ingest(SAMPLES_DIR).returncode == 0
    assert _marts(etl.warehouse) == _marts(clean.warehouse)
    assert "nothing to do" in etl.ingest(SAMPLES_DIR).stdout  # and then it is a no-op again


HANG_IN_EXTRACTION = r"""
import sys, time
import pipelines.transform as transform

real = transform.extract_facts
transform.extract_facts = lambda text, *a, **k: time.sleep(600) if "大兴" in text else real(text, *a, **k)
from pipelines.cli import main
sys.exit(main())
"""


def _log_text(etl) -> str:
    return (etl.log_dir / "annual-etl.log").read_text(encoding="utf-8", errors="replace")


def _session_processes(session: int) -> list[str]:
    import subprocess

    listing = subprocess.run(["ps", "-o", "pid=,args=", "-s", str(session)], capture_output=True, text=True)
    return [line.strip() for line in listing.stdout.splitlines() if line.strip()]


def test_a_killed_ingest_leaves_no_process_behind(etl, tmp_path):
    """Issue 11.6: kill -9 of the ingest alone (not its group) ends its workers too."""
    import subprocess
    import sys

    from tests.integration.conftest import SAMPLES_DIR

    wrapper = tmp_path / "hang.py"
    wrapper.write_text(HANG_IN_EXTRACTION, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(wrapper), "ingest", str(SAMPLES_DIR / "dx-2023-plan.txt")],
                            env=etl.env, cwd=etl.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        _wait_for(lambda: (etl.log_dir / "annual-etl.log").exists()
                  and 'step "indicator_facts" started' in _log_text(etl), 120, "extraction", proc, 0.2)
        _wait_for(lambda: len(_session_processes(proc.pid)) > 1, 60, "a worker process", proc, 0.2)
        time.sleep(1)  # the worker is inside the hanging extraction
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        _wait_for(lambda: not _session_processes(proc.pid), 15, "every process of the ingest to end")
    finally:
        if _session_processes(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
