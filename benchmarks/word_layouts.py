"""A report as Word really saves it, for the formats benchmark and the reader tests.

``tests.pdf_factory.docx_bytes`` writes one clean run per paragraph; files saved by Word or
WPS are messier, and each mess is a way to lose a figure: runs split inside numbers by edit
sessions (``23`` + ``45.6`` + ``亿元``) with bookmarks and proofing marks between them,
paragraphs pasted from a PDF with a soft line break (Shift+Enter) at every line end, headings
numbered automatically (the ``一、`` lives in numbering.xml, not in the text), tracked
insertions, a simple field around text, and a 专栏 paragraph in a floating text box (which Word
writes twice: a DrawingML shape and a VML fallback). ``real_docx`` renders a text that way;
everything is derived from the text, so the same text must give the same facts.
"""

from __future__ import annotations

import io
import random
import re

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

NUM_ID = "90"
_CN = "一二三四五六七八九十"
_HEADING = re.compile(r"^([一二三四五六七八九十]{1,2})、(.+)$")
_SUBHEADING = re.compile(r"^\(([一二三四五六七八九十]{1,2})\)(.+)$")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NUMBERING = (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{NUM_ID}">'
              '<w:multiLevelType w:val="multilevel"/>'
              '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
              '<w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl>'
              '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
              '<w:lvlText w:val="(%2)"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>')
_WPS_NS = ('xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
           'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
           'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
           'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
           'xmlns:v="urn:schemas-microsoft-com:vml" '
           'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"')


def _cn_number(n: int) -> str:
    if n <= 10:
        return _CN[n - 1]
    return ("" if n < 20 else _CN[n // 10 - 1]) + "十" + (_CN[n % 10 - 1] if n % 10 else "")


def _runs_xml(text: str, rng: random.Random, *, soft_breaks: bool) -> str:
    """Runs cut where edit sessions cut them: often inside a number, with bookmarks and proofing
    marks between runs; with ``soft_breaks``, a <w:br/> every ~38 characters as in a pasted PDF."""
    cuts = {rng.randrange(1, len(text)) for _ in range(len(text) // 25)} if len(text) > 2 else set()
    for match in _NUMBER.finditer(text):
        if match.end() - match.start() >= 2 and rng.random() < 0.6:
            cuts.add(rng.randrange(match.start() + 1, match.end()))
        if rng.random() < 0.5:
            cuts.add(match.end())  # the unit in a run of its own
    breaks = set(range(38, len(text), 38)) if soft_breaks else set()
    pieces, start = [], 0
    for cut in sorted(cuts | breaks) + [len(text)]:
        if cut > start:
            pieces.append((text[start:cut], cut in breaks))
            start = cut
    out = []
    for index, (piece, then_break) in enumerate(pieces):
        props = '<w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>' if rng.random() < 0.3 else ""
        run = f'<w:r>{props}<w:t xml:space="preserve">{_escape(piece)}</w:t></w:r>'
        if 0 < index < len(pieces) - 1 and rng.random() < 0.08:
            run = f'<w:ins w:id="{rng.randrange(10**6)}" w:author="审核" w:date="2025-01-02T00:00:00Z">{run}</w:ins>'
        elif rng.random() < 0.05:
            run = f'<w:fldSimple w:instr=" MERGEFIELD 正文 ">{run}</w:fldSimple>'
        out.append(run)
        if then_break:
            out.append("<w:r><w:br/></w:r>")
        if rng.random() < 0.1:
            out.append('<w:proofErr w:type="gramStart"/>' if index % 2 else
                       f'<w:bookmarkStart w:id="{index}" w:name="_Hlk{index}"/><w:bookmarkEnd w:id="{index}"/>')
    return "".join(out)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _paragraph(body: str, *, numbered: int | None = None, center: bool = False) -> str:
    props = ""
    if numbered is not None:
        props += f'<w:numPr><w:ilvl w:val="{numbered}"/><w:numId w:val="{NUM_ID}"/></w:numPr>'
    props += '<w:jc w:val="center"/>' if center else '<w:ind w:firstLineChars="200" w:firstLine="640"/>'
    return f'<w:p {nsdecls("w")}><w:pPr>{props}</w:pPr>{body}</w:p>'


def _text_box(runs: str, shape_id: int) -> str:
    """A floating 专栏 box anchored in an empty paragraph: DrawingML shape plus VML fallback."""
    content = f'<w:txbxContent><w:p><w:pPr><w:ind w:firstLine="640"/></w:pPr>{runs}</w:p></w:txbxContent>'
    return (
        f'<w:p {_WPS_NS}><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="1" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="5400000" cy="1800000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
        f'<wp:docPr id="{shape_id}" name="专栏 {shape_id}"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="5400000" cy="1800000"/>'
        f'</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr><wps:txbx>{content}</wps:txbx>'
        '<wps:bodyPr><a:spAutoFit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><v:shape style="width:425pt;height:142pt;mso-fit-shape-to-text:t"><v:textbox>{content}</v:textbox>'
        '</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>')


def real_docx(text: str, title: str | None = None, seed: int = 0) -> bytes:
    """``text`` (one paragraph per line) saved the way Word saves a report; see the module doc."""
    import docx

    rng = random.Random(seed)
    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = parse_xml(_NUMBERING)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{NUM_ID}"><w:abstractNumId w:val="{NUM_ID}"/></w:num>'))
    body = document.element.body
    sect = body[-1]  # sectPr stays last
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if title and (not lines or lines[0] != title):
        lines.insert(0, title)
    counters = [0, 0]
    short = [i for i in range(3, len(lines)) if len(lines[i]) <= 150]  # a 专栏 box holds a short paragraph
    box_at = rng.choice(short) if len(lines) > 6 and short else None
    for index, line in enumerate(lines):
        numbered = None
        for level, pattern in enumerate((_HEADING, _SUBHEADING)):
            match = pattern.match(line)
            if match and match.group(1) == _cn_number(counters[level] + 1):
                counters[level] += 1
                counters[level + 1:] = [0] * (1 - level)
                numbered, line = level, match.group(2)
                break
        if index == 0 and len(line) > 20:  # a long title broken by hand where the author wanted it
            half = len(line) // 2
            runs = (_runs_xml(line[:half], rng, soft_breaks=False) + "<w:r><w:br/></w:r>"
                    + _runs_xml(line[half:], rng, soft_breaks=False))
            xml = _paragraph(runs, center=True)
        elif index == box_at and numbered is None:
            xml = _text_box(_runs_xml(line, rng, soft_breaks=False), index + 1)
        else:
            soft = len(line) > 80 and rng.random() < 0.3
            xml = _paragraph(_runs_xml(line, rng, soft_breaks=soft), numbered=numbered, center=index == 0)
        sect.addprevious(parse_xml(xml))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
