"""Benchmarks: `make bench` runs every bench/<area>.py module's run() and writes docs/BENCHMARKS.md."""
