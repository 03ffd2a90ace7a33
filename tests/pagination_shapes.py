"""Pagination shapes of real APIs for tests/generator/test_pagination_{shapes,ending}.py.

Each shape is a small inline spec like the real one: Stripe's search (`page` is a cursor
string, `next_page` in the body) and its list started with `ending_before` (pages go
backwards), Adyen's page numbers with `pagesTotal`/`itemsTotal` and its offsets with
`hasNext`, Twilio's `next_page_uri` (and `meta.next_page_url`), Xero's `page` without a
page size; and the end of a list one level down. All are paths of one spec (one package
per test module, built once), with the `PageInfo` arguments each must be detected with;
the helpers call a paginated method sync or async through httpx.MockTransport and record
what it sent.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.conftest import minimal_spec, write_spec

BASE = "https://api.example.test/v1"
ITEM = {
    "type": "object",
    "required": ["id"],
    "properties": {"id": {"type": "string"}, "n": {"type": "integer"}},
}
ITEMS = [{"id": f"it_{n}", "n": n} for n in range(7)]
Server = Callable[[httpx.Request], httpx.Response]


def param(name: str, kind: str = "integer") -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": kind}}


def list_operation(items: str, properties: dict[str, Any], parameters: list[Any]) -> dict[str, Any]:
    schema = {
        "type": "object",
        "properties": {
            items: {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
            **properties,
        },
    }
    return {
        "get": {
            "operationId": "list",
            "parameters": parameters,
            "responses": {
                "200": {
                    "description": "A page.",
                    "content": {"application/json": {"schema": schema}},
                }
            },
        }
    }


NULLABLE_TEXT = {"type": ["string", "null"]}
# path → (its GET, the PageInfo arguments detected for it)
SHAPES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "/search": (  # Stripe's search
        list_operation(
            "data",
            {
                "has_more": {"type": "boolean"},
                "next_page": NULLABLE_TEXT,
                "total_count": {"type": "integer"},
                "url": {"type": "string"},
            },
            [param("query", "string"), param("limit"), param("page", "string")],
        ),
        {"scheme": "token", "param": "page", "field": "next_page", "more_field": "has_more"},
    ),
    "/customers": (  # Stripe's list
        list_operation(
            "data",
            {"has_more": {"type": "boolean"}, "url": {"type": "string"}},
            [
                param("ending_before", "string"),
                param("limit"),
                param("starting_after", "string"),
            ],
        ),
        {
            "scheme": "cursor",
            "param": "starting_after",
            "field": "has_more",
            "before_param": "ending_before",
        },
    ),
    "/companies": (  # Adyen Management: page numbers, `pagesTotal`, `itemsTotal`
        list_operation(
            "data",
            {
                "_links": {
                    "type": "object",
                    "properties": {
                        "next": {"type": "object", "properties": {"href": {"type": "string"}}}
                    },
                },
                "itemsTotal": {"type": "integer"},
                "pagesTotal": {"type": "integer"},
            },
            [param("pageNumber"), param("pageSize")],
        ),
        {
            "scheme": "page",
            "param": "pageNumber",
            "pages_field": "pagesTotal",
            "total_field": "itemsTotal",
        },
    ),
    "/sweeps": (  # Adyen Balance Platform: offsets and `hasNext`
        list_operation(
            "sweeps",
            {"hasNext": {"type": "boolean"}, "hasPrevious": {"type": "boolean"}},
            [param("offset"), param("limit")],
        ),
        {"scheme": "offset", "param": "offset", "more_field": "hasNext"},
    ),
    "/calls": (  # Twilio: `next_page_uri`, relative to the host; capitalised parameters
        list_operation(
            "calls",
            {
                "next_page_uri": {"type": ["string", "null"], "format": "uri"},
                "page": {"type": "integer"},
                "page_size": {"type": "integer"},
            },
            [param("PageSize"), param("Page"), param("PageToken", "string")],
        ),
        {"scheme": "next_link", "field": "next_page_uri"},
    ),
    "/countries": (  # Twilio's pricing: `meta.next_page_url`, an absolute URL
        list_operation(
            "countries",
            {
                "meta": {
                    "type": "object",
                    "properties": {
                        "next_page_url": {"type": ["string", "null"], "format": "uri"},
                        "page": {"type": "integer"},
                    },
                }
            },
            [param("PageSize"), param("Page"), param("PageToken", "string")],
        ),
        {"scheme": "next_link", "field": ("meta", "next_page_url")},
    ),
    "/invoices": (  # Xero: `page` and no page size
        list_operation("Invoices", {}, [param("page"), param("where", "string")]),
        {"scheme": "page", "param": "page"},
    ),
    "/orders": (  # the end of the list one level down
        list_operation(
            "data",
            {
                "meta": {"type": "object", "properties": {"total_pages": {"type": "integer"}}},
                "pagination": {"type": "object", "properties": {"hasNext": {"type": "boolean"}}},
            },
            [param("page"), param("per_page")],
        ),
        {
            "scheme": "page",
            "param": "page",
            "more_field": ("pagination", "hasNext"),
            "pages_field": ("meta", "total_pages"),
        },
    ),
    "/numbered": (  # an integer `next_page` is a page number, not a token
        list_operation(
            "data",
            {"next_page": {"type": "integer"}, "total_count": {"type": "integer"}},
            [param("page"), param("per_page")],
        ),
        {"scheme": "page", "param": "page", "total_field": "total_count"},
    ),
}
# Box's offsets and markers: the same paging whether its body declares `next_marker` or not
_BOX_PARAMETERS = [
    param("usemarker", "boolean"),
    param("marker", "string"),
    param("offset"),
    param("limit"),
]
_BOX_PAGES = {
    "scheme": "offset",
    "param": "offset",
    "total_field": "total_count",
    "marker_field": "next_marker",
    "marker_param": "marker",
}
SHAPES["/folder_items"] = (  # Box: offsets, or markers where `usemarker` asks for them
    list_operation(
        "entries",
        {
            "total_count": {"type": "integer"},
            "offset": {"type": "integer"},
            "next_marker": NULLABLE_TEXT,
            "prev_marker": NULLABLE_TEXT,
        },
        _BOX_PARAMETERS,
    ),
    _BOX_PAGES,
)
SHAPES["/trash_items"] = (  # Box's own spec: `marker` and `usemarker`, no `next_marker` said
    list_operation(
        "entries",
        {"total_count": {"type": "integer"}, "offset": {"type": "integer"}},
        _BOX_PARAMETERS,
    ),
    _BOX_PAGES,
)
SHAPES["/webhooks"] = (  # Box: markers alone
    list_operation(
        "entries",
        {"next_marker": NULLABLE_TEXT, "prev_marker": NULLABLE_TEXT},
        [param("marker", "string"), param("limit")],
    ),
    {"scheme": "token", "param": "marker", "field": "next_marker"},
)
_DO_PAGES = {  # DigitalOcean's `links.pages`: one of two link pairs, each in an `allOf`
    "anyOf": [
        {
            "allOf": [
                {"type": "object", "properties": {"last": {"type": "string"}}},
                {"type": "object", "properties": {"next": {"type": "string"}}},
            ]
        },
        {
            "allOf": [
                {"type": "object", "properties": {"first": {"type": "string"}}},
                {"type": "object", "properties": {"prev": {"type": "string"}}},
            ]
        },
        {},
    ]
}
SHAPES["/droplets"] = (  # DigitalOcean: the next link two levels down, `meta.total` in an allOf
    list_operation(
        "droplets",
        {
            "links": {"type": "object", "properties": {"pages": _DO_PAGES}},
            "meta": {
                "allOf": [
                    {"type": "object", "properties": {"total": {"type": "integer"}}},
                    {"required": ["total"]},
                ]
            },
        },
        [param("per_page"), param("page")],
    ),
    {"scheme": "next_link", "field": ("links", "pages", "next")},
)
SHAPES["/images"] = (  # DigitalOcean without links: the item count in an `allOf`
    list_operation(
        "images",
        {
            "meta": SHAPES["/droplets"][0]["get"]["responses"]["200"]["content"][
                "application/json"
            ]["schema"]["properties"]["meta"]
        },
        [param("per_page"), param("page")],
    ),
    {"scheme": "page", "param": "page", "total_field": ("meta", "total")},
)
SHAPES["/teams"] = (  # Vercel: `pagination.next`, a timestamp sent back as `until`
    list_operation(
        "teams",
        {
            "pagination": {
                "type": "object",
                "properties": {
                    "count": {"type": "number"},
                    "next": {"type": ["number", "null"]},
                    "prev": {"type": ["number", "null"]},
                },
            }
        },
        [param("limit", "number"), param("since", "number"), param("until", "number")],
    ),
    {"scheme": "token", "param": "until", "field": ("pagination", "next")},
)
_LINK = {"type": "object", "required": ["href"], "properties": {"href": {"type": "string"}}}
SHAPES["/structures"] = (  # OPTIMADE (JSON:API): `links.next`, a URL or a link object
    list_operation(
        "data",
        {
            "links": {
                "type": "object",
                "properties": {"next": {"anyOf": [{"type": "string", "format": "uri"}, _LINK]}},
            },
            "errors": {"type": "array", "items": {"type": "object"}},
        },
        [param("page_number"), param("page_limit")],
    ),
    {"scheme": "next_link", "field": ("links", "next")},
)
SHAPES["/errors"] = (  # appcenter: a list of errors is a list
    list_operation("errors", {"nextLink": {"type": "string"}}, []),
    {"scheme": "next_link", "field": "nextLink"},
)
SHAPES["/payments"] = (  # Square: `cursor` in the query, `cursor` in the body
    list_operation(
        "payments", {"cursor": {"type": "string"}}, [param("cursor", "string"), param("limit")]
    ),
    {"scheme": "token", "param": "cursor", "field": "cursor"},
)
_ASANA_OFFSET = {
    "name": "offset",
    "in": "query",
    "description": "Offset token. 'Note: You can only pass in an offset that was returned "
    "to you via a previously paginated request.'",
    "example": "eyJ0eXAiOJiKV1iQLCJhbGciOiJIUzI1NiJ9",
    "schema": {"type": "string"},
}
SHAPES["/tasks"] = (  # Asana: a text `offset` is a token; `next_page` is not declared
    list_operation("data", {}, [param("limit"), _ASANA_OFFSET]),
    {"scheme": "token", "param": "offset", "field": ("next_page", "offset")},
)
SHAPES["/stats"] = (  # SendGrid: an offset typed as text is still a count
    list_operation("data", {}, [param("limit"), param("offset", "string")]),
    {"scheme": "offset", "param": "offset"},
)
SHAPES["/contacts"] = (  # EVE's ESI: an array, `page` alone, the page count in `X-Pages`
    {
        "get": {
            "operationId": "list",
            "parameters": [param("page")],
            "responses": {
                "200": {
                    "description": "A page.",
                    "headers": {"X-Pages": {"schema": {"type": "integer"}}},
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/Item"},
                            }
                        }
                    },
                }
            },
        }
    },
    {"scheme": "page", "param": "page", "pages_header": "x-pages"},
)
_LINKS = {"type": "array", "items": {"type": "object"}}  # HAL-like links beside every body
SHAPES["/members"] = (  # Mailchimp: `count` + `offset`, `total_items`, and `_links`
    list_operation(
        "members",
        {"total_items": {"type": "integer"}, "_links": _LINKS},
        [param("count"), param("offset")],
    ),
    {"scheme": "offset", "param": "offset", "total_field": "total_items"},
)
SHAPES["/listlinks"] = (  # Google Content's account links: a list of `links` (not HAL's `_links`)
    list_operation(
        "links",
        {"nextPageToken": {"type": "string"}, "kind": {"type": "string"}},
        [param("pageToken", "string"), param("maxResults")],
    ),
    {"scheme": "token", "param": "pageToken", "field": "nextPageToken"},
)
SHAPES["/documents"] = (  # Billingo (Laravel): the page count beside `next_page_url`
    list_operation(
        "data",
        {
            "current_page": {"type": "integer"},
            "last_page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
            "next_page_url": NULLABLE_TEXT,
        },
        [param("page"), param("per_page"), param("payment_status", "string")],
    ),
    {"scheme": "page", "param": "page", "pages_field": "last_page", "total_field": "total"},
)
SHAPES["/fundings"] = (  # Velo Payments (Spring HATEOAS): `links` beside `content`
    list_operation(
        "content",
        {
            "links": _LINKS,
            "page": {"type": "object", "properties": {"totalPages": {"type": "integer"}}},
        },
        [param("page"), param("pageSize")],
    ),
    {"scheme": "page", "param": "page", "pages_field": ("page", "totalPages")},
)
SHAPES["/issues"] = (  # Jira's issue search: `warningMessages`, strings, beside its `issues`
    list_operation(
        "issues",
        {
            "startAt": {"type": "integer"},
            "maxResults": {"type": "integer"},
            "total": {"type": "integer"},
            "warningMessages": {"type": "array", "items": {"type": "string"}},
        },
        [param("jql", "string"), param("startAt"), param("maxResults")],
    ),
    {"scheme": "offset", "param": "startAt", "total_field": "total"},
)


def _annotated(schema: dict[str, Any], description: str) -> dict[str, Any]:
    """A property as the directory's AWS specs write each: `allOf` the type, and its words."""
    return {"allOf": [schema, {"description": description}]}


