"""Stripe's search and backwards list, Twilio's next-page links: detected at generation
time (the IR's pagination) and followed at run time through httpx.MockTransport, sync and
async (the shapes: tests/pagination_shapes.py)."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.pagination_shapes import (
    BASE,
    ITEMS,
    SHAPES,
    UNPAGED,
    Recording,
    Server,
    assert_ir_pages,
    client_for,
    every_page,
    ids,
    package,
    spec,
)

__all__ = ["package"]  # the module's fixture


def test_the_ir_pages_each_shape_as_the_api_does(tmp_path: Path) -> None:
    items = assert_ir_pages(tmp_path, spec(), SHAPES, UNPAGED)
    # an array of strings beside the items is none (Jira's `warningMessages`: UX audit 18)
    assert items["/issues"] == {"items": "issues"}


def _search(request: httpx.Request) -> httpx.Response:
    """Stripe's search: `page` takes the previous answer's `next_page`."""
    token = request.url.params.get("page")
    start = {None: 0, "pg_2": 3, "pg_3": 6}.get(token)
    if start is None:
        return httpx.Response(400, json={"error": {"message": f"Invalid page cursor: {token}"}})
    more = start + 3 < len(ITEMS)
    # the last answer still names a page: `has_more: false` is what ends the list
    body = {"data": ITEMS[start : start + 3], "has_more": more, "next_page": f"pg_{start // 3 + 2}"}
    return httpx.Response(200, json={**body, "url": "/v1/search", "total_count": 7})


@pytest.mark.parametrize("asynchronous", [False, True])
def test_stripe_search_sends_next_page_as_page(package: ModuleType, asynchronous: bool) -> None:
    every, queries, pages = every_page(package, _search, "search", asynchronous, query="a:b")
    assert every == ids(ITEMS)
    assert queries == [
        {"query": "a:b"},
        {"query": "a:b", "page": "pg_2"},
        {"query": "a:b", "page": "pg_3"},
    ]
    assert pages == [ids(ITEMS[0:3]), ids(ITEMS[3:6]), ids(ITEMS[6:])]


def test_stripe_search_ends_on_a_null_next_page(package: ModuleType) -> None:
    def server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": ITEMS[:2], "has_more": True, "next_page": None})

    client, handler = client_for(package, server)
    page = client.search.list(query="a:b")
    assert ids(page) == ids(ITEMS[:2]) and not page.has_next_page()
    assert len(handler.requests) == 1


def _customers(request: httpx.Request) -> httpx.Response:
    """Stripe's list, newest first: `it_6` … `it_0`; either cursor, never both."""
    params = request.url.params
    newest_first = ITEMS[::-1]
    order = ids(newest_first)
    if "starting_after" in params and "ending_before" in params:
        return httpx.Response(400, json={"error": {"message": "two cursors"}})
    if "ending_before" in params:
        end = order.index(params["ending_before"])
        page = newest_first[max(0, end - 2) : end]
        return httpx.Response(200, json={"data": page, "has_more": end - 2 > 0})
    start = order.index(params["starting_after"]) + 1 if "starting_after" in params else 0
    page = newest_first[start : start + 2]
    return httpx.Response(200, json={"data": page, "has_more": start + 2 < len(order)})


@pytest.mark.parametrize("asynchronous", [False, True])
def test_a_stripe_list_started_with_ending_before_pages_backwards(
    package: ModuleType, asynchronous: bool
) -> None:
    every, queries, pages = every_page(
        package, _customers, "customers", asynchronous, ending_before="it_0", limit=2
    )
    assert every == ["it_2", "it_1", "it_4", "it_3", "it_6", "it_5"]  # each page as sent
    assert queries == [
        {"ending_before": "it_0", "limit": "2"},
        {"ending_before": "it_2", "limit": "2"},
        {"ending_before": "it_4", "limit": "2"},
    ]
    assert pages == [["it_2", "it_1"], ["it_4", "it_3"], ["it_6", "it_5"]]


def test_a_stripe_list_still_pages_forwards(package: ModuleType) -> None:
    client, handler = client_for(package, _customers)
    assert ids(client.customers.list(limit=2)) == ids(ITEMS[::-1])
    assert handler.queries()[1:] == [
        {"limit": "2", "starting_after": "it_5"},
        {"limit": "2", "starting_after": "it_3"},
        {"limit": "2", "starting_after": "it_1"},
    ]
    handler.requests.clear()
    assert ids(client.customers.list(starting_after="it_2", limit=2)) == ["it_1", "it_0"]
    assert handler.queries() == [{"starting_after": "it_2", "limit": "2"}]


