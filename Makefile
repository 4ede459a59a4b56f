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

.PHONY: help check run test bench seed token deploy lint typecheck pytest web-test system-deps python-deps web-deps site clean

help: ## this list: every target and what it does
	@awk -F':.*## ' '/^[a-zA-Z0-9_-]+:.*## / {printf "  make %-20s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# ---------------------------------------------------------------- installs
system-deps: ## install Debian's chromium and espeak-ng when missing
	@if ! command -v chromium >/dev/null || ! command -v espeak-ng >/dev/null; then \
	  echo "installing Debian packages: chromium espeak-ng"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium espeak-ng >/dev/null; \
	fi

python-deps: $(PY_STAMP) ## create .venv and install the project with its dev extras
$(PY_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

web-deps: $(WEB_STAMP) ## npm ci in web/
$(WEB_STAMP): web/package.json $(wildcard web/package-lock.json)
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

site: $(SITE) ## build the website (web/dist)
$(SITE): $(WEB_STAMP) $(shell find web/src web/public web/index.html web/vite.config.* -type f 2>/dev/null)
	cd web && npm run build --silent

# ---------------------------------------------------------------- the two commands
run: python-deps site system-deps ## install what is missing, build the site, start the local contact center
	$(BIN)/python -m local_connect serve --port $(PORT) $(RUN_ARGS)

# Parts add themselves to TEST_TARGETS / BENCH_TARGETS from their fragment in mk/*.mk.
TEST_TARGETS := lint typecheck pytest web-test
include $(wildcard mk/*.mk)

test: python-deps system-deps site $(TEST_TARGETS) ## everything: lint, types, pytest (API, Lambdas, flows, runtime, template, e2e), web, template checks

# The minutes between commits: no site build, no browser, no template tools. `make test` stays everything.
check: lint typecheck python-deps web-deps ## the fast inner loop: lint, types, unit suites and vitest (no site build, no browser)
	$(BIN)/python -m pytest -q -m "not e2e" --ignore=tests/e2e
	cd web && npm test --silent

# ---------------------------------------------------------------- parts of test
lint: python-deps ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: python-deps ## mypy over every Python package
	$(BIN)/mypy $(wildcard jam_core api/jam_api lambdas local_connect tests scripts bench)

pytest: python-deps system-deps site ## every pytest suite (needs the built site for the browser tests)
	$(BIN)/python -m pytest

web-test: web-deps ## the website's vitest suite
	cd web && npm test --silent

# ---------------------------------------------------------------- the rest
bench: python-deps site ## benchmarks (results and method: docs/BENCHMARKS.md)
	$(BIN)/python -m bench

seed: python-deps ## load data/seed into the local SQLite database
	$(BIN)/python -m scripts.seed sqlite

token: python-deps ## print a local ID token for curl: make token USER=<demo user>
	@$(BIN)/python -m local_connect token $(USER)

clean: ## remove the virtualenv, node_modules, the built site, var/ and .aws-sam
	rm -rf $(VENV) web/node_modules web/dist var .aws-sam
