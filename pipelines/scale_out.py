"""The scale-out split, runnable on one machine: extraction fanned out per document into
Parquet staging files, then one loader into DuckDB.

DuckDB takes one writer process per file, so the way past one machine's throughput is to move
everything except the write out of the writer: each document is read, extracted and screened
by its own step (``stage_document``: any process, any machine), which writes
``<staging>/<document_id>.parquet``; a single ``load_staged`` step then reads the staged files
and calls the pipeline's own ``load_raw`` / ``load_core`` (same transactions, same idempotent
replace per document). On one machine the job runs with Dagster's multiprocess executor; with
the Kubernetes or Celery executor, object storage for the archive and the staging folder, and
PostgreSQL for Dagster's storage, the same job spreads over a cluster (docs/scaling.md).

This job is not in the main ``Definitions``: the command line and the sensor run the in-process
``ingest_reports`` job. Run it with ``run_scale_out``.
"""


import json
import os
import tempfile
from dataclasses import asdict
from datetime import date
from pathlib import Path

from dagster import (ConfigurableResource, DagsterInstance, DynamicOut, DynamicOutput, OpExecutionContext,
                     execute_job, job, multiprocess_executor, op, reconstructable)

from .landing import Archive, LandedFile, land_paths
from .readers import ReadResult
from .transform import CORE_VERSION, CoreOutcome, RawOutcome, build_core, now_utc, read_landed, tables_from_json

STAGING_FORMAT = "1"
LOAD_BATCH = 50


class StagingResource(ConfigurableResource):
    """The folder (a bucket prefix, at scale) holding one Parquet file per staged document."""

    path: str

    def file_for(self, document_id: str) -> Path:
        return Path(self.path) / f"{document_id}.parquet"


class ScaleOutArchiveResource(ConfigurableResource):
    path: str

    def archive(self) -> Archive:
        return Archive(self.path)


class ScaleOutWarehouseResource(ConfigurableResource):
    path: str


# ---------------------------------------------------------------------------- (de)serialising outcomes

def _tables_json(result: ReadResult) -> str:
    return json.dumps([{"page": t.page, "char_start": t.char_start, "char_end": t.char_end,
                        "rows": [[[c.text, c.char_start, c.char_end] for c in row] for row in t.rows]}
                       for t in result.tables], ensure_ascii=False)


