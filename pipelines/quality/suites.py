"""Great Expectations suites kept as reviewable YAML files in ``expectations/``.

Each file names a table, optionally a query (in ``pipelines/quality/sql/``) that adds derived
columns, and a list of expectations. ``load_suite`` turns a file into a GX 1.x
``ExpectationSuite`` (severity, name and reason go into each expectation's ``meta``);
``validate_tables`` loads each table from a DuckDB connection into pandas, validates it in an
ephemeral GX context and, when asked, builds the HTML Data Docs.

Great Expectations is imported inside functions only: importing it takes seconds.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

import yaml

from .. import tables
from ..settings import REPO_ROOT

log = logging.getLogger(__name__)

SQL_DIR = Path(__file__).resolve().parent / "sql"
DOCS_MARKER = ".annual_etl_data_docs"
SUMMARY_FILE = "summary.json"
META_KEYS = ("severity", "name", "why")
# `where:` operators and the GX Column methods or operators they become
WHERE_OPS = ("==", "!=", "<", "<=", ">", ">=", "in", "not_in", "null", "not_null")
SEVERITIES = ("error", "warn")


def expectations_dir() -> Path:
    return Path(os.environ.get("ANNUAL_ETL_EXPECTATIONS", REPO_ROOT / "expectations"))


def data_docs_dir() -> Path:
    """Inside the home (``settings.data_docs_dir``), never in the checkout's expectations/."""
    from ..settings import data_docs_dir as home_data_docs

    return home_data_docs()


# ---------------------------------------------------------------------------- suite files


@dataclass(frozen=True)
class SuiteFile:
    name: str  # e.g. core.indicator_facts
    table: str  # schema.table
    query: str  # the SQL that yields the rows to validate (no values in it)
    expectations: tuple[dict[str, Any], ...]  # {"type", "kwargs", "meta"}
    path: Path


_IDENT = re.compile(r"^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$")


def _declared(entry: dict[str, Any], table: str, where: str) -> dict[str, Any]:
    """``columns: required`` → the table's declared NOT NULL columns; an in-set expectation without
    ``value_set`` → the column's declared ``values`` (``warehouse/schema/<table>.yml``)."""
    if entry.get("columns") == "required":
        entry["columns"] = tables.required(table)
    if entry.get("type") == "expect_column_values_to_be_in_set" and "value_set" not in entry:
        column = tables.table(table).column(entry.get("column") or "")
        declared = column.values if column else ()
        if not declared:
            raise ValueError(f"{where}: no value_set, and {table}.{entry.get('column')} declares no values")
        entry["value_set"] = list(declared)
    return entry


def _expand(entry: dict[str, Any], where: str, table: str) -> list[dict[str, Any]]:
    entry = _declared(dict(entry), table, where)
    etype = entry.pop("type", None)
    if not etype or not str(etype).startswith("expect_"):
        raise ValueError(f"{where}: every expectation needs a `type: expect_…`")
    meta = {k: entry.pop(k) for k in META_KEYS if k in entry}
    severity = meta.get("severity")
    if severity not in SEVERITIES:
        raise ValueError(f"{where}: {etype} needs `severity: error` or `severity: warn`, got {severity!r}")
    columns = entry.pop("columns", None)
    targets = [dict(entry, column=c) for c in columns] if columns else [entry]
    out = []
    for kwargs in targets:
        m = dict(meta)
        column = kwargs.get("column") or "+".join(
            str(kwargs[k]) for k in ("column_A", "column_B") if k in kwargs
        )
        m.setdefault("name", f"{etype.removeprefix('expect_')}:{column}" if column else etype)
        out.append({"type": etype, "kwargs": kwargs, "meta": m})
    return out


