"""Fixtures for the quality tests: a real sentence with planted malformed figures."""

from __future__ import annotations

import pytest

from tests.unit.quality.planted import planted_document


@pytest.fixture
def planted():
    return planted_document()
