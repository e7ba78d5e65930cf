"""Document metadata from the opening lines of real reports."""

from datetime import date

import pytest

from pipelines.metadata import classify, extract_metadata, find_title, url_date
from pipelines.readers import read_document
from pipelines.regions import resolve_region
from tests import pdf_factory as pf

DX_2023 = """北京市大兴区2023年国民经济和社会发展计划执行情况与2024年国民经济和社会发展计划的报告

来源:区发改委 日期:2024-02-02 15:52

一、2023年国民经济和社会发展计划执行情况

2023年是全面贯彻落实党的二十大精神开局之年,是实施“十四五”规划承上启下的关键之年。"""

YQ_GWR = """政府工作报告
——2022年12月21日在北京市延庆区第三届人民代表大会第三次会议上
北京市延庆区人民政府区长 叶大华
各位代表:
现在,我代表北京市延庆区人民政府,向大会报告工作,请予审议,并请政协委员提出意见。"""

TH_GWR = """政 府 工 作 报 告
——2025年3月7日在广州市天河区第十届
人民代表大会第五次会议上
广州市天河区人民政府区长 陈建荣
各位代表:
一、2024年工作回顾"""

DX_H1 = """关于大兴区2022年国民经济和社会发展计划上半年执行情况的报告

来源:区发改委 日期:2022-08-29 15:11

一、上半年计划执行情况

今年以来,全区坚持以习近平新时代中国特色社会主义思想为指导。"""

BULLETIN = """龙沙区2024年国民经济和社会发展统计公报
龙沙区统计局
2024年是75周年,也是实现“十四五”规划目标任务的关键一年。龙沙区坚持以习近平新时代中国特色社会主义思想为指导。"""

DX_2021_EXCERPT = """二、2022年经济社会发展计划初步安排
(一)总体思路
2022年是新一届政府任期的第一年,是北京冬奥会、冬残奥会举办之年。为此,2022年全区经济社会发展的总体思路是:
全区上下要在大兴机场临空经济区建设中走在前列,区委区政府将统筹推进。"""


def test_plan_report_title_date_agency_and_years():
    meta = extract_metadata(DX_2023)
    assert meta.title.startswith("北京市大兴区2023年国民经济和社会发展计划执行情况")
    assert (meta.region, meta.region_code) == ("北京市大兴区", "110115")
    assert meta.doc_type == "plan_report"
    assert (meta.actual_year, meta.plan_year) == (2023, 2024)
    assert meta.published_on == date(2024, 2, 2)
    assert meta.source_agency == "区发改委"


def test_government_work_report_delivered_in_december_reviews_that_year():
    meta = extract_metadata(YQ_GWR)
    assert meta.doc_type == "gov_work_report"
    assert (meta.region, meta.region_code) == ("北京市延庆区", "110119")
    assert (meta.actual_year, meta.plan_year) == (2022, 2023)
    assert meta.published_on == date(2022, 12, 21)


def test_spaced_title_and_a_district_of_a_provincial_city():
    meta = extract_metadata(TH_GWR)
    assert meta.doc_type == "gov_work_report"
    assert (meta.region, meta.region_code) == ("广东省广州市天河区", "440106")
    assert (meta.actual_year, meta.plan_year) == (2024, 2025)


def test_half_year_report():
    meta = extract_metadata(DX_H1)
    assert meta.doc_type == "half_year_report"
    assert (meta.region, meta.actual_year, meta.plan_year) == ("北京市大兴区", 2022, None)


def test_statistical_bulletin_of_a_district_outside_beijing():
    meta = extract_metadata(BULLETIN)
    assert meta.doc_type == "stats_bulletin"
    assert (meta.region, meta.region_code) == ("黑龙江省齐齐哈尔市龙沙区", "230202")
    assert meta.actual_year == 2024 and meta.source_agency == "龙沙区统计局"


def test_excerpt_without_title_reads_region_from_self_references_and_years_from_headings():
    meta = extract_metadata(DX_2021_EXCERPT, "dx-2021-plan.txt")
    assert (meta.region, meta.region_code) == ("北京市大兴区", "110115")
    assert meta.doc_type == "plan_report"
    assert (meta.actual_year, meta.plan_year) == (2021, 2022)


@pytest.mark.parametrize("title, expected", [
    ("杭州市2023年国民经济和社会发展统计公报", ("浙江省杭州市", "330100")),
    ("貴港市政府工作報告(2018年1月10日在貴港市第五屆人民代表大會第三次會議上)", ("广西壮族自治区贵港市", "450800")),
    ("河北省2008年上半年国民经济运行情况", ("河北省", "130000")),
    ("國務院總理李強:今年發展主要預期目標", ("中华人民共和国", "100000")),
])
def test_region_full_name_and_code_from_short_or_traditional_titles(title, expected):
    assert resolve_region(title, "") == expected


