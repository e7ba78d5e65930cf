"""Metadata of documents as portals store them: doc_type, years, title and publication date.

Invented documents of every genre — work reports titled 2026 that review 2025, statistical
bulletins with their 统计局/调查队 signature and dateline, 计划执行情况 reports, half-year
reports, and news about a work report (``other``, with the years of the report) — each wrapped the way a portal scrape keeps it: reader lines (下载 打印 全屏 收藏,
【字体:大 中 小】), breadcrumbs, a 来源/发布时间 line, photo captions, a 在…大会上 delivery line,
datelines, a 名词解释 glossary and 相关报道 list at the end, under a file name that says
nothing (t20260125_4567.txt). Half are plain text scrapes, half web pages (benchmarks/cms_pages.py).
Every sentence is generated here; none is copied from a real report.

Usage: python benchmarks/portal_metadata.py [--per-genre N] [--seed S] [-v]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.cms_pages import STYLES, cms_page  # noqa: E402
from pipelines.metadata import extract_metadata  # noqa: E402
from pipelines.readers import read_document  # noqa: E402
from pipelines.readers.normalize import normalize_text  # noqa: E402

REGIONS = (("江西省", "省"), ("青海省", "省"), ("广西壮族自治区", "自治区"), ("湖南省", "省"), ("吉林省", "省"),
           ("成都市", "市"), ("宁波市", "市"), ("赣州市", "市"), ("大兴区", "区"), ("余杭区", "区"), ("浏阳市", "市"),
           ("昆山市", "市"), ("湄潭县", "县"), ("安吉县", "县"))
CN = "一二三四五六七八九十"


@dataclass
class Case:
    genre: str
    name: str
    data: bytes
    title: str
    actual: int | None
    plan: int | None
    published: date


def _session(rng: random.Random) -> str:
    return f"第{rng.choice(('十四', '十五', '十六', '十七'))}届人民代表大会第{rng.choice(CN[:5])}次会议"


def _work_report(rng, region, level, year):
    december = rng.random() < 0.2  # some districts meet in December of the year reviewed
    day = date(year, 12, rng.randrange(10, 30)) if december else date(year + 1, rng.choice((1, 1, 1, 2)),
                                                                         rng.randrange(5, 28))
    delivered = f"{day.year}年{day.month}月{day.day}日在{region}{_session(rng)}上"
    delivered = rng.choice((f"——{delivered}", f"—— {delivered}", f"({delivered})"))
    style = rng.randrange(5)
    title = (f"{year + 1}年{region}政府工作报告", f"{region}政府工作报告", f"{year + 1}年政府工作报告",
             f"{region}人民政府工作报告", "政府工作报告(全文)")[style]
    head = ["政府工作报告", delivered, f"{region}人民政府{ {'省': '省长', '自治区': '主席'}.get(level, level + '长')} 王某某"]
    if style in (1, 3) and rng.random() < 0.4:
        head = head[2:]  # no delivery line: the page's date is all there is
    body = ["各位代表:", f"现在,我代表{region}人民政府,向大会报告政府工作,请予审议,并请政协委员提出意见。",
            rng.choice((f"一、{year}年工作回顾", "一、过去一年工作回顾", f"一、{year}年和过去五年工作回顾")),
            f"过去一年,全{level}地区生产总值增长{rng.uniform(4, 7):.1f}%,"
            f"一般公共预算收入完成{rng.uniform(80, 900):.1f}亿元。",
            rng.choice((f"二、{year + 1}年工作安排", "二、今年工作安排", f"三、{year + 1}年重点工作")),
            f"{year + 1}年全{level}经济社会发展的主要预期目标是:地区生产总值增长5%左右。"]
    return title, year, year + 1, day, head + body


def _bulletin(rng, region, level, year):
    day = date(year + 1, rng.choice((2, 3, 3, 4)), rng.randrange(1, 29))
    title = rng.choice((f"{region}{year}年国民经济和社会发展统计公报", f"{year}年{region}国民经济和社会发展统计公报"))
    short = region[:-1] if len(region) > 2 else region
    head = [f"{region}统计局", f"国家统计局{short}调查队", f"{day.year}年{day.month}月{day.day}日"]
    body = [f"{year}年,全{level}坚持稳中求进工作总基调,经济运行总体平稳。", "一、综合",
            f"初步核算,全年地区生产总值{rng.uniform(100, 5000):.2f}亿元,比上年增长{rng.uniform(3, 8):.1f}%。",
            "二、农业", f"全年粮食产量{rng.uniform(10, 300):.1f}万吨,比上年增长{rng.uniform(0, 3):.1f}%。"]
    if rng.random() < 0.5:
        head = head[2:] + head[:2]
    return title, year, None, day, head + body


def _plan_report(rng, region, level, year):
    day = date(year + 1, rng.choice((1, 2)), rng.randrange(5, 28))
    title = rng.choice((
        f"关于{region}{year}年国民经济和社会发展计划执行情况与{year + 1}年国民经济和社会发展计划草案的报告",
        f"{region}{year}年国民经济和社会发展计划执行情况和{year + 1}年计划草案的报告",
        f"关于{year}年国民经济和社会发展计划执行情况与{year + 1}年计划的报告"))
    head = [f"——{day.year}年{day.month}月{day.day}日在{region}{_session(rng)}上", f"{region}发展和改革委员会"]
    body = ["各位代表:", f"受{region}人民政府委托,现将{year}年国民经济和社会发展计划执行情况与{year + 1}年计划草案"
            "提请大会审议,并请政协委员提出意见。", f"一、{year}年国民经济和社会发展计划执行情况",
            f"全{level}地区生产总值增长{rng.uniform(4, 7):.1f}%,规模以上工业增加值增长{rng.uniform(4, 9):.1f}%。",
            f"二、{year + 1}年国民经济和社会发展的主要预期目标", "地区生产总值增长5.5%左右。"]
    return title, year, year + 1, day, head + body


def _half_year(rng, region, level, year):
    day = date(year, rng.choice((7, 7, 8)), rng.randrange(10, 29))
    title = rng.choice((f"{region}{year}年上半年经济运行情况", f"关于{region}{year}年上半年国民经济和社会发展计划执行情况的报告",
                        f"{year}年1-6月{region}主要经济指标完成情况", f"{year}年上半年全{level}经济运行稳中向好"))
    body = [f"上半年,全{level}地区生产总值{rng.uniform(50, 2500):.2f}亿元,同比增长{rng.uniform(3, 7):.1f}%。",
            f"规模以上工业增加值同比增长{rng.uniform(3, 9):.1f}%。"]
    return title, year, None, day, [f"{day.year}年{day.month}月{day.day}日"] + body


def _news(rng, region, level, year):
    """News about a work report ("other"): it takes the years of the report it is about."""
    day = date(year + 1, rng.choice((1, 2)), rng.randrange(5, 28))
    title = rng.choice((f"一图读懂{year + 1}年{region}政府工作报告", f"{region}{year + 1}年经济增长预期目标定为5%左右",
                        f"政府工作报告解读:{region}今年这样干", f"{region}第十四届人民代表大会第四次会议开幕"))
    body = [f"{day.month}月{day.day}日上午,{region}{_session(rng)}开幕。{region}人民政府负责人代表{region}人民政府"
            f"向大会作政府工作报告。", f"报告指出,过去一年全{level}地区生产总值增长{rng.uniform(4, 7):.1f}%。",
            f"报告提出,{year + 1}年全{level}地区生产总值预期增长5%左右。"]
    return title, year, year + 1, day, body


GENRES = {"gov_work_report": _work_report, "stats_bulletin": _bulletin, "plan_report": _plan_report,
          "half_year_report": _half_year, "other": _news}


def _chrome(rng, region, day: date, title: str):
    top = rng.choice((["下载", "打印", "全屏", "收藏"], ["下载 打印 全屏 收藏"], ["【字体:大 中 小】 打印本页 关闭窗口"],
                      ["首页 > 要闻 > 两会专题"], [f"当前位置:首页 > 政务公开 > {title}"], ["分享到: 微信 微博 QQ空间"],
                      [f"{title}_{region}人民政府门户网站"], [f"{region}人民政府门户网站", "政务公开"]))
    info = rng.choice((f"来源:{region}人民政府网 发布时间:{day.isoformat()} 10:32", f"{day.isoformat()} 09:12:03 来源:{region}日报",
                       f"发布日期:{day.year}年{day.month:02d}月{day.day:02d}日 浏览次数:1357", f"{day.isoformat()} 10:32:01",
                       f"时间:{day.year}年{day.month}月{day.day}日 来源:本网"))
    caption = rng.choice((f"图为{region}{_session(rng)}开幕现场。记者 张某某 摄", "(图片来源:本网)", ""))
    tail = rng.choice((["名词解释", "1.新型工业化:指以数字化转型带动产业升级,目标增长12%。"],
                       ["相关报道", f"{day.year + 1}年{region}政府工作报告解读", f"{region}{day.year - 1}年统计公报发布"],
                       ["责任编辑:李某", "扫一扫在手机打开当前页"], ["附件:", f"{title}.pdf"], []))
    return top, [x for x in (info, caption) if x], tail


def generate(per_genre: int = 40, seed: int = 7) -> list[Case]:
    rng = random.Random(seed)
    cases = []
    for genre, make in GENRES.items():
        for index in range(per_genre):
            region, level = rng.choice(REGIONS)
            year = rng.randrange(2012, 2026)
            title, actual, plan, day, lines = make(rng, region, level, year)
            top, info, tail = _chrome(rng, region, day, title)
            if rng.random() < 0.5:  # a text scrape: the page's lines as they came
                text = "\n".join(top + [title] + info + lines + tail)
                name = f"t{day.strftime('%Y%m%d')}_{rng.randrange(1000, 9999)}.txt"
                cases.append(Case(genre, name, text.encode("utf-8"), title, actual, plan, day))
            else:
                style = list(STYLES)[index % len(STYLES)]
                data, name = cms_page(style, title, "\n".join(info[1:] + lines + tail), day.isoformat())
                cases.append(Case(genre, name, data, title, actual, plan, day))
    return cases


def title_right(got: str | None, expected: str) -> bool:
    """The title, or the title with its delivery line (政府工作报告——2026年1月…在…上)."""
    got = (got or "").replace(" ", "")
    expected = normalize_text(expected).replace(" ", "")
    return got == expected or got.startswith((expected + "——", expected + "("))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-genre", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("-v", "--verbose", action="store_true", help="print every document with a wrong field")
    args = ap.parse_args(argv)
    started = time.process_time()
    fields = ("doc_type", "years", "title", "published_on")
    right: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    counts: dict[str, int] = defaultdict(int)
    for case in generate(args.per_genre, args.seed):
        result = read_document(case.data, case.name)
        md = extract_metadata(result.text, case.name, title_hint=result.title_hint)
        ok = {"doc_type": md.doc_type == case.genre, "years": (md.actual_year, md.plan_year) == (case.actual, case.plan),
              "title": title_right(md.title, case.title), "published_on": md.published_on == case.published}
        ok["all"] = all(ok.values())
        counts[case.genre] += 1
        counts["total"] += 1
        for field, good in ok.items():
            right[case.genre][field] += good
            right["total"][field] += good
        if args.verbose and not ok["all"]:
            print(f"  {case.genre} {case.name}: {[f for f in fields if not ok[f]]} got {md.doc_type} "
                  f"{md.actual_year}/{md.plan_year} {md.title!r} {md.published_on}; want {case.actual}/{case.plan} "
                  f"{case.title!r} {case.published}")
    print(f"{'genre':18} {'n':>4} " + " ".join(f"{f:>12}" for f in fields + ("all",)))
    for genre in list(GENRES) + ["total"]:
        n = counts[genre]
        print(f"{genre:18} {n:4d} " + " ".join(f"{right[genre][f] / n:12.1%}" for f in fields + ("all",)))
    print(f"({time.process_time() - started:.1f}s CPU)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
