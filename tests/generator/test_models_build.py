"""Models that build, not only import: each shape that once broke a package, as a regression.

`build_package` (tests/conftest.py) rebuilds every exported model with
`raise_errors=True`, builds a TypeAdapter for every alias and resolves every
operation's type hints; the tests here add what each shape must mean.
"""

from __future__ import annotations

import datetime
import importlib
import sys
import typing
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from generator.diagnostics import SpecError
from generator.lint import Profile, lint_spec
from generator.load import load_spec
from generator.pipeline import generate_package
from generator.runtime._types import field_wire_name
from tests.conftest import (
    BuildPackage,
    assert_package_builds,
    assert_package_passes_checkers,
    minimal_spec,
    recording,
    write_spec,
)


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def test_null_only_schemas_used_by_optional_properties(build_package: BuildPackage) -> None:
    package = build_package(
        minimal_spec(
            {
                "TypeNull": {"type": "null"},
                "ConstNull": {"const": None},
                "EnumNull": {"enum": [None]},
                "Holder": {
                    "type": "object",
                    "properties": {
                        "a": ref("TypeNull"),
                        "b": ref("ConstNull"),
                        "c": ref("EnumNull"),
                        "d": {"type": "null"},
                    },
                },
            }
        )
    )
    holder = package.models.Holder(a=None, b=None, c=None, d=None)
    assert holder.model_dump(exclude_unset=True) == {"a": None, "b": None, "c": None, "d": None}


def test_empty_enum_admits_no_value(build_package: BuildPackage, tmp_path: Path) -> None:
    """`enum: []` was `N: TypeAlias = None`, and an optional field of it `N | None`, which
    is `None | None` at run time; it is `NoValue` now (refused by validation, no instance
    to type-check), beside the null-only `enum: [null]`, optional, required and nullable,
    in a model, as parameters and as bodies."""
    fields: dict[str, Any] = {}
    for name in ("Nothing", "OnlyNull"):
        fields[f"optional{name}"] = ref(name)
        fields[f"required{name}"] = ref(name)
        fields[f"nullable{name}"] = {"anyOf": [ref(name), {"type": "null"}]}
        fields[f"items{name}"] = {"type": "array", "items": ref(name)}
    holder = {"type": "object", "required": ["requiredNothing", "requiredOnlyNull"]}
    holder_body = {"type": "object", "properties": {"n": ref("Nothing")}}
    query = [
        {"name": name, "in": "query", "required": required, "schema": ref(schema)}
        for name, schema, required in (
            ("n", "Nothing", False),
            ("z", "OnlyNull", False),
            ("rn", "Nothing", True),
            ("rz", "OnlyNull", True),
        )
    ]

    def post(name: str, body: str) -> dict[str, Any]:
        content = {"application/json": {"schema": ref(body)}}
        return {
            "operationId": name,
            "parameters": query,
            "requestBody": {"content": content},
            "responses": {"200": {"description": "ok", "content": {**content}}},
        }

    paths = {
        "/holder": {"post": post("sendHolder", "Holder")},
        "/fields": {"post": post("sendFields", "HolderBody")},
        "/nothing": {"post": post("sendNothing", "Nothing")},
        "/null": {"post": post("sendNull", "OnlyNull")},
    }
    schemas = {
        "Nothing": {"enum": []},
        "OnlyNull": {"enum": [None]},
        "Holder": {**holder, "properties": fields},
        "HolderBody": holder_body,
    }
    package = build_package(minimal_spec(schemas, paths))
    assert_package_passes_checkers(package, tmp_path / "mypy")
    models = package.models
    # a required `Nothing` admits no value at all (not even null): no Holder can be built
    values: list[Any] = [None, "a", 1, [], {}]
    for value in values:
        with pytest.raises(ValidationError, match="no value is valid"):
            models.Holder(required_nothing=value, required_only_null=None)
        if value is not None:  # an optional `Nothing` may be left out or null
            with pytest.raises(ValidationError, match="no value is valid"):
                models.HolderBody.model_validate({"n": value})
    assert models.HolderBody(n=None).n is None
    assert models.HolderBody.model_validate({}).n is None
    with pytest.raises(TypeError, match="no instances"):
        importlib.import_module(f"{package.__name__}._scalars").NoValue()