def test_county_short_form_needs_its_parent_named():
    # 宏伟 is 辽阳市宏伟区 only next to 辽阳; in a Fujian plan it is the adjective "grand"
    assert resolve_region("", "福建省全省上下锚定宏伟目标,全省经济持续向好。") == ("福建省", "350000")


GD_NEWS = """13.57万亿!全国首个
1月23日上午,广东省十四届人大二次会议在广州开幕。省长王伟中向大会作政府工作报告。
报告指出:
●2023年广东地区生产总值达到13.57万亿元、增长4.8%,是全国首个突破13万亿元的省份;
●广州经济总量突破3万亿元;
●地方一般公共预算收入达1.39万亿元、增长4.3%;"""


def test_where_a_meeting_was_held_does_not_outrank_whose_report_it_is():
    meta = extract_metadata(GD_NEWS)
    assert meta.title != "报告指出:"
    assert (meta.region, meta.region_code) == ("广东省", "440000")


# --- as portals publish them (invented titles and openings, in the style of portal scrapes) ---

PORTAL_GWR = """下载 打印 全屏 收藏
首页 > 政府信息公开 > 政府工作报告
2026年政府工作报告
——2026年1月20日在青川省第十四届人民代表大会第五次会议上
青川省省长 张某某
各位代表:
现在,我代表省人民政府,向大会报告工作,请予审议,并请省政协委员提出意见。
一、2025年工作回顾
过去一年,全省地区生产总值增长5.3%,一般公共预算收入增长4.1%。
图为大会开幕现场。记者 李某某 摄
二、2026年工作安排
名词解释
1.新质生产力:指创新起主导作用的先进生产力质态。"""

CITY_BULLETIN = """本网站支持IPv6 字体:【大 中 小】
云溪市2024年国民经济和社会发展统计公报
云溪市统计局
2025年3月28日
2024年,全市上下坚持稳中求进,经济运行总体平稳。初步核算,全年地区生产总值1234.5亿元。"""

UNTITLED_BULLETIN = """云溪市统计局
国家统计局云溪调查队
2025年3月28日
2024年,全市经济运行稳中有进。初步核算,全年地区生产总值1234.5亿元,比上年增长5.1%。"""


def test_portal_work_report_title_type_years_and_date_past_reader_lines_and_breadcrumb():
    meta = extract_metadata(PORTAL_GWR)
    assert meta.title == "2026年政府工作报告"
    assert meta.doc_type == "gov_work_report"
    assert (meta.actual_year, meta.plan_year) == (2025, 2026)
    assert meta.published_on == date(2026, 1, 20)


def test_bulletin_dateline_is_the_publication_date_not_the_year_reported():
    meta = extract_metadata(CITY_BULLETIN)
    assert meta.title == "云溪市2024年国民经济和社会发展统计公报"
    assert (meta.doc_type, meta.actual_year, meta.plan_year) == ("stats_bulletin", 2024, None)
    assert meta.published_on == date(2025, 3, 28)


def test_untitled_bulletin_is_known_by_its_signature_and_its_year_is_not_the_dateline():
    meta = extract_metadata(UNTITLED_BULLETIN)
    assert (meta.doc_type, meta.actual_year) == ("stats_bulletin", 2024)
    assert meta.published_on == date(2025, 3, 28)


@pytest.mark.parametrize("title, doc_type", [
    ("临江县2026年政府工作报告", "gov_work_report"),
    ("关于临江县2025年国民经济和社会发展计划执行情况与2026年计划草案的报告", "plan_report"),
    ("临江县2025年上半年国民经济运行情况", "half_year_report"),
    ("临江县2025年国民经济和社会发展统计公报", "stats_bulletin"),
    ("一图读懂临江县2026年政府工作报告", "other"),
    ("临江县人代会开幕 县长作《政府工作报告》", "other"),
])
def test_doc_type_from_title_cues(title, doc_type):
    assert classify(title, "") == doc_type


def test_work_report_titled_with_its_plan_year_reviews_the_year_before():
    meta = extract_metadata("临江县2026年政府工作报告\n各位代表:\n现在,我代表县人民政府向大会报告工作。")
    assert (meta.doc_type, meta.actual_year, meta.plan_year) == ("gov_work_report", 2025, 2026)


def test_plan_report_without_title_known_by_whose_behalf_it_is_delivered():
    text = ("各位代表:\n受县人民政府委托,现将临江县2025年国民经济和社会发展计划执行情况"
            "与2026年计划草案提请审议。\n一、2025年计划执行情况")
    meta = extract_metadata(text)
    assert (meta.doc_type, meta.actual_year, meta.plan_year) == ("plan_report", 2025, 2026)


