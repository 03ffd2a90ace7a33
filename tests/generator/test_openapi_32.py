"""OpenAPI 3.2 documents: accepted and checked against the 3.2 metaschema, offline; what 3.2 adds
is read from 3.2 documents only (in 3.0/3.1 the same keys are unknown: E201, ignored)."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator import typeir as t
from generator.diagnostics import Severity, SpecError
from generator.ir_build import build_api
from generator.lint import Profile, iter_operations, lint_spec
from generator.load import load_spec
from generator.pipeline import generate_package
from tests.conftest import BuildPackage, method, write_spec

INFO = {"title": "Three two", "version": "1"}
OK = {"200": {"description": "ok"}, "400": {"description": "bad"}}


def _spec(paths: dict[str, Any], version: str = "3.2.0", **extra: Any) -> dict[str, Any]:
    return {"openapi": version, "info": INFO, "security": [], "paths": paths, **extra}


def _lint(tmp_path: Path, spec: dict[str, Any], profile: Profile = Profile.STRICT) -> list[Any]:
    return lint_spec(load_spec(write_spec(tmp_path, spec, "spec.json")), profile)


def test_a_minimal_32_document_lints_clean(tmp_path: Path) -> None:
    spec = _spec(
        {"/a": {"query": {"operationId": "q", "responses": OK}}},
        servers=[{"url": "https://x.test", "name": "prod"}],
        **{"$self": "https://x.test/openapi.json"},
    )
    assert _lint(tmp_path, spec) == []


@pytest.mark.parametrize("version", ["3.3.0", "3.2", "4.0.0"])
def test_other_versions_are_still_refused(tmp_path: Path, version: str) -> None:
    with pytest.raises(SpecError) as raised:
        load_spec(write_spec(tmp_path, _spec({}, version), "spec.json"))
    assert [d.code for d in raised.value.diagnostics] == ["E003"]
    assert "expected 3.0.x, 3.1.x or 3.2.x" in raised.value.diagnostics[0].message


def test_the_32_metaschema_is_applied(tmp_path: Path) -> None:
    """An `additionalOperations` key naming a fixed method, a querystring parameter without
    `content`, and a Schema Object against the OpenAPI 3.2 dialect (an unknown `xml.nodeType`)."""
    spec = _spec(
        {
            "/a": {
                "additionalOperations": {"GET": {"operationId": "g", "responses": OK}},
                "get": {
                    "operationId": "a",
                    "parameters": [{"name": "q", "in": "querystring", "schema": {}}],
                    "responses": OK,
                },
            }
        },
        components={"schemas": {"A": {"type": "object", "xml": {"nodeType": "bad"}}}},
    )
    found = [(d.code, d.location.pointer) for d in _lint(tmp_path, spec) if d.code == "E201"]
    assert ("E201", "/components/schemas/A/xml/nodeType") in found
    assert any(p.startswith("/paths/~1a/additionalOperations") for _, p in found), found
    assert any(p.startswith("/paths/~1a/get/parameters/0") for _, p in found), found


def test_32_checks_fetch_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dialect's `$ref`s are served from the bundled metaschemas; a schema naming an unknown
    dialect is an error, never a download (the retriever refuses it)."""
    import socket

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    spec = _spec(
        {},
        components={
            "schemas": {
                "A": {"$schema": "https://example.test/dialect", "type": "object"},
                "B": {"type": "object", "discriminator": {"propertyName": "k"}},
            }
        },
    )
    found = [d for d in _lint(tmp_path, spec) if d.code == "E201"]
    assert len(found) == 1 and "unknown JSON Schema dialect" in found[0].message


def test_additional_operation_without_operation_id_is_named_and_labelled(
    tmp_path: Path,
) -> None:
    spec = _spec({"/a": {"additionalOperations": {"LINK": {"responses": OK}}}})
    codes = [(d.code, d.message) for d in _lint(tmp_path, spec)]
    assert ("E301", "LINK /a has no operationId") in codes
    api = build_api(load_spec(write_spec(tmp_path, spec, "spec.json")), "pkg", "spec.json")
    assert [(op.name, op.http_method) for op in api.operations] == [("link_a", "LINK")]


def test_new_32_fields_are_ignored_in_31(tmp_path: Path) -> None:
    """`query`, `additionalOperations`, `itemSchema` and `in: querystring` are unknown in 3.1:
    reported, and not read (no operation, no item model, no parameter)."""
    paths = {
        "/a": {
            "query": {"operationId": "q", "responses": OK},
            "additionalOperations": {"COPY": {"operationId": "c", "responses": OK}},
            "get": {
                "operationId": "g",
                "parameters": [
                    {
                        "name": "qs",
                        "in": "querystring",
                        "content": {"application/x-www-form-urlencoded": {"schema": {}}},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/jsonl": {"itemSchema": {"type": "object"}}},
                    }
                },
            },
        }
    }
    path = write_spec(tmp_path, _spec(paths, "3.1.0"), "spec.json")
    assert [method for _, method, _, _ in iter_operations(load_spec(path).document)] == ["GET"]
    api = build_api(load_spec(path), "pkg", "spec.json")
    (operation,) = api.operations
    assert operation.parameters == () and operation.responses[0].type is None
    assert api.models == ()


