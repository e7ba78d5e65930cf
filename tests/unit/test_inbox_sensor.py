"""The inbox sensor lands new or changed files and asks for one run spanning their partitions."""

import shutil
from pathlib import Path

from dagster import DagsterInstance, build_sensor_context
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from pipelines.landing import document_id_for
from pipelines.sensors.inbox import inbox_sensor

SAMPLES = Path(__file__).resolve().parents[2] / "sources" / "samples"


def test_new_files_request_one_run_and_unchanged_files_do_not(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    monkeypatch.setenv("ANNUAL_ETL_INBOX", str(inbox))
    monkeypatch.setenv("ANNUAL_ETL_ARCHIVE", str(tmp_path / "archive"))
    for name in ("dx-2022-plan.txt", "dx-2023-plan.txt"):
        shutil.copy(SAMPLES / name, inbox / name)
    ids = [document_id_for((inbox / n).read_bytes())[0] for n in ("dx-2022-plan.txt", "dx-2023-plan.txt")]
    with DagsterInstance.ephemeral() as instance:
        result = inbox_sensor(build_sensor_context(instance=instance))
        (request,) = result.run_requests
        assert {request.tags[ASSET_PARTITION_RANGE_START_TAG], request.tags[ASSET_PARTITION_RANGE_END_TAG]} == set(ids)
        (add,) = result.dynamic_partitions_requests
        assert sorted(add.partition_keys) == sorted(ids)
        assert (tmp_path / "archive" / ids[0][:2] / ids[0]).read_bytes() == (inbox / "dx-2022-plan.txt").read_bytes()

        again = inbox_sensor(build_sensor_context(instance=instance, cursor=result.cursor))
        assert not again.run_requests and again.skip_reason

        changed = inbox / "dx-2023-plan.txt"
        changed.write_text(changed.read_text(encoding="utf-8") + "\n补充说明。", encoding="utf-8")
        third = inbox_sensor(build_sensor_context(instance=instance, cursor=result.cursor))
        (request,) = third.run_requests
        new_id = document_id_for(changed.read_bytes())[0]
        assert request.tags[ASSET_PARTITION_RANGE_START_TAG] == new_id