def _calls(request: httpx.Request) -> httpx.Response:
    """Twilio: `next_page_uri`, a path on the API's host."""
    number = int(request.url.params.get("Page", "0"))
    following = f"/v1/calls?PageSize=3&Page={number + 1}&PageToken=PT{number + 1}"
    body = {"calls": ITEMS[number * 3 : number * 3 + 3], "page": number, "page_size": 3}
    return httpx.Response(200, json={**body, "next_page_uri": following if number < 2 else None})


def _countries(request: httpx.Request) -> httpx.Response:
    """Twilio's pricing: `meta.next_page_url`, an absolute URL."""
    number = int(request.url.params.get("Page", "0"))
    following = f"{BASE}/countries?PageSize=3&Page={number + 1}&PageToken=PT{number + 1}"
    meta = {"page": number, "next_page_url": following if number < 2 else None}
    return httpx.Response(200, json={"countries": ITEMS[number * 3 : number * 3 + 3], "meta": meta})


@pytest.mark.parametrize("asynchronous", [False, True])
@pytest.mark.parametrize(("resource", "server"), [("calls", _calls), ("countries", _countries)])
def test_twilio_follows_the_next_page_link_in_the_body(
    package: ModuleType, asynchronous: bool, resource: str, server: Server
) -> None:
    every, queries, pages = every_page(package, server, resource, asynchronous, page_size=3)
    assert every == ids(ITEMS)
    assert queries == [
        {"PageSize": "3"},
        {"PageSize": "3", "Page": "1", "PageToken": "PT1"},
        {"PageSize": "3", "Page": "2", "PageToken": "PT2"},
    ]
    assert len(pages) == 3


def test_twilio_sends_the_link_to_the_api_host_only(package: ModuleType) -> None:
    def leaky(request: httpx.Request) -> httpx.Response:
        body = {"calls": ITEMS[:1], "next_page_uri": "https://evil.test/v1/calls?Page=1"}
        return httpx.Response(200, json=body)

    client, handler = client_for(package, _calls)
    list(client.calls.list())
    assert {str(r.url.copy_with(query=None)) for r in handler.requests} == {f"{BASE}/calls"}
    client, handler = client_for(package, leaky)
    errors = importlib.import_module(f"{package.__name__}._pagination")
    with pytest.raises(errors.PaginationError, match="origin"):
        list(client.calls.list())
    assert [r.url.host for r in handler.requests] == ["api.example.test"]


@pytest.mark.parametrize("resource", sorted(path.strip("/") for path in SHAPES))
def test_the_test_kit_serves_one_page_of_each_shape(package: ModuleType, resource: str) -> None:
    """The offline `MockAPI` serves the example as the first page, and a later page (a
    backwards cursor included) or a link one level down ends the list."""
    mock = importlib.import_module(f"{package.__name__}.testing").MockAPI()
    method = getattr(mock.client(), resource).list
    kwargs = {"ending_before": "cus_1"} if resource == "customers" else {}
    first = method().items
    assert first and len(list(method(**kwargs))) == (0 if kwargs else len(first))
    assert len(mock.requests) <= 5


def test_a_path_from_the_host_stays_below_a_base_url_with_a_path(package: ModuleType) -> None:
    """Twilio's `next_page_uri` is a path on the API's host; through a proxy whose base
    URL has a path of its own, the next page goes there too (as Twilio's SDK joins it)."""

    def root_paths(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params.get("Page", "0"))
        following = f"/2010-04-01/calls?Page={number + 1}" if number < 2 else None
        body = {"calls": ITEMS[number * 3 : number * 3 + 3], "next_page_uri": following}
        return httpx.Response(200, json=body)

    handler = Recording(root_paths)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="https://proxy.example.test/twilio", http_client=http)
    assert ids(client.calls.list()) == ids(ITEMS)
    assert [r.url.path for r in handler.requests] == [
        "/twilio/calls",
        "/twilio/2010-04-01/calls",
        "/twilio/2010-04-01/calls",
    ]


def _folder_items(request: httpx.Request) -> httpx.Response:
    """Box's folder items: offsets and `total_count`, or with `usemarker` markers alone (an
    offset is ignored there, and no `total_count` comes)."""
    params = request.url.params
    limit = int(params.get("limit", "100"))
    if params.get("usemarker") == "true":
        start = int(params["marker"].removeprefix("m")) if "marker" in params else 0
        more = start + limit < len(ITEMS)
        following = f"m{start + limit}" if more else None
        body: dict[str, object] = {
            "entries": ITEMS[start : start + limit],
            "next_marker": following,
        }
        return httpx.Response(200, json=body)
    start = int(params.get("offset", "0"))
    body = {"entries": ITEMS[start : start + limit], "offset": start, "total_count": len(ITEMS)}
    return httpx.Response(200, json=body)