def test_lone_surrogates_are_located_warnings_and_left_out(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    """A lone surrogate (JSON `"\\ud800"`) in a `const` gave `Literal["\\ud800"]` and in an
    enum value an enum (pydantic-core: SchemaError), in a property name an alias it cannot
    build (UnicodeEncodeError). No JSON on the wire carries one: `lint` and `generate` both
    report W406 at each (and no E201), and the package leaves them out."""
    properties = {
        "loose": {"const": "\ud800"},
        "typed": {"type": "string", "const": "x\udfff"},
        "\ud800name": {"type": "string"},
        "kind": ref("Kind"),
        "odd": ref("Odd"),
        "mixed": {"enum": ["\ud800", 1, None]},
        "kept": {"type": "string"},
    }
    schemas = {
        "Kind": {"type": "string", "enum": ["a", "\ud800"]},
        "Odd": {"enum": ["\udfff"]},
        "Holder": {"type": "object", "required": ["\ud800name"], "properties": properties},
    }
    content = {"application/json": {"schema": ref("Holder")}}
    operation = {
        "operationId": "send",
        "requestBody": {"content": content},
        "responses": {"200": {"description": "ok", "content": content}},
    }
    spec = minimal_spec(schemas, {"/holder": {"post": operation}})
    at = "/components/schemas/"
    expected = {
        f"{at}Kind/enum/1",
        f"{at}Odd/enum/0",
        *(f"{at}Holder/properties/{p}" for p in ("loose/const", "typed/const", "\ud800name")),
        f"{at}Holder/properties/mixed/enum/0",
    }
    path = write_spec(tmp_path, spec, "spec.json")
    linted = lint_spec(load_spec(path), Profile.STRICT)
    assert {d.location.pointer for d in linted if d.code == "W406"} == expected
    assert not [d for d in linted if d.code == "E201"]
    result = generate_package(path, tmp_path / "out", package_name="lone")
    assert {d.location.pointer for d in result.diagnostics if d.code == "W406"} == expected
    assert all(not d.is_error for d in result.diagnostics), result.diagnostics

    package = build_package(spec, filename="spec.json")
    assert_package_passes_checkers(package, tmp_path / "mypy")
    models = package.models
    assert set(models.Holder.model_fields) == {"loose", "typed", "kind", "odd", "mixed", "kept"}
    assert [member.value for member in models.Kind] == ["a"]
    held = models.Holder.model_validate({"loose": 1, "typed": "y", "kind": "a", "odd": "z"})
    assert (held.loose, held.typed, held.kind, held.odd) == (1, "y", models.Kind.A, "z")
    assert models.Holder(mixed=1).mixed == 1


def test_subclass_of_a_base_that_refers_back_to_it(build_package: BuildPackage) -> None:
    """`A: allOf[B]` with `B` holding an `A`: one module, B written before A."""
    package = build_package(
        minimal_spec(
            {
                "A": {"allOf": [ref("B"), {"properties": {"x": {"type": "string"}}}]},
                "B": {"type": "object", "properties": {"a": ref("A")}},
            }
        )
    )
    models = package.models
    assert issubclass(models.A, models.B)
    value = models.B.model_validate({"a": {"x": "1", "a": {"x": "2"}}})
    assert isinstance(value.a, models.A) and value.a.a.x == "2"


def test_all_of_a_base_and_its_subclass_or_a_base_twice(build_package: BuildPackage) -> None:
    package = build_package(
        minimal_spec(
            {
                "Base": {"type": "object", "properties": {"b": {"type": "string"}}},
                "Sub": {"allOf": [ref("Base"), {"properties": {"s": {"type": "string"}}}]},
                "Both": {
                    "allOf": [ref("Base"), ref("Sub"), {"properties": {"x": {"type": "integer"}}}]
                },
                "Twice": {"allOf": [ref("Base"), ref("Base")]},
            }
        )
    )
    models = package.models
    assert models.Both.__bases__ == (models.Sub,)  # Base is implied by Sub
    assert models.Twice.__bases__ == (models.Base,)
    assert models.Both(b="1", s="2", x=3).model_dump() == {"b": "1", "s": "2", "x": 3}


def test_all_of_cycles_and_an_all_of_naming_itself(build_package: BuildPackage) -> None:
    package = build_package(
        minimal_spec(
            {
                "A": {"allOf": [ref("B")], "properties": {"a": {"type": "string"}}},
                "B": {"allOf": [ref("A")], "properties": {"b": {"type": "string"}}},
                "C": {"allOf": [ref("D")]},
                "D": {"allOf": [ref("C")]},
                "Self": {"allOf": [ref("Self"), {"properties": {"e": {"type": "string"}}}]},
            }
        )
    )
    models = package.models
    assert set(models.A.model_fields) == set(models.B.model_fields) == {"a", "b"}
    assert models.A(a="1", b="2").b == "2"
    assert set(models.Self.model_fields) == {"e"}


@pytest.mark.parametrize(
    "spec",
    [
        minimal_spec({"A": ref("B"), "B": ref("A")}),
        minimal_spec({"A": ref("A")}),
        minimal_spec(
            {},
            {
                "/x": {
                    "post": {
                        "operationId": "send",
                        "requestBody": {
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": "#/paths/~1x/post/requestBody/content"
                                        "/application~1json/schema"
                                    }
                                }
                            }
                        },
                        "responses": {"204": {"description": "done"}},
                    }
                }
            },
        ),
    ],
    ids=["two", "self", "request-body"],
)
def test_pure_ref_cycles_are_located_warnings_and_read_as_any_value(
    tmp_path: Path, spec: dict[str, Any]
) -> None:
    """Schemas that are only `$ref`s to one another define nothing: `lint` refuses them
    (E108), `generate` warns and types them `Any` (dcg's allof_self_reference_base and
    collapse_root_models_ref_cycle_alias tests expect them to generate)."""
    import typing

    path = write_spec(tmp_path, spec)
    strict = [d for d in lint_spec(load_spec(path), Profile.STRICT) if d.code == "E108"]
    assert strict and all(d.is_error for d in strict)
    result = generate_package(path, tmp_path / "out", package_name="cycle")
    found = [d for d in result.diagnostics if d.code == "E108"]
    assert found and not any(d.is_error for d in found), result.diagnostics
    assert all(d.location.line > 1 for d in found)
    assert "circular $ref with no schema in it" in found[0].message
    assert found[0].text.endswith("; read as any value")
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        package = importlib.import_module("cycle")
        assert_package_builds(package)
        for name in ("A", "B"):
            if hasattr(package.models, name):
                assert getattr(package.models, name) is typing.Any
        if not hasattr(package.models, "A"):  # the request body's schema names itself
            resources = importlib.import_module("cycle.resources.x")
            send = resources.X.create  # POST /x: `create` by the resource naming rules
            names = {
                **vars(resources),
                **{n: getattr(package.models, n) for n in package.models.__all__},
            }
            hints = typing.get_type_hints(send, names)
            assert hints["body"] == typing.Any | None, hints["body"]
    finally:
        sys.path.remove(str(tmp_path / "out"))
        for module in [m for m in sys.modules if m == "cycle" or m.startswith("cycle.")]:
            del sys.modules[module]


