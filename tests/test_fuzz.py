"""Fuzzing: no input makes load, lint or generate raise anything but a SpecError.

Random OpenAPI-shaped documents (schemas with every composition keyword, refs
that resolve, dangle or point away, patterns, formats, examples, defaults),
random YAML-ish text and random bytes go through `load_spec`, `lint_spec` and
`generate_package` (into a temporary folder). A SpecError is a diagnostic, the
expected outcome for bad input; any other exception fails the test.

The examples are derandomized (a fixed seed per test) and few, so `make test`
runs them in seconds; `make fuzz` runs many more (`FUZZ_EXAMPLES`, default
2,000 there), and `FUZZ_RANDOM=1` draws fresh examples instead of the fixed ones.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import SpecError
from generator.lint import Profile, lint_spec
from generator.load import load_spec
from generator.pipeline import generate_package

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
GENERATE_EXAMPLES = max(EXAMPLES // 6, 5)
FUZZ = settings(
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,
    deadline=None,
    max_examples=EXAMPLES,
    suppress_health_check=list(HealthCheck),
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["", "\x1b[2J", "\ud800", "2023-01-15", "a@b", "{x}", "$ref", "é"])
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)
names = st.sampled_from(["A", "B", "C", "class", "None", "a b", "é", "1x", "model_config", "_"])
refs = st.sampled_from(
    [
        "#/components/schemas/A",
        "#/components/schemas/B",
        "#/components/schemas/C",
        "#/components/schemas/Missing",
        "#/paths",
        "#",
        "#/components/schemas/A/properties/x",
        "other.yaml#/X",
        "../outside.yaml",
        "http://127.0.0.1:9/x",
        "file:///etc/hostname",
    ]
)
patterns = st.sampled_from(
    [r"^[a-z]+$", r"^(a+)+$", r"\p{L}", r"(?=a)b", r"(a)\1", "[", r"[\w-\.]", r"\d{2,}", "("]
)
leaf_schema = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(
            ["string", "integer", "number", "boolean", "object", "array", "null"]
        )
        | st.lists(st.sampled_from(["string", "null", "integer"]), max_size=2)
        | values,
        "format": st.sampled_from(["date-time", "date", "email", "uuid", "regex", "int32", "byte"]),
        "pattern": patterns,
        "enum": st.lists(scalars, max_size=3),
        "const": scalars,
        "example": values,
        "examples": st.lists(values, max_size=2),
        "default": values,
        "nullable": st.booleans(),
        "minimum": st.integers(-5, 5),
        "maxLength": st.integers(0, 3),
        "uniqueItems": st.booleans(),
        "required": st.lists(names, max_size=2),
        "$ref": refs,
        "$dynamicRef": st.sampled_from(["#meta", "http://127.0.0.1:9/m"]),
        "$schema": st.sampled_from(["https://json-schema.org/draft/2020-12/schema", "http://x/y"]),
        "discriminator": st.fixed_dictionaries({"propertyName": names}),
        "x-sensitive": st.booleans(),
    },
)
schemas = st.recursive(
    leaf_schema,
    lambda inner: st.fixed_dictionaries(
        {},
        optional={
            "type": st.sampled_from(["object", "array"]),
            "properties": st.dictionaries(names, inner, max_size=3),
            "items": inner,
            "allOf": st.lists(inner, max_size=2),
            "anyOf": st.lists(inner, max_size=2),
            "oneOf": st.lists(inner, max_size=2),
            "not": inner,
            "additionalProperties": inner | st.booleans(),
            "patternProperties": st.dictionaries(patterns, inner, max_size=1),
            "example": values,
        },
    ),
    max_leaves=8,
)
parameters = st.fixed_dictionaries(
    {
        "name": names,
        "in": st.sampled_from(["path", "query", "header", "cookie", "body", "querystring"]),
        "schema": schemas,
    },
    optional={"required": st.booleans(), "style": st.sampled_from(["form", "deepObject"])},
)
operations = st.fixed_dictionaries(
    {
        "responses": st.dictionaries(
            st.sampled_from(["200", "201", "204", "400", "404", "default", "2XX"]),
            st.fixed_dictionaries(
                {"description": st.text(max_size=8)},
                optional={
                    "content": st.fixed_dictionaries(
                        {
                            "application/json": st.fixed_dictionaries(
                                {},
                                optional={
                                    "schema": schemas,
                                    "example": values,
                                    "itemSchema": schemas,
                                },
                            )
                        }
                    )
                },
            ),
            max_size=3,
        )
    },
    optional={
        "operationId": names,
        "parameters": st.lists(parameters | st.fixed_dictionaries({"$ref": refs}), max_size=2),
        "requestBody": st.fixed_dictionaries(
            {
                "content": st.fixed_dictionaries(
                    {"application/json": st.fixed_dictionaries({"schema": schemas})}
                )
            }
        ),
        "security": st.lists(
            st.dictionaries(names, st.lists(st.text(max_size=4), max_size=1), max_size=1),
            max_size=1,
        ),
    },
)
documents = st.fixed_dictionaries(
    {
        "openapi": st.sampled_from(["3.1.0", "3.0.3", "3.1.1", "3.2.0"]),
        "info": st.fixed_dictionaries(
            {
                "title": st.text(max_size=12),
                "version": st.sampled_from(["1.0", "v2", "\u0661", "x"]),
            }
        ),
        "paths": st.dictionaries(
            st.sampled_from(["/a", "/a/{id}", "/{x}/{y}", "/b"]),
            st.dictionaries(
                st.sampled_from(["get", "post", "put", "delete", "query", "additionalOperations"]),
                operations,
                max_size=2,
            ),
            max_size=2,
        ),
        "components": st.fixed_dictionaries(
            {
                "schemas": st.dictionaries(
                    st.sampled_from(["A", "B", "C"]) | names, schemas, max_size=4
                )
            },
            optional={
                "securitySchemes": st.dictionaries(
                    names,
                    st.sampled_from(
                        [
                            {"type": "http", "scheme": "bearer"},
                            {"type": "apiKey", "in": "header", "name": "X-Key"},
                            {"type": "openIdConnect", "openIdConnectUrl": "http://127.0.0.1:9/o"},
                        ]
                    ),
                    max_size=2,
                )
            },
        ),
    },
    optional={
        "security": st.just([]),
        "servers": st.just([{"url": "https://x.test/{v}"}]),
        # 3.2's tag hierarchy: parents that exist, do not, or form cycles
        "tags": st.lists(
            st.fixed_dictionaries(
                {"name": st.sampled_from(["a", "b", "c"])},
                optional={"parent": st.sampled_from(["a", "b", "c", "x"]), "kind": names},
            ),
            max_size=4,
        ),
    },
)
YAML_ALPHABET = "{}[]:,-&*!|>'\"#%@`? \n\t\\ab01xyz<=.$~"


def _write(folder: Path, document: Any, as_json: bool) -> Path:
    path = folder / ("spec.json" if as_json else "spec.yaml")
    if as_json:
        path.write_text(json.dumps(document), encoding="utf-8", errors="surrogatepass")
    else:
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


def _load_and_lint(path: Path) -> None:
    try:
        spec = load_spec(path)
    except SpecError:
        return
    lint_spec(spec, Profile.STRICT)
    lint_spec(spec, Profile.GENERATE)


@FUZZ
@given(document=documents, as_json=st.booleans())
def test_random_documents_load_and_lint(document: dict[str, Any], as_json: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _load_and_lint(_write(Path(folder), document, as_json))


@settings(FUZZ, max_examples=GENERATE_EXAMPLES)
@given(document=documents, as_json=st.booleans())
def test_random_documents_generate(document: dict[str, Any], as_json: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), document, as_json)
        try:
            generate_package(path, Path(folder) / "out", package_name="fuzzed")
        except SpecError:
            pass


@FUZZ
@given(data=st.binary(max_size=400), as_json=st.booleans(), header=st.booleans())
def test_random_bytes(data: bytes, as_json: bool, header: bool) -> None:
    """Random bytes, alone or after a valid first line (so that they reach the YAML parser)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("spec.json" if as_json else "spec.yaml")
        path.write_bytes((b"openapi: 3.1.0\n" if header and not as_json else b"") + data)
        _load_and_lint(path)


@FUZZ
@given(text=st.text(alphabet=YAML_ALPHABET, max_size=300))
def test_random_yaml_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "spec.yaml"
        path.write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\n" + text, encoding="utf-8")
        _load_and_lint(path)
