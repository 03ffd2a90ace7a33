"""A union that contains itself (W110): `Pet: oneOf [Cat, Pet]` made `root: Cat | Pet`, on
which pydantic recursed without reading input: the interpreter crashed (a segmentation
fault) on the first value that was not a `Cat`; a cycle of two raised `recursion_loop`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from generator import typeir as t
from generator.ir_models import Model
from generator.pipeline import generate_package
from generator.union_cycles import collapse_union_cycles
from tests.conftest import BuildPackage, minimal_spec, write_spec


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


CAT = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
DOG = {"type": "object", "properties": {"bark": {"type": "boolean"}}, "required": ["bark"]}
VARIANTS: dict[str, dict[str, Any]] = {
    "direct": {"Pet": {"oneOf": [_ref("Cat"), _ref("Pet")]}},
    "nullable": {"Pet": {"oneOf": [_ref("Cat"), _ref("Pet")], "nullable": True}},
    "through a ref": {"Pet": {"oneOf": [_ref("Cat"), _ref("Q")]}, "Q": _ref("Pet")},
    "through allOf": {"Pet": {"anyOf": [_ref("Cat"), _ref("Q")]}, "Q": {"allOf": [_ref("Pet")]}},
    "through a union": {
        "Pet": {"anyOf": [_ref("Cat"), _ref("Q")]},
        "Q": {"oneOf": [_ref("Pet"), {"type": "string"}]},
    },
    "two unions": {
        "Pet": {"oneOf": [_ref("Cat"), _ref("Q")]},
        "Q": {"oneOf": [_ref("Dog"), _ref("Pet"), {"type": "integer"}]},
    },
}
# what each variant's Pet holds (beside a Cat)
ALSO: dict[str, list[Any]] = {
    "through a union": ["text"],
    "two unions": [{"bark": True}, 5],
    "nullable": [None],
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_union_holds_what_its_other_members_hold(
    build_package: BuildPackage, variant: str
) -> None:
    schemas = {"Cat": CAT, "Dog": DOG, **VARIANTS[variant]}
    paths = {
        "/pets": {
            "get": {
                "operationId": "getPet",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": _ref("Pet")}},
                    }
                },
            }
        }
    }
    package = build_package(minimal_spec(schemas, paths, version="3.0.3"))
    pet = TypeAdapter(package.models.Pet)
    assert pet.validate_python({"name": "Tom"}).name == "Tom"
    for value in ALSO.get(variant, []):
        pet.validate_python(value)
    for value in ([], 5.5, {"other": 1}):  # no member takes these: refused, no crash
        with pytest.raises(ValidationError) as raised:
            pet.validate_python(value)
        assert "recursion_loop" not in str(raised.value)


def test_the_cycle_is_reported(tmp_path: Path) -> None:
    spec = minimal_spec({"Cat": CAT, "Dog": DOG, **VARIANTS["two unions"]}, version="3.0.3")
    result = generate_package(write_spec(tmp_path, spec), tmp_path / "out", package_name="cyc")
    found = sorted(str(d) for d in result.diagnostics if d.code == "W110")
    assert len(found) == 2 and all("contains itself (through Pet, Q)" in d for d in found)


def test_a_cycle_of_nothing_else_holds_any_value() -> None:
    a = Model("A", "alias", "", "#/components/schemas/A", type=t.ModelRef("B"))
    b = Model("B", "alias", "", "#/components/schemas/B", type=t.union([t.ModelRef("A")]))
    c = Model("C", "alias", "", "#/components/schemas/C", type=t.ModelRef("A"))
    models, notes = collapse_union_cycles([a, b, c])
    assert [m.type for m in models] == [t.ANY, t.ANY, t.ModelRef("A")]
    assert [pointer for pointer, _ in notes] == ["#/components/schemas/A", "#/components/schemas/B"]
    assert all("any value" in message for _, message in notes)
