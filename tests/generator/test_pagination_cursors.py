"""Apideck's lists (UX audit 14): a `cursor` query parameter, the next cursor two levels
down in `meta.cursors.next` (beside `previous` and `current`), and `links.next`, the same
page as a URL. Its 64 lists returned their first page only. Detected at generation time as
a token sent back as `cursor` (the caller's query kept), followed sync and async through
httpx.MockTransport until `next` is null or absent; a `next` that is no cursor's stays
unpaged."""

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
    ITEMS,
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

NULLABLE_TEXT = {"type": "string", "nullable": True}
_CURSORS = {
    "type": "object",
    "properties": {name: NULLABLE_TEXT for name in ("previous", "current", "next")},
}
_META = {  # Apideck's `Meta`
    "type": "object",
    "properties": {"items_on_page": {"type": "integer"}, "cursors": _CURSORS},
}
_LINKS = {  # Apideck's `Links`: URLs, though not typed as such
    "type": "object",
    "properties": {name: NULLABLE_TEXT for name in ("previous", "current", "next")},
}
_APIDECK = [param("cursor", "string"), param("limit"), param("filter", "string")]
# path → (its GET, the PageInfo arguments detected for it)
SHAPES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "/invoices": (  # Apideck: `meta.cursors.next` beside `links.next`
        list_operation("data", {"meta": _META, "links": _LINKS}, _APIDECK),
        {"scheme": "token", "param": "cursor", "field": ("meta", "cursors", "next")},
    ),
    "/bills": (  # the cursors at the top, no links
        list_operation("data", {"cursors": _CURSORS}, _APIDECK),
        {"scheme": "token", "param": "cursor", "field": ("cursors", "next")},
    ),
}
UNPAGED = {
    # a `next` in `cursors` with no parameter to send it in
    "/notes": list_operation("data", {"meta": _META}, [param("limit")]),
    # a lone `next` in `cursors` (nothing says it is one of a set of cursors)
    "/tags": list_operation(
        "data",
        {
            "meta": {
                "type": "object",
                "properties": {
                    "cursors": {"type": "object", "properties": {"next": NULLABLE_TEXT}}
                },
            }
        },
        [param("cursor", "string")],
    ),
    # a `next` beside `previous` in an object not named `cursors` (a link as often)
    "/users": list_operation("data", {"neighbours": _CURSORS}, [param("cursor", "string")]),
}


def spec() -> dict[str, Any]:
    return shapes_spec(SHAPES, UNPAGED, version="3.0.3")


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """One package holding every shape (built once: generating is the slow part)."""
    yield from built_package(tmp_path_factory, "cursors", spec())


def test_the_ir_pages_by_the_next_cursor(tmp_path: Path) -> None:
    items = assert_ir_pages(tmp_path, spec(), SHAPES, UNPAGED)
    assert {found["items"] for found in items.values()} == {"data"}


def _apideck(ending: str) -> Any:
    """Apideck: `limit` a page (3 unless said), the cursor an opaque `c<offset>`; the last
    page's `next` is null (`ending` "null") or left out ("absent"); `links.next` is the next
    page's URL without the caller's `filter`; a cursor it never gave is refused."""

    def serve(request: httpx.Request) -> httpx.Response:
        cursor = request.url.params.get("cursor")
        if cursor is not None and not cursor.startswith("c"):
            return httpx.Response(400, json={"detail": f"invalid cursor {cursor}"})
        start = int(cursor[1:]) if cursor else 0
        limit = int(request.url.params.get("limit", "3"))
        following = f"c{start + limit}" if start + limit < len(ITEMS) else None
        cursors: dict[str, Any] = {"previous": None, "current": cursor, "next": following}
        if following is None and ending == "absent":
            del cursors["next"]
        link = f"{BASE}/invoices?cursor={following}" if following else None
        page = ITEMS[start : start + limit]
        body = {
            "data": page,
            "meta": {"items_on_page": len(page), "cursors": cursors},
            "links": {"previous": None, "current": str(request.url), "next": link},
        }
        return httpx.Response(200, json=body)

    return serve


@pytest.mark.parametrize("ending", ["null", "absent"])
@pytest.mark.parametrize("asynchronous", [False, True])
def test_apideck_sends_meta_cursors_next_as_cursor(
    package: ModuleType, asynchronous: bool, ending: str
) -> None:
    every, queries, pages = every_page(
        package, _apideck(ending), "invoices", asynchronous, filter="open"
    )
    assert every == ids(ITEMS)
    # three requests, the caller's `filter` kept on each (the link would have dropped it)
    assert queries == [
        {"filter": "open"},
        {"filter": "open", "cursor": "c3"},
        {"filter": "open", "cursor": "c6"},
    ]
    assert pages == [ids(ITEMS[0:3]), ids(ITEMS[3:6]), ids(ITEMS[6:])]


@pytest.mark.parametrize("asynchronous", [False, True])
def test_the_same_next_cursor_again_stops(package: ModuleType, asynchronous: bool) -> None:
    # a server naming the same `meta.cursors.next` on every page is not followed forever
    def serve(request: httpx.Request) -> httpx.Response:
        cursors = {"previous": None, "current": None, "next": "c3"}
        return httpx.Response(200, json={"data": ITEMS[:3], "meta": {"cursors": cursors}})

    error = importlib.import_module(f"{package.__name__}._pagination").PaginationError

    def listed(client: Any) -> Any:
        return client.invoices.list()

    if asynchronous:

        async def use(client: Any) -> Any:
            with pytest.raises(error, match="previous page's items again"):
                [item async for item in listed(client)]

        _, handler = async_run(package, serve, use)
    else:
        client, handler = client_for(package, serve)
        with pytest.raises(error, match="previous page's items again"):
            list(listed(client))
    assert [r.url.params.get("cursor") for r in handler.requests] == [None, "c3"]
