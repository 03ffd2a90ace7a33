#!/usr/bin/env python3
"""Benchmark: our generator against openapi-python-client, datamodel-code-generator and
openapi-generator. The code is the package `bench/perf/` (see its `__init__` and
bench/README.md); this file is the entry point `make bench` runs.

Usage (from the repository root; `make bench` runs the first line):

    .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --specs billing --runs 1
    .venv/bin/python bench/run.py --specs stripe --runs 1 --skip-peers
    .venv/bin/python bench/run.py --specs github,stripe --runs 1 --variants ours,ogen --no-percall
    .venv/bin/python bench/run.py --specs scaling --scaling-factors 1,2,4,8 --variants ours
    .venv/bin/python bench/run.py --specs none --no-percall --profile
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.perf.cli import main

if __name__ == "__main__":
    sys.exit(main())
