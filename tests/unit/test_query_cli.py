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


# ---------------------------------------------------------------- output for people

import pytest  # noqa: E402

from pipelines import display  # noqa: E402
from tests.unit.test_marts import DX_CODE, make_warehouse  # noqa: E402


@pytest.fixture(scope="module")
def marts_wh(tmp_path_factory):
    path = tmp_path_factory.mktemp("query") / "warehouse.duckdb"
    make_warehouse(path)
    return str(path)


def test_money_is_shown_in_yi_or_wan_with_the_unit_said(capsys, tmp_path):
    path = str(_warehouse(tmp_path))
    sql = ("SELECT * FROM (VALUES ('gdp', 92230000000.0, 80000000000.0, 'CNY'), ('fund', 35000000.0, NULL, 'CNY'),"
           " ('growth', 5.2, 4.5, 'percent'), ('fdi', 123000000.0, NULL, 'USD')) AS t(code, value, prev_value, unit)")
    assert main(["query", sql, "--warehouse", path]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line.split() for line in out.splitlines()[2:6]}
    assert lines["gdp"] == ["gdp", "922.3", "800", "亿元"]
    assert lines["fund"] == ["fund", "3500", "万元"]  # small amounts in 万元, not 0.35亿元
    assert lines["growth"] == ["growth", "5.2", "4.5", "%"]
    assert lines["fdi"] == ["fdi", "1.23", "亿美元"]
    assert "亿元 = 1e8 yuan" in out and "(4 rows)" in out
    # machines get base units
    assert main(["query", sql, "--warehouse", path, "--format", "csv"]) == 0
    assert "gdp,92230000000.0,80000000000.0,CNY" in capsys.readouterr().out


def test_wide_results_fit_the_terminal(marts_wh, capsys, monkeypatch):
    for width in (80, 120):
        monkeypatch.setenv("COLUMNS", str(width))
        assert main(["query", "SELECT * FROM marts.plan_vs_actual", "--warehouse", marts_wh]) == 0
        out = capsys.readouterr().out
        assert max(display.text_width(line) for line in out.splitlines()[:-1]) <= width
        assert "北京市大兴区" in out  # values readable, not cut to nothing
        monkeypatch.setenv("COLUMNS", str(width))
        assert main(["query", "SELECT region, indicator_code, year, measure, target_value, actual_value, unit,"
                     " attained FROM marts.plan_vs_actual", "--warehouse", marts_wh]) == 0
        out = capsys.readouterr().out
        assert max(display.text_width(line) for line in out.splitlines()[:-1]) <= width
        assert "─" in out.splitlines()[1] or "─" in out.splitlines()[2]  # a table, not records


def test_table_layout_functions():
    assert display.text_width("大兴ab") == 6
    assert display.truncate("北京市大兴区", 7) == "北京市…" and display.text_width(display.truncate("北京市大兴区", 7)) <= 7
    assert display.wrap_header("target_value", 7) == ["target_", "value"]
    assert display.format_number(110.0) == "110" and display.format_number(-0.001) == "0"
    assert display.money_scale([9999.0]) == (1.0, 2) and display.money_scale([1e8]) == (1e8, 0)
    table = display.render_table(["a", "b"], [["1", "x" * 100]], 40, [True, False])
    assert max(display.text_width(line) for line in table.splitlines()) <= 40 and "…" in table
    records = display.render_table([f"column_{i}" for i in range(30)], [[str(i) for i in range(30)]], 60)
    assert records.startswith("── row 1") and "column_29" in records


def test_csv_bom_for_excel(tmp_path, capsysbinary):
    path = str(_warehouse(tmp_path))
    assert main(["query", "SELECT name_zh FROM core.indicators WHERE code = 'gdp'", "--warehouse", path,
                 "--format", "csv", "--bom"]) == 0
    raw = capsysbinary.readouterr().out
    assert raw.startswith("\ufeff".encode()) and raw.decode("utf-8-sig") == "name_zh\r\n地区生产总值\r\n"