_TOKEN = _annotated({"$ref": "#/components/schemas/Token"}, "A token used for pagination.")
_AWS_ITEMS = _annotated({"$ref": "#/components/schemas/ItemList"}, "The items retrieved.")


def _aws_list(token_param: str, token_field: str) -> dict[str, Any]:
    operation = list_operation(
        "items", {token_field: _TOKEN}, [param(token_param, "string"), param("maxResults")]
    )
    schema = operation["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    schema["properties"]["items"] = _AWS_ITEMS
    return operation


# AWS's REST APIs (~300 directory specs, 805 GET lists): `nextToken`, `NextToken` or
# `next-token` in the query, the body's `nextToken`/`NextToken`, every property in an `allOf`
SHAPES["/analyzers"] = (
    _aws_list("nextToken", "nextToken"),
    {"scheme": "token", "param": "nextToken", "field": "nextToken"},
)
SHAPES["/rules"] = (
    _aws_list("NextToken", "NextToken"),
    {"scheme": "token", "param": "NextToken", "field": "NextToken"},
)
SHAPES["/matches"] = (
    _aws_list("next-token", "NextToken"),
    {"scheme": "token", "param": "next-token", "field": "NextToken"},
)
SHAPES["/pods"] = (  # Kubernetes: `continue` in the query, `metadata.continue` in the body
    list_operation(
        "items",
        {
            "kind": {"type": "string"},
            "metadata": {
                "type": "object",
                "properties": {
                    "continue": {"type": "string"},
                    "resourceVersion": {"type": "string"},
                },
            },
        },
        [param("continue", "string"), param("limit"), param("watch", "boolean")],
    ),
    {"scheme": "token", "param": "continue", "field": ("metadata", "continue")},
)
SHAPES["/followers"] = (  # Twitter: `pagination_token`, and `meta.next_token`
    list_operation(
        "data",
        {
            "meta": {
                "type": "object",
                "properties": {
                    "next_token": {"type": "string"},
                    "result_count": {"type": "integer"},
                },
            }
        },
        [param("max_results"), param("pagination_token", "string")],
    ),
    {"scheme": "token", "param": "pagination_token", "field": ("meta", "next_token")},
)
SHAPES["/nodes"] = (  # Service Fabric: `ContinuationToken` in, `ContinuationToken` out
    list_operation(
        "Items", {"ContinuationToken": {"type": "string"}}, [param("ContinuationToken", "string")]
    ),
    {"scheme": "token", "param": "ContinuationToken", "field": "ContinuationToken"},
)
SHAPES["/memberships"] = (  # Google: `unreachable` (locations) beside the list (AIP-217)
    list_operation(
        "resources",
        {
            "unreachable": {"type": "array", "items": {"type": "string"}},
            "nextPageToken": {"type": "string"},
        },
        [param("pageToken", "string"), param("pageSize")],
    ),
    {"scheme": "token", "param": "pageToken", "field": "nextPageToken"},
)

SHAPES["/projects"] = (  # Jira's `PageBean`s: `startAt` and `maxResults`, `total`, `isLast`
    list_operation(
        "values",
        {
            "startAt": {"type": "integer"},
            "maxResults": {"type": "integer"},
            "total": {"type": "integer"},
            "isLast": {"type": "boolean"},
            "nextPage": {"type": "string", "format": "uri"},
        },
        [param("startAt"), param("maxResults"), param("query", "string")],
    ),
    {"scheme": "offset", "param": "startAt", "total_field": "total"},
)
SHAPES["/usages"] = (  # Zuora's 47 lists: a `nextPage` URL (`format: URL`, capitals)
    list_operation(
        "usages",
        {"nextPage": {"type": "string", "format": "URL"}, "success": {"type": "boolean"}},
        [param("pageSize")],
    ),
    {"scheme": "next_link", "field": "nextPage"},
)
SHAPES["/folders"] = (  # Xero Files: `TotalCount` ends the pages (one past it was asked for)
    list_operation(
        "Items",
        {"TotalCount": {"type": "integer"}, "Page": {"type": "integer"}},
        [param("page"), param("pagesize")],
    ),
    {"scheme": "page", "param": "page", "total_field": "TotalCount"},
)
UNPAGED: dict[str, dict[str, Any]] = {
    # sinao's chart: a `start_at` date beside a `count` is no item offset (regression audit)
    "/charts": list_operation(
        "data",
        {},
        [
            param("count"),
            {
                "name": "start_at",
                "in": "query",
                "schema": {"type": "string", "format": "date-time"},
            },
        ],
    ),
    # Mailchimp's one abuse report: its `_links` are no list, though `count`/`offset` come
    "/report": list_operation(
        "_links", {"id": {"type": "string"}}, [param("count"), param("offset")]
    ),
    # a string `page` with no `next_page` to send in it, and no page size: nothing to follow
    "/labels": list_operation("data", {}, [param("page", "string")]),
    # Amadeus's order by id: its `warnings` are no list's items, though a link comes
    "/order": {
        "get": {
            "operationId": "list",
            "responses": {
                "200": {
                    "description": "One order.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "data": ITEM,
                                    "warnings": {"type": "array", "items": ITEM},
                                    "meta": {
                                        "type": "object",
                                        "properties": {
                                            "links": {
                                                "type": "object",
                                                "properties": {"next": {"type": "string"}},
                                            }
                                        },
                                    },
                                },
                            }
                        }
                    },
                }
            },
        }
    },
    # a `page` on an object without an array
    "/summary": {
        "get": {
            "operationId": "list",
            "parameters": [param("page")],
            "responses": {
                "200": {
                    "description": "One object.",
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "properties": {"n": {"type": "integer"}}}
                        }
                    },
                }
            },
        }
    },
}


