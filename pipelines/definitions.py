"""The one Dagster Definitions object of annual-etl (the code location)."""

from dagster import Definitions

from .assets.documents import indicator_facts, raw_documents
from .assets.marts import mart_assets
from .assets.quality import QUALITY_ASSETS, QUALITY_CHECKS
from .assets.report import region_reports
from .assets.resources import default_resources
from .jobs import ingest_reports
from .logs import file_logger
from .schedules import daily_refresh
from .sensors.alerts import ALERT_SENSORS
from .sensors.inbox import inbox_sensor

defs = Definitions(
    assets=[raw_documents, indicator_facts, *mart_assets, region_reports, *QUALITY_ASSETS],
    asset_checks=QUALITY_CHECKS,
    jobs=[ingest_reports],
    sensors=[inbox_sensor, *ALERT_SENSORS],
    schedules=[daily_refresh],
    resources=default_resources(),
    loggers={"file": file_logger},
)
