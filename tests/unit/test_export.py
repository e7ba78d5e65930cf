"""`annual-etl export`: marts and core tables leave as Parquet or CSV that read back equal."""

from __future__ import annotations

import csv
import json

import duckdb
import pandas as pd
import pytest

from pipelines.cli import main
from pipelines.export import export_warehouse
from tests.unit.test_marts import make_warehouse

MARTS = ("indicator_yoy", "plan_vs_actual", "indicator_revisions", "latest_indicators")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "warehouse.duckdb"
    make_warehouse(path)
    return path


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in one order, every missing value as None (pandas spells NULL three ways by dtype)."""
    frame = frame.sort_values(list(frame.columns), na_position="first", kind="stable").reset_index(drop=True)
    return frame.astype(object).where(frame.notna(), None)


def test_parquet_round_trip_in_duckdb_and_pandas(warehouse, tmp_path):
    before = warehouse.read_bytes()
    out = tmp_path / "export"
    written = export_warehouse(warehouse, out)
    assert warehouse.read_bytes() == before  # read-only: the file is not touched
    names = {p.name for p in written}
    assert {f"marts.{m}.parquet" for m in MARTS} <= names
    assert {"core.indicator_facts.parquet", "core.documents.parquet", "core.indicators.parquet"} <= names
    assert {"data_dictionary.csv", "data_dictionary.md", "manifest.json"} <= names

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for table in [f"marts.{m}" for m in MARTS] + ["core.indicator_facts", "core.documents"]:
            original = con.sql(f"SELECT * FROM {table}").to_arrow_table().to_pandas()  # fixed names, above
            assert len(original) > 0 or table == "marts.indicator_revisions"
            file = out / f"{table}.parquet"
            back_pandas = pd.read_parquet(file)
            pd.testing.assert_frame_equal(_sorted(back_pandas), _sorted(original), check_dtype=False)
            # DuckDB reads it back with the same types and, row for row, the same values
            types = con.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))",
                                [str(file)]).fetchall()
            assert types == con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {table})").fetchall()
            differ = con.execute(
                f"SELECT count(*) FROM ((SELECT * FROM {table} EXCEPT ALL SELECT * FROM read_parquet(?))"
                f" UNION ALL (SELECT * FROM read_parquet(?) EXCEPT ALL SELECT * FROM {table}))",
                [str(file), str(file)]).fetchall()[0][0]
            assert differ == 0, table
    finally:
        con.close()

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    by_table = {t["table"]: t for t in manifest["tables"]}
    assert by_table["marts.plan_vs_actual"]["rows"] == len(pd.read_parquet(out / "marts.plan_vs_actual.parquet"))
    assert all(len(t["sha256"]) == 64 for t in manifest["tables"])
    with (out / "data_dictionary.csv").open(encoding="utf-8") as fh:
        dictionary = list(csv.DictReader(fh))
    described = {(r["table"], r["column"]): r["description"] for r in dictionary}
    assert described[("marts.plan_vs_actual", "attained")]  # every mart column carries its description


def test_csv_export_and_refusals(warehouse, tmp_path, capsys):
    out = tmp_path / "csv"
    assert main(["export", "--format", "csv", "--out", str(out), "--warehouse", str(warehouse)]) == 0
    frame = pd.read_csv(out / "marts.plan_vs_actual.csv")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert len(frame) == con.execute("SELECT count(*) FROM marts.plan_vs_actual").fetchone()[0]
    finally:
        con.close()
    capsys.readouterr()
    assert main(["export", "--out", str(out), "--warehouse", str(warehouse)]) == 2  # not empty: refused
    assert "not an empty folder" in capsys.readouterr().err
    assert main(["export", "--out", str(tmp_path / "x"), "--warehouse", str(tmp_path / "none.duckdb")]) == 2
    assert "no warehouse at" in capsys.readouterr().err and not (tmp_path / "x").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no partial folder left behind
