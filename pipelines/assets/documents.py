"""Per-document assets: archived file → raw rows → core facts (partitioned by document id).

Each step handles every document of its run, skips documents already done by the current
reader/extractor version, and writes in batches, each batch one transaction. The work on each
document runs in a worker process with a time limit (``pipelines.isolation``): a document that
crashes, hangs or kills its worker is recorded with its stage and error, and costs only itself.
"""


import json
from datetime import date

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from ..isolation import Failure, IsolatedRunner
from ..landing import LandedFile
from ..load import load_core, load_raw, pending_core, pending_raw
from ..progress import bar
from ..transform import (CoreJob, DocumentError, build_core, core_job, failed_core, failed_read, now_utc, read_job,
                         tables_from_json)
from .partitions import documents_partitions, single_run
from .resources import ArchiveResource
from ..warehouse import WarehouseResource

BATCH_DOCUMENTS = 50  # documents per write transaction: few commits, short lock holds


def _landed(store, key: str) -> LandedFile:
    """The archive's record of a document, or a stand-in when even that cannot be read."""
    try:
        return store.read_sidecar(key)
    except Exception as error:
        return LandedFile(document_id=key, source_path="", file_name=key, size_bytes=None, sha256=None,
                          offered_at=now_utc().isoformat(), reject_reason=f"the archive's record of this file is "
                                                                         f"unreadable: {type(error).__name__}: {error}")


@asset(partitions_def=documents_partitions, backfill_policy=single_run, group_name="raw", pool="warehouse",
       kinds={"duckdb"}, description="raw.documents and raw.document_texts: every offered file, read or rejected.")
def raw_documents(context: AssetExecutionContext, warehouse: WarehouseResource,
                  archive: ArchiveResource) -> MaterializeResult:
    keys = list(context.partition_keys)
    store = archive.archive()
    with warehouse.connect() as con:
        todo = pending_raw(con, keys)
    parsed = rejected = failed = 0
    rejected_reasons: dict[str, str] = {}
    pending = []
    jobs = [(str(store.root), key) for key in todo]
    with IsolatedRunner() as runner, bar(desc="reading", total=len(todo)) as progress:
        for (_root, key), outcome in runner.map(read_job, jobs):
            if isinstance(outcome, Failure):
                outcome = failed_read(_landed(store, key), DocumentError.of("read", outcome))
            failed += bool(outcome.errors)
            pending.append(outcome)
            progress.update(1)
            if outcome.status == "parsed":
                parsed += 1
            else:
                rejected += 1
                rejected_reasons[outcome.landed.file_name] = outcome.reject_reason or ""
            if len(pending) >= BATCH_DOCUMENTS:
                with warehouse.connect() as con:
                    load_raw(con, pending, now_utc())
                pending = []
    with warehouse.connect() as con:
        load_raw(con, pending, now_utc())
    for name, reason in rejected_reasons.items():
        context.log.warning(f"rejected {name}: {reason}")
    return MaterializeResult(metadata={
        "documents_in_run": len(keys), "read": len(todo), "already_done": len(keys) - len(todo),
        "parsed": parsed, "rejected": rejected, "failed": failed,
        "rejections": MetadataValue.json(rejected_reasons),
    })


def _core_jobs(rows) -> list[CoreJob]:
    return [CoreJob(document_id, text, file_name=file_name or "", title_hint=title_hint,
                    published_hint=published if isinstance(published, date) else None,
                    page_spans=json.loads(spans) if spans else None, tables=tables_from_json(tables),
                    source_url=source_url)
            for document_id, text, spans, tables, title_hint, file_name, published, source_url in rows]


@asset(partitions_def=documents_partitions, backfill_policy=single_run, group_name="core", pool="warehouse",
       deps=[raw_documents], kinds={"duckdb"},
       description="core.documents, core.document_texts, core.indicator_facts and quality.quarantine, "
                   "replaced per document in one transaction.")
def indicator_facts(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    keys = list(context.partition_keys)
    with warehouse.connect() as con:
        todo = pending_core(con, keys)
    facts = quarantined = failed = 0
    if todo:  # load the rules once, before the workers fork, so that each inherits them
        build_core("0" * 16, "某区2031年统计公报\n全区地区生产总值增长5%。")

    def flush(runner: IsolatedRunner, ids: list[str]) -> None:
        """Read a batch's texts, extract with no connection open, then write in one transaction."""
        nonlocal facts, quarantined, failed
        if not ids:
            return
        with warehouse.connect() as con:
            rows = con.execute(
                "SELECT t.document_id, t.text, t.page_spans, t.tables, t.title_hint, d.file_name, d.published_hint,"
                " d.source_url"
                " FROM raw.document_texts t JOIN raw.documents d USING (document_id)"
                " WHERE list_contains(?, t.document_id) ORDER BY t.document_id", [ids]).fetchall()
        outcomes = []
        for job, outcome in runner.map(core_job, _core_jobs(rows)):
            if isinstance(outcome, Failure):
                outcome = failed_core(job, DocumentError.of("extract", outcome))
            facts += len(outcome.facts)
            quarantined += len(outcome.quarantined)
            failed += bool(outcome.errors)
            outcomes.append(outcome)
            progress.update(1)
        with warehouse.connect() as con:
            load_core(con, outcomes, now_utc())

    with IsolatedRunner() as runner, bar(desc="extracting", total=len(todo)) as progress:
        for start in range(0, len(todo), BATCH_DOCUMENTS):
            flush(runner, todo[start:start + BATCH_DOCUMENTS])
    if failed:
        context.log.warning(f"{failed} document(s) failed in a stage of their work (see the table quality.document_errors)")
    return MaterializeResult(metadata={
        "documents_in_run": len(keys), "extracted": len(todo), "already_done": len(keys) - len(todo),
        "facts_loaded": facts, "figures_quarantined": quarantined, "documents_failed": failed,
    })
