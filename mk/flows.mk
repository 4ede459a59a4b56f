# [flows] The JAM flows and the flow engine.
#   make flows-check   load every flow the template maps, strictly (part of make test)
#   make flows-test    only the flow scenarios, with the per-flow coverage report
#   make call          call the inbound flow from the terminal (FLOW=..., FROM=...)
# `make pytest` already runs tests/flows (and enforces 100% flow coverage there), so flows-test is
# not added to TEST_TARGETS a second time.

.PHONY: flows-check flows-test call

FLOW ?= InboundFlow
FROM ?= +12025550101

flows-check: $(PY_STAMP) ## load every flow the template maps, strictly
	$(BIN)/python -m local_connect.flows.check

flows-test: $(PY_STAMP) ## only the flow scenarios, with the per-flow coverage report
	$(BIN)/python -m pytest tests/flows -q

call: $(PY_STAMP) ## call a flow from the terminal, no stack needed: make call FLOW=InboundFlow FROM=+1...
	$(BIN)/python -m local_connect call --flow $(FLOW) --from $(FROM)

TEST_TARGETS += flows-check
