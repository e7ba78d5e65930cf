"""Alerts: every failed check and every quarantined figure raises one.

An alert is delivered three ways by ``dispatch``:
1. a row in ``quality.alerts`` (the record; ``alert_id`` is its key),
2. a line in a JSON-lines log (``ANNUAL_ETL_ALERT_LOG``, default ``HOME/logs/alerts.jsonl``),
3. a JSON POST to ``ANNUAL_ETL_ALERT_WEBHOOK`` when it is set (short timeout, a few retries
   with backoff; a webhook that is down never fails the caller, it is recorded in ``delivered_to``).

``alert_id`` is a hash of what the alert is about (check, document, figure …), never of the time
or the run, so re-running the same data raises nothing new: ``dispatch`` skips ids already in
``quality.alerts``.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Sequence
from urllib.parse import urlsplit

from .. import tables

LOG_ENV = "ANNUAL_ETL_ALERT_LOG"
WEBHOOK_ENV = "ANNUAL_ETL_ALERT_WEBHOOK"
WEBHOOK_TIMEOUT_S = 3.0
WEBHOOK_ATTEMPTS = 3
WEBHOOK_BACKOFF_S = 0.5  # doubled after each failed attempt

ALERT_COLUMNS = tables.columns("quality.alerts")
INSERT_ALERT_SQL = (
    "INSERT INTO quality.alerts (" + ", ".join(ALERT_COLUMNS) + ") VALUES ("
    + ", ".join("?" for _ in ALERT_COLUMNS) + ") ON CONFLICT (alert_id) DO NOTHING"
)
EXISTING_ALERTS_SQL = "SELECT alert_id FROM quality.alerts WHERE list_contains(?::VARCHAR[], alert_id)"

QUARANTINE_SQL = """
SELECT q.document_id, q.raw_text, q.sentence, q.char_start, q.char_end, q.check_name, q.reason,
       q.severity, q.indicator_code, d.title, d.region, r.file_name