def test_defaults_are_converted_to_the_field_type(build_package: BuildPackage) -> None:
    package = build_package(
        minimal_spec(
            {
                "Color": {"type": "string", "enum": ["red", "green"]},
                "Point": {"type": "object", "properties": {"n": {"type": "integer"}}},
                "Settings": {
                    "type": "object",
                    "properties": {
                        "day": {"type": "string", "format": "date", "default": "2024-01-02"},
                        "at": {
                            "type": "string",
                            "format": "date-time",
                            "default": "2024-01-02T03:04:05Z",
                        },
                        "id": {
                            "type": "string",
                            "format": "uuid",
                            "default": "12345678-1234-5678-1234-567812345678",
                        },
                        "color": {"$ref": "#/components/schemas/Color", "default": "green"},
                        "colors": {"type": "array", "items": ref("Color"), "default": ["red"]},
                        "days": {
                            "type": "array",
                            "items": {"type": "string", "format": "date"},
                            "default": ["2024-01-02"],
                        },
                        "point": {"$ref": "#/components/schemas/Point", "default": {"n": 3}},
                        "count": {"type": "integer", "default": 7},
                    },
                },
            }
        )
    )
    models = package.models
    settings = models.Settings()
    assert settings.day == datetime.date(2024, 1, 2)
    assert settings.at == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    assert settings.id == uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert settings.color is models.Color.GREEN
    assert settings.colors == [models.Color.RED]
    assert settings.days == [datetime.date(2024, 1, 2)]
    assert settings.point == models.Point(n=3)
    assert settings.count == 7
    assert settings.model_dump(exclude_unset=True) == {}  # defaults are never sent


