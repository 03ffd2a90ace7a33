"""Profile: ours under cProfile on GitHub and Stripe, cold and warm format cache (`--profile`).

The report keeps the top functions by cumulative and by own time; the `.prof` files stay in
`.cache/bench/profile/`. `bench/PROFILE.md` (the profiles before and after optimising) is
appended to every report.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.perf.cells import mib, seconds
from bench.perf.common import CACHE, PROJECT_PY, ROOT, log, rel
from bench.perf.fetch import REMOTE_SPECS, ensure_remote_spec
from bench.perf.measure import Measurement, measure

PROFILE_DIR = CACHE / "profile"
PROFILE_TOP_CUMULATIVE = 25
PROFILE_TOP_TOTAL = 15


@dataclass
class ProfileResult:
    """One profiled run of ours: its command, measurement and the top functions."""

    spec: str
    state: str  # "cold cache" or "warm cache"
    command: str
    measurement: Measurement
    profile: Path | None
    total_seconds: float | None = None
    by_cumulative: list[str] = field(default_factory=list)
    by_total: list[str] = field(default_factory=list)


def _function_label(key: tuple[str, int, str]) -> str:
    """`path:line(function)` with the path shortened (project, site-packages, stdlib)."""
    filename, line, name = key
    if filename == "~":
        return name  # a built-in, e.g. <built-in method builtins.exec>
    path = filename
    for marker in ("/site-packages/", "/lib/python3."):
        if marker in path:
            path = path.split(marker, 1)[1]
            if marker == "/lib/python3.":
                path = path.split("/", 1)[-1]
            break
    else:
        path = rel(Path(filename))
    return f"{path}:{line}({name})"


def profile_tables(path: Path) -> tuple[float, list[str], list[str]]:
    """Total time and the top rows by cumulative and by own time, as aligned text lines."""
    import pstats

    stats = pstats.Stats(str(path))
    rows: list[tuple[str, str, float, float]] = []  # function, ncalls, tottime, cumtime
    for key, (primitive, calls, own, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        count = str(calls) if calls == primitive else f"{calls}/{primitive}"
        rows.append((_function_label(key), count, float(own), float(cumulative)))
    header = f"{'ncalls':>14} {'tottime':>9} {'cumtime':>9}  function"

    def table(by_cumulative: bool, limit: int) -> list[str]:
        top = sorted(rows, key=lambda r: (-(r[3] if by_cumulative else r[2]), r[0]))[:limit]
        return [header] + [f"{c:>14} {t:9.3f} {u:9.3f}  {f}" for f, c, t, u in top]

    total = float(stats.total_tt)  # type: ignore[attr-defined]
    return total, table(True, PROFILE_TOP_CUMULATIVE), table(False, PROFILE_TOP_TOTAL)


def bench_profile(names: Sequence[str], work: Path, timeout: float) -> list[ProfileResult]:
    """Ours under cProfile on each spec: a cold run (empty cache), then a warm one.

    The `.prof` files are kept under `.cache/bench/profile/` for a closer look
    (`python -m pstats FILE`).
    """
    found: list[ProfileResult] = []
    PROFILE_DIR.mkdir(parents=True, exist_ok=True)
    for name in names:
        if name not in REMOTE_SPECS:
            raise SystemExit(f"--profile-specs: unknown {name!r} (use {', '.join(REMOTE_SPECS)})")
        spec = ensure_remote_spec(REMOTE_SPECS[name])
        folder = work / f"profile-{name}"
        cache = folder / "cache"
        cache.mkdir(parents=True)
        env = dict(os.environ, BILLING_SDKGEN_CACHE=str(cache))
        env.pop("PYTHONHASHSEED", None)
        for state, tag in (("cold cache", "cold"), ("warm cache", "warm")):
            prof = PROFILE_DIR / f"{name}-{tag}.prof"
            prof.unlink(missing_ok=True)
            out = folder / f"out-{tag}"
            command = [
                str(PROJECT_PY),
                "-m",
                "cProfile",
                "-o",
                str(prof),
                "-m",
                "generator",
                "generate",
                str(spec),
                "--output",
                str(out),
            ]
            shown = (
                f"BILLING_SDKGEN_CACHE={'$(mktemp -d)' if tag == 'cold' else '<the same folder>'} "
                f".venv/bin/python -m cProfile -o {rel(prof)} -m generator generate "
                f"{rel(spec)} --output /tmp/profile-{name}-{tag}"
            )
            log(f"profile {name}: {state} …")
            m = measure(command, cwd=ROOT, env=env, log_dir=folder / f"logs-{tag}", timeout=timeout)
            log(f"profile {name}: {state}: {m.wall:.2f} s, {m.outcome}")
            result = ProfileResult(name, state, shown, m, prof if prof.exists() else None)
            if result.profile is not None:
                result.total_seconds, result.by_cumulative, result.by_total = profile_tables(prof)
            found.append(result)
        shutil.rmtree(folder, ignore_errors=True)
    return found


# --------------------------------------------------------------------------- report


def render_profiles(profiles: list[ProfileResult]) -> list[str]:
    out = [
        "## Profile of ours (cProfile)",
        "",
        "One run per spec and cache state under `python -m cProfile`; the cold run starts "
        "from an empty format cache, the warm run reuses it (new output folder). cProfile "
        "sees the main process only: when black formats in a process pool (large specs, "
        "cold cache), the workers' time shows up as the main process waiting on the pool. "
        "Wall includes the profiler's own overhead. The `.prof` files stay under "
        "`.cache/bench/profile/` (`python -m pstats FILE`).",
        "",
    ]
    for item in profiles:
        m = item.measurement
        out += [
            f"### {item.spec}, {item.state}",
            "",
            f"`{item.command}`",
            "",
            f"Wall {m.wall:.2f} s under the profiler, peak {mib(m.peak_kib)} MiB, CPU "
            f"{seconds(m.cpu)} s, {m.outcome}; profiled time in the main process: "
            f"{seconds(item.total_seconds)} s.",
            "",
        ]
        if item.by_cumulative:
            out += [
                f"Top {PROFILE_TOP_CUMULATIVE} by cumulative time:",
                "",
                "```text",
                *item.by_cumulative,
                "```",
                "",
                f"Top {PROFILE_TOP_TOTAL} by own (total) time:",
                "",
                "```text",
                *item.by_total,
                "```",
                "",
            ]
    return out


def render_recorded_profiles() -> list[str]:
    """bench/PROFILE.md (profiles before and after optimising), one heading level down."""
    path = ROOT / "bench" / "PROFILE.md"
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    body = ["#" + line if line.startswith("#") else line for line in lines[1:]]
    return ["## Profiles before and after optimising (from `bench/PROFILE.md`)", "", *body, ""]
