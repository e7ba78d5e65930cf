"""Security properties of the pipeline, checked on the real code.

- SQL: values are bound; only identifiers from fixed lists are pasted (static review below,
  plus hostile names and texts through a real ingest).
- Files: only what was offered under the given roots is read (symlinks out are refused).
- HTML is parsed, never executed or fetched (scripts, iframes, images, external entities).
- No network at all unless the alert webhook is configured, and then only to that webhook.
"""

from __future__ import annotations

import ast
import http.server
import json
import os
import re
import shutil
import socketserver
import sys
import textwrap
import threading
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLES = REPO_ROOT / "sources" / "samples"

# ---------------------------------------------------------------------------- SQL, statically

SQL_METHODS = {"execute", "executemany", "sql", "query", "fetch_df"}
# Every place that builds SQL text at run time, reviewed: what is pasted and why it is not data.
REVIEWED = {
    ("pipelines/load.py", "_load_core"): "table from the fixed tuple of core/quarantine tables",
    ("pipelines/warehouse.py", "insert_rows"): "table and columns from code constants (*_COLUMNS)",
    ("pipelines/warehouse.py", "ensure_schema"): "core.indicators' columns from its declaration (names checked "
                                                  "by tables.read_table); values bound (?)",
    ("pipelines/tables.py", "ddl"): "names and types checked by read_table against a pattern and a fixed list; "
                                    "CHECK values quoted literals; default a bool or number",
    ("pipelines/tables.py", "create_sql"): "table and column names checked by read_table; column DDL from ddl",
    ("pipelines/tables.py", "apply"): "schema, table and column names checked by read_table; the description "
                                      "from the repo's .yml, a quoted literal (COMMENT ON takes no parameter)",
    ("pipelines/marts.py", "apply_comments"): "mart name checked by _check_name, quoted ident; "
                                              "comment text from the repo's .yml, quoted literal",
    ("pipelines/marts.py", "build_mart"): "mart name checked by _check_name, quoted ident",
    ("pipelines/marts.py", "mart_preview_markdown"): "quoted ident of a checked mart name; LIMIT bound",
    ("pipelines/quality/cross_document.py", "refresh_findings"): "SQL files of the repo; values bound by name",
    ("pipelines/quality/suites.py", "read_suite_file"): "table matched against the schema.table pattern",
    ("pipelines/report.py", "_documents"): "only '?' placeholders are joined; ids are bound",
    ("pipelines/ingest.py", "print"): "a hint printed for people, never executed",
    ("pipelines/quality/suite_sql.py", "_where"): "column names from the repo's suite YAML, quoted idents; "
                                                  "operators from a fixed set; values bound (?)",
    ("pipelines/quality/suite_sql.py", "unexpected_predicate"): "column names from the repo's suite YAML, quoted "
                                                                "idents; values bound (?); rows_of a temp table "
                                                                "name made in code",
    ("pipelines/quality/suite_sql.py", "evaluate_suite"): "suite table/query from the repo's YAML and SQL files "
                                                          "(table checked by read_suite_file); temp table name "
                                                          "made in code; the Parquet path is the home's, quoted",
    ("pipelines/quality/suite_sql.py", "scoped_rows"): "the suite's query from the repo's SQL files; document ids "
                                                       "are in a registered relation, not pasted",
    ("pipelines/quality/suite_sql.py", "_evaluate_rows"): "predicates from unexpected_predicate (values bound); "
                                                          "temp table name and LIMIT constant from code",
    ("pipelines/quality/suites.py", "defer_data_docs"): "the suite's query from the repo's SQL files; the "
                                                        "Parquet path is the home's, a quoted literal",
    ("pipelines/export.py", "_write_table"): "schema and table from duckdb_tables() of marts/core, matched "
                                             "against [a-z_][a-z0-9_]*, quoted idents; the output file path "
                                             "is a quoted literal ('' doubled); COPY takes no bound path",
}


_SQL_TEXT = re.compile(r"^\s*(SELECT|INSERT|DELETE|UPDATE|CREATE|DROP|COMMENT|ALTER|COPY|ATTACH|WITH)\b"
                       r"|\b(FROM|WHERE|INTO|VALUES|JOIN)\b")


