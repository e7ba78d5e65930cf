"""Every test runs with its own throw-away ANNUAL_ETL_HOME: none writes into the checkout's home."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_home(tmp_path_factory):
    """Point ANNUAL_ETL_HOME at a temporary folder for the whole session (tests may override it)."""
    before = os.environ.get("ANNUAL_ETL_HOME")
    os.environ["ANNUAL_ETL_HOME"] = str(tmp_path_factory.mktemp("annual_etl_home"))
    yield
    if before is None:
        os.environ.pop("ANNUAL_ETL_HOME", None)
    else:
        os.environ["ANNUAL_ETL_HOME"] = before
