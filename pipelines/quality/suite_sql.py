"""Evaluate the Great Expectations suites in DuckDB SQL, for the run's blocking decision.

The suites in ``expectations/*.yml`` stay the one definition of every check: this module reads
the same ``SuiteFile`` objects GX is built from and turns each expectation into a SQL predicate
with GX's semantics (map expectations skip NULLs; ``where`` is GX's row condition; pair
expectations honour ``ignore_row_if``). Importing Great Expectations takes seconds and a GX
validation of a few hundred rows takes seconds more; the same answers in SQL take milliseconds,
so the Dagster checks use these results and GX builds its validation results and Data Docs
afterwards, out of the run's way (``suites.defer_data_docs``). ``tests/unit/quality/test_suites.py``
holds both evaluators to the same answers on every expectation.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from .suites import (MAX_FAILING_ROWS, ROW_KEYS, ExpectationOutcome, SuiteFile, SuiteReport, _jsonable,
                     suite_files)

SAMPLE_SIZE = 20  # GX's partial_unexpected_list holds 20 values
_counter = itertools.count()


class UnsupportedExpectation(ValueError):
    """An expectation type this evaluator does not translate (GX would still know it)."""


def _q(column: str) -> str:
    return '"' + str(column).replace('"', '""') + '"'


def _where(where: dict[str, Any], params: list) -> str:
    """GX's row condition as SQL, with pandas' NULL behaviour (NaN != x is true, isin is false)."""
    parts = []
    for column, test in where.items():
        col = _q(column)
        ops = test if isinstance(test, dict) else {"==": test}
        for op, value in ops.items():
            if op == "in":
                params.append(list(value))
                parts.append(f"coalesce(list_contains(?, {col}), false)")
            elif op == "not_in":
                params.append(list(value))
                parts.append(f"({col} IS NULL OR NOT list_contains(?, {col}))")
            elif op in ("null", "not_null"):
                is_null = bool(value) == (op == "null")
                parts.append(f"{col} IS {'' if is_null else 'NOT '}NULL")
            elif op == "!=":
                params.append(value)
                parts.append(f"{col} IS DISTINCT FROM ?")
            elif op in ("==", "<", "<=", ">", ">="):
                params.append(value)
                parts.append(f"coalesce({col} {'=' if op == '==' else op} ?, false)")
            else:
                raise ValueError(f"where: unknown operator {op!r} for {column}")
    return " AND ".join(parts) or "true"


def unexpected_predicate(expectation: dict[str, Any], params: list, *, rows_of: str = "") -> str:
    """SQL that is true exactly on the rows GX counts as unexpected (``params`` gets its values).

    ``rows_of`` is the relation a uniqueness check counts duplicates in (default: the rows
    themselves, which then must be a named table).
    """
    etype, kw = expectation["type"], dict(expectation["kwargs"])
    where = kw.pop("where", None)
    own: list = []
    if etype == "expect_column_values_to_not_be_null":
        test = f"{_q(kw['column'])} IS NULL"
    elif etype == "expect_column_values_to_be_in_set":
        col = _q(kw["column"])
        own.append(list(kw["value_set"]))
        test = f"({col} IS NOT NULL AND NOT list_contains(?, {col}))"
    elif etype == "expect_column_values_to_be_between":
        col = _q(kw["column"])
        bounds = []
        if kw.get("min_value") is not None:
            own.append(kw["min_value"])
            bounds.append(f"{col} {'>' if kw.get('strict_min') else '>='} ?")
        if kw.get("max_value") is not None:
            own.append(kw["max_value"])
            bounds.append(f"{col} {'<' if kw.get('strict_max') else '<='} ?")
        test = f"({col} IS NOT NULL AND NOT ({' AND '.join(bounds) or 'true'}))"
    elif etype == "expect_column_values_to_match_regex":
        col = _q(kw["column"])
        own.append(kw["regex"])
        test = f"({col} IS NOT NULL AND NOT regexp_matches(CAST({col} AS VARCHAR), ?))"
    elif etype in ("expect_column_pair_values_to_be_equal", "expect_column_pair_values_a_to_be_greater_than_b"):
        a, b = _q(kw["column_A"]), _q(kw["column_B"])
        skip = {"both_values_are_missing": f"({a} IS NULL AND {b} IS NULL)",
                "either_value_is_missing": f"({a} IS NULL OR {b} IS NULL)",
                "neither": "false"}[kw.get("ignore_row_if", "both_values_are_missing")]
        compare = "=" if etype.endswith("_equal") else (">=" if kw.get("or_equal") else ">")
        test = f"(NOT {skip} AND NOT coalesce({a} {compare} {b}, false))"
    elif etype == "expect_column_values_to_be_unique":
        col = _q(kw["column"])
        test = (f"({col} IS NOT NULL AND {col} IN (SELECT {col} FROM {rows_of} WHERE {col} IS NOT NULL"
                f" GROUP BY ALL HAVING count(*) > 1))")
    else:
        raise UnsupportedExpectation(f"{etype} has no SQL translation; add one to pipelines/quality/suite_sql.py")
    if where:
        condition = _where(where, params)  # its values come first, as in the SQL text
        test = f"(({condition}) AND {test})"
    params.extend(own)
    return test


def _columns_of(expectation: dict[str, Any]) -> list[str]:
    kw = expectation["kwargs"]
    return [kw[k] for k in ("column", "column_A", "column_B") if k in kw]


def _sample_value(row: tuple, n: int) -> Any:
    return _jsonable(row[0]) if n == 1 else [_jsonable(v) for v in row[:n]]


def evaluate_suite(con, suite: SuiteFile, documents: list[str] | None = None, *,
                   export_to: Path | None = None) -> SuiteReport:
    """One suite's expectations evaluated in SQL on the rows of ``documents`` (None: every row).

    Uniqueness of a column of the table itself is judged against the whole table, so a run's row
    that repeats another document's key still fails. A table or column that cannot be read is
    the report's ``error``, as with GX. ``export_to``: a folder that gets the rows checked as
    ``<table>.parquet``, for GX's deferred validation (``suites.defer_data_docs``).
    """
    import duckdb

    name = f"_suite_rows_{next(_counter)}"
    try:
        columns = [d[0] for d in con.execute(f"SELECT * FROM ({suite.query}) LIMIT 0").description]
        base_columns = {d[0] for d in con.execute(f"SELECT * FROM {suite.table} LIMIT 0").description}
        scoped = documents is not None and "document_id" in columns
        con.execute("SET enable_progress_bar = false")  # DuckDB would draw on the ingest's terminal
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {scoped_rows(con, suite.query, documents if scoped else None)}")
    except duckdb.Error as exc:
        return SuiteReport(suite.table, suite.name, 0, error=f"{type(exc).__name__}: {exc}")
    try:
        if export_to is not None:
            target = str(Path(export_to) / f"{suite.table}.parquet").replace("'", "''")
            con.execute(f"COPY {name} TO '{target}' (FORMAT parquet)")
        return _evaluate_rows(con, suite, name, columns, base_columns if scoped else set())
    finally:
        con.execute(f"DROP TABLE IF EXISTS {name}")


def scoped_rows(con, query: str, documents: list[str] | None) -> str:
    """SQL for the rows of ``query`` that belong to ``documents`` (all rows when None).

    The ids go into a temp table and the rows are semi-joined to it: DuckDB pushes that filter
    into the suite's joins, so the cost follows the run's documents, not the table's.
    """
    if documents is None:
        return f"SELECT * FROM ({query}) AS q"
    con.execute("CREATE OR REPLACE TEMP TABLE _run_documents AS SELECT DISTINCT unnest(?::VARCHAR[]) AS document_id",
                [list(documents)])
    return f"SELECT * FROM ({query}) AS q WHERE q.document_id IN (SELECT document_id FROM _run_documents)"


def _evaluate_rows(con, suite: SuiteFile, name: str, columns: list[str], whole: set[str]) -> SuiteReport:
    predicates, params = [], []
    for expectation in suite.expectations:
        mine: list = []
        column = expectation["kwargs"].get("column")
        predicates.append(unexpected_predicate(expectation, mine, rows_of=suite.table if column in whole else name))
        params.append(mine)
    counts_sql = ", ".join(["count(*)"] + [f"count(*) FILTER (WHERE {p})" for p in predicates])
    row = con.execute(f"SELECT {counts_sql} FROM {name}", [v for p in params for v in p]).fetchone()
    report = SuiteReport(suite.table, suite.name, int(row[0]))
    keys = [k for k in ROW_KEYS if k in columns]
    order = ", ".join(_q(k) for k in ("document_id", "fact_id") if k in columns) or "ALL"
    for expectation, predicate, mine, count in zip(suite.expectations, predicates, params, row[1:]):
        meta = expectation["meta"]
        kw = expectation["kwargs"]
        sample: list[Any] = []
        rows: list[dict[str, Any]] = []
        if count:
            targets = _columns_of(expectation)
            picked = ", ".join([_q(c) for c in targets] + [_q(k) for k in keys]) or "1"
            found = con.execute(f"SELECT {picked} FROM {name} WHERE {predicate} ORDER BY {order}"
                                f" LIMIT {MAX_FAILING_ROWS}", mine).fetchall()
            sample = [_sample_value(r, len(targets)) for r in found[:SAMPLE_SIZE]] if targets else []
            rows = [{k: _jsonable(r[len(targets) + i]) for i, k in enumerate(keys)} for r in found]
        column = kw.get("column") or ("+".join(str(kw[k]) for k in ("column_A", "column_B") if k in kw) or None)
        report.outcomes.append(ExpectationOutcome(
            name=meta.get("name", expectation["type"]), type=expectation["type"], column=column,
            severity=meta.get("severity", "error"), success=not count, unexpected_count=int(count),
            sample=sample[:10], why=meta.get("why", ""), rows=rows))
    return report


def evaluate_tables(con, tables, documents: list[str] | None = None, *, suites_dir=None,
                    export_to: Path | None = None) -> list[SuiteReport]:
    """``evaluate_suite`` for each table (its suite from ``expectations/``), in the order given."""
    suites = suite_files(suites_dir)
    unknown = [t for t in tables if t not in suites]
    if unknown:
        raise KeyError(f"no suite for {unknown}")
    return [evaluate_suite(con, suites[t], documents, export_to=export_to) for t in tables]
