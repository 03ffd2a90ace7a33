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
