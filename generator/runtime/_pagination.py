"""Auto-pagination: `SyncPage` and `AsyncPage`, lazy and bounded.

A paginated method returns a page object without sending anything. Reading `.items`
(or awaiting an `AsyncPage`) fetches that one page; iterating the page (`for` /
`async for`) yields every item of every page, fetching the next page only when the
current one is used up. The next page is found the way the operation's `PageInfo`
says (a cursor after the last item, a token or link in the body, a `Link` header,
a page number or an offset). The iteration ends where the body says the list does
(a false `has_more`, the last of `pagesTotal` pages, `total` items seen), on an empty
page, and on a page that repeats the previous page's items (a server that answers a
page number past the end with the last page again). A server that hands back a cursor,
token or link it gave before stops the iteration with `PaginationError` instead of
looping forever.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeAlias, TypeVar
from urllib.parse import urljoin, urlsplit

from ._origins import same_origin
from ._responses import RawResponse
from ._types import wire_field
from ._wire import parameter_problems
from .errors import APIError

__all__ = ["AsyncPage", "PageInfo", "PaginationError", "SyncPage"]

T = TypeVar("T")
FieldPath: TypeAlias = "str | tuple[str, ...]"  # a wire name, or the names down to it


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
    `before_param` (cursor) is the parameter that pages backwards: a call that gives it
    (and not `param`) goes on with the first item's id in it. The end of the list, where
    the body tells it: `more_field` (false on the last page), `pages_field` (the number
    of pages) and `total_field` (the number of items), or `pages_header` (a response
    header holding the number of pages). A field one level down in the body is a tuple
    of names, `("meta", "next_page_url")`. `first_page` (page) is the first page's number:
    0 where the spec's page parameter starts there, else 1. `marker_field` (offset) is a
    cursor the body may give instead (Box's `next_marker`, asked for with `usemarker`):
    once given, the next page is asked for with it in `marker_param`, not by offset.
    `in_body`: `param` and `before_param` are properties of the operation's JSON body, not
    query parameters (a POST search's `cursor`: the next page is the same POST with the
    position in `extra_body`).
    """

    scheme: str
    items: str | None = None
    param: str | None = None
    field: FieldPath | None = None
    id_field: str = "id"
    before_param: str | None = None
    more_field: FieldPath | None = None
    pages_field: FieldPath | None = None
    total_field: FieldPath | None = None
    pages_header: str | None = None
    first_page: int = 1
    marker_field: FieldPath | None = None
    marker_param: str | None = None
    in_body: bool = False


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
    return link_next(header)


def link_next(header: str) -> str | None:
    """The target of the `rel="next"` link of an RFC 8288 `Link` header, read in one pass
    (a backtracking pattern took minutes on a long header a server chose)."""
    index = 0
    while True:
        start = header.find("<", index)
        end = header.find(">", start + 1) if start >= 0 else -1
        if end < 0:
            return None
        params, index = _link_params(header, end + 1)
        for name, value in params:
            if name == "rel" and "next" in value.lower().split():
                return header[start + 1 : end]


def _link_params(header: str, index: int) -> tuple[list[tuple[str, str]], int]:
    """The `; name=value` parameters of a link from `index` (the end of its `<…>`) to the
    `,` that ends it outside quotes, and the index after it."""
    params: list[tuple[str, str]] = []
    pieces: list[str] = []
    quoted = False
    size = len(header)
    while index <= size:
        char = header[index] if index < size else ","
        index += 1
        if char == '"':
            quoted = not quoted
        elif not quoted and char in ";,":
            name, _, value = "".join(pieces).partition("=")
            if name.strip():
                params.append((name.strip().lower(), value.strip().strip('"')))
            pieces = []
            if char == ",":
                break
            continue
        pieces.append(char)
    return params, index


def _field(body: Any, path: FieldPath | None) -> Any:
    """The body's field at `path` (a wire name, or the names down to it); None if absent."""
    if path is None:
        return None
    for name in (path,) if isinstance(path, str) else path:
        body = wire_field(body, name)
        if body is None:
            return None
    return body


