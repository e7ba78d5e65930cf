"""A Dagster logger that writes run events to a file, so the terminal keeps only the summary."""

import logging

from dagster import Field, logger


@logger(
    {"path": Field(str, description="log file"), "log_level": Field(str, default_value="INFO")},
    description="Appends Dagster's run events to a file (the command line uses it instead of the console).",
)
def file_logger(init_context):
    level = init_context.logger_config["log_level"]
    handler = logging.FileHandler(init_context.logger_config["path"], encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    out = logging.Logger("annual_etl_dagster", level=level)
    out.addHandler(handler)
    return out
