"""Auto-pagination: `SyncPage` and `AsyncPage`, lazy and bounded.

A paginated method returns a page object without sending anything. Reading `.items`
(or awaiting an `AsyncPage`) fetches that one page; iterating the page (`for` /
`async for`) yields every item of every page, fetching the next page only when the
current one is used up. The next page is found the way the operation's `PageInfo`
says (a cursor after the last item, a token or link in the body, a `Link` header,
a page number or an offset). A server that hands back a cursor, token or link it
gave before stops the iteration with `PaginationError` instead of looping forever.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Generator, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urljoin

from ._base_client import same_origin
from ._responses import RawResponse
from ._types import wire_field
from ._wire import parameter_problems
from .errors import APIError

__all__ = ["AsyncPage", "PageInfo", "PaginationError", "SyncPage"]

T = TypeVar("T")

_LINK_NEXT = re.compile(r"""<([^>]*)>\s*;(?:[^,]*?;)?\s*rel\s*=\s*"?(?:[^",]*\s)?next[\s"]""")


class PaginationError(APIError, RuntimeError):
    """The server's pagination cannot be followed (a repeated cursor, a foreign link), or a
    page is used before it is fetched."""


@dataclass(frozen=True)
class PageInfo:
    """How one operation pages, from its spec (or its `x-pagination` extension).

    `scheme` is one of `cursor` (`has_more` plus `starting_after` = the last item's id),
    `token` (a next-page token in the body, sent back as a query parameter),
    `next_link` (a URL in the body), `link_header` (RFC 8288 `Link: <…>; rel="next"`),
    `page` (a page number) or `offset` (an item offset). `items` is the wire name of the
    body's array (None when the body is the array); `param` the query parameter set for
    the next page; `field` the body field holding `has_more`, the token or the link.
    """

    scheme: str
    items: str | None = None
    param: str | None = None
    field: str | None = None
    id_field: str = "id"


@dataclass(frozen=True)
class _Next:
    """What to send for the next page: query overrides, or a whole URL."""

    query: Mapping[str, Any]
    url: str | None
    marker: str  # identifies the request, to detect a server that loops


def _next_link(raw: Any) -> str | None:
    header = raw.headers.get("link") if raw is not None else None
    if not header:
        return None
    match = _LINK_NEXT.search(header + " ")
    return match.group(1) if match else None


def _plan_next(
    info: PageInfo, raw: Any, items: list[Any], query: Mapping[str, Any]
) -> _Next | None:
    """The request for the page after the one in `raw`, or None on the last page."""
    body = raw.parsed
    scheme = info.scheme
    if scheme == "link_header":
        link = _next_link(raw)
        if not link:
            return None
        url = urljoin(str(raw.http_response.request.url), link)
        return _Next({}, url, url)
    if scheme == "next_link":
        link = wire_field(body, info.field or "nextLink")
        if not link:
            return None
        url = urljoin(str(raw.http_response.request.url), str(link))
        return _Next({}, url, url)
    if not items:
        return None
    param = info.param or ""
    if scheme == "cursor":
        if wire_field(body, info.field or "has_more") is False:
            return None
        cursor = wire_field(items[-1], info.id_field)
        if cursor is None:
            return None
        return _Next({param: cursor}, None, f"{param}={cursor}")
    if scheme == "token":
        token = wire_field(body, info.field or "next_cursor")
        if token is None or token == "":
            return None
        return _Next({param: token}, None, f"{param}={token}")
    if scheme in ("page", "offset"):
        current = query.get(param)
        start = 1 if scheme == "page" else 0
        step = 1 if scheme == "page" else len(items)
        number = (int(current) if current is not None else start) + step
        value: Any = str(number) if isinstance(current, str) else number  # keep the caller's type
        return _Next({param: value}, None, f"{param}={number}")
    return None


def _as_declared(op: Any, query: Mapping[str, Any]) -> dict[str, Any]:
    """The next page's query values as the operation declares them: a page number or an
    offset the caller did not give is written as text where the spec types it a string."""
    declared = {name: t for where, name, t in getattr(op, "parameters", ()) if where == "query"}
    result = dict(query)
    for name, value in query.items():
        if isinstance(value, int) and name in declared:
            checked = (("query", name, declared[name]),)
            if parameter_problems(checked, {"query": {name: value}}):
                result[name] = str(value)
    return result


def _items(info: PageInfo, body: Any) -> list[Any]:
    found = body if info.items is None else wire_field(body, info.items)
    return list(found) if isinstance(found, (list, tuple)) else []


