"""`python -m generator`: see `generator.quick` (an unchanged package, answered at once)
and `generator.cli` (everything else)."""

import sys

from .quick import main

sys.exit(main())
