"""How much faster ``read_pdf`` is than bare pdfplumber, on the same 100-page report.

Renders the 2023 Daxing plan report text (repeated to 100 pages, with fake-bold headings,
running header/footer and one ruled indicator table) into a temporary PDF with reportlab,
then times ``read_pdf`` (pypdfium2 text, pdfplumber only for the table page, layout repair)
against pdfplumber's ``page.extract_text()`` on every page, in interleaved rounds (the
machine is shared); wall-clock and CPU rates are printed side by side with the ratios, and
bare pypdfium2 text extraction as the floor.

    .venv/bin/python benchmarks/pdf_speed.py [--pages 100] [--rounds 10] [--font embedded|cid]

``--font embedded`` (the default when a CJK TrueType font is installed, as `make test` does)
embeds a subset of that font in the PDF, as published government PDFs do; ``--font cid`` uses
reportlab's non-embedded STSong-Light, which makes pdfium substitute a system font glyph by glyph
and is much slower for pdfium (not for pdfplumber, which never loads glyphs).

What bounds the ratio on CJK text: pdfium computes every glyph's box twice (page parse and
text page) by loading the glyph outline with FreeType (``CPDF_CIDFont::GetCharBBox`` caches
only codes below 256), which ``perf`` shows as about a third of pdfium's time. Bare pdfium
(load page + text page, no Python) is itself only ~15-20x faster than pdfplumber on this
file; ``read_pdf`` adds ~1 ms per page of Python (lines, layout repair, the table page).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.readers.pdf import read_pdf  # noqa: E402
from tests import pdf_factory as pf  # noqa: E402

SOURCE = ROOT / "tests" / "fixtures" / "dx-2023-plan.txt"
TABLE = pf.Table(
    rows=[
        ["指标", "单位", "2023年", "比上年增长%"],
        ["规模以上工业总产值", "亿元", "844.1", "-17.7"],
        ["细颗粒物年均浓度", "微克/立方米", "36", ""],
        ["城南行动完成投资", "亿元", "294", ""],
    ],
    col_widths=[170, 90, 90, 101],
)


CJK_FONTS = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def use_embedded_font() -> str | None:
    """Draw with an embedded subset of an installed CJK TrueType font; its path, or None."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path in CJK_FONTS:
        if Path(path).exists():
            pdfmetrics.registerFont(TTFont("EmbeddedCJK", path, subfontIndex=0))
            pf.FONT = "EmbeddedCJK"
            return path
    return None


def build_pdf(pages: int) -> bytes:
    text = SOURCE.read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.splitlines() if p.strip()]
    pdf = pf.ReportCanvas(header="北京市大兴区国民经济和社会发展计划报告")
    pdf.table(TABLE)
    while True:
        for para in paragraphs:
            if pf.HEADING_RE.match(para) and len(para) <= 40:
                pdf.heading(para)
            else:
                pdf.paragraph(para)
            if pdf.page > pages:
                break
        if pdf.page > pages:
            break
    # drop what spilled onto page pages+1 by rendering exactly ``pages`` pages
    data = pdf.save()
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    if len(doc) > pages:
        out = pdfium.PdfDocument.new()
        out.import_pages(doc, list(range(pages)))
        import io

        buf = io.BytesIO()
        out.save(buf)
        data = buf.getvalue()
    return data


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _timed(fn) -> tuple[float, float]:
    w0, c0 = _clock()
    fn()
    w1, c1 = _clock()
    return w1 - w0, c1 - c0


def bare_pdfium(data: bytes) -> int:
    """The floor: pypdfium2 page load + text page + text of every page, nothing else."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(data)
    n = len(doc)
    for i in range(n):
        page = raw.FPDF_LoadPage(doc.raw, i)
        textpage = raw.FPDFText_LoadPage(page)
        count = raw.FPDFText_CountChars(textpage)
        buf = ctypes.create_string_buffer((count + 1) * 2)
        raw.FPDFText_GetText(textpage, 0, count, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
        raw.FPDFText_ClosePage(textpage)
        raw.FPDF_ClosePage(page)
    doc.close()
    return n


def measure(path: Path, rounds: int) -> dict[str, list[tuple[float, float]]]:
    """Seconds per page (wall, CPU) of each reader, round by round, interleaved.

    The machine is shared, so load drifts over the ~10 s pdfplumber needs: each round runs
    pdfplumber on a slice of the pages, then ``read_pdf`` and bare pdfium on the whole file,
    so every ratio compares figures taken seconds apart.
    """
    import pdfplumber

    data = path.read_bytes()
    out: dict[str, list[tuple[float, float]]] = {"read_pdf": [], "pdfplumber": [], "pdfium": []}
    with pdfplumber.open(path) as pdf:
        pages = pdf.pages
        n = len(pages)
        bounds = [round(i * n / rounds) for i in range(rounds + 1)]
        for r in range(rounds):
            chunk = pages[bounds[r]:bounds[r + 1]]

            def plumber(chunk=chunk):
                for page in chunk:
                    page.extract_text()
                    page.close()

            wall, cpu = _timed(plumber)
            out["pdfplumber"].append((wall / len(chunk), cpu / len(chunk)))
            wall, cpu = _timed(lambda: read_pdf(data))
            out["read_pdf"].append((wall / n, cpu / n))
            wall, cpu = _timed(lambda: bare_pdfium(data))
            out["pdfium"].append((wall / n, cpu / n))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=10, help="interleaved measurement rounds")
    ap.add_argument("--font", choices=("embedded", "cid"), default="embedded",
                    help="embedded: a subset of an installed CJK font, as published PDFs carry (default); "
                         "cid: reportlab's non-embedded STSong-Light")
    args = ap.parse_args()
    font = use_embedded_font() if args.font == "embedded" else None
    print(f"font: {'embedded subset of ' + font if font else 'STSong-Light, not embedded (pdfium substitutes glyphs)'}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.pdf"
        path.write_bytes(build_pdf(args.pages))
        data = path.read_bytes()
        result = read_pdf(data)  # warm-up: imports, pdfium init, pdfminer CMap cache
        times = measure(path, args.rounds)
    med = statistics.median
    print(f"file: {result.page_count} pages, {len(data) / 1024:.0f} KiB, {len(result.text)} chars, "
          f"{len(result.tables)} table(s) found; {args.rounds} interleaved rounds, medians")
    print(f"{'reader':<34}{'pages/s wall':>14}{'pages/s CPU':>13}")
    for key, name in [("read_pdf", "read_pdf (pypdfium2 + repair)"), ("pdfplumber", "pdfplumber page.extract_text()"),
                      ("pdfium", "(floor: bare pypdfium2 text)")]:
        print(f"{name:<34}{1 / med(w for w, _ in times[key]):>14.1f}{1 / med(c for _, c in times[key]):>13.1f}")

    def ratios(key: str, i: int) -> list[float]:
        return [p[i] / f[i] for p, f in zip(times["pdfplumber"], times[key])]

    for key, label in [("read_pdf", "read_pdf"), ("pdfium", "bare pypdfium2")]:
        wall, cpu = ratios(key, 0), ratios(key, 1)
        print(f"ratio {label} vs pdfplumber: {med(wall):.1f}x wall (rounds {min(wall):.1f}-{max(wall):.1f}), "
              f"{med(cpu):.1f}x CPU (rounds {min(cpu):.1f}-{max(cpu):.1f}); target >= 20x")


if __name__ == "__main__":
    main()
