"""A daily refresh: re-run every document partition (done ones are skipped cheaply), the checks and the marts.

On by default: with the Dagster daemon running (`annual-etl ui` / `make ui`), documents made stale by
a change to the extraction rules (their extractor version differs) are re-extracted the next
morning without anyone asking. It reads the same home as the command line (ANNUAL_ETL_HOME).
"""

from dagster import DefaultScheduleStatus, RunRequest, ScheduleEvaluationContext, SkipReason, schedule

from .jobs import all_documents_tags, ingest_reports


@schedule(job=ingest_reports, cron_schedule="0 6 * * *", execution_timezone="Asia/Shanghai",
          default_status=DefaultScheduleStatus.RUNNING,
          description="Daily at 06:00 Beijing time: finish any pending or stale document, re-check, rebuild marts.")
def daily_refresh(context: ScheduleEvaluationContext):
    tags = all_documents_tags(context.instance)
    if tags is None:
        return SkipReason("no documents ingested yet")
    return RunRequest(run_key=context.scheduled_execution_time.isoformat(), tags=tags)
