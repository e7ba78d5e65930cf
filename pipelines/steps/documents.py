"""The per-document steps: archived files → raw rows, raw texts → core rows (optionally staged)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ..isolation import Failure, IsolatedRunner
from ..landing import Archive, LandedFile
from ..load import load_core, load_raw, pending_core, pending_raw
from ..progress import bar
from ..transform import (CoreJob, DocumentError, build_core, core_job, failed_core, failed_read, now_utc, read_job,
                         tables_from_json)
from .base import BATCH_DOCUMENTS, Connect, StepResult


def _landed(store: Archive, key: str) -> LandedFile:
    """The archive's record of a document, or a stand-in when even that cannot be read."""
    try:
        return store.read_sidecar(key)
    except Exception as error:
        return LandedFile(document_id=key, source_path="", file_name=key, size_bytes=None, sha256=None,
                          offered_at=now_utc().isoformat(), reject_reason=f"the archive's record of this file is "
                                                                         f"unreadable: {type(error).__name__}: {error}")


def _unstaged(outcome, parse: Callable):
    """A staged outcome's path → the outcome (a Failure stays one)."""
    from ..staging import read_staged

    if isinstance(outcome, Failure):
        return outcome
    try:
        return parse(read_staged(outcome))
    except Exception as error:
        return Failure(type(error).__name__, f"the staged file {outcome} is unreadable: {error}")


def read_documents(connect: Connect, store: Archive, keys: list[str], staging: Path | None = None) -> StepResult:
    """raw.documents and raw.document_texts for the documents not yet read by this reader version.

    With ``staging``, each worker writes its outcome to a Parquet file there (``pipelines.staging``)
    and this step loads the files: the scale-out form of the same step.
    """
    from ..staging import raw_from_json, stage_read

    with connect() as con:
        todo = pending_raw(con, keys)
    parsed = rejected = failed = 0
    reasons: dict[str, str] = {}
    pending = []
    fn, jobs = read_job, [(str(store.root), key) for key in todo]
    if staging is not None:
        fn, jobs = stage_read, [(root, key, str(staging)) for root, key in jobs]
    with IsolatedRunner() as runner, bar(desc="reading", total=len(todo)) as progress:
        for (_root, key, *_), outcome in runner.map(fn, jobs):
            if staging is not None:
                outcome = _unstaged(outcome, raw_from_json)
            if isinstance(outcome, Failure):
                outcome = failed_read(_landed(store, key), DocumentError.of("read", outcome))
            failed += bool(outcome.errors)
            pending.append(outcome)
            progress.update(1)
            if outcome.status == "parsed":
                parsed += 1
            else:
                rejected += 1
                reasons[outcome.landed.file_name] = outcome.reject_reason or ""
            if len(pending) >= BATCH_DOCUMENTS:
                with connect() as con:
                    load_raw(con, pending, now_utc())
                pending = []
    with connect() as con:
        load_raw(con, pending, now_utc())
    return StepResult({"raw_documents": {
        "documents_in_run": len(keys), "read": len(todo), "already_done": len(keys) - len(todo),
        "parsed": parsed, "rejected": rejected, "failed": failed, "rejections": reasons}},
        warnings=[f"rejected {name}: {reason}" for name, reason in reasons.items()])


def _core_jobs(rows) -> list[CoreJob]:
    return [CoreJob(document_id, text, file_name=file_name or "", title_hint=title_hint,
                    published_hint=published if isinstance(published, date) else None,
                    page_spans=json.loads(spans) if spans else None, tables=tables_from_json(tables),
                    source_url=source_url)
            for document_id, text, spans, tables, title_hint, file_name, published, source_url in rows]


def extract_documents(connect: Connect, keys: list[str], staging: Path | None = None) -> StepResult:
    """core.* and quality.quarantine for the documents not yet extracted by this extractor version
    (with ``staging``: through Parquet files, as ``read_documents``)."""
    from ..staging import core_from_json, stage_core

    with connect() as con:
        todo = pending_core(con, keys)
    facts = quarantined = failed = 0
    if todo:  # load the rules once, before the workers fork, so that each inherits them
        build_core("0" * 16, "某区2031年统计公报\n全区地区生产总值增长5%。")
    with IsolatedRunner() as runner, bar(desc="extracting", total=len(todo)) as progress:
        for start in range(0, len(todo), BATCH_DOCUMENTS):
            ids = todo[start:start + BATCH_DOCUMENTS]
            with connect() as con:  # read a batch's texts, extract with no connection open, write at once
                rows = con.execute(
                    "SELECT t.document_id, t.text, t.page_spans, t.tables, t.title_hint, d.file_name,"
                    " d.published_hint, d.source_url"
                    " FROM raw.document_texts t JOIN raw.documents d USING (document_id)"
                    " WHERE t.document_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY t.document_id", [ids]).fetchall()
            outcomes = []
            jobs = _core_jobs(rows)
            work = runner.map(core_job, jobs) if staging is None else (
                (job, _unstaged(staged, core_from_json))
                for (job, _), staged in runner.map(stage_core, [(job, str(staging)) for job in jobs]))
            for job, outcome in work:
                if isinstance(outcome, Failure):
                    outcome = failed_core(job, DocumentError.of("extract", outcome))
                facts += len(outcome.facts)
                quarantined += len(outcome.quarantined)
                failed += bool(outcome.errors)
                outcomes.append(outcome)
                progress.update(1)
            with connect() as con:
                load_core(con, outcomes, now_utc())
    warnings = [f"{failed} document(s) failed in a stage of their work (see the table quality.document_errors)"]
    return StepResult({"indicator_facts": {
        "documents_in_run": len(keys), "extracted": len(todo), "already_done": len(keys) - len(todo),
        "facts_loaded": facts, "figures_quarantined": quarantined, "documents_failed": failed}},
        warnings=warnings if failed else [])
