"""Region resolution: self-names of every kind, the country, and unknown places — never an exception."""

import pytest

from pipelines.regions import NATIONAL, explain_region, resolve_region


@pytest.mark.parametrize("title, expected", [
    ("中华人民共和国2031年国民经济和社会发展统计公报", NATIONAL),
    ("国务院关于2031年国民经济和社会发展计划执行情况的报告", NATIONAL),
    ("國務院政府工作報告", NATIONAL),  # traditional script
    ("2031年全国国民经济运行情况", NATIONAL),
    ("浦东新区2031年政府工作报告", ("上海市浦东新区", "310115")),
    ("神农架林区2031年国民经济和社会发展统计公报", ("湖北省神农架林区", "429021")),
    ("六枝特区政府工作报告", ("贵州省六盘水市六枝特区", "520203")),
    ("锡林郭勒盟2031年统计公报", ("内蒙古自治区锡林郭勒盟", "152500")),
    ("科尔沁右翼前旗政府工作报告", ("内蒙古自治区兴安盟科尔沁右翼前旗", "152221")),
    ("楚雄州2031年政府工作报告", ("云南省楚雄彝族自治州", "532300")),  # an autonomous prefecture by its stem + 州
    ("天祝县2031年统计公报", ("甘肃省武威市天祝藏族自治县", "620623")),
    ("雄安新区2031年工作报告", ("河北省雄安新区", None)),  # a national-level new area without a code
    ("共和县2031年政府工作报告", ("青海省海南藏族自治州共和县", "632521")),
    ("苏州市2031年政府工作报告", ("江苏省苏州市", "320500")),
])
def test_self_names_of_every_kind(title, expected):
    assert resolve_region(title, "") == expected


def test_a_name_inside_the_country_name_is_not_a_region():
    # 共和 (共和县) stands inside 中华人民共和国: the longest name wins
    assert resolve_region("中华人民共和国2031年统计公报", "全县共和谐发展") == NATIONAL


def test_a_news_dateline_is_where_the_story_was_filed_not_whose_figures():
    body = "本报北京3月9日电(记者王某)国家统计局今天发布数据,上半年国内生产总值增长5.1%。"
    assert resolve_region("", body) == NATIONAL


@pytest.mark.parametrize("title, body", [
    ("青溪县2031年国民经济和社会发展统计公报", "全县实现地区生产总值86.4亿元。"),  # a place that does not exist
    ("", ""),
    ("\x00\ufeff\u202e", "\u200b" * 50),
    ("统计公报", "增长" * 5000),
])
def test_unknown_places_give_no_region_with_a_reason(title, body):
    resolution = explain_region(title, body)
    assert resolution.name is None and resolution.code is None
    assert resolution.how.startswith("unknown:")


def test_regions_mention_in_the_title_compares_with_the_country_but_is_local():
    assert resolve_region("大兴区2031年政府工作报告", "增速高于全国平均水平,全区经济稳中有进。") == ("北京市大兴区", "110115")


def test_resolution_never_raises(monkeypatch):
    import pipelines.regions as regions

    def broken(_title, _body):
        raise ValueError("max() arg is an empty sequence")

    monkeypatch.setattr(regions, "_explain", broken)
    resolution = explain_region("某报告", "正文")
    assert resolution.pair() is None and "ValueError" in resolution.how


def test_a_survey_team_signature_is_not_a_national_report():
    body = "全市实现地区生产总值512.3亿元。\n青溪市统计局\n国家统计局青溪调查队\n2031年3月20日"
    assert resolve_region("青溪市2031年国民经济和社会发展统计公报", body) is None