def shapes_spec(
    shapes: dict[str, Any],
    unpaged: dict[str, Any],
    schemas: dict[str, Any] | None = None,
    version: str = "3.1.0",
) -> dict[str, Any]:
    """A spec of every shape's and unpaged list's operation, each its own resource (the
    path without its `/`), with the `Item` model (and `schemas`)."""
    paths: dict[str, Any] = {path: operation for path, (operation, _) in shapes.items()}
    paths.update(unpaged)
    for path, item in paths.items():
        item["get"]["operationId"] = "list" + path.strip("/").title()
        item["get"]["x-sdk-resource"] = path.strip("/")
    return minimal_spec({"Item": ITEM, **(schemas or {})}, paths, version=version)


def spec() -> dict[str, Any]:
    item_list = {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}
    return shapes_spec(SHAPES, UNPAGED, {"ItemList": item_list, "Token": {"type": "string"}})


def built_package(
    tmp_path_factory: pytest.TempPathFactory,
    label: str,
    spec: dict[str, Any],
    name: str | None = None,
) -> Iterator[ModuleType]:
    """The package of `spec` (named `name`, else at random), generated and imported once for
    a module's tests (generating is the slow part), then forgotten: `yield from` it in a
    module-scoped fixture."""
    from generator.pipeline import generate_package

    root = tmp_path_factory.mktemp(label)
    name = name or f"pkg_{uuid.uuid4().hex[:12]}"
    generate_package(write_spec(root, spec, "spec.json"), root / name, package_name=name)
    sys.path.insert(0, str(root / name))
    try:
        yield importlib.import_module(name)
    finally:
        sys.path.remove(str(root / name))
        for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
            del sys.modules[key]


