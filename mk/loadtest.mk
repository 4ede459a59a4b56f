# The load test ([scale]): N simulated callers and the demo agents against the real local stack.
# Not part of `make test` (a measurement, not a check); its functional test (tests/loadtest) is.
.PHONY: loadtest
LOADTEST_ARGS ?=

loadtest: python-deps ## drive 1,000 callers (LOADTEST_ARGS="--callers 5000 ...") through the real stack; docs/CAPACITY.md
	$(BIN)/python -m local_connect.loadtest $(LOADTEST_ARGS)
