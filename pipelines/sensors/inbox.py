"""Watch the home's inbox (HOME/inbox/, ANNUAL_ETL_INBOX): land new or changed files and request a run for their documents."""

from __future__ import annotations

import hashlib
import json

from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SensorResult, SkipReason, sensor

from ..assets.partitions import documents_partitions
from ..jobs import ingest_reports
from ..landing import Archive, discover
from ..settings import archive_dir, inbox_dir
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG


def _fingerprint(path) -> str:
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


@sensor(job=ingest_reports, minimum_interval_seconds=30, default_status=DefaultSensorStatus.STOPPED,
        description="Lands files dropped into the home's inbox (HOME/inbox/) and ingests the new or changed ones.")
def inbox_sensor(context: SensorEvaluationContext):
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    inbox = inbox_dir()
    if not inbox.is_dir():
        return SkipReason(f"no inbox folder at {inbox}")
    archive = Archive(archive_dir())
    changed: list[str] = []
    current: dict[str, str] = {}
    for path, root in discover([inbox]):
        try:
            fingerprint = _fingerprint(path)
        except OSError:
            continue
        current[str(path)] = fingerprint
        if seen.get(str(path)) != fingerprint:
            changed.append(archive.land(path, root).document_id)
    if not changed:
        return SensorResult(skip_reason="no new or changed files in the inbox", cursor=json.dumps(current))
    keys = list(dict.fromkeys(changed))
    stored = context.instance.get_dynamic_partitions(documents_partitions.name)
    stored_set, wanted = set(stored), set(keys)
    new_keys = [k for k in keys if k not in stored_set]
    # The sensor result appends new keys after the stored ones, so the range runs from the first
    # changed key already stored (or the first new one) to the last new one (or last stored one).
    ordered = [k for k in stored if k in wanted] + new_keys
    request = RunRequest(run_key="inbox:" + hashlib.sha256(" ".join(sorted(keys)).encode()).hexdigest()[:16],
                         tags={ASSET_PARTITION_RANGE_START_TAG: ordered[0], ASSET_PARTITION_RANGE_END_TAG: ordered[-1]})
    return SensorResult(run_requests=[request], cursor=json.dumps(current),
                        dynamic_partitions_requests=[documents_partitions.build_add_request(new_keys)] if new_keys else [])
