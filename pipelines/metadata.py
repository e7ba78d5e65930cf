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

from .extract.model import DocumentContext
from .regions import resolve_region, to_simplified

METADATA_VERSION = "2"  # bump when the metadata read from a text may change

DOC_TYPES = ("plan_report", "gov_work_report", "stats_bulletin", "half_year_report", "other")

_TITLE_WORDS = re.compile(r"报告|公报|计划|情况|预期目标|工作报告|纪要")
_SITE_SUFFIX = re.compile(r"\s*[-_|–—]+\s*[^-_|–—]*(网|政府|门户|网站|人民政府|官网)\s*$")
_CJK_SPACED = re.compile(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])")
_NEWS = re.compile(r"新华社|新華社|记者|記者|报道|報道|新闻|新聞|日报|日報|晚报|晚報|网讯|網訊|人民网|人民網"
                   r"|都市报|都市報|摘要|导读|導讀|速览|速覽|首页|首頁|热搜|熱搜|问答网")
_YEAR = r"((?:19|20)\d{2})\s*年"
_EXEC_YEAR = re.compile(_YEAR + r"[^。\n]{0,30}?(?:执行情况|执行情况与|工作回顾)")
_PLAN_YEAR = re.compile(_YEAR + r"[^。\n]{0,24}?(?:计划(?:草案)?(?:的报告|初步安排|安排|\(草案\))|主要预期目标|预期目标|计划的报告|计划$)")
_REVIEW_HEAD = re.compile(r"(?:^|\n)[^\n]{0,8}?" + _YEAR + r"\s*工作回顾")
_GOALS_HEAD = re.compile(r"(?:^|\n)[^\n]{0,12}?" + _YEAR + r"\s*(?:工作安排|主要预期目标|发展主要预期目标|工作的总体要求)")
_DELIVERED = re.compile(r"(?:——|-{1,2}|\()\s*" + _YEAR + r"\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*在")
_DATE_FIELD = re.compile(r"(?:日期|发布时间|发布日期|时间|发文日期|成文日期)\s*[::]\s*((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_DATE_LINE = re.compile(r"^\s*[((]?\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[))]?\s*$", re.M)
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

    def context(self) -> DocumentContext:
        """What the extraction engine needs to know before reading figures."""
        return DocumentContext(doc_type=self.doc_type, actual_year=self.actual_year, plan_year=self.plan_year,
                               published_on=self.published_on, region=self.region)


def _lines(text: str, limit: int) -> list[str]:
    return [line.strip() for line in text[:limit].split("\n") if line.strip()]


def find_title(text: str, title_hint: str | None = None) -> str | None:
    """The report's title: a title-like line at the top of the text, else the page's <title>."""
    head = _lines(text, 1500)[:6]
    for index, line in enumerate(head):
        candidate = _CJK_SPACED.sub("", line)
        if candidate.endswith((":", "：")) or len(candidate) < 6:
            continue  # "报告指出:" introduces a quotation; it is not a title
        if len(candidate) <= 90 and "。" not in candidate and _TITLE_WORDS.search(to_simplified(candidate)):
            if candidate.startswith(("一、", "二、", "(一)", "第一部分")):
                break  # a section heading, not a title
            # "政府工作报告" alone: the next line says where and when it was delivered
            if len(candidate) <= 8 and index + 1 < len(head) and head[index + 1].startswith(("——", "-")):
                candidate = candidate + head[index + 1]
            return candidate
    if title_hint:
        hint = _SITE_SUFFIX.sub("", _CJK_SPACED.sub("", title_hint)).strip()
        return hint or None
    return None


def classify(title: str, head: str) -> str:
    """plan_report | gov_work_report | stats_bulletin | half_year_report | other."""
    t, h = to_simplified(title), to_simplified(head)
    if _NEWS.search(t) or _NEWS.search(h[:200]):
        return "other"
    if "统计公报" in t or ("统计公报" in h[:400]):
        return "stats_bulletin"
    if re.search(r"上半年|半年|1\s*[-—~至]\s*6\s*月|一季度|前三季度", t):
        return "half_year_report"
    if "政府工作报告" in t or ("各位代表" in h and "政府工作" in h):
        return "gov_work_report"
    if re.search(r"计划执行情况|计划的报告|计划草案|发展计划", t):
        return "plan_report"
    if re.search(r"上半年(?:计划)?执行情况|上半年经济运行", h[:600]):
        return "half_year_report"
    if re.search(r"计划执行情况|计划初步安排|计划(?:草案)?的报告", h):
        return "plan_report"
    if re.search(r"国民经济和社会发展统计公报|初步核算", h[:600]):
        return "stats_bulletin"
    return "other"


def _first_year(pattern: re.Pattern, text: str) -> int | None:
    match = pattern.search(text)
    return int(match.group(1)) if match else None


def find_years(doc_type: str, title: str, text: str, published: date | None) -> tuple[int | None, int | None]:
    """(actual_year, plan_year) from the title, the headings and the delivery date."""
    t = to_simplified(title)
    body = to_simplified(text[:20000])
    actual = _first_year(_EXEC_YEAR, t) or _first_year(_REVIEW_HEAD, body) or _first_year(_EXEC_YEAR, body)
    plan = _first_year(_PLAN_YEAR, t) or _first_year(_GOALS_HEAD, body) or _first_year(_PLAN_YEAR, body)
    delivered = _DELIVERED.search(t + "\n" + body[:600])
    if doc_type == "gov_work_report" and delivered and (actual is None or plan is None):
        year, month = int(delivered.group(1)), int(delivered.group(2))
        base = year if month >= 10 else year - 1
        actual, plan = actual or base, plan or base + 1
    if doc_type == "gov_work_report" and published and (actual is None or plan is None):
        base = published.year if published.month >= 10 else published.year - 1
        actual, plan = actual or base, plan or base + 1
    if doc_type in ("stats_bulletin", "half_year_report"):
        year = _first_year(re.compile(_YEAR), t) or _first_year(re.compile(_YEAR), body[:400])
        if doc_type == "stats_bulletin" and published and year is None:
            year = published.year - 1
        if doc_type == "half_year_report" and published and year is None:
            year = published.year
        return year, None
    if doc_type == "plan_report":
        if actual and not plan:
            plan = actual + 1
        if plan and not actual and _EXEC_YEAR.search(body) is None and re.search(r"计划初步安排|二、", body[:200]):
            actual = plan - 1
    if doc_type == "gov_work_report" and actual and not plan:
        plan = actual + 1
    return actual, plan


def find_published(text: str) -> date | None:
    """The publication or delivery date printed at the top of the page."""
    head = to_simplified(text[:1500])
    for pattern in (_DATE_FIELD, _DELIVERED, _DATE_LINE):
        match = pattern.search(head)
        if match:
            try:
                return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
    return None


def find_agency(text: str) -> str | None:
    head = to_simplified(text[:1500])
    match = _AGENCY_FIELD.search(head) or _AGENCY_LINE.search(head)
    return match.group(1) if match else None


def extract_metadata(text: str, file_name: str = "", title_hint: str | None = None,
                     published_hint: date | None = None) -> DocumentMetadata:
    """Everything ``core.documents`` says about a document, read from its text.

    ``published_hint`` (e.g. from a sources manifest) is used when the text prints no date.
    """
    title = find_title(text, title_hint)
    region = resolve_region(title or "", text)
    doc_type = classify(title or "", text[:3000])
    published = find_published(text) or published_hint
    actual, plan = find_years(doc_type, title or "", text, published)
    return DocumentMetadata(
        title=title or (file_name.rsplit(".", 1)[0] if file_name else None),
        region=region[0] if region else None,
        region_code=region[1] if region else None,
        doc_type=doc_type,
        actual_year=actual,
        plan_year=plan,
        published_on=published,
        source_agency=find_agency(text),
    )
