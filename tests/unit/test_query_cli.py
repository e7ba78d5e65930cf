"""`annual-etl query`: read-only SQL, three formats, and no file access from SQL."""

import json

import duckdb

from pipelines.cli import main
from pipelines.warehouse import ensure_schema


def _warehouse(tmp_path):
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    ensure_schema(con)
    con.close()
    return path


def test_formats(tmp_path, capsys):
    path = str(_warehouse(tmp_path))
    assert main(["query", "SELECT code, base_unit FROM core.indicators WHERE code = 'pm25'", "--warehouse", path,
                 "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"code": "pm25", "base_unit": "ug/m3"}]
    assert main(["query", "SELECT code FROM core.indicators WHERE code = 'gdp'", "--warehouse", path,
                 "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["code", "gdp"]


def test_writes_and_file_access_are_refused_with_a_sentence(tmp_path, capsys):
    path = str(_warehouse(tmp_path))
    assert main(["query", "DELETE FROM core.indicators", "--warehouse", path]) == 2
    assert "read-only" in capsys.readouterr().err
    target = tmp_path / "leak.csv"
    assert main(["query", f"COPY (SELECT * FROM core.indicators) TO '{target}'", "--warehouse", path]) == 2
    assert "file system operations are disabled" in capsys.readouterr().err and not target.exists()


def test_missing_warehouse_is_a_sentence_not_a_traceback(tmp_path, capsys):
    assert main(["query", "SELECT 1", "--warehouse", str(tmp_path / "none.duckdb")]) == 2
    assert "no warehouse at" in capsys.readouterr().err
