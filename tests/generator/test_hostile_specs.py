"""Spec text is data: hostile names, descriptions, enums and defaults never execute."""

from __future__ import annotations

import builtins
import inspect
import subprocess
import sys
from pathlib import Path
from typing import Any

import pydantic
import pytest

from generator.cli import main
from generator.runtime._types import field_wire_name
from tests.conftest import BuildPackage, assert_package_passes_checkers, minimal_spec, write_spec

CANARY = "HOSTILE_SPEC_EXECUTED"
PAYLOADS = [
    f'"""\nimport os; os.environ["{CANARY}"] = "1"\n"""',
    f"'''\nimport os; os.environ['{CANARY}'] = '1'\n'''",
    f"\\\"\"\"; import os; os.environ['{CANARY}']='1' #",
    f"\r\nimport os; os.environ['{CANARY}'] = '1'\r\n",
    "{{ 7 * 7 }} {% for x in range(3) %}loop{% endfor %} {# c #}",
    f"__import__('os').environ.__setitem__('{CANARY}', '1')",
    "trailing backslash \\",
    'ends with a quote "',
    "nul \x00 bell \x07 line-sep \u2028 bidi \u202e",
    "\x1b[31mANSI\x1b[0m",
]


def as_docstring(text: str) -> str:
    """What a docstring holds for `text`: newlines normalised, lines right-stripped, cleaned."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")
    return inspect.cleandoc("\n".join(line.rstrip() for line in lines))


def hostile_spec() -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for index, payload in enumerate(PAYLOADS):
        properties[payload] = {
            "type": "string",
            "description": payload,
            "title": payload,
            "default": payload,
            "pattern": payload.replace("\\", "\\\\")[:0] or ".*",
            "enum": [payload, f"{payload}-{index}", ""],
        }
    properties["model_config"] = {"type": "string"}
    properties["model_dump"] = {"type": "integer"}
    properties["json"] = {"type": "boolean"}
    properties["class"] = {"type": "string"}
    properties["str"] = {"type": "string"}
    properties["None"] = {"type": "string"}
    properties["_private"] = {"type": "string"}
    properties["1st"] = {"type": "string"}
    properties["with space"] = {"type": "string"}
    properties["with-dash"] = {"type": "string"}
    properties["año"] = {"type": "string"}
    properties["日本"] = {"type": "string"}
    properties["a'b\"c"] = {"type": "string"}
    properties["withSpace"] = {"type": "string"}  # collides with "with space" once snake-cased
    schemas: dict[str, Any] = {
        "Hostile": {"type": "object", "description": PAYLOADS[0], "properties": properties},
        "..": {"type": "object", "properties": {"x": {"type": "string"}}},
        ".hidden": {"type": "object"},
        "-x-": {"type": "object"},
        "class": {"type": "object", "properties": {"def": {"type": "integer"}}},
        "BaseModel": {"type": "string"},
        "Field": {"type": "integer"},
        "Any": {"type": "object"},
        "None": {"type": "object"},
        "__init__": {"type": "object"},
    }
    for index, payload in enumerate(PAYLOADS):
        schemas[f"Enum{index}"] = {"type": "string", "enum": [payload], "description": payload}
    paths = {
        "/x/{id}": {
            "get": {
                "operationId": "get",
                "summary": PAYLOADS[0],
                "description": PAYLOADS[4],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {
                        "name": "self",
                        "in": "query",
                        "schema": {"type": "string", "default": PAYLOADS[1]},
                    },
                    {"name": "body", "in": "query", "schema": {"type": "string"}},
                    {"name": "timeout", "in": "query", "schema": {"type": "string"}},
                    {
                        "name": PAYLOADS[2],
                        "in": "header",
                        "description": PAYLOADS[3],
                        "schema": {"type": "string"},
                    },
                ],
                "responses": {
                    "200": {
                        "description": PAYLOADS[3],
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Hostile"}}
                        },
                    }
                },
            },
            "post": {
                "operationId": "class",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"204": {"description": "no"}},
            },
        }
    }
    spec = minimal_spec(schemas, paths)
    spec["info"]["title"] = PAYLOADS[0]
    spec["info"]["description"] = PAYLOADS[4]
    spec["info"]["version"] = PAYLOADS[3]
    spec["servers"] = [{"url": f"https://example.test/{PAYLOADS[1]}"}]
    return spec


def test_hostile_text_stays_inert(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CANARY, raising=False)
    package = build_package(hostile_spec())
    import os

    assert CANARY not in os.environ
    models = package.models
    hostile = models.Hostile
    fields = hostile.model_fields
    aliases = {field_wire_name(name, info) for name, info in fields.items()}
    for payload in PAYLOADS:
        assert payload in aliases
    for name in fields:
        assert name.isidentifier() and not name.startswith("_")
        assert name not in ("model_config", "model_dump", "json", "class", "str", "None")
    assert len(fields) == len(aliases)  # every property kept, names unique
    item = hostile.model_validate({PAYLOADS[0]: PAYLOADS[0], "model_config": "x", "class": "c"})
    assert item.model_dump(by_alias=True, exclude_unset=True) == {
        PAYLOADS[0]: PAYLOADS[0],
        "model_config": "x",
        "class": "c",
    }
    defaults = hostile.model_validate({})
    assert (
        getattr(
            defaults, next(n for n, i in fields.items() if field_wire_name(n, i) == PAYLOADS[5])
        )
        == PAYLOADS[5]
    )
    assert inspect.cleandoc(hostile.__doc__ or "") == as_docstring(PAYLOADS[0])
    for index, payload in enumerate(PAYLOADS):
        enum_class = getattr(models, f"Enum{index}")
        assert [m.value for m in enum_class] == [payload]
        assert inspect.cleandoc(enum_class.__doc__ or "") == as_docstring(payload), payload


def test_hostile_names_stay_inside_the_output(tmp_path: Path) -> None:
    spec_path = write_spec(tmp_path, hostile_spec())
    output = tmp_path / "out" / "pkg"
    assert (
        main(["generate", str(spec_path), "--output", str(output), "--package-name", "hostile_pkg"])
        == 0
    )
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert all(str(p).startswith(("out/pkg/", "spec.yaml")) for p in written), written
    assert not Path("/tmp/escape").exists()
    compiled = subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr


def test_illegal_component_names_are_linted_but_generate_safely(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], build_package: BuildPackage
) -> None:
    """`lint` refuses a component key outside `^[a-zA-Z0-9._-]+$`; `generate` (lenient)
    warns and names the model through the naming authority: nothing escapes."""
    spec = minimal_spec({'../../escape"; import os #': {"type": "string", "maxLength": 2}})
    spec_path = write_spec(tmp_path, spec)
    assert main(["lint", str(spec_path)]) == 1
    assert main(["generate", str(spec_path), "--output", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().err
    assert "E201 warning" in out and "does not match" in out
    written = {p.relative_to(tmp_path / "out") for p in (tmp_path / "out").rglob("*")}
    assert all(".." not in p.parts for p in written)
    package = build_package(spec)
    (alias,) = [n for n in package.models.__all__ if n.lower().startswith("escape")]
    assert alias.isidentifier()


def test_builtins_untouched_after_import(build_package: BuildPackage) -> None:
    before = dict(vars(builtins))
    build_package(hostile_spec())
    assert dict(vars(builtins)).keys() == before.keys()


@pytest.mark.parametrize(
    "ref",
    ["https://example.com/schemas.yaml#/Pet", "http://127.0.0.1:1/x.json", "file:///etc/passwd"],
)
def test_remote_refs_are_refused_not_fetched(
    tmp_path: Path, ref: str, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = minimal_spec({"Pet": {"$ref": ref}})
    spec_path = write_spec(tmp_path, spec)
    output = tmp_path / "out"
    assert main(["generate", str(spec_path), "--output", str(output)]) == 1
    out = capsys.readouterr().err
    assert "E101" in out and "refused" in out
    assert not output.exists()


def test_file_refs_may_not_leave_the_spec_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "secret.yaml").write_text("Pet: {type: string}\n")
    inner = tmp_path / "specs"
    inner.mkdir()
    spec_path = write_spec(inner, minimal_spec({"Pet": {"$ref": "../secret.yaml#/Pet"}}))
    assert main(["generate", str(spec_path), "--output", str(tmp_path / "out")]) == 1
    assert "E102" in capsys.readouterr().err


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "minLength": 2_000_000_000},
        {"type": "array", "minItems": 2_000_000_000, "items": {"type": "integer"}},
        {  # 300^3 values, nested
            "type": "array",
            "minItems": 300,
            "items": {
                "type": "array",
                "minItems": 300,
                "items": {"type": "array", "minItems": 300, "items": {"type": "string"}},
            },
        },
        {"type": "number", "multipleOf": 1e-320},
        {"type": "integer", "minimum": 1e300, "maximum": 1e301},
        {"type": "integer", "minimum": 10**400, "multipleOf": 7},
    ],
    ids=["min-length", "min-items", "nested-min-items", "tiny-multiple", "huge-float", "huge-int"],
)
def test_examples_are_not_written_for_sizes_and_bounds_out_of_reach(
    build_package: BuildPackage, schema: dict[str, Any]
) -> None:
    """The README's and the test kit's examples are synthesised from the schemas: a
    `minLength` of two billion made `generate` run for minutes into gigabytes (a 287 MB
    README at 50 million), and bounds past a float's range crashed it (E900,
    OverflowError). Such a body gets no synthesised example; the package is whole."""
    spec = minimal_spec(
        {},
        {
            "/p": {
                "post": {
                    "operationId": "p",
                    "requestBody": {"content": {"application/json": {"schema": schema}}},
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    )
    package = build_package(spec)
    root = Path(str(package.__file__)).parent
    assert (root.parent / "README.md").stat().st_size < 100_000
    assert (root / "testing.py").stat().st_size < 100_000


def test_a_list_or_object_default_of_a_parameter_is_not_a_mutable_argument(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    """`e: list[str] | None = ["x"]` failed `ruff check` (B006, a default shared between
    calls): a list or object default is left to the server, as OpenAPI's `default` is
    what the server assumes when the parameter is not sent (as every optional one's is now)."""
    parameters = [
        {"name": n, "in": "query", "schema": schema}
        for n, schema in (
            ("fields", {"type": "array", "items": {"type": "string"}, "default": ["x"]}),
            ("filter", {"type": "object", "default": {"a": 1}}),
            ("limit", {"type": "integer", "default": 10}),
        )
    ]
    operation = {
        "operationId": "p",
        "parameters": parameters,
        "responses": {"204": {"description": "ok"}},
    }
    package = build_package(minimal_spec({}, {"/p": {"get": operation}}))
    assert_package_passes_checkers(package, tmp_path / "mypy")
    signature = inspect.signature(package.Client().p.retrieve)
    defaults = {name: p.default for name, p in signature.parameters.items()}
    assert defaults == {**defaults, "fields": None, "filter": None, "limit": None}


def test_binary_media_types_that_no_method_returns_import_nothing(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    """An error answered in XML (24 directory specs: magento, docker, bitbucket…) or a
    page's XML alternative (zoom's call logs) imported `BinaryResponse` for no use: ruff's
    F401 in the generated package. A paged method's return type is also not written."""
    logs = {
        "type": "object",
        "properties": {
            "next_page_token": {"type": "string"},
            "logs": {"type": "array", "items": {"type": "string"}},
        },
    }
    both = {
        "application/json": {"schema": {"$ref": "#/components/schemas/Logs"}},
        "application/xml": {"schema": {"$ref": "#/components/schemas/Logs"}},
    }
    token = {"name": "next_page_token", "in": "query", "schema": {"type": "string"}}
    paths = {
        "/logs": {
            "get": {
                "operationId": "listLogs",
                "parameters": [token],
                "responses": {"200": {"description": "ok", "content": both}},
            }
        },
        "/ref": {
            "get": {
                "operationId": "getRef",
                "responses": {
                    "200": {"description": "ok", "content": {"text/plain": {}}},
                    "404": {"description": "none", "content": {"application/xml": {}}},
                },
            }
        },
    }
    package = build_package(minimal_spec({"Logs": logs}, paths))
    assert_package_passes_checkers(package, tmp_path / "mypy")


@pytest.mark.parametrize("codec", ["latin-1", "utf-7"])
def test_a_spec_file_name_declares_no_encoding(build_package: BuildPackage, codec: str) -> None:
    """Every module's first line names the spec's file; a file called `api coding=latin-1
    .yaml` made that line a PEP 263 declaration, so Python read every module as Latin-1
    (`"café"` came back `"cafÃ©"`, silently) or, with UTF-7, could not import the package."""
    schemas = {"Color": {"type": "string", "enum": ["café", "thé"]}}
    package = build_package(minimal_spec(schemas), filename=f"api coding={codec} .yaml")
    assert [m.value for m in package.models.Color] == ["café", "thé"]
    first = Path(str(package.__file__)).read_text(encoding="utf-8").splitlines()[0]
    assert "coding =" in first and "coding=" not in first


def test_schemas_that_admit_only_null_are_none_however_spelled(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    """`type: 'null'` was typed `None`, but the same schema through a `$ref` to it or as
    every member of an `anyOf`, `oneOf` or `allOf` became an alias `N: TypeAlias = None`,
    so an optional field of it was `N | None`: `None | None`, a TypeError when the model
    was built (mypy and ruff passed)."""
    null = {"type": "null"}
    ref = {"$ref": "#/components/schemas/N"}
    schemas: dict[str, Any] = {
        "N": null,
        "N2": ref,
        "N3": {"oneOf": [null]},
        "N4": {"allOf": [null]},
        "N5": {"anyOf": [{"const": None}, {"enum": [None]}]},
        "N6": {"allOf": [ref]},
    }
    fields = {f"n{i}": {"$ref": f"#/components/schemas/N{i}"} for i in range(2, 7)}
    schemas["M"] = {"type": "object", "properties": fields}
    package = build_package(minimal_spec(schemas))
    assert package.models.M.model_validate({}).model_dump() == dict.fromkeys(fields)
    assert package.models.M.model_validate(dict.fromkeys(fields)).n6 is None
    assert_package_passes_checkers(package, tmp_path / "mypy")


def test_a_length_bound_past_a_machine_word_is_no_bound(build_package: BuildPackage) -> None:
    """`maxLength: 99999999999999999999` (or `minItems`, `maxItems`, `minLength` from
    2**63) went into `Field(max_length=...)`, and pydantic-core raised OverflowError when
    the model was built: no string or list is that long, so the bound is left out."""
    huge = 99999999999999999999
    properties = {
        "s": {"type": "string", "maxLength": huge, "minLength": 1},
        "a": {"type": "array", "items": {"type": "integer"}, "maxItems": huge},
        "b": {"type": "array", "items": {"type": "integer"}, "minItems": 2**63},
        "t": {"type": "string", "maxLength": 2**63 - 1},
    }
    package = build_package(minimal_spec({"M": {"type": "object", "properties": properties}}))
    built = package.models.M.model_validate({"s": "x", "a": [1], "b": [], "t": "y"})
    assert (built.s, built.a, built.t) == ("x", [1], "y")
    with pytest.raises(pydantic.ValidationError):
        package.models.M.model_validate({"s": ""})


@pytest.mark.parametrize("required", ["label", True, {"label": 1}])
def test_a_required_that_is_no_list_requires_nothing(
    required: Any, build_package: BuildPackage
) -> None:
    """Mutation audit 24: `required: label` (YAML's slip for `[label]`) was read letter by
    letter (`l`, `a`, `b` required, `label` not), `required: true` on an object (or a request
    body's, reached through an `allOf` `$ref`) raised E900 at 1:1. A `required` that is no
    list requires nothing, as the E201 warning says."""
    number = {"type": "number"}
    point = {"label": {"type": "string"}, "l": number, "a": number, "b": number}
    schema = {"type": "object", "required": required, "properties": point}
    models = build_package(minimal_spec({"Point": schema, "Both": {"allOf": [schema]}}, {})).models
    assert models.Point().label is None and models.Both().a is None
