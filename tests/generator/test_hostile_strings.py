"""Property test: arbitrary strings in every spec position that can reach code stay data.

Hypothesis puts strings made of quotes, brackets, `|`, `#`, backslashes, newlines,
NUL, U+2028, lone surrogates and Python that would create a canary file into names
of every kind, `const`, `enum`, `default`, `example`, `pattern`, `format`,
descriptions, server URLs, header and parameter names. Every generated package
must compile, import and build every model; each value must round-trip exactly;
and the canary must never exist. `make test` runs a fixed seed and few examples;
`make fuzz` runs many more (`FUZZ_EXAMPLES`).
"""

from __future__ import annotations

import importlib
import json
import os
import re
import sys
import typing
import uuid
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.load import escape_pointer_token
from generator.pipeline import generate_package
from generator.runtime._types import field_wire_name
from tests.conftest import assert_package_builds

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
CANARY = Path(__file__).resolve().parent / "HOSTILE_CANARY"
CODE = [
    f"__import__('pathlib').Path({str(CANARY)!r}).touch()",
    f'open({str(CANARY)!r}, "w")',
    f"]|__import__('pathlib').Path({str(CANARY)!r}).touch()|Z",
    '"""; import os; os.system("touch CANARY") #',
    "{{ cycler.__init__.__globals__.os }}{% raw %}",
]
PIECES = [
    '"', "'", '"""', "'''", "\\", "\\\\", "[", "]", "(", ")", "{", "}", "|", "]|", "|[", "#",
    "\n", "\r", "\r\n", "\t", "\x00", "\x1b[2J", "\u2028", "\u2029", "\ud800", "\udfff",
    "\u202e", "é", "日本", "`", "$", "%s", "{0}", " ", "Any", "None", "class", "Field(",
]  # fmt: skip

hostile = st.lists(
    st.one_of(st.sampled_from(PIECES), st.sampled_from(CODE), st.text(max_size=3)),
    min_size=1,
    max_size=6,
).map("".join)
# values that travel on the wire or name a field: a lone surrogate cannot be encoded as UTF-8
# on the wire at all (pydantic-core refuses it as an alias); those stay in the text positions
wire_safe = hostile.filter(lambda text: not any("\ud800" <= c <= "\udfff" for c in text))
TEXT_POSITIONS = {"title", "text", "url", "operation", "tag"}


def _spec(values: dict[str, str]) -> dict[str, Any]:
    name = values["schema"]
    prop = values["property"]
    ref = "#/components/schemas/" + escape_pointer_token(name)
    return {
        "openapi": "3.1.0",
        "info": {"title": values["title"], "version": "1.0.0", "description": values["text"]},
        "servers": [{"url": "https://api.example.test/" + values["url"]}],
        "paths": {
            "/items/{id}": {
                "post": {
                    "operationId": values["operation"],
                    "summary": values["text"],
                    "tags": [values["tag"]],
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": values["header"], "in": "header", "schema": {"type": "string"}},
                        {"name": values["query"], "in": "query", "schema": {"type": "string", "default": values["default"]}},
                    ],
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": ref}}}},
                    "responses": {
                        "200": {
                            "description": values["text"],
                            "content": {
                                "application/json": {
                                    "schema": {"anyOf": [{"const": values["const"]}, {"const": values["const2"]}]},
                                    "example": values["const"],
                                }
                            },
                        }
                    },
                    "security": [{values["scheme"]: []}],
                }
            }
        },
        "components": {
            "securitySchemes": {
                values["scheme"]: {"type": "apiKey", "in": "header", "name": values["header2"]}
            },
            "schemas": {
                name: {
                    "type": "object",
                    "title": values["text"],
                    "description": values["text"],
                    "properties": {
                        prop: {"type": "string", "description": values["text"], "example": values["example"]},
                        "enumerated": {"type": "string", "enum": [values["enum"], values["enum"] + "2"]},
                        "constant": {"const": values["const"]},
                        "either": {"anyOf": [{"const": values["const"]}, {"const": values["const2"]}]},
                        "defaulted": {"type": "string", "default": values["default"]},
                        "patterned": {"type": "string", "pattern": "^" + re.escape(values["pattern"]) + "$"},
                        "formatted": {"type": "string", "format": values["format"]},
                    },
                }
            },
        },
    }  # fmt: skip


POSITIONS = [
    "property", "title", "text", "url", "operation", "tag", "header", "header2",
    "query", "enum", "const", "const2", "default", "example", "pattern", "format",
]  # fmt: skip
# component keys outside ^[a-zA-Z0-9._-]+$ (the OpenAPI metaschema) are E201 for lint and a
# warning for generate, which names them through the naming authority like any other
component_key = st.one_of(
    st.sampled_from(["Any", "Field", "None", "class", "..", "-x-", "__init__", "_", "1st", "a.b"]),
    st.text(alphabet="aZ09._-", min_size=1, max_size=8),
    wire_safe,
)


