"""The GX suites in expectations/: each expectation passes on good rows and fails on a bad one."""

from __future__ import annotations

import csv
import dataclasses

import duckdb
import pandas as pd
import pytest

from pipelines.quality import rules, suites
from pipelines.quality.rules import screen
from tests.unit.quality.warehouse_fixture import create_schema, load_planted


@pytest.fixture(scope="module")
def gx_context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    return ctx


def _suite(table: str, only: str | None = None) -> suites.SuiteFile:
    suite_file = suites.suite_files()[table]
    if only:
        suite_file = dataclasses.replace(
            suite_file, expectations=tuple(e for e in suite_file.expectations if e["meta"]["name"] == only))
        assert suite_file.expectations, only
    return suite_file


def _validate(ctx, table: str, df: pd.DataFrame, only: str | None = None) -> dict[str, bool]:
    """name -> success for each expectation of a table's suite (or just ``only``) on a DataFrame.

    Also evaluates the same suite in DuckDB SQL (what the pipeline's checks use) and requires
    both evaluators to agree on every expectation: success and the number of unexpected rows.
    """
    suite = suites.load_suite(_suite(table, only))
    batch = ctx.data_sources.add_or_update_pandas("t").add_dataframe_asset(f"a{id(df)}")
    result = batch.add_batch_definition_whole_dataframe("all").get_batch(
        batch_parameters={"dataframe": df}, ).validate(suite, result_format="COMPLETE")
    out, counts = {}, {}
    for r in result.results:
        assert not (r.exception_info or {}).get("raised_exception"), r.exception_info
        out[r.expectation_config.meta["name"]] = r.success
        counts[r.expectation_config.meta["name"]] = (r.result or {}).get("unexpected_count") or 0
    sql = _sql_validate(table, df, only)
    assert {n: o.success for n, o in sql.items()} == out
    assert {n: o.unexpected_count for n, o in sql.items()} == counts
    return out


def _sql_validate(table: str, df: pd.DataFrame, only: str | None = None) -> dict:
    """name -> outcome of the SQL evaluation of a suite on the rows of a DataFrame."""
    from pipelines.quality.suite_sql import evaluate_suite

    con = duckdb.connect()
    try:
        con.register("frame", df)
        con.execute("CREATE TABLE main.rows AS SELECT * FROM frame")
        suite_file = dataclasses.replace(_suite(table, only), table="main.rows", query="SELECT * FROM main.rows")
        report = evaluate_suite(con, suite_file)
    finally:
        con.close()
    assert report.error is None, report.error
    return {o.name: o for o in report.outcomes}


TEXT = "全区地区生产总值完成1234.5亿元,增长5.2%;PM2.5年均浓度34微克/立方米。"


def good_facts() -> pd.DataFrame:
    def row(i, raw, **kw):
        start = TEXT.index(raw)
        base = dict(fact_id=f"f{i}", document_id="d1", region="北京市大兴区", indicator_code="gdp",
                    indicator_label="地区生产总值", year=2024, period="FY", basis="actual", measure="value",
                    value=1234.5e8, unit="CNY", comparator="=", raw_text=raw, qualifier=None, page=None,
                    char_start=start, char_end=start + len(raw), sentence=TEXT, raw_unit=None,
                    text_length=len(TEXT), offsets_match=True, indicator_unit=None, year_distance=0,
                    has_document=True)
        base.update(kw)
        if base["measure"] == "value" and base["indicator_code"]:
            base["indicator_unit"] = f"{base['indicator_code']}:{base['unit']}"
        return base

    return pd.DataFrame([
        row(1, "1234.5亿元"),
        row(2, "增长5.2%", measure="growth_pct", value=5.2, unit="percent"),
        row(3, "34微克/立方米", indicator_code="pm25", indicator_label="PM2.5", value=34.0, unit="ug/m3"),
    ])