@pytest.mark.parametrize("resource", ["folder_items", "trash_items"])
@pytest.mark.parametrize("asynchronous", [False, True])
def test_box_pages_by_marker_when_asked_and_by_offset_otherwise(
    package: ModuleType, asynchronous: bool, resource: str
) -> None:
    """Marker paging sent `offset=2` (ignored by Box), got the first page again and ended
    the list silently after 2 of 7 items."""
    every, queries, pages = every_page(
        package, _folder_items, resource, asynchronous, usemarker=True, limit=3
    )
    assert pages == [ids(ITEMS[0:3]), ids(ITEMS[3:6]), ids(ITEMS[6:])]
    assert every == ids(ITEMS)
    assert queries == [
        {"usemarker": "true", "limit": "3"},
        {"usemarker": "true", "limit": "3", "marker": "m3"},
        {"usemarker": "true", "limit": "3", "marker": "m6"},
    ]
    every, queries, _ = every_page(package, _folder_items, resource, asynchronous, limit=3)
    assert every == ids(ITEMS)
    assert queries == [{"limit": "3"}, {"limit": "3", "offset": "3"}, {"limit": "3", "offset": "6"}]


def test_box_marker_only_lists_page(package: ModuleType) -> None:
    def webhooks(request: httpx.Request) -> httpx.Response:
        start = int(request.url.params.get("marker", "0"))
        following = str(start + 4) if start + 4 < len(ITEMS) else None
        return httpx.Response(
            200, json={"entries": ITEMS[start : start + 4], "next_marker": following}
        )

    client, handler = client_for(package, webhooks)
    assert ids(client.webhooks.list(limit=4)) == ids(ITEMS)
    assert handler.queries() == [{"limit": "4"}, {"limit": "4", "marker": "4"}]


def _droplets(request: httpx.Request) -> httpx.Response:
    """DigitalOcean: `links.pages.next` until the last page, which has `first`/`prev`."""
    number = int(request.url.params.get("page", "1"))
    url = f"{BASE}/droplets?page={number + 1}&per_page=3"
    pages = {"last": f"{BASE}/droplets?page=3", "next": url} if number < 3 else {"first": BASE}
    body = {"droplets": ITEMS[(number - 1) * 3 : number * 3], "links": {"pages": pages}}
    return httpx.Response(200, json={**body, "meta": {"total": len(ITEMS)}})


@pytest.mark.parametrize("asynchronous", [False, True])
def test_digitalocean_follows_links_pages_next(package: ModuleType, asynchronous: bool) -> None:
    """The link two levels down was not read: a page past the end was asked for."""
    every, queries, _ = every_page(package, _droplets, "droplets", asynchronous, per_page=3)
    assert every == ids(ITEMS)
    assert queries == [
        {"per_page": "3"},
        {"page": "2", "per_page": "3"},
        {"page": "3", "per_page": "3"},
    ]


def test_digitalocean_meta_total_ends_a_numbered_list(package: ModuleType) -> None:
    def images(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params.get("page", "1"))
        body = {"images": ITEMS[(number - 1) * 4 : number * 4], "meta": {"total": len(ITEMS)}}
        return httpx.Response(200, json=body)

    client, handler = client_for(package, images)
    assert ids(client.images.list(per_page=4)) == ids(ITEMS)
    assert len(handler.requests) == 2  # no page past the end


@pytest.mark.parametrize("asynchronous", [False, True])
def test_vercel_sends_pagination_next_as_until(package: ModuleType, asynchronous: bool) -> None:
    stamps = [1000 - n for n in range(len(ITEMS))]  # newest first

    def teams(request: httpx.Request) -> httpx.Response:
        until = float(request.url.params.get("until", "inf"))
        newer = [n for n, stamp in enumerate(stamps) if stamp < until][:3]
        following = stamps[newer[-1]] if newer and newer[-1] + 1 < len(ITEMS) else None
        page = {"count": len(newer), "next": following, "prev": None}
        return httpx.Response(200, json={"teams": [ITEMS[n] for n in newer], "pagination": page})

    every, queries, _ = every_page(package, teams, "teams", asynchronous, limit=3)
    assert every == ids(ITEMS)
    assert queries == [
        {"limit": "3"},
        {"limit": "3", "until": "998"},
        {"limit": "3", "until": "995"},
    ]


def test_a_json_api_link_object_is_followed_by_its_href(package: ModuleType) -> None:
    """OPTIMADE's `links.next` may be `{"href": …}`: its text was the dict's repr."""

    def structures(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params.get("page_number", "0"))
        following = {"href": f"{BASE}/structures?page_number={number + 1}"}
        links = {"next": following if number == 0 else f"{BASE}/structures?page_number=2"}
        body = {"data": ITEMS[number * 3 : number * 3 + 3], "links": links if number < 2 else {}}
        return httpx.Response(200, json=body)

    client, handler = client_for(package, structures)
    assert ids(client.structures.list()) == ids(ITEMS)
    assert handler.queries() == [{}, {"page_number": "1"}, {"page_number": "2"}]


