"""Same report, different formats: F1 against the corpus gold per format.

Each corpus text is rendered as it is published elsewhere — a government web page with its
chrome (breadcrumb, reader buttons, share bar, related links with figures, ICP footer, visit
counter), a portal page (plus reader lines, photo caption, glossary), a Word file, and a paged
PDF (reportlab; and, with ``--libreoffice`` and ``soffice`` installed, the Word file exported to
PDF by LibreOffice) — read back through ``read_document`` and ``extract_metadata`` as
production does (title hint from the reader, publication date from the index as the manifest
would give it), and scored like ``score_corpus.py``. Also counts chrome words that survive.

Formats: txt, html (chrome page), portal, cms (benchmarks/cms_pages.py), docx (one clean run per
paragraph), word (as Word saves it, benchmarks/word_layouts.py), pdf (reportlab), and with
``--libreoffice`` lo-pdf / lo-word (the docx / word file exported by LibreOffice). ``vs txt`` is
the F1 of a format's facts against the facts of the same document's plain text.

Usage: python benchmarks/formats_parity.py [--corpus DIR] [--only ID,...] [--formats txt,html,...] [--libreoffice]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.score_corpus import close, fact_key, gold_key  # noqa: E402
from pipelines.extract import extract_facts  # noqa: E402
from pipelines.metadata import extract_metadata  # noqa: E402
from pipelines.readers import RejectedDocument, read_document  # noqa: E402
from benchmarks.cms_pages import STYLES, cms_page  # noqa: E402
from benchmarks.word_layouts import real_docx  # noqa: E402
from tests import pdf_factory as pf  # noqa: E402

CHROME_WORDS = ("当前位置", "网站支持IPv6", "ICP备", "访问量", "分享到", "相关报道", "字体", "网站标识码", "全屏",
                "打印本页", "关闭窗口", "浏览次数", "点击数", "上一篇", "热点新闻", "相关文章", "索引号", ".pdf", "字号",
                "网站首页", "您现在的位置", "版权所有", "长者模式")
FORMATS = ("txt", "html", "portal", "cms", "docx", "word", "pdf", "lo-pdf", "lo-word")


def render(fmt: str, text: str, title: str, tmp: Path, published: str | None = None) -> tuple[bytes, str]:
    if fmt == "txt":
        return text.encode("utf-8"), "report.txt"
    if fmt in ("html", "portal"):
        return pf.chrome_page(text, title, portal=fmt == "portal", date=published).encode("utf-8"), "report.html"
    if fmt == "cms":  # one of the invented CMS templates, in turn
        style = list(STYLES)[sum(map(ord, title)) % len(STYLES)]
        return cms_page(style, title, text, published)
    if fmt == "docx":
        return pf.docx_bytes(text, header=title[:40]), "report.docx"
    if fmt == "word":  # as Word saves it: split runs, soft breaks, auto numbering, a text box
        return real_docx(text, seed=sum(map(ord, title))), "report.docx"
    if fmt == "pdf":
        return pf.render_report(text, header=title[:40]), "report.pdf"
    if fmt == "lo-pdf":
        return pf.libreoffice_pdf(pf.docx_bytes(text, header=title[:40]), tmp), "report.pdf"
    if fmt == "lo-word":  # the Word file as Word saves it, exported by LibreOffice: a real layout
        return pf.libreoffice_pdf(real_docx(text, seed=sum(map(ord, title))), tmp), "report.pdf"
    raise ValueError(fmt)


def score_doc(text: str, tables, ctx, gold: list[dict]) -> tuple[tuple[int, int, int], set]:
    """(tp, fp, fn) with score_corpus's matching (identical facts once, ambiguous gold
    optional), and the set of facts found, to compare a format with the document's own text."""
    facts, seen = [], set()
    for f in extract_facts(text, ctx, tables).facts:
        if f.indicator_code is None:
            continue
        ident = fact_key(f) + (f.unit, round(f.value, 6))
        if ident not in seen:
            seen.add(ident)
            facts.append(f)
    used: set[int] = set()
    tp = fn = 0
    for g in sorted(gold, key=lambda g: "ambiguous:" in (g.get("note") or "")):
        hit = next((i for i, f in enumerate(facts) if i not in used and fact_key(f) == gold_key(g)
                    and f.unit == g["unit"] and close(f.value, float(g["value"]))), None)
        if hit is None:
            fn += "ambiguous:" not in (g.get("note") or "")
        else:
            used.add(hit)
            tp += 1
    return (tp, len(facts) - len(used), fn), {fact_key(f) + (f.unit, round(f.value, 6)) for f in facts}