def read_suite_file(path: Path | str) -> SuiteFile:
    path = Path(path)
    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    table = doc.get("table", "")
    if not _IDENT.match(table):
        raise ValueError(f"{path.name}: `table` must be schema.table, got {table!r}")
    if doc.get("query"):
        query = (SQL_DIR / doc["query"]).read_text(encoding="utf-8")
    else:
        # identifier checked against the pattern above; no values are interpolated
        query = f"SELECT * FROM {table}"
    expectations: list[dict[str, Any]] = []
    for i, entry in enumerate(doc.get("expectations") or []):
        expectations.extend(_expand(entry, f"{path.name} expectation {i + 1}", table))
    names = [e["meta"]["name"] for e in expectations]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"{path.name}: expectation names must be unique, repeated: {dupes}")
    return SuiteFile(doc.get("suite") or table, table, query, tuple(expectations), path)


def suite_files(directory: Path | str | None = None) -> dict[str, SuiteFile]:
    """All suites in the folder, by table name (read once per process while the files are unchanged)."""
    directory = Path(directory) if directory else expectations_dir()
    paths = sorted(directory.glob("*.yml"))
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
    key = str(directory.resolve())
    cached = _SUITES.get(key)
    if cached is None or cached[0] != stamp:
        cached = _SUITES[key] = (stamp, {suite.table: suite for suite in map(read_suite_file, paths)})
    return dict(cached[1])


_SUITES: dict[str, tuple[tuple, dict[str, SuiteFile]]] = {}


def row_condition(where: dict[str, Any]):
    """A GX row condition (all of them must hold) from ``{column: value | {op: value}}``."""
    from great_expectations.expectations.row_conditions import Column

    conditions = []
    for column, test in where.items():
        col = Column(column)
        ops = test if isinstance(test, dict) else {"==": test}
        for op, value in ops.items():
            if op not in WHERE_OPS:
                raise ValueError(f"where: unknown operator {op!r} for {column}; use one of {WHERE_OPS}")
            if op == "in":
                conditions.append(col.is_in(list(value)))
            elif op == "not_in":
                conditions.append(col.is_not_in(list(value)))
            elif op == "null":
                conditions.append(col.is_null() if value else col.is_not_null())
            elif op == "not_null":
                conditions.append(col.is_not_null() if value else col.is_null())
            else:
                conditions.append({"==": col.__eq__, "!=": col.__ne__, "<": col.__lt__, "<=": col.__le__,
                                   ">": col.__gt__, ">=": col.__ge__}[op](value))
    combined = conditions[0]
    for c in conditions[1:]:
        combined = combined & c
    return combined


def load_suite(suite: SuiteFile | Path | str):
    """The GX ``ExpectationSuite`` for a suite file (GX is imported here)."""
    _quiet_gx()
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    from great_expectations.exceptions import DataContextRequiredError

    if not isinstance(suite, SuiteFile):
        suite = read_suite_file(suite)
    try:
        return _build_suite(gx, ExpectationConfiguration, suite)
    except DataContextRequiredError:  # GX wants an active context even to build a suite
        gx.get_context(mode="ephemeral")
        return _build_suite(gx, ExpectationConfiguration, suite)


def _build_suite(gx, ExpectationConfiguration, suite: SuiteFile):
    gx_suite = gx.ExpectationSuite(name=suite.name, meta={"table": suite.table})
    for e in suite.expectations:
        kwargs = dict(e["kwargs"])
        if "where" in kwargs:
            kwargs["row_condition"] = row_condition(kwargs.pop("where"))
        expectation = ExpectationConfiguration(type=e["type"], kwargs=kwargs, meta=dict(e["meta"])).to_domain_obj()
        expectation.severity = "critical" if e["meta"]["severity"] == "error" else "warning"
        gx_suite.add_expectation(expectation)
    return gx_suite


# ---------------------------------------------------------------------------- validation


