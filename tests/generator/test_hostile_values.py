"""Hostile values in a spec: bounds that bound nothing, integers past 64 bits, keys that
collide once read. Each gives located diagnostics, never an E900, and a package that
imports, builds its models and passes the checkers."""

from __future__ import annotations

import enum
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pydantic
import pytest

from generator.cli import main
from generator.runtime._types import field_wire_name
from tests.conftest import (
    ROOT,
    BuildPackage,
    assert_package_passes_checkers,
    minimal_spec,
    write_spec,
)

BIG = 10**400
NAN, INF = float("nan"), float("inf")


def _get(schema: dict[str, Any]) -> dict[str, Any]:
    """A GET that takes `schema` as a query parameter and returns it."""
    return {
        "/a": {
            "get": {
                "operationId": "get_a",
                "parameters": [{"name": "p", "in": "query", "schema": schema}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": schema}},
                    }
                },
            }
        }
    }


# ---- 1. numeric bounds: NaN, infinities, integers past a float's range ----------------------
BOUNDS: dict[str, dict[str, Any]] = {
    "nan_max": {"type": "integer", "maximum": NAN},
    "nan_min": {"type": "number", "minimum": NAN},
    "nan_xmin": {"type": "integer", "exclusiveMinimum": NAN},
    "nan_xmax": {"type": "number", "exclusiveMaximum": NAN},
    "inf_max": {"type": "integer", "maximum": INF},
    "ninf_min": {"type": "integer", "minimum": -INF},
    "inf_min": {"type": "integer", "minimum": INF},
    "ninf_xmax": {"type": "number", "exclusiveMaximum": -INF},
    "inf_multiple": {"type": "number", "multipleOf": INF},
    "big_min": {"type": "integer", "minimum": BIG},
    "big_xmax": {"type": "integer", "exclusiveMaximum": -BIG},
    "big_multiple": {"type": "integer", "multipleOf": BIG},
    "number_big_min": {"type": "number", "minimum": BIG},
    "number_big_max": {"type": "number", "maximum": BIG},
}


def test_bounds_that_bound_nothing_are_dropped_with_a_located_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`maximum: .inf` on an integer crashed generation (E900: math.floor of infinity), a
    400-digit `minimum` crashed the examples (math.isfinite of a huge int), and a NaN bound
    became `Field(le=float("nan"))`, which refuses every value. NaN and infinite bounds are
    dropped (W407 where that lets through what the spec refused), an integer's huge bound
    is kept exactly."""
    spec = write_spec(
        tmp_path,
        minimal_spec({"B": {"type": "object", "properties": BOUNDS}}, _get(BOUNDS["big_min"])),
    )
    main(["lint", str(spec)])  # (house-style errors besides)
    found = re.findall(
        r"spec\.yaml:(\d+):\d+: W407 warning: `(\w+)` .*\(#(\S+)\)", capsys.readouterr().err
    )
    assert sorted(pointer.rsplit("/", 2)[1] for _, _, pointer in found) == sorted(
        [
            "nan_max",
            "nan_min",
            "nan_xmin",
            "nan_xmax",
            "inf_min",
            "ninf_xmax",
            "inf_multiple",
            "number_big_min",
        ]
    )
    assert all(pointer.endswith("/" + key) for _, key, pointer in found)  # at the keyword


def test_a_bound_beside_a_malformed_type_is_no_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """W407's check read `type: [[]]` as a set of names (hypothesis found it)."""
    schemas = {"A": {"type": [[]], "minimum": BIG}, "B": {"type": [[], "number"], "minimum": BIG}}
    main(["lint", str(write_spec(tmp_path, minimal_spec(schemas)))])
    err = capsys.readouterr().err
    assert "E900" not in err and err.count("W407") == 1


