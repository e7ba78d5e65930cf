"""Cross-document checks: compare what different documents say about the same figure.

(a) growth a report states vs growth computed from two consecutive levels (gap > 1 pp), with
    GDP and value-added growth recorded as ``comparable_prices`` instead of raising an alarm;
(b) the same region/indicator/year/period/basis/measure with different values in different
    documents: a ``revision`` (the documents are about different years) or a ``conflict``.

The SQL lives in ``sql/cross_document_*.sql``; values are bound parameters.
"""

from __future__ import annotations

import csv
from datetime import datetime, timezone
from pathlib import Path

from .. import tables
from ..settings import DATA_DIR
from .alerts import Alert, make_alert, quote

SQL_DIR = Path(__file__).resolve().parent / "sql"
GROWTH_GAP_TOLERANCE_PP = 1.0
VALUE_RELATIVE_TOLERANCE = 1e-6  # differences below this share of the value are rounding, not revisions

FINDING_COLUMNS = tables.columns("quality.cross_document_findings")
_COLS = ", ".join(FINDING_COLUMNS)


def comparable_price_indicators(path: Path = DATA_DIR / "growth_price_basis.csv") -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return sorted(r["indicator_code"] for r in csv.DictReader(fh) if r["growth_basis"] == "comparable_prices")


def _sql(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


def refresh_findings(con, detected_at: datetime | None = None) -> dict[str, int]:
    """Recompute quality.cross_document_findings (replaced whole, in one transaction).

    Returns the number of findings by kind, and how many raise an alarm (``alarms``).
    """
    detected_at = detected_at or datetime.now(timezone.utc).replace(tzinfo=None)
    growth = _sql("cross_document_growth.sql")
    values = _sql("cross_document_values.sql")
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM quality.cross_document_findings")
        con.execute(
            f"INSERT INTO quality.cross_document_findings ({_COLS}) SELECT {_COLS} FROM ({growth.rstrip().rstrip(';')})",
            {"tolerance_pp": GROWTH_GAP_TOLERANCE_PP, "comparable": comparable_price_indicators(),
             "detected_at": detected_at},
        )
        con.execute(
            f"INSERT INTO quality.cross_document_findings ({_COLS}) SELECT {_COLS} FROM ({values.rstrip().rstrip(';')})"
            " ON CONFLICT DO NOTHING",
            {"relative_tolerance": VALUE_RELATIVE_TOLERANCE, "detected_at": detected_at},
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    counts = dict(con.execute(
        "SELECT kind, count(*) FROM quality.cross_document_findings GROUP BY kind").fetchall())
    counts["alarms"] = con.execute(
        "SELECT count(*) FROM quality.cross_document_findings WHERE alarm").fetchone()[0]
    return counts


FINDINGS_FOR_ALERTS_SQL = """
SELECT x.finding_id, x.kind, x.severity, x.region, x.indicator_code, x.year, x.document_a, x.raw_text_a,
       x.document_b, x.raw_text_b, x.message, fa.sentence AS sentence_a, fb.sentence AS sentence_b
FROM quality.cross_document_findings AS x
LEFT JOIN core.indicator_facts AS fa ON fa.fact_id = x.fact_a
LEFT JOIN core.indicator_facts AS fb ON fb.fact_id = x.fact_b
WHERE x.alarm AND list_contains(?::VARCHAR[], x.kind)
ORDER BY x.finding_id
"""


def alerts_for_findings(con, kinds: list[str]) -> list[Alert]:
    """One alert per finding that raises an alarm (comparable-price growth gaps do not)."""
    alerts = []
    for (finding_id, kind, severity, region, code, year, doc_a, raw_a, doc_b, raw_b, message,
         sentence_a, sentence_b) in con.execute(FINDINGS_FOR_ALERTS_SQL, [kinds]).fetchall():
        sentences = [s for s in dict.fromkeys([sentence_a, sentence_b]) if s]
        if sentences:
            message += " Sentences: " + " / ".join(quote(s, 120) for s in sentences)
        alerts.append(make_alert(
            severity=severity,
            check_name=f"cross_document:{kind}",
            message=message,
            key=("finding", finding_id),
            document_id=doc_b or doc_a,
            figure=raw_b or raw_a,
            sentence=sentence_b or sentence_a,
            details={"source": "cross_document", "finding_id": finding_id, "kind": kind, "region": region,
                     "indicator_code": code, "year": year, "document_a": doc_a, "figure_a": raw_a,
                     "document_b": doc_b, "figure_b": raw_b},
        ))
    return alerts