def test_one_attribute_one_wire_field(build_package: BuildPackage) -> None:
    names = ["fooBar", "foo_bar", "foo-bar", "FooBar", "foo bar"]
    package = build_package(
        minimal_spec(
            {"Item": {"type": "object", "properties": {n: {"type": "string"} for n in names}}}
        )
    )
    item_class = package.models.Item
    attributes = {
        field_wire_name(name, info): name for name, info in item_class.model_fields.items()
    }
    assert attributes["foo_bar"] == "foo_bar"  # a wire name that is an identifier keeps it
    assert len(set(attributes.values())) == len(names)
    for wire, attribute in attributes.items():
        item = item_class(**{attribute: "A"})
        assert item.model_dump(by_alias=True, exclude_unset=True) == {wire: "A"}, wire
    payload = {n: n.upper() for n in names}
    assert item_class.model_validate(payload).model_dump(by_alias=True) == payload


PYTHON_NAMES = [
    "ConfigDict", "Field", "Mapping", "RootModel", "Any", "Literal", "date", "datetime",
    "UUID", "BaseModel", "SecretStr", "Enum", "Annotated", "TypeAlias", "ClassVar", "Union",
    "ApiModel", "DateTime", "EmailStr", "Tag", "Discriminator", "SecretString", "NotGiven",
    "OperationInfo", "RawResponse", "SyncAPIClient", "TYPE_CHECKING",
]  # fmt: skip


def test_schemas_and_fields_named_like_what_modules_import(build_package: BuildPackage) -> None:
    schemas: dict[str, Any] = {
        name: {
            "type": "object",
            "properties": {
                "date": {"type": "string", "format": "date"},
                "time": {"type": "string", "format": "time"},
                "other": ref("Any"),
                "pattern": {"type": "string", "pattern": "^a"},
                "kind": {"enum": ["a", "b"], "default": "a"},
                "frozenset": {"type": "string"},
            },
            "required": ["date"],
        }
        for name in PYTHON_NAMES
    }
    paths = {
        "/x": {
            "post": {
                "operationId": "send",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("Mapping")}},
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": ref("Any")}},
                    }
                },
            }
        }
    }
    package = build_package(minimal_spec(schemas, paths))
    models = package.models
    value = models.Field.model_validate({"date": "2024-01-02", "other": {"date": "2024-01-03"}})
    assert value.date == datetime.date(2024, 1, 2)
    assert isinstance(value.other, models.Any)
    assert value.kind == "a"


def test_a_redeclared_property_that_cannot_override_flattens_the_class(
    build_package: BuildPackage,
) -> None:
    package = build_package(
        minimal_spec(
            {
                "Base": {
                    "type": "object",
                    "properties": {
                        "x": {"type": "string"},
                        "y": {"type": "integer"},
                        "z": {"type": "string"},
                    },
                },
                "Narrow": {
                    "allOf": [
                        ref("Base"),
                        {
                            "properties": {"x": {"enum": ["a"]}, "z": {"maxLength": 3}},
                            "required": ["z"],
                        },
                    ]
                },
                "Conflict": {"allOf": [ref("Base"), {"properties": {"y": {"type": "string"}}}]},
            }
        )
    )
    models = package.models
    assert issubclass(models.Narrow, models.Base)  # narrower: mypy accepts the override
    assert not issubclass(models.Conflict, models.Base)  # conflicting: flattened
    assert set(models.Conflict.model_fields) == {"x", "y", "z"}


def nested_objects_spec(levels: int) -> str:
    """A spec (JSON text, written without recursion) with `levels` nested inline objects."""
    head = '{"type": "object", "properties": {"p%d": '
    inner = '{"type": "object", "properties": {"leaf": {"type": "string"}}}'
    schema = "".join(head % level for level in range(levels)) + inner + "}}" * levels
    return (
        '{"openapi": "3.1.0", "info": {"title": "Deep", "version": "1"}, "paths": {},'
        ' "components": {"schemas": {"Root": ' + schema + "}}}"
    )


