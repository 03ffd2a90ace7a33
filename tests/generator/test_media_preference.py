"""A response declared twice as JSON, once untyped (UX audit 7: Zuora's every 200 is
`application/json: {schema: {}}` then the model under `application/json; charset=utf-8`):
the typed one is what the method returns and what its pagination reads."""

from __future__ import annotations

import json
import sys
import typing
from typing import Any

import httpx

from tests.conftest import BuildPackage, minimal_spec, recording

ACCOUNT = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
}
PAGE = {
    "type": "object",
    "properties": {
        "success": {"type": "boolean"},
        "invoices": {"type": "array", "items": {"$ref": "#/components/schemas/Account"}},
        "nextPage": {"type": "string"},
    },
}


def _twice(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "200": {
            "description": "OK",
            "content": {
                "application/json": {"schema": {}},
                "application/json; charset=utf-8": {"schema": schema},
            },
        }
    }


def spec() -> dict[str, Any]:
    return minimal_spec(
        {"Account": ACCOUNT, "InvoicePage": PAGE},
        {
            "/accounts/{id}": {
                "get": {
                    "operationId": "getAccount",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": _twice({"$ref": "#/components/schemas/Account"}),
                }
            },
            "/invoices": {
                "get": {
                    "operationId": "listInvoices",
                    "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}],
                    "responses": _twice({"$ref": "#/components/schemas/InvoicePage"}),
                }
            },
        },
    )


def test_the_typed_json_is_the_result_and_pages(build_package: BuildPackage) -> None:
    package = build_package(spec(), filename="spec.json")
    pages = {  # (Zuora's `nextPage` too; the `page` number is what is followed)
        "1": {"invoices": [{"id": "i1"}], "nextPage": "/v1/invoices?page=2"},
        "2": {"invoices": [{"id": "i2"}]},
        "3": {"invoices": []},
    }

    def server(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/accounts/A1"):
            return httpx.Response(200, json={"id": "A1", "name": "Acme"})
        body = json.dumps(pages[request.url.params.get("page")]).encode()
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    http, _ = recording(server)
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    retrieve = type(client.accounts).retrieve
    names = {**vars(sys.modules[retrieve.__module__]), **vars(package.models)}
    hints = typing.get_type_hints(retrieve, names)
    assert hints["return"] is package.models.Account
    account = client.accounts.retrieve("A1")
    assert isinstance(account, package.models.Account) and account.name == "Acme"
    assert [invoice.id for invoice in client.invoices.list()] == ["i1", "i2"]
