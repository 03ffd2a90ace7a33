"""Auto-pagination: each detected scheme, sync and async, through httpx.MockTransport.

A fake server holds 7 items and serves them 3 per page the way each scheme says; the
generated method must yield all 7 in order, lazily, and stop on a server that loops.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec, write_spec

ITEMS = [{"id": f"it_{n}", "n": n} for n in range(7)]
SIZE = 3
ITEM = {
    "type": "object",
    "required": ["id", "n"],
    "properties": {"id": {"type": "string"}, "n": {"type": "integer"}},
}


NUMBERS = {"page", "per_page", "offset", "limit"}


def _query(*names: str) -> list[dict[str, Any]]:
    return [
        {"name": n, "in": "query", "schema": {"type": "integer" if n in NUMBERS else "string"}}
        for n in names
    ]


def _page(properties: dict[str, Any], headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": "A page.",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "data": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                        **properties,
                    },
                }
            }
        },
    }
    if headers:
        response["headers"] = headers
    return response


ARRAY = {
    "description": "A page.",
    "headers": {"Link": {"schema": {"type": "string"}}},
    "content": {
        "application/json": {
            "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}
        }
    },
}

# scheme -> (query parameters, 200 response, server: (request, start) -> response)
Server = Callable[[httpx.Request], httpx.Response]


def _slice(start: int) -> list[dict[str, Any]]:
    return ITEMS[start : start + SIZE]


def _cursor(request: httpx.Request) -> httpx.Response:
    after = request.url.params.get("starting_after")
    start = 0 if after is None else int(after.split("_")[1]) + 1
    return httpx.Response(200, json={"data": _slice(start), "has_more": start + SIZE < len(ITEMS)})


def _token(request: httpx.Request) -> httpx.Response:
    start = int(request.url.params.get("page_token") or 0)
    more = start + SIZE < len(ITEMS)
    return httpx.Response(
        200, json={"data": _slice(start), "next_page_token": str(start + SIZE) if more else None}
    )


def _next_link(request: httpx.Request) -> httpx.Response:
    start = int(request.url.params.get("skip") or 0)
    body: dict[str, Any] = {"data": _slice(start)}
    if start + SIZE < len(ITEMS):
        body["@odata.nextLink"] = f"https://api.example.test/v1/things?skip={start + SIZE}"
    return httpx.Response(200, json=body)


def _link_header(request: httpx.Request) -> httpx.Response:
    page = int(request.url.params.get("page") or 1)
    start = (page - 1) * SIZE
    headers = {}
    if start + SIZE < len(ITEMS):
        headers["Link"] = (
            f'<https://api.example.test/v1/things?page={page + 1}&per_page=3>; rel="next", '
            '<https://api.example.test/v1/things?page=3&per_page=3>; rel="last"'
        )
    return httpx.Response(200, json=_slice(start), headers=headers)


def _page_number(request: httpx.Request) -> httpx.Response:
    page = int(request.url.params.get("page") or 1)
    return httpx.Response(200, json={"data": _slice((page - 1) * SIZE)})


def _offset(request: httpx.Request) -> httpx.Response:
    offset = int(request.url.params.get("offset") or 0)
    return httpx.Response(200, json={"data": _slice(offset)})


SCHEMES: dict[str, tuple[list[dict[str, Any]], dict[str, Any], Server]] = {
    "cursor": (
        _query("starting_after", "limit"),
        _page({"has_more": {"type": "boolean"}}),
        _cursor,
    ),
    "token": (
        _query("page_token"),
        _page({"next_page_token": {"type": ["string", "null"]}}),
        _token,
    ),
    "next_link": (_query("skip"), _page({"@odata.nextLink": {"type": "string"}}), _next_link),
    "link_header": (_query("page", "per_page"), ARRAY, _link_header),
    "page": (_query("page", "per_page"), _page({}), _page_number),
    "offset": (_query("offset", "limit"), _page({}), _offset),
}


def _spec(scheme: str) -> dict[str, Any]:
    parameters, response, _ = SCHEMES[scheme]
    operation = {
        "operationId": "listThings",
        "parameters": parameters,
        "responses": {"200": response},
    }
    return minimal_spec({"Item": ITEM}, {"/things": {"get": operation}})


class Counting:
    """A MockTransport handler that counts requests."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.server(request)


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_every_scheme_is_detected_and_followed(build_package: BuildPackage, scheme: str) -> None:
    package = build_package(_spec(scheme))
    info = importlib.import_module(f"{package.__name__}.resources.things")._page_list()
    assert info.scheme == scheme
    handler = Counting(SCHEMES[scheme][2])
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    page = client.things.list()
    assert handler.requests == []  # lazy: nothing sent before it is used
    assert [item.n for item in page.items] == [0, 1, 2]
    assert isinstance(page.items[0], package.models.Item)
    assert page.has_next_page() and page.raw_response.status_code == 200
    assert [item.n for item in page] == list(range(7))
    assert [item.n for item in page.next_page().items] == [3, 4, 5]
    # three pages for the loop (page and offset learn the end from an empty fourth one), then
    # the second page again for next_page()
    assert len(handler.requests) == (5 if scheme in ("page", "offset") else 4)


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_every_scheme_async(build_package: BuildPackage, scheme: str) -> None:
    package = build_package(_spec(scheme))
    handler = Counting(SCHEMES[scheme][2])

    async def main() -> tuple[list[int], list[int], bool]:
        async def serve(request: httpx.Request) -> httpx.Response:
            return handler(request)

        http = httpx.AsyncClient(transport=httpx.MockTransport(serve))
        client = package.AsyncClient(base_url="https://api.example.test/v1", http_client=http)
        first = await client.things.list()
        every = [item.n async for item in client.things.list()]
        return [i.n for i in first.items], every, await first.has_next_page()

    first, every, more = asyncio.run(main())
    assert first == [0, 1, 2] and every == list(range(7)) and more


