# annual-etl — the two quick-start commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Everything annual-etl writes (warehouse, archive, Dagster instance, reports, Data Docs, logs,
# alerts) goes into one home: $ANNUAL_ETL_HOME, else .annual-etl/ here (see README, "Configuration").

.PHONY: setup run test test-fast ui validate benchmarks clean-warehouse system-packages

# Virtual environment with the pinned dependencies; re-installed when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

setup: $(VENV)/.installed

# Ingest the bundled sample reports into the home's warehouse and show year over year.
run: setup
	$(BIN)/annual-etl ingest sources/samples
	@echo
	@echo "Year over year (marts.indicator_yoy), 北京市大兴区:"
	@$(BIN)/annual-etl query --file warehouse/queries/yoy_for_region.sql
	@echo
	@echo "Plan vs actual (marts.plan_vs_actual):"
	@$(BIN)/annual-etl query "SELECT region, indicator_code, year, measure, target_comparator, target_value, actual_value, attained FROM marts.plan_vs_actual ORDER BY region, year, indicator_code, measure"

# All tests: unit, integration and the slow end-to-end ones. Says which Debian packages are
# missing (the tests that need them skip with the reason); installs nothing unless CI=true or
# INSTALL_SYSTEM_PACKAGES=1 (`make system-packages` installs them on purpose).
test: setup
	@scripts/ensure_system_packages.sh
	$(BIN)/python -m pytest -q

# Unit tests only (seconds).
test-fast: setup
	$(BIN)/python -m pytest -q tests/unit -m "not slow"

validate: setup
	$(BIN)/dagster definitions validate -m pipelines.definitions

# Debian packages the browser and PDF tests use (chromium, a CJK font), installed with apt-get.
system-packages:
	INSTALL_SYSTEM_PACKAGES=1 scripts/ensure_system_packages.sh

# The Dagster UI on http://127.0.0.1:3000 with the daemon (sensors, schedule), on the same home
# as the command line: its instance is HOME/dagster.
ui: setup
	$(BIN)/annual-etl ui

benchmarks: setup
	$(BIN)/python benchmarks/score_corpus.py
	$(BIN)/python benchmarks/extract_invented.py
	$(BIN)/python benchmarks/extract_invented.py --fixtures tests/fixtures/blind
	$(BIN)/python benchmarks/formats_parity.py
	$(BIN)/python benchmarks/portal_metadata.py
	$(BIN)/python benchmarks/extract_speed.py
	$(BIN)/python benchmarks/pdf_speed.py
	$(BIN)/python benchmarks/ingest_scale.py

# Removes the default home's warehouse only (not the archive or the Dagster instance).
clean-warehouse:
	rm -f .annual-etl/warehouse/annual_reports.duckdb .annual-etl/warehouse/annual_reports.duckdb.wal
