"""Shapes of the APIs.guru directory whose packages failed `ruff check` or `mypy --strict`
(a sample of 850 specs run with `python -m bench.corpus --mypy`, then ruff on each output):
each generated from a minimal spec, then checked by both."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
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
    assert "Conditions: TypeAlias = Union[  # noqa: UP007\n" in _models_source(package)


def test_a_discriminated_union_wider_than_32_members_passes_ruff(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    """The same union with a `discriminator` is `Annotated[Union[...], Field(...)]`, one
    text black split with no line for the `noqa` (stream-io's `ChatEvent`): it is laid
    out with the `Union[` on a line of its own."""
    events: dict[str, Any] = {
        f"Event{i}": {
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"type": "string"}},
        }
        for i in range(33)
    }
    any_event = {
        "oneOf": [{"$ref": f"#/components/schemas/{name}"} for name in events],
        "discriminator": {"propertyName": "type"},
    }
    holder = {"type": "object", "properties": {"event": {"$ref": "#/components/schemas/AnyEvent"}}}
    package = build_package(minimal_spec({**events, "AnyEvent": any_event, "Holder": holder}))
    assert_package_passes_checkers(package, tmp_path / "mypy")
    built = package.models.Holder.model_validate({"event": {"type": "Event7"}})
    assert type(built.event).__name__ == "Event7"
    expected = "AnyEvent: TypeAlias = Annotated[\n    Union[  # noqa: UP007\n"
    assert expected in _models_source(package)


def test_list_and_mapping_defaults_mypy_would_type_otherwise_are_validated(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    """`Field(default=["wpa2-ccmp"])` on `list[str | None] | None` is `list[str]` to mypy (a
    union gives the call no context; lists are invariant): mist.com's `wlan_auth.pairwise`
    failed mypy's [assignment]. Such defaults are validated by pydantic instead
    (`validate_default`); a literal of the field's own type is written as before."""
    settings = {
        "type": "object",
        "properties": {
            "pairwise": {"type": "array", "items": {"type": "string", "nullable": True}, "default": ["wpa2-ccmp"]},
            "ratios": {"type": "array", "items": {"type": "number"}, "default": [1, 2.5]},
            "grid": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}, "default": [[]]},
            "limits": {"type": "object", "additionalProperties": {"type": "number"}, "default": {"a": 1}},
            "tags": {"type": "array", "items": {"type": "string"}, "default": ["a"]},
            "empty": {"type": "array", "items": {"type": "string", "nullable": True}, "default": []},
        },
    }  # fmt: skip
    package = build_package(minimal_spec({"Settings": settings}, version="3.0.3"))
    assert_package_passes_checkers(package, tmp_path / "mypy")
    made = package.models.Settings()
    assert made.pairwise == ["wpa2-ccmp"] and made.ratios == [1.0, 2.5] and made.grid == [[]]
    assert made.limits == {"a": 1.0} and made.tags == ["a"] and made.empty == []
    assert package.__file__ is not None
    models = Path(package.__file__).parent / "models"
    source = "".join(path.read_text("utf-8") for path in sorted(models.glob("*.py")))
    assert 'Field(default=["wpa2-ccmp"], validate_default=True)' in source
    assert 'tags: list[str] | None = Field(default=["a"])\n' in source
    assert "empty: list[str | None] | None = Field(default=[])\n" in source


def _models_source(package: ModuleType) -> str:
    """The text of every model module of a generated package."""
    assert package.__file__ is not None
    models = Path(package.__file__).parent / "models"
    return "".join(path.read_text("utf-8") for path in sorted(models.glob("*.py")))
