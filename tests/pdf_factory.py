"""Builds test PDFs with reportlab, so PDF tests need no binary fixtures.

The CID font STSong-Light ships with reportlab (no font file) and both pypdfium2 and
pdfplumber read it back. Layouts mimic Chinese government reports: indented paragraphs,
fake-bold headings (the run drawn twice 0.3 pt apart), running header and "- N -" footers,
ruled indicator tables.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

PAGE_W, PAGE_H = A4
MARGIN_X = 72.0
TOP_Y = PAGE_H - 80.0
BOTTOM_Y = 80.0
BODY_SIZE = 12.0
HEAD_SIZE = 14.0
LEADING = 1.6
HEADING_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")


def width(text: str, size: float = BODY_SIZE) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


def wrap(text: str, max_width: float, size: float = BODY_SIZE, first_indent: float = 0.0) -> list[str]:
    """Greedy wrap by glyph width, as word processors do for Chinese: any character may
    end a line, so numbers and units get cut ("844." / "1亿元")."""
    lines, cur, avail = [], "", max_width - first_indent
    for ch in text:
        if cur and width(cur + ch, size) > avail:
            lines.append(cur)
            cur, avail = "", max_width
        cur += ch
    if cur:
        lines.append(cur)
    return lines


@dataclass
class Table:
    """A ruled table: ``rows[0]`` is the header; cells are strings."""

    rows: Sequence[Sequence[str]]
    col_widths: Sequence[float] | None = None
    size: float = 10.5
    row_height: float = 20.0


class ReportCanvas:
    """A tiny page-flowing writer over a reportlab canvas."""

    def __init__(self, *, header: str | None = None, footer: str | None = "- {n} -",
                 fake_bold: bool = True, encrypt=None):
        self.buf = io.BytesIO()
        kw = {"pagesize": A4}
        if encrypt is not None:
            kw["encrypt"] = encrypt
        self.c = canvas.Canvas(self.buf, **kw)
        self.header, self.footer, self.fake_bold = header, footer, fake_bold
        self.page = 0
        self.y = 0.0
        self._new_page()

    # page furniture -------------------------------------------------------------------
    def _new_page(self) -> None:
        if self.page:
            self.c.showPage()
        self.page += 1
        self.y = TOP_Y
        if self.header:
            self.c.setFont(FONT, 9)
            self.c.drawCentredString(PAGE_W / 2, PAGE_H - 45, self.header)
            self.c.line(MARGIN_X, PAGE_H - 50, PAGE_W - MARGIN_X, PAGE_H - 50)
        if self.footer:
            self.c.setFont(FONT, 9)
            self.c.drawCentredString(PAGE_W / 2, 40, self.footer.format(n=self.page))

    def _need(self, height: float) -> None:
        if self.y - height < BOTTOM_Y:
            self._new_page()

    # content ----------------------------------------------------------------------------
    def draw_line(self, x: float, text: str, size: float, bold: bool = False) -> None:
        self._need(size * LEADING)
        self.y -= size * LEADING
        self.c.setFont(FONT, size)
        self.c.drawString(x, self.y, text)
        if bold:  # fake bold: the same run again, 0.3 pt to the right
            self.c.drawString(x + 0.3, self.y, text)

    def heading(self, text: str) -> None:
        self._need(HEAD_SIZE * LEADING * 2)
        self.draw_line(MARGIN_X, text, HEAD_SIZE, bold=self.fake_bold)

    def paragraph(self, text: str, size: float = BODY_SIZE) -> None:
        indent = 2 * size
        body_w = PAGE_W - 2 * MARGIN_X
        for i, line in enumerate(wrap(text, body_w, size, first_indent=indent)):
            self.draw_line(MARGIN_X + (indent if i == 0 else 0), line, size)

    def lines(self, lines: Iterable[str], size: float = BODY_SIZE, indent_first: bool = True) -> None:
        """Explicit line breaks (to force a wrap at a chosen spot)."""
        for i, line in enumerate(lines):
            self.draw_line(MARGIN_X + (2 * size if i == 0 and indent_first else 0), line, size)

    def table(self, table: Table) -> None:
        ncol = len(table.rows[0])
        widths = list(table.col_widths or [(PAGE_W - 2 * MARGIN_X) / ncol] * ncol)
        height = table.row_height * len(table.rows)
        self._need(height + 10)
        top = self.y - 6
        xs = [MARGIN_X]
        for w in widths:
            xs.append(xs[-1] + w)
        ys = [top - i * table.row_height for i in range(len(table.rows) + 1)]
        c = self.c
        c.setLineWidth(0.6)
        for y in ys:
            c.line(xs[0], y, xs[-1], y)
        for x in xs:
            c.line(x, ys[0], x, ys[-1])
        c.setFont(FONT, table.size)
        for r, row in enumerate(table.rows):
            base = ys[r] - table.row_height + (table.row_height - table.size) / 2 + 1.5
            for k, cell in enumerate(row):
                if cell:
                    c.drawString(xs[k] + 4, base, cell)
        self.y = ys[-1] - 6

    def spacer(self, h: float = 6) -> None:
        self.y -= h

    def save(self) -> bytes:
        self.c.showPage()
        self.c.save()
        return self.buf.getvalue()


def render_report(text: str, *, header: str | None = "北京市大兴区国民经济和社会发展计划报告",
                  fake_bold: bool = True) -> bytes:
    """Render a report's plain text (one paragraph per non-blank line) as a paged PDF."""
    pdf = ReportCanvas(header=header, fake_bold=fake_bold)
    for raw in text.splitlines():
        para = raw.strip().replace("\u3000", "")
        if not para:
            continue
        if HEADING_RE.match(para) and len(para) <= 40:
            pdf.heading(para)
        else:
            pdf.paragraph(para)
    return pdf.save()


