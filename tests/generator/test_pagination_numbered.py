"""Page numbers three real APIs tell their own way (UX audit 12): Linode's bare `pages` and
`results` beside `page`, Telnyx's JSON:API `page[number]`/`page[size]` ending at
`meta.total_pages`, Hetzner Cloud's `meta.pagination.next_page` sent as an undeclared
`page` (a page number: a server repeating a page, or numbering the next one no higher, is
not followed forever: hostile audit 15), Netlify's `page`/`per_page` ending where the `Link`
header names no next page (UX audit 13); and a JSON:API list whose `links.next` stays the
way it pages. Detected at generation time, followed sync and async through
httpx.MockTransport: no request past the last page."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.pagination_shapes import (
    BASE,
    ITEM,
    ITEMS,
    Server,
    assert_ir_pages,
    async_run,
    built_package,
    client_for,
    every_page,
    ids,
    list_operation,
    param,
    shapes_spec,
)

INTEGER = {"type": "integer"}
NULLABLE_NUMBER = {"type": "number", "nullable": True}
_HETZNER_PAGINATION = {
    "type": "object",
    "properties": {
        name: NULLABLE_NUMBER if name != "page" else {"type": "number"}
        for name in ("page", "per_page", "previous_page", "next_page", "last_page")
    },
}
_TELNYX_META = {
    "type": "object",
    "properties": {n: INTEGER for n in ("page_number", "page_size", "total_pages")},
}
# path → (its GET, the PageInfo arguments detected for it)
SHAPES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "/invoices": (  # Linode: `{data, page, pages, results}`, query `page` and `page_size`
        list_operation(
            "data",
            {"page": INTEGER, "pages": INTEGER, "results": INTEGER},
            [param("page"), param("page_size")],
        ),
        {"scheme": "page", "param": "page", "pages_field": "pages", "total_field": "results"},
    ),
    "/groups": (  # Telnyx: `page[number]`, `page[size]`, `meta.total_pages`
        list_operation(
            "data", {"meta": _TELNYX_META}, [param("page[number]"), param("page[size]")]
        ),
        {"scheme": "page", "param": "page[number]", "pages_field": ("meta", "total_pages")},
    ),
    "/servers": (  # Hetzner Cloud: no page parameter, `meta.pagination.next_page`
        list_operation(
            "servers",
            {"meta": {"type": "object", "properties": {"pagination": _HETZNER_PAGINATION}}},
            [param("name", "string")],
        ),
        {
            "scheme": "token",
            "param": "page",
            "field": ("meta", "pagination", "next_page"),
            "numbered": True,
        },
    ),
    "/sites": (  # Netlify: an array of items, `page` and `per_page`, a `Link` header
        {
            "get": {
                "parameters": [param("page"), param("per_page")],
                "responses": {
                    "200": {
                        "description": "A page.",
                        "content": {
                            "application/json": {"schema": {"type": "array", "items": ITEM}}
                        },
                    }
                },
            }
        },
        {"scheme": "page", "param": "page"},
    ),
    "/slices": (  # JSON:API offsets: `page[offset]` and `page[limit]`
        list_operation("data", {}, [param("page[offset]"), param("page[limit]")]),
        {"scheme": "offset", "param": "page[offset]"},
    ),
    "/patients": (  # Twine Health (JSON:API): `links.next` beside `page[cursor]`, a link
        list_operation(
            "data",
            {"links": {"type": "object", "properties": {"next": {"type": "string"}}}},
            [param("page[number]"), param("page[size]"), param("page[cursor]", "string")],
        ),
        {"scheme": "next_link", "field": ("links", "next")},
    ),
}
UNPAGED = {
    # a `pages` count where nothing numbers the pages is no reason to page
    "/books": list_operation("data", {"pages": INTEGER}, [param("name", "string")]),
    # a `pagination.next_page` beside a page parameter no scheme knows: not sent as `page`
    "/hosts": list_operation(
        "hosts",
        {"meta": {"type": "object", "properties": {"pagination": _HETZNER_PAGINATION}}},
        [param("page_index")],
    ),
}


def spec() -> dict[str, Any]:
    return shapes_spec(SHAPES, UNPAGED, version="3.0.3")


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """One package holding every shape (built once: generating is the slow part)."""
    yield from built_package(tmp_path_factory, "numbered", spec())


def test_the_ir_pages_each_shape_as_the_api_does(tmp_path: Path) -> None:
    assert_ir_pages(tmp_path, spec(), SHAPES, UNPAGED)


def _linode(request: httpx.Request) -> httpx.Response:
    """Linode: 3 a page, `pages` and `results`; a page past the last answers the last one's
    items again with its own number (as a server may), which only `pages` ends."""
    number = int(request.url.params.get("page", "1"))
    start = (min(number, 3) - 1) * 3
    body = {"data": ITEMS[start : start + 3], "page": number, "pages": 3, "results": 7}
    return httpx.Response(200, json=body)


@pytest.mark.parametrize("asynchronous", [False, True])
def test_linode_pages_end_at_pages(package: ModuleType, asynchronous: bool) -> None:
    every, queries, pages = every_page(package, _linode, "invoices", asynchronous)
    assert every == ids(ITEMS)
    assert [q.get("page") for q in queries] == ["1", "2", "3"]  # not a fourth
    assert pages == [ids(ITEMS[0:3]), ids(ITEMS[3:6]), ids(ITEMS[6:])]


def _telnyx(request: httpx.Request) -> httpx.Response:
    """Telnyx: `page[number]` and `page[size]` (2 by default), `meta.total_pages`; a page
    past the last is refused."""
    number = int(request.url.params.get("page[number]", "1"))
    size = int(request.url.params.get("page[size]", "2"))
    total = -(-len(ITEMS) // size)
    if number > total:
        return httpx.Response(422, json={"errors": [{"detail": "page out of range"}]})
    meta = {"page_number": number, "page_size": size, "total_pages": total}
    return httpx.Response(
        200, json={"data": ITEMS[(number - 1) * size : number * size], "meta": meta}
    )


@pytest.mark.parametrize("asynchronous", [False, True])
def test_telnyx_pages_by_bracketed_page_number(package: ModuleType, asynchronous: bool) -> None:
    every, queries, pages = every_page(package, _telnyx, "groups", asynchronous, page_size=3)
    assert every == ids(ITEMS)
    assert queries == [{"page[size]": "3", "page[number]": str(n)} for n in (1, 2, 3)]
    assert pages == [ids(ITEMS[0:3]), ids(ITEMS[3:6]), ids(ITEMS[6:])]


def _hetzner(request: httpx.Request) -> httpx.Response:
    """Hetzner Cloud: `page` (undeclared), 3 a page, `next_page` null on the last page (a
    number, as its spec types it); a page past the last is refused."""
    number = int(request.url.params.get("page", "1"))
    if number > 3:
        return httpx.Response(400, json={"error": {"code": "invalid_input"}})
    pagination = {
        "page": number,
        "per_page": 3,
        "previous_page": number - 1 or None,
        "next_page": float(number + 1) if number < 3 else None,
        "last_page": 3,
    }
    body = {"servers": ITEMS[(number - 1) * 3 : number * 3], "meta": {"pagination": pagination}}
    return httpx.Response(200, json=body)


@pytest.mark.parametrize("asynchronous", [False, True])
def test_hetzner_sends_next_page_as_page(package: ModuleType, asynchronous: bool) -> None:
    every, queries, pages = every_page(package, _hetzner, "servers", asynchronous, name="s")
    assert every == ids(ITEMS)
    assert queries == [{"name": "s"}, {"name": "s", "page": "2"}, {"name": "s", "page": "3"}]
    assert pages == [ids(ITEMS[0:3]), ids(ITEMS[3:6]), ids(ITEMS[6:])]


def _hetzner_hostile(items: Any, next_page: Any) -> Server:
    """A Hetzner-shaped server whose page `n` holds `items(n)` and names `next_page(n)`
    as the next page, whatever page that is."""

    def serve(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params.get("page", "1"))
        pagination = {"page": number, "per_page": 3, "next_page": next_page(number)}
        return httpx.Response(
            200, json={"servers": items(number), "meta": {"pagination": pagination}}
        )

    return serve


def _pagination_error(package: ModuleType) -> type[Exception]:
    error: type[Exception] = importlib.import_module(
        f"{package.__name__}._pagination"
    ).PaginationError
    return error


def _list_all(package: ModuleType, server: Server, asynchronous: bool) -> tuple[Any, int]:
    """(every item's id, or the exception the iteration raised; the requests sent)."""
    if asynchronous:

        async def use(client: Any) -> Any:
            try:
                return [item.id async for item in client.servers.list()]
            except Exception as exc:  # (what the iteration raised, compared)
                return exc

        result, handler = async_run(package, server, use)
    else:
        client, handler = client_for(package, server)
        try:
            result = ids(client.servers.list())
        except Exception as exc:
            result = exc
    return result, len(handler.requests)


@pytest.mark.parametrize("asynchronous", [False, True])
def test_hetzner_same_page_with_next_page_counting_up_ends(
    package: ModuleType, asynchronous: bool
) -> None:
    # the same page whatever `page` asks for, `next_page` one up each time: it was asked
    # for until the handler's cap (hostile audit 15); a repeat of the last page ends it
    server = _hetzner_hostile(lambda n: ITEMS[0:3], lambda n: n + 1)
    assert _list_all(package, server, asynchronous) == (ids(ITEMS[0:3]), 2)


@pytest.mark.parametrize("asynchronous", [False, True])
def test_hetzner_earlier_page_again_is_refused(package: ModuleType, asynchronous: bool) -> None:
    # pages A, B, A, B… under numbers counting up: an earlier page again is an error
    server = _hetzner_hostile(lambda n: ITEMS[0:3] if n % 2 else ITEMS[3:6], lambda n: n + 1)
    result, sent = _list_all(package, server, asynchronous)
    assert isinstance(result, _pagination_error(package)), result
    assert "earlier page" in str(result)
    assert sent == 3


# page number → the next page the server names: none above the page asked for
_NOT_AFTER: dict[str, dict[int, Any]] = {
    "negative": {1: -1},
    "zero": {1: 0},
    "the same": {1: 1},
    "backwards": {1: 3, 3: 2},
    "a fraction": {1: 1.5},
    "a boolean": {1: True},
}


@pytest.mark.parametrize("asynchronous", [False, True])
@pytest.mark.parametrize("shape", list(_NOT_AFTER))
def test_hetzner_next_page_not_after_this_one_is_refused(
    package: ModuleType, asynchronous: bool, shape: str
) -> None:
    # `next_page: -1, -2, …` was followed forever, `true` sent as `page=1`, `1.5` as
    # `page=1.5`, a page going back asked again (hostile audit 15)
    nexts = _NOT_AFTER[shape]
    server = _hetzner_hostile(lambda n: ITEMS[n : n + 1], lambda n: nexts.get(n))
    result, sent = _list_all(package, server, asynchronous)
    assert isinstance(result, _pagination_error(package)), result
    assert "no page after page" in str(result)
    assert sent == len(nexts)


def _netlify(request: httpx.Request) -> httpx.Response:
    """Netlify: an array of `per_page` items (2 by default); each page's `Link` header names
    the next page but the last's, which names the first and the previous only; a page past
    the last is empty."""
    number = int(request.url.params.get("page", "1"))
    size = int(request.url.params.get("per_page", "2"))
    last = -(-len(ITEMS) // size)
    url = f"{BASE}/sites?per_page={size}&page="
    links = [f'<{url}1>; rel="first"', f'<{url}{last}>; rel="last"']
    if number > 1:
        links.append(f'<{url}{number - 1}>; rel="prev"')
    if number < last:
        links.append(f'<{url}{number + 1}>; rel="next"')
    items = ITEMS[(number - 1) * size : number * size]
    return httpx.Response(200, json=items, headers={"Link": ", ".join(links)})


@pytest.mark.parametrize("asynchronous", [False, True])
def test_netlify_pages_end_where_the_link_header_names_no_next(
    package: ModuleType, asynchronous: bool
) -> None:
    every, queries, pages = every_page(package, _netlify, "sites", asynchronous, per_page=3)
    assert every == ids(ITEMS)
    assert queries == [{"per_page": "3", "page": str(n)} for n in (1, 2, 3)]  # not a 4th
    assert pages == [ids(ITEMS[0:3]), ids(ITEMS[3:6]), ids(ITEMS[6:])]


def _deprecated(request: httpx.Request) -> httpx.Response:
    """Numbered pages whose `Link` header links no page (a deprecation notice): it says
    nothing of the list's end, an empty page does."""
    number = int(request.url.params.get("page", "1"))
    link = '<https://example.test/sunset>; rel="deprecation"'
    return httpx.Response(200, json=ITEMS[(number - 1) * 3 : number * 3], headers={"Link": link})


@pytest.mark.parametrize("asynchronous", [False, True])
def test_a_link_header_of_other_links_does_not_end_numbered_pages(
    package: ModuleType, asynchronous: bool
) -> None:
    every, queries, _ = every_page(package, _deprecated, "sites", asynchronous, per_page=3)
    assert every == ids(ITEMS)
    assert [q.get("page") for q in queries] == ["1", "2", "3", "4"]


def _slices(request: httpx.Request) -> httpx.Response:
    """JSON:API offsets: `page[offset]`, `page[limit]` (3 by default)."""
    offset = int(request.url.params.get("page[offset]", "0"))
    limit = int(request.url.params.get("page[limit]", "3"))
    return httpx.Response(200, json={"data": ITEMS[offset : offset + limit]})


@pytest.mark.parametrize("asynchronous", [False, True])
def test_jsonapi_offsets_page(package: ModuleType, asynchronous: bool) -> None:
    every, queries, _ = every_page(package, _slices, "slices", asynchronous, page_limit=3)
    assert every == ids(ITEMS)
    assert [q.get("page[offset]") for q in queries] == [None, "3", "6", "7"]


def _patients(request: httpx.Request) -> httpx.Response:
    """Twine Health: `links.next` carries the cursor (and the caller's page size)."""
    cursor = int(request.url.params.get("page[cursor]", "0"))
    more = cursor + 3 < len(ITEMS)
    link = f"/v1/patients?page[size]=3&page[cursor]={cursor + 3}" if more else None
    return httpx.Response(200, json={"data": ITEMS[cursor : cursor + 3], "links": {"next": link}})


@pytest.mark.parametrize("asynchronous", [False, True])
def test_a_jsonapi_next_link_is_followed(package: ModuleType, asynchronous: bool) -> None:
    every, queries, _ = every_page(package, _patients, "patients", asynchronous, page_size=3)
    assert every == ids(ITEMS)
    assert [q.get("page[cursor]") for q in queries] == [None, "3", "6"]