NEWS_OF_A_WORK_REPORT = {
    "congress opens, dated by the manifest": (
        "1月14日上午,临江县第十八届人民代表大会第五次会议开幕。县长代表县人民政府作政府工作报告。\n"
        "报告提出,今年全县地区生产总值预期增长6%左右。", date(2026, 1, 15)),
    "a digest titled with the year, out after it": (
        "临江县2025年政府工作报告数据一览\n2025年,全县地区生产总值增长5.6%。", date(2026, 1, 13)),
    "quoting a half-year figure does not make it a half-year report": (
        "在20日开幕的青川省十四届人大五次会议上,省长介绍,刚刚过去的一年全省生产总值增长5.3%。\n"
        "回看全年,一季度、上半年、前三季度GDP分别增长5.0%、5.2%、5.3%。", date(2026, 1, 21)),
}


@pytest.mark.parametrize("case", sorted(NEWS_OF_A_WORK_REPORT))
def test_news_of_a_work_report_takes_the_years_of_the_report(case):
    text, published = NEWS_OF_A_WORK_REPORT[case]
    meta = extract_metadata(text, published_hint=published)
    assert meta.doc_type == "other"
    assert (meta.actual_year, meta.plan_year) == (2025, 2026)
    assert meta.published_on == published


def test_source_url_date_is_the_last_resort_for_publication():
    text = "临江县2025年国民经济和社会发展统计公报\n2025年,全县经济平稳。"
    meta = extract_metadata(text, source_url="http://www.example.gov.cn/tjgb/2026-03/18/content_1.htm")
    assert meta.published_on == date(2026, 3, 18)
    assert extract_metadata(text, published_hint=date(2026, 4, 1),
                            source_url="http://x.cn/2026-03/18/a.htm").published_on == date(2026, 4, 1)
    assert url_date("http://x.gov.cn/art/202604/t20260430_77.html") == date(2026, 4, 1)
    assert url_date("http://x.gov.cn/content/post_10189397.html") is None


def test_breadcrumb_title_hint_is_never_the_title():
    assert find_title("全县经济平稳运行。", "首页 > 政务公开 > 规划计划") is None
    assert find_title("全县经济平稳运行。", "临江县2026年政府工作报告_临江县人民政府网") == "临江县2026年政府工作报告"


def test_a_sentence_mentioning_a_report_is_not_a_title():
    text = "报告指出,为实现今年目标,一要稳增长,二要促改革,三要惠民生\n全县经济平稳。"
    assert find_title(text) is None


def test_portal_html_page_gives_the_same_metadata_as_its_clean_text():
    body = PORTAL_GWR.split("\n", 2)[2]  # the text below the reader line and breadcrumb
    page = pf.chrome_page(body, "2026年政府工作报告", portal=True)
    result = read_document(page.encode("utf-8"), "gwr.html")
    meta = extract_metadata(result.text, "gwr.html", title_hint=result.title_hint)
    assert (meta.title, meta.doc_type, meta.actual_year, meta.plan_year) == (
        "2026年政府工作报告", "gov_work_report", 2025, 2026)
    assert meta.published_on == date(2026, 1, 20)


BODY_2026 = """各位代表:
现在,我代表省人民政府,向大会报告工作,请予审议,并请省政协委员和其他列席人员提出意见。
一、2025年工作回顾
过去一年,全省地区生产总值增长5.3%,一般公共预算收入增长4.1%。
图为大会开幕现场。(记者 王某某 摄)
二、2026年经济社会发展总体要求和主要预期目标
全省地区生产总值增长5%左右。
相关报道
青川省两会特别报道"""

PORTAL_SCRAPES = {
    "reader lines then a delivered-on line": (
        "下载\n打印\n全屏\n收藏\n政府工作报告\n——2026年1月20日在青川省第十四届人民代表大会第五次会议上\n青川省省长 张某某\n"
        + BODY_2026, "政府工作报告——2026年1月20日在青川省第十四届人民代表大会第五次会议上"),
    "breadcrumb, headline, info line with a newspaper source": (
        "首页 > 要闻动态 > 正文\n2026年青川省政府工作报告\n2026-01-28 10:00 来源:青川日报 字号:大 中 小\n" + BODY_2026,
        "2026年青川省政府工作报告"),
    "portal banner and IPv6 badge above a spaced title": (
        "青川省人民政府门户网站\n本网站支持IPv6\n政 府 工 作 报 告\n——2026年1月20日在青川省第十四届人民代表大会第五次会议上\n"
        + BODY_2026, "政府工作报告——2026年1月20日在青川省第十四届人民代表大会第五次会议上"),
    "no title in the text: the page's <title>": (
        "打印本页 关闭窗口\n" + BODY_2026, "青川省2026年政府工作报告"),
}