def _count(value: Any) -> int | None:
    """A count the body gives (an int, a whole float as a `number` schema gives it:
    `totalCount: 5.0`, or up to 18 digits), None when it gives none (a 5,000-digit
    `X-Pages` raised `int()`'s ValueError)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and len(value) <= 18 and value.isascii() and value.isdigit():
        return int(value)
    return None


def _ended(info: PageInfo, raw: Any, position: int, seen: int) -> bool:
    """Does the response say this is the last page? `position` is this page's number
    (page) or the items before it (offset); `seen` the items up to the end of this page."""
    body = raw.parsed
    if _field(body, info.more_field) is False:
        return True
    pages = _count(_field(body, info.pages_field))
    if pages is None and info.pages_header:
        pages = _count(raw.headers.get(info.pages_header))
    if pages is not None and info.scheme == "page" and position + 1 - info.first_page >= pages:
        return True
    total = _count(_field(body, info.total_field))
    return total is not None and seen >= total


def _body_link(link: str, base: str, page_url: str) -> str:
    """A next-page link from the body as a URL. A path from the host's root (Twilio's
    `next_page_uri`) is on the API's base URL: below its path when it does not already
    start with it (a base URL with a path, a proxy's); anything else is resolved against
    the page's URL."""
    if link.startswith("/") and not link.startswith("//"):
        prefix = urlsplit(base).path.rstrip("/")
        if prefix and link != prefix and not link.startswith(prefix + "/"):
            return base.rstrip("/") + link
        return urljoin(base, link)
    return urljoin(page_url, link)


def _plan_next(
    info: PageInfo,
    raw: Any,
    items: list[Any],
    query: Mapping[str, Any],
    before: int = 0,
    base: str = "",
) -> _Next | None:
    """The request for the page after the one in `raw`, or None on the last page;
    `before` counts the items of the pages before it in this iteration, `base` is the
    API's base URL."""
    body = raw.parsed
    scheme = info.scheme
    if scheme == "link_header":
        link = _next_link(raw)
        if not link:
            return None
        url = urljoin(str(raw.http_response.request.url), link)
        return _Next({}, url, url)
    if scheme == "next_link":
        link = _field(body, info.field or "nextLink")
        if link is not None and not isinstance(link, str):
            link = wire_field(link, "href")  # a link object (JSON:API's, OPTIMADE's)
        if not link:
            return None
        url = _body_link(str(link), base, str(raw.http_response.request.url))
        return _Next({}, url, url)
    if not items:
        return None
    param = info.param or ""
    if scheme == "cursor":
        if _field(body, info.field or "has_more") is False:
            return None
        backwards = info.before_param is not None and query.get(param) is None
        if backwards and query.get(info.before_param or "") is not None:
            # Stripe's SDK: a list started with `ending_before` goes on backwards
            cursor = wire_field(items[0], info.id_field)
            param = info.before_param or ""
        else:
            cursor = wire_field(items[-1], info.id_field)
        if cursor is None:
            return None
        return _Next({param: cursor}, None, f"{param}={cursor}")
    if scheme == "token":
        token = _field(body, info.field or "next_cursor")
        if token is None or token == "" or _ended(info, raw, 0, 0):
            return None
        if isinstance(token, str) and token.startswith(("https://", "http://")):
            # Spotify's and Bitbucket's `next` is the next page's URL, not a token: sent
            # as `after=https%3A…` (or refused by an integer `after`), it is followed
            url = _body_link(token, base, str(raw.http_response.request.url))
            return _Next({}, url, url)
        if isinstance(token, float) and token.is_integer():
            token = int(token)  # a whole `number` (Vercel's `next`): sent as 998, not 998.0
        return _Next({param: token}, None, f"{param}={token}")
    marker = _field(body, info.marker_field) if info.marker_param else None
    if marker is not None and marker != "":
        name = info.marker_param or ""
        return _Next({name: marker, param: None}, None, f"{name}={marker}")
    if info.marker_param and query.get(info.marker_param) is not None:
        return None  # a list followed by its cursor, which the last page does not give
    if scheme in ("page", "offset"):
        current = query.get(param)
        start = info.first_page if scheme == "page" else 0
        step = 1 if scheme == "page" else len(items)
        position = _count(current)
        position = start if position is None else position
        seen = position + len(items) if scheme == "offset" else before + len(items)
        if _ended(info, raw, position, seen):
            return None
        number = position + step
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
        _before: int = 0,
        _previous: list[T] | None = None,
    ) -> None:
        self._client = client
        self._op = op
        self._info = info
        self._call_args = dict(call)
        self._url = _url
        self._seen = _seen
        self._before = _before  # items on the pages before this one, in this iteration
        self._previous = _previous  # the previous page's items (page and offset)
        self._raw: Any = None
        self._items: list[T] = []

    def _request(self) -> tuple[Any, dict[str, Any]]:
        """The operation and arguments this page is fetched with. A next-page link of an
        operation that is no GET (Azure's paged POSTs, `x-ms-pageable`) is fetched with a
        GET and no body, as Azure's own SDKs fetch it."""
        base = self._client._base_url_of(self._op)
        if self._url is not None and not same_origin(self._url, base):
            raise PaginationError(
                "the next-page link leaves the API's origin; not followed (credentials stay home)"
            )
        op, args = self._op, {**self._call_args, "raw": True, "url": self._url}
        param = self._info.param
        if self._info.scheme == "page" and param and self._url is None:
            if self._positions().get(param) is None:
                # the first page asked for by number: Xero answers a list without `page`
                # unpaged, whole, and `page=2` then repeated its items
                self._place(args, {param: self._info.first_page})
        if self._url is not None and op.method.upper() != "GET":
            op = op.as_get()
            for name in ("body", "content_type", "extra_body", "idempotency_key"):
                args.pop(name, None)
        return op, args

    def _loaded(self, raw: Any) -> None:
        self._raw = raw
        self._items = _items(self._info, raw.parsed)
        if self._previous and self._items == self._previous:
            # a page number or offset past the end answered with the last page again: the
            # list ended (following it would loop forever)
            self._items = []

    def _positions(self) -> Mapping[str, Any]:
        """The call's position values: its query, or (`in_body`) its body's `param` and
        `before_param` with `extra_body` over them."""
        if not self._info.in_body:
            return self._call_args.get("query") or {}
        body = self._call_args.get("body")
        names = [n for n in (self._info.param, self._info.before_param) if n]
        given = {n: wire_field(body, n) for n in names}
        return {**given, **(self._call_args.get("extra_body") or {})}

    def _place(self, args: dict[str, Any], values: Mapping[str, Any]) -> None:
        """Put the next page's position `values` in `args`: its query, or its `extra_body`."""
        if self._info.in_body:
            args["extra_body"] = {**(args.get("extra_body") or {}), **values}
        else:
            args["query"] = {**(args.get("query") or {}), **_as_declared(self._op, values)}

    def _next_args(self) -> dict[str, Any] | None:
        """The next page's constructor arguments, None on the last page."""
        query = self._positions()
        base = self._client._base_url_of(self._op)
        try:
            plan = _plan_next(self._info, self._raw, self._items, query, self._before, base)
        except ValueError:  # urljoin's: a next link that is no URL (`https://[::1/x`)
            raise PaginationError("the next-page link is not a URL; not followed") from None
        if plan is None:
            return None
        if plan.marker in self._seen:
            raise PaginationError(
                f"the server returned the same next page again ({self._info.scheme}); "
                "stopping instead of looping"
            )
        args = dict(self._call_args)
        self._place(args, plan.query)
        numbered = self._info.scheme in ("page", "offset")
        return {
            "call": args,
            "_url": plan.url,
            "_seen": self._seen | {plan.marker},
            "_before": self._before + len(self._items),
            "_previous": self._items if numbered else None,
        }

    def __repr__(self) -> str:
        state = "not fetched" if self._raw is None else f"{len(self._items)} item(s)"
        return f"<{type(self).__name__} {self._info.scheme}: {state}>"


class SyncPage(_PageBase[T]):
    """One page of a list operation; iterate it to get every item of every page."""

    def _fetch(self) -> SyncPage[T]:
        if self._raw is None:
            op, args = self._request()
            self._loaded(self._client._call(op, **args))
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
        return type(self)(self._client, self._op, self._info, **following)

    def iter_pages(self) -> Iterator[SyncPage[T]]:
        """This page and every page after it (but an empty last one)."""
        page = self._fetch()
        yield page
        while page.has_next_page():
            page = page.next_page()._fetch()
            if not page._items and not page.has_next_page():
                return
            yield page

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page._items


class AsyncPage(_PageBase[T]):
    """One page of a list operation on the async client.

    `await page` fetches it; `async for item in page` yields every item of every page.
    """

    async def _fetch(self) -> AsyncPage[T]:
        if self._raw is None:
            op, args = self._request()
            self._loaded(await self._client._call(op, **args))
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
        page = type(self)(self._client, self._op, self._info, **following)
        return await page._fetch()

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        """This page and every page after it (but an empty last one)."""
        page = await self._fetch()
        yield page
        while await page.has_next_page():
            page = await page.next_page()
            if not page._items and not await page.has_next_page():
                return
            yield page

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page._items:
                yield item
