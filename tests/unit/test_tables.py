"""The tables as declared in warehouse/schema/*.yml: DDL, migration of older warehouses, comments,
and the lists derived from the declaration."""

from __future__ import annotations

import duckdb
import pytest

from pipelines import tables
from pipelines.quality import suites
from pipelines.warehouse import ensure_schema


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def _catalog(con, name: str) -> list[tuple]:
    schema, table = name.split(".")
    return con.execute("SELECT column_name, data_type, is_nullable, comment FROM duckdb_columns() "
                       "WHERE schema_name = ? AND table_name = ? ORDER BY column_index", [schema, table]).fetchall()


def test_the_warehouse_has_exactly_the_declared_tables_and_columns(con):
    ensure_schema(con)
    have = {f"{s}.{t}" for s, t in con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN ('raw', 'core', 'quality')").fetchall()}
    assert have == set(tables.tables())
    for name, table in tables.tables().items():
        got = _catalog(con, name)
        assert [row[0] for row in got] == list(tables.columns(name))
        assert [row[1] for row in got] == [c.type for c in table.columns]
        assert [row[0] for row in got if not row[2]] == tables.required(name)
        assert [row[3] for row in got] == [c.description for c in table.columns]


def test_an_older_warehouse_gets_the_columns_it_lacks_and_keeps_its_rows(con):
    con.execute("CREATE SCHEMA quality")
    con.execute("CREATE TABLE quality.quarantine (document_id VARCHAR NOT NULL, raw_text VARCHAR, sentence VARCHAR,"
                " char_start INTEGER, check_name VARCHAR NOT NULL, reason VARCHAR NOT NULL,"
                " severity VARCHAR NOT NULL, detected_at TIMESTAMP NOT NULL)")
    con.execute("INSERT INTO quality.quarantine VALUES ('d1', '5%', '增长5%。', 2, 'x', 'why', 'warn', now())")
    ensure_schema(con)
    ensure_schema(con)  # again: nothing left to add
    assert [row[0] for row in _catalog(con, "quality.quarantine")] == list(tables.columns("quality.quarantine"))
    assert con.execute("SELECT document_id, char_end, held_back FROM quality.quarantine").fetchall() == [
        ("d1", None, True)]  # held_back's declared default fills the old rows


def test_a_declared_value_set_is_enforced_on_a_new_warehouse(con):
    ensure_schema(con)
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO quality.document_errors VALUES ('d1', 'somewhere', 'E', 'm', now())")


def test_a_changed_description_reaches_the_comment(con, tmp_path):
    source = tables.SCHEMA_DIR / "quality.mart_builds.yml"
    (tmp_path / source.name).write_text(
        source.read_text(encoding="utf-8").replace("When the build committed (UTC).", "Commit time, UTC."),
        encoding="utf-8")
    tables.apply(con, tables.SCHEMA_DIR)
    tables.apply(con, tmp_path)
    comments = dict((row[0], row[3]) for row in _catalog(con, "quality.mart_builds"))
    assert comments["built_at"] == "Commit time, UTC."


@pytest.mark.parametrize("change, message", [
    (("type: VARCHAR", "type: TEXT; DROP TABLE x"), "type must be one of"),
    (("    description: The mart (marts.<name>).\n", ""), "needs a description"),
    (("  built_at:", "  built at:"), "bad column"),
])
def test_a_bad_declaration_is_refused(tmp_path, change, message):
    source = tables.SCHEMA_DIR / "quality.mart_builds.yml"
    path = tmp_path / source.name
    path.write_text(source.read_text(encoding="utf-8").replace(*change, 1), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        tables.read_table(path)


def test_loader_columns_leave_out_only_what_is_asked(con):
    assert tables.columns("raw.documents", without=("superseded_by",))[-1] == "published_hint"
    with pytest.raises(KeyError):
        tables.columns("raw.documents", without=("no_such_column",))


def test_suites_take_required_columns_and_value_sets_from_the_declaration():
    suite = suites.read_suite_file(suites.expectations_dir() / "raw.documents.yml")
    not_null = [e["kwargs"]["column"] for e in suite.expectations
                if e["type"] == "expect_column_values_to_not_be_null" and e["meta"]["severity"] == "error"
                and "where" not in e["kwargs"]]
    assert not_null == tables.required("raw.documents")
    status = next(e for e in suite.expectations
                  if e["type"] == "expect_column_values_to_be_in_set" and e["kwargs"]["column"] == "status")
    assert status["kwargs"]["value_set"] == list(tables.table("raw.documents").column("status").values)


def test_an_in_set_check_without_values_anywhere_is_refused(tmp_path):
    (tmp_path / "x.yml").write_text("table: raw.documents\nexpectations:\n"
                                    "  - type: expect_column_values_to_be_in_set\n    column: media_type\n"
                                    "    severity: error\n", encoding="utf-8")
    with pytest.raises(ValueError, match="declares no values"):
        suites.read_suite_file(tmp_path / "x.yml")