def test_a_package_with_such_bounds_works(build_package: BuildPackage, tmp_path: Path) -> None:
    package = build_package(
        minimal_spec({"B": {"type": "object", "properties": BOUNDS}}, _get(BOUNDS["big_min"]))
    )
    assert_package_passes_checkers(package, tmp_path / "mypy")
    model = package.models.B
    assert (
        model(nan_max=5, nan_min=-1.5, inf_max=10**30, ninf_min=-(10**30), inf_min=3).nan_max == 5
    )
    assert model(big_min=BIG).big_min == BIG
    for bad in ({"big_min": BIG - 1}, {"big_xmax": -BIG}, {"big_multiple": BIG + 1}):
        with pytest.raises(ValueError):
            model(**bad)
    assert model(number_big_max=1e308, number_big_min=-1e308).number_big_max == 1e308


def test_numbers_past_a_floats_range_are_no_values(
    build_package: BuildPackage, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`1e400` reads as infinity, which no request can carry: a `number` default of it made
    every call that did not override it refused, and an `enum` or `const` holding one became
    `Any` (any value was sent). The default is dropped (E402), the value left out (W407)."""
    schemas = {
        "N": {
            "type": "object",
            "properties": {
                "a": {"type": "number", "default": -INF},
                "g": {"type": "number", "enum": [INF, -INF, 1.5]},
                "h": {"type": "number", "enum": [INF, None], "nullable": True},
                "b": {"type": "number", "const": INF},
            },
        }
    }
    spec = minimal_spec(schemas, _get({"type": "number", "default": INF}), version="3.0.3")
    main(["generate", str(write_spec(tmp_path, spec)), "--output", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert err.count("E402") == 2 and "not a finite number" in err
    assert err.count("W407") == 4  # inf and -inf of g, h's, b's const
    package = build_package(spec)
    model = package.models.N
    assert model().a is None and model(g=1.5).g == 1.5 and model(h=None).h is None
    for bad in ({"g": 2.0}, {"g": "x"}, {"h": 1.0}, {"b": 1.0}):
        with pytest.raises(ValueError):
            model(**bad)


def test_json_nan_and_infinity_are_refused_where_they_stand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Python's `json` reads `NaN`, `Infinity` and `-Infinity`; JSON has no such tokens."""
    text = (
        '{"openapi": "3.1.0", "info": {"title": "NaN", "version": "Infinity"},\n'
        '  "x": [1, -Infinity]}'
    )
    spec = write_spec(tmp_path, text, "spec.json")
    assert main(["lint", str(spec)]) == 1
    err = capsys.readouterr().err
    assert "spec.json:2:12: E002 invalid JSON: -Infinity is not a JSON value" in err


def test_a_yaml_nan_still_gives_an_api_diff_from_the_snapshot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The snapshot of a YAML spec holds `.nan` as JSON's `NaN`: `check` reads it back."""
    properties: dict[str, Any] = {"x": {"type": "number", "maximum": NAN}}
    schemas = {"A": {"type": "object", "properties": properties}}
    spec = write_spec(tmp_path, minimal_spec(schemas))
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    properties["y"] = {"type": "string"}
    write_spec(tmp_path, minimal_spec(schemas))
    capsys.readouterr()
    assert main(["check", str(spec), "--output", str(output)]) == 1
    err = capsys.readouterr().err
    assert "regenerating changes the Python API" in err and "A.y" in err


def test_a_snapshot_nested_too_deeply_is_no_snapshot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The output folder's `.sdkgen-spec.json` (anyone's) nested 100,000 arrays deep: `check`
    printed a RecursionError traceback and `generate --force` an E900 blaming the spec
    (gencli audit). It is read as no snapshot, as invalid JSON is."""
    schemas: dict[str, Any] = {"A": {"type": "object", "properties": {"x": {"type": "string"}}}}
    spec = write_spec(tmp_path, minimal_spec(schemas))
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    (output / ".sdkgen-spec.json").write_text("[" * 100_000 + "]" * 100_000)
    schemas["A"]["properties"]["y"] = {"type": "string"}
    write_spec(tmp_path, minimal_spec(schemas))
    capsys.readouterr()
    assert main(["check", str(spec), "--output", str(output)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "no spec snapshot" in err
    assert main(["generate", str(spec), "--output", str(output), "--force"]) == 0


# ---- diff and check: an internal error is an E900 line, never a traceback -------------------
_BROKEN = """
import sys
import generator.ir_build
def broken(*args, **kwargs):
    raise RuntimeError("boom")
