"""`annual-etl`: ingest documents, query the warehouse, write region reports.

`ingest` runs the steps that the Dagster assets run (``pipelines.steps``) in process, and has
them recorded in the local Dagster instance afterwards (docs/cli.md); the logs go to
HOME/logs/annual-etl.log and the terminal gets a progress bar and a one-screen summary. Everything a command writes goes
into one home folder (``--home DIR``, ANNUAL_ETL_HOME; see ``pipelines.settings``).
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

from .settings import (REPO_ROOT, alert_log_path, archive_dir, dagster_home, home, legacy_hint, log_dir, places,
                       reports_dir, use_home, warehouse_path)


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
    """DAGSTER_HOME (default HOME/dagster/) holding a copy of the repository's dagster.yaml."""
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
    from .ingest import run_ingest  # imports after logging is set up

    from .warehouse import WarehouseBusy

    paths = [Path(p) for p in args.paths]
    missing = [p for p in paths if not p.exists()]
    if missing and len(missing) == len(paths):
        raise UsageError("nothing to ingest: " + ", ".join(map(str, missing[:5])) + (" does" if len(missing) == 1 else " do")
                         + " not exist")
    for path in missing:  # recorded as rejected ("file not found") with the rest; said here too
        print(f"annual-etl ingest: {path} does not exist", file=sys.stderr)
    started = time.monotonic()
    try:
        summary = run_ingest(paths, warehouse=warehouse_path(), archive=archive_dir(),
                             say=lambda m: print(m, file=sys.stderr, flush=True))
    except WarehouseBusy as busy:
        print(f"annual-etl ingest: {busy}", file=sys.stderr)
        return 3
    except Exception as error:  # systemic: the traceback goes to the log, one line to the terminal
        logging.getLogger("annual_etl").exception("ingest failed")
        print(f"annual-etl ingest: FAILED: {type(error).__name__}: {error} (traceback in {log_file})", file=sys.stderr)
        return 1
    summary.print(_say, seconds=time.monotonic() - started, log_file=log_file)
    return 0 if summary.succeeded else 1


class UsageError(Exception):
    """Bad input from the person at the terminal: one line on stderr, exit 2, no traceback."""


def _read_sql(args: argparse.Namespace) -> str:
    if args.file:
        path = Path(args.file)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise UsageError(f"no such SQL file: {path}") from None
        except IsADirectoryError:
            raise UsageError(f"{path} is a folder, not a SQL file") from None
        except UnicodeDecodeError:
            raise UsageError(f"{path} is not UTF-8 text") from None
        except OSError as error:
            raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    if not args.sql:
        raise UsageError("give SQL or --file FILE")
    return args.sql


def _statements(sql: str) -> list[str]:
    """The statements of ``sql`` in order (a file may hold several; each result is printed)."""
    import duckdb

    try:
        statements = [s.query.strip() for s in duckdb.extract_statements(sql)]
    except duckdb.Error as error:
        raise UsageError(_one_line(error)) from None
    statements = [s for s in statements if s.rstrip(";").strip()]
    if not statements:
        raise UsageError("the SQL holds no statement")
    return statements


def _one_line(error: Exception) -> str:
    """DuckDB's message without its multi-line context: one line a person reads at once."""
    first = next((line.strip() for line in str(error).splitlines() if line.strip()), "")
    return f"{type(error).__name__}: {first}"


def _warehouse_arg(args: argparse.Namespace) -> Path:
    return Path(args.warehouse) if getattr(args, "warehouse", None) else warehouse_path()


def cmd_query(args: argparse.Namespace) -> int:
    from .warehouse import WarehouseBusy, connect

    statements = _statements(_read_sql(args))
    results: list[tuple[str, list[str], list[tuple]]] = []
    try:
        # read-only, and no file or network access from SQL (COPY … TO, read_csv('/etc/…'), httpfs)
        with connect(_warehouse_arg(args), read_only=True, wait_seconds=args.wait,
                     config={"enable_external_access": False},
                     on_wait=lambda m: print(m + " … (read-only query will run when it finishes)",
                                             file=sys.stderr, flush=True)) as con:
            for number, statement in enumerate(statements, 1):
                try:
                    cursor = con.execute(statement)
                    columns = [d[0] for d in cursor.description] if cursor.description else []
                    rows = cursor.fetchall() if columns else []
                except Exception as error:  # duckdb errors: the message, not a traceback
                    where = f" (statement {number} of {len(statements)})" if len(statements) > 1 else ""
                    _print_results(results, args)
                    print(f"annual-etl query{where}: {_one_line(error)}", file=sys.stderr)
                    return 2
                results.append((statement, columns, rows))
    except WarehouseBusy as busy:
        print(f"annual-etl query: {busy}", file=sys.stderr)
        return 3
    except FileNotFoundError as missing:
        print(f"annual-etl query: {missing}{legacy_hint(_warehouse_arg(args))}", file=sys.stderr)
        return 2
    _print_results(results, args)
    return 0


