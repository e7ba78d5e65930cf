"""The job that the sensor and the schedule run, how a run is aimed, and how it is scaled out.

A run covers a range of document partitions (Dagster's partition-range tags); the per-document
assets skip documents already done, so a range that spans finished documents costs little.
Scaling out is configuration of the same job (``scale_out_config``): the multiprocess executor
and Parquet staging of per-document outcomes (docs/scaling.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from dagster import AssetSelection, DagsterInstance, define_asset_job
from dagster._core.storage.tags import (ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG,
                                       PARTITION_NAME_TAG)

from .assets.partitions import documents_partitions

ingest_reports = define_asset_job(
    name="ingest_reports",
    selection=AssetSelection.all(),
    description="Read the documents of the run, extract and check their figures, rebuild the marts.",
)


def register_documents(instance: DagsterInstance, document_ids: Iterable[str]) -> list[str]:
    """Add partitions for documents not seen before; returns the new keys in order."""
    known = set(instance.get_dynamic_partitions(documents_partitions.name))
    new = list(dict.fromkeys(d for d in document_ids if d not in known))
    if new:
        instance.add_dynamic_partitions(documents_partitions.name, new)
    return new


def range_tags(instance: DagsterInstance, document_ids: Iterable[str]) -> dict[str, str] | None:
    """Partition-range tags spanning these documents (None when there are none)."""
    wanted = set(document_ids)
    if not wanted:
        return None
    ordered = instance.get_dynamic_partitions(documents_partitions.name)
    positions = [i for i, key in enumerate(ordered) if key in wanted]
    if not positions:
        return None
    return {ASSET_PARTITION_RANGE_START_TAG: ordered[min(positions)],
            ASSET_PARTITION_RANGE_END_TAG: ordered[max(positions)]}


def all_documents_tags(instance: DagsterInstance) -> dict[str, str] | None:
    return range_tags(instance, instance.get_dynamic_partitions(documents_partitions.name))


def run_documents(instance: DagsterInstance, tags: dict[str, str]) -> list[str] | None:
    """The document ids a run covers, from its partition tags (None: no tags, every document).

    The checks validate only these documents' rows, so their cost follows the run, not the table.
    """
    if tags.get(PARTITION_NAME_TAG):
        return [tags[PARTITION_NAME_TAG]]
    start, end = tags.get(ASSET_PARTITION_RANGE_START_TAG), tags.get(ASSET_PARTITION_RANGE_END_TAG)
    if not (start and end):
        return None
    ordered = instance.get_dynamic_partitions(documents_partitions.name)
    if start not in ordered or end not in ordered:
        return None
    return ordered[ordered.index(start):ordered.index(end) + 1]


def ingest_job():
    """``ingest_reports`` from the code location, for ``reconstructable``: a multiprocess run
    rebuilds the job in every step's process from this module-level function."""
    from .definitions import defs

    return defs.resolve_job_def("ingest_reports")


def scale_out_config(*, warehouse: str, archive: str, staging: str, max_concurrent: int = 2) -> dict:
    """Run config that scales ``ingest_reports`` out: steps in their own processes, outcomes staged."""
    return {"execution": {"config": {"multiprocess": {"max_concurrent": max_concurrent}}},
            "resources": {"warehouse": {"config": {"path": warehouse}}, "archive": {"config": {"path": archive}},
                          "staging": {"config": {"path": staging}}}}


def run_scaled_out(instance: DagsterInstance, document_ids: list[str], **config) -> tuple[bool, str]:
    """``ingest_reports`` over these (landed) documents with ``scale_out_config(**config)``."""
    from dagster import execute_job, reconstructable

    register_documents(instance, document_ids)
    with execute_job(reconstructable(ingest_job), instance=instance, run_config=scale_out_config(**config),
                     tags=range_tags(instance, document_ids)) as result:
        return result.success, result.run_id
