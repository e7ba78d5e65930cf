"""One dynamic partition per document; the key is the document id (16 hex of its SHA-256)."""

from dagster import BackfillPolicy, DynamicPartitionsDefinition

documents_partitions = DynamicPartitionsDefinition(name="documents")

# A run over many documents is one run (one step per asset), not one per document: Dagster's
# per-step process start-up would otherwise dominate a thousand-document ingest.
single_run = BackfillPolicy.single_run()
