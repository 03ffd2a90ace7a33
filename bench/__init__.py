"""Benchmarks and corpus runs (not part of `make test`); see bench/README.md."""
