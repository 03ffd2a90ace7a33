"""mypy --strict passes on every generated package (the generator itself: `make typecheck`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import (
    BILLING_PACKAGES,
    GENERATED_DIR,
    GOLDEN_DIR,
    KITCHEN_SINK_32,
    KITCHEN_SINK_PACKAGES,
)

PACKAGES = {
    **{name: GENERATED_DIR / name for name in BILLING_PACKAGES.values()},
    **{name: GOLDEN_DIR / name for name in (*KITCHEN_SINK_PACKAGES, KITCHEN_SINK_32)},
}


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_generated_package_passes_mypy_strict(package: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), package],
        cwd=PACKAGES[package],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_generated_package_passes_ruff(package: str, tmp_path: Path) -> None:
    """`ruff check` with the package's own configuration (its pyproject.toml) finds nothing."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=PACKAGES[package],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


_USER_SCRIPT = """\
from kitchen_sink_31 import AsyncPage, FileInput, PaginationError, ServerSentEvent, SyncPage
from kitchen_sink_31 import KitchenSink31Clinet
from kitchen_sink_31.models import Pett

pages: list[type[object]] = [AsyncPage, SyncPage, PaginationError, ServerSentEvent]
upload: FileInput = b"data"
"""


def test_public_names_import_and_misspelt_ones_are_errors(tmp_path: Path) -> None:
    """The types annotations and `except` clauses name are the package's (they were only in
    private modules), and a misspelt import is an error: with the package's lazy
    `__getattr__` visible to type checkers, mypy and pyright read it as `Any` (typing audit
    22)."""
    script = tmp_path / "user.py"
    script.write_text(_USER_SCRIPT, encoding="utf-8")
    project = GOLDEN_DIR / "kitchen_sink_31"
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "c"), str(script)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 2, result.stdout
    assert "KitchenSink31Clinet" in errors[0] and "Pett" in errors[1]
    run = [sys.executable, "-c", _USER_SCRIPT.replace("from kitchen_sink_31 import K", "# ")]
    run[-1] = run[-1].replace("from kitchen_sink_31.models import Pett", "")
    assert subprocess.run(run, cwd=project, check=False).returncode == 0
