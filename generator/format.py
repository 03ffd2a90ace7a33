"""Stage 5, format: black, in-process and pinned, in parallel across cores, cached.

A cache maps the hash of unformatted source to black's output, so unchanged
files are never formatted twice (across runs too).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

LINE_LENGTH = 100
_PARALLEL_THRESHOLD = 400_000  # characters of Python below which one process is faster


def _cache_dir() -> Path:
    from importlib.metadata import version

    root = os.environ.get("BILLING_SDKGEN_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "billing-sdkgen"
    )
    return Path(root) / f"black-{version('black')}-{LINE_LENGTH}"


def format_source(source: str) -> str:
    """Format one Python source text with black (raises black.InvalidInput on bad code)."""
    import black
    from black.mode import TargetVersion

    mode = black.Mode(
        target_versions={TargetVersion.PY310},
        line_length=LINE_LENGTH,
        magic_trailing_comma=True,
    )
    return black.format_str(source, mode=mode)


def _key(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


def format_files(files: Mapping[str, str]) -> dict[str, str]:
    """Format the `.py` files of a rendered package; other files pass through unchanged."""
    result = dict(files)
    cache = _cache_dir()
    pending: dict[str, str] = {}
    for path, source in files.items():
        if not path.endswith(".py") or not source:
            continue
        cached = cache / _key(source)
        try:
            result[path] = cached.read_text(encoding="utf-8")
        except OSError:
            pending[path] = source
    if not pending:
        return result
    total = sum(len(s) for s in pending.values())
    workers = min(os.cpu_count() or 1, len(pending))
    if total >= _PARALLEL_THRESHOLD and workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            formatted = dict(
                zip(pending, pool.map(format_source, pending.values(), chunksize=1), strict=True)
            )
    else:
        formatted = {path: format_source(source) for path, source in pending.items()}
    for path, text in formatted.items():
        result[path] = text
        _store(cache, _key(pending[path]), text)
    return result


def _store(cache: Path, key: str, text: str) -> None:
    try:
        cache.mkdir(parents=True, exist_ok=True)
        temporary = cache / f".{key}.{os.getpid()}"
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(cache / key)
    except OSError:
        pass  # the cache is an optimisation only
