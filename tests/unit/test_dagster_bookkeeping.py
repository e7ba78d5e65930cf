"""The run's documents from its tags, and the event log that writes a step's batch at once."""

from dagster import (AssetExecutionContext, DagsterInstance, DynamicPartitionsDefinition, Definitions,
                     MaterializeResult, asset, define_asset_job)
from dagster._core.storage.tags import (ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG,
                                       PARTITION_NAME_TAG)

from pipelines.assets.partitions import documents_partitions, single_run
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


things = DynamicPartitionsDefinition(name="things")


@asset(partitions_def=things, backfill_policy=single_run)
def per_thing(context: AssetExecutionContext) -> MaterializeResult:
    return MaterializeResult(metadata={"n": len(context.partition_keys)})


def test_batched_event_log_stores_each_partition_once_in_one_batch(tmp_path, monkeypatch):
    from pipelines.instance import BatchedSqliteEventLogStorage, batch_event_writes

    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    monkeypatch.delenv("DAGSTER_EVENT_BATCH_SIZE", raising=False)
    batches = []
    original = BatchedSqliteEventLogStorage.store_event_batch

    def spy(self, events):
        batches.append((len(events), {e.dagster_event_type.value for e in events}))
        return original(self, events)

    monkeypatch.setattr(BatchedSqliteEventLogStorage, "store_event_batch", spy)
    keys = [f"k{i}" for i in range(5)]
    with DagsterInstance.get() as instance:
        assert batch_event_writes(instance)
        assert isinstance(instance.event_log_storage, BatchedSqliteEventLogStorage)
        instance.add_dynamic_partitions("things", keys)
        job = Definitions(assets=[per_thing], jobs=[define_asset_job("j")]).resolve_job_def("j")
        result = job.execute_in_process(instance=instance, tags={ASSET_PARTITION_RANGE_START_TAG: "k0",
                                                                 ASSET_PARTITION_RANGE_END_TAG: "k4"})
        assert result.success
        # the five materialisations arrive as one batch (the planned events may form another)
        assert (5, {"ASSET_MATERIALIZATION"}) in batches
        assert instance.get_materialized_partitions(per_thing.key) == set(keys)
        latest = instance.get_latest_materialization_event(per_thing.key)
        assert latest is not None and latest.dagster_event.partition in keys
    with DagsterInstance.get() as again:  # a fresh instance (the daemon, the UI) reads the same
        assert again.get_materialized_partitions(per_thing.key) == set(keys)