def test_inherited_fields_resolve_in_the_subclass_module(build_package: BuildPackage) -> None:
    """pydantic evaluates a base's unresolved annotations in the subclass's module (found on
    nexmo.com's and motaword.com's specs): the subclass module must be able to name them,
    the models and the library names (`Annotated`, `Field`, `DateTime`: amazonaws fsx)."""
    ref = "#/components/schemas/"
    package = build_package(
        minimal_spec(
            {
                "Application": {
                    "type": "object",
                    "properties": {
                        "id": {"$ref": ref + "RefId"},
                        "voice": {"$ref": ref + "Voice"},
                        "name": {"type": "string", "maxLength": 5},
                        "at": {"type": "string", "format": "date-time"},
                        "children": {
                            "type": "array",
                            "items": {"$ref": ref + "Child"},
                            "maxItems": 3,
                        },
                    },
                },
                # a cycle: Application's annotations are still unresolved when it is created
                "Child": {"type": "object", "properties": {"app": {"$ref": ref + "Application"}}},
                "RefId": {"type": "string"},
                "Voice": {"type": "object", "properties": {"url": {"type": "string"}}},
                "Created": {
                    "allOf": [
                        {"$ref": ref + "Application"},
                        {"type": "object", "properties": {"keys": {"type": "string"}}},
                    ]
                },
                "Updated": {"allOf": [{"$ref": ref + "Application"}]},
            }
        )
    )
    created = package.models.Created.model_validate(
        {"id": "a1", "voice": {"url": "u"}, "keys": "k", "name": "n", "at": "2024-01-31T12:00:00Z"}
    )
    assert created.id == "a1" and created.voice is not None and created.voice.url == "u"
    assert created.name == "n" and created.at is not None and created.at.year == 2024
    updated = package.models.Updated.model_validate({"name": "n"})
    assert updated.name == "n"
    modules = {package.models.Created.__module__, package.models.Application.__module__}
    assert len(modules) == 2  # the case needs the subclass in another module


def test_deeply_nested_inline_objects(build_package: BuildPackage) -> None:
    """Beyond 64 nested classes pydantic could not build the model: the rest is a mapping."""
    package = build_package(nested_objects_spec(90), filename="spec.json")
    root = package.models.Root.model_validate({"p0": {"p1": {"p2": {}}}})
    assert root.p0 is not None and root.p0.p1 is not None
    deep: Any = root
    payload: dict[str, Any] = {}
    cursor = payload
    for level in range(90):
        cursor[f"p{level}"] = {}
        cursor = cursor[f"p{level}"]
    deep = package.models.Root.model_validate(payload)
    for level in range(64):
        deep = getattr(deep, f"p{level}")
    assert isinstance(deep.model_dump(), dict)


def test_nesting_beyond_the_bound_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    path.write_text(nested_objects_spec(90), encoding="utf-8")
    result = generate_package(path, tmp_path / "out", package_name="deep")
    warnings = [d for d in result.diagnostics if d.code == "W902"]
    assert len(warnings) == 1 and warnings[0].location.line == 1


def test_deeply_nested_arrays(build_package: BuildPackage) -> None:
    """95 nested arrays (190 document levels, under the loader's limit of 200) still build."""
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(95):
        schema = {"type": "array", "items": schema}
    package = build_package(minimal_spec({"Deep": schema}))
    from pydantic import TypeAdapter

    payload: Any = "x"
    for _ in range(95):
        payload = [payload]
    assert TypeAdapter(package.models.Deep).validate_python(payload) == payload


def test_nesting_past_the_loaders_limit_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    path.write_text(nested_objects_spec(1000), encoding="utf-8")
    with pytest.raises(SpecError) as raised:
        generate_package(path, tmp_path / "out", package_name="deep")
    assert [d.code for d in raised.value.diagnostics] == ["E004"]
    assert not (tmp_path / "out").exists()


def _generate_and_import(tmp_path: Path, spec: dict[str, Any], name: str) -> Any:
    path = write_spec(tmp_path, spec, "spec.json")
    generate_package(path, tmp_path / "out", package_name=name)
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        return importlib.import_module(f"{name}.models")
    finally:
        sys.path.remove(str(tmp_path / "out"))