def assert_ir_pages(
    tmp_path: Path, spec: dict[str, Any], shapes: dict[str, Any], unpaged: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """Each shape's operation pages with its expected `PageInfo` arguments (`items` aside,
    returned by path), and no unpaged list does."""
    from generator.ir_build import build_api
    from generator.load import load_spec

    api = build_api(load_spec(write_spec(tmp_path, spec, "spec.json")), "pkg", "spec.json")
    found = {op.path: op.pagination for op in api.operations}
    items: dict[str, dict[str, Any]] = {}
    for path, (_, expected) in shapes.items():
        pagination = found[path]
        assert pagination is not None, path
        arguments = dict(pagination.info_arguments)
        items[path] = {"items": arguments.pop("items", None)}
        assert arguments == expected, path
    assert [found[path] for path in unpaged] == [None] * len(unpaged)
    return items


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """One package holding every shape (built once: generating is the slow part)."""
    yield from built_package(tmp_path_factory, "ending", spec())


class Recording:
    """A MockTransport handler that keeps the requests (and refuses to go on forever)."""

    def __init__(self, server: Server, limit: int = 20) -> None:
        self.server = server
        self.requests: list[httpx.Request] = []
        self.limit = limit

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        assert len(self.requests) <= self.limit, "the iteration does not end"
        return self.server(request)

    def queries(self) -> list[dict[str, str]]:
        return [dict(r.url.params.multi_items()) for r in self.requests]


def client_for(package: ModuleType, server: Server) -> tuple[Any, Recording]:
    handler = Recording(server)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return package.Client(base_url=BASE, http_client=http), handler


def async_run(package: ModuleType, server: Server, use: Callable[[Any], Any]) -> Any:
    """`use(async_client)` awaited, with `server` behind the client."""
    handler = Recording(server)

    async def serve(request: httpx.Request) -> httpx.Response:
        return handler(request)

    async def main() -> Any:
        http = httpx.AsyncClient(transport=httpx.MockTransport(serve))
        async with package.AsyncClient(base_url=BASE, http_client=http) as client:
            return await use(client), handler

    return asyncio.run(main())


def ids(items: Any) -> list[str]:
    """The ids of models (what a page yields) or of dicts (what a server sends)."""
    return [item["id"] if isinstance(item, dict) else item.id for item in items]


def every_page(
    package: ModuleType, server: Server, resource: str, asynchronous: bool, **kwargs: Any
) -> tuple[list[str], list[dict[str, str]], list[list[str]]]:
    """(every item's id, the queries sent, the ids of each page `iter_pages` yields)."""
    if asynchronous:

        async def use(client: Any) -> tuple[list[str], list[list[str]]]:
            method = getattr(client, resource).list
            every = [item.id async for item in method(**kwargs)]
            pages = [ids(page.items) async for page in (await method(**kwargs)).iter_pages()]
            return every, pages

        (every, pages), handler = async_run(package, server, use)
    else:
        client, handler = client_for(package, server)
        method = getattr(client, resource).list
        every = ids(method(**kwargs))
        pages = [ids(page.items) for page in method(**kwargs).iter_pages()]
    queries = handler.queries()
    assert queries[: len(queries) // 2] == queries[len(queries) // 2 :]  # both ways alike
    return every, queries[: len(queries) // 2], pages
