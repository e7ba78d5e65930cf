"""The bundled sample reports as a web page with chrome, a Word file and a PDF give the facts
their plain text gives (production path: reader → metadata with the reader's title hint →
extraction with the reader's tables). No servers: this runs in seconds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.extract import extract_facts
from pipelines.metadata import extract_metadata
from pipelines.readers import read_document
from tests import pdf_factory as pf

SAMPLES = Path(__file__).resolve().parents[2] / "sources" / "samples"
TITLES = {p.stem: p.read_text(encoding="utf-8").split("\n", 1)[0][:60] for p in sorted(SAMPLES.glob("*.txt"))}


def _facts(data: bytes, name: str) -> set[tuple]:
    result = read_document(data, name)
    meta = extract_metadata(result.text, name, title_hint=result.title_hint)
    return {(f.indicator_code, f.year, f.period, f.basis, f.measure, f.unit, round(f.value, 4))
            for f in extract_facts(result.text, meta.context(), result.tables).facts if f.indicator_code}


def _f1(got: set, want: set) -> float:
    if not got and not want:
        return 1.0
    tp = len(got & want)
    return 2 * tp / (len(got) + len(want))


def _render(fmt: str, text: str, title: str, tmp_path: Path) -> tuple[bytes, str]:
    if fmt == "html":
        return pf.chrome_page(text, title, portal=True).encode("utf-8"), "r.html"
    if fmt == "docx":
        return pf.docx_bytes(text, header=title[:30]), "r.docx"
    if fmt == "pdf":
        return pf.render_report(text, header=title[:30]), "r.pdf"
    return pf.libreoffice_pdf(pf.docx_bytes(text, header=title[:30]), tmp_path), "r.pdf"


@pytest.mark.parametrize("fmt, floor", [("html", 0.98), ("docx", 0.97), ("pdf", 0.97),
                                        pytest.param("lo-pdf", 0.97, marks=pytest.mark.skipif(
                                            shutil.which("soffice") is None, reason="LibreOffice not installed"))])
def test_each_format_gives_the_facts_of_the_text(fmt, floor, tmp_path):
    scores = {}
    for stem in TITLES:
        text = read_document((SAMPLES / f"{stem}.txt").read_bytes(), f"{stem}.txt").text
        want = _facts(text.encode("utf-8"), f"{stem}.txt")
        assert want, stem  # a sample with figures, so a reader that loses them fails
        data, name = _render(fmt, text, TITLES[stem], tmp_path)
        scores[stem] = _f1(_facts(data, name), want)
    assert sum(len(_facts((SAMPLES / f"{s}.txt").read_bytes(), f"{s}.txt")) for s in TITLES) >= 50
    mean = sum(scores.values()) / len(scores)
    assert mean >= floor, scores