# (expectation name, column changes applied to the first row) — each must fail that one check.
FACT_BREAKS = [
    ("column_values_to_not_be_null:fact_id", {"fact_id": None}),
    ("column_values_to_not_be_null:raw_text", {"raw_text": None}),
    ("column_values_to_not_be_null:value", {"value": None}),
    ("column_values_to_not_be_null:sentence", {"sentence": None}),
    ("column_values_to_be_unique:fact_id", {"fact_id": "f2"}),
    ("column_values_to_be_in_set:basis", {"basis": "guess"}),
    ("column_values_to_be_in_set:comparator", {"comparator": "≈"}),
    ("column_values_to_match_regex:period", {"period": "2024"}),
    ("column_values_to_be_in_set:measure", {"measure": "index"}),
    ("column_values_to_be_in_set:unit", {"unit": "kwh"}),
    ("column_values_to_be_in_set:indicator_code", {"indicator_code": "gpd"}),
    ("unit_fits_indicator", {"indicator_unit": "gdp:person"}),
    ("rate_out_of_range", {"unit": "percent", "value": 314.0, "indicator_code": None}),
    ("growth_out_of_range", {"measure": "growth_pct", "unit": "percent", "value": -120.0}),
    ("share_out_of_range", {"measure": "share_pct", "unit": "percent", "value": 101.0}),
    ("change_pp_out_of_range", {"measure": "change_pp", "unit": "percent", "value": 140.0}),
    ("rank_out_of_range", {"measure": "rank", "unit": "rank", "value": 0.0}),
    ("pm25_out_of_range", {"indicator_code": "pm25", "unit": "ug/m3", "value": 3400.0}),
    ("unemployment_out_of_range", {"indicator_code": "unemployment_rate", "unit": "percent", "value": 45.0}),
    ("negative_level", {"value": -1.0}),
    ("negative_level", {"value": -1.0, "unit": "kg", "indicator_code": None}),
    ("zero_level", {"value": 0.0}),
    ("year_out_of_range", {"year": 2204}),
    ("year_far_from_document", {"year_distance": 180}),
    ("document_text_present", {"text_length": None, "offsets_match": None}),
    ("fact_document_present", {"has_document": False}),
    ("offsets_ordered", {"char_end": 3, "char_start": 5}),
    ("offsets_inside_text", {"char_end": len(TEXT) + 4}),
    ("offsets_match_raw_text", {"offsets_match": False}),
]


def test_fact_suite_passes_good_rows(gx_context):
    results = _validate(gx_context, "core.indicator_facts", good_facts())
    assert all(results.values()), [k for k, v in results.items() if not v]


@pytest.mark.parametrize("name, change", FACT_BREAKS, ids=[f"{b[0]}-{i}" for i, b in enumerate(FACT_BREAKS)])
def test_fact_suite_each_expectation_fails_on_a_bad_row(gx_context, name, change):
    df = good_facts()
    for col, value in change.items():
        df[col] = df[col].astype(object)
        df.at[0, col] = value
    assert _validate(gx_context, "core.indicator_facts", df, only=name) == {name: False}


def test_a_negative_rate_per_mille_passes(gx_context):
    df = good_facts()
    df.at[0, "indicator_code"], df.at[0, "unit"], df.at[0, "value"] = None, "permille", -3.9
    df.at[0, "indicator_unit"] = None
    assert _validate(gx_context, "core.indicator_facts", df, only="negative_level") == {"negative_level": True}


def test_every_fact_expectation_is_exercised():
    names = {e["meta"]["name"] for e in suites.suite_files()["core.indicator_facts"].expectations}
    tested = {b[0] for b in FACT_BREAKS}
    untested = names - tested
    # the remaining not-null columns share one mechanism with the ones tested
    assert all(n.startswith("column_values_to_not_be_null:") for n in untested), untested


def test_every_expectation_has_a_severity_in_meta():
    for table, suite in suites.suite_files().items():
        gx_suite = suites.load_suite(suite)
        assert gx_suite.expectations, table
        for e in gx_suite.expectations:
            assert e.meta["severity"] in ("error", "warn"), (table, e)
            assert e.meta["name"]


def test_unit_set_agrees_with_the_rule_data():
    book = rules.default_rulebook()
    expected = {f"{code}:{u}" for code in book.base_units for u in book.allowed_units(code)}
    [entry] = [e for e in suites.suite_files()["core.indicator_facts"].expectations
               if e["meta"]["name"] == "unit_fits_indicator"]
    assert set(entry["kwargs"]["value_set"]) == expected
    [codes] = [e for e in suites.suite_files()["core.indicator_facts"].expectations
               if e["meta"]["name"] == "column_values_to_be_in_set:indicator_code"]
    with (rules.DATA_DIR / "indicators.csv").open(encoding="utf-8") as fh:
        assert set(codes["kwargs"]["value_set"]) == {r["code"] for r in csv.DictReader(fh)}


