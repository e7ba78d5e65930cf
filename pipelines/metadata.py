"""Document metadata read from the report's own text: title, region, type, years, date, agency.

Rules follow the genre: a plan report's title and headings say which year is executed (执行情况)
and which is planned (计划); a government work report is delivered early in the plan year (or in
December of the year it reviews); a statistical bulletin reports one year; a half-year report
names its year. News digests of these are ``other``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .extract.model import DocumentContext
from .readers.chrome import data_rows, is_chrome_line, is_tail_heading
from .regions import explain_region, to_simplified

METADATA_VERSION = "4"  # 4: plan titles with two years, 发布日期 over 成文日期, time stamps, figure headlines are news  # bump when the metadata read from a text may change

DOC_TYPES = ("plan_report", "gov_work_report", "stats_bulletin", "half_year_report", "other")

_TITLE_WORDS = re.compile(r"报告|公报|计划|情况|预期目标|工作报告|纪要")
_SITE_SUFFIX = re.compile(r"\s*[-_|–—]+\s*[^-_|–—]*(网|政府|门户|网站|人民政府|官网)\s*$")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]{4}")
_NOT_HEADLINE = re.compile(
    r"[。,，;；:：!！?？>›»]|^(?:[一二三四五六七八九十]+、|[((][一二三四五六七八九十]+[))]|第[一二三四五六七八九十]+部分|\d+[.、]"
    r"|——|──|-)|(?:在[^\n]*|会议)上$|(?:统计局|调查总?队|人民政府|委员会|办公室)$|(?:省长|市长|区长|县长|主席|主任|局长)\s*\S{2,4}$")
_FIGURE = re.compile(r"\d(?:\.\d+)?\s*(?:%|亿|万|元)")
_CJK_SPACED = re.compile(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])")
_YEAR = r"((?:19|20)\d{2})\s*年"
_NO_YEAR = r"(?:(?!(?:19|20)\d{2}\s*年)[^。\n])"  # a span that names no other year: the cue is this year's
_EXEC_YEAR = re.compile(_YEAR + _NO_YEAR + r"{0,30}?(?:执行情况|执行情况与|工作回顾)")
_PLAN_YEAR = re.compile(_YEAR + _NO_YEAR + r"{0,24}?(?:计划(?:草案)?(?:的报告|初步安排|安排|\(草案\))|主要预期目标|预期目标|计划的报告|计划$)")
_REVIEW_HEAD = re.compile(r"(?:^|\n)[^\n]{0,8}?" + _YEAR + r"\s*工作回顾")
_GOALS_HEAD = re.compile(r"(?:^|\n)[^\n]{0,12}?" + _YEAR + r"\s*(?:工作安排|主要预期目标|发展主要预期目标|工作的总体要求)")
_DELIVERED = re.compile(r"(?:——|-{1,2}|\()\s*" + _YEAR + r"\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*在")
_DATE_FIELD = re.compile(r"(日期|发布时间|发布日期|时间|发文日期|成文日期|印发日期)\s*[::]\s*((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_DATE_LINE = re.compile(r"^\s*[((]?\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[))]?\s*$", re.M)
# a page's time stamp opening a line: "2023-02-26 09:12:03", "2023-02-26 09:12 来源:…"
_STAMP_LINE = re.compile(r"^\s*((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?:\s|$)", re.M)
# lines that date the page or the speech, never the year reported: "2018年5月2日", "(2024年4月30日)",
# "——2023年1月4日在…大会上", "发布时间:2025年3月28日"
_DATELINES = re.compile(
    r"^\s*[((]?\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*[))]?\s*$"
    r"|(?:——|-{1,2}|\()\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*在[^\n]*"
    r"|(?:日期|发布时间|发布日期|时间|发文日期|成文日期|印发日期)\s*[::]\s*(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?",
    re.M)
_URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12]\d|3[01])?(?!\d)")
_ANY_YEAR = re.compile(_YEAR)
_NEWS_LEDE = re.compile(r"^\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?:上午|下午|晚间?|晚)?\s*[,，]")
_AGENCY_FIELD = re.compile(r"(?:来源|来 源|发布机构|发文机关)\s*[::]\s*([^\s::]{2,30})")
_AGENCY_LINE = re.compile(r"^\s*([\u3400-\u9fff]{2,20}(?:统计局|发展和改革委员会|发展改革委|发改委|人民政府|调查队))\s*$", re.M)


@dataclass(frozen=True)
class DocumentMetadata:
    title: str | None
    region: str | None
    region_code: str | None
    doc_type: str
    actual_year: int | None
    plan_year: int | None
    published_on: date | None
    source_agency: str | None
    region_note: str | None = None  # why region is None (the resolver's reason); None when found

    def context(self) -> DocumentContext:
        """What the extraction engine needs to know before reading figures."""
        return DocumentContext(doc_type=self.doc_type, actual_year=self.actual_year, plan_year=self.plan_year,
                               published_on=self.published_on, region=self.region)


def _lines(text: str, limit: int) -> list[str]:
    """The text's first lines, without page chrome (reader buttons, breadcrumbs, counters) and
    without what follows a 相关报道/名词解释 heading (other pages' titles, a glossary)."""
    lines = []
    for line in text[:limit].split("\n"):
        line = line.strip()
        if lines and is_tail_heading(line):
            break
        if line and not is_chrome_line(line):
            lines.append(line)
    return lines


def _title_like(candidate: str) -> bool:
    """A headline, not a sentence: no full stop, at most one comma, no breadcrumb arrows."""
    commas = candidate.count(",")
    return ("。" not in candidate and len(candidate) <= 90 and (commas == 0 or (commas == 1 and len(candidate) <= 40))
            and not re.search(r">|›|»", candidate) and not candidate.startswith(("报告指出", "报告提出", "会议指出")))


def find_title(text: str, title_hint: str | None = None) -> str | None:
    """The report's title: a title-like line at the top of the text, else the page's <title>."""
    head = _lines(text, 3000)[:8]
    for index, line in enumerate(head):
        candidate = _SITE_SUFFIX.sub("", _CJK_SPACED.sub("", line)).strip()
        if candidate.endswith((":", "：")) or len(candidate) < 6 or _DATELINES.fullmatch(candidate):
            continue  # "报告指出:" introduces a quotation; it is not a title
        if _title_like(candidate) and _names_a_document(to_simplified(candidate)):
            if candidate.startswith(("一、", "二、", "(一)", "第一部分")):
                break  # a section heading, not a title
            # "政府工作报告" alone: the next line says where and when it was delivered
            if len(candidate) <= 8 and index + 1 < len(head) and head[index + 1].startswith(("——", "-")):
                candidate = candidate + head[index + 1]
            return candidate
    if title_hint:
        hint = _SITE_SUFFIX.sub("", _CJK_SPACED.sub("", title_hint.replace("\n", " "))).strip()
        if hint and not is_chrome_line(hint) and not re.search(r">|›|»", hint):
            return hint
    return _headline(head)


def _headline(head: list[str]) -> str | None:
    """A news item's headline (…会议开幕): the opening line when it reads like one — no sentence
    punctuation or field label, not a site's name, dateline, section heading, signature, speaker
    or delivery line (an excerpt that opens mid-report has no title, and says so)."""
    for line in head[:3]:
        candidate = _CJK_SPACED.sub("", line)
        simple = to_simplified(candidate)
        if (8 <= len(candidate) <= 40 and _CJK_RUN.search(candidate) and not _NOT_HEADLINE.search(simple)
                and not _SITE_SUFFIX.search(" - " + candidate) and not _DATELINES.fullmatch(candidate)
                and not _STAMP_LINE.match(candidate)):
            return candidate
    return None


def _names_a_document(line: str) -> bool:
    """A title word (报告, 公报 …) or a genre's title cue (上半年, 统计公报 …, genres.csv); a
    headline stating a figure (…增长9.0%) is news about a report, not its title."""
    return bool(_TITLE_WORDS.search(line)) or (_FIGURE.search(line) is None and any(
        pattern.search(line) for doc_type, pattern in _genre_cues()[0] if doc_type != "other"))


@lru_cache(maxsize=1)
def _genre_cues() -> tuple[tuple[tuple[str, re.Pattern], ...], tuple[tuple[str, re.Pattern], ...]]:
    """(title cues, head cues) as (doc_type, pattern), from data/metadata/genres.csv."""
    rows = data_rows("genres.csv")
    title = tuple((r["doc_type"], re.compile(r["pattern"])) for r in rows if r["scope"] == "title")
    head = tuple((r["doc_type"], re.compile(r["pattern"], re.M)) for r in rows if r["scope"] == "head")
    return title, head


def _genre_of_head(head: str, *, news: bool) -> str | None:
    """The genre whose cue comes first in the opening (news cues only within 200 characters)."""
    found: list[tuple[int, int, str]] = []
    for order, (doc_type, pattern) in enumerate(_genre_cues()[1]):
        if doc_type == "other":
            if news and (pattern.search(head[:200]) or _NEWS_LEDE.match(head)):
                return "other"
            continue
        match = pattern.search(head)
        if match:
            found.append((match.start(), order, doc_type))
    return min(found)[2] if found else None


def classify(title: str, head: str) -> str:
    """plan_report | gov_work_report | stats_bulletin | half_year_report | other."""
    t = to_simplified(title)
    h = to_simplified(head[:2000])
    for doc_type, pattern in _genre_cues()[0]:
        if pattern.search(t):
            return doc_type
    return _genre_of_head(h, news=True) or "other"


def topic(title: str, head: str) -> str | None:
    """For news ('other'): the genre of the report it is about, which says which years it covers."""
    t, h = to_simplified(title), to_simplified(head[:2000])
    for doc_type, pattern in _genre_cues()[0]:
        if doc_type != "other" and pattern.search(t):
            return doc_type
    if re.search(r"政府工作报告|作工作报告|向大会报告工作|人民代表大会[^。\n]{0,12}会议|人大[^。\n]{0,6}次会议|两会", t + "\n" + h):
        return "gov_work_report"
    return _genre_of_head(h, news=False)


def _first_year(pattern: re.Pattern, text: str) -> int | None:
    match = pattern.search(text)
    return int(match.group(1)) if match else None


def _without_datelines(text: str) -> str:
    return _DATELINES.sub(" ", text)


def find_years(doc_type: str, title: str, text: str, published: date | None) -> tuple[int | None, int | None]:
    """(actual_year, plan_year) from the title, the headings and the delivery date.

    A work report titled 2026 reviews 2025 and plans 2026; a bulletin titled 2024 reports 2024.
    Datelines (the day the page or speech is dated) never give the year reported. News takes
    the years of the report it is about.
    """
    t = to_simplified(title)
    raw_body = to_simplified(text[:20000])
    body = _without_datelines(raw_body)
    if doc_type == "other":
        about = topic(title, text[:3000])
        # news about nothing we know: its years are whatever each sentence says
        return find_years(about, title, text, published) if about else (None, None)
    if doc_type in ("stats_bulletin", "half_year_report"):
        year = _first_year(_ANY_YEAR, _without_datelines(t))
        if year is None and doc_type == "half_year_report" and published and published.month >= 6:
            year = published.year  # out in the second half of the year it reports on
        year = year or _first_year(_ANY_YEAR, body[:600])
        if published and year and year > published.year:
            year = None  # a year after publication is a plan or a dateline, not the year reported
        if year is None and published:
            year = published.year - 1 if doc_type == "stats_bulletin" else published.year
        return year, None
    actual = _first_year(_EXEC_YEAR, t) or _first_year(_REVIEW_HEAD, body) or _first_year(_EXEC_YEAR, body)
    plan = _first_year(_PLAN_YEAR, t) or _first_year(_GOALS_HEAD, body) or _first_year(_PLAN_YEAR, body)
    if doc_type == "gov_work_report" and (actual is None or plan is None):
        titled = re.search(r"((?:19|20)\d{2})\s*年\s*(?:[^\n]{0,20})?政府工作报告", _without_datelines(t))
        delivered = _DELIVERED.search(t + "\n" + raw_body[:600])
        if titled and plan is None and actual is None:
            year = int(titled.group(1))
            if published and published.year > year:
                actual, plan = year, year + 1  # out after its titled year: the title names the year reviewed
            else:
                plan = year  # "2026年政府工作报告" plans 2026 and reviews 2025
        elif delivered:
            year, month = int(delivered.group(1)), int(delivered.group(2))
            base = year if month >= 10 else year - 1
            actual, plan = actual or base, plan or base + 1
        elif published:
            base = published.year if published.month >= 10 else published.year - 1
            actual, plan = actual or base, plan or base + 1
        if plan and not actual:
            actual = plan - 1
        if actual is None and plan is None:  # undated: the first year the opening names is the one reviewed
            actual = _first_year(_ANY_YEAR, body[:600])
    if doc_type == "plan_report":
        if actual and not plan:
            plan = actual + 1
        if plan and not actual and _EXEC_YEAR.search(body) is None and re.search(r"计划初步安排|二、", body[:200]):
            actual = plan - 1
    if doc_type == "gov_work_report" and actual and not plan:
        plan = actual + 1
    return actual, plan


def find_published(text: str) -> date | None:
    """The publication or delivery date printed at the top of the page; of several dated
    fields (成文日期 and 发布日期 in a 政府信息公开 table) the publication's."""
    head = to_simplified(text[:1500])
    fields = sorted(_DATE_FIELD.finditer(head), key=lambda m: "发布" not in m.group(1))
    for match in fields:
        found = _date(*match.group(2, 3, 4))
        if found:
            return found
    for pattern in (_DELIVERED, _DATE_LINE, _STAMP_LINE):
        match = pattern.search(head)
        found = _date(*match.group(1, 2, 3)) if match else None
        if found:
            return found
    return None


def _date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def url_date(source_url: str | None) -> date | None:
    """A date in a source URL's path (/2024-02/18/, /202404/t20240430_…): the month at least."""
    if not source_url:
        return None
    path = source_url.split("://", 1)[-1].split("/", 1)[-1]
    for match in _URL_DATE.finditer(path):
        year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3) or 1)
        if 1990 <= year <= 2100:
            try:
                return date(year, month, day)
            except ValueError:
                continue
    return None


def find_agency(text: str) -> str | None:
    head = to_simplified(text[:1500])
    match = _AGENCY_FIELD.search(head) or _AGENCY_LINE.search(head)
    return match.group(1) if match else None


def extract_metadata(text: str, file_name: str = "", title_hint: str | None = None,
                     published_hint: date | None = None, source_url: str | None = None) -> DocumentMetadata:
    """Everything ``core.documents`` says about a document, read from its text.

    ``published_hint`` (e.g. from a sources manifest) is used when the text prints no date,
    then a date in ``source_url``.
    """
    title = find_title(text, title_hint)
    region = explain_region(title or "", text)  # never raises: an unknown place is None, with why
    body = "\n".join(_lines(text, 4000))
    doc_type = classify(title or "", body)
    published = find_published(text) or published_hint or url_date(source_url)
    actual, plan = find_years(doc_type, title or "", text, published)
    return DocumentMetadata(
        title=title or (file_name.rsplit(".", 1)[0] if file_name else None),
        region=region.name,
        region_code=region.code,
        doc_type=doc_type,
        actual_year=actual,
        plan_year=plan,
        published_on=published,
        source_agency=find_agency(text),
        region_note=None if region.name else region.how,
    )