def _print_results(results: list[tuple[str, list[str], list[tuple]]], args: argparse.Namespace) -> None:
    """Each statement's result; with several, each under a line naming its statement."""
    shown = [r for r in results if r[1]] if len(results) > 1 else results
    for index, (statement, columns, rows) in enumerate(shown):
        if len(shown) > 1 and args.format == "table":
            if index:
                print()
            first_line = " ".join(statement.split())
            print(f"-- {first_line[:100] + ('…' if len(first_line) > 100 else '')}")
        _print_rows(columns, rows, args.format, bom=args.bom and index == 0, raw=args.raw)


def _print_rows(columns: list[str], rows: list[tuple], fmt: str, *, bom: bool = False, raw: bool = False) -> None:
    if fmt == "json":
        print(json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False, default=str, indent=1))
    elif fmt == "csv":
        import csv

        if bom:  # Excel reads a UTF-8 CSV without a BOM as the local code page: 北京 becomes mojibake
            sys.stdout.write("\ufeff")
        writer = csv.writer(sys.stdout, lineterminator="\r\n" if bom else "\n")
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        from . import display

        if not columns:
            print("(done)")
            return
        if raw:
            cells, notes = [[display.cell_text(v) for v in row] for row in rows], []
        else:
            cells, notes = display.humanize(columns, rows)
        numeric = display.numeric_columns(rows, len(columns))
        width = shutil.get_terminal_size((120, 24)).columns
        print(display.render_table(columns, cells, width, numeric))
        count = len(rows)
        if not count:
            return
        print(f"({count} row{'' if count == 1 else 's'})" + "".join(f"; {n}" for n in notes))


