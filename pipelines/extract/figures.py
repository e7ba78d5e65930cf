"""Finding figures in the view: numbers with units, ranks, multiples, tier thresholds, malformed ones.

Chinese numerals count as figures only with units that make them unmistakable (%, 个百分点, 倍,
元 …): 三个千亿级产业集群, 一是, "十四五" are not figures. Years, dates, times, section numbers,
versions (6.0版), campaign names ("一微克"行动, "1+N") never become figures because they have no
unit from the unit table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import attrgetter

from . import lexicon as lex
from .comparators import comparator_for
from .numbers import MAGNITUDES, MalformedNumber, parse_chinese, parse_number
from .units import UNIT_MEASURE, base_units, normalise_unit

_CN = "零〇一二两三四五六七八九十百千"
# units a figure in Chinese numerals is read with (三项, 一个 are words, not figures; 四十一点六万吨 is one)
_CN_UNITS_OK = {"percent", "CNY", "USD", "multiple", "person", "person_time", "t"}


@dataclass(slots=True)
class Figure:
    a: int  # view span of the raw text (number, unit and a trailing 左右/以上 …)
    b: int
    num_a: int  # view start of the number itself
    kind: str  # value | rank | multiple | threshold
    value: float
    unit: str | None
    raw_unit: str
    comparator: str = "="
    cmp_word: str = ""
    measure_hint: str | None = None
    scope: str | None = None  # rank scope (全市)
    mask_from: int | None = None  # a rank's scope start: figures inside it are part of the rank
    approx_word: str = ""
    # filled by the engine
    subject: object = None
    extra: dict = field(default_factory=dict)


def _units_alt() -> str:
    units = [u for u in base_units() if u not in ("%", "‰")]
    return "|".join(re.escape(u) for u in units)


_FIG = None
# (the regexes scanned over the whole text start with a character or a look-ahead character set,
# which the regex engine checks quickly at each position; 84.4.1: the look-behind (?<![\d.]) is
# written after the first digit)
_MALFORMED = lex.rx("malformed_number")
# a column header (比上年增长% |) is not a missing number
# (增长|下降|…: the first character is matched as a set, which the engine skips to quickly, and the
# rest of each word after a one-character look-behind; the same matches and groups as
# (?:增长|下降|增速|增幅|降幅|提高|降低|占比|比重为|达到|达)(%)…|(?:完成|实现)(亿元)…)
_MISSING = lex.rx("missing_number")
# (首位 / 榜首 are plain words, so that every alternative starts with a literal character, which the
# engine skips to quickly; a match with neither n nor top is one of them)
_RANK = lex.rx("rank")
_RANK_BREAKS = re.compile(r"[\n。,，;；、:：]")
_MALFORMED_UNIT = lex.rx("malformed_unit")
_SCOPE_TRIM = re.compile(r"^(?:在)|中$")
_RANK_IN = lex.rx("rank_in")
_RANK_VERB = lex.rx("rank_verb")
_RANK_IN_GROWTH = lex.rx("rank_in_growth")
_RANK_LIST_SEP = lex.words("rank_list_sep")
_RANK_SCOPE_TAIL = lex.rx("rank_scope_tail")
_RANK_MOVE = lex.rx("rank_move")
_RANK_MOVE_FROM = lex.rx("rank_move_from", "(?:{})$")
_RANK_MOVE_TAIL = lex.rx("rank_move_tail")
_RANK_MOVE_CUT = lex.rx("rank_move_from", "(?:{}).*$")
_RANK_BARE = lex.rx("rank_bare")
_MOVE_BASE_OFFSET = lex.LazyTable("rank_move_base")
_ASCII_DIGITS = frozenset("0123456789")
_NOT_BEFORE_BARE_RANK = _ASCII_DIGITS | {".", "第"}
_RANK_BARE_CUE = lex.rx("rank_bare_cue")
_RANK_NEXT_BAD = re.compile(r"^[\u4e00-\u9fff]")
_TIER_VERB = lex.rx("tier_verb_before")
_PP_ELLIPSIS = lex.rx("pp_ellipsis")
_MULT = lex.rx("multiple_words")
_TIER = lex.rx("tier_threshold")
_TENTHS = lex.rx("tenths")
_INDEX_LEVEL = lex.rx("index_level")


def _fig_regex():
    global _FIG
    if _FIG is None:
        units = _units_alt()
        # the unit is required, so that bare numbers and numerals (一是, 2023年) stay in C
        _FIG = re.compile(lex.pattern("figure").replace("<UNITS>", units))
    return _FIG


class _Taken:
    """Character occupancy, so overlap tests stay linear on long documents."""

    def __init__(self, n: int):
        self.mask = bytearray(n + 1)

    def add(self, a: int, b: int) -> None:
        self.mask[a:b] = b"\x01" * (b - a)

    def hit(self, a: int, b: int) -> bool:
        return self.mask.find(1, a, b) >= 0


_BY_SPAN = attrgetter("a", "b")


def _rank_number(tok: str) -> float:
    return float(tok) if tok.isdigit() else parse_chinese(tok)


def _rank_scope(s: str, start: int) -> tuple[re.Match | None, int]:
    """The rank cue of the clause before ``start`` (at most 40 characters) and where the clause starts."""
    w0 = max(0, start - 40)
    brk = _RANK_BREAKS.search(s[w0:start][::-1])
    line_start = start - brk.start() if brk else w0
    pre = s[line_start:start]
    cut = _RANK_MOVE_CUT.search(pre)
    if cut:  # 排名由上年的第9位上升到第6位: the scope is before the earlier place
        pre = pre[: cut.start()]
    return (_RANK_IN.search(pre) or _RANK_IN_GROWTH.search(pre) or _RANK_VERB.search(pre) or _RANK_SCOPE_TAIL.search(pre)), line_start


def _scope_of(sm: re.Match) -> str | None:
    scope = (sm.group("scope") or "").strip() or None
    return (_SCOPE_TRIM.sub("", scope) or None) if scope else None


def _earlier_place(s: str, cue: re.Match, a: int, b: int, number: str) -> Figure | None:
    """The place a rank moved from, when the cue says its year (较2018年的17位, 较上年的17位): a rank
    of that year (``extra`` year or year_offset); None for 较年初 / 较一季度 …"""
    try:
        n = _rank_number(number)
    except MalformedNumber:
        return None
    fig = Figure(a, b, a, "rank", n, "rank", "")
    if cue.group("wasyear"):
        fig.extra["year"] = int(cue.group("wasyear"))
    elif cue.group("base") and _MOVE_BASE_OFFSET.get(cue.group("base")):
        fig.extra["year_offset"] = int(_MOVE_BASE_OFFSET[cue.group("base")])
    else:
        return None
    return fig


def _ranks(s: str, taken: _Taken) -> list[Figure]:
    """Ranks: 第N位 / 首位 / 前十 after a rank cue; N位 written without 第 right after a rank verb
    (居12位); a move from last year's place (较上年的17位前进5位 is 12), as rank reports write them."""
    out: list[Figure] = []
    last_rank = None
    for m in _RANK.finditer(s):
        after = s[m.end(): m.end() + 2]
        if after.startswith("的"):
            continue
        if m.group("n") is not None and not m.group("w") and _RANK_NEXT_BAD.match(after):
            continue
        earlier = _RANK_MOVE_FROM.search(s, max(0, m.start() - 12), m.start())
        if earlier and _RANK_MOVE_TAIL.match(s, m.end()):
            # 由上年的第9位上升到第6位 / 较上年的第17位前进5位: last year's place is last year's rank
            if m.group("n") is not None and (fig := _earlier_place(s, earlier, m.start(), m.end(), m.group("n"))):
                out.append(fig)
            continue
        sm, line_start = _rank_scope(s, m.start())
        if sm is None:
            # 分别居全国第3、第4位: a rank listed right after another takes its scope
            if last_rank is None or last_rank.b != m.start() - 1 or s[last_rank.b] not in _RANK_LIST_SEP.get():
                continue
            scope, scope_start = last_rank.scope, m.start()
        else:
            if m.group("top") is not None and sm.re is _RANK_SCOPE_TAIL.get():
                continue
            scope, scope_start = _scope_of(sm), line_start + sm.start()
        try:
            if m.group("n") is None and m.group("top") is None:  # 首位, 榜首
                n = 1.0
            else:  # 排名前十 (top) or 第三 (n); a garbled number such as 前十十 is no rank
                n = _rank_number(m.group("top") if m.group("top") is not None else m.group("n"))
        except MalformedNumber:
            continue
        fig = Figure(m.start(), m.end(), m.start(), "rank", n, "rank", "", scope=scope or None, mask_from=scope_start)
        if m.group("top") is not None:
            fig.comparator = "<="
        out.append(fig)
        last_rank = fig
        taken.add(scope_start, m.end())
    for m in _RANK_MOVE.finditer(s):
        try:
            was, by = _rank_number(m.group("was")), _rank_number(m.group("by"))
        except MalformedNumber:
            continue
        n = was - by if m.group("up") else was + by
        sm, line_start = _rank_scope(s, m.start())
        if n < 1 or taken.hit(m.start(), m.end()):
            continue
        scope, mask_from = (_scope_of(sm), line_start + sm.start()) if sm else (None, m.start())
        fig = Figure(m.start(), m.end(), m.start(), "rank", n, "rank", "", scope=scope, mask_from=mask_from)
        out.append(fig)
        if (old := _earlier_place(s, m, m.start("was"), m.end("was") + 1, m.group("was"))) is not None:
            old.scope = scope
            out.append(old)
        taken.add(fig.mask_from, m.end())
    for m in _RANK_BARE.finditer(s):
        if m.start() and s[m.start() - 1] in _NOT_BEFORE_BARE_RANK:
            continue  # 112位, 1.5位, 第12位 (read above)
        sm = _RANK_BARE_CUE.search(s, max(0, m.start() - 10), m.start())
        if sm is None or taken.hit(m.start(), m.end()):
            continue
        try:
            n = _rank_number(m.group("n"))
        except MalformedNumber:
            continue
        out.append(Figure(m.start(), m.end(), m.start(), "rank", n, "rank", "", scope=_scope_of(sm), mask_from=sm.start()))
        taken.add(sm.start(), m.end())
    return out