@dataclass
class ExpectationOutcome:
    name: str
    type: str
    column: str | None
    severity: str  # error | warn
    success: bool
    unexpected_count: int | None
    sample: list[Any]  # a few unexpected values
    why: str
    exception: str | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)  # key columns of a few failing rows

    def describe(self, table: str) -> str:
        what = f"{table}: check {self.name} ({self.type}"
        what += f" on {self.column})" if self.column else ")"
        if self.exception:
            return f"{what} could not run: {self.exception}"
        n = "some" if self.unexpected_count is None else str(self.unexpected_count)
        shown = [v for v in self.sample if v is not None and str(v) not in ("nan", "<NA>", "NaT", "None")]
        sample = ", ".join(map(str, shown[:5]))
        text = f"{what} failed for {n} row(s)"
        if sample:
            text += f", e.g. {sample}"
        if self.why:
            text += f" — {self.why}"
        return text


@dataclass
class SuiteReport:
    table: str
    suite: str
    row_count: int
    outcomes: list[ExpectationOutcome] = field(default_factory=list)
    error: str | None = None  # the table could not be read

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]

    def failed_with(self, severity: str) -> list[ExpectationOutcome]:
        return [o for o in self.failed if o.severity == severity]

    @property
    def passed(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if o.success]

    @property
    def success(self) -> bool:
        return self.error is None and not self.failed_with("error")


def _quiet_gx() -> None:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


def _jsonable(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, (list, tuple, dict)):
        try:
            value = value.item()  # numpy / pandas scalars
        except (TypeError, ValueError):
            pass
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


# Columns copied from failing rows so that an alert can name the document and the figure.
# All failing rows (up to a cap) so that alerts group them by document in a stable way.
MAX_FAILING_ROWS = 5000
ROW_KEYS = ("document_id", "fact_id", "indicator_code", "raw_text", "sentence", "char_start", "source_path")


def _failing_rows(df, result) -> list[dict[str, Any]]:
    res = result.result or {}
    index = res.get("unexpected_index_list") or res.get("partial_unexpected_index_list") or []
    keys = [k for k in ROW_KEYS if k in df.columns]
    rows = []
    for i in index[:MAX_FAILING_ROWS]:
        if isinstance(i, dict) or i not in df.index:
            continue
        rows.append({k: _jsonable(_none_if_na(df.at[i, k])) for k in keys})
    return rows


def _none_if_na(value: Any) -> Any:
    try:
        import pandas as pd

        return None if pd.isna(value) else value
    except (TypeError, ValueError):
        return value


def _outcome(result, meta: dict, df=None) -> ExpectationOutcome:
    cfg = result.expectation_config
    res = result.result or {}
    exc = result.exception_info or {}
    raised = exc.get("raised_exception") if isinstance(exc, dict) else False
    return ExpectationOutcome(
        name=meta.get("name", cfg.type),
        type=cfg.type,
        column=cfg.kwargs.get("column")
        or ("+".join(str(cfg.kwargs[k]) for k in ("column_A", "column_B") if k in cfg.kwargs) or None),
        severity=meta.get("severity", "error"),
        success=bool(result.success),
        unexpected_count=res.get("unexpected_count"),
        sample=_jsonable(res.get("partial_unexpected_list") or [])[:10],
        why=meta.get("why", ""),
        exception=(exc.get("exception_message") or "exception")[:500] if raised else None,
        rows=_failing_rows(df, result) if df is not None and not result.success else [],
    )


def read_table(con, suite: SuiteFile):
    """The rows a suite validates, as a pandas DataFrame (raises duckdb.Error if the table is missing)."""
    return con.execute(suite.query).df()


def read_frames(
    con, tables: Iterable[str] | None = None, *, suites_dir: Path | str | None = None
) -> dict[str, Any]:
    """The rows each suite validates, read through ``con`` (default: every table with a suite).

    A table that cannot be read maps to the error message instead of a DataFrame. Read first,
    close the connection, then ``validate_frames``: GX takes seconds, the lock should not.
    """
    suites = suite_files(suites_dir)
    chosen = list(tables) if tables is not None else list(suites)
    unknown = [t for t in chosen if t not in suites]
    if unknown:
        raise KeyError(f"no suite in {suites_dir or expectations_dir()} for {unknown}")
    frames: dict[str, Any] = {}
    for table in chosen:
        try:
            frames[table] = read_table(con, suites[table])
        except Exception as exc:  # the table or a joined one is missing
            frames[table] = f"{type(exc).__name__}: {exc}"
    return frames


