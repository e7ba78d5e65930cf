"""offsets_match on long texts: the piecewise comparison says exactly what substr on the whole text says.

The facts suite query compares a fact past the first 8,192 characters within a piece of the text
(substr on a whole UTF-8 text per fact is quadratic); these rows sit at every kind of edge of
those pieces, some right and some wrong, and each must get the verdict of the plain definition.
"""

from __future__ import annotations

import duckdb
import pytest

from pipelines.quality.suites import suite_files
from tests.unit.quality.warehouse_fixture import create_schema

# an invented report, mixed ideographs, digits, Latin and full-width marks, well past 8 pieces
CLAUSE = "第{n}项工程完成投资{n}.5亿元,同比增长{m}%;PM2.5浓度{m}微克/立方米。"
TEXT = "".join(CLAUSE.format(n=n, m=n % 97) for n in range(1, 1400))


def _spans() -> list[tuple[int, int, bool]]:
    """(char_start, char_end, True when raw_text is the text there) for rows at the pieces' edges."""
    spans = []
    for boundary in (0, 4096, 8192, 12288, 16384, 20480, len(TEXT) - 4100):
        for start in (boundary - 3, boundary - 1, boundary, boundary + 1, boundary + 4090, boundary + 4095):
            for length in (1, 7, 12):
                if start >= 0:
                    spans.append((start, start + length, True))
                    spans.append((start, start + length, False))
    long_start = 8192 + 4000  # its piece ends at 16,384
    spans.append((long_start, long_start + 5000, True))  # longer than the rest of its piece
    spans.append((len(TEXT) - 5, len(TEXT) + 3, True))  # runs past the end of the text
    spans.append((len(TEXT) + 10, len(TEXT) + 12, True))  # wholly past it
    spans.append((-4, 3, True))  # negative start
    spans.append((9100, 9090, True))  # end before start
    return spans


@pytest.fixture
def con():
    con = duckdb.connect()
    create_schema(con)
    con.execute("INSERT INTO core.document_texts VALUES ('long', ?), ('short', '增长5.2%')", [TEXT])
    rows = []
    for i, (a, b, right) in enumerate(_spans()):
        raw = TEXT[max(a, 0):max(b, 0)] if right else "错" + TEXT[max(a, 0) + 1:max(b, 0)]
        rows.append((f"f{i}", "long", raw, a, b))
    rows.append(("s1", "short", "5.2%", 2, 6))
    rows.append(("s2", "no_text", "5.2%", 2, 6))
    con.executemany("INSERT INTO core.indicator_facts (fact_id, document_id, indicator_label, period, basis, "
                    "measure, value, unit, comparator, raw_text, char_start, char_end) "
                    "VALUES (?, ?, 'x', 'FY', 'actual', 'value', 1, 'CNY', '=', ?, ?, ?)", rows)
    yield con
    con.close()


def test_piecewise_offsets_match_the_plain_definition(con):
    query = suite_files()["core.indicator_facts"].query
    got = dict(con.execute(f"SELECT fact_id, offsets_match FROM ({query})").fetchall())
    plain = dict(con.execute(
        "SELECT f.fact_id, substr(t.text, f.char_start + 1, f.char_end - f.char_start) = f.raw_text "
        "FROM core.indicator_facts f LEFT JOIN core.document_texts t USING (document_id)").fetchall())
    assert got == plain
    # and the plain definition is what Python's slicing says, where the offsets are sane
    for i, (a, b, right) in enumerate(_spans()):
        if 0 <= a <= b <= len(TEXT):
            assert got[f"f{i}"] is right, (a, b, right)
    assert got["s1"] is True and got["s2"] is None
    verdicts = [got[f"f{i}"] for i in range(len(_spans()))]
    assert verdicts.count(True) > 50 and verdicts.count(False) > 50
