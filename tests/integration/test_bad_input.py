"""Bad input never sinks a batch: one real `annual-etl ingest` over a folder of hostile files.

Every file ends up in raw.documents with its status and reason, the command exits 0 with a
summary that names what it rejected, and the good reports' facts are all there.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from tests.pdf_factory import encrypted_pdf, render_report

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLES = REPO_ROOT / "sources" / "samples"
GOOD = SAMPLES / "dx-2023-plan.txt"
WEIRD_NAME = "大兴 \"2022\" 计划; 'final' $(echo x) 报告.txt"
# A real sentence of the 2023 Daxing report, saved as a GBK page with no charset declaration.
GBK_SENTENCE = ("全区“条、块、点”协同发力,重大项目逐个“过筛子”,固投爬坡完成市级任务,总量排名全市第五,"
                "城南行动完成投资294亿元,超额完成272亿元年度任务。")
NOT_FOUND_PAGE = ("<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>"
                  "<h1>404 Not Found</h1><p>您访问的页面不存在</p><hr><center>nginx/1.18.0</center>"
                  "</body></html>")


def _big_text(path: Path, size: int = 50 * 1024 * 1024) -> None:
    """~50 MB of real report text, written in chunks (never held twice in memory)."""
    chunk = (GOOD.read_text(encoding="utf-8") + "\n").encode("utf-8") * 64
    with path.open("wb") as out:
        written = 0
        while written < size:
            out.write(chunk)
            written += len(chunk)


def _junk(seed: int, size: int = 8192) -> bytes:
    data = bytearray(random.Random(seed).randbytes(size))
    data[100] = 0  # binary for sure
    return bytes(data)


@pytest.fixture
def hostile_folder(etl, tmp_path):
    src = etl.sources
    (src / "empty.txt").write_bytes(b"")
    (src / "junk.pdf").write_bytes(_junk(1))
    (src / "junk.html").write_bytes(_junk(2))
    pdf = render_report(GOOD.read_text(encoding="utf-8")[:3000])
    (src / "truncated.pdf").write_bytes(pdf[: len(pdf) // 2])
    (src / "encrypted.pdf").write_bytes(encrypted_pdf())
    gbk = f"<html><head><title>大兴区</title></head><body><p>{GBK_SENTENCE}</p></body></html>".encode("gbk")
    assert b"charset" not in gbk
    (src / "gbk-no-charset.html").write_bytes(gbk)
    _big_text(src / "huge.txt")
    shutil.copyfile(SAMPLES / "dx-2022-plan.txt", src / WEIRD_NAME)
    shutil.copyfile(SAMPLES / "dx-2024-gwr.txt", src / "copy-a.txt")
    (src / "sub").mkdir()
    shutil.copyfile(SAMPLES / "dx-2024-gwr.txt", src / "sub" / "copy-b.txt")
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copyfile(SAMPLES / "th-2024-gwr.txt", outside / "secret.txt")
    os.symlink(outside / "secret.txt", src / "escape.txt")
    (src / "404.html").write_text(NOT_FOUND_PAGE, encoding="utf-8")
    shutil.copyfile(GOOD, src / "dx-2023-plan.txt")
    return src


EXPECTED_REJECTED = {  # file name -> words its reason must hold
    "empty.txt": "empty file",
    "junk.pdf": "not a PDF",
    "junk.html": "binary content",
    "truncated.pdf": "truncated",
    "encrypted.pdf": "encrypted",
    "huge.txt": "too large",
    "escape.txt": "outside the sources root",
    "404.html": "not a report",
}
EXPECTED_PARSED = {"gbk-no-charset.html", WEIRD_NAME, "copy-a.txt", "dx-2023-plan.txt"}


def test_hostile_batch_is_recorded_and_the_good_reports_survive(etl, hostile_folder):
    done = etl.ingest(hostile_folder, timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr

    rows = {r[0]: r[1:] for r in etl.rows(
        "SELECT file_name, status, reject_reason, encoding, source_path, document_id FROM raw.documents")}
    # 13 files offered, copy-b.txt has copy-a.txt's bytes: 12 documents, each with a row
    assert set(rows) == set(EXPECTED_REJECTED) | EXPECTED_PARSED
    assert "documents rejected 8" in done.stdout
    assert "documents parsed   4" in done.stdout
    assert "13 files offered, 12 distinct documents" in done.stdout
    for name, words in EXPECTED_REJECTED.items():
        status, reason = rows[name][0], rows[name][1] or ""
        assert status == "rejected", (name, status)
        assert words in reason, (name, reason)
        assert f"- {name}: {reason[:40]}" in done.stdout, name  # the summary names it and says why
    for name in EXPECTED_PARSED:
        assert rows[name][0] == "parsed", (name, rows[name])

    # the symlink's target was not read, let alone archived
    secret = (SAMPLES / "th-2024-gwr.txt").read_bytes()
    assert not any(p.read_bytes() == secret for p in etl.archive.rglob("*") if p.is_file() and p.suffix != ".json")
    assert etl.rows("SELECT sha256, size_bytes, length(document_id) FROM raw.documents"
                    " WHERE file_name = 'escape.txt'") == [(None, None, 16)]  # an id from its path
    assert not etl.rows("SELECT 1 FROM raw.document_texts t JOIN raw.documents d USING (document_id)"
                        " WHERE d.file_name = 'escape.txt'")

    # GBK without a declaration decoded right: the sentence is there character for character
    assert rows["gbk-no-charset.html"][2] == "gb18030"
    text = etl.rows("SELECT t.text FROM raw.document_texts t JOIN raw.documents d USING (document_id)"
                    " WHERE d.file_name = 'gbk-no-charset.html'")[0][0]
    assert GBK_SENTENCE in text
    gbk_facts = etl.rows("SELECT raw_text, value, unit FROM core.indicator_facts f JOIN raw.documents d"
                         " USING (document_id) WHERE d.file_name = 'gbk-no-charset.html' ORDER BY char_start")
    assert ("294亿元", 29_400_000_000.0, "CNY") in gbk_facts

    # the odd name is stored exactly as given
    assert rows[WEIRD_NAME][3] == str(hostile_folder / WEIRD_NAME)

    # same bytes, two names: one document, both paths remembered
    copy_id = rows["copy-a.txt"][4]
    sources = sorted(r[0] for r in etl.rows(
        "SELECT source_path FROM raw.document_sources WHERE document_id = ?", [copy_id]))
    assert sources == [str(hostile_folder / "copy-a.txt"), str(hostile_folder / "sub" / "copy-b.txt")]

    # nothing else lost: the good report has all its facts, the same as extracting it alone
    good_id = rows["dx-2023-plan.txt"][4]
    facts = etl.rows("SELECT count(*), count(DISTINCT indicator_code) FROM core.indicator_facts"
                     " WHERE document_id = ?", [good_id])[0]
    expected = _facts_alone(GOOD)
    assert facts[0] == expected > 150
    assert facts[1] >= 10
    assert etl.rows("SELECT value, comparator FROM core.indicator_facts WHERE document_id = ?"
                    " AND indicator_code = 'gdp' AND basis = 'target' AND year = 2024", [good_id]) == [(4.5, "~")]
    # every parsed document reached core; no rejected one did
    in_core = {r[0] for r in etl.rows("SELECT d.file_name FROM core.documents c JOIN raw.documents d"
                                      " USING (document_id)")}
    assert in_core == EXPECTED_PARSED


def _facts_alone(path: Path) -> int:
    """How many distinct facts the pipeline's own functions find in this report on its own."""
    from pipelines.readers import read_document
    from pipelines.transform import build_core, fact_id

    result = read_document(path.read_bytes(), path.name)
    outcome = build_core("alone", result.text, file_name=path.name)
    return len({fact_id("alone", f) for f in outcome.facts})


def test_rerun_of_the_hostile_batch_changes_nothing(etl, hostile_folder):
    first = etl.ingest(hostile_folder, timeout=240)
    assert first.returncode == 0, first.stdout + first.stderr
    before = etl.table_checksums()
    second = etl.ingest(hostile_folder, timeout=240)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "nothing to do" in second.stdout
    assert "documents rejected 8" in second.stdout
    assert etl.table_checksums() == before
