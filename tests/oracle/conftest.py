"""Oracle suite: a one-line summary of how many (schema, payload) pairs were compared."""

from __future__ import annotations

from typing import Any

from .harness import STATS


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if STATS["pairs"] or STATS["known"]:
        terminalreporter.write_line(
            f"differential oracle: {STATS['pairs']} (schema, payload) pairs compared, "
            f"{STATS['mismatches']} disagreement(s); {STATS['known']} known-difference "
            "case(s) re-checked"
        )
