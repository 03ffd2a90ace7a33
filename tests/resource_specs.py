"""Small Stripe-like and GitHub-like specs for the resource tests (shapes of the real ones:
`/v1/customers/{customer}/sources/{id}/verify`, `repos/list-for-org`)."""

from __future__ import annotations

from typing import Any

from tests.conftest import minimal_spec


def _json(schema: dict[str, Any], description: str = "ok") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _list_of(name: str) -> dict[str, Any]:
    """A Stripe list object: `data`, `has_more`."""
    return {
        "type": "object",
        "required": ["data", "has_more"],
        "properties": {
            "data": {"type": "array", "items": _ref(name)},
            "has_more": {"type": "boolean"},
        },
    }


def _op(operation_id: str, response: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"operationId": operation_id, "responses": {"200": _json(response)}, **extra}


def _path(*names: str) -> list[dict[str, Any]]:
    return [
        {"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in names
    ]


_PAGING = [
    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
    {"name": "starting_after", "in": "query", "schema": {"type": "string"}},
]


def _body(name: str, required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {"application/json": {"schema": _ref(name)}}}


STRIPE_LIKE: dict[str, Any] = minimal_spec(
    {
        "Customer": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string", "readOnly": True},
                "email": {"type": "string"},
                "name": {"type": ["string", "null"]},
            },
        },
        "CustomerCreate": {
            "type": "object",
            "required": ["email"],
            "properties": {
                "email": {"type": "string"},
                "name": {"type": ["string", "null"]},
                "address": _ref("Address"),
                "limit": {"type": "integer"},
                "body": {"type": "string"},
                "timeout": {"type": "integer"},
            },
        },
        "CustomerUpdate": {
            "type": "object",
            "properties": {"email": {"type": "string"}, "name": {"type": ["string", "null"]}},
        },
        "Address": {"type": "object", "properties": {"city": {"type": "string"}}},
        "Source": {"type": "object", "properties": {"id": {"type": "string"}}},
        "Balance": {"type": "object", "properties": {"amount": {"type": "integer"}}},
    },
    {
        "/v1/customers": {
            "get": _op("GetCustomers", _list_of("Customer"), parameters=_PAGING),
            "post": _op(
                "PostCustomers",
                _ref("Customer"),
                parameters=[{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                requestBody=_body("CustomerCreate"),
            ),
        },
        "/v1/customers/search": {"get": _op("GetCustomersSearch", _list_of("Customer"))},
        "/v1/customers/{customer}": {
            "parameters": _path("customer"),
            "get": _op("GetCustomersCustomer", _ref("Customer")),
            "post": _op(
                "PostCustomersCustomer",
                _ref("Customer"),
                requestBody=_body("CustomerUpdate", False),
            ),
            "delete": _op("DeleteCustomersCustomer", _ref("Customer")),
        },
        "/v1/customers/{customer}/sources": {
            "parameters": _path("customer"),
            "get": _op("GetCustomersCustomerSources", _list_of("Source"), parameters=_PAGING),
            "post": _op("PostCustomersCustomerSources", _ref("Source")),
        },
        "/v1/customers/{customer}/sources/{id}": {
            "parameters": _path("customer", "id"),
            "get": _op("GetCustomersCustomerSourcesId", _ref("Source")),
        },
        "/v1/customers/{customer}/sources/{id}/verify": {
            "parameters": _path("customer", "id"),
            "post": _op("PostCustomersCustomerSourcesIdVerify", _ref("Source")),
        },
        "/v1/customers/{customer}/cash_balance": {
            "parameters": _path("customer"),
            "get": _op("GetCustomersCustomerCashBalance", _ref("Balance")),
            "post": _op("PostCustomersCustomerCashBalance", _ref("Balance")),
        },
        "/v1/accounts/{account}/login_links": {
            "post": _op(
                "PostAccountsAccountLoginLinks", _ref("Source"), parameters=_path("account")
            )
        },
        "/v1/invoices/{invoice}/pay": {
            "post": _op("PostInvoicesInvoicePay", _ref("Source"), parameters=_path("invoice"))
        },
        "/v1/balance": {"get": _op("GetBalance", _ref("Balance"))},
    },
)
"""Stripe's shapes: no tags, versioned paths, list objects with `has_more`."""

GITHUB_LIKE: dict[str, Any] = minimal_spec(
    {"Repo": {"type": "object", "properties": {"name": {"type": "string"}}}},
    {
        "/": {"get": _op("meta/root", {"type": "object"}, tags=["meta"])},
        "/orgs/{org}/repos": {
            "get": _op(
                "repos/list-for-org",
                {"type": "array", "items": _ref("Repo")},
                tags=["repos"],
                parameters=_path("org"),
            )
        },
        "/repos/{owner}/{repo}": {
            "parameters": _path("owner", "repo"),
            "get": _op("repos/get", _ref("Repo"), tags=["repos"]),
            "delete": _op("repos/delete", _ref("Repo"), tags=["repos"]),
        },
        "/repos/{owner}/{repo}/pulls": {
            "get": _op(
                "pulls/list", {"type": "array"}, tags=["pulls"], parameters=_path("owner", "repo")
            )
        },
        "/repos/{owner}/{repo}/stacks": {
            "get": _op(
                "pull-request-stacks/list",
                {"type": "array"},
                tags=["pulls"],
                parameters=_path("owner", "repo"),
            )
        },
        "/user/list": {"get": _op("users/list", {"type": "array"}, tags=["users"])},
        "/user/with": {"get": _op("users/with-raw-response", {"type": "object"}, tags=["users"])},
    },
)
"""GitHub's shapes: a tag on every operation and `tag/method` operationIds."""
