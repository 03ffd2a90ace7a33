"""mypy --strict passes on every generated package (the generator itself: `make typecheck`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BILLING_PACKAGES, GENERATED_DIR


@pytest.mark.parametrize("package", sorted(BILLING_PACKAGES.values()))
def test_generated_package_passes_mypy_strict(package: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), package],
        cwd=GENERATED_DIR / package,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
