from datetime import date

import pytest

from pipelines.extract import extract_facts
from pipelines.extract.model import DocumentContext

PLAN_2023 = DocumentContext("plan_report", 2023, 2024, date(2024, 2, 2), "北京市大兴区")


def run(text, ctx=PLAN_2023):
    result = extract_facts(text, ctx)
    for f in result.facts:
        assert text[f.char_start : f.char_end] == f.raw_text
    return result


def coded(text, ctx=PLAN_2023):
    return [f for f in run(text, ctx).facts if f.indicator_code]


def one(text, ctx=PLAN_2023, **match):
    found = [f for f in run(text, ctx).facts if all(getattr(f, k) == v for k, v in match.items())]
    assert len(found) == 1, (match, run(text, ctx).facts)
    return found[0]


@pytest.fixture
def plan_ctx():
    return PLAN_2023