@pytest.mark.parametrize("case", sorted(PORTAL_SCRAPES))
def test_portal_scrapes_of_provincial_work_reports(case):
    text, title = PORTAL_SCRAPES[case]
    meta = extract_metadata(text, "gwr.txt", title_hint="青川省2026年政府工作报告_青川省人民政府门户网站")
    assert meta.title == title
    assert meta.doc_type == "gov_work_report"
    assert (meta.actual_year, meta.plan_year) == (2025, 2026)
    page = pf.chrome_page(text, "青川省2026年政府工作报告", portal=True)
    result = read_document(page.encode("utf-8"), "gwr.html")
    meta = extract_metadata(result.text, "gwr.html", title_hint=result.title_hint)
    assert (meta.doc_type, meta.actual_year, meta.plan_year) == ("gov_work_report", 2025, 2026)
    assert "相关报道" not in result.text and "记者 王某某 摄" not in result.text


def test_undated_news_of_a_work_report_reviews_the_first_year_it_names():
    text = ("临江县第十八届人民代表大会第五次会议于1月12日开幕。县长代表县人民政府向大会报告工作。\n"
            "据介绍,2025年临江县实现地区生产总值356.2亿元,增长5.6%。")
    meta = extract_metadata(text)
    assert meta.doc_type == "other"
    assert (meta.actual_year, meta.plan_year) == (2025, 2026)


def test_a_plan_title_naming_two_years_executes_the_first_and_plans_the_second():
    text = "青禾县2024年国民经济和社会发展计划执行情况和2025年计划草案的报告\n各位代表:\n全县地区生产总值增长5.1%。"
    meta = extract_metadata(text, "x.txt")
    assert (meta.doc_type, meta.actual_year, meta.plan_year) == ("plan_report", 2024, 2025)


def test_a_scraped_page_title_line_loses_the_site_name_and_a_time_stamp_dates_it():
    text = ("青禾县2025年上半年经济运行情况_青禾县人民政府门户网站\n2025-07-21 09:12:03 来源:青禾日报\n"
            "上半年,全县地区生产总值176.2亿元,同比增长5.1%。")
    meta = extract_metadata(text, "t20250721_1234.txt")
    assert meta.title == "青禾县2025年上半年经济运行情况"
    assert (meta.doc_type, meta.actual_year, meta.published_on) == ("half_year_report", 2025, date(2025, 7, 21))


def test_a_genre_cue_headline_is_a_title_but_a_headline_stating_a_figure_is_news():
    assert find_title("2025年上半年全县经济运行稳中向好\n上半年,全县地区生产总值增长5.1%。") == \
        "2025年上半年全县经济运行稳中向好"
    news = extract_metadata("2025年上半年全县地区生产总值增长5.1%\n记者从县统计局获悉。", "n.txt")
    assert (news.title, news.doc_type) == ("2025年上半年全县地区生产总值增长5.1%", "other")


def test_invented_portal_documents_of_every_genre_keep_their_metadata():
    from benchmarks.portal_metadata import generate, title_right

    cases = generate(per_genre=12, seed=2024)  # another draw than the benchmark's
    right = 0
    for case in cases:
        result = read_document(case.data, case.name)
        meta = extract_metadata(result.text, case.name, title_hint=result.title_hint)
        right += (meta.doc_type, meta.actual_year, meta.plan_year, meta.published_on) == \
            (case.genre, case.actual, case.plan, case.published) and title_right(meta.title, case.title)
    assert right >= 0.95 * len(cases)


def test_a_news_headline_is_the_title_and_a_related_list_is_not_read():
    text = ("青禾县人民政府门户网站\n政务公开\n青禾县第十八届人民代表大会第三次会议开幕\n2026-01-20 10:32:01\n"
            "1月20日上午,青禾县第十八届人民代表大会第三次会议开幕。县长代表县人民政府向大会作政府工作报告。\n"
            "相关报道\n2027年青禾县政府工作报告解读")
    meta = extract_metadata(text, "t20260120_1234.txt")
    assert (meta.title, meta.doc_type, meta.actual_year, meta.plan_year) == (
        "青禾县第十八届人民代表大会第三次会议开幕", "other", 2025, 2026)


def test_an_excerpt_opening_mid_report_has_no_headline_for_a_title():
    for opening in ("一、过去五年工作回顾", "国家统计局青禾调查队", "青禾县人民政府县长王某某", "人民代表大会第三次会议上"):
        assert find_title(opening + "\n过去一年,全县地区生产总值增长5.5%。") is None, opening
