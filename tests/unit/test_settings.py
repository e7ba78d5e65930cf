"""The home: every place inside it, `--home` beats the shell, and every variable is documented."""

from __future__ import annotations

import re
from pathlib import Path

from pipelines import settings

REPO = Path(__file__).resolve().parents[2]


def test_every_place_is_inside_the_home(tmp_path, monkeypatch):
    for name in settings.PLACE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANNUAL_ETL_HOME", str(tmp_path / "h"))
    places = settings.places()
    assert set(places) >= {"warehouse", "archive", "inbox", "dagster", "reports", "data docs", "logs", "alerts"}
    assert all(path.is_relative_to(tmp_path / "h") for path in places.values()), places


def test_default_home_is_git_ignored_in_the_checkout(monkeypatch):
    monkeypatch.delenv("ANNUAL_ETL_HOME", raising=False)
    assert settings.home() == REPO / ".annual-etl"
    assert ".annual-etl/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_one_variable_moves_one_place_and_use_home_clears_them(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNUAL_ETL_HOME", str(tmp_path / "h"))
    monkeypatch.setenv("ANNUAL_ETL_WAREHOUSE", str(tmp_path / "elsewhere.duckdb"))
    assert settings.warehouse_path() == tmp_path / "elsewhere.duckdb"
    assert settings.archive_dir() == tmp_path / "h" / "archive"
    settings.use_home(tmp_path / "other")
    assert settings.warehouse_path() == tmp_path / "other" / "warehouse" / "annual_reports.duckdb"
    assert settings.dagster_home() == tmp_path / "other" / "dagster"


def test_every_variable_the_code_reads_is_listed_and_in_the_readme():
    listed = {name for name, _meaning, _default in settings.ENVIRONMENT}
    read = set()
    for path in (REPO / "pipelines").rglob("*.py"):
        read |= set(re.findall(r"\"((?:ANNUAL_ETL_[A-Z_]+)|DAGSTER_HOME)\"", path.read_text(encoding="utf-8")))
    read.discard("ANNUAL_ETL_")  # a prefix, not a variable
    assert read <= listed, read - listed
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [name for name in listed | {"INSTALL_SYSTEM_PACKAGES", "CHROMIUM", "ANNUAL_ETL_KEEP_SCREENSHOT"}
               if f"`{name}`" not in readme]
    assert not missing
    for line in ("make run", "make test"):  # the Quick start keeps its two commands
        assert line in readme


def test_a_warehouse_from_before_the_home_is_pointed_at(tmp_path, monkeypatch):
    legacy = tmp_path / "warehouse" / "annual_reports.duckdb"
    monkeypatch.setattr(settings, "LEGACY_WAREHOUSE", legacy)
    wanted = tmp_path / "home" / "warehouse" / "annual_reports.duckdb"
    assert settings.legacy_hint(wanted) == ""  # no old warehouse: nothing to say
    legacy.parent.mkdir()
    legacy.write_bytes(b"")
    hint = settings.legacy_hint(wanted)
    assert f"--warehouse {legacy}" in hint and str(wanted) in hint
    wanted.parent.mkdir(parents=True)
    wanted.write_bytes(b"")
    assert settings.legacy_hint(wanted) == ""  # the home has its own
