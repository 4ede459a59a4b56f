# The local contact center (local_connect/): its own tests, and the terminal phone against `make run`.
# Its tests also run in `make pytest` (all of tests/), so nothing is added to TEST_TARGETS.
.PHONY: local-connect-test phone records

local-connect-test: python-deps ## the local runtime's suites alone
	$(BIN)/python -m pytest -q tests/local_connect $(wildcard tests/e2e/test_local_connect_*.py)

# A terminal test phone: make phone NUMBER=+12025550101
NUMBER ?= +12025550100
phone: python-deps ## a terminal test phone against make run: make phone NUMBER=+1...
	$(BIN)/python -m local_connect phone --url http://127.0.0.1:$(PORT) --number $(NUMBER)

# Contact records of the running stack as CSV
records: ## contact records of the running stack as CSV
	@curl -fsS "http://127.0.0.1:$(PORT)/local/contacts?format=csv"