def _p(hits: int, misses: int) -> float:
    return hits / (hits + misses) if hits + misses else 0.0


def _f1(tp: int, fp: int, fn: int) -> float:
    p, r = _p(tp, fp), _p(tp, fn)
    return 2 * p * r / (p + r) if p + r else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("--only", default="", help="comma-separated document ids")
    ap.add_argument("--formats", default="txt,html,portal,cms,docx,word,pdf")
    ap.add_argument("--libreoffice", action="store_true",
                    help="add lo-pdf and lo-word: the Word files exported to PDF by LibreOffice (slow)")
    ap.add_argument("-v", "--verbose", action="store_true", help="per-document lines where a format differs")
    args = ap.parse_args(argv)
    formats = [f for f in args.formats.split(",") if f]
    formats = formats if "txt" in formats else ["txt"] + formats  # the baseline every format is held to
    formats += [f for f in ("lo-pdf", "lo-word") if args.libreoffice and f not in formats]
    if not shutil.which("soffice"):
        for fmt in {"lo-pdf", "lo-word"} & set(formats):
            print(f"{fmt} skipped: soffice not on PATH")
            formats.remove(fmt)
    index = [json.loads(line) for line in (args.corpus / "index.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    only = {x for x in args.only.split(",") if x}
    totals = {fmt: [0, 0, 0] for fmt in formats}
    meta_ok = defaultdict(lambda: [0, 0])
    parity = defaultdict(lambda: [0, 0, 0])  # facts shared with / only in / missing from txt
    chrome_left: dict[str, list[str]] = defaultdict(list)
    rejected: dict[str, list[str]] = defaultdict(list)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmpdir:
        for meta in index:
            if only and meta["id"] not in only:
                continue
            path = args.corpus / f"{meta['id']}.txt"
            gold_path = args.corpus / "gold" / f"{meta['id']}.jsonl"
            if not path.exists():
                continue
            source = read_document(path.read_bytes(), path.name).text
            gold = [json.loads(x) for x in gold_path.read_text(encoding="utf-8").splitlines() if x.strip()] \
                if gold_path.exists() else []
            hint = date.fromisoformat(meta["published"]) if meta.get("published") else None
            per_doc = {}
            own = None
            for fmt in formats:
                try:
                    data, name = render(fmt, source, meta["title"], Path(tmpdir), meta.get("published"))
                    result = read_document(data, name)
                except RejectedDocument as err:
                    rejected[fmt].append(f"{meta['id']}: {err.reason}")
                    totals[fmt][2] += len(gold)
                    continue
                md = extract_metadata(result.text, name, title_hint=result.title_hint, published_hint=hint)
                ok = (md.doc_type, md.actual_year, md.plan_year) == (meta["doc_type"], meta["actual_year"],
                                                                     meta["plan_year"])
                meta_ok[fmt][0] += ok
                meta_ok[fmt][1] += 1
                counts, found = score_doc(result.text, result.tables, md.context(), gold)
                per_doc[fmt] = counts
                if fmt == "txt":
                    own = found
                elif own is not None:  # the same facts as the document's own text?
                    same = len(found & own)
                    parity[fmt][0] += same
                    parity[fmt][1] += len(found) - same
                    parity[fmt][2] += len(own) - same
                for i in range(3):
                    totals[fmt][i] += counts[i]
                if fmt != "txt":
                    left = [w for w in CHROME_WORDS if w in result.text and w not in source]
                    if left:
                        chrome_left[fmt].append(f"{meta['id']}: {left}")
            if args.verbose and len(set(per_doc.values())) > 1:
                print(f"  {meta['id']}: " + "  ".join(f"{k} {v}" for k, v in per_doc.items()))
    print(f"{'format':8} {'tp':>5} {'fp':>5} {'fn':>5} {'P':>7} {'R':>7} {'F1':>7}  {'vs txt':>6}"
          "  metadata(type,years) right")
    for fmt in formats:
        tp, fp, fn = totals[fmt]
        own = f"{_f1(*parity[fmt]):6.4f}" if fmt != "txt" else "     -"
        print(f"{fmt:8} {tp:5d} {fp:5d} {fn:5d} {_p(tp, fp):7.4f} {_p(tp, fn):7.4f} {_f1(tp, fp, fn):7.4f}  {own}"
              f"  {meta_ok[fmt][0]}/{meta_ok[fmt][1]}")
    for fmt, items in chrome_left.items():
        print(f"chrome left in {fmt}: {len(items)} documents; e.g. {items[:3]}")
    for fmt, items in rejected.items():
        print(f"rejected as {fmt}: {len(items)}; e.g. {items[:3]}")
    print(f"({time.perf_counter() - started:.1f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
