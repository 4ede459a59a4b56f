# [lambdas] The Connect-invoked Lambdas and their data. `make test` already runs tests/lambdas
# (pytest over tests/); these are shortcuts while working on them.

.PHONY: lambdas-test lambdas-bench lambdas-sdk-slice

# The Lambdas' suite alone: contract (SQLite + moto), handlers, fuzz, one-read proof, seed.
lambdas-test: $(PY_STAMP) ## the Lambdas' suite alone
	$(BIN)/python -m pytest tests/lambdas -q

# Only the Lambdas' section of the benchmarks, printed (docs/BENCHMARKS.md is written by `make bench`).
lambdas-bench: $(PY_STAMP) ## only the Lambdas' benchmarks, printed
	$(BIN)/python -m bench lambdas

# Rewrite the API's and the Lambdas' slices of botocore data from the installed botocore (after
# upgrading boto3).
lambdas-sdk-slice: $(PY_STAMP) ## rewrite the botocore data slices from the installed botocore
	$(BIN)/python -m scripts.sdk_slice