def multi_page_report(text: str, pages: int) -> bytes:
    """At least ``pages`` pages of real report text (the text repeated as needed)."""
    out = text
    while True:
        data = render_report(out)
        if count_pages(data) >= pages:
            return data
        out += "\n" + text


def count_pages(data: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


# the bad ones ---------------------------------------------------------------------------
def encrypted_pdf(user_password: str = "secret") -> bytes:
    from reportlab.lib import pdfencrypt

    enc = pdfencrypt.StandardEncryption(user_password, ownerPassword="owner", strength=128)
    pdf = ReportCanvas(encrypt=enc)
    pdf.paragraph("规模以上工业总产值完成844.1亿元,全市第六,同比下降17.7%。")
    return pdf.save()


def owner_only_encrypted_pdf() -> bytes:
    """Encrypted with an empty user password: opens without one, so it is readable."""
    from reportlab.lib import pdfencrypt

    enc = pdfencrypt.StandardEncryption("", ownerPassword="owner", canModify=0, strength=128)
    pdf = ReportCanvas(encrypt=enc)
    pdf.paragraph("规模以上工业总产值完成844.1亿元,全市第六,同比下降17.7%。")
    return pdf.save()


def zero_page_pdf() -> bytes:
    """A well-formed PDF whose page tree is empty (reportlab cannot write one)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def image_only_pdf(with_page_number: bool = True) -> bytes:
    """A 'scanned' page: a raster image and some vector drawing, no text (bar the footer)."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    img = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(img).rectangle([20, 20, 380, 180], outline="black", width=3)
    pdf = ReportCanvas(footer="- {n} -" if with_page_number else None)
    pdf.c.drawImage(ImageReader(img), 72, 400, width=400, height=200)
    pdf.c.circle(300, 250, 50)
    return pdf.save()


def mostly_scanned_pdf(pages: int = 10) -> bytes:
    """A typed cover page, then scanned pages (images only)."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    img = ImageReader(Image.new("L", (300, 400), 200))
    pdf = ReportCanvas(footer=None)
    pdf.heading("北京市大兴区2023年国民经济和社会发展计划执行情况")
    for _ in range(pages - 1):
        pdf._new_page()
        pdf.c.drawImage(img, 72, 100, width=450, height=600)
    return pdf.save()


def rotated_landscape_pdf(paragraphs: Sequence[str]) -> bytes:
    """A page with /Rotate 90 whose content is drawn turned, so it reads upright on screen
    (how landscape table pages are usually made)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setPageRotation(90)
    c.translate(PAGE_W, 0)
    c.rotate(90)
    c.setFont(FONT, BODY_SIZE)
    y = PAGE_W - 80
    for para in paragraphs:
        for i, line in enumerate(wrap(para, PAGE_H - 2 * MARGIN_X, BODY_SIZE, first_indent=2 * BODY_SIZE)):
            c.drawString(MARGIN_X + (2 * BODY_SIZE if i == 0 else 0), y, line)
            y -= BODY_SIZE * LEADING
    c.showPage()
    c.save()
    return buf.getvalue()


def simple_pdf(paragraphs: Sequence[str]) -> bytes:
    pdf = ReportCanvas(footer=None)
    for p in paragraphs:
        pdf.paragraph(p)
    return pdf.save()


# the same report as published on the web and in Word ---------------------------------------
def chrome_page(text: str, title: str, *, site: str = "某某区人民政府", date: str | None = None,
                portal: bool = False) -> str:
    """A report's text as a government site serves it: breadcrumb, reader buttons, share bar,
    related links with figures of their own, ICP footer and a visit counter around the article.
    ``portal`` adds the reader lines, photo caption and glossary of provincial portal pages."""
    from html import escape

    paragraphs = "\n".join(f"<p>\u3000\u3000{escape(p.strip())}</p>" for p in text.splitlines() if p.strip())
    portal_top = ('<div class="tools"><a>下载</a> <a>打印</a> <a>全屏</a> <a>收藏</a></div>'
                  '<p>图为会议现场。新华社记者 王某某 摄</p>') if portal else ""
    portal_end = ('<p>名词解释</p><p>1.三个千亿级产业集群:指新一代信息技术、生物医药和智能制造,合计增长15%。</p>'
                  if portal else "")
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{escape(title)}_{site}</title>
<script>var visits = 12345; document.write("增长99%");</script></head>
<body>
<div class="header"><div class="topnav">首页 | 政务公开 | 互动交流 | 网站地图</div><span>网站支持IPv6</span></div>
<div class="position">当前位置:<a>首页</a> &gt; <a>政务公开</a> &gt; <a>规划计划</a></div>
<div class="article">
<h1>{escape(title)}</h1>
<div class="info">来源:本站 {"日期:" + date if date else ""} <span>打印</span> 【字体:大 中 小】</div>
{portal_top}
<div class="TRS_Editor">{paragraphs}</div>
{portal_end}
<div class="share">分享到: 微信 微博 QQ空间</div>
</div>
<div class="related"><h3>相关报道</h3><ul><li>全区地区生产总值增长8.8%</li><li>一般公共预算收入完成120亿元</li></ul></div>
<div class="footer">主办单位:某某区人民政府办公室 京ICP备05060933号 京公网安备11011502000000号
网站标识码1100000000 访问量:1234567</div>
</body></html>"""


def docx_bytes(text: str, title: str | None = None, tables: Sequence[Sequence[Sequence[str]]] = (),
               header: str | None = None) -> bytes:
    """A report typed in Word as offices do: justified paragraphs with a two-character first-line
    indent, a running header, a "- N -" page-number footer (a PAGE field), tables appended."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.size = Pt(16)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "SimSun")
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("- ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    run_text = OxmlElement("w:t")
    run_text.text = "1"
    run.append(run_text)
    field.append(run)
    footer._p.append(field)
    footer.add_run(" -")
    if title:
        document.add_heading(title, level=1)
    for line in text.splitlines():
        if line.strip():
            paragraph = document.add_paragraph(line.strip())
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            paragraph.paragraph_format.first_line_indent = Pt(32)
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                table.cell(r, c).text = cell
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def libreoffice_pdf(docx: bytes, workdir) -> bytes:
    """The Word file exported to PDF by LibreOffice (``soffice`` must be on PATH)."""
    import shutil
    import subprocess
    from pathlib import Path

    workdir = Path(workdir)
    source = workdir / "report.docx"
    source.write_bytes(docx)
    subprocess.run([shutil.which("soffice"), "--headless", "--norestore",
                    f"-env:UserInstallation=file://{workdir}/lo-profile", "--convert-to", "pdf",
                    "--outdir", str(workdir), str(source)], check=True, capture_output=True, timeout=180)
    return (workdir / "report.pdf").read_bytes()
