"""Azure's conventions. `x-ms-pageable` (AutoRest's extension, on ~7,500 operations of the directory's
Azure specs): its `nextLinkName` and `itemName` are followed where the response has them
(Batch's `odata.nextLink`, an `itemName` other than `value`), a null `nextLinkName` says the
list comes whole, and a paged POST fetches its next pages with a GET of the link and no
body, as Azure's SDKs do. Sync and async through httpx.MockTransport."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, assert_package_builds, minimal_spec, write_spec

BASE = "https://api.example.test/v1"
ITEM = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
ITEMS = {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}


def _answer(properties: dict[str, Any]) -> dict[str, Any]:
    schema = {"type": "object", "properties": properties}
    return {"200": {"description": "A page.", "content": {"application/json": {"schema": schema}}}}


def _spec() -> dict[str, Any]:
    text = {"type": "string"}
    return minimal_spec(
        {"Item": ITEM},
        {
            "/applications": {  # Azure Batch
                "get": {
                    "operationId": "Application_List",
                    "x-sdk-resource": "applications",
                    "x-ms-pageable": {"nextLinkName": "odata.nextLink"},
                    "parameters": [
                        {"name": "maxresults", "in": "query", "schema": {"type": "integer"}}
                    ],
                    "responses": _answer({"value": ITEMS, "odata.nextLink": text}),
                }
            },
            "/models": {  # an `itemName` that is not `value`, beside another array
                "get": {
                    "operationId": "Models_List",
                    "x-sdk-resource": "models",
                    "x-ms-pageable": {"nextLinkName": "nextLink", "itemName": "modelList"},
                    "responses": _answer({"value": ITEMS, "modelList": ITEMS, "nextLink": text}),
                }
            },
            "/whole": {  # null: the whole list in one response, whatever the body holds
                "get": {
                    "operationId": "Whole_List",
                    "x-sdk-resource": "whole",
                    "x-ms-pageable": {"nextLinkName": None},
                    "responses": _answer({"value": ITEMS, "nextLink": text}),
                }
            },
            "/declared": {  # `x-pagination` comes first, as over detection
                "get": {
                    "operationId": "Declared_List",
                    "x-sdk-resource": "declared",
                    "x-ms-pageable": {"nextLinkName": None},
                    "x-pagination": {"scheme": "next_link", "field": "nextLink"},
                    "responses": _answer({"value": ITEMS, "nextLink": text}),
                }
            },
            "/resources": {  # Resource Graph: a paged POST
                "post": {
                    "operationId": "Resources_Query",
                    "x-sdk-resource": "resources",
                    "x-ms-pageable": {"nextLinkName": "@odata.nextLink", "itemName": "data"},
                    "parameters": [
                        {"name": "api-version", "in": "query", "required": True, "schema": text}
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["query"],
                                    "properties": {"query": text},
                                }
                            }
                        },
                    },
                    "responses": _answer({"data": ITEMS, "@odata.nextLink": text}),
                }
            },
        },
    )


def test_the_ir_reads_x_ms_pageable(tmp_path: Path) -> None:
    from generator.ir_build import build_api
    from generator.load import load_spec

    api = build_api(load_spec(write_spec(tmp_path, _spec(), "spec.json")), "pkg", "spec.json")
    found = {op.path: op.pagination for op in api.operations}
    arguments = {path: p and dict(p.info_arguments) for path, p in found.items()}
    assert arguments == {
        "/applications": {"scheme": "next_link", "items": "value", "field": "odata.nextLink"},
        "/models": {"scheme": "next_link", "items": "modelList", "field": "nextLink"},
        "/whole": None,
        "/declared": {"scheme": "next_link", "items": "value", "field": "nextLink"},
        "/resources": {"scheme": "next_link", "items": "data", "field": "@odata.nextLink"},
    }


def _server(request: httpx.Request) -> httpx.Response:
    """Three pages per list; the next link carries the page number and a skip token."""
    page = int(request.url.params.get("page", "1"))
    resource = request.url.path.rsplit("/", 1)[-1]
    items, link = {
        "applications": ("value", "odata.nextLink"),
        "models": ("modelList", "nextLink"),
        "resources": ("data", "@odata.nextLink"),
    }[resource]
    body: dict[str, Any] = {items: [{"id": f"{resource}-{page}"}]}
    if resource == "models":
        body["value"] = [{"id": "not-an-item-of-the-list"}]
    if page < 3:
        body[link] = f"{BASE}/{resource}?api-version=2024-01-01&page={page + 1}&$skiptoken=t{page}"
    return httpx.Response(200, json=body)


def _calls(client: Any) -> dict[str, Any]:
    return {
        "applications": client.applications.list(maxresults=1),
        "models": client.models.list(),
        "resources": client.resources.query(api_version="2024-01-01", query="Resources | limit 1"),
    }


@pytest.mark.parametrize("asynchronous", [False, True])
def test_every_page_is_followed(build_package: BuildPackage, asynchronous: bool) -> None:
    package = build_package(_spec())
    assert_package_builds(package)
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        assert len(sent) <= 20, "the iteration does not end"
        return _server(request)

    if asynchronous:

        async def serve(request: httpx.Request) -> httpx.Response:
            return handler(request)

        async def main() -> dict[str, list[str]]:
            http = httpx.AsyncClient(transport=httpx.MockTransport(serve))
            async with package.AsyncClient(base_url=BASE, http_client=http) as client:
                listed: dict[str, list[str]] = {}
                for key, page in _calls(client).items():
                    listed[key] = [item.id async for item in page]
                return listed

        listed = asyncio.run(main())
    else:
        http = httpx.Client(transport=httpx.MockTransport(handler))
        client = package.Client(base_url=BASE, http_client=http)
        listed = {k: [i.id for i in page] for k, page in _calls(client).items()}
    assert listed == {k: [f"{k}-{n}" for n in (1, 2, 3)] for k in listed}
    posts = [r for r in sent if r.url.path.endswith("/resources")]
    assert [(r.method, r.content) for r in posts] == [
        ("POST", b'{"query":"Resources | limit 1"}'),
        ("GET", b""),
        ("GET", b""),
    ]
    assert "content-type" not in posts[1].headers
    assert posts[2].url.params["$skiptoken"] == "t2"


def test_a_null_next_link_name_is_one_whole_list(build_package: BuildPackage) -> None:
    package = build_package(_spec())
    body = {"value": [{"id": "a"}], "nextLink": f"{BASE}/whole?page=2"}
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=body)))
    result = package.Client(base_url=BASE, http_client=http).whole.list()
    assert not hasattr(result, "next_page") and [i.id for i in result.value] == ["a"]


def test_a_required_api_version_defaults_to_the_specs_version(build_package: BuildPackage) -> None:
    """AutoRest: `info.version` "is used as the default value for Azure clients where
    api-version is passed in the querystring"; every call needed `api_version=` before.
    One with an enum of one value sends that value (the enum, not the version, says what is
    sent: a required parameter of one allowed value is filled, UX audit 11)."""

    def operation(name: str, schema: dict[str, Any]) -> dict[str, Any]:
        version = {"name": "api-version", "in": "query", "required": True, "schema": schema}
        return {
            "operationId": name,
            "x-sdk-resource": "things",
            "parameters": [version],
            "responses": {"200": {"description": "ok"}},
        }

    spec = minimal_spec(
        {},
        {
            "/things": {"get": operation("list", {"type": "string"})},
            "/pinned": {"get": operation("pinned", {"type": "string", "enum": ["2020-01-01"]})},
        },
    )
    spec["info"]["version"] = "2024-05-01-preview"
    package = build_package(spec)
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url=BASE, http_client=http)
    client.things.list()
    client.things.list(api_version="2023-01-01")
    client.things.retrieve()  # the enum names what to send
    assert [r.url.params["api-version"] for r in sent] == [
        "2024-05-01-preview",
        "2023-01-01",
        "2020-01-01",
    ]


def _grouped_spec(operation_ids: list[str], autorest: bool) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for index, operation_id in enumerate(operation_ids):
        operation: dict[str, Any] = {
            "operationId": operation_id,
            "responses": {"200": {"description": "ok"}},
        }
        if autorest and index == 0:
            operation["x-ms-long-running-operation"] = False
        paths[f"/providers/Microsoft.Billing/things{index}/{{name}}"] = {
            "get": {
                **operation,
                "parameters": [
                    {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
            }
        }
    return minimal_spec({}, paths)


@pytest.mark.parametrize(
    ("operation_ids", "autorest", "grouped"),
    [
        (
            ["BillingAccounts_Get", "BillingAccounts_ListByBillingProfile", "Operations_List"],
            True,
            True,
        ),
        # the same ids in a document that does not speak AutoRest: the paths decide
        (
            ["BillingAccounts_Get", "BillingAccounts_ListByBillingProfile", "Operations_List"],
            False,
            False,
        ),
        (["GET_AttachInstances", "POST_AttachInstances"], True, False),  # AWS: a method, no group
        (["BillingAccounts_Get", "listOperations"], True, False),  # not every operationId
    ],
)
def test_autorest_operation_groups_name_resources_and_methods(
    tmp_path: Path, operation_ids: list[str], autorest: bool, grouped: bool
) -> None:
    """AutoRest: "operation groups are identified by splitting the operationId by
    underscore"; Azure's SDKs call `BillingAccounts_ListByBillingProfile`
    `billing_accounts.list_by_billing_profile`."""
    from generator.ir_build import build_api
    from generator.load import load_spec

    spec = _grouped_spec(operation_ids, autorest)
    api = build_api(load_spec(write_spec(tmp_path, spec, "spec.json")), "pkg", "spec.json")
    names = [(".".join(op.resource), op.name) for op in api.operations]
    expected = [
        ("billing_accounts", "get"),
        ("billing_accounts", "list_by_billing_profile"),
        ("operations", "list"),
    ]
    assert (names == expected) is grouped, names


def test_reserved_characters_are_kept_where_the_spec_says(build_package: BuildPackage) -> None:
    """A path parameter's `x-ms-skip-url-encoding` (285 in the directory's Azure specs:
    `{scope}` is `subscriptions/…/resourceGroups/…`) went out with its `/`s as `%2F`; a
    query parameter's `allowReserved` had its `/` and `:` encoded. A `..` piece is still
    encoded (no value climbs the path), and `&`, `=`, `#` still end nothing."""
    operation = {
        "operationId": "PolicyAssignments_List",
        "parameters": [
            {
                "name": "scope",
                "in": "path",
                "required": True,
                "schema": {"type": "string"},
                "x-ms-skip-url-encoding": True,
            },
            {
                "name": "path",
                "in": "query",
                "allowReserved": True,
                "schema": {"type": "string"},
            },
            {"name": "plain", "in": "query", "schema": {"type": "string"}},
        ],
        "responses": {"200": {"description": "ok"}},
    }
    spec = minimal_spec({}, {"/{scope}/providers/Microsoft.Authorization/x": {"get": operation}})
    package = build_package(spec)
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    client = package.Client(
        base_url=BASE, http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    resource = client.policy_assignments
    resource.list("subscriptions/s-1/resourceGroups/rg 1", path="docs/2024:a&b=c", plain="d/e")
    resource.list("subscriptions/../..", path="x")
    assert [r.url.raw_path.decode() for r in sent] == [
        "/v1/subscriptions/s-1/resourceGroups/rg%201/providers/Microsoft.Authorization/x"
        "?path=docs/2024:a%26b%3Dc&plain=d%2Fe",
        "/v1/subscriptions/%2E%2E/%2E%2E/providers/Microsoft.Authorization/x?path=x",
    ]


def _client_parameter_spec(
    autorest: bool, subscription: dict[str, Any] | None = None
) -> dict[str, Any]:
    text = {"type": "string"}
    spec = minimal_spec(
        {"Item": ITEM},
        {
            "/subscriptions/{subscriptionId}/things/{name}": {
                "get": {
                    "operationId": "Things_Get",
                    "parameters": [
                        {
                            "name": "subscriptionId",
                            "in": "path",
                            "required": True,
                            "schema": subscription or text,
                        },
                        {"$ref": "#/components/parameters/Name"},
                        {"$ref": "#/components/parameters/Tenant"},
                        {"$ref": "#/components/parameters/Region"},
                    ],
                    "responses": {
                        "200": {
                            "description": "The thing.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Item"}
                                }
                            },
                        }
                    },
                }
            }
        },
    )
    spec["components"]["parameters"] = {
        # marked `method`: the call's; unmarked and global: the client's (AutoRest's default)
        "Name": {
            "name": "name",
            "in": "path",
            "required": True,
            "schema": text,
            "x-ms-parameter-location": "method",
        },
        "Tenant": {"name": "x-tenant", "in": "header", "required": True, "schema": text},
        "Region": {
            "name": "region",
            "in": "query",
            "schema": text,
            "x-ms-parameter-location": "client",
        },
    }
    if autorest:
        spec["info"]["x-ms-code-generation-settings"] = {"name": "ThingsClient"}
    else:
        for parameter in spec["components"]["parameters"].values():
            parameter.pop("x-ms-parameter-location", None)
    return spec


def test_autorest_client_parameters_are_client_arguments(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AutoRest's client parameters (ARM's `subscriptionId` in every path, global parameters
    not marked `method`, those marked `client`) are arguments of the client, which a call
    may override: every ARM call took `subscription_id` first (UX audit 4)."""
    package = build_package(_client_parameter_spec(autorest=True))
    assert_package_builds(package)
    prefix = package.__name__.upper()
    monkeypatch.delenv(f"{prefix}_SUBSCRIPTION_ID", raising=False)
    seen: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "t1"})

    def client(**arguments: Any) -> Any:
        http = httpx.Client(transport=httpx.MockTransport(server))
        return package.Client(http_client=http, **arguments)

    things = client(subscription_id="s1", x_tenant="t", region="eu").things
    things.get("n1")  # the name is the call's, positional
    things.get("n2", subscription_id="s2", x_tenant="u")
    sent = [(r.url.path, r.url.params.get("region"), r.headers["x-tenant"]) for r in seen]
    assert sent == [
        ("/v1/subscriptions/s1/things/n1", "eu", "t"),
        ("/v1/subscriptions/s2/things/n2", "eu", "u"),
    ]
    with pytest.raises(
        package.RequestValidationError, match=rf"subscription_id= .*\${prefix}_SUBSCRIPTION_ID"
    ):
        client(x_tenant="t").things.get("n3")
    monkeypatch.setenv(f"{prefix}_SUBSCRIPTION_ID", "from-env")
    monkeypatch.delenv(f"{prefix}_X_TENANT", raising=False)
    # a required header the client gives: refused when neither gives it (it was left out);
    # an optional query one is left out
    with pytest.raises(package.RequestValidationError, match=r"header\.x-tenant: .*x_tenant="):
        client().things.get("n4")
    client(x_tenant="t").things.get("n4")
    assert seen[-1].url.path == "/v1/subscriptions/from-env/things/n4"
    testing = importlib.import_module(f"{package.__name__}.testing")
    assert testing.MockAPI().client().things.get("n5").id  # the test kit fills them
    readme = (Path(str(package.__file__)).parents[1] / "README.md").read_text(encoding="utf-8")
    assert f'export {prefix}_SUBSCRIPTION_ID="..."' in readme


def test_the_test_kit_gives_client_parameters_values_of_their_type(
    build_package: BuildPackage,
) -> None:
    """The test kit's clients give each client parameter a value its schema admits: every
    call of Twilio's test kit was refused before sending, its `AccountSid` (a pattern, 34
    characters) given as `test-account_sid` (UX audit 16)."""
    sid = {"type": "string", "minLength": 34, "maxLength": 34, "pattern": "^AC[0-9a-f]{32}$"}
    package = build_package(_client_parameter_spec(autorest=True, subscription=sid))
    testing = importlib.import_module(f"{package.__name__}.testing")
    mock = testing.MockAPI()
    assert mock.client().things.get("n5").id
    sent = mock.requests[-1].url.path.split("/")[3]
    assert re.fullmatch(r"AC[0-9a-f]{32}", sent), sent


def test_client_parameters_need_autorest(build_package: BuildPackage) -> None:
    """Without an `x-ms-` key, a global parameter is an ordinary one (OpenAPI says nothing
    of client parameters)."""
    package = build_package(_client_parameter_spec(autorest=False))
    arguments = inspect.signature(package.Client).parameters
    assert not {"subscription_id", "x_tenant", "region"} & set(arguments)
