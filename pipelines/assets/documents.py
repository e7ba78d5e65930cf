"""Per-document assets: archived file → raw rows → core facts (partitioned by document id).

Each step handles every document of its run in one process, skips documents already done by
the current reader/extractor version, and writes in batches, each batch one transaction.
"""


import json
from datetime import date

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from ..load import load_core, load_raw, pending_core, pending_raw
from ..progress import bar
from ..transform import build_core, now_utc, read_landed, tables_from_json
from .partitions import documents_partitions, single_run
from .resources import ArchiveResource
from ..warehouse import WarehouseResource

BATCH_DOCUMENTS = 50  # documents per write transaction: few commits, short lock holds


@asset(partitions_def=documents_partitions, backfill_policy=single_run, group_name="raw", pool="warehouse",
       kinds={"duckdb"}, description="raw.documents and raw.document_texts: every offered file, read or rejected.")
def raw_documents(context: AssetExecutionContext, warehouse: WarehouseResource,
                  archive: ArchiveResource) -> MaterializeResult:
    keys = list(context.partition_keys)
    store = archive.archive()
    with warehouse.connect() as con:
        todo = pending_raw(con, keys)
    parsed = rejected = 0
    rejected_reasons: dict[str, str] = {}
    pending = []
    for key in bar(todo, desc="reading"):
        outcome = read_landed(store, key)
        pending.append(outcome)
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
        "parsed": parsed, "rejected": rejected,
        "rejections": MetadataValue.json(rejected_reasons),
    })


@asset(partitions_def=documents_partitions, backfill_policy=single_run, group_name="core", pool="warehouse",
       deps=[raw_documents], kinds={"duckdb"},
       description="core.documents, core.document_texts, core.indicator_facts and quality.quarantine, "
                   "replaced per document in one transaction.")
def indicator_facts(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    keys = list(context.partition_keys)
    with warehouse.connect() as con:
        todo = pending_core(con, keys)
    facts = quarantined = 0
    batch_ids: list[str] = []

    def flush(ids: list[str]) -> None:
        """Read a batch's texts, extract with no connection open, then write in one transaction."""
        nonlocal facts, quarantined
        if not ids:
            return
        with warehouse.connect() as con:
            rows = con.execute(
                "SELECT t.document_id, t.text, t.page_spans, t.tables, t.title_hint, d.file_name, d.published_hint"
                " FROM raw.document_texts t JOIN raw.documents d USING (document_id)"
                " WHERE list_contains(?, t.document_id) ORDER BY t.document_id", [ids]).fetchall()
        outcomes = []
        for document_id, text, spans, tables, title_hint, file_name, published in rows:
            outcome = build_core(document_id, text, file_name=file_name, title_hint=title_hint,
                                 published_hint=published if isinstance(published, date) else None,
                                 page_spans=json.loads(spans) if spans else None,
                                 tables=tables_from_json(tables))
            facts += len(outcome.facts)
            quarantined += len(outcome.quarantined)
            outcomes.append(outcome)
            progress.update(1)
        with warehouse.connect() as con:
            load_core(con, outcomes, now_utc())

    with bar(desc="extracting", total=len(todo)) as progress:
        for key in todo:
            batch_ids.append(key)
            if len(batch_ids) >= BATCH_DOCUMENTS:
                flush(batch_ids)
                batch_ids = []
        flush(batch_ids)
    return MaterializeResult(metadata={
        "documents_in_run": len(keys), "extracted": len(todo), "already_done": len(keys) - len(todo),
        "facts_loaded": facts, "figures_quarantined": quarantined,
    })
