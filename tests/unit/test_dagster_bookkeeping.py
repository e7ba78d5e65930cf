"""The run's documents from its tags, and the command line's runs recorded into the instance."""

from dagster import DagsterInstance
from dagster._core.storage.tags import (ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG,
                                       PARTITION_NAME_TAG)

from pipelines.assets.partitions import documents_partitions
from pipelines.jobs import run_documents


def test_run_documents_follows_the_partition_tags():
    with DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions(documents_partitions.name, ["a", "b", "c", "d"])
        assert run_documents(instance, {ASSET_PARTITION_RANGE_START_TAG: "b",
                                        ASSET_PARTITION_RANGE_END_TAG: "c"}) == ["b", "c"]
        assert run_documents(instance, {PARTITION_NAME_TAG: "d"}) == ["d"]
        assert run_documents(instance, {}) is None  # no tags: every document
        assert run_documents(instance, {ASSET_PARTITION_RANGE_START_TAG: "gone",
                                        ASSET_PARTITION_RANGE_END_TAG: "c"}) is None


def _outcome():
    from pipelines.steps import CheckOutcome, FilePath, Markdown, RunOutcome, StepResult

    outcome = RunOutcome()
    outcome.steps["raw_documents"] = StepResult({"raw_documents": {"parsed": 2, "rejections": {"x.txt": "empty"}}})
    outcome.steps["core_checks"] = StepResult(checks=[
        CheckOutcome("indicator_facts", "core_contract", False, "error", "1 of 9 error expectations failed",
                     {"failures": Markdown("| a |"), "alerts_raised": 1}),
        CheckOutcome("indicator_facts", "core_warnings", True, "warn", "all passed", {})])
    outcome.steps["region_reports"] = StepResult({"region_reports": {"pages": 1, "out_dir": FilePath("/tmp/r")}})
    return outcome


def test_the_cli_run_is_recorded_into_the_instance_as_runless_asset_events(tmp_path, monkeypatch):
    """What `annual-etl ingest` did reaches Dagster: partitions, one materialisation per document in
    one transaction, the other assets' materialisations, and the checks with their severity."""
    import pipelines.instance as recorder

    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    batches = []
    original = recorder.store_materializations

    def spy(storage, entries):
        batches.append(len(entries))
        return original(storage, entries)

    monkeypatch.setattr(recorder, "store_materializations", spy)
    run_id = recorder.request_recording(_outcome(), ["d1", "d2", "d3"], ["d1", "d2"], spawn=False)
    folder = recorder.requests_dir()
    assert len(list(folder.glob("*.json"))) == 1
    assert recorder.record_pending(folder) == 1
    assert not list(folder.glob("*.json"))  # done requests are removed
    assert batches == [3]  # two document partitions and the report, one transaction

    from dagster import AssetCheckKey, AssetKey, MetadataValue
    from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

    with DagsterInstance.get() as instance:  # a fresh instance, as the daemon and the UI open it
        assert instance.get_dynamic_partitions("documents") == ["d1", "d2", "d3"]
        assert instance.get_materialized_partitions(AssetKey("raw_documents")) == {"d1", "d2"}
        event = instance.get_latest_materialization_event(AssetKey("region_reports"))
        materialization = event.asset_materialization
        assert materialization.tags[recorder.CLI_RUN_TAG] == run_id
        assert materialization.metadata["out_dir"] == MetadataValue.path("/tmp/r")
        raw = instance.get_latest_materialization_event(AssetKey("raw_documents")).asset_materialization
        assert raw.metadata["rejections"] == MetadataValue.json({"x.txt": "empty"})
        storage = instance.event_log_storage
        [contract] = storage.get_asset_check_execution_history(AssetCheckKey(AssetKey("indicator_facts"),
                                                                             "core_contract"), limit=5)
        assert contract.status == AssetCheckExecutionRecordStatus.FAILED
        evaluation = contract.event.dagster_event.event_specific_data
        assert evaluation.severity.value == "ERROR" and evaluation.metadata["failures"] == MetadataValue.md("| a |")
        [warnings] = storage.get_asset_check_execution_history(AssetCheckKey(AssetKey("indicator_facts"),
                                                                             "core_warnings"), limit=5)
        assert warnings.status == AssetCheckExecutionRecordStatus.SUCCEEDED


def test_a_request_that_cannot_be_recorded_is_set_aside_and_the_next_is_recorded(tmp_path, monkeypatch):
    import pipelines.instance as recorder

    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    folder = recorder.requests_dir()
    folder.mkdir(parents=True)
    (folder / "1-broken.json").write_text('{"run_id": "x"}', encoding="utf-8")  # no documents, no events
    recorder.request_recording(_outcome(), ["d9"], ["d9"], spawn=False)
    assert recorder.record_pending(folder) == 2
    assert [p.name for p in (folder / "failed").iterdir()] == ["1-broken.json"]
    assert not list(folder.glob("*.json"))
    with DagsterInstance.get() as instance:
        assert instance.get_dynamic_partitions("documents") == ["d9"]
