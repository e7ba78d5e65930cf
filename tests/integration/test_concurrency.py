"""Several processes on one warehouse: writers queue, readers wait and say so; nobody sees
DuckDB's raw lock error.

DuckDB lets one process open a file for writing and locks every other process out, readers
included. `annual-etl` opens the warehouse per step and closes it at once; a process that finds
it locked waits (pipelines.warehouse.connect), and runs sharing a Dagster instance queue on the
``warehouse`` pool.
"""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

pytestmark = pytest.mark.slow

LOCK_WORDS = ("IO Error", "Could not set lock", "Conflicting lock", "Traceback")


def _inputs(etl, generate_reports, name: str, count: int, offset: int):
    """``count`` distinct reports; ``offset`` keeps two folders' documents apart."""
    folder = etl.sources / name
    staging = etl.root / f"gen-{name}"
    paths = generate_reports(staging, offset + count)[offset:]
    folder.mkdir()
    for path in paths:
        shutil.move(str(path), folder / path.name)
    return folder


def _finish(proc: subprocess.Popen, timeout: float = 240) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def _parsed_ids(etl) -> set[str]:
    return {r[0] for r in etl.rows("SELECT document_id FROM core.documents")}


def test_two_ingests_on_one_warehouse_queue_and_both_succeed(etl, generate_reports):
    first = _inputs(etl, generate_reports, "first", 15, 0)
    second = _inputs(etl, generate_reports, "second", 15, 15)
    a = etl.start("ingest", str(first))
    time.sleep(1.0)  # the second starts while the first is landing or running
    b = etl.start("ingest", str(second))
    (code_a, out_a, err_a), (code_b, out_b, err_b) = _finish(a), _finish(b)
    for code, out, err in ((code_a, out_a, err_a), (code_b, out_b, err_b)):
        assert code == 0, out + err
        assert not any(word in out + err for word in LOCK_WORDS), out + err
        assert "documents parsed   15" in out
        assert "documents rejected 0" in out
    # the later one either queued behind the earlier run, or found it finished
    assert etl.rows("SELECT count(*) FROM raw.documents") == [(30,)]
    assert len(_parsed_ids(etl)) == 30
    assert etl.rows("SELECT count(DISTINCT document_id) FROM core.indicator_facts")[0][0] == 30


def test_ingests_with_separate_dagster_homes_wait_for_the_file_lock(etl, generate_reports):
    """No shared Dagster instance (so no shared pool): DuckDB's file lock alone, waited for."""
    first = _inputs(etl, generate_reports, "first", 20, 0)
    second = _inputs(etl, generate_reports, "second", 20, 20)
    a = etl.start("ingest", str(first))
    other_home = dict(etl.env, DAGSTER_HOME=str(etl.root / "dagster_home_2"))
    b = subprocess.Popen(etl.command("ingest", str(second)), env=other_home, cwd=etl.root, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    (code_a, out_a, err_a), (code_b, out_b, err_b) = _finish(a), _finish(b)
    for code, out, err in ((code_a, out_a, err_a), (code_b, out_b, err_b)):
        assert code == 0, out + err
        assert not any(word in out + err for word in LOCK_WORDS), out + err
        assert "documents parsed   20" in out
    assert len(_parsed_ids(etl)) == 40


def test_query_during_ingest_succeeds_or_waits_and_says_so(etl, generate_reports):
    # a warehouse with something in it, then a longer ingest while queries run
    seed = _inputs(etl, generate_reports, "seed", 5, 0)
    etl.run("ingest", str(seed), check=True)
    more = _inputs(etl, generate_reports, "more", 40, 5)
    ingest = etl.start("ingest", str(more))
    results = []
    while ingest.poll() is None and len(results) < 40:
        done = etl.run("query", "SELECT count(*) AS n FROM core.documents", "--format", "csv", "--wait", "120",
                       timeout=150)
        results.append((done.returncode, done.stdout, done.stderr, ingest.poll() is None))
        time.sleep(0.2)
    code, out, err = _finish(ingest)
    assert code == 0, out + err
    during = [r for r in results if r[3]]
    assert len(during) >= 3, f"only {len(during)} queries ran during the ingest"
    waited = 0
    for returncode, stdout, stderr, _ in results:
        assert returncode == 0, stderr
        assert not any(word in stdout + stderr for word in LOCK_WORDS), stderr
        lines = stdout.strip().splitlines()
        assert lines[0] == "n" and 5 <= int(lines[1]) <= 45, stdout
        if stderr:
            assert "waiting for the warehouse" in stderr and "another process is writing it" in stderr, stderr
            waited += 1
    # counts never go backwards: readers see whole batches, in order
    counts = [int(r[1].strip().splitlines()[1]) for r in results]
    assert counts == sorted(counts)
    final = etl.run("query", "SELECT count(*) FROM core.documents", "--format", "csv", check=True)
    assert final.stdout.strip().splitlines()[1] == "45"
    print(f"{len(results)} queries, {len(during)} during the ingest, {waited} waited for the lock")


def test_query_gives_up_with_a_clear_message_when_told_not_to_wait(etl):
    """--wait 0 while a writer holds the file: exit 3 and a sentence, not DuckDB's error."""
    import duckdb

    etl.warehouse.parent.mkdir(parents=True, exist_ok=True)
    holder = duckdb.connect(str(etl.warehouse))
    try:
        holder.execute("CREATE TABLE t AS SELECT 1 AS x")
        done = etl.run("query", "SELECT * FROM t", "--wait", "0", timeout=60)
    finally:
        holder.close()
    assert done.returncode == 3
    assert "is locked by another process" in done.stderr
    assert not any(word in done.stderr for word in LOCK_WORDS), done.stderr
    after = etl.run("query", "SELECT x FROM t", "--format", "csv", timeout=60)
    assert after.returncode == 0 and after.stdout.split() == ["x", "1"]