def test_range_bounds_agree_with_value_ranges_csv():
    by_name = {e["meta"]["name"]: e["kwargs"] for e in suites.suite_files()["core.indicator_facts"].expectations}
    book = rules.default_rulebook()
    general = {}  # the least specific rule of each check (overrides are `where:` limits in the suite)
    for rule in book.ranges:
        if rule.field == "value" and rule.check_name in by_name and rule.indicator_code == "*":
            if rule.check_name not in general or rule.specificity < general[rule.check_name].specificity:
                general[rule.check_name] = rule
    assert {"rate_out_of_range", "growth_out_of_range", "negative_level", "rank_out_of_range"} <= set(general)
    for rule in general.values():
        kw = by_name[rule.check_name]
        assert kw.get("min_value") == rule.min and kw.get("max_value") == rule.max, rule


def test_suite_file_errors_are_explained(tmp_path):
    bad = tmp_path / "x.yml"
    bad.write_text("table: core.x\nexpectations:\n  - type: expect_column_values_to_not_be_null\n    column: a\n")
    with pytest.raises(ValueError, match="severity"):
        suites.read_suite_file(bad)
    bad.write_text("table: core.x\nexpectations:\n  - type: expect_column_values_to_not_be_null\n"
                   "    column: a\n    severity: warn\n    where: {a: {like: b}}\n")
    with pytest.raises(ValueError, match="operator"):
        suites.load_suite(bad)
    bad.write_text("table: 'core.x; drop table y'\nexpectations: []\n")
    with pytest.raises(ValueError, match="schema.table"):
        suites.read_suite_file(bad)


# ---------------------------------------------------------------- on a temp DuckDB warehouse


@pytest.fixture
def warehouse(planted):
    con = duckdb.connect()
    create_schema(con)
    load_planted(con, planted, screen(planted.result, planted.context))
    yield con
    con.close()


def test_validate_tables_on_a_clean_warehouse_and_build_data_docs(warehouse, tmp_path):
    docs = tmp_path / "data_docs"
    reports = suites.validate_tables(warehouse, build_docs=True, docs_dir=docs)
    by_table = {r.table: r for r in reports}
    assert set(by_table) >= {"core.indicator_facts", "core.documents", "raw.documents", "quality.quarantine"}
    for r in reports:
        assert r.success, (r.table, r.error, [o.describe(r.table) for o in r.failed])
    assert by_table["core.indicator_facts"].row_count == 3
    passed, failed, index = suites.data_docs_summary(docs)
    assert passed == sum(len(r.passed) for r in reports) and failed == sum(len(r.failed) for r in reports)
    assert index == docs / "index.html" and index.exists()
    assert "core.indicator_facts" in index.read_text(encoding="utf-8")
    # rebuilt, not accumulated
    suites.validate_tables(warehouse, ["core.indicator_facts"], build_docs=True, docs_dir=docs)
    assert suites.data_docs_summary(docs)[0] == len(by_table["core.indicator_facts"].passed)


def test_validate_tables_finds_bad_offsets_and_names_the_rows(warehouse):
    warehouse.execute("UPDATE core.indicator_facts SET char_start = char_start + 1, char_end = char_end + 1 "
                      "WHERE measure = 'value'")
    [report] = suites.validate_tables(warehouse, ["core.indicator_facts"])
    assert not report.success
    [bad] = report.failed_with("error")
    assert bad.name == "offsets_match_raw_text"
    assert bad.rows[0]["raw_text"] == "844.1亿元" and bad.rows[0]["document_id"] == warehouse.execute("SELECT document_id FROM core.documents").fetchone()[0]


def test_missing_table_is_a_failure_not_a_crash(tmp_path):
    con = duckdb.connect()
    [report] = suites.validate_tables(con, ["core.indicator_facts"])
    assert report.error and not report.success


def test_refuses_to_wipe_a_folder_it_did_not_make(warehouse, tmp_path, caplog):
    (tmp_path / "precious.txt").write_text("keep")
    [report] = suites.validate_tables(warehouse, ["quality.alerts"], build_docs=True, docs_dir=tmp_path)
    assert report.success  # the checks still ran
    assert "refusing" in caplog.text
    assert (tmp_path / "precious.txt").exists() and not (tmp_path / "index.html").exists()