def test_a_long_chain_of_ref_aliases(tmp_path: Path) -> None:
    """60 aliases of aliases build; 10,000 stop with E106 (lint's limit is 64), no traceback."""
    schemas: dict[str, Any] = {f"A{i}": ref(f"A{i + 1}") for i in range(60)}
    schemas["A60"] = {"type": "string", "maxLength": 3}
    schemas["User"] = {"type": "object", "properties": {"a": ref("A0")}}
    models = _generate_and_import(tmp_path, minimal_spec(schemas), "chain")
    models.User.model_rebuild(force=True, raise_errors=True)
    assert models.User(a="abc").a == "abc"
    with pytest.raises(ValueError):
        models.User(a="abcd")
    longer: dict[str, Any] = {f"A{i}": ref(f"A{i + 1}") for i in range(10_000)}
    longer["A10000"] = {"type": "string"}
    path = write_spec(tmp_path, minimal_spec(longer), "long.json")
    with pytest.raises(SpecError) as raised:
        generate_package(path, tmp_path / "long", package_name="chain_long")
    assert {d.code for d in raised.value.diagnostics if d.severity.name == "ERROR"} == {"E106"}


def test_a_very_wide_one_of(tmp_path: Path) -> None:
    options: list[dict[str, Any]] = [{"type": "string", "maxLength": i + 1} for i in range(20_000)]
    options += [{"type": "object", "properties": {"k": {"const": i}}} for i in range(3)]
    spec = minimal_spec(
        {"Wide": {"oneOf": options}, "Holder": {"type": "object", "properties": {"w": ref("Wide")}}}
    )
    models = _generate_and_import(tmp_path, spec, "wide")
    from pydantic import TypeAdapter

    assert TypeAdapter(models.Wide).validate_python("abc") == "abc"


def test_parameter_defaults_have_the_parameters_type(build_package: BuildPackage) -> None:
    """A required parameter's default is the argument's, sent unless the call gives another
    (Codat's `page`, required with a default of 1, was asked of every list call: UX audit
    10): an enum's is its member; one only validation could convert (a date string) leaves
    the argument required (found by mypy on datamodel-code-generator's specs). An optional
    parameter's default is the server's: the argument's is None, not sent (VTEX's lists went
    out with 20 filters that were the spec's examples), and its description says it."""
    kind = {"allOf": [{"$ref": "#/components/schemas/Kind"}], "default": "b"}
    param = {"name": "kind", "in": "query", "required": True, "schema": kind}
    spec = minimal_spec(
        {"Kind": {"type": "string", "enum": ["a", "b"]}},
        {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "parameters": [
                        param,
                        {"name": "since", "in": "query", "required": True, "schema": {"type": "string", "format": "date", "default": "2024-01-02"}},
                        {"name": "page", "in": "query", "required": True, "schema": {"type": "integer", "default": 1}},
                        # a size or a date the call must choose (Postmark's `count` defaulting
                        # to 1 paged one item a request: regression audit)
                        {"name": "count", "in": "query", "required": True, "schema": {"type": "integer", "default": 1}},
                        {"name": "start", "in": "query", "required": True, "schema": {"type": "string", "format": "date-time", "default": "2025-10-15T13:51:02Z"}},
                        # nor a credential's (data2crm's sample keys ran calls as the spec's)
                        {"name": "app_key", "in": "query", "required": True, "schema": {"type": "string", "default": "[your key]"}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 20}},
                    ],
                    "responses": {"204": {"description": "none"}},
                }
            }
        },
    )  # fmt: skip
    package = build_package(spec)
    import inspect

    method = importlib.import_module(f"{package.__name__}.resources.things").Things.list
    defaults = {name: p.default for name, p in inspect.signature(method).parameters.items()}
    assert defaults["kind"] is package.models.Kind.B
    assert defaults["since"] is inspect.Parameter.empty  # required, no default
    assert defaults["page"] == 1 and defaults["limit"] is None
    assert defaults["count"] is defaults["start"] is inspect.Parameter.empty
    # a credential named so on every operation is the client's now: no sample key either
    assert defaults["app_key"] is None
    assert "limit: Default `20` (the server's: not sent unless given)." in method.__doc__
    http, sent = recording()
    client = package.Client(http_client=http)
    when = datetime.datetime(2024, 1, 3, tzinfo=datetime.timezone.utc)
    given = {"since": datetime.date(2024, 1, 3), "count": 9, "start": when, "app_key": "k"}
    client.things.list(**given)
    client.things.list(**given, kind="a", page=2, limit=5)
    fixed = [("app_key", "k"), ("count", "9"), ("since", "2024-01-03")]
    fixed.append(("start", "2024-01-03T00:00:00Z"))  # (the validated value, as JSON writes it)
    assert [sorted(r.url.params.multi_items()) for r in sent] == [
        sorted([("kind", "b"), ("page", "1"), *fixed]),
        sorted([("kind", "a"), ("limit", "5"), ("page", "2"), *fixed]),
    ]