def validate_tables(
    con,
    tables: Iterable[str] | None = None,
    *,
    suites_dir: Path | str | None = None,
    docs_dir: Path | str | None = None,
    build_docs: bool = False,
) -> list[SuiteReport]:
    """Validate tables (default: every table with a suite) read through ``con``."""
    frames = read_frames(con, tables, suites_dir=suites_dir)
    return validate_frames(frames, suites_dir=suites_dir, docs_dir=docs_dir, build_docs=build_docs)


def validate_frames(
    frames: dict[str, Any],
    *,
    suites_dir: Path | str | None = None,
    docs_dir: Path | str | None = None,
    build_docs: bool = False,
) -> list[SuiteReport]:
    """Validate DataFrames from ``read_frames`` against their suites (no connection needed).

    With ``build_docs`` the GX HTML Data Docs for this validation are written to ``docs_dir``
    (default ``HOME/quality/data_docs``), replacing the previous ones, with a ``summary.json``.
    """
    _quiet_gx()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    suites = suite_files(suites_dir)

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    datasource = context.data_sources.add_pandas("warehouse")
    docs_path = Path(docs_dir) if docs_dir else data_docs_dir()
    # the ephemeral context makes a temporary docs site of its own; drop it (and its folder)
    for site, config in list(context.list_data_docs_sites().items()):
        base = (config.get("store_backend") or {}).get("base_directory")
        context.delete_data_docs_site(site)
        if base and Path(base).resolve().is_relative_to(Path(tempfile.gettempdir()).resolve()):
            shutil.rmtree(base, ignore_errors=True)
    if build_docs:
        try:
            _reset_docs_dir(docs_path)
        except (OSError, RuntimeError) as exc:  # the docs are a report: never fail the checks over them
            log.warning("not building the Data Docs: %s", exc)
            build_docs = False
    if build_docs:
        context.add_data_docs_site(
            "annual_etl",
            {
                "class_name": "SiteBuilder",
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_path)},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )

    reports = []
    for table, df in frames.items():
        suite = suites[table]
        if isinstance(df, str):
            reports.append(SuiteReport(table, suite.name, 0, error=df))
            continue
        gx_suite = context.suites.add(load_suite(suite))
        batch_def = datasource.add_dataframe_asset(table).add_batch_definition_whole_dataframe("all")
        vd = context.validation_definitions.add(
            gx.ValidationDefinition(name=f"validate {table}", data=batch_def, suite=gx_suite)
        )
        checkpoint = context.checkpoints.add(gx.Checkpoint(
            name=f"check {table}", validation_definitions=[vd], result_format={"result_format": "COMPLETE"}))
        result = checkpoint.run(batch_parameters={"dataframe": df})
        report = SuiteReport(table, suite.name, len(df))
        for vr in result.run_results.values():
            for r in vr.results:
                report.outcomes.append(_outcome(r, dict(r.expectation_config.meta or {}), df))
        reports.append(report)

    if build_docs:
        try:
            context.build_data_docs(site_names=["annual_etl"])
        except Exception as exc:  # noqa: BLE001 - a rendering bug must not sink the checks
            log.warning("building the Data Docs failed: %s: %s", type(exc).__name__, exc)
        write_summary(reports, docs_path)
    return reports


def _reset_docs_dir(path: Path) -> None:
    """Empty the Data Docs folder, but only one we made (marked) or an empty one."""
    if path.exists():
        if (path / DOCS_MARKER).exists():
            shutil.rmtree(path)
        elif any(path.iterdir()):
            raise RuntimeError(f"{path} is not empty and was not made by annual-etl; refusing to replace it")
    path.mkdir(parents=True, exist_ok=True)
    (path / DOCS_MARKER).write_text("Great Expectations Data Docs built by annual-etl; replaced on each run.\n")


