"""A big PDF read by two processes gives exactly what one process gives, and failures change nothing.

The sentences are invented for this test.
"""

from __future__ import annotations

import os

import pytest

from pipelines.readers import forked
from pipelines.readers import pdf as pdf_reader
from tests import pdf_factory as pf

SENTENCES = [
    "全镇粮食播种面积稳定在3.2万亩,蔬菜产量同比增长6.4%。",
    "新建改造农村公路18.5公里,完成投资2.7亿元,超额完成年度任务。",
    "城乡居民人均可支配收入达到41820元,同比增长5.9%。",
    "全年接待游客136万人次,实现旅游综合收入9.8亿元。",
]
TABLE = pf.Table(rows=[["项目", "单位", "完成", "增长%"], ["蔬菜产量", "万吨", "12.6", "6.4"],
                       ["旅游收入", "亿元", "9.8", "11.2"]], col_widths=[150, 90, 90, 100])


def _big_pdf(pages: int) -> bytes:
    pdf = pf.ReportCanvas(header="某县国民经济和社会发展统计公报")
    n = 0
    while pdf.page <= pages:
        pdf.heading(f"{n % 9 + 1}、第{n + 1}部分")
        for s in SENTENCES:
            pdf.paragraph(s)
        if n % 7 == 3:
            pdf.table(TABLE)
        n += 1
    return pdf.save()


@pytest.fixture
def idle(monkeypatch):
    """As if the machine had a free core (the test machine may be busy)."""
    monkeypatch.setattr(forked, "idle_core", lambda: True)


@pytest.fixture
def forks(monkeypatch):
    count = []
    real = os.fork

    def counting_fork():
        count.append(1)
        return real()

    monkeypatch.setattr(forked.os, "fork", counting_fork)
    return count


def test_two_processes_read_a_big_pdf_exactly_as_one(idle, forks, monkeypatch):
    data = _big_pdf(12)
    monkeypatch.setattr(pdf_reader, "PARALLEL_MIN_PAGES", 10 ** 6)
    alone = pdf_reader.read_pdf(data)
    assert not forks
    monkeypatch.setattr(pdf_reader, "PARALLEL_MIN_PAGES", 4)
    shared = pdf_reader.read_pdf(data)
    assert forks == [1]
    assert alone.page_count >= 12 and len(alone.tables) >= 2
    assert shared.text == alone.text and shared.page_spans == alone.page_spans
    assert shared.tables == alone.tables and shared.title_hint == alone.title_hint
    # pages of the second half are where they belong
    last = shared.page_spans[-1]
    assert SENTENCES[0] in shared.text[last[1]:last[2]] or SENTENCES[-1] in shared.text[last[1]:last[2]]


def test_the_child_really_does_the_second_half(idle):
    parent = os.getpid()
    done = forked.in_two_processes(lambda xs: [(x * x, os.getpid()) for x in xs], list(range(10)), min_items=2)
    assert [v for v, _ in done] == [x * x for x in range(10)]
    assert {pid for _, pid in done[:5]} == {parent} and parent not in {pid for _, pid in done[5:]}


def test_a_failing_child_costs_nothing_but_time(idle):
    parent = os.getpid()

    def work(xs):
        if os.getpid() != parent:
            raise MemoryError("the child gives up")
        return [x + 1 for x in xs]

    assert forked.in_two_processes(work, list(range(8)), min_items=2) == list(range(1, 9))


def test_an_error_of_the_work_surfaces_as_without_a_child(idle):
    def work(xs):
        if 1 in xs:
            raise ValueError("bad item")
        return xs

    with pytest.raises(ValueError, match="bad item"):
        forked.in_two_processes(work, list(range(8)), min_items=2)


def test_small_jobs_and_busy_machines_stay_in_one_process(forks, monkeypatch):
    monkeypatch.setattr(forked, "idle_core", lambda: True)
    assert forked.in_two_processes(lambda xs: xs, [1, 2, 3], min_items=4) == [1, 2, 3]
    assert not forks
    monkeypatch.setattr(forked, "idle_core", lambda: False)
    assert forked.in_two_processes(lambda xs: xs, list(range(10)), min_items=2) == list(range(10))
    assert not forks


def test_idle_core_follows_the_load(monkeypatch):
    monkeypatch.setattr(forked, "usable_cores", lambda: 2)
    monkeypatch.setattr(forked.os, "getloadavg", lambda: (0.9, 0.5, 0.5))
    assert forked.idle_core()
    monkeypatch.setattr(forked.os, "getloadavg", lambda: (7.5, 6.0, 5.0))
    assert not forked.idle_core()
    monkeypatch.setattr(forked, "usable_cores", lambda: 1)
    monkeypatch.setattr(forked.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert not forked.idle_core()
