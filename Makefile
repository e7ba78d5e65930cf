# annual-etl — the two quick-start commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: setup run test test-fast ui validate benchmarks clean-warehouse

# Virtual environment with the pinned dependencies; re-installed when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

setup: $(VENV)/.installed

# Ingest the bundled sample reports into warehouse/annual_reports.duckdb and show year over year.
run: setup
	$(BIN)/annual-etl ingest sources/samples
	@echo
	@echo "Year over year (marts.indicator_yoy), 北京市大兴区:"
	@$(BIN)/annual-etl query --file warehouse/queries/yoy_for_region.sql
	@echo
	@echo "Plan vs actual (marts.plan_vs_actual):"
	@$(BIN)/annual-etl query "SELECT region, indicator_code, year, measure, target_comparator, target_value, actual_value, attained FROM marts.plan_vs_actual ORDER BY region, year, indicator_code, measure"

# All tests: unit, integration and the slow end-to-end ones.
test: setup
	@scripts/ensure_system_packages.sh
	$(BIN)/python -m pytest -q

# Unit tests only (seconds).
test-fast: setup
	$(BIN)/python -m pytest -q tests/unit -m "not slow"

validate: setup
	$(BIN)/dagster definitions validate -m pipelines.definitions

# The Dagster UI on http://127.0.0.1:3000 (with the daemon, so the sensor and schedule run).
ui: setup
	mkdir -p $(DAGSTER_HOME) && cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster dev -m pipelines.definitions -h 127.0.0.1 -p 3000

benchmarks: setup
	$(BIN)/python benchmarks/score_corpus.py
	$(BIN)/python benchmarks/extract_speed.py
	$(BIN)/python benchmarks/pdf_speed.py
	$(BIN)/python benchmarks/ingest_scale.py

clean-warehouse:
	rm -f warehouse/annual_reports.duckdb warehouse/annual_reports.duckdb.wal