def test_a_required_parameter_of_one_value_is_sent_without_being_given(
    build_package: BuildPackage,
) -> None:
    """AWS's `X-Amz-Target` (required, an enum of one value: the operation's name) was a
    required keyword of all 5,560 operations of 131 directory specs (UX audit 11)."""
    target = {"type": "string", "enum": ["secretsmanager.GetRandomPassword"]}
    parameters: list[dict[str, Any]] = [
        {"name": "X-Amz-Target", "in": "header", "required": True, "schema": target},
        {"name": "v", "in": "query", "required": True, "schema": {"const": "2"}},
        {"name": "mode", "in": "query", "required": True, "schema": {"enum": ["a", "b"]}},
    ]
    operation: dict[str, Any] = {"operationId": "getRandomPassword", "parameters": parameters}
    operation["responses"] = {"204": {"description": "none"}}
    package = build_package(minimal_spec({}, {"/random": {"get": operation}}, version="3.1.0"))
    http, sent = recording()
    package.Client(http_client=http).random.retrieve(mode="a")
    assert sent[0].headers["x-amz-target"] == "secretsmanager.GetRandomPassword"
    assert sorted(sent[0].url.params.multi_items()) == [("mode", "a"), ("v", "2")]


def test_defaults_written_as_strings_are_read_in_the_fields_type(
    build_package: BuildPackage,
) -> None:
    """openapi-python-client's test_defaults: `"true"` for a boolean, `"4"` for an integer;
    a default that fits no member of the type is left to the server (mypy passes)."""
    properties = {
        "flag": {"type": "boolean", "default": "True"},
        "count": {"type": "integer", "default": "4"},
        "ratio": {"type": "number", "default": "5.5"},
        "whole": {"type": "number", "default": 5},
        "bad": {"type": "integer", "default": "four"},
    }
    package = build_package(minimal_spec({"M": {"type": "object", "properties": properties}}))
    model = package.models.M()
    assert (model.flag, model.count, model.ratio, model.whole, model.bad) == (True, 4, 5.5, 5, None)


def test_fractional_bounds_of_an_integer_are_rounded_inwards(build_package: BuildPackage) -> None:
    """pydantic refuses `ge=-19.5` on an `int` (amazonaws.com/iotwireless: the model failed)."""
    schema = {
        "type": "object",
        "properties": {
            "rsrq": {"type": "integer", "minimum": -19.5, "exclusiveMaximum": 7.5},
            "step": {"type": "integer", "multipleOf": 0.5, "maximum": 4.0},
            # both rounded to `ge`/`le`: `Field(ge=0, ge=2)` did not compile (hostile sweep)
            "low": {"type": "integer", "minimum": 0, "exclusiveMinimum": 1.5},
            "high": {"type": "integer", "maximum": 10, "exclusiveMaximum": 5.5},
        },
    }
    models = build_package(minimal_spec({"Signal": schema}, version="3.1.0")).models
    assert models.Signal(rsrq=-19, step=4).rsrq == -19
    assert models.Signal(rsrq=7, low=2, high=5).rsrq == 7
    for bad in ({"rsrq": -20}, {"rsrq": 8}, {"step": 5}, {"low": 1}, {"high": 6}):
        with pytest.raises(ValidationError):
            models.Signal(**bad)


def test_a_schema_named_like_a_builtin_gets_its_own_class(build_package: BuildPackage) -> None:
    """`RuntimeError` used before its class was defined resolved to the builtin exception
    (googleapis.com/pagespeedonline: the referring models failed to build)."""
    schemas = {
        "Report": {
            "type": "object",
            "properties": {"runtimeError": {"$ref": "#/components/schemas/RuntimeError"}},
        },
        "RuntimeError": {"type": "object", "properties": {"code": {"type": "string"}}},
    }
    models = build_package(minimal_spec(schemas)).models
    report = models.Report.model_validate({"runtimeError": {"code": "X"}})
    assert report.runtime_error.code == "X"
    assert not issubclass(type(report.runtime_error), BaseException)


