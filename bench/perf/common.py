"""What every part of the benchmark shares: the folders, the progress log and checksums."""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CACHE = ROOT / ".cache" / "bench"
BENCH_VENV = ROOT / ".cache" / "bench-venv"
BENCH_PY = BENCH_VENV / "bin" / "python"
PROJECT_PY = ROOT / ".venv" / "bin" / "python"
SPEC_DIR = ROOT / "specs"
SPEC_SUFFIXES = (".yaml", ".yml", ".json")

DEFAULT_TIMEOUT = 1800.0  # seconds, per process
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

_START = time.monotonic()


def log(message: str) -> None:
    """Progress line on stderr, with the elapsed time of the whole run."""
    print(f"[bench {time.monotonic() - _START:7.1f}s] {message}", file=sys.stderr, flush=True)


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def matches(path: Path, expected: str) -> bool:
    """True when `path` is a file whose SHA-256 is `expected`."""
    return path.is_file() and sha256_file(path) == expected


def rel(path: Path) -> str:
    """`path` relative to the repository root when it is inside it, else as it is."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def billing_specs() -> list[Path]:
    """The billing specs under `specs/`, sorted."""
    return sorted(p for p in SPEC_DIR.iterdir() if p.suffix.lower() in SPEC_SUFFIXES)


def bytecode_env() -> dict[str, str]:
    """The environment with bytecode writing on, whatever the caller's shell says.

    Bytecode must be written by a first run and read by the warm ones, as after an install:
    a PYTHONDONTWRITEBYTECODE left in the caller's shell would make every run compile.
    """
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def fresh_cache(cache: Path, shared: Path) -> None:
    """A new, empty cache folder for ours (`BILLING_SDKGEN_CACHE`), whose `templates/` (the
    templates' compiled code: generator/template_cache.py) is `shared` by every run.

    Like the bytecode of `bytecode_env`: the compiled templates depend on the generator only,
    so any earlier run on any spec leaves them; black's output and the module cache, which
    depend on the spec, start empty.
    """
    cache.mkdir(parents=True)
    shared.mkdir(parents=True, exist_ok=True)
    (cache / "templates").symlink_to(shared.resolve(), target_is_directory=True)
