"""The end of a list the server tells: Adyen's `pagesTotal` / `itemsTotal` / `hasNext`,
one level down (`meta.total_pages`), Xero's page number without a page size, an empty
page, and a server that answers a page past the end with the last page again (the
iteration ends instead of looping); sync and async through httpx.MockTransport."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.pagination_shapes import (
    ITEMS,
    Server,
    client_for,
    every_page,
    ids,
    package,
)

__all__ = ["package"]  # the module's fixture


def _companies(totals: tuple[str, ...]) -> Server:
    """Adyen's page numbers, 2 a page by default, with the totals named in `totals`."""

    def server(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params.get("pageNumber", "1"))
        size = int(request.url.params.get("pageSize", "2"))
        body: dict[str, Any] = {"data": ITEMS[(number - 1) * size : number * size]}
        if "pagesTotal" in totals:
            body["pagesTotal"] = -(-len(ITEMS) // size)
        if "itemsTotal" in totals:
            body["itemsTotal"] = len(ITEMS)
        return httpx.Response(200, json=body)

    return server


@pytest.mark.parametrize("asynchronous", [False, True])
@pytest.mark.parametrize("totals", [("pagesTotal", "itemsTotal"), ("pagesTotal",), ("itemsTotal",)])
def test_adyen_page_numbers_stop_at_the_last_page(
    package: ModuleType, asynchronous: bool, totals: tuple[str, ...]
) -> None:
    every, queries, pages = every_page(package, _companies(totals), "companies", asynchronous)
    assert every == ids(ITEMS)
    assert [q.get("pageNumber") for q in queries] == ["1", "2", "3", "4"]  # no fifth, empty
    assert pages == [ids(ITEMS[n : n + 2]) for n in range(0, 7, 2)]


def test_has_next_page_is_false_on_the_last_page(package: ModuleType) -> None:
    client, handler = client_for(package, _companies(("pagesTotal",)))
    last = client.companies.list(page_number=4)
    assert ids(last.items) == ["it_6"] and not last.has_next_page()
    assert not client.companies.list(page_number=2, page_size=5).has_next_page()
    assert client.companies.list(page_number=3).has_next_page()
    assert len(handler.requests) == 3


def _clamping(items: str, param: str) -> Server:
    """A server that answers a page past the end with the last page again (page or offset)."""

    def server(request: httpx.Request) -> httpx.Response:
        if param == "offset":
            start = min(int(request.url.params.get("offset", "0")), 6)
        else:
            start = (min(int(request.url.params.get(param, "1")), 3) - 1) * 3
        return httpx.Response(200, json={items: ITEMS[start : start + 3]})

    return server


@pytest.mark.parametrize("asynchronous", [False, True])
@pytest.mark.parametrize(
    ("resource", "items", "param"),
    [("invoices", "Invoices", "page"), ("sweeps", "sweeps", "offset"), ("orders", "data", "page")],
)
def test_a_server_that_clamps_past_the_end_stops_the_iteration(
    package: ModuleType, asynchronous: bool, resource: str, items: str, param: str
) -> None:
    every, queries, pages = every_page(package, _clamping(items, param), resource, asynchronous)
    assert every == ids(ITEMS)
    assert len(queries) == 4  # the fourth answer repeats the third: the end, not a loop
    assert pages == [ids(ITEMS[0:3]), ids(ITEMS[3:6]), ids(ITEMS[6:])]


def _sweeps(request: httpx.Request) -> httpx.Response:
    """Adyen's Balance Platform: offsets, and `hasNext`."""
    offset = int(request.url.params.get("offset", "0"))
    limit = int(request.url.params.get("limit", "3"))
    page = ITEMS[offset : offset + limit]
    return httpx.Response(200, json={"sweeps": page, "hasNext": offset + limit < len(ITEMS)})


@pytest.mark.parametrize("asynchronous", [False, True])
def test_adyen_offsets_stop_where_has_next_is_false(
    package: ModuleType, asynchronous: bool
) -> None:
    every, queries, pages = every_page(package, _sweeps, "sweeps", asynchronous, limit=3)
    assert every == ids(ITEMS)
    assert queries == [{"limit": "3"}, {"limit": "3", "offset": "3"}, {"limit": "3", "offset": "6"}]
    assert len(pages) == 3
    client, _ = client_for(package, _sweeps)
    assert not client.sweeps.list(limit=3, offset=6).has_next_page()


def _orders(request: httpx.Request) -> httpx.Response:
    """The end of the list one level down: `meta.total_pages` and `pagination.hasNext`."""
    number = int(request.url.params.get("page", "1"))
    body = {"data": ITEMS[(number - 1) * 3 : number * 3], "meta": {"total_pages": 3}}
    return httpx.Response(200, json={**body, "pagination": {"hasNext": number < 3}})


def test_the_end_one_level_down_is_read(package: ModuleType) -> None:
    client, handler = client_for(package, _orders)
    assert ids(client.orders.list()) == ids(ITEMS)
    assert len(handler.requests) == 3

    def told_by_has_next(request: httpx.Request) -> httpx.Response:
        body = _orders(request).json()
        return httpx.Response(200, json={**body, "meta": {}})

    client, handler = client_for(package, told_by_has_next)
    assert ids(client.orders.list()) == ids(ITEMS) and len(handler.requests) == 3


def _invoices(request: httpx.Request) -> httpx.Response:
    """Xero: `page` alone, 3 a page; a page past the end is empty."""
    number = int(request.url.params.get("page", "1"))
    return httpx.Response(200, json={"Invoices": ITEMS[(number - 1) * 3 : number * 3]})


@pytest.mark.parametrize("asynchronous", [False, True])
def test_xero_pages_by_number_without_a_page_size(package: ModuleType, asynchronous: bool) -> None:
    every, queries, pages = every_page(package, _invoices, "invoices", asynchronous, where="x")
    assert every == ids(ITEMS)
    assert queries == [{"where": "x", "page": str(n)} for n in (1, 2, 3, 4)]
    assert pages == [ids(ITEMS[0:3]), ids(ITEMS[3:6]), ids(ITEMS[6:])]  # not the empty 4th


def _contacts(request: httpx.Request) -> httpx.Response:
    """EVE's ESI: 3 a page, the page count in `X-Pages`, a 404 past the last page."""
    number = int(request.url.params.get("page", "1"))
    if number > 3:
        return httpx.Response(404, json={"error": "Requested page does not exist!"})
    return httpx.Response(200, json=ITEMS[(number - 1) * 3 : number * 3], headers={"X-Pages": "3"})


@pytest.mark.parametrize("asynchronous", [False, True])
def test_a_page_count_header_ends_the_list(package: ModuleType, asynchronous: bool) -> None:
    every, queries, pages = every_page(package, _contacts, "contacts", asynchronous)
    assert every == ids(ITEMS) and [q.get("page") for q in queries] == ["1", "2", "3"]
    assert len(pages) == 3


@pytest.mark.parametrize(
    ("value", "count"),
    [(5, 5), (5.0, 5), ("7", 7), (5.5, None), (float("inf"), None), (True, None), ("٣", None)],
)
def test_a_count_is_read_from_whole_numbers(value: Any, count: int | None) -> None:
    """LaunchDarkly's `totalCount` is a `number`: `5.0` was no count, and an offset list
    fetched one more (empty) page each time (UX audit 4)."""
    from generator.runtime._page_plan import _count

    assert _count(value) == count