def write_summary(reports: list[SuiteReport], docs_path: Path) -> Path:
    summary = {
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "passed": sum(len(r.passed) for r in reports),
        "failed": sum(len(r.failed) + (1 if r.error else 0) for r in reports),
        "failed_error": sum(len(r.failed_with("error")) + (1 if r.error else 0) for r in reports),
        "failed_warn": sum(len(r.failed_with("warn")) for r in reports),
        "index": str(docs_path / "index.html"),
        "tables": {
            r.table: {
                "rows": r.row_count,
                "passed": len(r.passed),
                "error": r.error,
                "failed": [dict(asdict(o), rows=o.rows[:20]) for o in r.failed],
            }
            for r in reports
        },
    }
    out = docs_path / SUMMARY_FILE
    out.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return out


def data_docs_summary(docs_dir: Path | str | None = None) -> tuple[int, int, Path | None]:
    """(checks passed, checks failed, path of the Data Docs index) from the last build.

    (0, 0, None) when no Data Docs were built yet. For the ``annual-etl ingest`` summary.
    """
    docs_path = Path(docs_dir) if docs_dir else data_docs_dir()
    summary_path = docs_path / SUMMARY_FILE
    if not summary_path.exists():
        return 0, 0, None
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    index = docs_path / "index.html"
    return int(summary["passed"]), int(summary["failed"]), index if index.exists() else None


# ---------------------------------------------------------------------------- deferred Data Docs

PENDING_DIR = ".data_docs_pending"  # beside the Data Docs folder: the rows a builder will validate
HOLDING_PAGE = """<!doctype html><meta charset="utf-8"><title>Data Docs</title>
<p>Great Expectations is building the Data Docs of the last check run; reload in a minute.
The checks themselves already ran: {passed} expectations passed, {failed} failed (summary.json).</p>
"""


def pending_rows_dir(docs_dir: Path | str | None = None) -> Path:
    """A new folder for the rows of one check run, beside the Data Docs (``defer_data_docs``).

    ``suite_sql.evaluate_tables(..., export_to=...)`` writes each suite's rows there as it
    checks them, so the suite queries do not run a second time for GX.
    """
    import uuid

    docs_path = Path(docs_dir) if docs_dir else data_docs_dir()
    pending = docs_path.parent / PENDING_DIR / uuid.uuid4().hex
    pending.mkdir(parents=True)
    return pending


def defer_data_docs(con, reports: list[SuiteReport], documents: list[str] | None = None, *,
                    suites_dir: Path | str | None = None, docs_dir: Path | str | None = None,
                    mode: str = "background", rows_in: Path | None = None) -> Path | None:
    """Record this check run's results now; let GX validate the same rows and build Data Docs later.

    ``summary.json`` (what the ingest summary and quality.html read) and a holding ``index.html``
    are written at once from ``reports`` (the SQL evaluation). The rows each suite validated are
    copied to Parquet, so the builder never opens the warehouse (whose lock would stop the next
    writer), and a detached process runs GX on them (:func:`build_pending_docs`). Returns the
    Data Docs folder, or None when it is not ours to replace. ``mode``: ``background`` (the
    pipeline's), ``sync`` (build here, seconds more) or ``off`` (summary and holding page only).
    ``rows_in``: a ``pending_rows_dir`` that already holds the rows (exported while checking).
    """
    docs_path = Path(docs_dir) if docs_dir else data_docs_dir()
    try:
        _reset_docs_dir(docs_path)
    except (OSError, RuntimeError) as exc:  # the docs are a report: never fail the checks over them
        log.warning("not building the Data Docs: %s", exc)
        return None
    write_summary(reports, docs_path)
    passed, failed = sum(len(r.passed) for r in reports), sum(len(r.failed) + bool(r.error) for r in reports)
    (docs_path / "index.html").write_text(HOLDING_PAGE.format(passed=passed, failed=failed), encoding="utf-8")
    if mode == "off":
        if rows_in is not None:
            shutil.rmtree(rows_in, ignore_errors=True)
        return docs_path
    pending = rows_in or pending_rows_dir(docs_path)
    suites = suite_files(suites_dir)
    for report in reports:
        target = pending / f"{report.table}.parquet"
        if report.error or target.exists():
            continue
        from .suite_sql import scoped_rows

        suite = suites[report.table]
        columns = [d[0] for d in con.execute(f"SELECT * FROM ({suite.query}) LIMIT 0").description]
        scoped = documents is not None and "document_id" in columns
        rows = scoped_rows(con, suite.query, documents if scoped else None)  # COPY binds no parameters
        con.execute(f"COPY ({rows}) TO '{_sql_path(target)}' (FORMAT parquet)")
    (pending / "request.json").write_text(json.dumps({
        "docs_dir": str(docs_path), "suites_dir": str(suites_dir) if suites_dir else None,
        "errors": {r.table: r.error for r in reports if r.error}}), encoding="utf-8")
    (docs_path.parent / PENDING_DIR / "latest").write_text(pending.name, encoding="utf-8")
    if mode == "sync":
        build_pending_docs(pending)
    else:
        _spawn_builder(pending)
    return docs_path