generator.ir_build.build_api = broken
from generator.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _run_broken(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a process of its own whose IR builder fails unforeseen."""
    return subprocess.run(
        [sys.executable, "-c", _BROKEN, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_diff_and_check_report_an_internal_error_as_a_located_line(tmp_path: Path) -> None:
    """`diff` and `check`'s API diff built the IR unguarded: `maximum: .inf` printed a
    50-line traceback. Both report E900 at the spec ("unusable": diff's status 2)."""
    spec = write_spec(tmp_path, minimal_spec({"A": {"type": "integer", "maximum": INF}}))
    output = tmp_path / "out"
    assert main(["generate", str(spec), "--output", str(output)]) == 0
    result = subprocess.run(
        [sys.executable, "-m", "generator", "diff", str(spec), str(spec)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "no changes to the Python API" in result.stdout
    broken = _run_broken("diff", str(spec), str(spec))
    assert "Traceback" not in broken.stderr + broken.stdout
    assert broken.returncode == 2
    assert re.search(r"spec\.yaml:1:1: E900 internal error \(RuntimeError: boom\)", broken.stderr)
    write_spec(
        tmp_path, minimal_spec({"A": {"type": "integer", "maximum": INF}, "B": {"type": "string"}})
    )
    broken = _run_broken("check", str(spec), "--output", str(output))
    assert "Traceback" not in broken.stderr + broken.stdout
    assert broken.returncode == 1
    assert re.search(r"spec\.yaml:1:1: E900 internal error \(RuntimeError: boom\)", broken.stderr)
    assert "no API diff: the generator failed on the spec" in broken.stderr


def test_a_huge_integer_example_of_a_multiple_of_is_checked_exactly(
    build_package: BuildPackage,
) -> None:
    """Checking whether an example fits divided it by its `multipleOf` as floats: a
    400-digit integer overflowed (E900)."""
    schema = {"type": "integer", "multipleOf": 7, "minimum": BIG, "example": BIG * 7}
    number = {"type": "number", "multipleOf": 0.5, "example": BIG}
    properties = {"f": schema, "g": number}
    package = build_package(
        minimal_spec({"A": {"type": "object", "required": ["f"], "properties": properties}})
    )
    assert package.models.A(f=BIG * 7).f == BIG * 7


# ---- 2. integers past 64 bits in a const or a mixed enum -----------------------------------
def test_a_const_or_enum_integer_past_64_bits_is_no_literal(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    """`const: 9223372036854775808` gave `Literal[9223372036854775808]`, which mypy refuses
    (so is -2**63): such a value is an `int` bounded to it, in models and parameters; the
    other values of a mixed enum stay a `Literal` (`1` and `True` apart)."""
    mixed = {"enum": [1, "a", True, 2**64, None]}
    properties = {"n": {"const": 2**63}, "m": {"const": -(2**63)}, "e": mixed}
    paths = _get({"const": -(10**30)})
    package = build_package(
        minimal_spec({"A": {"type": "object", "properties": properties}}, paths)
    )
    assert_package_passes_checkers(package, tmp_path / "mypy")
    model = package.models.A
    built = model(n=2**63, m=-(2**63), e=2**64)
    assert (built.n, built.m, built.e) == (2**63, -(2**63), 2**64)
    for value in (1, "a", True, None):
        assert model(e=value).e == value
    for bad in ({"n": 2**63 + 1}, {"m": 2**63}, {"e": 2**64 + 1}, {"e": "b"}):
        with pytest.raises(ValueError):
            model(**bad)


# ---- 3. webhooks and callbacks of one name --------------------------------------------------
def _hook(schema: dict[str, Any]) -> dict[str, Any]:
    body = {"content": {"application/json": {"schema": schema}}}
    return {"post": {"requestBody": body, "responses": {"200": {"description": "ok"}}}}


def test_webhooks_and_callbacks_of_one_name_get_unique_keys(
    build_package: BuildPackage,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Two operations `subscribe` with a callback `onEvent`, and a webhook `x POST` beside
    `x`'s POST, gave `WEBHOOKS` the same key twice (ruff's F601; only the last was kept).
    The later one is `name 2`, with a W306 at it; no payload model, no `_models` import."""

    def subscribe(path: str, schema: dict[str, Any]) -> dict[str, Any]:
        callback = {"onEvent": {"{$request.body#/u}": _hook(schema)}}
        operation = {"operationId": "subscribe", "callbacks": callback}
        return {path: {"post": {**operation, "responses": {"200": {"description": "ok"}}}}}

    spec = minimal_spec(
        {}, {**subscribe("/a", {"type": "string"}), **subscribe("/b", {"type": "integer"})}
    )
    spec["webhooks"] = {
        "x": {**_hook({"type": "string"}), "put": _hook({"type": "integer"})["post"]},
        "x POST": _hook({"type": "boolean"}),
    }
    path = write_spec(tmp_path, spec)
    assert main(["generate", str(path), "--output", str(tmp_path / "out")]) == 0
    warnings = re.findall(r"W306 warning: (.*) \(#", capsys.readouterr().err)
    assert sorted(warnings) == [
        "webhook subscribe.onEvent: another webhook or callback has this name; this one is"
        " 'subscribe.onEvent 2'",
        "webhook x POST: another webhook or callback has this name; this one is 'x POST 2'",
    ]
    package = build_package(spec)
    assert_package_passes_checkers(package, tmp_path / "mypy")
    from importlib import import_module

    hooks = import_module(f"{package.__name__}.webhooks")
    assert list(hooks.WEBHOOKS) == [
        "x PUT",  # (a path item's methods in `_METHODS` order)
        "x POST",
        "x POST 2",
        "subscribe.onEvent",
        "subscribe.onEvent 2",
    ]
    assert hooks.parse(b"true", {}, name="x POST 2") is True
    assert hooks.parse(b"5", {}, name="subscribe.onEvent 2") == 5


# ---- 4. YAML keys that are equal once read (True == 1) ---------------------------------------
_KEYS_SPEC = """\
openapi: 3.1.0
info: {title: Keys, version: 1.0.0}
paths: {}
components:
  schemas:
    P:
      type: object
      properties:
        1: {type: integer}
        true: {type: boolean}
        0: {type: integer}
        false: {type: string}
"""


def test_yaml_keys_1_and_true_stay_two_keys(build_package: BuildPackage) -> None:
    """The loader checked duplicates on the keys' JSON text but built the mapping from the
    raw keys, where `True == 1`: properties `1` and `true` became one field."""
    model = build_package(_KEYS_SPEC).models.P
    assert sorted(field_wire_name(name, f) for name, f in model.model_fields.items()) == [
        "0",
        "1",
        "false",
        "true",
    ]
    built = model.model_validate({"1": 5, "true": True, "0": 0, "false": "no"})
    assert built.model_dump(by_alias=True) == {"1": 5, "true": True, "0": 0, "false": "no"}


def test_yaml_keys_of_one_text_are_a_duplicate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _KEYS_SPEC.replace("true: {type: boolean}", "0x1: {type: boolean}")
    assert main(["lint", str(write_spec(tmp_path, text))]) == 1
    err = capsys.readouterr().err
    assert "spec.yaml:10:9: E002 invalid YAML: duplicate key '1' (first at line 9, again at" in err


# ---- 5. a component of several types, one of them an object with properties -----------------
MULTI_INLINE = {"type": ["object", "string"], "properties": {"b": {"type": "string"}}}
MULTI = {
    "T": {"type": ["object", "string"], "properties": {"a": {"type": "string"}}},
    "A": {
        "type": ["object", "array"],
        "properties": {"a": {"type": "integer"}},
        "items": {"type": "string"},
    },
    "N": {"type": ["object", "null"], "properties": {"a": {"type": "string"}}},
    "H": {
        "type": "object",
        "properties": {"p": {"$ref": "#/components/schemas/T"}, "q": MULTI_INLINE},
    },
}


def test_the_object_member_of_a_component_of_several_types_is_a_model(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    """`T: {type: [object, string], properties: …}` gave `class T(RootModel[Any]): root:
    T | str`: the object member was planned at the component's own pointer, which named
    the union itself, and validating an object hit pydantic's recursion_loop. The object
    member is a model of its own, named from the component (`TObject`)."""
    from pydantic import TypeAdapter

    package = build_package(minimal_spec(MULTI))
    assert_package_passes_checkers(package, tmp_path / "mypy")
    models = package.models
    t_value = TypeAdapter(models.T).validate_python({"a": "x"})
    assert isinstance(t_value, models.TObject) and t_value.a == "x"
    assert TypeAdapter(models.T).validate_python("s") == "s"
    a_value = TypeAdapter(models.A).validate_python({"a": 1})
    assert isinstance(a_value, models.AObject) and a_value.a == 1
    assert TypeAdapter(models.A).validate_python(["x"]) == ["x"]
    h_value = models.H.model_validate({"p": {"a": "y"}, "q": {"b": "z"}})
    assert isinstance(h_value.p, models.TObject) and h_value.q.b == "z"
    assert models.N.model_validate({"a": "n"}).a == "n"  # (an object or null: one model)


def test_renaming_such_a_component_renames_its_member_without_a_note(tmp_path: Path) -> None:
    from generator.options import Options
    from generator.pipeline import generate_package

    options = Options(rename_models=(("T", "Thing"),))
    spec = write_spec(tmp_path, minimal_spec(MULTI))
    result = generate_package(spec, tmp_path / "out", options=options)
    assert [d.message for d in result.diagnostics if d.code == "W811"] == []
    models = (tmp_path / "out" / "test_api" / "models").glob("*.py")
    text = "".join(path.read_text(encoding="utf-8") for path in models)
    assert "class ThingObject(ApiModel):" in text and "Thing: TypeAlias = ThingObject | str" in text


def test_a_whole_float_is_the_integer_of_a_literal_of_numbers_and_booleans(
    build_package: BuildPackage,
) -> None:
    """Names audit 18: `enum: [1, true]` took `1.0` as `True` (sent back as `true`), and
    `enum: [0, false, "x"]` `0.0` as `false`: pydantic matches literals by equality. A whole
    float is the integer it equals there; booleans stay booleans."""
    schemas = {
        "H": {
            "type": "object",
            "properties": {"flag": {"enum": [1, True]}, "zero": {"enum": [0, False, "x"]}},
        }
    }
    model = build_package(minimal_spec(schemas, {})).models.H
    built = model.model_validate({"flag": 1.0, "zero": 0.0})
    assert built.model_dump() == {"flag": 1, "zero": 0}
    assert type(built.flag) is int and type(built.zero) is int
    again = model.model_validate({"flag": True, "zero": False})
    assert again.flag is True and again.zero is False
    with pytest.raises(pydantic.ValidationError):
        model.model_validate({"flag": 1.5})


def test_an_enum_of_thousands_of_values_is_a_literal(
    build_package: BuildPackage, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An Enum class costs mypy about 1 ms a member: three of 50,000 took it over 10
    minutes on the package (hostile sweep). Past 5,000 values it is a `Literal` (W410),
    which checks the values all the same."""
    values = [f"v{i}" for i in range(5_001)]
    schemas = {
        "Big": {"type": "string", "enum": values},
        "Small": {"type": "string", "enum": values[:5_000]},
        "Holder": {
            "type": "object",
            "properties": {
                "big": {"$ref": "#/components/schemas/Big"},
                "small": {"$ref": "#/components/schemas/Small"},
            },
        },
    }
    spec = minimal_spec(schemas)
    models = build_package(spec).models
    assert models.Holder(big="v5000", small="v4999").big == "v5000"
    assert issubclass(models.Small, enum.Enum) and not isinstance(models.Big, type)
    with pytest.raises(pydantic.ValidationError):
        models.Holder(big="v5001")
    path = write_spec(tmp_path, spec)
    assert main(["lint", str(path)]) in (0, 1)
    captured = capsys.readouterr()
    warned = [line for line in (captured.out + captured.err).splitlines() if "W410" in line]
    assert len(warned) == 1 and "/components/schemas/Big/enum" in warned[0]
