"""The job that the sensor, the schedule and the command line all run, and how a run is aimed.

A run covers a range of document partitions (Dagster's partition-range tags); the per-document
assets skip documents already done, so a range that spans finished documents costs little.
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
