"""A spec makes at most as many models as its size allows (`limits.max_models`): 140,000
models of one property fit in 10 MB, each its own module, and took 35 s to generate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import limits
from generator.cli import main
from tests.conftest import minimal_spec, write_spec


def test_the_limit_grows_with_the_spec_s_size() -> None:
    assert limits.max_models(0) == 5_000
    assert limits.max_models(10_000_000) == 65_000  # 10 MB: ~16 s at one module a model
    assert limits.max_models(47_125_053) > 26_971  # Microsoft Graph beta's models


@pytest.mark.parametrize("inline", [False, True])
def test_more_models_than_the_size_allows_is_e004_and_nothing_is_written(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    inline: bool,
) -> None:
    """Counted as they are planned, inline objects too, so that the work stops there."""
    monkeypatch.setattr(limits, "MODELS_BASE", 20)
    monkeypatch.setattr(limits, "MODELS_PER_MB", 0)
    one = {"type": "object", "properties": {"a": {"type": "string"}}}
    if inline:
        holder = {"type": "object", "properties": {f"p{i}": dict(one) for i in range(40)}}
        spec: dict[str, Any] = minimal_spec({"Holder": holder})
    else:
        spec = minimal_spec({f"M{i}": one for i in range(40)})
    path = write_spec(tmp_path, spec, "spec.json")
    assert main(["generate", str(path), "--output", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "E004 the schemas make more than 20 models" in err, err
    assert not (tmp_path / "out").exists()
