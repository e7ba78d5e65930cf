"""Automatic list numbers of a Word file (一、 (二) 3. ①), which are not in the paragraph text.

Chinese reports number their headings with Word's numbering: the ``一、`` before
``2024年工作回顾`` lives in numbering.xml and is drawn by Word, so a reader of the XML alone
loses the structure the extraction engine reads (a heading ``一、2024年…执行情况`` tells which
year the section reports). ``Numbering`` counts paragraphs per list and level as Word does and
renders the level's ``lvlText`` in its ``numFmt``; bullets (a symbol) give no label.
"""

from __future__ import annotations

from .docx_text import W

_CN_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (as Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + chinese_number(rest) if rest < 10 else
                                 ("一" if rest < 20 else "") + chinese_number(rest))
    return _CN_DIGITS[n // 100] + "百" + tail if n < 1000 else str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "taiwaneseCounting",
               "taiwaneseCountingThousand", "ideographDigital", "japaneseCounting"):
        return chinese_number(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "ideographTraditional" and n <= len(_HEAVENLY_STEMS):
        return _HEAVENLY_STEMS[n - 1]
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    return str(n)  # decimal, decimalZero, decimalFullWidth, ordinal …


def _val(element, name: str) -> str | None:
    child = element.find(W + name) if element is not None else None
    return child.get(W + "val") if child is not None else None


class Numbering:
    """Labels for numbered paragraphs, counted in document order."""

    def __init__(self, numbering_root, styles_root) -> None:
        self._levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # abstractNumId → ilvl → level
        self._nums: dict[str, str] = {}  # numId → abstractNumId
        self._style_num: dict[str, tuple[str, int]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._restart: dict[str, dict[int, int]] = {}  # numId → ilvl → startOverride
        if numbering_root is not None:
            for abstract in numbering_root.iter(W + "abstractNum"):
                levels = {}
                for lvl in abstract.iter(W + "lvl"):
                    start = _val(lvl, "start")
                    levels[int(lvl.get(W + "ilvl", "0"))] = (
                        int(start) if start and start.isdigit() else 1, _val(lvl, "numFmt") or "decimal",
                        _val(lvl, "lvlText") or "")
                self._levels[abstract.get(W + "abstractNumId")] = levels
            for num in numbering_root.iter(W + "num"):
                num_id = num.get(W + "numId")
                self._nums[num_id] = _val(num, "abstractNumId")
                for override in num.iter(W + "lvlOverride"):
                    start = _val(override, "startOverride")
                    if start and start.isdigit():  # a list that restarts: counted on its own
                        self._restart.setdefault(num_id, {})[int(override.get(W + "ilvl", "0"))] = int(start)
        if styles_root is not None:
            self._read_styles(styles_root)

    def _read_styles(self, styles_root) -> None:
        """Heading styles that carry numbering (style → numId, ilvl), following basedOn."""
        own, based = {}, {}
        for style in styles_root.iter(W + "style"):
            sid = style.get(W + "styleId")
            num_pr = style.find(f"{W}pPr/{W}numPr")
            if num_pr is not None and _val(num_pr, "numId"):
                own[sid] = (_val(num_pr, "numId"), int(_val(num_pr, "ilvl") or 0))
            based[sid] = _val(style, "basedOn")
        for sid in based:
            seen, current = set(), sid
            while current and current not in own and current not in seen:
                seen.add(current)
                current = based.get(current)
            if current in own:
                self._style_num[sid] = own[current]

    def label(self, p) -> str:
        """The number Word draws before this paragraph ('' when it has none), counting it."""
        ppr = p.find(W + "pPr")
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        num_id, ilvl = None, 0
        if num_pr is not None:
            num_id, ilvl = _val(num_pr, "numId"), int(_val(num_pr, "ilvl") or 0)
        elif ppr is not None and _val(ppr, "pStyle") in self._style_num:
            num_id, ilvl = self._style_num[_val(ppr, "pStyle")]
        abstract = self._nums.get(num_id) if num_id and num_id != "0" else None
        levels = self._levels.get(abstract) if abstract else None
        if not levels or ilvl not in levels:
            return ""
        restart = self._restart.get(num_id, {})
        counters = self._counters.setdefault(f"num:{num_id}" if restart else abstract, {})
        start, fmt, text = levels[ilvl]
        start = restart.get(ilvl, start)
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt in ("bullet", "none"):
            return ""
        for level in range(ilvl, -1, -1):
            if f"%{level + 1}" in text:
                lstart, lfmt, _ = levels.get(level, (1, "decimal", ""))
                value = counters.get(level, restart.get(level, lstart))
                text = text.replace(f"%{level + 1}", format_number(value, lfmt))
        return text