@settings(
    max_examples=EXAMPLES,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.fixed_dictionaries(
        {
            **{
                position: hostile if position in TEXT_POSITIONS else wire_safe
                for position in POSITIONS
            },
            "schema": component_key,
            "scheme": component_key,
        }
    )
)
def test_hostile_strings_stay_data(tmp_path: Path, values: dict[str, str]) -> None:
    if values["const"] == values["const2"]:
        values["const2"] += "x"
    name = f"hostile_{uuid.uuid4().hex[:10]}"
    work = tmp_path / name
    work.mkdir()
    spec_path = work / "spec.json"
    spec_path.write_text(json.dumps(_spec(values)), encoding="utf-8")
    generate_package(spec_path, work / "out", package_name=name)
    for source in (work / "out").rglob("*.py"):
        compile(source.read_text(encoding="utf-8"), str(source), "exec")
    sys.path.insert(0, str(work / "out"))
    try:
        package = importlib.import_module(name)
        assert_package_builds(package)
        _check_round_trips(package, values)
    finally:
        sys.path.remove(str(work / "out"))
        for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
            del sys.modules[key]
    assert not CANARY.exists(), "spec text ran as code"


def _check_round_trips(package: Any, values: dict[str, str]) -> None:
    models = package.models
    model = next(
        getattr(models, n)
        for n in models.__all__
        if hasattr(getattr(models, n), "model_fields")
        and "constant" in {_wire(k, f) for k, f in getattr(models, n).model_fields.items()}
    )
    fields = {_wire(key, info): (key, info) for key, info in model.model_fields.items()}
    assert values["property"] in fields  # the property keeps its exact wire name
    assert typing.get_args(_inner(fields["constant"][1].annotation)) == (values["const"],)
    assert set(typing.get_args(_inner(fields["either"][1].annotation))) == {
        values["const"],
        values["const2"],
    }
    enum_type = _inner(fields["enumerated"][1].annotation)
    assert [member.value for member in enum_type] == [values["enum"], values["enum"] + "2"]
    instance = model.model_validate(
        {values["property"]: values["example"], "patterned": values["pattern"]}
    )
    dumped = instance.model_dump(by_alias=True, exclude_unset=True)
    assert dumped == {values["property"]: values["example"], "patterned": values["pattern"]}
    assert instance.defaulted == values["default"]


def _wire(key: str, info: Any) -> str:
    """A field's wire name: its alias when it has one (the empty string is a name too)."""
    return field_wire_name(key, info)


def _inner(annotation: Any) -> Any:
    """`X | None` → X."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if type(None) in typing.get_args(annotation) and len(args) == 1:
        return args[0]
    return annotation


def test_an_api_key_name_http_cannot_carry_is_left_out(tmp_path: Path) -> None:
    """Header and cookie parameters got W311; a security scheme's name did not: every call
    failed in h11 (`LocalProtocolError`), and a CR LF would go on a wire that does not check."""
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "S", "version": "1"},
        "servers": [{"url": "https://api.example.test"}],
        "security": [{"bad/one": []}, {"good": []}],
        "paths": {
            "/a": {"get": {"operationId": "getA", "responses": {"200": {"description": "ok"}}}}
        },
        "components": {
            "securitySchemes": {
                "bad/one": {"type": "apiKey", "in": "header", "name": "Bad Key\r\nX-Injected: 1"},
                "crumb": {"type": "apiKey", "in": "cookie", "name": "a;b"},
                "good": {"type": "apiKey", "in": "header", "name": "X-Key"},
            }
        },
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    result = generate_package(path, tmp_path / "out", package_name="keys")
    found = [d for d in result.diagnostics if d.code == "W311"]
    assert [d.location.pointer for d in found] == [
        "/components/securitySchemes/bad~1one/name",
        "/components/securitySchemes/crumb/name",
    ]
    client = (tmp_path / "out" / "keys" / "_client.py").read_text(encoding="utf-8")
    assert "X-Injected" not in client and "good: Credential | None = None" in client


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    pointer=st.sampled_from(["", "#", "/components/schemas", "/a~1b~0c"]),
    tokens=st.lists(st.one_of(st.text("ab/~01 é", max_size=6), st.integers(0, 99)), max_size=4),
)
def test_a_joined_pointer_escapes_each_token(pointer: str, tokens: list[str | int]) -> None:
    """`join_pointer` (which skips escaping when no token needs it) is each token escaped
    and appended, and splits back into the tokens."""
    from generator.load import join_pointer, split_pointer

    expected = pointer + "".join("/" + escape_pointer_token(str(t)) for t in tokens)
    joined = join_pointer(pointer, *tokens)
    assert joined == expected
    if pointer in ("", "#"):
        assert split_pointer(joined) == [str(t) for t in tokens]