@pytest.mark.parametrize("asynchronous", [False, True])
def test_asana_sends_back_the_offset_token_it_was_given(
    package: ModuleType, asynchronous: bool
) -> None:
    """Asana's `offset` is a token from `next_page.offset`: sent as a count (`offset=2`),
    Asana answered 400 "Your pagination token is invalid", even for a one-page list."""
    tokens = {None: 0, "tok_b": 3, "tok_c": 6}

    def tasks(request: httpx.Request) -> httpx.Response:
        start = tokens.get(request.url.params.get("offset"))
        if start is None:
            return httpx.Response(400, json={"errors": [{"message": "invalid token"}]})
        following = {3: "tok_b", 6: "tok_c"}.get(start + 3)
        page = {"offset": following, "path": "/tasks", "uri": "…"} if following else None
        return httpx.Response(200, json={"data": ITEMS[start : start + 3], "next_page": page})

    every, queries, _ = every_page(package, tasks, "tasks", asynchronous, limit=3)
    assert every == ids(ITEMS)
    assert queries == [
        {"limit": "3"},
        {"limit": "3", "offset": "tok_b"},
        {"limit": "3", "offset": "tok_c"},
    ]


def test_square_sends_back_the_cursor_it_was_given(package: ModuleType) -> None:
    def payments(request: httpx.Request) -> httpx.Response:
        start = int(request.url.params.get("cursor", "0"))
        following = str(start + 4) if start + 4 < len(ITEMS) else None
        body = {"payments": ITEMS[start : start + 4], "cursor": following}
        return httpx.Response(200, json=body)

    client, handler = client_for(package, payments)
    assert ids(client.payments.list()) == ids(ITEMS)
    assert handler.queries() == [{}, {"cursor": "4"}]


def _tokens(param: str, field: str, nested: str | None = None) -> Server:
    """A server paging 3 items at a time by an opaque token (`t3`, `t6`) in `param`, the next
    one in the body's `field` (inside `nested` where given), absent on the last page."""

    def server(request: httpx.Request) -> httpx.Response:
        token = request.url.params.get(param)
        start = {None: 0, "t3": 3, "t6": 6}.get(token)
        if start is None:
            return httpx.Response(400, json={"message": f"bad token {token!r}"})
        following = {field: f"t{start + 3}"} if start + 3 < len(ITEMS) else {}
        items = "data" if param == "pagination_token" else "items"
        body: dict[str, Any] = {items: ITEMS[start : start + 3]}
        body.update({nested: following} if nested else following)
        return httpx.Response(200, json=body)

    return server


@pytest.mark.parametrize("asynchronous", [False, True])
@pytest.mark.parametrize(
    ("resource", "param", "field", "nested"),
    [
        ("analyzers", "nextToken", "nextToken", None),  # AWS's REST APIs, `allOf` properties
        ("matches", "next-token", "NextToken", None),
        ("pods", "continue", "continue", "metadata"),  # Kubernetes
        ("followers", "pagination_token", "next_token", "meta"),  # Twitter
    ],
)
def test_token_lists_of_aws_kubernetes_and_twitter_page(
    package: ModuleType,
    asynchronous: bool,
    resource: str,
    param: str,
    field: str,
    nested: str | None,
) -> None:
    """Each returned its first page only (the token's names were not known, and AWS's
    properties, each an `allOf` of its type and description, were not seen as a list)."""
    every, queries, pages = every_page(
        package, _tokens(param, field, nested), resource, asynchronous
    )
    assert every == ids(ITEMS)
    assert [query.get(param) for query in queries] == [None, "t3", "t6"]
    assert pages == [ids(ITEMS[0:3]), ids(ITEMS[3:6]), ids(ITEMS[6:])]


def _jira(request: httpx.Request) -> httpx.Response:
    """Jira's `PageBean`: `startAt` and `maxResults`, 2 a page, `total` and `isLast`."""
    start = int(request.url.params.get("startAt", "0"))
    size = int(request.url.params.get("maxResults", "2"))
    page = ITEMS[start : start + size]
    last = start + size >= len(ITEMS)
    body = {"values": page, "startAt": start, "maxResults": size, "total": len(ITEMS)}
    return httpx.Response(200, json={**body, "isLast": last})


@pytest.mark.parametrize("asynchronous", [False, True])
def test_jira_pages_by_start_at(package: ModuleType, asynchronous: bool) -> None:
    """65 of Jira's lists returned their first page only (UX audit 11)."""
    every, queries, _ = every_page(package, _jira, "projects", asynchronous, max_results=2)
    assert every == ids(ITEMS)
    assert [q.get("startAt") for q in queries] == [None, "2", "4", "6"]
