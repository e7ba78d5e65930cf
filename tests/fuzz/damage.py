"""Seeded damage generator: the bundled report texts broken in the ways real inboxes break them.

Every case is named ``RECIPE#K`` and made by ``make_case(RECIPE, K, seed)`` from a
``random.Random`` seeded with ``f"{seed}/{RECIPE}/{K}"`` and nothing else, so one failing file of
a 5,000-file run can be made again alone (``benchmarks/fuzz_ingest.py --only RECIPE --case K``).
Only ``sources/samples/*.txt`` and what this module writes are used: no network, no shared corpus.
"""

from __future__ import annotations

import codecs
import random
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLES_DIR = REPO_ROOT / "sources" / "samples"


@lru_cache(maxsize=1)
def samples() -> tuple[tuple[str, str], ...]:
    """(file name, text) of every bundled sample report, in name order."""
    return tuple((p.name, p.read_text(encoding="utf-8")) for p in sorted(SAMPLES_DIR.glob("*.txt")))


@dataclass(frozen=True)
class Case:
    """One damaged file: what made it, its name and its bytes."""

    recipe: str
    k: int
    seed: int
    file_name: str
    data: bytes = field(repr=False)

    @property
    def label(self) -> str:
        return f"{self.recipe}#{self.k}"

    def reproduce(self) -> str:
        return f"python benchmarks/fuzz_ingest.py --seed {self.seed} --only {self.recipe} --case {self.k}"

    def write(self, folder: Path) -> Path:
        path = folder / self.file_name
        path.write_bytes(self.data)
        return path


# ------------------------------------------------------------------------- text helpers

def _text(rng: random.Random) -> str:
    return rng.choice(samples())[1]


def _insert(rng: random.Random, text: str, pieces: list[str], count: int) -> str:
    """``count`` pieces put at random character positions (one pass, positions sorted)."""
    spots = sorted(rng.randrange(len(text) + 1) for _ in range(count))
    out, last = [], 0
    for spot in spots:
        out.append(text[last:spot])
        out.append(rng.choice(pieces))
        last = spot
    out.append(text[last:])
    return "".join(out)


def _html(body: str, *, title: str | None = None, charset: str | None = "utf-8") -> str:
    paragraphs = "".join(f"<p>{line}</p>\n" for line in body.split("\n"))
    meta = f'<meta charset="{charset}">' if charset else ""
    head = f"<title>{title}</title>" if title is not None else ""
    return f"<!DOCTYPE html><html><head>{meta}{head}</head><body>\n{paragraphs}</body></html>"


def _container(rng: random.Random, text: str) -> tuple[str, bytes]:
    """Most damaged texts go out as .txt, some wrapped in a page as .html."""
    if rng.random() < 0.7:
        return ".txt", text.encode("utf-8")
    return ".html", _html(text, title=rng.choice([None, "", "大兴区人民政府", text[:30]])).encode("utf-8")


# ------------------------------------------------------------------------- the recipes
# Each takes its rng and returns (suffix or full odd name, bytes).

Recipe = Callable[[random.Random], tuple[str, bytes]]
RECIPES: dict[str, Recipe] = {}


def recipe(function: Recipe) -> Recipe:
    RECIPES[function.__name__] = function
    return function


TextDamage = Callable[[random.Random, str], str]
TEXT_DAMAGES: dict[str, TextDamage] = {}


def text_damage(function: TextDamage) -> TextDamage:
    """Register a str -> str damage, both as a recipe of its own and as a step of ``mixed``."""
    TEXT_DAMAGES[function.__name__] = function

    def made(rng: random.Random) -> tuple[str, bytes]:
        return _container(rng, function(rng, _text(rng)))

    made.__doc__ = function.__doc__
    RECIPES[function.__name__] = made
    return function


@recipe
def truncated(rng):
    """Cut anywhere, half the time inside a multi-byte character."""
    suffix, data = _container(rng, _text(rng))
    cut = rng.randrange(len(data) + 1)
    if rng.random() < 0.5:
        while 0 < cut < len(data) and (data[cut] & 0xC0) != 0x80:  # move to a continuation byte
            cut += 1
    return suffix, data[:cut]