def _sql_path(path: Path) -> str:
    """A path as the inside of a single-quoted SQL literal (COPY takes no bound parameters)."""
    return str(path).replace("'", "''")


def _spawn_builder(pending: Path) -> None:
    """Start ``python -m pipelines.quality.suites PENDING`` detached: it outlives no one's lock."""
    import subprocess
    import sys

    log_path = pending / "build.log"
    with open(log_path, "ab") as out:
        subprocess.Popen([sys.executable, "-m", "pipelines.quality.suites", str(pending)],
                         stdin=subprocess.DEVNULL, stdout=out, stderr=out, start_new_session=True,
                         cwd=str(REPO_ROOT), env=dict(os.environ, PYTHONPATH=os.pathsep.join(
                             p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p)))


def build_pending_docs(pending: Path | str) -> Path | None:
    """Validate the copied rows with GX and replace the Data Docs with its HTML (latest request only).

    Builders take turns (a lock file); a request that a newer one has replaced is dropped.
    """
    import fcntl

    pending = Path(pending)
    request = json.loads((pending / "request.json").read_text(encoding="utf-8"))
    docs_path = Path(request["docs_dir"])
    root = pending.parent
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            latest = (root / "latest").read_text(encoding="utf-8").strip()
            if latest != pending.name:
                return None
            import pandas as pd

            frames: dict[str, Any] = dict(request.get("errors") or {})
            for path in sorted(pending.glob("*.parquet")):
                frames[path.stem] = pd.read_parquet(path)
            building = docs_path.with_name(docs_path.name + ".building")
            shutil.rmtree(building, ignore_errors=True)
            try:
                validate_frames(frames, suites_dir=request.get("suites_dir"), docs_dir=building, build_docs=True)
            except Exception as exc:  # say so where the Data Docs are looked for, not in a vanished log
                shutil.rmtree(building, ignore_errors=True)
                if (root / "latest").read_text(encoding="utf-8").strip() == pending.name:
                    (docs_path / "index.html").write_text(
                        HOLDING_PAGE.split("<p>")[0] + "<p>Great Expectations could not build the Data Docs: "
                        + html.escape(f"{type(exc).__name__}: {exc}") + "</p>\n", encoding="utf-8")
                raise
            if (root / "latest").read_text(encoding="utf-8").strip() != pending.name:
                shutil.rmtree(building, ignore_errors=True)
                return None  # a newer check run wrote its summary meanwhile; its builder follows
            old = docs_path.with_name(docs_path.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            if docs_path.exists():
                os.replace(docs_path, old)
            os.replace(building, docs_path)
            shutil.rmtree(old, ignore_errors=True)
            return docs_path
        finally:
            shutil.rmtree(pending, ignore_errors=True)


if __name__ == "__main__":  # the detached Data Docs builder started by defer_data_docs
    import sys

    logging.basicConfig(level=logging.WARNING)
    build_pending_docs(sys.argv[1])
