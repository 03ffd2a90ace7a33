"""`python -m generator`: see `generator.quick` (an unchanged package, answered at once)
and `generator.cli` (everything else)."""

from .quick import run

run()