def test_missing_sql_file_is_one_line_and_exit_2(tmp_path, capsys):
    path = str(_warehouse(tmp_path))
    assert main(["query", "--file", str(tmp_path / "none.sql"), "--warehouse", path]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"annual-etl query: no such SQL file: {tmp_path / 'none.sql'}" and "Traceback" not in err


def test_every_statement_of_a_file_is_printed(tmp_path, capsys):
    path = str(_warehouse(tmp_path))
    sql = tmp_path / "two.sql"
    sql.write_text("-- two results\nSELECT 'first' AS a;\nSELECT code FROM core.indicators WHERE code = 'gdp';\n",
                   encoding="utf-8")
    assert main(["query", "--file", str(sql), "--warehouse", path]) == 0
    out = capsys.readouterr().out
    assert "first" in out and "gdp" in out and out.count("(1 row)") == 2
    assert main(["query", "--file", str(sql), "--warehouse", path, "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"first"' in out and '"gdp"' in out


def test_bad_sql_names_the_statement(tmp_path, capsys):
    path = str(_warehouse(tmp_path))
    assert main(["query", "SELECT 1 AS ok; SELECT * FROM nowhere", "--warehouse", path]) == 2
    captured = capsys.readouterr()
    assert "(statement 2 of 2)" in captured.err and "nowhere" in captured.err and "ok" in captured.out


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("annual-etl ") and "extractor " in out


def test_report_list_and_short_region_names(marts_wh, tmp_path, capsys):
    assert main(["report", "--list", "--warehouse", marts_wh]) == 0
    listed = capsys.readouterr().out
    assert f"{DX_CODE}   北京市大兴区" in listed
    assert main(["report", "--region", "大兴", "--out", str(tmp_path / "r"), "--warehouse", marts_wh]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "r" / f"{DX_CODE}.html")
    assert main(["report", "--region", "大兴区", "--lang", "en", "--out", str(tmp_path / "r"), "--warehouse", marts_wh]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "r" / f"{DX_CODE}.en.html")
    assert main(["report", "--region", "北京", "--out", str(tmp_path / "r"), "--warehouse", marts_wh]) == 2
    assert "matches 2 regions" in capsys.readouterr().err
    assert main(["report", "--region", "海淀", "--out", str(tmp_path / "r"), "--warehouse", marts_wh]) == 1
    assert "--list" in capsys.readouterr().err


def test_home_flag_moves_every_place(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ANNUAL_ETL_WAREHOUSE", "/somewhere/else.duckdb")
    monkeypatch.setenv("DAGSTER_HOME", "/somewhere/dagster")
    assert main(["home", "--home", str(tmp_path / "h")]) == 0
    out = capsys.readouterr().out
    places = dict(line.split(None, 1) if not line.startswith("data docs") else ("data docs", line[10:].strip())
                  for line in out.splitlines())
    assert all(value.strip().startswith(str(tmp_path / "h")) for value in places.values()), out


def test_syntax_errors_are_one_line(tmp_path, capsys):
    path = str(_warehouse(tmp_path))
    assert main(["query", "selec 1", "--warehouse", path]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "syntax error" in err


def test_alerts_lists_the_newest_first_from_the_warehouse_or_the_log(tmp_path, capsys, monkeypatch):
    from dataclasses import replace
    from datetime import datetime

    from pipelines.quality.alerts import dispatch, make_alert

    monkeypatch.delenv("ANNUAL_ETL_ALERT_WEBHOOK", raising=False)
    monkeypatch.setenv("ANNUAL_ETL_ALERT_LOG", str(tmp_path / "alerts.jsonl"))
    path = _warehouse(tmp_path)
    older = make_alert(severity="error", check_name="core_contract", message="older error", key=("a",))
    newer = make_alert(severity="warn", check_name="cross_document:conflict", message="newer warning", key=("b",))
    con = duckdb.connect(str(path))
    try:
        dispatch(con, [replace(older, created_at=datetime(2026, 1, 1)), replace(newer, created_at=datetime(2026, 1, 2))])
    finally:
        con.close()
    assert main(["alerts", "--warehouse", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.out.index("newer warning") < captured.out.index("older error")
    assert "WARN" in captured.out and "2 alerts from quality.alerts" in captured.err
    assert str(tmp_path / "alerts.jsonl") in captured.err and "ANNUAL_ETL_ALERT_WEBHOOK" in captured.err
    assert main(["alerts", "--warehouse", str(path), "--severity", "error", "--format", "json"]) == 0
    assert [a["message"] for a in json.loads(capsys.readouterr().out)] == ["older error"]
    # without a warehouse the alert log is read
    assert main(["alerts", "--warehouse", str(tmp_path / "none.duckdb"), "--limit", "1"]) == 0
    captured = capsys.readouterr()
    assert "newer warning" in captured.out and "older error" not in captured.out
    assert "1 alert from" in captured.err