@text_damage
def format_chars(rng, text):
    """Zero-width, BOM, bidi overrides and other format/separator characters sprinkled in."""
    pieces = ["\u200b", "\ufeff", "\u202e", "\u202d", "\u2066", "\u2069", "\u00ad", "\u200d", "\u2028",
              "\u2029", "\u180e", "\ufffe", "\U000e0001"]
    return _insert(rng, text, pieces, rng.choice([1, 20, 500, len(text) // 2]))


@text_damage
def control_chars(rng, text):
    """C0 and C1 controls (bell, escape, NEL, form feed, DEL) inside figures and words."""
    pieces = [chr(c) for c in (*range(1, 9), 11, 12, *range(14, 32), 127, *range(0x80, 0xA0))]
    return _insert(rng, text, pieces, rng.choice([1, 30, 400]))


@recipe
def nul_bytes(rng):
    """NULs: at the start (binary), or only after the first 8 KB (past the sniffing window)."""
    text = _text(rng)
    suffix, data = _container(rng, text)
    where = rng.choice(["head", "tail", "everywhere"])
    if where == "head":
        at = rng.randrange(min(len(data), 8000) + 1)
        return suffix, data[:at] + b"\0" * rng.randint(1, 4) + data[at:]
    if where == "tail":
        padding = ("\n" + text) * (1 + 9000 // max(1, len(data)))
        data = data + padding.encode("utf-8")
        at = rng.randrange(9000, len(data) + 1)
        return suffix, data[:at] + b"\0" + data[at:]
    return suffix, b"\0".join(data[i:i + 3] for i in range(0, len(data), 3))


ODD_TITLES = ["中华人民共和国", "共和县", "中华人民共和国共和县", "共和县2023年国民经济和社会发展计划执行情况的报告",
              "中华人民共和国2023年国民经济和社会发展统计公报", "桃花源县2023年国民经济和社会发展计划执行情况的报告",
              "乌有市人民政府工作报告", "大兴区大兴区大兴区大兴区", "报告", "北京市天河区2023年计划执行情况的报告",
              "香港特别行政区政府工作报告", "新疆维吾尔自治区", "中华民国一百一十二年施政报告", "火星殖民地第一区统计公报",
              "——2025年3月7日在", "一、", "计划" * 60, "中华人民共和国" * 20, "国务院", "共和", "省市区县旗盟"]
FAKE_PLACES = ["桃花源县", "乌有市", "无何有县", "亚特兰蒂斯区", "蓬莱仙岛市", "子虚乡", "共和县", "中华人民共和国",
               "Springfield", "第九十九区", ""]
REAL_PLACES = re.compile(r"北京市大兴区|广州市天河区|北京市|广州市|广东省|大兴区|天河区|大兴|天河|北京|广州")


@text_damage
def odd_title(rng, text):
    """The title line replaced by a bare country, a county named 共和, a place that is not, or junk."""
    lines = text.split("\n")
    title = rng.choice(ODD_TITLES)
    if rng.random() < 0.5:
        lines[0] = title
    else:
        lines.insert(0, title)
    return "\n".join(lines)


@text_damage
def unknown_region(rng, text):
    """Every real place name swapped for one that does not exist (or for none at all)."""
    fake = rng.choice(FAKE_PLACES)
    text = REAL_PLACES.sub(lambda m: fake, text)
    if rng.random() < 0.5:
        text = re.sub(r"全区|我区|本区|区委|区政府|全市|我市", "全县", text)
    return text


@text_damage
def no_title(rng, text):
    """The first lines (title, dateline) gone: the body starts mid-report."""
    lines = text.split("\n")
    return "\n".join(lines[rng.randint(1, max(1, min(6, len(lines) - 1))):])


_NUMBER = re.compile(r"(?<![0-9.])[0-9]+(?:\.[0-9]+)?")  # ASCII digits only: cn2an knows no ١٢٣


@text_damage
def chinese_numerals(rng, text):
    """Every Arabic number rewritten in Chinese numerals (二〇二三年, 八百四十四点一亿元)."""
    import cn2an

    style = rng.choice(["low", "up", "direct"])

    def spell(match: re.Match) -> str:
        number = match.group(0)
        following = match.string[match.end():match.end() + 1]
        if following == "年" or style == "direct" or len(number.split(".")[0]) > 16:  # cn2an's limit: 16 digits
            return cn2an.an2cn(number, "direct").replace("零", "〇")
        return cn2an.an2cn(number, style)

    return _NUMBER.sub(spell, text)


@recipe
def utf16_no_bom(rng):
    """UTF-16 (LE or BE) without a byte order mark."""
    codec = rng.choice(["utf-16-le", "utf-16-be"])
    text = _text(rng)
    if rng.random() < 0.3:
        return ".html", _html(text, charset=None).encode(codec)
    return ".txt", text.encode(codec)


@recipe
def gbk_no_bom(rng):
    """GBK or GB18030 bytes with no declaration (or a wrong one: utf-8, big5)."""
    text = _text(rng)
    codec = rng.choice(["gbk", "gb18030"])
    if rng.random() < 0.5:
        return ".txt", text.encode(codec, errors="replace")
    return ".html", _html(text, charset=rng.choice([None, "utf-8", "big5", "x-nonsense"])).encode(codec, "replace")


@recipe
def bom_lies(rng):
    """A byte order mark that does not match what follows (UTF-8 BOM on GBK, UTF-16 BOM on odd bytes)."""
    text = _text(rng)
    kind = rng.choice(["utf8-bom-gbk", "utf16-bom-odd", "utf16-bom-utf8", "utf32-bom", "two-boms"])
    if kind == "utf8-bom-gbk":
        return ".txt", codecs.BOM_UTF8 + text.encode("gbk", "replace")
    if kind == "utf16-bom-odd":
        return ".txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le") + b"\xa0"
    if kind == "utf16-bom-utf8":
        return rng.choice([".txt", ".html"]), codecs.BOM_UTF16_BE + text.encode("utf-8")
    if kind == "utf32-bom":
        return ".txt", text.encode("utf-32")
    return ".txt", codecs.BOM_UTF8 + codecs.BOM_UTF8 + text.encode("utf-8")


@recipe
def long_line(rng):
    """About 1 MB on one line: prose without figures around the report, one character, or the report repeated."""
    line = _text(rng).replace("\n", rng.choice(["", " ", "。"]))
    size = (1 << 20) + rng.randrange(1000)
    kind = rng.choices(["prose", "one-char", "repeated"], weights=[2, 2, 1])[0]
    if kind == "repeated":  # thousands of repeated "facts": heavy, so the rarest
        text = (line * (1 + size // len(line)))[:size]
    elif kind == "one-char":
        char = rng.choice(["大", "。", "a", "\u3000", "0"])
        text = line + char * (size // len(char.encode("utf-8")))
    else:
        prose = re.sub(r"[\d.%]+", "", line)
        text = line[: len(line) // 2] + (prose * (1 + size // (3 * len(prose))))[: size // 3] + line[len(line) // 2:]
    return _container(rng, text)


@recipe
def blank_lines(rng):
    """100,000 blank (or blank-looking) lines before, inside or after the report."""
    lines = _text(rng).split("\n")
    blank = rng.choice(["\n", "\r\n", " \n", "\u3000\n", "\t\r\n", "\r"]) * 100_000
    lines.insert(rng.randrange(len(lines) + 1), blank)
    return _container(rng, "\n".join(lines))


@recipe
def nested_html(rng):
    """A report deep inside thousands of nested elements (divs, tables, font tags)."""
    depth = rng.choice([500, 5_000, 20_000])
    tag = rng.choice(["div", "span", "font", "table><tr><td", "b", "blockquote"])
    close = "</td></tr></table>" if tag.startswith("table") else f"</{tag}>"
    body = "".join(f"<p>{line}</p>" for line in _text(rng).split("\n"))
    closing = close * depth if rng.random() < 0.7 else ""  # sometimes never closed
    page = "<html><head><title>大兴区报告</title></head><body>" + f"<{tag}>" * depth + body + closing + "</body></html>"
    return ".html", page.encode("utf-8")


@recipe
def html_junk(rng):
    """Pages whose markup lies: figures in scripts and comments, unclosed tags, CDATA, entity floods."""
    text = _text(rng)
    kind = rng.choice(["script", "comment", "unclosed", "cdata", "entities", "frameset", "xml"])
    if kind == "script":
        page = f"<html><body><script>var s='{text}';</script><p>{text[:200]}</p></body></html>"
    elif kind == "comment":
        page = f"<html><body><!-- {text} --><p>大兴区</p><!-- unterminated {text[:100]}</body></html>"
    elif kind == "unclosed":
        page = "<html><body>" + "".join(f"<p><b><i>{line}" for line in text.split("\n"))
    elif kind == "cdata":
        page = f"<html><body><![CDATA[{text}]]><p>{text[:300]}</p></body></html>"
    elif kind == "entities":
        page = "<html><body><p>" + "&#x5927;&#20852;&amp;&nbsp;&#0;&#xD800;&#99999999;" * 2000 + text + "</p></body></html>"
    elif kind == "frameset":
        page = f"<html><frameset><frame src='x'><noframes>{text}</noframes></frameset></html>"
    else:
        page = ('<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "大兴区大兴区"><!ENTITY b "&a;&a;&a;&a;&a;">'
                '<!ENTITY c "&b;&b;&b;&b;&b;">]><html><body><p>&c;&c;&c;</p><p>' + text + "</p></body></html>")
    return ".html", page.encode("utf-8")


@contextmanager
def _repeatable_pdfs() -> Iterator[None]:
    """reportlab stamps the time and a random file id into every PDF unless told it is a test."""
    from reportlab import rl_config

    before, rl_config.invariant = rl_config.invariant, 1
    try:
        yield
    finally:
        rl_config.invariant = before


def _good_pdf(rng) -> bytes:
    from tests.pdf_factory import render_report

    text = _text(rng)
    start = rng.randrange(max(1, len(text) - 2500))
    with _repeatable_pdfs():
        return render_report(text[start:start + 2500])


@recipe
def pdf_damaged(rng):
    """A real rendered report PDF, then corrupted, truncated, stripped of its xref, or re-headed."""
    data = bytearray(_good_pdf(rng))
    kind = rng.choice(["flip", "truncate", "no-xref", "no-eof", "junk-after-header", "zero-stream"])
    if kind == "flip":
        for _ in range(rng.choice([1, 10, 200])):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == "truncate":
        data = data[: rng.randrange(8, len(data))]
    elif kind == "no-xref":
        at = data.rfind(b"xref")
        data = data[:at] + b"trailer\n<< >>\n%%EOF\n" if at > 0 else data
    elif kind == "no-eof":
        data = data[: data.rfind(b"%%EOF")]
    elif kind == "junk-after-header":
        data = data[:9] + bytearray(rng.randbytes(len(data) - 9))
    else:
        data = re.sub(rb"stream\r?\n.*?endstream", b"stream\nendstream", bytes(data), flags=re.S)
    return ".pdf", bytes(data)


@recipe
def pdf_odd(rng):
    """Well-formed but unreadable or empty PDFs: encrypted, zero pages, scanned only, header only."""
    kind = rng.choice(["encrypted", "owner-only", "zero-page", "image-only", "header-only", "good"])
    with _repeatable_pdfs():
        return _odd_pdf(rng, kind)


def _odd_pdf(rng, kind: str) -> tuple[str, bytes]:
    from tests import pdf_factory

    if kind == "encrypted":
        return ".pdf", pdf_factory.encrypted_pdf(rng.choice(["secret", "x"]))
    if kind == "owner-only":
        return ".pdf", pdf_factory.owner_only_encrypted_pdf()
    if kind == "zero-page":
        return ".pdf", pdf_factory.zero_page_pdf()
    if kind == "image-only":
        return ".pdf", pdf_factory.image_only_pdf(rng.random() < 0.5)
    if kind == "header-only":
        return ".pdf", b"%PDF-1.7\n"
    return ".pdf", _good_pdf(rng)


@recipe
def random_bytes(rng):
    """Noise under every name the pipeline might be offered, sometimes behind a plausible magic."""
    suffix = rng.choice([".pdf", ".html", ".txt", ".docx", ".htm", ".PDF", ""])
    magic = rng.choice([b"", b"", b"%PDF-1.4\n", b"<html>", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe"])
    return suffix or ".bin", magic + rng.randbytes(rng.choice([1, 100, 5000, 70_000]))


@recipe
def empty(rng):
    """Nothing, or nothing visible: 0 bytes, whitespace, a lone BOM, ideographic spaces, empty markup."""
    data = rng.choice([b"", b" \n\t\r\n", codecs.BOM_UTF8, "\u3000\u3000\n".encode(), b"\n" * 1000,
                       b"<html></html>", b"<html><body>   </body></html>", codecs.BOM_UTF16_LE])
    return rng.choice([".txt", ".html", ".pdf"]), data


INDICATOR_WORDS = ["地区生产总值", "规模以上工业总产值", "一般公共预算收入", "固定资产投资", "社会消费品零售总额",
                   "居民人均可支配收入", "城镇调查失业率", "建安投资", "进出口总额", "实际利用外资"]


@recipe
def many_figures(rng):
    """Thousands of figures in one file: one plausible sentence per figure."""
    count = rng.choice([1_000, 3_000, 6_000])
    lines = ["北京市大兴区2023年国民经济和社会发展计划执行情况与2024年国民经济和社会发展计划的报告"]
    for i in range(count):
        year = rng.choice([2022, 2023, 2024])
        lines.append(f"{year}年{rng.choice(INDICATOR_WORDS)}完成{rng.uniform(1, 9999):.1f}亿元,"
                     f"同比{rng.choice(['增长', '下降'])}{rng.uniform(0, 30):.1f}%。")
    return _container(rng, "\n".join(lines))


MALFORMED = ["84.4.1亿元", "835..9亿元", "1e400亿元", "1e400%", "1234567890123456789012345亿元", "-0%", "增长%",
             "增长.%", "增长-%", "增长1e-400%", "NaN亿元", "inf%", "增长−−5%", "增长+-3%", "1,,000亿元",
             "9" * 400 + "亿元", "0.000000000000000000001%", "增长١٢٣%", "增长１２.３％", "增长12.3%%",
             "增长百分之百分之", "完成亿元", ".5亿元", "5.亿元", "增长5.5.5个百分点", "增长0x1F%", "第9999999999位"]


@text_damage
def malformed_numbers(rng, text):
    """Figures that are not numbers: 84.4.1亿元, 835..9亿元, 1e400, 25 digits, -0%, 增长%."""
    if rng.random() < 0.5:  # replace real figures
        figures = list(re.finditer(r"\d+(?:\.\d+)?\s*(?:亿元|万元|%)", text))
        for match in sorted(rng.sample(figures, min(len(figures), rng.randint(1, 30))), key=lambda m: -m.start()):
            text = text[:match.start()] + rng.choice(MALFORMED) + text[match.end():]
    else:  # add whole sentences
        sentences = [f"{rng.choice(INDICATOR_WORDS)}{rng.choice(['完成', '达到', '增长', ''])}{rng.choice(MALFORMED)}。"
                     for _ in range(rng.randint(1, 40))]
        text = _insert(rng, text, sentences, len(sentences))
    return text


@recipe
def odd_name(rng):
    """A good report under a name with spaces, quotes, shell syntax, a leading dash or 72 CJK characters."""
    stem = rng.choice(["-rf ", "报告 (最终版)", "a\"b'c", "$(id)", "x;y|z", "大兴" * 36, "\u202etxt.exe", "..", "名字\t"])
    suffix = rng.choice([".txt", ".TXT", ".txt.txt", ".html"])
    name_bytes = (stem + suffix).encode("utf-8")
    assert len(name_bytes) < 240
    text = _text(rng)
    return stem + suffix, (_html(text) if suffix == ".html" else text).encode("utf-8")


@recipe
def traditional_big5(rng):
    """Traditional script, in UTF-8 or Big5 without a declaration."""
    import opencc

    text = opencc.OpenCC("s2t").convert(_text(rng))
    if rng.random() < 0.5:
        return ".txt", text.encode("big5", "replace")
    return _container(rng, text)


@text_damage
def line_endings(rng, text):
    """Old Mac \\r only, NEL, U+2028 line separators, or no newlines but form feeds."""
    sep = rng.choice(["\r", "\u0085", "\u2028", "\f", "\v"])
    return text.replace("\n", sep)


@text_damage
def odd_years(rng, text):
    """Years that are not: 0000年, 9999年, 20231年, 1899, 2100, full-width ２０２３."""
    replacement = rng.choice(["0000", "9999", "20231", "1899", "2100", "0", "-2023", "２０２３", "2023.5"])
    return re.sub(r"20\d\d(?=年)", lambda m: replacement if rng.random() < 0.7 else m.group(0), text)


@recipe
def mixed(rng):
    """Two to four text damages applied one after another."""
    text = _text(rng)
    for name in rng.sample(sorted(TEXT_DAMAGES), rng.randint(2, 4)):
        text = TEXT_DAMAGES[name](rng, text)
    return _container(rng, text)


# ------------------------------------------------------------------------- making cases

def make_case(name: str, k: int, seed: int, index: int | None = None) -> Case:
    """The K-th case of recipe NAME under SEED: the same bytes on every machine and every run."""
    rng = random.Random(f"{seed}/{name}/{k}")
    suffix, data = RECIPES[name](rng)
    prefix = f"{index:05d}-" if index is not None else ""
    if suffix.startswith("."):
        file_name = f"{prefix}{name}-{k}{suffix}"
    else:  # odd_name: the whole name is the recipe's
        file_name = f"{prefix}{name}-{k}-{suffix}"
    return Case(name, k, seed, file_name, data)


def plan(count: int, only: list[str] | None = None, start: int = 0) -> list[tuple[str, int, int]]:
    """(recipe, k, index) of ``count`` cases, the recipes taken in turn so that every one appears."""
    names = list(only) if only else sorted(RECIPES)
    unknown = [n for n in names if n not in RECIPES]
    if unknown:
        raise KeyError(f"unknown recipe(s) {unknown}; known: {sorted(RECIPES)}")
    return [(names[index % len(names)], index // len(names), index) for index in range(start, start + count)]


def generate(count: int, seed: int, only: list[str] | None = None, start: int = 0) -> Iterator[Case]:
    """The cases of ``plan(count, only, start)``, made one at a time."""
    for name, k, index in plan(count, only, start):
        yield make_case(name, k, seed, index)
