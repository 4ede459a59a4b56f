# JAM Contact Center. `make run` and `make test` work on a fresh machine: every target installs
# what it needs (virtualenv, npm packages, Debian's chromium and espeak-ng) before using it.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT
# Root installs directly; anyone else goes through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

PY_STAMP := $(VENV)/.installed
WEB_STAMP := web/node_modules/.installed
SITE := web/dist/index.html

.PHONY: help run test bench seed token deploy lint typecheck pytest web-test system-deps python-deps web-deps site clean

help:
	@echo "make run    - install what is missing, build the site, start the local contact center"
	@echo "make test   - every suite: lint, types, pytest (API, Lambdas, flows, runtime, template), web, browser e2e"
	@echo "make bench  - benchmarks (results: docs/BENCHMARKS.md)"
	@echo "make seed   - load data/seed into the local SQLite database"
	@echo "make token USER=<demo user> - print a local ID token for curl (the one the API expects)"
	@echo "make flowtest SCENARIOS=<file|folder|glob> [FAIL_UNDER=100] - run YAML call scenarios through any flows, coverage per flow"

# ---------------------------------------------------------------- installs
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v espeak-ng >/dev/null; then \
	  echo "installing Debian packages: chromium espeak-ng"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium espeak-ng >/dev/null; \
	fi

python-deps: $(PY_STAMP)
$(PY_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

web-deps: $(WEB_STAMP)
$(WEB_STAMP): web/package.json $(wildcard web/package-lock.json)
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

site: $(SITE)
$(SITE): $(WEB_STAMP) $(shell find web/src web/public web/index.html web/vite.config.* -type f 2>/dev/null)
	cd web && npm run build --silent

# ---------------------------------------------------------------- the two commands
run: python-deps site system-deps
	$(BIN)/python -m local_connect serve --port $(PORT) $(RUN_ARGS)

# Parts add themselves to TEST_TARGETS / BENCH_TARGETS from their fragment in mk/*.mk.
TEST_TARGETS := lint typecheck pytest web-test
include $(wildcard mk/*.mk)

test: python-deps system-deps site $(TEST_TARGETS)

# ---------------------------------------------------------------- parts of test
lint: python-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: python-deps
	$(BIN)/mypy $(wildcard jam_core api/jam_api lambdas local_connect tests scripts bench)

pytest: python-deps system-deps site
	$(BIN)/python -m pytest

web-test: web-deps
	cd web && npm test --silent

# ---------------------------------------------------------------- the rest
bench: python-deps site
	$(BIN)/python -m bench

seed: python-deps
	$(BIN)/python -m scripts.seed sqlite

token: python-deps
	@$(BIN)/python -m local_connect token $(USER)

clean:
	rm -rf $(VENV) web/node_modules web/dist var .aws-sam