def scan(s: str) -> tuple[list[Figure], list[tuple[int, int, str, str]]]:
    """All figures in the view ``s`` (sorted), and malformed spans (a, b, check_name, reason)."""
    taken = _Taken(len(s))
    bad = _malformed(s, taken)
    # ranks first: their scope (全国27个省会城市) may hold numbers that are not figures
    figs: list[Figure] = _ranks(s, taken)
    figs.extend(_worded_figures(s, taken))
    figs.extend(_plain_figures(s, taken))
    figs.sort(key=_BY_SPAN)
    figs = _outside_rank_scopes(s, figs)
    _attach_comparators(s, figs)
    return figs, bad


def _malformed(s: str, taken: _Taken) -> list[tuple[int, int, str, str]]:
    """Numbers that cannot be read (1.2.3亿元) and units with no number (增长%)."""
    bad: list[tuple[int, int, str, str]] = []
    for m in _MALFORMED.finditer(s):
        unit_m = _MALFORMED_UNIT.match(s[m.end(): m.end() + 8])
        end = m.end() + (unit_m.end() if unit_m else 0)
        bad.append((m.start(), end, "malformed_number", f"'{s[m.start():end]}' has more than one decimal point and cannot be read as a number"))
        taken.add(m.start(), end)
    for m in _MISSING.finditer(s):
        g = 1 if m.group(1) else 2
        what = "a percent sign" if g == 1 else "a unit"
        bad.append((m.start(g), m.end(g), "missing_number", f"'{m.group(0)}': {what} with no number before it"))
    return bad


