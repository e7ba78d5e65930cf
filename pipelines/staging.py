"""Parquet staging of per-document outcomes: the scale-out choice of the same steps.

With a staging folder configured (the ``staging`` resource of the job ``ingest_reports``), the
worker that reads or extracts a document writes its outcome to ``<staging>/<raw|core>/<id>.parquet``
(atomically: temp file + rename) and hands back only the path; the step, the one writer, reads
the staged files and loads them with the same ``load_raw`` / ``load_core``. A worker then needs
no connection and no shared memory with the loader, so it can be any process (or, with the
archive and the folder in object storage, any machine); see docs/scaling.md.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from datetime import date
from pathlib import Path

from .landing import LandedFile
from .readers import ReadResult
from .transform import (CoreJob, CoreOutcome, DocumentError, RawOutcome, core_job, read_job, tables_from_json,
                        tables_to_json)

STAGING_FORMAT = "2"


def raw_to_json(outcome: RawOutcome) -> str:
    result = outcome.result
    return json.dumps({
        "landed": asdict(outcome.landed), "status": outcome.status, "reject_reason": outcome.reject_reason,
        "media_type": outcome.media_type, "encoding": outcome.encoding,
        "errors": [asdict(e) for e in outcome.errors],
        "result": None if result is None else {
            "text": result.text, "media_type": result.media_type, "encoding": result.encoding,
            "page_spans": [list(s) for s in result.page_spans], "tables": tables_to_json(result.tables),
            "title_hint": result.title_hint},
    }, ensure_ascii=False)


def raw_from_json(payload: str) -> RawOutcome:
    data = json.loads(payload)
    result = data["result"]
    read = None if result is None else ReadResult(
        text=result["text"], media_type=result["media_type"], encoding=result["encoding"],
        page_spans=[tuple(s) for s in result["page_spans"]], tables=tables_from_json(result["tables"]),
        title_hint=result["title_hint"])
    return RawOutcome(LandedFile(**data["landed"]), data["status"], data["reject_reason"], data["media_type"],
                      data["encoding"], read, [DocumentError(**e) for e in data["errors"]])


def core_to_json(outcome: CoreOutcome) -> str:
    metadata = asdict(outcome.metadata)
    metadata["published_on"] = metadata["published_on"].isoformat() if metadata["published_on"] else None
    return json.dumps({
        "document_id": outcome.document_id, "metadata": metadata, "char_count": outcome.char_count,
        "page_count": outcome.page_count, "facts": [asdict(f) for f in outcome.facts], "pages": outcome.pages,
        "quarantined": [asdict(q) for q in outcome.quarantined], "errors": [asdict(e) for e in outcome.errors],
        "text_loaded": outcome.text_loaded,
    }, ensure_ascii=False)


def core_from_json(payload: str) -> CoreOutcome:
    from .extract.model import Fact
    from .metadata import DocumentMetadata
    from .quality.rules import QuarantineRecord

    data = json.loads(payload)
    metadata = dict(data["metadata"])
    metadata["published_on"] = date.fromisoformat(metadata["published_on"]) if metadata["published_on"] else None
    return CoreOutcome(data["document_id"], DocumentMetadata(**metadata), data["char_count"], data["page_count"],
                       [Fact(**f) for f in data["facts"]], list(data["pages"]),
                       [QuarantineRecord(**q) for q in data["quarantined"]],
                       [DocumentError(**e) for e in data["errors"]], data["text_loaded"])


def write_staged(target: Path, document_id: str, payload: str) -> Path:
    """One row (id, format, the staging process, the outcome as JSON) in a Parquet file, atomically."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"document_id": [document_id], "staging_format": [STAGING_FORMAT],
                      "staged_by_pid": [os.getpid()], "outcome": [payload]})
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=".staging-", suffix=".parquet")
    os.close(handle)
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def read_staged(path: Path | str) -> str:
    import pyarrow.parquet as pq

    row = pq.read_table(path, columns=["staging_format", "outcome"]).to_pylist()[0]
    if row["staging_format"] != STAGING_FORMAT:
        raise ValueError(f"{path}: staging format {row['staging_format']}, this loader reads {STAGING_FORMAT}")
    return row["outcome"]


def stage_read(job: tuple[str, str, str]) -> str:
    """Worker: (archive root, document id, staging folder) → read → ``<staging>/raw/<id>.parquet``."""
    root, document_id, staging = job
    outcome = read_job((root, document_id))
    return str(write_staged(Path(staging) / "raw" / f"{document_id}.parquet", document_id, raw_to_json(outcome)))


def stage_core(job: tuple[CoreJob, str]) -> str:
    """Worker: (document, staging folder) → extract and screen → ``<staging>/core/<id>.parquet``."""
    document, staging = job
    outcome = core_job(document)
    return str(write_staged(Path(staging) / "core" / f"{document.document_id}.parquet", document.document_id,
                            core_to_json(outcome)))