FROM quality.quarantine AS q
LEFT JOIN core.documents AS d ON d.document_id = q.document_id
LEFT JOIN raw.documents AS r ON r.document_id = q.document_id
WHERE ?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], q.document_id)
ORDER BY q.document_id, q.char_start NULLS LAST, q.check_name, q.raw_text
"""

DOCUMENT_NAMES_SQL = """
SELECT r.document_id, coalesce(d.title, r.file_name) AS name, r.file_name, d.region
FROM raw.documents AS r
LEFT JOIN core.documents AS d ON d.document_id = r.document_id
WHERE list_contains(?::VARCHAR[], r.document_id)
"""


@dataclass(frozen=True)
class Alert:
    alert_id: str
    severity: str  # 'warn' | 'error'
    check_name: str
    document_id: str | None
    message: str  # what happened and what to do, in words a person can act on
    figure: str | None = None  # the figure as written, when the alert is about one
    sentence: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc).replace(tzinfo=None))
    delivered_to: str | None = None

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["created_at"] = self.created_at.isoformat(timespec="seconds")
        return out


def alert_id_for(*parts: Any) -> str:
    """A deterministic id from what the alert is about."""
    blob = json.dumps([str(p) if p is not None else None for p in parts], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]


def make_alert(
    *,
    severity: str,
    check_name: str,
    message: str,
    key: Sequence[Any],
    document_id: str | None = None,
    figure: str | None = None,
    sentence: str | None = None,
    details: dict[str, Any] | None = None,
) -> Alert:
    """An alert whose id is derived from ``check_name``, ``document_id`` and ``key``."""
    severity = "error" if severity == "error" else "warn"
    return Alert(
        alert_id=alert_id_for(check_name, document_id, *key),
        severity=severity,
        check_name=check_name,
        document_id=document_id,
        message=message,
        figure=figure,
        sentence=sentence,
        details=dict(details or {}),
    )


def quote(text: str | None, limit: int = 160) -> str:
    """Text in quotation marks, shortened to ``limit`` characters."""
    text = (text or "").strip()
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


def _doc_name(document_id: str | None, title: str | None, file_name: str | None) -> str:
    name = title or file_name
    return f"{name} ({document_id})" if name else f"document {document_id}"


# ---------------------------------------------------------------------------- building alerts


def alerts_for_quarantine(con, document_ids: Iterable[str] | None = None) -> list[Alert]:
    """One alert per quarantined figure of these documents (all documents when None)."""
    ids = None if document_ids is None else sorted(set(document_ids))
    rows = con.execute(QUARANTINE_SQL, [ids, ids]).fetchall()
    alerts = []
    for (doc_id, raw, sentence, start, end, check, reason, severity, code, title, region, file_name) in rows:
        where = f" at character {start}" if start is not None else ""
        what = f" (read as {code})" if code else ""
        message = (
            f"Held back from the warehouse: the figure {quote(raw, 40)}{what} in "
            f"{_doc_name(doc_id, title, file_name)}{where}, in the sentence {quote(sentence)}. "
            f"Check {check}: {reason}. Correct the source document or the extraction rule and "
            f"re-ingest the document; the figure stays out of core until then."
        )
        alerts.append(
            make_alert(
                severity=severity,
                check_name=check,
                message=message,
                key=("quarantine", raw, start, end),
                document_id=doc_id,
                figure=raw,
                sentence=sentence,
                details={"source": "quarantine", "char_start": start, "char_end": end,
                         "indicator_code": code, "region": region, "file_name": file_name},
            )
        )
    return alerts


DOCUMENT_ERRORS_SQL = """
SELECT e.document_id, coalesce(d.file_name, e.document_id), e.stage, e.error_type, e.message
FROM quality.document_errors e LEFT JOIN raw.documents d USING (document_id)
ORDER BY e.document_id, e.stage
"""


def alerts_for_document_errors(con) -> list[Alert]:
    """One alert per document and stage whose work broke (``quality.document_errors``)."""
    return [make_alert(
        severity="error", check_name=f"document_errors:{stage}", document_id=document_id,
        key=("document_error", stage, error_type, message),
        message=f"{name} ({document_id}): its {stage} stage broke with {error_type}: {message[:300]}. "
                "Only this document was affected; the rest of the batch was loaded. Fix the file or the "
                "rule, then re-ingest it.")
        for document_id, name, stage, error_type, message in con.execute(DOCUMENT_ERRORS_SQL).fetchall()]


def document_names(con, document_ids: Iterable[str]) -> dict[str, str]:
    ids = sorted({d for d in document_ids if d})
    if not ids:
        return {}
    try:
        rows = con.execute(DOCUMENT_NAMES_SQL, [ids]).fetchall()
    except Exception:  # raw.documents missing in a bare warehouse
        return {}
    return {doc_id: f"{name} ({doc_id})" if name else doc_id for doc_id, name, _f, _r in rows}


def alerts_for_suite_report(report, con=None) -> list[Alert]:
    """One alert per failed expectation and document (a ``suites.SuiteReport``)."""
    alerts: list[Alert] = []
    if report.error:
        alerts.append(
            make_alert(
                severity="error",
                check_name=f"{report.table}:readable",
                message=f"The table {report.table} could not be read for its checks: {report.error}. "
                "Run the warehouse schema (ensure_schema) and re-run the pipeline.",
                key=("suite_error", report.table, report.error),
                details={"source": "expectations", "table": report.table},
            )
        )
    all_docs = {r.get("document_id") for o in report.failed for r in o.rows}
    names = document_names(con, all_docs) if con is not None else {}
    for outcome in report.failed:
        by_doc: dict[str | None, list[dict]] = {}
        for row in outcome.rows:
            by_doc.setdefault(row.get("document_id"), []).append(row)
        if not by_doc:
            by_doc[None] = []
        for doc_id, rows in by_doc.items():
            figures = [r.get("raw_text") for r in rows if r.get("raw_text")]
            sentence = next((r.get("sentence") for r in rows if r.get("sentence")), None)
            where = f" in {names.get(doc_id, f'document {doc_id}')}" if doc_id else ""
            message = outcome.describe(report.table) + where
            if figures:
                message += "; figures: " + ", ".join(quote(f, 40) for f in figures[:5])
            if sentence:
                message += f"; sentence {quote(sentence)}"
            message += (
                ". This blocks the marts until fixed." if outcome.severity == "error"
                else ". The run went on; review the rows."
            )
            alerts.append(
                make_alert(
                    severity=outcome.severity,
                    check_name=f"{report.table}:{outcome.name}",
                    message=message,
                    key=("expectation", report.table, outcome.name,
                         sorted(str(r.get("fact_id") or r.get("raw_text") or r) for r in rows)
                         or [outcome.unexpected_count, outcome.sample]),
                    document_id=doc_id,
                    figure=figures[0] if figures else None,
                    sentence=sentence,
                    details={"source": "expectations", "table": report.table, "expectation": outcome.type,
                             "column": outcome.column, "unexpected_count": outcome.unexpected_count,
                             "rows": rows[:5]},
                )
            )
    return alerts


# ---------------------------------------------------------------------------- delivery


def alert_log_path() -> Path:
    """ANNUAL_ETL_ALERT_LOG, else logs/alerts.jsonl in the home (not relative to the cwd)."""
    from ..settings import alert_log_path as home_alert_log

    return home_alert_log()


def _webhook_label(url: str) -> str:
    """Where a webhook points, without its path or query (which often hold a secret token)."""
    parts = urlsplit(url)
    return f"webhook:{parts.scheme}://{parts.netloc}"


def post_json(url: str, payload: dict[str, Any], *, timeout: float = WEBHOOK_TIMEOUT_S,
              attempts: int = WEBHOOK_ATTEMPTS, backoff: float = WEBHOOK_BACKOFF_S) -> tuple[bool, str]:
    """POST ``payload`` as JSON; (delivered, what happened). Never raises."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    last = ""
    for attempt in range(1, attempts + 1):
        request = urllib.request.Request(
            url, data=body, method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "annual-etl-alerts"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status = response.status
            if 200 <= status < 300:
                return True, f"HTTP {status}"
            last = f"HTTP {status}"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
            if 400 <= exc.code < 500 and exc.code not in (408, 429):
                break  # the receiver refuses this payload; retrying will not help
        except Exception as exc:  # URLError, timeout, connection reset …
            last = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
        if attempt < attempts:
            time.sleep(backoff * 2 ** (attempt - 1))
    return False, f"failed after {attempt} attempt(s): {last}"


def _append_log(path: Path, alerts: Sequence[Alert]) -> str:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            for a in alerts:
                fh.write(json.dumps(a.as_json(), ensure_ascii=False, default=str) + "\n")
        return f"log:{path}"
    except OSError as exc:
        return f"log:{path} failed: {exc}"


def dispatch(con, alerts: Iterable[Alert], *, log_path: Path | str | None = None,
             webhook_url: str | None = None, in_transaction: bool = False) -> list[Alert]:
    """Deliver the alerts not raised before; returns them with ``delivered_to`` filled in.

    ``con`` must be writable (it inserts into ``quality.alerts``). Log and webhook default to
    the environment (``ANNUAL_ETL_ALERT_LOG``, ``ANNUAL_ETL_ALERT_WEBHOOK``). Pass
    ``in_transaction=True`` when ``con`` is inside a transaction the caller commits.
    """
    unique: dict[str, Alert] = {}
    for a in alerts:
        unique.setdefault(a.alert_id, a)
    if not unique:
        return []
    known = {r[0] for r in con.execute(EXISTING_ALERTS_SQL, [list(unique)]).fetchall()}
    new = [a for a in unique.values() if a.alert_id not in known]
    if not new:
        return []

    log_note = _append_log(Path(log_path) if log_path else alert_log_path(), new)
    url = webhook_url if webhook_url is not None else os.environ.get(WEBHOOK_ENV, "")
    delivered = []
    webhook_down: str | None = None
    for a in new:
        notes = [log_note]
        if url:
            label = _webhook_label(url)
            if webhook_down is None:
                # "text" lets chat webhooks (Slack, Mattermost, Teams connectors) show the alert as is
                ok, what = post_json(url, {**a.as_json(), "text": f"[{a.severity}] {a.message}"})
                notes.append(f"{label} ({what})" if ok else f"{label} FAILED ({what})")
                if not ok:
                    webhook_down = what
            else:  # do not wait out the retries again for every alert of this batch
                notes.append(f"{label} FAILED (not tried: down earlier in this batch: {webhook_down})")
        delivered.append(replace(a, delivered_to="; ".join(notes)))

    rows = [[a.alert_id, a.created_at, a.severity, a.check_name, a.document_id, a.message, a.delivered_to]
            for a in delivered]
    if in_transaction:  # the caller's transaction is open: insert within it
        con.executemany(INSERT_ALERT_SQL, rows)
        return delivered
    con.execute("BEGIN TRANSACTION")
    try:
        con.executemany(INSERT_ALERT_SQL, rows)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return delivered


def alert_for_check_failure(
    *, asset: str, check_name: str, severity: str, description: str | None, metadata: dict[str, Any],
    run_id: str | None = None, partition: str | None = None,
) -> Alert:
    """The alert for a failed Dagster asset check (reported by the sensor in pipelines/sensors/alerts.py).

    The id depends on the asset, the check and what it found (description and metadata), not on
    the run: the same data failing the same way again raises nothing new.
    """
    found = "; ".join(f"{k}={v}" for k, v in sorted(metadata.items()))
    message = (
        f"The {severity} check {check_name} on {asset} failed"
        + (f" for document {partition}" if partition else "")
        + f": {description or 'no description'}."
        + (f" Details: {found}." if found else "")
        + (" The run went on (a warning); review the asset's checks in the Dagster UI"
           if severity == "warn" else " Downstream assets were not rebuilt; fix the data and re-run")
        + (f" (run {run_id})." if run_id else ".")
    )
    return make_alert(
        severity=severity,
        check_name=f"{asset}:{check_name}",
        message=message,
        key=("asset_check", asset, check_name, description, found),
        document_id=partition,
        details={"source": "asset_check", "asset": asset, "check": check_name, "run_id": run_id,
                 "metadata": {k: str(v) for k, v in metadata.items()}},
    )


def alert_for_run_failure(
    *, run_id: str, job_name: str, error: str | None, failed_steps: dict[str, str],
    documents: str | None = None,
) -> Alert:
    """The alert for a failed Dagster run (reported by the run-failure sensor)."""
    steps = "; ".join(f"{step}: {why}" for step, why in failed_steps.items())
    message = (
        f"The Dagster run {run_id} of {job_name} failed"
        + (f" (documents {documents})" if documents else "")
        + f": {error or 'no message'}."
        + (f" Failed steps — {steps}." if steps else "")
        + " Nothing it was writing reached the marts; read the run's log, fix the cause and re-run"
        " (the pipeline skips documents already done)."
    )
    return make_alert(
        severity="error",
        check_name=f"run_failure:{job_name}",
        message=message,
        key=("run_failure", run_id),
        details={"source": "run_failure", "run_id": run_id, "job": job_name, "failed_steps": failed_steps,
                 "documents": documents},
    )


# ---------------------------------------------------------------------------- reading them back

RECENT_ALERTS_SQL = """
SELECT created_at, severity, check_name, document_id, message, delivered_to, alert_id
FROM quality.alerts
WHERE ?::VARCHAR IS NULL OR severity = ?::VARCHAR
ORDER BY created_at DESC, alert_id
LIMIT ?
"""


def recent_alerts(warehouse: Path, *, limit: int = 20, severity: str | None = None,
                  log_path: Path | None = None) -> tuple[list[dict[str, Any]], str]:
    """The newest alerts first, and where they were read from (for `annual-etl alerts`).

    The warehouse's ``quality.alerts`` is the record; without a warehouse (alerts raised before
    the first ingest finished, or a warehouse moved away) the JSON-lines log is read instead.
    """
    keys = ("created_at", "severity", "check_name", "document_id", "message", "delivered_to", "alert_id")
    if Path(warehouse).exists():
        from ..warehouse import connect

        with connect(warehouse, read_only=True, wait_seconds=30) as con:
            has_table = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'quality'"
                                    " AND table_name = 'alerts'").fetchone()[0]
            if has_table:
                rows = con.execute(RECENT_ALERTS_SQL, [severity, severity, max(0, limit)]).fetchall()
                return [dict(zip(keys, row)) for row in rows], f"quality.alerts in {warehouse}"
    path = Path(log_path) if log_path else alert_log_path()
    if not path.exists():
        return [], f"{path} (no alerts yet)"
    alerts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by a crash
        if severity is None or entry.get("severity") == severity:
            alerts.append({k: entry.get(k) for k in keys})
    alerts.sort(key=lambda a: str(a.get("created_at") or ""), reverse=True)
    return alerts[: max(0, limit)], str(path)
