"""Plain step results (``pipelines.steps``) as Dagster metadata and asset-check results."""

from dagster import AssetCheckResult, AssetCheckSeverity, MetadataValue

from ..steps import CheckOutcome, FilePath, Markdown


def metadata(values: dict) -> dict:
    """Markdown as Markdown, paths as paths, dicts and lists as JSON; the rest as it is."""
    out = {}
    for key, value in values.items():
        if isinstance(value, Markdown):
            value = MetadataValue.md(str(value))
        elif isinstance(value, FilePath):
            value = MetadataValue.path(str(value))
        elif isinstance(value, (dict, list)):
            value = MetadataValue.json(value)
        out[key] = value
    return out


def check_result(outcome: CheckOutcome, *, with_asset_key: bool = True) -> AssetCheckResult:
    severity = AssetCheckSeverity.ERROR if outcome.severity == "error" else AssetCheckSeverity.WARN
    return AssetCheckResult(asset_key=outcome.asset if with_asset_key else None, check_name=outcome.name,
                            passed=outcome.passed, severity=severity, description=outcome.description,
                            metadata=metadata(outcome.metadata))
