"""`python -m bench.perf`: the same as `bench/run.py`."""

import sys

from bench.perf.cli import main

sys.exit(main())