def test_no_data_docs_yet(tmp_path):
    assert suites.data_docs_summary(tmp_path / "none") == (0, 0, None)


# ---------------------------------------------------------------- the other suites, one break each

SHA = "0123456789abcdef" + "0" * 48
GOOD_ROWS = {
    "raw.documents": dict(document_id=SHA[:16], source_path="/in/dx.txt", file_name="dx.txt", media_type="text/plain",
                          size_bytes=100, sha256=SHA, encoding="utf-8", status="parsed", reject_reason=None,
                          ingested_at=pd.Timestamp("2026-01-01"), id_matches_sha256=True),
    "core.documents": dict(document_id="d1", title="大兴区2024年计划", region="北京市大兴区", region_code="110115",
                           doc_type="plan_report", actual_year=2024, plan_year=2025, char_count=100, text_length=100,
                           has_text=True, extractor_version="v1", loaded_at=pd.Timestamp("2026-01-01")),
    "quality.quarantine": dict(document_id="d1", raw_text="84.4.1亿元", sentence="完成84.4.1亿元。", char_start=3,
                               check_name="malformed_number", reason="two decimal points", severity="error",
                               detected_at=pd.Timestamp("2026-01-01")),
    "quality.alerts": dict(alert_id="a1", created_at=pd.Timestamp("2026-01-01"), severity="warn", check_name="x",
                           document_id="d1", message="m", delivered_to="log:x"),
    "quality.cross_document_findings": dict(finding_id="f1", kind="growth_gap", alarm=True, severity="warn",
                                            price_basis="nominal", message="m", detected_at=pd.Timestamp("2026-01-01"),
                                            document_a="d1", document_b="d2"),
}
OTHER_BREAKS = {
    "raw.documents": {
        "column_values_to_be_unique:document_id": "duplicate",
        "column_values_to_match_regex:document_id": {"document_id": "DX-2024"},
        "column_values_to_be_in_set:status": {"status": "maybe"},
        "reject_reason_given": {"status": "rejected", "reject_reason": None},
        "column_values_to_match_regex:sha256": {"sha256": "abc"},
        "id_is_sha256_prefix": {"id_matches_sha256": False},
        "column_values_to_be_between:size_bytes": {"size_bytes": -1},
    },
    "core.documents": {
        "column_values_to_be_unique:document_id": "duplicate",
        "column_values_to_be_in_set:doc_type": {"doc_type": "novel"},
        "column_values_to_be_between:actual_year": {"actual_year": 224},
        "column_values_to_be_between:plan_year": {"plan_year": 20250},
        "document_text_present": {"has_text": False},
        "char_count_matches_text": {"char_count": 99},
        "column_values_to_match_regex:region_code": {"region_code": "1101"},
    },
    "quality.quarantine": {"column_values_to_be_in_set:severity": {"severity": "fatal"}},
    "quality.alerts": {
        "column_values_to_be_unique:alert_id": "duplicate",
        "column_values_to_be_in_set:severity": {"severity": "info"},
    },
    "quality.cross_document_findings": {
        "column_values_to_be_unique:finding_id": "duplicate",
        "column_values_to_be_in_set:kind": {"kind": "rumour"},
        "column_values_to_be_in_set:price_basis": {"price_basis": "real"},
    },
}


def _other_cases():
    for table, breaks in OTHER_BREAKS.items():
        names = [e["meta"]["name"] for e in suites.suite_files()[table].expectations]
        for name in names:
            if name in breaks:
                yield table, name, breaks[name]
            elif name.startswith("column_values_to_not_be_null:"):
                yield table, name, {name.split(":", 1)[1]: None}
            else:
                raise AssertionError(f"{table}: no failing input for {name}; add one to OTHER_BREAKS")


OTHER_CASES = list(_other_cases())


@pytest.mark.parametrize("table", list(GOOD_ROWS))
def test_other_suites_pass_good_rows(gx_context, table):
    df = pd.DataFrame([GOOD_ROWS[table], dict(GOOD_ROWS[table], **_second_key(table))])
    results = _validate(gx_context, table, df)
    assert all(results.values()), [k for k, v in results.items() if not v]


def _second_key(table: str) -> dict:
    key = {"raw.documents": {"document_id": "fedcba9876543210", "sha256": "fedcba9876543210" + "0" * 48},
           "core.documents": {"document_id": "d2"}, "quality.alerts": {"alert_id": "a2"},
           "quality.cross_document_findings": {"finding_id": "f2"}}
    return key.get(table, {})