def _is_built_sql(node: ast.AST) -> bool:
    """An f-string, + or .format() that yields SQL text with run-time parts."""
    if isinstance(node, ast.JoinedStr):
        literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        return any(isinstance(v, ast.FormattedValue) for v in node.values) and bool(_SQL_TEXT.search(literal))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        base = node.func.value
        return isinstance(base, ast.Constant) and isinstance(base.value, str) and bool(_SQL_TEXT.search(base.value))
    return False


def _dynamic_sql_sites(path: Path) -> list[tuple[str, int, str]]:
    """(enclosing function, line, source) of every SQL text built at run time.

    Caught: f-strings and .format() whose literal text reads as SQL (wherever they go: straight
    into execute(), into a variable, into a helper), and any non-literal first argument of
    execute()/executemany()/sql()/query() built with + from non-constants.
    """
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    sites = []

    def visit(node, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if _is_built_sql(child):
                sites.append((function, child.lineno, ast.get_source_segment(source, child)))
            elif isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute) \
                    and child.func.attr in SQL_METHODS and child.args and isinstance(child.args[0], ast.BinOp) \
                    and not all(isinstance(s, ast.Constant) for s in (child.args[0].left, child.args[0].right)):
                sites.append((function, child.lineno, ast.get_source_segment(source, child)))
            visit(child, name)

    visit(tree, "<module>")
    return sites


def test_every_sql_built_at_run_time_is_reviewed():
    unreviewed = []
    for path in sorted((REPO_ROOT / "pipelines").rglob("*.py")):
        rel = path.relative_to(REPO_ROOT).as_posix()
        for function, line, source in _dynamic_sql_sites(path):
            if (rel, function) not in REVIEWED:
                unreviewed.append(f"{rel}:{line} in {function}: {source[:120]}")
    assert not unreviewed, ("SQL text built at run time outside the reviewed places: bind the values"
                            " (?), or add the place to REVIEWED saying why what is pasted is not data:\n"
                            + "\n".join(unreviewed))


