"""Long chains and cycles of models referring to one another build, validate and serialise.

Pydantic builds a model's schema in one recursive descent through the models it holds, and
pydantic-core builds the validator by descending the result again: a chain of 90 models
once ran out of Python's stack at the first validation, and one of 400 built from the
bottom up crashed the process. `ApiModel` now makes each model it holds a definition of its
own (`_schema_of` in generator/runtime/_types.py), so any length builds; data nests as deep
as pydantic-core allows a recursive model (255 models), and deeper data is a
`ValidationError`, not a crash.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import ValidationError

from generator.pipeline import generate_package
from tests.conftest import minimal_spec, write_spec

# past 90 the schema ran out of Python's stack; about 300-400 crashed pydantic-core
CHAIN = 400
# how deep pydantic-core validates and serialises nested models it refers to by definition
NESTING = 250


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def chain_spec(length: int, *, cycle: bool = False, required: bool = False) -> dict[str, Any]:
    """M0.next → M1 … → M(length - 1), whose `next` is M0 again when `cycle` (each `next`
    required when `required`)."""
    schemas: dict[str, Any] = {}
    for i in range(length):
        properties: dict[str, Any] = {"v": {"type": "string"}}
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        if i + 1 < length or cycle:
            properties["next"] = ref(f"M{(i + 1) % length}")
            if required:
                schema["required"] = ["next"]
        schemas[f"M{i}"] = schema
    return minimal_spec(schemas)


def nested(depth: int) -> dict[str, Any]:
    """`depth` levels of {"v": …, "next": …}."""
    data: dict[str, Any] = {"v": "last"}
    for _ in range(depth - 1):
        data = {"v": "x", "next": data}
    return data


@pytest.fixture
def generate(tmp_path: Path) -> Iterator[Callable[[dict[str, Any]], ModuleType]]:
    """Generate a package from a spec and import its models (`build_package` rebuilds every
    model from the first down, which for a chain of n models builds n chains: n² schemas)."""
    added: list[str] = []

    def build(spec: dict[str, Any]) -> ModuleType:
        name = f"deep_{len(added)}"
        path = write_spec(tmp_path, spec, f"{name}.json")
        generate_package(path, tmp_path / name, package_name=name)
        sys.path.insert(0, str(tmp_path / name))
        added.append(name)
        return importlib.import_module(f"{name}.models")

    yield build
    for name in added:
        for key in [k for k in sys.modules if k == name or k.startswith(f"{name}.")]:
            del sys.modules[key]
        sys.path.remove(str(tmp_path / name))


def build_every_model(models: ModuleType) -> None:
    """Rebuild each model after those it holds (from the end of the chain back)."""
    for name in reversed(models.__all__):
        getattr(models, name).model_rebuild(force=True, raise_errors=True)


def test_a_long_chain_of_models(generate: Callable[[dict[str, Any]], ModuleType]) -> None:
    """The first validation builds M0 with every model it holds: RecursionError at 90."""
    models = generate(chain_spec(CHAIN))
    model = models.M0.model_validate(nested(NESTING))
    assert json.loads(model.model_dump_json(exclude_none=True)) == nested(NESTING)
    assert model.model_dump(by_alias=True, exclude_none=True) == nested(NESTING)
    leaf = model
    for _ in range(NESTING - 1):
        leaf = leaf.next
    assert type(leaf).__name__ == f"M{NESTING - 1}" and leaf.v == "last"
    with pytest.raises(ValidationError) as raised:
        models.M0.model_validate(nested(CHAIN))  # deeper than pydantic-core goes: refused
    assert raised.value.errors()[0]["type"] == "recursion_depth_exceeded"
    shallow = models.M0.model_validate(nested(100))  # JSON parsing stops at 200 levels
    assert models.M0.model_validate_json(shallow.model_dump_json(exclude_unset=True)) == shallow


def test_an_operation_on_a_long_chain_of_required_models_generates(
    generate: Callable[[dict[str, Any]], ModuleType],
) -> None:
    """The examples of its body and response (the README's call, the test kit's answer)
    nested every required model: a chain of 200 was an E900 (RecursionError). An example
    holds at most `MAX_NESTING` models; past it, the operation has none."""
    spec = chain_spec(CHAIN, required=True)
    body = {"required": True, "content": {"application/json": {"schema": ref("M0")}}}
    answer = {"description": "Made.", "content": {"application/json": {"schema": ref("M0")}}}
    make = {"operationId": "make", "requestBody": body, "responses": {"200": answer}}
    spec["paths"] = {"/chains": {"post": make}}
    models = generate(spec)
    assert models.M0.model_fields["next"].is_required()


def test_a_long_chain_built_from_the_bottom_up_does_not_crash(
    generate: Callable[[dict[str, Any]], ModuleType],
) -> None:
    """Each model built before the one holding it, in a fresh process: pydantic-core once
    descended the whole chain of inlined schemas and crashed (a segfault, not an error)."""
    models = generate(chain_spec(CHAIN))
    assert models.__file__ is not None
    script = textwrap.dedent(
        f"""
        import json
        import {models.__name__} as models

        for name in reversed(models.__all__):
            getattr(models, name).model_rebuild(force=True, raise_errors=True)
        data = {{"v": "last"}}
        for _ in range({NESTING - 1}):
            data = {{"v": "x", "next": data}}
        model = models.M0.model_validate(data)
        assert json.loads(model.model_dump_json(exclude_none=True)) == data
        print("ok")
        """
    )
    env = {**os.environ, "PYTHONPATH": str(Path(models.__file__).parents[2])}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert (result.returncode, result.stdout.strip()) == (0, "ok"), result.stderr[-2000:]


def test_a_long_cycle_of_models(generate: Callable[[dict[str, Any]], ModuleType]) -> None:
    """M0 → … → M199 → M0: no model of a cycle can be built before the others."""
    models = generate(chain_spec(200, cycle=True))
    model = models.M150.model_validate(nested(NESTING))
    assert type(model.next.next).__name__ == "M152"
    assert json.loads(model.model_dump_json(exclude_none=True)) == nested(NESTING)
    build_every_model(models)
    assert models.M150.model_validate(nested(NESTING)) == model


def test_a_long_chain_through_lists_maps_and_discriminated_unions(
    generate: Callable[[dict[str, Any]], ModuleType],
) -> None:
    """The models a model holds inside a list, a map or a discriminated `oneOf`."""
    length = 150
    schemas: dict[str, Any] = {
        "Leaf": {"type": "object", "properties": {"kind": {"type": "string"}}}
    }
    for i in range(length):
        following = ref(f"M{i + 1}")
        shapes: list[dict[str, Any]] = [
            {"type": "array", "items": following},
            {"type": "object", "additionalProperties": following},
            {"oneOf": [following, ref("Leaf")], "discriminator": {"propertyName": "kind"}},
        ]
        properties: dict[str, Any] = {"kind": {"type": "string"}}
        if i + 1 < length:
            properties["next"] = shapes[i % 3]
        schemas[f"M{i}"] = {"type": "object", "required": ["kind"], "properties": properties}
    models = generate(minimal_spec(schemas))
    data: dict[str, Any] = {"kind": f"M{length - 1}"}
    for i in reversed(range(length - 1)):
        held_data: list[Any] = [[data], {"key": data}, data]
        data = {"kind": f"M{i}", "next": held_data[i % 3]}
    model = models.M0.model_validate(data)
    assert model.model_dump(by_alias=True, exclude_none=True) == data
    assert json.loads(model.model_dump_json(exclude_none=True)) == data
    build_every_model(models)
    assert models.M0.model_validate(data) == model
