# The website (web/) and its local identity provider (local_connect/cognito/).
# Its Python tests (tests/cognito, tests/e2e/test_site_*.py) run in `make pytest` and its vitest
# suite in `make web-test`, so nothing is added to TEST_TARGETS.
.PHONY: site-test site-e2e lighthouse-deps

LIGHTHOUSE_DIR := .tools/lighthouse
LIGHTHOUSE_STAMP := $(LIGHTHOUSE_DIR)/node_modules/.bin/lighthouse

site-test: python-deps web-deps ## the local Cognito's tests and the website's vitest suite
	$(BIN)/python -m pytest -q tests/cognito
	cd web && npm test --silent

# The browser journeys only (Playwright + Debian's chromium against a real local stack).
site-e2e: python-deps system-deps site ## only the browser journeys (Playwright + Debian's chromium)
	$(BIN)/python -m pytest -q $(wildcard tests/e2e/test_site_*.py)

# Lighthouse for `make bench` (bench/site.py), pinned; 12.x is the last line that runs on Node 20.
lighthouse-deps: $(LIGHTHOUSE_STAMP) ## install Lighthouse for make bench
$(LIGHTHOUSE_STAMP):
	mkdir -p $(LIGHTHOUSE_DIR)
	cd $(LIGHTHOUSE_DIR) && echo '{"private": true}' > package.json && \
	  npm install --no-audit --no-fund --loglevel=error lighthouse@12.8.2
	@touch $@

bench: lighthouse-deps system-deps
