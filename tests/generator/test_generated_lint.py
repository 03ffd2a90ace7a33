"""Shapes of the APIs.guru directory whose packages failed `ruff check` or `mypy --strict`
(a sample of 850 specs run with `python -m bench.corpus --mypy`, then ruff on each output):
each generated from a minimal spec, then checked by both."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import BuildPackage, assert_package_passes_checkers, minimal_spec


def test_a_union_wider_than_32_members_passes_ruff(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    """A oneOf of 33 schemas is an alias written `Union[...]` (a chain of 33 `|` is what the
    generator avoids), which ruff's UP007 reported (Mailchimp's segment conditions)."""
    options: dict[str, Any] = {
        f"Condition{i}": {"type": "object", "properties": {f"field{i}": {"type": "string"}}}
        for i in range(33)
    }
    conditions = {"oneOf": [{"$ref": f"#/components/schemas/{name}"} for name in options]}
    holder = {
        "type": "object",
        "properties": {"condition": {"$ref": "#/components/schemas/Conditions"}},
    }
    package = build_package(minimal_spec({**options, "Conditions": conditions, "Holder": holder}))
    assert_package_passes_checkers(package, tmp_path / "mypy")
    holder_model = package.models.Holder.model_validate({"condition": {"field7": "x"}})
    assert holder_model.condition.field7 == "x"
    assert package.__file__ is not None
    models = Path(package.__file__).parent / "models"
    source = "".join(path.read_text("utf-8") for path in sorted(models.glob("*.py")))
    assert "Conditions: TypeAlias = Union[  # noqa: UP007\n" in source