@pytest.mark.parametrize("param", ["currentPage", "current_page", "pageNumber", "page_number"])
def test_other_page_number_parameters_page(build_package: BuildPackage, param: str) -> None:
    """api.video's `currentPage` + `pageSize`: a list whose pages a loop must follow (a
    `for` over the unpaged response model yielded pydantic's (field, value) pairs)."""
    operation = {
        "operationId": "listThings",
        "parameters": [
            {"name": name, "in": "query", "schema": {"type": "integer"}}
            for name in (param, "pageSize")
        ],
        "responses": {"200": _page({})},
    }
    package = build_package(minimal_spec({"Item": ITEM}, {"/things": {"get": operation}}))

    def server(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get(param) or 1)
        return httpx.Response(200, json={"data": _slice((page - 1) * SIZE)})

    handler = Counting(server)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    assert [item.n for item in client.things.list()] == list(range(7))
    # the first page is asked for by number too (Xero answers a list without one whole)
    assert [r.url.params.get(param) for r in handler.requests] == ["1", "2", "3", "4"]


def test_a_next_cursor_one_level_down_pages(build_package: BuildPackage) -> None:
    """Slack's lists (`conversations.list`, `users.list`): `cursor` + `limit`, and the next
    cursor in `response_metadata.next_cursor` ("" on the last page). Only top-level token
    fields were read: the method returned the first page's model, whose iteration yielded
    pydantic's (field, value) pairs."""
    meta = {"type": "object", "properties": {"next_cursor": {"type": "string"}}}
    operation = {
        "operationId": "listThings",
        "parameters": _query("cursor", "limit"),
        "responses": {"200": _page({"response_metadata": meta})},
    }
    package = build_package(minimal_spec({"Item": ITEM}, {"/things": {"get": operation}}))

    def server(request: httpx.Request) -> httpx.Response:
        start = int(request.url.params.get("cursor") or 0)
        more = start + SIZE < len(ITEMS)
        cursor = str(start + SIZE) if more else ""
        return httpx.Response(
            200, json={"data": _slice(start), "response_metadata": {"next_cursor": cursor}}
        )

    handler = Counting(server)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    assert [item.n for item in client.things.list(limit=3)] == list(range(7))
    assert [r.url.params.get("cursor") for r in handler.requests] == [None, "3", "6"]


