"""Defaults that do not satisfy their schemas: dropped, with a located E402 warning.

A container of the wrong shape (`{}` for an array), a value `const` refuses or a string of
the wrong format was written into the model (mypy refused it) or passed through
`validate_default` (building the model without arguments raised). Each is dropped as a
scalar of the wrong type already was: the field or parameter stays optional, without one.
"""

from __future__ import annotations

import copy
import inspect
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.diagnostics import Diagnostic, Location, Severity, sorted_diagnostics
from generator.lint import Profile, lint_spec
from generator.load import load_spec
from generator.options import Options
from generator.pipeline import generate_package
from tests.conftest import BuildPackage, minimal_spec, write_spec

BAD = {
    "tags": {"type": "array", "items": {"type": "string"}, "default": {}},
    "fixed": {"const": "a", "default": "b"},
    "ints": {"type": "array", "items": {"type": "integer"}, "default": [1, "two"]},
    "mapping": {"type": "object", "default": [1]},
    "uid": {"type": "string", "format": "uuid", "default": "nope"},
    "when": {"type": "string", "format": "date-time", "default": "yesterday"},
    "point": {"$ref": "#/components/schemas/Point", "default": {"x": "one"}},
    "count": {"type": "integer", "default": "abc"},
    "least": {"type": "integer", "minimum": 10, "default": "4"},  # converted, then too small
    # lint's checker took these, which the clients refuse (hostile sweep): `time` was
    # jsonschema's draft-3 one, `date-time` let a line break end it, `email` wanted an `@`
    "noon": {"type": "string", "format": "time", "default": "12:00:00"},
    "late": {"type": "string", "format": "date-time", "default": "2020-01-01T00:00:00Z\n"},
    "mail": {"type": "string", "format": "email", "default": "a@b."},
}
GOOD = {
    "good": {"type": "array", "items": {"type": "integer"}, "default": [1, 2]},
    "day": {"type": "string", "format": "date", "default": "2024-01-02"},
    "origin": {"$ref": "#/components/schemas/Point", "default": {"x": 0}},
    "four": {"type": "integer", "default": "4"},
    # ... and refused these, which the clients send
    "at": {"type": "string", "format": "time", "default": "12:00:00+01:00"},
    "price": {"type": "number", "multipleOf": 0.01, "default": 19.99},
    "contact": {"type": "string", "format": "email", "default": "billing@example.com"},
}
PARAMETERS = ("tags", "fixed", "ints", "uid", "count")


def _spec() -> dict[str, Any]:
    schemas = {
        "Point": {"type": "object", "properties": {"x": {"type": "integer"}}},
        "Holder": {"type": "object", "properties": {**BAD, **GOOD}},
    }
    parameters = [
        {"name": name, "in": "query", "schema": copy.deepcopy(BAD[name])} for name in PARAMETERS
    ] + [{"name": "good", "in": "query", "schema": copy.deepcopy(GOOD["good"])}]
    operation = {
        "operationId": "putHolder",
        "parameters": parameters,
        "requestBody": {
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Holder"}}}
        },
        "responses": {"204": {"description": "done"}},
    }
    return minimal_spec(schemas, {"/holders": {"put": operation}})


def test_defaults_that_fail_their_schema_are_dropped(build_package: BuildPackage) -> None:
    package = build_package(_spec())
    holder = package.models.Holder()  # raised ValidationError (uuid, date-time, Point)
    assert all(getattr(holder, name) is None for name in BAD)
    assert holder.good == [1, 2] and holder.four == 4 and holder.origin.x == 0
    assert str(holder.day) == "2024-01-02"
    assert (holder.at.isoformat(), holder.price, holder.contact) == (
        "12:00:00+01:00",
        19.99,
        "billing@example.com",
    )
    assert holder.model_dump(exclude_unset=True) == {}
    # the body's keyword arguments build the same model: none is given, none is sent
    client = package.Client(base_url="https://api.example.test")
    signature = inspect.signature(client.holders.update)
    defaults = {name: signature.parameters[name].default for name in PARAMETERS}
    assert defaults == dict.fromkeys(PARAMETERS)
    # a list that fits is left to the server too: a mutable default argument (ruff's B006)
    assert signature.parameters["good"].default is None


