"""`annual-etl`: ingest documents, query the warehouse, write region reports.

`ingest` runs the same Dagster job the sensor and the schedule run, in process, on the local
Dagster instance; Dagster's and Great Expectations' logs go to logs/annual-etl.log and the
terminal gets a progress bar and a one-screen summary.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import time
from pathlib import Path

from .settings import REPO_ROOT, archive_dir, dagster_home, log_dir, warehouse_path


def _setup_logging() -> Path:
    """Send every library's log records to a file; keep the terminal for the summary."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    log_file = folder / "annual-etl.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.captureWarnings(True)  # Dagster's beta warnings and the like go to the file too
    for name in ("dagster", "great_expectations"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.propagate = False
    return log_file


def _prepare_dagster_home() -> Path:
    """DAGSTER_HOME (default .dagster_home/) holding a copy of the repository's dagster.yaml."""
    home = dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    source, target = REPO_ROOT / "dagster.yaml", home / "dagster.yaml"
    if source.exists() and (not target.exists() or target.read_bytes() != source.read_bytes()):
        partial = home / f".dagster.yaml.{os.getpid()}"
        shutil.copyfile(source, partial)
        os.replace(partial, target)  # atomic: a concurrent first run never reads half a file
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def _say(message: str = "") -> None:
    print(message, flush=True)


def cmd_ingest(args: argparse.Namespace) -> int:
    log_file = _setup_logging()
    _prepare_dagster_home()
    if args.warehouse:
        os.environ["ANNUAL_ETL_WAREHOUSE"] = str(Path(args.warehouse).absolute())
    from .ingest import run_ingest  # heavy imports (dagster) after logging is set up

    started = time.monotonic()
    summary = run_ingest([Path(p) for p in args.paths], warehouse=warehouse_path(), archive=archive_dir(),
                         log_file=log_file, say=lambda m: print(m, file=sys.stderr, flush=True))
    summary.print(_say, seconds=time.monotonic() - started, log_file=log_file)
    return 0 if summary.succeeded else 1


def _read_sql(args: argparse.Namespace) -> str:
    if args.file:
        return Path(args.file).read_text(encoding="utf-8")
    if not args.sql:
        raise SystemExit("annual-etl query: give SQL or --file FILE")
    return args.sql


def cmd_query(args: argparse.Namespace) -> int:
    from .warehouse import WarehouseBusy, connect

    sql = _read_sql(args)
    path = Path(args.warehouse) if args.warehouse else warehouse_path()
    try:
        # read-only, and no file or network access from SQL (COPY … TO, read_csv('/etc/…'), httpfs)
        with connect(path, read_only=True, wait_seconds=args.wait, config={"enable_external_access": False},
                     on_wait=lambda m: print(m + " … (read-only query will run when it finishes)",
                                             file=sys.stderr, flush=True)) as con:
            cursor = con.execute(sql)
            columns = [d[0] for d in cursor.description] if cursor.description else []
            rows = cursor.fetchall() if columns else []
    except WarehouseBusy as busy:
        print(f"annual-etl query: {busy}", file=sys.stderr)
        return 3
    except FileNotFoundError as missing:
        print(f"annual-etl query: {missing}", file=sys.stderr)
        return 2
    except Exception as error:  # duckdb errors: show the message, not a traceback
        print(f"annual-etl query: {type(error).__name__}: {error}", file=sys.stderr)
        return 2
    _print_rows(columns, rows, args.format)
    return 0


def _print_rows(columns: list[str], rows: list[tuple], fmt: str) -> None:
    if fmt == "json":
        print(json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False, default=str, indent=1))
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        import pandas as pd

        with pd.option_context("display.max_rows", 500, "display.max_columns", 50, "display.width", 200,
                               "display.max_colwidth", 60, "display.unicode.east_asian_width", True):
            frame = pd.DataFrame([["" if v is None else v for v in row] for row in rows], columns=columns, dtype=object)
            print(frame.to_string(index=False) if len(frame) else "(no rows)")


def cmd_report(args: argparse.Namespace) -> int:
    from .report import write_region_reports
    from .warehouse import connect

    out = Path(args.out)
    try:
        with connect(Path(args.warehouse) if args.warehouse else warehouse_path(), read_only=True) as con:
            written = write_region_reports(con, out, region=args.region)
    except (RuntimeError, FileNotFoundError) as error:  # no warehouse or marts yet
        print(f"annual-etl report: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    if not written:
        print("no region with facts in the warehouse" + (f" matching {args.region}" if args.region else ""),
              file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="annual-etl", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ingest = sub.add_parser("ingest", help="ingest files or folders of reports (.txt, .html, .pdf)")
    ingest.add_argument("paths", nargs="+", help="files or folders")
    ingest.add_argument("--warehouse", help="DuckDB file (default: $ANNUAL_ETL_WAREHOUSE or warehouse/annual_reports.duckdb)")
    ingest.set_defaults(func=cmd_ingest)
    query = sub.add_parser("query", help="run read-only SQL against the warehouse")
    query.add_argument("sql", nargs="?", help="the SQL to run")
    query.add_argument("--file", help="read the SQL from a file (e.g. warehouse/queries/*.sql)")
    query.add_argument("--warehouse", help="DuckDB file")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.add_argument("--wait", type=float, default=300.0, help="seconds to wait while an ingest holds the warehouse")
    query.set_defaults(func=cmd_query)
    report = sub.add_parser("report", help="write a self-contained HTML report per region")
    report.add_argument("--region", help="only this region (name or code)")
    report.add_argument("--out", default=str(REPO_ROOT / "reports"), help="output folder (default: reports/)")
    report.add_argument("--warehouse", help="DuckDB file")
    report.set_defaults(func=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `annual-etl query … | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