def test_a_hal_next_page_link_object_pages(build_package: BuildPackage) -> None:
    """UX audit 8: GOV.UK Pay's searches answer `_links.next_page.href` (a HAL link object)
    beside a string `page` and a `display_size` no page scheme knows: one page came back."""
    link = {"type": "object", "properties": {"href": {"type": "string"}}}
    links = {"type": "object", "properties": {"self": link, "next_page": link}}
    operation = {
        "operationId": "searchPayments",
        "parameters": [  # GOV.UK's: both strings
            {"name": name, "in": "query", "schema": {"type": "string"}}
            for name in ("page", "display_size")
        ],
        "responses": {"200": _page({"_links": links, "total": {"type": "integer"}})},
    }
    package = build_package(minimal_spec({"Item": ITEM}, {"/payments": {"get": operation}}))

    def server(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page") or 1)
        more = page * SIZE < len(ITEMS)
        href = f"https://api.example.test/v1/payments?page={page + 1}&display_size={SIZE}"
        links: dict[str, Any] = {"next_page": {"href": href}} if more else {}
        body = {"data": _slice((page - 1) * SIZE), "total": len(ITEMS), "_links": links}
        return httpx.Response(200, json=body)

    handler = Counting(server)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    assert [item.n for item in client.payments.list(display_size=str(SIZE))] == list(range(7))
    assert [r.url.params.get("page") for r in handler.requests] == [None, "2", "3"]


def test_a_next_declared_as_a_url_pages_beside_a_token_parameter(
    build_package: BuildPackage,
) -> None:
    """UX audit 9: SendGrid's lists take `page_token` and answer `_metadata.next` (a
    `format: uri` string) beside `result`: none of its 12 lists paged."""
    metadata = {"type": "object", "properties": {"next": {"type": "string", "format": "uri"}}}
    response = {
        "description": "A page.",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "result": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                        "_metadata": metadata,
                    },
                }
            }
        },
    }
    operation = {
        "operationId": "listThings",
        "parameters": _query("page_token", "page_size"),
        "responses": {"200": response},
    }
    package = build_package(minimal_spec({"Item": ITEM}, {"/things": {"get": operation}}))

    def server(request: httpx.Request) -> httpx.Response:
        start = int(request.url.params.get("page_token") or 0)
        meta = {}
        if start + SIZE < len(ITEMS):
            meta["next"] = f"https://api.example.test/v1/things?page_token={start + SIZE}"
        return httpx.Response(200, json={"result": _slice(start), "_metadata": meta})

    handler = Counting(server)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    assert [item.n for item in client.things.list()] == list(range(7))
    assert [r.url.params.get("page_token") for r in handler.requests] == [None, "3", "6"]


