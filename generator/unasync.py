"""The synchronous request loop, derived from the asynchronous one (unasync-style).

`generator/runtime/_async_client.py` is written by hand; `_sync_client.py` beside it is
this transform's output, committed so that it is linted, type-checked and tested as the
Python it is. `python -m generator.unasync` rewrites it, `--check` only reports a drift
(`tests/generator/test_runtime_modules.py` runs the check in `make test`).

The transform swaps tokens (`async def` → `def`, `await x` → `x`, `aclose` → `close`…),
replaces the module docstring and lets black lay out the result.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .format import format_source

RUNTIME_DIR = Path(__file__).resolve().parent / "runtime"
ASYNC_MODULE = RUNTIME_DIR / "_async_client.py"
SYNC_MODULE = RUNTIME_DIR / "_sync_client.py"

# (pattern, replacement), applied in order to the code after the module docstring
_SUBSTITUTIONS: tuple[tuple[str, str], ...] = (
    (r"^import asyncio\n", ""),
    (r"(?s)^async def _sleep\(.*?\n\n\n", ""),  # asyncio, imported on the first retry
    (r"\b_sleep\(", "time.sleep("),
    (r"\bAwaitable, ", ""),  # the import
    (r"\bAwaitable\[([\w.]+)\]", r"\1"),  # an awaitable's result type
    (r"\basync (def|for|with)\b", r"\1"),
    (r"\bawait ", ""),
    (r"\basyncio\.sleep\b", "time.sleep"),
    (r"\bhttpx\.AsyncClient\b", "httpx.Client"),
    (r"\bAsyncAPIClient\b", "SyncAPIClient"),
    (r"\bAsyncAPIResource\b", "SyncAPIResource"),
    (r"\b_AsyncRequestLoop\b", "_SyncRequestLoop"),
    (r"\bAsyncVerbCall\b", "VerbCall"),
    (r"\bAsyncBinaryResponse\b", "BinaryResponse"),
    (r"\bAsyncStream\b", "Stream"),
    (r"\bafresh_credentials\b", "fresh_credentials"),
    (r"\b__aenter__\b", "__enter__"),
    (r"\b__aexit__\b", "__exit__"),
    (r"\baclose\b", "close"),
    (r"\baiter_bytes\b", "iter_bytes"),
    (r"\basynchronous\b", "synchronous"),
)

_DOCSTRING = '''"""The synchronous request loop: send, follow same-origin redirects, retry, read within the
size limit, parse.

Derived from `_async_client.py` by billing-sdkgen's unasync transform
(`python -m generator.unasync`): edit that module, never this one. Like it, this
module is plain Python, copied verbatim into every generated package.
"""
'''


def transform(async_source: str) -> str:
    """The synchronous twin of an asynchronous runtime module's source, black-formatted."""
    docstring_end = async_source.index('"""', 3) + 3
    code = async_source[docstring_end:]
    for pattern, replacement in _SUBSTITUTIONS:
        code = re.sub(pattern, replacement, code, flags=re.MULTILINE)
    return format_source(_DOCSTRING + code)


def main(argv: list[str] | None = None) -> int:
    """Rewrite `_sync_client.py` (exit 0), or with `--check` exit 1 when it is stale."""
    args = sys.argv[1:] if argv is None else argv
    expected = transform(ASYNC_MODULE.read_text(encoding="utf-8"))
    current = SYNC_MODULE.read_text(encoding="utf-8") if SYNC_MODULE.exists() else ""
    if current == expected:
        return 0
    if "--check" in args:
        print(
            f"{SYNC_MODULE} is stale: run `python -m generator.unasync`",
            file=sys.stderr,
        )
        return 1
    SYNC_MODULE.write_text(expected, encoding="utf-8")
    print(f"wrote {SYNC_MODULE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
