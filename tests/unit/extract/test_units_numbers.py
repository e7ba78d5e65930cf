"""Units, numbers and comparators on their own."""

import pytest

from pipelines.extract.comparators import comparator_for
from pipelines.extract.numbers import MalformedNumber, parse_chinese, parse_number
from pipelines.extract.units import normalise_unit


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("亿元", ("CNY", 1e8)),
        ("万元", ("CNY", 1e4)),
        ("万亿元", ("CNY", 1e12)),
        ("亿美元", ("USD", 1e8)),
        ("万人次", ("person_time", 1e4)),
        ("亩", ("m2", 666.6667)),
        ("公顷", ("m2", 1e4)),
        ("平方公里", ("m2", 1e6)),
        ("万吨", ("t", 1e4)),
        ("微克/立方米", ("ug/m3", 1)),
        ("架次", ("flight", 1)),
        ("家", ("count", 1)),
        ("株", ("count", 1)),
        ("名", ("person", 1)),
        ("万人", ("person", 1e4)),
        ("%", ("percent", 1)),
        ("个百分点", ("percent", 1)),
    ],
)
def test_normalise_unit(raw, expected):
    unit, mult = normalise_unit(raw)
    assert unit == expected[0]
    assert mult == pytest.approx(expected[1])


def test_unknown_unit():
    assert normalise_unit("小时") is None
    assert normalise_unit("版") is None


@pytest.mark.parametrize(
    "raw,value",
    [("三", 3), ("两", 2), ("十二", 12), ("一千二百", 1200), ("十七点七", 17.7), ("两千", 2000)],
)
def test_chinese_numerals(raw, value):
    assert parse_chinese(raw) == pytest.approx(value)


def test_cn2an_gaps_are_covered():
    # cn2an's smart mode refuses these; the engine reads them itself
    assert parse_number("百分之十七点七") == pytest.approx(17.7)
    assert parse_number("千亿") == pytest.approx(1e11)
    assert parse_number("万亿") == pytest.approx(1e12)
    assert parse_number("百万") == pytest.approx(1e6)


def test_mixed_magnitudes():
    assert parse_number("1万2734亿") == pytest.approx(12734e8)
    assert parse_number("1,234.5") == pytest.approx(1234.5)
    assert parse_number("2.67万亿") == pytest.approx(2.67e12)


def test_malformed_number():
    with pytest.raises(MalformedNumber):
        parse_number("84.4.1")


@pytest.mark.parametrize(
    "before,after,cmp_",
    [
        ("城镇登记失业率控制在", "以内,", "<="),
        ("居民消费价格涨幅控制在", "左右", "~"),  # the closer qualifier wins
        ("旅客吞吐量突破", "、航班", ">"),
        ("生活垃圾回收利用率达到", "以上", ">="),
        ("增长", ",", "="),
        ("城乡居民可支配收入增至", "左右", "~"),
        ("迈上", "台阶", ">="),
        ("跨入", "行列", ">="),
        ("超", "名外籍", ">"),
        ("不少于", "亿元", ">="),
        ("不足", "户", "<"),
    ],
)
def test_comparators(before, after, cmp_):
    assert comparator_for(before, after)[0] == cmp_


@pytest.mark.parametrize(
    "raw,value",
    [("三万九千六百", 39600), ("三千五百", 3500), ("一万二千", 12000), ("两万三千五百", 23500),
     ("九千五百亿", 9.5e11), ("三千万", 3e7), ("五百一十二点三亿", 5.123e10)],
)
def test_chinese_numerals_keep_their_own_hundreds(raw, value):
    """百 / 千 closing a Chinese numeral are its place values, not a magnitude (was 100× too big)."""
    from pipelines.extract.numbers import parse_number

    assert abs(parse_number(raw) - value) <= 1e-6 * value
