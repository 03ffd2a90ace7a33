"""The other formatters of stage 5: `ruff format` (where installed) or none.

black, the default, runs in-process (`format.py`). `ruff` runs `ruff format` once
over the rendered Python files in a scratch folder (`--isolated`, 100 columns, so
no configuration around the output changes the result); `none` keeps the files
as rendered (the renderer already writes black's style for most of them).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .black_skip import LINE_LENGTH
from .diagnostics import Diagnostic, Location, Severity, SpecError


def find_ruff() -> str | None:
    """The `ruff` executable beside this interpreter, or on PATH (None when not installed)."""
    beside = Path(sys.executable).parent / ("ruff.exe" if os.name == "nt" else "ruff")
    if beside.is_file():
        return str(beside)
    return shutil.which("ruff")


@functools.cache
def ruff_version() -> str:
    """What `ruff --version` says of the ruff `format_with` runs ("not installed" without
    one): part of the options' fingerprint when it formats, since another release formats
    otherwise (gencli audit: `check` said up to date after ruff changed)."""
    ruff = find_ruff()
    if ruff is None:
        return "not installed"
    try:
        done = subprocess.run(
            [ruff, "--version"], capture_output=True, text=True, check=False, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return "unusable"
    return f"{done.stdout.strip()} ({done.returncode})"


def format_with(formatter: str, files: Mapping[str, str], where: str = "") -> dict[str, str]:
    """`files` formatted by `formatter` ("ruff" or "none"); SpecError (E807) when it fails."""
    if formatter == "none":
        return dict(files)
    ruff = find_ruff()
    if ruff is None:
        message = "formatter 'ruff' is not installed"
        hint = "pip install ruff, or choose formatter = 'black' (the default) or 'none'"
        raise SpecError([Diagnostic("E807", Severity.ERROR, Location(where), message, hint)])
    python = {path: text for path, text in files.items() if path.endswith(".py")}
    with tempfile.TemporaryDirectory(prefix="sdkgen-ruff-") as scratch:
        root = Path(scratch)
        for path, text in python.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
        command = [ruff, "format", "--isolated", "--quiet", f"--line-length={LINE_LENGTH}", "."]
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            message = f"ruff format failed: {' '.join(done.stderr.split())[:500]}"
            raise SpecError([Diagnostic("E807", Severity.ERROR, Location(where), message)])
        formatted = {path: (root / path).read_bytes().decode("utf-8") for path in python}
    return {**files, **formatted}