def _raw_json(outcome: RawOutcome) -> str:
    result = outcome.result
    return json.dumps({
        "landed": asdict(outcome.landed), "status": outcome.status, "reject_reason": outcome.reject_reason,
        "media_type": outcome.media_type, "encoding": outcome.encoding,
        "result": None if result is None else {
            "text": result.text, "media_type": result.media_type, "encoding": result.encoding,
            "page_spans": [list(s) for s in result.page_spans], "tables": _tables_json(result),
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
                      data["encoding"], read)


def _core_json(outcome: CoreOutcome) -> str:
    metadata = asdict(outcome.metadata)
    metadata["published_on"] = metadata["published_on"].isoformat() if metadata["published_on"] else None
    return json.dumps({
        "document_id": outcome.document_id, "metadata": metadata, "char_count": outcome.char_count,
        "page_count": outcome.page_count, "facts": [asdict(f) for f in outcome.facts], "pages": outcome.pages,
        "quarantined": [asdict(q) for q in outcome.quarantined],
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
                       [QuarantineRecord(**q) for q in data["quarantined"]])


# ---------------------------------------------------------------------------- the per-document work

def stage_document(archive: Archive, document_id: str, target: Path) -> dict:
    """Read, extract and screen one archived document; write its Parquet staging file atomically."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    raw = read_landed(archive, document_id)
    core = None
    if raw.status == "parsed" and raw.result is not None:
        result, landed = raw.result, raw.landed
        core = build_core(document_id, result.text, file_name=landed.file_name,
                          title_hint=landed.title or result.title_hint,
                          published_hint=date.fromisoformat(landed.published_on) if landed.published_on else None,
                          page_spans=[list(s) for s in result.page_spans], tables=result.tables,
                          source_url=landed.source_url)
    row = {
        "document_id": document_id, "staging_format": STAGING_FORMAT, "core_version": CORE_VERSION,
        "status": raw.status, "facts": len(core.facts) if core else 0,
        "quarantined": len(core.quarantined) if core else 0, "staged_by_pid": os.getpid(),
        "raw": _raw_json(raw), "core": _core_json(core) if core else None,
    }
    table = pa.table({key: [value] for key, value in row.items()})
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=".staging-", suffix=".parquet")
    os.close(handle)
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return {k: row[k] for k in ("document_id", "status", "facts", "quarantined", "staged_by_pid")}


def load_staged_files(warehouse_path: Path, files: list[Path]) -> dict[str, int]:
    """The single writer: staged files → load_raw, then load_core, in batches (one transaction each)."""
    import pyarrow.parquet as pq

    from .load import load_core, load_raw
    from .warehouse import connect, ensure_schema

    raws: list[RawOutcome] = []
    cores: list[CoreOutcome] = []
    for path in sorted(files):
        table = pq.read_table(path, columns=["staging_format", "raw", "core"]).to_pylist()[0]
        if table["staging_format"] != STAGING_FORMAT:
            raise ValueError(f"{path}: staging format {table['staging_format']}, this loader reads {STAGING_FORMAT}")
        raws.append(raw_from_json(table["raw"]))
        if table["core"]:
            cores.append(core_from_json(table["core"]))
    with connect(warehouse_path) as con:
        ensure_schema(con)
        for start in range(0, len(raws), LOAD_BATCH):
            load_raw(con, raws[start:start + LOAD_BATCH], now_utc())
        for start in range(0, len(cores), LOAD_BATCH):
            load_core(con, cores[start:start + LOAD_BATCH], now_utc())
    return {"documents": len(raws), "parsed": len(cores), "facts": sum(len(c.facts) for c in cores)}


# ---------------------------------------------------------------------------- the Dagster job

@op(out=DynamicOut(str), config_schema={"document_ids": [str]},
    description="One dynamic output per document: each is staged by its own step.")
def fan_out_documents(context: OpExecutionContext):
    for document_id in context.op_config["document_ids"]:
        yield DynamicOutput(document_id, mapping_key=document_id)


@op(description="Read, extract and screen one document into <staging>/<document_id>.parquet.")
def stage(context: OpExecutionContext, document_id: str, archive: ScaleOutArchiveResource,
          staging: StagingResource) -> str:
    target = staging.file_for(document_id)
    summary = stage_document(archive.archive(), document_id, target)
    context.log.info(f"staged {document_id}: {summary['status']}, {summary['facts']} facts (pid {os.getpid()})")
    return str(target)


@op(description="The one writer: load every staged file into the warehouse.")
def load_staged(context: OpExecutionContext, staged: list[str], warehouse: ScaleOutWarehouseResource) -> dict:
    counts = load_staged_files(Path(warehouse.path), [Path(p) for p in staged])
    context.log.info(f"loaded {counts}")
    return counts


@job(executor_def=multiprocess_executor,
     resource_defs={"archive": ScaleOutArchiveResource.configure_at_launch(),
                    "staging": StagingResource.configure_at_launch(),
                    "warehouse": ScaleOutWarehouseResource.configure_at_launch()},
     description="Scale-out ingest: extraction fanned out per document to Parquet staging, one loader.")
def scale_out_ingest():
    load_staged(fan_out_documents().map(stage).collect())


def run_scale_out(paths: list[str | Path], *, warehouse: Path, archive: Path, staging: Path,
                  instance: DagsterInstance, max_concurrent: int = 2):
    """Land ``paths`` and run ``scale_out_ingest`` over them with ``max_concurrent`` processes."""
    records, _ = land_paths([Path(p) for p in paths], Archive(archive))
    run_config = {
        "ops": {"fan_out_documents": {"config": {"document_ids": [r.document_id for r in records]}}},
        "resources": {"archive": {"config": {"path": str(archive)}},
                      "staging": {"config": {"path": str(staging)}},
                      "warehouse": {"config": {"path": str(warehouse)}}},
        "execution": {"config": {"max_concurrent": max_concurrent}},
    }
    with execute_job(reconstructable(scale_out_ingest), instance=instance,
                     run_config=run_config) as result:
        return result.success, records, result.output_for_node("load_staged") if result.success else None