def _worded_figures(s: str, taken: _Taken) -> list[Figure]:
    """Figures said in words rather than number + unit: 翻一番, 三成, an index of 100.6, 迈上千亿台阶."""
    figs: list[Figure] = []
    for m in _MULT.finditer(s):
        k = m.group("k")
        times = int(lex.table("multiple_counts").get(k, 1)) if k else 1
        figs.append(Figure(m.start(), m.end(), m.start(), "multiple", (2**times - 1) * 100.0, "percent", "番", measure_hint="growth_pct"))
        taken.add(m.start(), m.end())

    for m in _TENTHS.finditer(s):  # 三成 → 30 %
        if taken.hit(m.start(), m.end()):
            continue
        fig = Figure(m.start(), m.end(), m.start(), "value", parse_chinese(m.group("n")) * 10.0, "percent", "成")
        fig.approx_word = m.group("more") or ""
        figs.append(fig)
        taken.add(m.start(), m.end())

    for m in _INDEX_LEVEL.finditer(s):  # 居民消费价格指数为100.6 (上年=100): a rise of 0.6 %
        a, b = m.span("n")
        if not taken.hit(a, b):
            figs.append(Figure(a, b, a, "value", round(float(m.group("n")) - 100.0, 10), "percent", "", measure_hint="value"))
            taken.add(a, b)

    for m in _TIER.finditer(s):
        if taken.hit(m.start(), m.start() + 1):
            continue
        if not _TIER_VERB.search(s[max(0, m.start() - 4): m.start()]):
            continue  # 一年一个百亿台阶: a pace, not a level
        figs.append(Figure(m.start(), m.end(), m.start(), "threshold", parse_number(m.group("mag")), "CNY" if m.group("yuan") else None, m.group(0)))
        taken.add(m.start(), m.end())
    return figs


