"""The unread-figure scan asks "does this figure overlap a fact?" through a sorted index; it must
answer as the plain every-span test does, for every kind of span (nested, touching, empty)."""

from __future__ import annotations

import random

from pipelines.quality.rules import _overlap_test


def _plain(spans, start, end):
    return any(a < end and start < b for a, b in spans)


def test_overlap_index_answers_as_the_plain_test():
    rng = random.Random(14)
    for _ in range(200):
        spans = []
        for _ in range(rng.randrange(0, 30)):
            a = rng.randrange(0, 120)
            spans.append((a, a + rng.choice((0, 1, 2, 5, 40))))
        overlaps = _overlap_test(spans)
        for start in range(0, 130, 3):
            for length in (0, 1, 4, 9):
                assert overlaps(start, start + length) == _plain(spans, start, start + length), (spans, start, length)


def test_a_long_span_early_still_covers_a_figure_far_after_it():
    overlaps = _overlap_test([(0, 100), (10, 12), (50, 51)])
    assert overlaps(80, 85) and overlaps(99, 120) and not overlaps(100, 120)
    assert not _overlap_test([])(0, 10)