def test_the_package_passes_mypy_strict(build_package: BuildPackage, tmp_path: Path) -> None:
    """`list[str] | None = Field(default={})`, `Literal["a"] | None = "b"`: mypy refused them."""
    package = build_package(_spec())
    root = Path(str(package.__file__)).parent.parent
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "c"), root.name],
        cwd=root.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_each_dropped_default_is_a_located_warning(tmp_path: Path) -> None:
    """As lint words it (E402), with what generate did; once, with `--house-style` too."""
    path = write_spec(tmp_path, _spec())
    for house_style in (False, True):
        output = tmp_path / f"out{int(house_style)}"
        result = generate_package(path, output, options=Options(house_style=house_style))
        found = [d for d in sorted_diagnostics(result.diagnostics) if d.code == "E402"]
        repaired = [d for d in found if d.repair]
        expected = [f"/components/schemas/Holder/properties/{name}/default" for name in BAD]
        expected += [f"/paths/~1holders/put/parameters/{i}/schema/default" for i in range(5)]
        assert sorted(d.location.pointer for d in repaired) == sorted(expected)
        assert all(d.severity is Severity.WARNING and d.location.line > 1 for d in found)
        assert all(d.text.endswith("; dropped the default") for d in repaired)
        # lint's own report of the same finding is not printed again; it reports more
        # (`"4"` for an integer, which generate converts), only with --house-style
        plain = {(d.location.pointer, d.message) for d in found if not d.repair}
        assert not plain & {(d.location.pointer, d.message) for d in repaired}
        assert bool(plain) is house_style
        tags = next(d for d in found if d.location.pointer.endswith("tags/default"))
        assert "{} is not of type 'array'" in tags.message


def test_lint_checks_a_default_beside_a_ref(tmp_path: Path) -> None:
    """The generator reads it (in 3.0 too): lint reported nothing, generate dropped it."""
    spec = load_spec(write_spec(tmp_path, _spec()))
    found = [d for d in lint_spec(spec, Profile.STRICT) if d.code == "E402"]
    assert "/components/schemas/Holder/properties/point/default" in {
        d.location.pointer for d in found
    }


def test_a_repaired_finding_is_printed_once_with_its_repair() -> None:
    where = Location("spec.yaml", 3, 5, "/x/default")
    plain = Diagnostic("E402", Severity.WARNING, where, "default does not validate")
    repaired = Diagnostic("E402", Severity.WARNING, where, "default does not validate", "", "r")
    for order in ([plain, repaired], [repaired, plain]):
        assert sorted_diagnostics(order) == [repaired]


_VALUES = {
    "string": st.sampled_from(["", "a", "abc", "2024-01-02", "not-a-date", "x@y.test"]),
    "integer": st.integers(-5, 5),
    "number": st.one_of(st.integers(-5, 5), st.floats(-5, 5, allow_nan=False)),
    "boolean": st.booleans(),
}


@st.composite
def _plain_cases(draw: st.DrawFn) -> tuple[dict[str, Any], Any]:
    """A schema of the keywords the fast path reads, and a value of its type (mostly)."""
    kind = draw(st.sampled_from(["string", "integer", "number", "boolean", "array"]))
    schema: dict[str, Any] = {"type": kind}
    if kind == "array":
        item_kind = draw(st.sampled_from(["string", "integer"]))
        schema["items"] = {"type": item_kind}
        if draw(st.booleans()):
            schema["items"]["minimum" if item_kind == "integer" else "maxLength"] = draw(
                st.integers(0, 2)
            )
        value: Any = draw(st.lists(_VALUES[item_kind], max_size=3))
    else:
        value = draw(_VALUES[kind])
    for low, high in (("minimum", "maximum"), ("minLength", "maxLength"), ("minItems", "maxItems")):
        for key in (low, high):
            if draw(st.booleans()):
                schema[key] = draw(st.integers(-3, 3) if key == "minimum" else st.integers(0, 3))
    if draw(st.integers(0, 3)) == 0:
        schema["enum"] = draw(st.lists(st.sampled_from(["", "a", "abc", 1, True]), max_size=3))
    if draw(st.integers(0, 3)) == 0:
        schema["format"] = draw(st.sampled_from(["uri", "date", "email", "int32", "hostname"]))
    if draw(st.integers(0, 5)) == 0:
        value = draw(st.one_of(*_VALUES.values()))  # of another type now and then
    return schema, value


@settings(max_examples=300, deadline=None)
@given(case=_plain_cases())
def test_what_the_fast_path_passes_the_checker_passes(case: tuple[dict[str, Any], Any]) -> None:
    """`_plainly_fits` spares most defaults the checker (and its import): it may only say
    yes where the checker finds nothing wrong, for formats the models do not validate too."""
    from generator.schema_check import SchemaChecker
    from generator.schema_defaults import _plainly_fits

    schema, value = case
    if _plainly_fits(schema, value):  # (the formats drawn: ones the models validate, or
        # ones the checker leaves alone; `ipv4` and the like are the checker's business only)
        assert SchemaChecker({"openapi": "3.1.0"}).errors(schema, value) == []