def test_a_server_that_repeats_its_cursor_stops_with_an_error(build_package: BuildPackage) -> None:
    package = build_package(_spec("token"))

    def stuck(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": ITEMS[:2], "next_page_token": "same"})

    http = httpx.Client(transport=httpx.MockTransport(stuck))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    errors = importlib.import_module(f"{package.__name__}._pagination")
    seen: list[int] = []
    with pytest.raises(errors.PaginationError, match="previous page's items again"):
        for item in client.things.list():
            seen.append(item.n)
    assert seen == [0, 1]  # the second page repeats the first: refused, its items not yielded


@pytest.mark.parametrize("scheme", ["token", "link_header"])
def test_a_server_that_repeats_a_page_under_new_tokens_stops_with_an_error(
    build_package: BuildPackage, scheme: str
) -> None:
    """The same items under a new token (or `Link`) each time: only a repeated token was
    caught, and the iteration went on forever (hostile sweep)."""
    package = build_package(_spec(scheme))
    counter = iter(range(1, 10_000))

    def stuck(request: httpx.Request) -> httpx.Response:
        n = next(counter)
        if n > 50:  # (bounded, should the repeat go unnoticed)
            return httpx.Response(200, json={"data": []})
        link = f'<https://api.example.test/v1/things?page_token=t{n}>; rel="next"'
        body: Any = {"data": ITEMS[:2], "next_page_token": f"t{n}"}
        if scheme == "link_header":  # (a bare array)
            body = ITEMS[:2]
        return httpx.Response(200, json=body, headers={"Link": link})

    http = httpx.Client(transport=httpx.MockTransport(stuck))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    errors = importlib.import_module(f"{package.__name__}._pagination")
    seen: list[int] = []
    with pytest.raises(errors.PaginationError, match="previous page's items again"):
        for item in client.things.list():
            seen.append(item.n)
    assert seen == [0, 1]


def test_numbered_pages_that_cycle_stop_with_an_error(build_package: BuildPackage) -> None:
    """Hostile audit 10: only the previous page was compared; pages answering A, B, A, B…
    for page 1, 2, 3, 4… ran forever (5,000 requests)."""
    operation = {
        "operationId": "listThings",
        "parameters": _query("page", "per_page"),
        "responses": {"200": _page({})},
    }
    package = build_package(minimal_spec({"Item": ITEM}, {"/things": {"get": operation}}))

    def cycling(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page") or 1)
        if page > 40:  # (bounded, should the cycle go unnoticed)
            return httpx.Response(200, json={"data": []})
        return httpx.Response(200, json={"data": _slice(0 if page % 2 else SIZE)})

    handler = Counting(cycling)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    errors = importlib.import_module(f"{package.__name__}._pagination")
    seen: list[int] = []
    with pytest.raises(errors.PaginationError, match="earlier page"):
        for item in client.things.list(per_page=SIZE):
            seen.append(item.n)
    assert seen == [0, 1, 2, 3, 4, 5] and len(handler.requests) == 3


def test_the_pages_remember_a_digest_of_each_token_not_the_token(
    build_package: BuildPackage,
) -> None:
    """Hostile audit 10: each fresh token was kept whole to detect a repeat (a server handing
    out a 512 KiB token a page grew the caller's memory by 0.6 MB a page, on an endless list)."""
    package = build_package(_spec("token"))
    pages: list[int] = []

    def fresh(request: httpx.Request) -> httpx.Response:
        pages.append(len(pages))
        token = f"{len(pages):06d}" + "x" * 20_000
        item = ITEMS[len(pages) % len(ITEMS)]  # (each page another: the same one is refused)
        return httpx.Response(200, json={"data": [item], "next_page_token": token})

    http = httpx.Client(transport=httpx.MockTransport(fresh))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    page = client.things.list()
    for _ in range(5):
        page = page.next_page()
    assert len(pages) == 5 and len(page._seen) == 5  # (the last page is not fetched yet)
    assert all(len(seen) == 16 for seen in page._seen)


def test_a_next_link_to_another_origin_is_not_followed(build_package: BuildPackage) -> None:
    package = build_package(_spec("next_link"))

    def leaky(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, json={"data": ITEMS[:1], "@odata.nextLink": "https://evil.test/steal"}
        )

    handler = Counting(leaky)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    errors = importlib.import_module(f"{package.__name__}._pagination")
    with pytest.raises(errors.PaginationError, match="origin"):
        list(client.things.list())
    assert [r.url.host for r in handler.requests] == ["api.example.test"]


_NO_LINK = ("next_link", "@odata.nextLink", "not a URL|not text")
_NO_TOKEN = ("token", "next_page_token", "token is no text or number")


@pytest.mark.parametrize(
    ("shape", "value"),
    [
        (_NO_LINK, "https://[::1/x"),
        (_NO_LINK, "http://[bad"),
        (_NO_LINK, {"href": ["things?page=2"]}),
        (_NO_LINK, {"href": 7}),
        (_NO_TOKEN, True),  # went out as `page_token=True`, and the list went on
        (_NO_TOKEN, {"a": 1}),
    ],
)
def test_a_next_position_that_is_no_url_or_token_is_a_pagination_error(
    build_package: BuildPackage, shape: tuple[str, str, str], value: Any
) -> None:
    """urljoin's ValueError ("Invalid IPv6 URL") came out raw; a lenient body's list or object
    was followed as its text (a one-item list joined onto the URL every page, 10,916
    requests: hostile audit 11); a boolean token was sent back (hostile audit 13)."""
    scheme, field, message = shape
    package = build_package(_spec(scheme))

    def broken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": ITEMS[:1], field: value})

    http = httpx.Client(transport=httpx.MockTransport(broken))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    errors = importlib.import_module(f"{package.__name__}._pagination")
    with pytest.raises(errors.PaginationError, match=message):
        list(client.things.list())


def test_a_count_of_thousands_of_digits_is_no_count(build_package: BuildPackage) -> None:
    """A 5,000-digit page count raised int()'s ValueError: it says nothing, the pages go on
    until one is empty."""
    spec = _spec("page")
    pages = {"X-Pages": {"schema": {"type": "integer"}}}
    spec["paths"]["/things"]["get"]["responses"]["200"] = _page({}, headers=pages)
    package = build_package(spec)

    def server(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page") or 1)
        headers = {"X-Pages": "9" * 5000}
        return httpx.Response(200, json={"data": _slice((page - 1) * SIZE)}, headers=headers)

    http = httpx.Client(transport=httpx.MockTransport(server))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    assert [item.n for item in client.things.list()] == list(range(7))


def test_x_pagination_declares_and_disables(build_package: BuildPackage) -> None:
    spec = _spec("page")
    operation = spec["paths"]["/things"]["get"]
    operation["x-pagination"] = False
    package = build_package(spec)
    http = httpx.Client(transport=httpx.MockTransport(_page_number))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    assert [i.n for i in client.things.list().data] == [0, 1, 2]  # a plain page model
    operation["x-pagination"] = {"scheme": "offset", "param": "offset", "items": "data"}
    operation["parameters"] = _query("offset")
    declared = build_package(spec)
    http = httpx.Client(transport=httpx.MockTransport(_offset))
    client = declared.Client(base_url="https://api.example.test/v1", http_client=http)
    assert [i.n for i in client.things.list()] == list(range(7))


def _link_after(request: httpx.Request) -> httpx.Response:
    """GitHub's `/advisories`: `after` cursors in a `Link` header the spec does not document."""
    after = request.url.params.get("after")
    start = 0 if after is None else int(after)
    headers = {}
    if start + SIZE < len(ITEMS):
        headers["Link"] = f'<https://api.example.test/v1/things?after={start + SIZE}>; rel="next"'
    return httpx.Response(200, json=_slice(start), headers=headers)


def test_an_array_with_a_cursor_and_a_size_follows_an_undocumented_link_header(
    build_package: BuildPackage,
) -> None:
    undocumented = {k: v for k, v in ARRAY.items() if k != "headers"}
    operation = {
        "operationId": "listThings",
        "parameters": _query("after", "before", "per_page"),
        "responses": {"200": undocumented},
    }
    package = build_package(minimal_spec({"Item": ITEM}, {"/things": {"get": operation}}))
    info = importlib.import_module(f"{package.__name__}.resources.things")._page_list()
    assert info.scheme == "link_header"
    handler = Counting(_link_after)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    assert [item.n for item in client.things.list(per_page=3)] == list(range(7))
    assert len(handler.requests) == 3


def test_an_array_without_paging_parameters_is_returned_whole(build_package: BuildPackage) -> None:
    undocumented = {k: v for k, v in ARRAY.items() if k != "headers"}
    operation = {"operationId": "listThings", "responses": {"200": undocumented}}
    package = build_package(minimal_spec({"Item": ITEM}, {"/things": {"get": operation}}))
    module = importlib.import_module(f"{package.__name__}.resources.things")
    assert not hasattr(module, "_page_list")
    http = httpx.Client(transport=httpx.MockTransport(lambda _: httpx.Response(200, json=ITEMS)))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    assert [item.n for item in client.things.list()] == list(range(7))


@pytest.mark.parametrize("scheme", ["page", "offset"])
def test_a_page_number_typed_as_a_string_is_sent_as_one(
    build_package: BuildPackage, scheme: str
) -> None:
    """isbndb.com types `page` as a string: the next page's number must be sent as text
    (an int was refused before sending)."""
    spec = _spec(scheme)
    for parameter in spec["paths"]["/things"]["get"]["parameters"]:
        parameter["schema"] = {"type": "string"}
    package = build_package(spec)
    handler = Counting(_page_number if scheme == "page" else _offset)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    assert [i.n for i in client.things.list()] == list(range(7))
    assert handler.requests[1].url.params[scheme] == ("2" if scheme == "page" else "3")


@pytest.mark.parametrize("extra_query", [None, {"trace": "on"}])
def test_a_next_link_keeps_its_query_beside_a_credential_in_the_query(
    build_package: BuildPackage, extra_query: dict[str, str] | None
) -> None:
    """A link with nothing to add is sent as it is; with an API key in the query (and the
    call's extra query), its own query still goes out beside them."""
    spec = _spec("link_header")
    spec["components"]["securitySchemes"] = {
        "queryKey": {"type": "apiKey", "in": "query", "name": "api_key"}
    }
    spec["security"] = [{"queryKey": []}]
    package = build_package(spec)
    handler = Counting(_link_header)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(
        base_url="https://api.example.test/v1", http_client=http, query_key="k-1"
    )
    assert [item.n for item in client.things.list(extra_query=extra_query)] == list(range(7))
    queries = [dict(r.url.params.multi_items()) for r in handler.requests]
    expected = {"api_key": "k-1", **(extra_query or {})}
    assert queries == [
        expected,
        {"page": "2", "per_page": "3", **expected},
        {"page": "3", "per_page": "3", **expected},
    ]
    sent = [len(r.url.params.multi_items()) for r in handler.requests]
    assert sent == [len(q) for q in queries]  # nothing twice


@pytest.mark.parametrize("added", ["&api_key=old", "&tags=a,b%2Cc"])
def test_a_next_link_with_a_query_credential(build_package: BuildPackage, added: str) -> None:
    """Servers often echo the API key in their next link: it went out twice
    (`?page=2&api_key=k&api_key=k`); the client's credential goes out, once. The rest of
    the link's query goes as the server wrote it: parsed and encoded again, `tags=a,b%2Cc`
    (two items, one holding a comma) went back as `tags=a%2Cb%2Cc` (e2e audit 3)."""
    spec = _spec("link_header")
    spec["components"]["securitySchemes"] = {
        "queryKey": {"type": "apiKey", "in": "query", "name": "api_key"}
    }
    spec["security"] = [{"queryKey": []}]
    package = build_package(spec)

    def linking(request: httpx.Request) -> httpx.Response:
        response = _link_header(request)
        link = response.headers.get("Link", "").replace("per_page=3>", f"per_page=3{added}>")
        return httpx.Response(200, json=response.json(), headers={"Link": link} if link else {})

    handler = Counting(linking)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(
        base_url="https://api.example.test/v1", http_client=http, query_key="k-1"
    )
    assert [item.n for item in client.things.list()] == list(range(7))
    keys = [r.url.params.get_list("api_key") for r in handler.requests]
    assert keys == [["k-1"], ["k-1"], ["k-1"]]
    kept = "" if "api_key" in added else added
    queries = [r.url.query.decode() for r in handler.requests[1:]]
    assert all(q.endswith(f"per_page=3{kept}&api_key=k-1") for q in queries), queries


@pytest.mark.parametrize(
    ("declared", "told"),
    [
        ({"scheme": "page", "param": "page", "items": "nope"}, "items 'nope'"),
        ({"scheme": "pages", "param": "page"}, "scheme 'pages'"),
        ({"scheme": "token", "param": "page", "field": "nope"}, "field 'nope'"),
        # the next page was asked for as `?=2` (page 1 again): iteration stopped after one
        ({"scheme": "page"}, "needs `param`"),
        ({"scheme": "offset", "param": 5}, "needs `param`"),
        ({"scheme": "page", "param": "page", "id_field": {"a": 1}}, "id_field must be text"),
    ],
)
def test_a_declaration_naming_nothing_is_told_and_detection_decides(
    tmp_path: Path, declared: dict[str, Any], told: str
) -> None:
    """`items = "nope"` made every page look empty (the mock invented a `nope` field, a
    real answer yielded nothing), silently: W309 at the declaration, and the pagination
    detection finds (page + per_page, items in `data`) is used."""
    from generator.pipeline import generate_package

    spec = _spec("page")
    spec["paths"]["/things"]["get"]["x-pagination"] = declared
    result = generate_package(write_spec(tmp_path, spec), tmp_path / "out", package_name="p309")
    warnings = [d for d in result.diagnostics if d.code == "W309"]
    assert len(warnings) == 1 and told in warnings[0].message, result.diagnostics
    assert warnings[0].location.line > 1  # at the operation's x-pagination
    pages = (tmp_path / "out" / "p309" / "resources" / "things.py").read_text(encoding="utf-8")
    assert 'scheme="page"' in pages and 'items="data"' in pages


def test_a_next_token_that_is_a_url_is_followed(build_package: BuildPackage) -> None:
    """Spotify's `next` (beside an `after` parameter, an integer there) is the next page's
    URL: sent back as the token it went out as `after=https%3A…`, or was refused by the
    integer's check mid-iteration. A token that is an absolute URL is followed as a link
    (another origin still refused)."""
    listing = {
        "type": "object",
        "properties": {
            "next": {"type": "string", "nullable": True},
            "items": {"type": "array", "items": ITEM},
        },
    }
    operation = {
        "operationId": "listPlayed",
        "parameters": [
            {"name": "limit", "in": "query", "schema": {"type": "integer"}},
            {"name": "after", "in": "query", "schema": {"type": "integer"}},
        ],
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": listing}}}
        },
    }
    package = build_package(minimal_spec({}, {"/played": {"get": operation}}))

    def answer(request: httpx.Request) -> httpx.Response:
        after = int(request.url.params.get("after", "0"))
        link = f"https://api.example.test/v1/played?after={after + SIZE}&limit={SIZE}"
        more = after + SIZE < len(ITEMS)
        return httpx.Response(200, json={"items": _slice(after), "next": link if more else None})

    handler = Counting(answer)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    assert [item.n for item in client.played.list()] == list(range(len(ITEMS)))
    assert [r.url.params.get("after") for r in handler.requests] == [None, "3", "6"]


@pytest.mark.parametrize(
    "start",
    [
        {"minimum": 0},
        {"default": 0},
        {"example": 0},
        {"examples": [0, 5]},
        {"description": "Zero-based page index."},
        {"description": "The page number (possible values: from 0 to page count - 1)."},
    ],
)
def test_zero_based_pages_start_at_zero(build_package: BuildPackage, start: dict[str, Any]) -> None:
    """Hostile audit 7: Spring Data's `page` (`minimum: 0`) was asked for as 1, 2, 3: page 0
    was lost. The first page's number is the parameter's `default` or `minimum` when 0; UX
    audit 8: or its example (NOWPayments' `example: "0"`), or its description's word."""
    parameters = [
        {"name": "page", "in": "query", "schema": {"type": "integer", **start}},
        {"name": "size", "in": "query", "schema": {"type": "integer"}},
    ]
    pages = {"total_pages": {"type": "integer"}}
    operation = {
        "operationId": "listThings",
        "parameters": parameters,
        "responses": {"200": _page(pages)},
    }
    package = build_package(minimal_spec({"Item": ITEM}, {"/things": {"get": operation}}))

    def server(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page") or 0)
        return httpx.Response(200, json={"data": _slice(page * SIZE), "total_pages": 3})

    handler = Counting(server)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    assert [item.n for item in client.things.list()] == list(range(7))
    assert [r.url.params.get("page") for r in handler.requests] == ["0", "1", "2"]  # no 4th


@pytest.mark.parametrize(
    ("schema", "first"),
    [
        ({"type": "integer", "example": 3}, 1),
        ({"type": "integer", "minimum": 1, "example": 0}, 1),  # the bound wins
        ({"type": "integer", "description": "Page number, starting from 1."}, 1),
        ({"type": "string", "example": "0"}, 0),  # NOWPayments'
        ({"type": "integer", "description": "Pages start at 0."}, 0),
    ],
)
def test_the_first_page_number(schema: dict[str, Any], first: int) -> None:
    from generator.pagination_schema import first_page

    assert first_page({}, schema) == first
