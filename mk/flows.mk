# [flows] The JAM flows and the flow engine.
#   make flows-check   load every flow the template maps, strictly (part of make test)
#   make flows-test    only the flow scenarios, with the per-flow coverage report
#   make call          call a flow from the terminal (FLOW=template name or file, FROM=...)
#   make flowtest      run scenario files (SCENARIOS=path, folder or glob) with coverage per flow
# `make pytest` already runs tests/flows (and enforces 100% flow coverage there), so flows-test is
# not added to TEST_TARGETS a second time.

.PHONY: flows-check flows-test call flowtest

FLOW ?= InboundFlow
FROM ?= +12025550101
SCENARIOS ?= tests/flows/scenarios
# FAIL_UNDER=100 fails the run when a flow's coverage (overall or in a language) is below it.
FAIL_UNDER ?=

flows-check: $(PY_STAMP) ## load every flow the template maps, strictly
	$(BIN)/python -m local_connect.flows.check

flows-test: $(PY_STAMP) ## only the flow scenarios, with the per-flow coverage report
	$(BIN)/python -m pytest tests/flows -q

call: $(PY_STAMP) ## call a flow from the terminal, no stack needed: make call FLOW=InboundFlow FROM=+1...
	$(BIN)/python -m local_connect call --flow $(FLOW) --from $(FROM)

flowtest: $(PY_STAMP) ## run YAML call scenarios through any flows, coverage per flow: SCENARIOS=file|folder|glob [FAIL_UNDER=100]
	$(BIN)/python -m local_connect flowtest $(SCENARIOS) $(if $(FAIL_UNDER),--fail-under $(FAIL_UNDER))

TEST_TARGETS += flows-check