def cmd_report(args: argparse.Namespace) -> int:
    from .report import find_regions, list_regions, write_region_reports
    from .warehouse import connect

    out = Path(args.out) if args.out else reports_dir()
    try:
        with connect(_warehouse_arg(args), read_only=True) as con:
            if args.list:
                regions = list_regions(con)
                for name, code in regions:
                    print(f"{code or '-':8} {name}")
                if not regions:
                    print("no region with facts in the warehouse", file=sys.stderr)
                return 0 if regions else 1
            if args.region:
                matches = find_regions(con, args.region)
                if len(matches) > 1:
                    names = ", ".join(f"{n} ({c})" if c else n for n, c in matches)
                    raise UsageError(f"--region {args.region} matches {len(matches)} regions: {names};"
                                     " give more of the name or the code")
            written = write_region_reports(con, out, region=args.region, lang=args.lang)
    except (RuntimeError, FileNotFoundError) as error:  # no warehouse or marts yet
        print(f"annual-etl report: {error}{legacy_hint(_warehouse_arg(args))}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    if not written:
        print("no region with facts in the warehouse" + (f" matching {args.region}" if args.region else "")
              + " (annual-etl report --list shows them)", file=sys.stderr)
        return 1
    return 0


def cmd_alerts(args: argparse.Namespace) -> int:
    """The latest alerts, newest first, from the warehouse (or the alert log without one)."""
    from .quality.alerts import WEBHOOK_ENV, _webhook_label, recent_alerts

    try:
        alerts, source = recent_alerts(_warehouse_arg(args), limit=args.limit, severity=args.severity)
    except Exception as error:  # a warehouse too old for quality.alerts, a locked one …
        print(f"annual-etl alerts: {_one_line(error)}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(alerts, ensure_ascii=False, default=str, indent=1))
        return 0
    from . import display

    width = shutil.get_terminal_size((120, 24)).columns
    for alert in alerts:
        head = f"{display.cell_text(alert['created_at'])}  {alert['severity'].upper():5}  {alert['check_name']}"
        print(head)
        for chunk in display.wrap(alert["message"] or "", max(20, width - 4))[:6]:
            print("    " + chunk)
        if alert.get("delivered_to"):
            print("    → " + display.truncate(str(alert["delivered_to"]), max(20, width - 6)))
    webhook = os.environ.get(WEBHOOK_ENV)
    print(f"({len(alerts)} alert{'' if len(alerts) == 1 else 's'} from {source}; new alerts go to"
          f" {alert_log_path()}" + (f" and {_webhook_label(webhook)}" if webhook else
                                     f"; set {WEBHOOK_ENV} to have them POSTed") + ")",
          file=sys.stderr)
    return 0


def cmd_home(args: argparse.Namespace) -> int:
    """Where this home keeps each thing (what `--home` or ANNUAL_ETL_HOME chose)."""
    for name, path in places().items():
        print(f"{name:10} {path}")
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    """`dagster dev` (UI and daemon) on this home's instance: sensors and schedules read this home."""
    dagster_dir = _prepare_dagster_home()
    os.environ["ANNUAL_ETL_HOME"] = str(home())
    dagster = Path(sys.executable).parent / "dagster"
    command = [str(dagster) if dagster.exists() else "dagster", "dev", "-m", "pipelines.definitions",
               "-h", args.host, "-p", str(args.port)]
    print(f"Dagster UI on http://{args.host}:{args.port} — home {home()}, instance {dagster_dir}", file=sys.stderr)
    os.execvp(command[0], command)
    return 0  # not reached


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export_warehouse

    try:
        written = export_warehouse(_warehouse_arg(args), Path(args.out), fmt=args.format, wait_seconds=args.wait)
    except (FileNotFoundError, FileExistsError) as error:  # no warehouse; an output folder in use
        raise UsageError(str(error)) from None
    for path in written:
        print(path)
    return 0


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        package = version("annual-etl")
    except PackageNotFoundError:
        package = "unknown"
    from .versioning import extractor_version

    return f"annual-etl {package} (extractor {extractor_version()})"


class _VersionAction(argparse.Action):
    """--version: computed only when asked (the extractor version hashes the rule files)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(_version())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    # --home on the main parser and on every command (`annual-etl --home D query …` and
    # `annual-etl query … --home D` both work); SUPPRESS keeps a command from resetting it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--home", default=argparse.SUPPRESS, metavar="DIR",
                        help="folder holding everything annual-etl writes (default: $ANNUAL_ETL_HOME or .annual-etl/)")
    warehouse = argparse.ArgumentParser(add_help=False)
    warehouse.add_argument("--warehouse", metavar="FILE", help="the DuckDB file (default: HOME/warehouse/annual_reports.duckdb)")

    parser = argparse.ArgumentParser(prog="annual-etl", description=__doc__.splitlines()[0])
    parser.add_argument("--home", metavar="DIR", help="folder holding everything annual-etl writes"
                        " (default: $ANNUAL_ETL_HOME, else .annual-etl/ in the checkout)")
    parser.add_argument("--version", "-V", action=_VersionAction, nargs=0, help="print the version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    ingest = sub.add_parser("ingest", parents=[common, warehouse],
                            help="ingest files or folders of reports (.txt, .html, .pdf)")
    ingest.add_argument("paths", nargs="+", help="files or folders")
    ingest.set_defaults(func=cmd_ingest)
    query = sub.add_parser("query", parents=[common, warehouse], help="run read-only SQL against the warehouse")
    query.add_argument("sql", nargs="?", help="the SQL to run (several statements: each result is printed)")
    query.add_argument("--file", help="read the SQL from a file (e.g. warehouse/queries/*.sql)")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table",
                       help="table: for people (amounts in 亿元/万元, fits the terminal); csv, json: base units")
    query.add_argument("--bom", action="store_true", help="CSV with a UTF-8 byte-order mark (Excel opens it right)")
    query.add_argument("--raw", action="store_true", help="table without rescaling amounts")
    query.add_argument("--wait", type=float, default=300.0, help="seconds to wait while an ingest holds the warehouse")
    query.set_defaults(func=cmd_query)
    report = sub.add_parser("report", parents=[common, warehouse], help="write a self-contained HTML report per region")
    report.add_argument("--region", help="only this region: name, part of it (大兴) or 6-digit code")
    report.add_argument("--list", action="store_true", help="list the regions with figures and stop")
    report.add_argument("--lang", choices=("zh", "en"), default="zh", help="page language (default zh)")
    report.add_argument("--out", help="output folder (default: HOME/reports/)")
    report.set_defaults(func=cmd_report)
    alerts = sub.add_parser("alerts", parents=[common, warehouse], help="list the latest alerts, newest first")
    alerts.add_argument("--limit", type=int, default=20, help="how many (default 20)")
    alerts.add_argument("--severity", choices=("warn", "error"), help="only this severity")
    alerts.add_argument("--format", choices=("text", "json"), default="text")
    alerts.set_defaults(func=cmd_alerts)
    export = sub.add_parser("export", parents=[common, warehouse],
                            help="write the marts and core tables with a data dictionary (Parquet or CSV)")
    export.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    export.add_argument("--out", required=True, help="new or empty output folder")
    export.add_argument("--wait", type=float, default=300.0, help="seconds to wait while an ingest holds the warehouse")
    export.set_defaults(func=cmd_export)
    home_cmd = sub.add_parser("home", parents=[common], help="show where this home keeps each thing")
    home_cmd.set_defaults(func=cmd_home)
    ui = sub.add_parser("ui", parents=[common], help="Dagster UI and daemon (sensors, schedule) on this home")
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "home", None):
        use_home(args.home)
    try:
        return args.func(args)
    except UsageError as error:
        print(f"annual-etl {args.command}: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `annual-etl query … | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print(f"annual-etl {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
