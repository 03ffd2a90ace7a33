"""The real specs in specs/ pass the CI gate: zero errors and zero warnings (STRICT profile)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.lint import Profile, lint_spec
from generator.load import load_spec

from ._helpers import run_lint

SPECS_DIR = Path(__file__).resolve().parents[2] / "specs"
SPECS = sorted(p for p in SPECS_DIR.iterdir() if p.suffix in (".yaml", ".yml", ".json"))


def test_the_four_specs_are_there() -> None:
    assert [p.name for p in SPECS] == [
        "abillity-billing-information.yaml",
        "billingplatform-billing-profile.yaml",
        "partner-center-billing.yaml",
        "paypal-billing-entities.yaml",
    ]


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_spec_lints_clean(capsys: pytest.CaptureFixture[str], spec: Path) -> None:
    result = run_lint(capsys, spec)
    assert result.out == "", result.out
    assert "0 error(s), 0 warning(s) in 1 file(s)" in result.err
    assert result.status == 0


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_spec_has_no_strict_diagnostics(spec: Path) -> None:
    diagnostics = lint_spec(load_spec(spec), Profile.STRICT)
    assert diagnostics == []
