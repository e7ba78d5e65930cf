"""Whose figure it is: the label a figure belongs to, its canonical code, and whether it names the
document's own region, a subset or another region.

Input: a ``Doc`` and a figure; output: a ``Subject`` (label, code, end offset, pair codes).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import lexicon as lex
from .figures import Figure
from .indicators import LabelMatch, lookup_indicator
from .patterns import COMPOSITE, ELLIPTIC_INDUSTRY, FILLER, INDUSTRY_TOPIC, LABEL_BLOCKERS, LEAD_PUNCT, OTHER_REGION_WORDS, PLACE_END, RATIO_LABELS, SELF, SELF_LEVEL, SHARE_CUT, TRAIL_OPEN, TRAIL_VERB
from .document import Doc

OF_WHICH = lex.rx("of_which")
TIME_TAIL = lex.rx("label_time_tail", "(?:(?:{}))+$")
SPEAKER_TAIL = lex.rx("speaker_verbs", "(?:{})$")
SPEAKER = lex.rx("speaker_verbs", r"[\s,，]*(?P<place>[\u4e00-\u9fff]{2,8}?)(?:{})[,，:：]\s*$")
PLACE_ONLY = lex.rx("place_only_clause", "(?:{})")


@dataclass(slots=True)
class Subject:
    label: str
    code: str | None
    end: int  # view offset where the label ends
    qualifier: str | None = None
    codes: tuple[str, ...] = ()  # a pair (urban, rural) to split over 分别


@lru_cache(maxsize=8192)
def has_noun(text: str) -> bool:
    # pure, and asked mostly of a few short stretches (同比增长, 完成, 比上年末): cached, since
    # the filler regex tries its ~250 words at every character
    rest = FILLER.sub("", text)
    return sum(1 for ch in rest if "\u4e00" <= ch <= "\u9fff") >= 2


@lru_cache(maxsize=4096)
def noun_text(text: str) -> str:
    t = LEAD_PUNCT.sub("", text)
    t = TRAIL_OPEN.sub("", t)
    t = TRAIL_VERB.sub("", t)
    return t.strip()[-20:]


def subject_from_label(doc: Doc, lab: LabelMatch, sent_a: int) -> Subject:
    code = lab.code
    codes: tuple[str, ...] = ()
    if code and "|" in code:
        codes = tuple(code.split("|"))
        code = "disposable_income" if "可支配收入" in lab.alias else codes[0]
    cs = doc.clause_start(lab.start, sent_a)
    prefix = doc.s[cs: lab.start]
    if code is None and lab.alias in ELLIPTIC_INDUSTRY:
        # 工业总产值 / 增加值 in a sentence about 规模以上工业, unless a subset is named (其中国有企业增加值)
        if INDUSTRY_TOPIC.search(doc.s, max(sent_a, lab.start - 200), lab.start) and "其中" not in prefix and not has_noun(prefix):
            code = ELLIPTIC_INDUSTRY[lab.alias]
    # (the words right before the label decide; a bounded tail keeps long clauses linear)
    if code and (other_region(doc, place_before(doc, prefix, cs, sent_a)[-24:], lab.alias) or LABEL_BLOCKERS.search(prefix[-24:]) or part_after_of_which(prefix)):
        code, codes = None, ()
    return Subject(doc.s[lab.start: lab.end], code, lab.end, codes=codes)


def place_before(doc: Doc, prefix: str, cs: int, sent_a: int) -> str:
    """The words before a label that may name its place, without the time between them (石湾县2024年
    生产总值, 溪山省去年生产总值); where the clause names nothing, a clause before it that is only a
    place and a verb of saying (北岭县提出,城乡居民…) names it."""
    stripped = SPEAKER_TAIL.sub("", TIME_TAIL.sub("", prefix)) if prefix else prefix
    if stripped.strip(" ,，") or cs <= sent_a:
        return stripped if stripped != prefix and stripped.strip() else prefix
    m = SPEAKER.match(doc.s, sent_a, cs)
    return m.group("place") if m else prefix


def part_after_of_which(prefix: str) -> bool:
    """其中城镇固定资产投资 / 其中民间固定资产投资: a word between 其中 and the indicator's name
    makes it a part of the whole named before, whatever the word."""
    m = None
    for m in OF_WHICH.finditer(prefix):
        pass
    return m is not None and has_noun(prefix[m.end():])


def place_subject(doc: Doc, subj: Subject | None, own_a: int, start: int, last: Subject | None) -> Subject | None:
    """A clause that names only a place before its figure (江南省地区生产总值增长5.5%,青溪市增长5.9% /
    我市增长5.9%,全省增长5.5%): the indicator is the one named before, the place decides whose it is.
    Returns the subject to use instead, or None to keep ``subj``."""
    if last is None or not last.label or (subj is not None and (subj.code is not None or subj.label == last.label)):
        return None
    place = noun_text(doc.s[own_a:start])
    if not PLACE_ONLY.fullmatch(place) or doc.labels_in(own_a, start):
        return None
    end = subj.end if subj else own_a
    level = SELF_LEVEL.search(place)
    if OTHER_REGION_WORDS.search(place) or (level and doc.region_level and level.group(1) != doc.region_level) or (
        place[-1] in PLACE_END.get() and place not in doc.region_parts and place not in SELF.get()
    ):
        return Subject(place, None, end)  # 全省增长5.5% in a city's report, 江州市为5200亿元
    if place in doc.region_parts or (level and place in SELF.get()):  # (not 城区, 市区: parts)
        code = lookup_indicator(last.label)
        if code and "|" not in code:
            return Subject(last.label, code, end)
    return None


def other_region(doc: Doc, prefix: str, alias: str) -> bool:
    """广州经济总量 / 高新区地区生产总值 in another region's report: the figure is not this region's.

    Only the place name written right before the label counts; 全市/我区/该区 and the parts of
    the document's own region (北京市大兴区 → 大兴区, 大兴, 北京 …) are this region.
    """
    parts = doc.region_parts
    if not parts:
        return False
    prefix = prefix.rstrip()
    if len(prefix) < 2 or not ("\u4e00" <= prefix[-1] <= "\u9fff"):
        return False
    if OTHER_REGION_WORDS.search(prefix):
        return True  # 东部地区生产总值, 长三角: a bloc
    level = SELF_LEVEL.search(prefix)
    if level and doc.region_level and level.group(1) != doc.region_level:
        return True  # 全省 in a city's report, 全国 in a district's
    if prefix[-2:] in SELF.get():
        return False
    place = named_place(prefix)
    if place and not any(place.endswith(p) or p.endswith(place) for p in parts):
        return True  # 青岛GDP in a province's report: a place named without its suffix
    if prefix[-1] not in PLACE_END.get() and alias != "经济总量":
        return False
    for n in range(2, 7):
        t = prefix[-n:]
        if not all("\u4e00" <= ch <= "\u9fff" for ch in t):
            break
        if any(t.endswith(p) or p.endswith(t) for p in parts):
            return False
    if FILLER.sub("", prefix[-2:]) == "":
        return False
    return True


def composite_industry(doc: Doc, a: int, b: int) -> Subject | None:
    if doc.s.find("规", a, b) < 0:  # every match starts with 规 (规模以上 / 规上)
        return None
    m = None
    for m in COMPOSITE.finditer(doc.s[a:b]):
        pass
    if m:
        code = "industrial_value_added" if m.group(1) == "增加值" else "industrial_output"
        if LABEL_BLOCKERS.search(doc.s[max(a, a + m.start() - 24): a + m.start()]):
            code = None  # 民营规模以上工业增加值: a part of industry
        return Subject(m.group(0), code, a + m.end())
    return None


def resolve_subject(doc: Doc, fig: Figure, own_a: int, sent_a: int, prev: Figure | None) -> tuple[Subject | None, list[Subject]]:
    """(subject, shared-subjects) for a figure; subject None means 'inherit from the previous figure'."""
    s = doc.s
    start = fig.mask_from if fig.mask_from is not None else fig.a
    own_text = s[own_a:start]
    # share: 占X的81% — the subject is before 占
    mcut = SHARE_CUT.search(own_text)
    cut = mcut.start() if mcut else -1
    search_end = own_a + cut if cut >= 0 else start
    ratio = ratio_label(doc, max(sent_a, own_a - 60), start)  # (the spending may be named a clause before: …45亿元,占GDP比重1.2%)
    if ratio is not None:
        return ratio, []
    labs = doc.labels_in(own_a, search_end)
    comp = composite_industry(doc, own_a, search_end)
    if comp and (not labs or comp.end >= labs[-1].end):
        if not has_noun(s[comp.end:search_end]):
            return comp, []
    if labs:
        lab = labs[-1]
        between = s[lab.end:search_end]
        if not has_noun(between):
            return subject_from_label(doc, lab, sent_a), []
        return Subject(noun_text(s[own_a:search_end]), None, lab.end), []
    if has_noun(s[own_a:search_end]):
        # the verbs after the noun (同比增长) still tell the measure: the subject 'ends' at the clause start
        return Subject(noun_text(s[own_a:search_end]), None, own_a), []
    # walk back over figure-less clauses, down to the previous figure of the sentence
    floor = max(sent_a, prev.b) if prev is not None else sent_a
    pos = own_a - 1
    while pos > floor:
        ca = max(doc.clause_start(pos, floor), floor)
        if prev is not None and ca == floor:
            break  # the rest of the previous figure's clause (5个城市, 的省份) is its complement
        text = s[ca:pos]
        labs = doc.labels_in(ca, pos)
        comp = composite_industry(doc, ca, pos)
        if comp:
            return comp, []
        if labs:
            lab = labs[0]
            subj = subject_from_label(doc, lab, sent_a)
            shared: list[Subject] = []
            if fig.kind == "rank" or "均" in s[own_a:fig.a]:
                # A、B、C等指标,保持全市第一: the figure belongs to every item of the list
                shared = [subject_from_label(doc, lb, sent_a) for lb in labs]
                p = ca - 1
                while p > floor and s[p] == "、":
                    ca2 = max(doc.clause_start(p, floor), floor)
                    more = doc.labels_in(ca2, p)
                    if not more:
                        break
                    shared = [subject_from_label(doc, lb, sent_a) for lb in more] + shared
                    p = ca2 - 1
                if len(shared) < 2:
                    shared = []
            return subj, shared
        if has_noun(text):
            return Subject(noun_text(text), None, pos), []
        pos = ca - 1
    if prev is not None:
        return None, []
    return Subject("", None, own_a), []


def borrow_head(subj: Subject, last: Subject) -> Subject | None:
    """城镇居民人均可支配收入增长5%,农村居民增长6%: 农村居民 is short for 农村居民人均可支配收入."""
    from .indicators import alias_table

    table = alias_table()
    word = subj.label
    for cut in range(1, len(last.label)):
        tail = last.label[cut:]
        if len(tail) < 3:
            break
        for k in range(len(word), 0, -1):
            # 农村居民 + 人均可支配收入, or 农村 + 居民人均可支配收入
            cand = word[:k] + tail
            code = table.get(cand)
            if code and "|" not in code and cand != last.label and word[k:] == "":
                return Subject(cand, code, subj.end)
    return None


def complete_elliptic_items(doc: Doc, items, head_a: int, subs: list) -> None:
    """城镇、农村居民人均可支配收入分别…: 城镇 borrows the tail of the last item; 一般公共预算收入、
    支出分别…: 支出 borrows the head of the first."""
    from .indicators import alias_table

    last = subs[-1] if subs else None
    if not last or not last.label:
        return
    table = alias_table()
    for i, (a, b) in enumerate(items[:-1]):
        sub = subs[i]
        word = doc.s[head_a + a: head_a + b].strip()
        if (sub is not None and sub.code) or not word or len(word) > 6:
            continue
        for cut in range(1, len(last.label)):
            cand = word + last.label[cut:]
            code = table.get(cand)
            if code and "|" not in code:
                subs[i] = Subject(cand, code, head_a + b)
                break
    first = subs[0]
    if not first or not first.code:
        return
    for i, (a, b) in enumerate(items[1:], 1):
        # 一般公共预算收入、支出分别增长…: 支出 borrows the head of the first item
        word = doc.s[head_a + a: head_a + b].strip()
        if (subs[i] is not None and subs[i].code) or not word or len(word) > 4:
            continue
        for cut in range(len(first.label) - 1, 0, -1):
            cand = first.label[:cut] + word
            code = table.get(cand)
            if code and "|" not in code and code != first.code:
                subs[i] = Subject(cand, code, head_a + b)
                break


def ratio_label(doc: Doc, a: int, b: int) -> Subject | None:
    """研发经费支出相当于地区生产总值的比例: a ratio named in words is its own indicator."""
    if doc.s.find("生产总值", a, b) < 0 and doc.s.find("GDP", a, b) < 0:
        return None
    for rx, code in RATIO_LABELS.get():
        m = None
        for m in rx.finditer(doc.s, a, b):
            pass
        if m and not has_noun(doc.s[m.end():b]):
            return Subject(m.group(0), code, m.end())
    return None


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    """Names of China's provinces, cities and counties (the ``cpca`` package's division table),
    with their suffix-less short forms (海淀区 → 海淀), less the ones that are common words."""
    import csv
    from importlib import resources

    suffixes = sorted(lex.entries("region_suffix_words"), key=len, reverse=True)
    skip = set(lex.entries("place_name_skip"))
    names: set[str] = set()
    with resources.files("cpca").joinpath("resources/adcodes.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = row["name"].strip()
            if len(name) >= 3:
                names.add(name)
            stem = next((name[: -len(x)] for x in suffixes if name.endswith(x)), "")
            if len(stem) >= 2:
                names.add(stem)
    return frozenset(names - skip)


def named_place(prefix: str) -> str | None:
    """The place name the words before a label end with (青岛GDP, 其中海淀区生产总值), if any."""
    try:
        names = _place_names()
    except (OSError, ModuleNotFoundError):  # no gazetteer installed: only suffixed names count
        return None
    before = lex.words("place_name_before").get()
    for n in range(min(8, len(prefix)), 1, -1):
        t = prefix[-n:]
        if t in names:
            head = prefix[:-n]
            if not head or not ("\u4e00" <= head[-1] <= "\u9fff") or any(head.endswith(w) for w in before):
                return t
    return None