def _plain_figures(s: str, taken: _Taken) -> list[Figure]:
    """Number + unit figures (844.1亿元, 4.5%, 百分之四点六, 2倍) outside the spans already taken."""
    figs: list[Figure] = []
    taken_at = taken.mask.find
    for m in _fig_regex().finditer(s):
        m_start, m_end = m.span()
        if m_start == m_end or taken_at(1, m_start, m_end) >= 0:  # taken.hit(m_start, m_end)
            continue
        fig = _plain_figure(s, m)
        if fig is not None:
            figs.append(fig)
    return figs


def _plain_figure(s: str, m: re.Match) -> Figure | None:
    """One match of the figure pattern as a Figure, or None when it is not a figure."""
    m_start, m_end = m.span()
    unit, ar, pw, cn, mo, mag, approx, approx0 = m.group("unit", "ar", "pw", "cn", "mo", "mag", "approx", "approx0")
    if pw is None and not unit:
        return None
    nxt = s[m_end: m_end + 1]
    if nxt == "级" or (unit == "个" and nxt in "百千万亿") or (unit == "台" and nxt in "阶账"):
        return None  # 千亿级, 百万级: a class of things, not a figure
    prev = s[m_start - 1: m_start]
    if ar is not None and prev and (prev in _ASCII_DIGITS or prev == "."):  # (① is a footnote mark, not a digit)
        return None
    mag = mag or ""
    approx = approx or approx0 or ""
    raw_unit = mag + (unit or "")
    if pw is not None:
        try:
            val = parse_chinese(pw[3:])
        except MalformedNumber:
            return None
        return Figure(m_start, m_start + len(pw), m_start, "value", val, "percent", "%")
    if unit == "倍":
        try:
            num = parse_number((ar or cn or "") + mag)
        except MalformedNumber:
            return None
        if prev == "的" or s[max(0, m_start - 2): m_start] in ("相当", "达到"):
            # 是上年的2倍: a ratio to something, not a growth rate
            return Figure(m_start, m_end, m_start, "ratio", num, "times", "倍", measure_hint="ratio")
        return Figure(m_start, m_end, m_start, "multiple", num * 100.0, "percent", "倍", measure_hint="growth_pct")
    norm = normalise_unit(raw_unit) or normalise_unit(unit or "")
    if norm is None:
        return None
    ucode, mult = normalise_unit(unit or "")
    if cn is not None and ucode not in _CN_UNITS_OK:
        return None
    if mo is not None and ucode not in ("CNY", "USD", "m2"):
        return None
    numtxt = ar if ar is not None else (cn or "")
    if ar is not None and m.group("ar2"):
        numtxt = f"{ar}万{m.group('ar2')}"
    try:
        if ar is not None and not m.group("ar2") and ar.count(".") <= 1:
            num = float(ar.replace(",", "")) * (MAGNITUDES[mag] if mag else 1.0)
        else:
            num = parse_number(numtxt + mag) if numtxt else parse_number(mag)
    except (MalformedNumber, ValueError):
        return None
    fig = Figure(m_start, m_end, m_start, "value", num * mult, ucode, raw_unit)
    if prev and prev in "-−" and not s[m_start - 2: m_start - 1].isdigit() and s[m_start - 2: m_start - 1] not in "%)":
        fig.extra["minus"] = True  # a printed sign (增长-0.5%); ranges (3%-5%) are not signs
    if approx:
        fig.approx_word = approx
    fig.measure_hint = UNIT_MEASURE.get(unit or "")
    if unit == "个" and _PP_ELLIPSIS.match(s, m_end):
        # 拉动经济增长0.1个、0.9个和2.4个百分点: each 个 is short for 个百分点
        fig.unit, fig.raw_unit, fig.measure_hint = "percent", "个", "change_pp"
    return fig


def _outside_rank_scopes(s: str, figs: list[Figure]) -> list[Figure]:
    """Figures inside a rank's scope (全国27个省会城市中排第12位) belong to the rank."""
    scopes = None
    for r in figs:
        if r.kind == "rank" and r.mask_from is not None and r.mask_from < r.a:
            if scopes is None:
                scopes = _Taken(len(s))
            scopes.add(r.mask_from, r.a)
    if scopes is None:
        return figs
    return [f for f in figs if f.kind == "rank" or not scopes.hit(f.a, f.a + 1)]


def _attach_comparators(s: str, figs: list[Figure]) -> None:
    """Each figure's comparator from the words around it, and the trailing qualifier into its span."""
    for f in figs:
        if f.kind == "rank":
            continue
        before = s[max(0, f.a - 8): f.a]
        after = s[f.b: f.b + 6]
        cmp_, word, extra = comparator_for(before, after)
        if f.approx_word and cmp_ == "=":
            cmp_, word = ">", f.approx_word
        f.comparator, f.cmp_word = cmp_, word
        f.b += extra
