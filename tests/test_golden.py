"""Golden files: `generated/` and the kitchen-sink packages must be exactly what `make golden`
produces now (`make generate` alone rewrites the billing packages)."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GENERATED_DIR, GOLDEN_DIR, GOLDEN_SPECS_DIR, ROOT, SPECS_DIR

GOLDEN_SETS = {
    "billing": (SPECS_DIR, GENERATED_DIR),
    "kitchen-sink": (GOLDEN_SPECS_DIR, GOLDEN_DIR),
}

CACHE_PARTS = {"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", "build"}


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not CACHE_PARTS.intersection(p.parts) and ".egg-info" not in str(p)
    }


def _generate_all(output: Path, hash_seed: str, specs: Path = SPECS_DIR) -> None:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate-all",
            str(specs),
            "--output",
            str(output),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("golden_set", sorted(GOLDEN_SETS))
def test_golden_packages_are_up_to_date(golden_set: str, tmp_path: Path) -> None:
    specs, committed_dir = GOLDEN_SETS[golden_set]
    _generate_all(tmp_path, "0", specs)
    fresh, committed = _tree(tmp_path), _tree(committed_dir)
    shown = committed_dir.relative_to(ROOT)
    if fresh != committed:
        diff: list[str] = []
        for name in sorted(set(fresh) | set(committed)):
            old = committed.get(name, b"").decode(errors="replace").splitlines(keepends=True)
            new = fresh.get(name, b"").decode(errors="replace").splitlines(keepends=True)
            diff.extend(difflib.unified_diff(old, new, f"{shown}/{name}", f"fresh/{name}"))
        raise AssertionError(f"{shown}/ is stale: run `make golden`\n" + "".join(diff[:400]))


def test_generation_is_deterministic_across_hash_seeds(tmp_path: Path) -> None:
    _generate_all(tmp_path / "a", "1")
    _generate_all(tmp_path / "b", "4242")
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_every_generated_file_has_the_header() -> None:
    for path in [*GENERATED_DIR.rglob("*"), *GOLDEN_DIR.rglob("*")]:
        if "_custom" in path.parts and path.suffix == ".py":  # user code area: its seed
            assert "never writes, changes or deletes" in path.read_text(encoding="utf-8")
            continue
        if "_custom" in path.parts:
            continue
        if path.suffix in (".py", ".toml", ".md") and path.stat().st_size:
            head = path.read_text(encoding="utf-8")[:400]
            assert "generated — do not edit" in head, path
            assert ".yaml" in head, path