def test_the_static_review_catches_a_pasted_value(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(textwrap.dedent("""
        def find(con, name):
            return con.execute(f"SELECT * FROM raw.documents WHERE file_name = '{name}'").fetchall()
        def fine(con, name):
            return con.execute("SELECT * FROM raw.documents WHERE file_name = ?", [name]).fetchall()
    """))
    assert [(f, line) for f, line, _ in _dynamic_sql_sites(bad)] == [("find", 3)]


# ---------------------------------------------------------------------------- hostile input, end to end

class _Recorder(http.server.BaseHTTPRequestHandler):
    """A loopback HTTP server that records every request (the only server these tests talk to)."""

    requests: list[tuple[str, str, bytes]] = []

    def _record(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        type(self).requests.append((self.command, self.path, self.rfile.read(length) if length else b""))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_HEAD = _record

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def recorder():
    handler = type("Recorder", (_Recorder,), {"requests": []})
    server = socketserver.TCPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.requests
    finally:
        server.shutdown()
        server.server_close()


AUDITED_CLI = textwrap.dedent("""
    import json, socket, sys
    events = []
    def hook(event, args):
        if event == "socket.connect":
            sock, address = args
            if sock.family != socket.AF_UNIX:
                events.append(["connect", repr(address)])
        elif event == "socket.getaddrinfo":
            events.append(["getaddrinfo", repr(args[0]), repr(args[1])])
        elif event == "open" and isinstance(args[0], str) and args[0].startswith(sys.argv[2]):
            events.append(["open", args[0]])
    sys.addaudithook(hook)
    from pipelines.cli import main
    code = main(sys.argv[3:])
    with open(sys.argv[1], "w") as out:
        json.dump(events, out)
    sys.exit(code)
""")


def _audited_ingest(etl, watched: Path, *paths: Path, env: dict | None = None):
    """Run `annual-etl ingest` with an audit hook: (exit, stdout+stderr, network events, files opened under ``watched``)."""
    import subprocess

    script = etl.root / "audited_cli.py"
    script.write_text(AUDITED_CLI)
    events_file = etl.root / "events.json"
    done = subprocess.run([sys.executable, str(script), str(events_file), str(watched), "ingest", *map(str, paths)],
                          env={**etl.env, **(env or {}), "PYTHONPATH": str(REPO_ROOT)}, cwd=etl.root,
                          capture_output=True, text=True, timeout=240)
    events = json.loads(events_file.read_text()) if events_file.exists() else None
    assert events is not None, done.stdout + done.stderr
    network = [e for e in events if e[0] != "open"]
    opened = sorted({e[1] for e in events if e[0] == "open"})
    return done.returncode, done.stdout + done.stderr, network, opened


def _hostile_html(base: str) -> str:
    good = (SAMPLES / "dx-2022-plan.txt").read_text(encoding="utf-8")
    return textwrap.dedent(f"""\
        <?xml version="1.0"?>
        <!DOCTYPE html [<!ENTITY secret SYSTEM "file://{{secret}}">]>
        <html><head><title>大兴区报告</title>
        <script src="{base}/script.js"></script>
        <link rel="stylesheet" href="{base}/style.css">
        <meta http-equiv="refresh" content="0; url={base}/refresh">
        <script>document.write("地区生产总值增长99.9%"); fetch("{base}/fetch");</script>
        </head><body onload="fetch('{base}/onload')">
        <iframe src="{base}/iframe"></iframe><img src="{base}/pixel.gif">
        <p>&secret;</p>
        <object data="{base}/object"></object>
        """) + "".join(f"<p>{line}</p>\n" for line in good.splitlines() if line.strip()) + "</body></html>\n"


@pytest.mark.slow
def test_hostile_html_and_names_are_data_never_code_and_nothing_leaves_the_machine(etl, recorder, tmp_path):
    base, requests = recorder
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("TOP-SECRET-MARKER", encoding="utf-8")
    os.symlink(secret, etl.sources / "link-out.txt")
    html = _hostile_html(base).replace("{secret}", str(secret))
    (etl.sources / "hostile.html").write_text(html, encoding="utf-8")
    injected = "x'); DROP TABLE core.documents; --.txt"
    shutil.copyfile(SAMPLES / "dx-2024-gwr.txt", etl.sources / injected)

    code, output, network, opened = _audited_ingest(etl, secret.parent, etl.sources)
    assert code == 0, output
    assert network == []  # no webhook configured: not one socket opened, not one name resolved
    assert requests == []  # nothing fetched what the page points at
    assert opened == []  # the symlink's target was never opened

    rows = {r[0]: r[1:] for r in etl.rows("SELECT file_name, status, reject_reason FROM raw.documents")}
    assert rows[injected][0] == "parsed"  # the name is data: stored verbatim, tables intact
    assert rows["link-out.txt"][0] == "rejected" and "outside the sources root" in rows["link-out.txt"][1]
    assert rows["hostile.html"][0] == "parsed", rows["hostile.html"]
    assert etl.rows("SELECT count(*) FROM core.documents")[0][0] == 2
    text = etl.rows("SELECT t.text FROM raw.document_texts t JOIN raw.documents d USING (document_id)"
                    " WHERE d.file_name = 'hostile.html'")[0][0]
    assert "TOP-SECRET-MARKER" not in text  # external entity not resolved
    assert "document.write" not in text and "fetch(" not in text and "99.9" not in text  # scripts dropped
    assert "一般公共预算收入" in text or "地区生产总值" in text  # the report itself was read
    assert not etl.rows("SELECT 1 FROM core.indicator_facts WHERE value = 99.9")


@pytest.mark.slow
def test_network_only_to_the_configured_webhook(etl, recorder):
    base, requests = recorder
    shutil.copytree(SAMPLES, etl.sources / "samples")
    # two figures that cannot be read (quarantined, so alerted): 84.4.1亿元 and a bare 增长%
    planted = (SAMPLES / "dx-2022-plan.txt").read_text(encoding="utf-8") + "\n全区地区生产总值完成84.4.1亿元,同比增长%。\n"
    (etl.sources / "samples" / "dx-2022-plan-planted.txt").write_text(planted, encoding="utf-8")
    code, output, network, _ = _audited_ingest(
        etl, etl.root / "nothing", etl.sources / "samples",
        env={"ANNUAL_ETL_ALERT_WEBHOOK": f"{base}/hook"})
    assert code == 0, output
    alerts = etl.rows("SELECT count(*), count(*) FILTER (delivered_to LIKE '%HTTP 200%') FROM quality.alerts")[0]
    assert alerts[0] >= 2, "expected alerts for the two quarantined figures"
    assert alerts[1] == alerts[0]
    posts = [r for r in requests if r[0] == "POST" and r[1] == "/hook"]
    assert len(posts) == len(requests) == alerts[0]
    assert all(json.loads(body)["check_name"] for _, _, body in posts)
    port = base.rsplit(":", 1)[1]
    assert network and all("127.0.0.1" in " ".join(e) and port in " ".join(e) for e in network), network