@pytest.mark.parametrize("table, name, change", OTHER_CASES, ids=[f"{t}:{n}" for t, n, _c in OTHER_CASES])
def test_other_suites_each_expectation_fails_on_a_bad_row(gx_context, table, name, change):
    good = GOOD_ROWS[table]
    second = dict(good, **_second_key(table))
    if change == "duplicate":
        second = dict(good)
    else:
        second = dict(second, **change)
    df = pd.DataFrame([good, second])
    assert _validate(gx_context, table, df, only=name) == {name: False}


# ---------------------------------------------------------------- SQL evaluation and deferred Data Docs


def test_sql_evaluation_agrees_with_gx_on_a_warehouse_and_names_the_same_rows(warehouse):
    from pipelines.quality.suite_sql import evaluate_tables

    warehouse.execute("UPDATE core.indicator_facts SET char_start = char_start + 1, char_end = char_end + 1 "
                      "WHERE measure = 'value'")
    tables = list(suites.suite_files())
    gx = {r.table: r for r in suites.validate_tables(warehouse, tables)}
    sql = {r.table: r for r in evaluate_tables(warehouse, tables)}
    for table in tables:
        assert sql[table].row_count == gx[table].row_count, table
        assert ({o.name: (o.success, o.unexpected_count or 0) for o in sql[table].outcomes}
                == {o.name: (o.success, o.unexpected_count or 0) for o in gx[table].outcomes}), table
    [bad] = sql["core.indicator_facts"].failed_with("error")
    [gx_bad] = gx["core.indicator_facts"].failed_with("error")
    assert sorted(r["fact_id"] for r in bad.rows) == sorted(r["fact_id"] for r in gx_bad.rows)


def test_sql_evaluation_covers_only_the_documents_asked_for(warehouse):
    from pipelines.quality.suite_sql import evaluate_tables

    warehouse.execute("UPDATE core.indicator_facts SET unit = 'person' WHERE measure = 'value'")
    [other] = evaluate_tables(warehouse, ["core.indicator_facts"], ["0000000000000000"])
    assert other.row_count == 0 and other.success
    doc = warehouse.execute("SELECT document_id FROM core.documents").fetchone()[0]
    [mine] = evaluate_tables(warehouse, ["core.indicator_facts"], [doc])
    assert mine.row_count > 0 and [o.name for o in mine.failed_with("error")] == ["unit_fits_indicator"]


def test_deferred_data_docs_summary_first_then_gx_html(warehouse, tmp_path):
    from pipelines.quality.suite_sql import evaluate_tables

    docs = tmp_path / "data_docs"
    reports = evaluate_tables(warehouse, list(suites.suite_files()))
    assert suites.defer_data_docs(warehouse, reports, docs_dir=docs, mode="off") == docs
    passed, failed, index = suites.data_docs_summary(docs)
    assert (passed, failed) == (sum(len(r.passed) for r in reports), 0) and index.exists()
    assert "Great Expectations" not in index.read_text(encoding="utf-8").split("<p>", 1)[0]

    assert suites.defer_data_docs(warehouse, reports, docs_dir=docs, mode="sync") == docs
    assert suites.data_docs_summary(docs)[:2] == (passed, 0)  # GX's own count of the same rows
    assert "core.indicator_facts" in (docs / "index.html").read_text(encoding="utf-8")
    assert not any((tmp_path / suites.PENDING_DIR).glob("*/request.json"))  # the request was consumed


def test_an_older_data_docs_request_is_dropped(warehouse, tmp_path):
    from pipelines.quality.suite_sql import evaluate_tables

    docs = tmp_path / "data_docs"
    reports = evaluate_tables(warehouse, ["core.documents"])
    with pytest.MonkeyPatch.context() as mp:
        started = []
        mp.setattr(suites, "_spawn_builder", started.append)
        suites.defer_data_docs(warehouse, reports, docs_dir=docs, mode="background")
        suites.defer_data_docs(warehouse, reports, docs_dir=docs, mode="background")
    first, second = started
    assert suites.build_pending_docs(first) is None and not first.exists()
    assert suites.build_pending_docs(second) == docs and "core.documents" in (docs / "index.html").read_text()
