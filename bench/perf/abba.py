"""Two commits of our generator, side by side on the same machine, in ABBA order.

This machine's speed drifts by 10-50 % from minute to minute (a shared virtual machine), so
a figure measured one day cannot be compared with one measured another day. What can be
compared is two commits measured in the same minutes: each round runs the base, the head
twice and the base again (ABBA), so a drift during the round weighs on both alike.

    .venv/bin/python -m bench.perf.abba --base e16b257 --specs github,stripe --rounds 5

The base runs from a git worktree of that commit under `.cache/abba/` (made once), the head
from the project root (the working tree as it is), both with the project's venv: a base
whose dependencies differ from today's may not run. Each run is a whole `python -m
generator generate` process with a fresh, empty format cache and bytecode writing on.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.perf.common import PROJECT_PY, ROOT, bytecode_env, log, rel
from bench.perf.fetch import select_specs
from bench.perf.measure import Measurement, measure

WORKTREES = ROOT / ".cache" / "abba"


def base_worktree(revision: str) -> tuple[Path, str]:
    """A worktree of `revision` under `.cache/abba/` (made on first use), and its commit."""
    commit = _git("rev-parse", "--verify", f"{revision}^{{commit}}")
    folder = WORKTREES / commit[:12]
    if not (folder / "generator").is_dir():
        WORKTREES.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=True)
        _git("worktree", "add", "--detach", str(folder), commit)
    return folder, commit


def _git(*args: str) -> str:
    result = subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True)
    return result.stdout.strip()


def run_once(source: Path, spec: Path, scratch: Path) -> Measurement:
    """One whole `generate` of `spec` by the generator of `source`, with a fresh cache."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    env = bytecode_env()
    env["BILLING_SDKGEN_CACHE"] = str(scratch / "cache")
    env.pop("PYTHONPATH", None)  # `-m generator` must import the one under `source`
    command = [str(PROJECT_PY), "-m", "generator", "generate", str(spec)]
    command += ["--output", str(scratch / "out")]
    return measure(command, cwd=source, env=env, log_dir=scratch / "logs")


def compare(
    base: Path, head: Path, spec: Path, rounds: int, scratch: Path
) -> tuple[list[float], list[float]]:
    """Wall seconds of the base's and the head's runs, `rounds` ABBA rounds."""
    times: dict[str, list[float]] = {"A": [], "B": []}
    for number in range(1, rounds + 1):
        for key in "ABBA":
            result = run_once(base if key == "A" else head, spec, scratch)
            if not result.ok:
                raise SystemExit(f"{key} failed on {spec.name}: {result.outcome}")
            times[key].append(result.wall)
        log(f"{spec.name} round {number}: A {times['A'][-2:]}, B {times['B'][-2:]}")
    return times["A"], times["B"]


def report(commit: str, head: str, rows: list[tuple[str, list[float], list[float]]]) -> str:
    """The Markdown table of a comparison."""
    when = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        f"A = base {commit[:12]}, B = head {head}; {when}, load average {load} at the end.",
        "",
        "| spec | A median s | B median s | B/A (medians) | B/A (means) | A runs | B runs |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for name, a, b in rows:
        ratio = statistics.median(b) / statistics.median(a)
        means = statistics.fmean(b) / statistics.fmean(a)
        lines.append(
            f"| {name} | {statistics.median(a):.2f} | {statistics.median(b):.2f} | "
            f"{ratio:.3f} | {means:.3f} | {' '.join(f'{x:.2f}' for x in a)} | "
            f"{' '.join(f'{x:.2f}' for x in b)} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Compare the working tree with `--base` on `--specs`; print (or write) the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.perf.abba", description=__doc__)
    parser.add_argument("--base", required=True, help="the commit to compare with")
    parser.add_argument("--specs", default="github,stripe", help="as bench/run.py --specs")
    parser.add_argument("--rounds", type=int, default=5, help="ABBA rounds per spec")
    parser.add_argument("--output", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    base, commit = base_worktree(args.base)
    head = _git("rev-parse", "--short=12", "HEAD")
    dirty = _git("status", "--porcelain", "--untracked-files=no", "--", "generator", "templates")
    head_label = f"{head}{' + uncommitted changes' if dirty else ''} (working tree)"
    rows = []
    with tempfile.TemporaryDirectory(prefix="abba-") as scratch:
        for spec in select_specs(args.specs):
            log(f"{rel(spec.path)}: {args.rounds} ABBA rounds")
            a, b = compare(base, ROOT, spec.path, args.rounds, Path(scratch))
            rows.append((spec.name, a, b))
    text = report(commit, head_label, rows)
    command = " ".join(["python -m bench.perf.abba", *(argv or sys.argv[1:])])
    text = f"`{command}`\n\n{text}"
    print(text)
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
