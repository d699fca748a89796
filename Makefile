# django-tw: one entry point for every workflow. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STACK ?= prod

.PHONY: help venv test lint format local backup restore plan bench
.DEFAULT_GOAL := help

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# The virtualenv is rebuilt whenever a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt policy/requirements.txt service/requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# checkov pins boto3 and packaging<24, which conflict with the test tools: own virtualenv.
CHECKOV_VENV := $(VENV)/checkov
$(CHECKOV_VENV)/.installed: requirements-checkov.txt
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet -r requirements-checkov.txt
	touch $@

# barman-cloud (the db container's backup tool) for the local Postgres: local/backup_tools.py.
BARMAN_TOOLS := $(VENV)/.barman-installed
$(BARMAN_TOOLS): service/db/requirements-barman.txt $(VENV)/.installed
	$(PY) -m local.backup_tools >/dev/null
	touch $@

venv: $(VENV)/.installed $(CHECKOV_VENV)/.installed $(BARMAN_TOOLS) ## create .venv with every Python dependency

test: venv ## run every test CI runs (infra, service, e2e, browser)
	$(PY) -m pytest

local: ## the production topology on http://localhost:8080 (Ctrl-C stops it; data stays in .local/)
	bash local/install-system-packages.sh
	@$(MAKE) --no-print-directory venv
	exec $(PY) -m local.run

backup: venv ## a base backup of the running `make local` database, now
	$(PY) -m local.backup take

restore: venv ## restore the stopped `make local` database: latest, or TARGET_TIME="2026-12-01 10:00:00+00"
	$(PY) -m local.backup restore $(if $(TARGET_TIME),--target-time "$(TARGET_TIME)")

bench: ## the service under load through nginx (wrk); writes docs/benchmarks.md (~5 min)
	bash local/install-system-packages.sh
	bash bench/install-wrk.sh
	@$(MAKE) --no-print-directory venv
	$(PY) -m bench

plan: venv ## offline plan of STACK (default prod): resources, monthly cost, policy findings
	$(PY) -m plan --stack $(STACK)

lint: venv ## ruff over the whole repository
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv ## apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
