# Porth developer tasks. Needs only python3.12+, node/npm and GNU make.
#   make run    set up and serve the example services on http://127.0.0.1:8000
#   make test   lint, type-check, migration check and the full pytest suite (incl. browser tests)
#   make lock   re-pin requirements/lock.txt from requirements/*.in (then review the diff)

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
NPM ?= npm
# Only lint/format directories that exist (tests/ and bench/ may not yet).
PY_DIRS := $(wildcard src bench tests)
DJANGO_ENV := DJANGO_SETTINGS_MODULE=porth.conf.settings
# uv is used only to compile the lock; it is installed into var/ on first use.
UV_VENV := var/uv
UV := $(UV_VENV)/bin/uv

.PHONY: help run test lint fmt typecheck bench lock clean venv frontend

help:
	@echo "make run | test | lint | fmt | typecheck | bench | lock | clean"

# --- Python -------------------------------------------------------------------------------------
# The stamp is the venv's python; rebuilt whenever the lock changes.
$(VENV): $(BIN)/porth
venv: $(BIN)/porth

$(BIN)/porth: requirements/lock.txt
	@[ -n "$(PYTHON)" ] || { echo "error: python3.12 not found; install Python 3.12+ or pass PYTHON=/path/to/python3.12" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "error: $(PYTHON) is Python $$($(PYTHON) -c 'import platform; print(platform.python_version())'); Porth needs 3.12+." >&2; \
	  echo "       Install it, or pass PYTHON=/path/to/python3.12" >&2; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

# --- Frontend -----------------------------------------------------------------------------------
# npm ci writes node_modules/.package-lock.json, which makes a good stamp. --ignore-scripts: no
# dependency needs an install script (sass's optional file watcher is unused).
frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	cd frontend && $(NPM) ci --ignore-scripts --no-audit --no-fund
	@touch $@

frontend/dist: frontend/node_modules/.package-lock.json frontend/build.mjs $(wildcard frontend/src/*)
	cd frontend && $(NPM) run --silent build
	@touch $@

frontend: frontend/dist

# --- Tasks --------------------------------------------------------------------------------------
run: $(BIN)/porth frontend/dist
	$(BIN)/porth run

test: lint typecheck frontend/dist
	@mkdir -p var  # the SQLite database lives here; makemigrations --check opens it
	PORTH_ENV=test $(DJANGO_ENV) $(BIN)/python -m django makemigrations --check --dry-run
	PORTH_ENV=test $(BIN)/pytest -n 2

lint: $(BIN)/porth
	$(BIN)/ruff check $(PY_DIRS)
	$(BIN)/ruff format --check $(PY_DIRS)
	$(BIN)/lint-imports --no-cache

fmt: $(BIN)/porth
	$(BIN)/ruff check --fix $(PY_DIRS)
	$(BIN)/ruff format $(PY_DIRS)

typecheck: $(BIN)/porth
	$(BIN)/mypy

bench: $(BIN)/porth frontend/dist
	$(BIN)/python -m bench

$(UV):
	@[ -n "$(PYTHON)" ] || { echo "error: python3 not found" >&2; exit 1; }
	$(PYTHON) -m venv $(UV_VENV)
	$(UV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check uv

lock: $(UV)
	$(UV) pip compile --quiet --generate-hashes --python-version 3.12 --universal \
	  requirements/dev.in -o requirements/lock.txt

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist var/static var/uv .mypy_cache .ruff_cache .hypothesis test-results
	find src tests bench -name __pycache__ -type d -prune -exec rm -rf {} + 2>/dev/null || true