@pytest.mark.parametrize("additional", [False, {"type": "string"}])
def test_keys_matching_pattern_properties_are_not_refused_as_additional(
    build_package: BuildPackage, additional: Any
) -> None:
    """`patternProperties` with `additionalProperties: false` made a closed model that
    refused `x-a`, which the pattern allows (and a typed `additionalProperties` checked it
    against the wrong schema)."""
    schema = {
        "type": "object",
        "properties": {"id": {"type": "integer"}},
        "patternProperties": {"^x-": {"type": "integer"}},
        "additionalProperties": additional,
    }
    package = build_package(minimal_spec({"Ext": schema}, {}))
    made = package.models.Ext.model_validate({"id": 1, "x-a": 1})
    assert made.id == 1 and made.model_extra == {"x-a": 1}


def test_a_base_property_made_required_keeps_its_own_type(build_package: BuildPackage) -> None:
    """Box's `ShieldInformationBarrierSegmentRestriction`: an `allOf` of a base and more
    properties, whose `required` names an inline object the base declares. The field was
    typed as the outer model itself (a required cycle: real data refused, the mock empty)."""
    mini = {
        "type": "object",
        "properties": {"segment": {"type": "object", "properties": {"id": {"type": "string"}}}},
    }
    thing = {
        "allOf": [
            {"$ref": "#/components/schemas/ThingMini"},
            {"properties": {"created_at": {"type": "string"}}},
        ],
        "required": ["segment"],
    }
    package = build_package(minimal_spec({"ThingMini": mini, "Thing": thing}, {}))
    hints = typing.get_type_hints(package.models.Thing)
    assert hints["segment"] is package.models.ThingMiniSegment
    made = package.models.Thing.model_validate({"segment": {"id": "s1"}, "created_at": "now"})
    assert made.segment.id == "s1"


def test_models_give_their_data_as_openais_do(build_package: BuildPackage) -> None:
    """`to_dict()` and `to_json()` (OpenAI's SDK has them; UX audit 4): the spec's names, only
    what was set or received, secrets masked; a property called `to_dict` is renamed."""
    schema = {
        "type": "object",
        "properties": {
            "displayName": {"type": "string"},
            "nickname": {"type": "string"},
            "password": {"type": "string", "format": "password"},
            "to_dict": {"type": "string"},
        },
    }
    package = build_package(minimal_spec({"Account": schema}))
    account = package.models.Account.model_validate(
        {"displayName": "Ada", "password": "hunter22", "to_dict": "kept"}
    )
    assert account.to_dict() == {
        "displayName": "Ada",
        "password": "**********",
        "to_dict": "kept",
    }
    assert '"displayName": "Ada"' in account.to_json()
    assert "hunter22" not in account.to_json(indent=None)
    assert account.to_dict_ == "kept"


def test_a_percent_escaped_reference_names_the_same_model(build_package: BuildPackage) -> None:
    """`#/components/schemas/Foo%20Bar` is `Foo Bar` (hostile audit 11): the two spellings
    made two models, `FooBar` and a duplicate, and the operations returned different types."""

    def getter(operation_id: str, target: str) -> dict[str, Any]:
        schema = {"$ref": f"#/components/schemas/{target}"}
        content = {"application/json": {"schema": schema}}
        responses = {"200": {"description": "ok", "content": content}}
        return {"get": {"operationId": operation_id, "responses": responses}}

    package = build_package(
        minimal_spec(
            {"Foo Bar": {"type": "object", "properties": {"id": {"type": "string"}}}},
            {"/a": getter("getA", "Foo%20Bar"), "/b": getter("getB", "Foo Bar")},
        )
    )
    models = importlib.import_module(f"{package.__name__}.models")
    assert [name for name in models.__all__ if "Foo" in name] == ["FooBar"]
    http, _ = recording(lambda _: httpx.Response(200, json={"id": "x"}))
    client = package.Client(http_client=http)
    assert type(client.a.retrieve()) is type(client.b.retrieve()) is models.FooBar
