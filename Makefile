# Seklik: `make run` starts everything locally; `make test` runs every test.
# Both install what they need first (Python venv, npm packages, chromium for tests)
# and are safe to run again.

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
SERVICE_PORT_BASE ?= 8100
VAR_DIR ?= var
PYTEST_ARGS ?=
# Two workers (pytest-xdist), each with its own local stack and built site: the suite waits on DynamoDB Local,
# S3 and the browser about as much as it computes. `worksteal` evens out the long browser tests.
# WORKERS=0 runs everything in one process.
WORKERS ?= 2
PARALLEL := $(if $(filter 0,$(WORKERS)),,-n $(WORKERS) --dist worksteal)

export PYTHON

.PHONY: run test unit integration e2e setup prereqs jdk browser lint clean

run: setup
	@$(BIN)/seklik dev --port $(PORT) --service-port-base $(SERVICE_PORT_BASE) --var-dir $(VAR_DIR)

test: setup browser
	@$(BIN)/pytest $(PARALLEL) --durations=15 $(PYTEST_ARGS)

unit: setup
	@$(BIN)/pytest tests/unit $(PYTEST_ARGS)

integration: setup
	@$(BIN)/pytest tests/integration $(PYTEST_ARGS)

e2e: setup browser
	@$(BIN)/pytest tests/e2e $(PYTEST_ARGS)

# The stamps live inside what they describe: deleting .venv or node_modules
# makes the next run install again.
PY_STAMP := $(VENV)/.seklik-installed
NODE_STAMP := node_modules/.seklik-installed

setup: prereqs jdk $(PY_STAMP) $(NODE_STAMP)

prereqs:
	@scripts/check-prereqs

$(PY_STAMP): pyproject.toml requirements.lock
	@echo "Installing Python packages into $(VENV) ..."
	@$(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	@echo "Installing npm packages (DynamoDB Local, axe-core) ..."
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# DynamoDB Local starts through a one-file Java launcher that binds it to 127.0.0.1
# (seklik/java/); Java runs it from source with the JDK's compiler, which a bare JRE lacks.
jdk:
	@java --list-modules 2>/dev/null | grep -q '^jdk.compiler@' || { \
	  echo "Installing the headless JDK (DynamoDB Local's loopback launcher runs from source) ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless >/dev/null; }

# Debian's chromium for the browser tests (Playwright's own download cannot work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf site build .pytest_cache $(PY_STAMP) $(NODE_STAMP)
