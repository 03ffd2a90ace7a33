"""Table cells of the report: seconds, MiB, medians, outcomes and ours ÷ peer ratios."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable

from bench.perf.measure import Measurement


def mib(kib: int | None) -> str:
    """KiB as whole MiB; "?" when unknown."""
    return "?" if kib is None else f"{kib / 1024:.0f}"


def median(values: Iterable[float | None]) -> float | None:
    """The median of the values present, or None."""
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def seconds(value: float | None, digits: int = 2) -> str:
    """Seconds with `digits` decimals; a dash when unknown."""
    return "—" if value is None else f"{value:.{digits}f}"


def wall_cell(runs: list[Measurement]) -> str:
    """Median wall seconds, with min-max when there are several runs."""
    walls = [m.wall for m in runs]
    text = f"{statistics.median(walls):.2f}"
    if len(walls) > 1:
        text += f" ({min(walls):.2f}-{max(walls):.2f})"
    return text


def outcome_cell(runs: list[Measurement]) -> str:
    """Either ok, or how many runs failed and the first failure."""
    bad = [m.outcome for m in runs if not m.ok]
    if not bad:
        return "ok"
    text = bad[0].replace("|", "\\|")
    return f"**{len(bad)}/{len(runs)} failed**: {text}"


def ratio(
    ours: list[Measurement], peer: list[Measurement], metric: Callable[[Measurement], float | None]
) -> str:
    """Median over rounds of ours/peer, each round compared with itself; failed runs skipped."""
    ratios = []
    for mine, theirs in zip(ours, peer, strict=False):
        a, b = metric(mine), metric(theirs)
        if mine.ok and theirs.ok and a and b:
            ratios.append(a / b)
    return f"{statistics.median(ratios):.2f}" if ratios else "n/a"


def median_int(values: Iterable[int | None]) -> int | None:
    """The median of the integers present, as an integer, or None."""
    present = [v for v in values if v is not None]
    return int(statistics.median(present)) if present else None
