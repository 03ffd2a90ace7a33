"""One Python name per wire field (hostile audit 14): a body's keyword arguments are named as
its model names its fields, so `create(account_id=…)` and `create(body=Transfer(account_id=…))`
fill the same property; and header parameters are told apart without case."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import httpx

from generator.diagnostics import Severity
from generator.pipeline import generate_package
from tests.conftest import BuildPackage, minimal_spec, write_spec

TEXT = {"type": "string"}


def _client(package: Any, sent: list[httpx.Request]) -> Any:
    def server(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    http = httpx.Client(transport=httpx.MockTransport(server))
    return package.Client(base_url="https://api.example.test", http_client=http)


def _create(schema: dict[str, Any], parameters: list[dict[str, Any]] | None = None) -> Any:
    operation: dict[str, Any] = {
        "operationId": "createTransfer",
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Transfer"}}},
        },
        "responses": {"204": {"description": "done"}},
    }
    if parameters:
        operation["parameters"] = parameters
    return minimal_spec({"Transfer": schema}, {"/transfers": {"post": operation}})


def test_body_arguments_are_named_as_the_model_names_its_fields(
    build_package: BuildPackage,
) -> None:
    """`account-id` and `account_id` were `account_id_` and `account_id` in the model but
    `account_id` and `account_id_` as keyword arguments (named in document order): the same
    call filled the source account one way and the destination account the other."""
    properties = {
        "account-id": {"type": "string", "description": "the source account"},
        "account_id": {"type": "string", "description": "the destination account"},
        "foo-bar": TEXT,
        "foo_bar": TEXT,
        "fooBar": TEXT,
        "FooBar": TEXT,
        "schema": TEXT,  # a pydantic attribute: the model's field is `schema_`
    }
    package = build_package(_create({"type": "object", "properties": properties}))
    fields = {
        info.serialization_alias or name: name
        for name, info in package.models.Transfer.model_fields.items()
    }
    assert fields["account_id"] == "account_id"
    # (a field the model renames only for its class body keeps its name as an argument,
    # which no other field has: regression audit 2, Jira's `fields=`)
    assert fields["schema"] == "schema_"
    arguments = {**fields, "schema": "schema"}
    sent: list[httpx.Request] = []
    client = _client(package, sent)
    for wire, name in fields.items():
        client.transfers.create(**{arguments[wire]: wire})
        by_arguments = json.loads(sent[-1].content)
        client.transfers.create(body=package.models.Transfer(**{name: wire}))
        assert json.loads(sent[-1].content) == by_arguments == {wire: wire}


def test_a_renamed_body_argument_takes_no_name_of_another_field(
    build_package: BuildPackage,
) -> None:
    """A property called like a parameter is renamed, but not to the name the model gives
    another property (`account_id_`, which is `account-id`'s): to a free one."""
    properties = {"account_id": TEXT, "account-id": TEXT}
    query = [{"name": "account_id", "in": "query", "schema": TEXT}]
    package = build_package(_create({"type": "object", "properties": properties}, query))
    fields = {
        info.serialization_alias or name: name
        for name, info in package.models.Transfer.model_fields.items()
    }
    assert fields == {"account-id": "account_id_", "account_id": "account_id"}
    sent: list[httpx.Request] = []
    client = _client(package, sent)
    names = set(inspect.signature(client.transfers.create).parameters)
    assert {"account_id", "account_id_", "account_id_2"} <= names
    client.transfers.create(account_id="Q", account_id_="SRC", account_id_2="DST")
    assert dict(sent[-1].url.params) == {"account_id": "Q"}
    assert json.loads(sent[-1].content) == {"account-id": "SRC", "account_id": "DST"}


def _header(name: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "header", "schema": schema or TEXT}


def test_headers_differing_only_in_case_are_one_parameter(
    build_package: BuildPackage, tmp_path: Path
) -> None:
    """`X-Trace` and `x-trace` (RFC 9110: one header) were two arguments, `x_trace` and
        `x_trace_`, and both were sent. The first is kept, the other left out with a W316 warning
        at it; an operation's header overrides its path item's whatever the case, as OpenAPI's
        override by name and location; other locations still tell case apart (`id`, `ID`), and a
    parameter declared twice in one list keeps its first declaration (the later one won)."""
    operation = {
        "operationId": "getThing",
        "parameters": [
            {"name": "Id", "in": "path", "required": True, "schema": TEXT},
            {"name": "id", "in": "query", "schema": TEXT},
            {"name": "ID", "in": "query", "schema": TEXT},
            _header("X-Trace"),
            _header("x-trace", {"type": "integer"}),
            _header("x-mode", {"type": "integer"}),
            {"name": "id", "in": "query", "schema": {"type": "integer"}},  # again: left out
        ],
        "responses": {"204": {"description": "done"}},
    }
    item = {"parameters": [_header("X-Mode"), _header("X-Tenant"), _header("x-tenant")]}
    spec = minimal_spec({}, {"/things/{Id}": {**item, "get": operation}})
    result = generate_package(write_spec(tmp_path, spec), tmp_path / "out", package_name="w316")
    found = sorted(
        (d.location.pointer, d.message.split("'")[1])
        for d in result.diagnostics
        if d.code == "W316" and d.severity is Severity.WARNING
    )
    assert found == [
        ("/paths/~1things~1{Id}/get/parameters/4", "x-trace"),
        ("/paths/~1things~1{Id}/get/parameters/6", "id"),
        ("/paths/~1things~1{Id}/parameters/2", "x-tenant"),
    ]
    package = build_package(spec)
    sent: list[httpx.Request] = []
    client = _client(package, sent)
    arguments = inspect.signature(client.things.retrieve).parameters
    assert [a for a in arguments if "trace" in a or "mode" in a or "tenant" in a] == [
        "x_mode",
        "x_tenant",
        "x_trace",
    ]
    assert "int" in arguments["x_mode"].annotation  # the operation's, not the path's
    assert "int" not in arguments["id_"].annotation  # the first `id`, not the second
    client.things.retrieve("P", id_="q", id_2="Q", x_trace="abc", x_mode=2, x_tenant="t")
    request = sent[-1]
    assert request.headers.get_list("x-trace") == ["abc"]
    assert request.headers.get_list("x-mode") == ["2"]
    assert request.headers.get_list("x-tenant") == ["t"]
    assert list(request.url.params.multi_items()) == [("id", "q"), ("ID", "Q")]