class _PageBase(Generic[T]):
    """State shared by the sync and async pages."""

    def __init__(
        self,
        client: Any,
        op: Any,
        info: PageInfo,
        call: Mapping[str, Any],
        *,
        _url: str | None = None,
        _seen: frozenset[str] = frozenset(),
    ) -> None:
        self._client = client
        self._op = op
        self._info = info
        self._call_args = dict(call)
        self._url = _url
        self._seen = _seen
        self._raw: Any = None
        self._items: list[T] = []

    def _request(self) -> dict[str, Any]:
        base = self._client._base_url_of(self._op)
        if self._url is not None and not same_origin(self._url, base):
            raise PaginationError(
                "the next-page link leaves the API's origin; not followed (credentials stay home)"
            )
        return {**self._call_args, "raw": True, "url": self._url}

    def _loaded(self, raw: Any) -> None:
        self._raw = raw
        self._items = _items(self._info, raw.parsed)

    def _next_args(self) -> tuple[dict[str, Any], str | None, frozenset[str]] | None:
        query = self._call_args.get("query") or {}
        plan = _plan_next(self._info, self._raw, self._items, query)
        if plan is None:
            return None
        if plan.marker in self._seen:
            raise PaginationError(
                f"the server returned the same next page again ({self._info.scheme}); "
                "stopping instead of looping"
            )
        args = dict(self._call_args)
        args["query"] = {**query, **_as_declared(self._op, plan.query)}
        return args, plan.url, self._seen | {plan.marker}

    def __repr__(self) -> str:
        state = "not fetched" if self._raw is None else f"{len(self._items)} item(s)"
        return f"<{type(self).__name__} {self._info.scheme}: {state}>"


class SyncPage(_PageBase[T]):
    """One page of a list operation; iterate it to get every item of every page."""

    def _fetch(self) -> SyncPage[T]:
        if self._raw is None:
            self._loaded(self._client._call(self._op, **self._request()))
        return self

    @property
    def items(self) -> list[T]:
        """The items of this page (fetched on first use)."""
        return self._fetch()._items

    @property
    def raw_response(self) -> Any:
        """This page's `RawResponse`: status, headers and parsed body."""
        return self._fetch()._raw

    def has_next_page(self) -> bool:
        """True when another page follows this one."""
        self._fetch()
        return self._next_args() is not None

    def _raw_first(self) -> RawResponse[SyncPage[T]]:
        raw = self._fetch()._raw
        return RawResponse(raw.status_code, raw.headers, self, raw.http_response)

    def next_page(self) -> SyncPage[T]:
        """The following page (fetched on first use); `PaginationError` on the last page."""
        self._fetch()
        following = self._next_args()
        if following is None:
            raise PaginationError("this is the last page")
        args, url, seen = following
        return type(self)(self._client, self._op, self._info, args, _url=url, _seen=seen)

    def iter_pages(self) -> Iterator[SyncPage[T]]:
        """This page and every page after it."""
        page: SyncPage[T] | None = self
        while page is not None:
            yield page._fetch()
            page = page.next_page() if page.has_next_page() else None

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page._items


class AsyncPage(_PageBase[T]):
    """One page of a list operation on the async client.

    `await page` fetches it; `async for item in page` yields every item of every page.
    """

    async def _fetch(self) -> AsyncPage[T]:
        if self._raw is None:
            self._loaded(await self._client._call(self._op, **self._request()))
        return self

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return self._fetch().__await__()

    @property
    def items(self) -> list[T]:
        """The items of this page; `await` the page first."""
        if self._raw is None:
            raise PaginationError("await the page before reading its items")
        return self._items

    @property
    def raw_response(self) -> Any:
        """This page's `RawResponse`; `await` the page first."""
        if self._raw is None:
            raise PaginationError("await the page before reading its response")
        return self._raw

    async def has_next_page(self) -> bool:
        """True when another page follows this one."""
        await self._fetch()
        return self._next_args() is not None

    async def _raw_first(self) -> RawResponse[AsyncPage[T]]:
        raw = (await self._fetch())._raw
        return RawResponse(raw.status_code, raw.headers, self, raw.http_response)

    async def next_page(self) -> AsyncPage[T]:
        """The following page, fetched; `PaginationError` on the last page."""
        await self._fetch()
        following = self._next_args()
        if following is None:
            raise PaginationError("this is the last page")
        args, url, seen = following
        page = type(self)(self._client, self._op, self._info, args, _url=url, _seen=seen)
        return await page._fetch()

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        """This page and every page after it."""
        page: AsyncPage[T] | None = await self._fetch()
        while page is not None:
            yield page
            page = await page.next_page() if await page.has_next_page() else None

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page._items:
                yield item