def test_querystring_that_is_not_a_form_object_is_left_out_with_w307(
    tmp_path: Path, build_package: BuildPackage
) -> None:
    parameter = {
        "name": "q",
        "in": "querystring",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
    spec = _spec({"/a": {"get": {"operationId": "a", "parameters": [parameter], "responses": OK}}})
    path = write_spec(tmp_path, spec, "spec.json")
    result = generate_package(path, tmp_path / "out", package_name="qs_pkg")
    (warning,) = [d for d in result.diagnostics if d.code == "W307"]
    assert warning.severity is Severity.WARNING
    assert warning.location.pointer == "/paths/~1a/get/parameters/0"
    assert "querystring parameter 'q'" in warning.message and "left out" in warning.message
    package = build_package(spec, filename="spec.json")
    retrieve = method(package.Client(base_url="https://x.test"), "a.retrieve")
    assert "q" not in inspect.signature(retrieve).parameters


def test_self_references_resolve_in_the_document(tmp_path: Path) -> None:
    item = {"type": "object", "properties": {"id": {"type": "string"}}}
    own = "https://x.test/apis/openapi.json"
    schema = {"$ref": own + "#/components/schemas/I"}
    response = {"description": "ok", "content": {"application/json": {"schema": schema}}}
    spec = _spec(
        {"/a": {"get": {"operationId": "a", "responses": {"200": response, "400": OK["400"]}}}},
        components={"schemas": {"I": item}},
        **{"$self": own},
    )
    assert _lint(tmp_path, spec) == []
    api = build_api(load_spec(write_spec(tmp_path, spec, "spec.json")), "pkg", "spec.json")
    # (`I` itself is a name ruff calls ambiguous, E742: the class is `I_`)
    assert str(api.operations[0].return_type) == "ModelRef(name='I_')"
    # another URI is still a remote reference: refused, never fetched
    spec["$self"] = "https://elsewhere.test/openapi.json"
    with pytest.raises(SpecError) as raised:
        load_spec(write_spec(tmp_path, spec, "spec.json"))
    assert [d.code for d in raised.value.diagnostics] == ["E101"]


def test_a_referenced_32_document_is_named_by_its_self(tmp_path: Path) -> None:
    """dcg's `self_spelled_external_ref`: a file the spec references declares `$self` and
    spells its own references with it; they resolve in that file, nothing is fetched."""
    own = "https://library.test/v2/library.yaml"
    library = _spec(
        {},
        components={
            "schemas": {
                "Page": {"type": "integer", "minimum": 1},
                "Listing": {
                    "type": "object",
                    "properties": {"page": {"$ref": own + "#/components/schemas/Page"}},
                },
            }
        },
        **{"$self": own},
    )
    write_spec(tmp_path, library, "library.json")
    listing = {"$ref": "library.json#/components/schemas/Listing"}
    response = {"description": "ok", "content": {"application/json": {"schema": listing}}}
    spec = _spec({"/a": {"get": {"operationId": "a", "responses": {"200": response}}}})
    api = build_api(load_spec(write_spec(tmp_path, spec, "spec.json")), "pkg", "spec.json")
    listing_model = next(m for m in api.models if m.name == "Listing")
    assert [f.type for f in listing_model.fields] == [t.optional(t.ModelRef("Page"))]
    # the same `$self` in a JSON Schema file names nothing: the reference stays remote
    del library["openapi"]
    write_spec(tmp_path, library, "library.json")
    with pytest.raises(SpecError) as raised:
        load_spec(write_spec(tmp_path, spec, "spec.json"))
    assert [d.code for d in raised.value.diagnostics] == ["E101"]


def test_metaschema_rules_are_reported_as_sentences(tmp_path: Path) -> None:
    """The 3.2 metaschema's `not` and `contains` rules: jsonschema's messages quote the whole
    parameter list and the rule; the diagnostics say what is wrong instead."""
    form = {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}
    parameters = [
        {"name": "a", "in": "query", "schema": {"type": "string"}},
        {"name": "q", "in": "querystring", "content": form},
        {"name": "r", "in": "querystring", "content": form},
        {"name": "h", "in": "header", "schema": {"type": "string"}, "example": "x", "examples": {}},
    ]
    spec = _spec(
        {
            "/a": {
                "get": {"operationId": "a", "parameters": parameters, "responses": OK},
                "additionalOperations": {"POST": {"operationId": "p", "responses": OK}},
            }
        }
    )
    messages = {d.message for d in _lint(tmp_path, spec) if d.code == "E201"}
    assert {
        "parameters `in: query` and `in: querystring` may not be used together",
        "at most one parameter may be `in: querystring`",
        "`example` and `examples` may not both be given",
        "POST is a fixed method: declare it as the path item's `post`, not in "
        "`additionalOperations`",
    } <= messages, messages
    assert not any("{" in message for message in messages), messages


def test_a_method_no_request_can_carry_is_said_to_be_left_out(tmp_path: Path) -> None:
    """An `additionalOperations` key that is no HTTP token (`A B`) is left out of the
    package; the warning said it "kept the name" (hostile audit 17)."""
    spec = _spec({"/a": {"additionalOperations": {"A B": {"operationId": "s", "responses": OK}}}})
    found = [d for d in _lint(tmp_path, spec, Profile.GENERATE) if d.code == "E201"]
    assert [d.repair for d in found] == [
        "the operation is left out: no HTTP request can carry that method"
    ], found


def test_tag_problems_are_warnings_when_generating(tmp_path: Path) -> None:
    tags = [
        {"name": "a", "parent": "b"},
        {"name": "b", "parent": "a"},
        {"name": "c", "parent": "x"},
    ]
    spec = _spec({}, tags=tags)
    found = {d.code: d.severity for d in _lint(tmp_path, spec, Profile.GENERATE)}
    assert found == {"E305": Severity.WARNING, "E306": Severity.WARNING}
    api = build_api(load_spec(write_spec(tmp_path, spec, "spec.json")), "pkg", "spec.json")
    assert [(tag.name, tag.parent, tag.children) for tag in api.tags] == [
        ("a", None, ("b",)),
        ("b", "a", ()),
        ("c", None, ()),
    ]


def test_query_operation_with_inline_spec(build_package: BuildPackage) -> None:
    body = {"content": {"application/json": {"schema": {"type": "object"}}}, "required": True}
    spec = _spec({"/s": {"query": {"operationId": "search", "requestBody": body, "responses": OK}}})
    package = build_package(spec, filename="spec.json")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    package.Client(base_url="https://x.test", http_client=http).s.search(body={"q": 1})
    assert (seen[0].method, seen[0].content) == ("QUERY", b'{"q":1}')


def test_a_custom_method_with_every_token_character_stays_inert(
    tmp_path: Path, build_package: BuildPackage
) -> None:
    """A method name is spec text: it reaches the code through `pyrepr` and the README
    through `mdtext` (backticks and pipes would break its table)."""
    method = "X!#$%&'*+.^_`|~-"
    spec = _spec({"/a": {"additionalOperations": {method: {"responses": OK}}}})
    package = build_package(spec, filename="spec.json")
    client = package.Client(base_url="https://x.test")
    (name,) = [n for n in dir(client.a) if n.startswith("x_")]
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    getattr(package.Client(base_url="https://x.test", http_client=http).a, name)()
    assert seen[0].method == method
    readme = (Path(str(package.__file__)).parents[1] / "README.md").read_text(encoding="utf-8")
    (row,) = [line for line in readme.splitlines() if line.startswith(f"| `client.a.{name}`")]
    assert "`X!#$%&amp;'*+.^_'\\|~- /a`" in row  # no ` or | left to break the table


def test_an_event_whose_data_is_json_of_a_content_schema_is_typed_by_it(
    build_package: BuildPackage,
) -> None:
    """3.1 audit 18: the 3.2 spec's own event-stream example writes each event's `data` as
    `{type: string, contentMediaType: application/json, contentSchema: …}`: the stream's
    events had `data: str`, unchecked even under strict validation. Their data is parsed and
    validated into the content schema, as a 3.1 event stream's schema types it."""
    from tests.conftest import minimal_spec

    data = {
        "type": "string",
        "contentMediaType": "application/json",
        "contentSchema": {"$ref": "#/components/schemas/Ev"},
    }
    item = {"type": "object", "required": ["data"], "properties": {"data": data}}
    ok = {"200": {"description": "ok", "content": {"text/event-stream": {"itemSchema": item}}}}
    schemas = {
        "Ev": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}
    }
    spec = minimal_spec(schemas, {"/events": {"get": {"operationId": "events", "responses": ok}}})
    spec["openapi"] = "3.2.0"
    package = build_package(spec)

    def client(body: bytes, strict: bool = False) -> Any:
        def answer(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

        http = httpx.Client(transport=httpx.MockTransport(answer))
        return package.Client(
            base_url="https://api.test", http_client=http, strict_response_validation=strict
        )

    events = list(client(b'data: {"n": 5}\n\ndata: {"n": 6}\n\n').events.retrieve())
    assert [(type(e.data).__name__, e.data.n) for e in events] == [("Ev", 5), ("Ev", 6)]
    with pytest.raises(package.APIResponseValidationError):
        list(client(b'data: {"n": "x"}\n\n', strict=True).events.retrieve())
