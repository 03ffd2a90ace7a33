"""Auto-pagination: `SyncPage` and `AsyncPage`, lazy and bounded.

A paginated method returns a page object without sending anything. Reading `.items`
(or awaiting an `AsyncPage`) fetches that one page; iterating the page (`for` /
`async for`) yields every item of every page, fetching the next page only when the
current one is used up. The next page is found the way the operation's `PageInfo`
says (`_page_plan.py`: a cursor after the last item, a token or link in the body, a
`Link` header, a page number or an offset). The iteration ends where the body says the
list does (a false `has_more`, the last of `pagesTotal` pages, `total` items seen, a
numbered page's `Link` header without a `next` link), on an empty page, and on a page
that repeats the previous page's items (a server that answers a page number past the end
with the last page again). A server that hands back a cursor, token or link it gave
before, the previous page's items under a new one, an earlier page's items, or a next
page number that is no page after the current one, stops the iteration with
`PaginationError` instead of looping forever.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Generator, Iterator, Mapping
from typing import Any, Generic, TypeVar, cast

from pydantic import BaseModel

from ._origins import same_origin
from ._page_plan import PageInfo, plan_next
from ._responses import RawResponse
from ._types import wire_field
from ._wire import parameter_problems
from .errors import APIError

__all__ = ["AsyncPage", "PageInfo", "PaginationError", "SyncPage"]

T = TypeVar("T")


class PaginationError(APIError, RuntimeError):
    """The server's pagination cannot be followed (a repeated cursor, a foreign link), or a
    page is used before it is fetched."""


def _as_declared(op: Any, query: Mapping[str, Any]) -> dict[str, Any]:
    """The next page's query values as the operation declares them: a page number or an
    offset the caller did not give is written as text where the spec types it a string."""
    declared = {name: t for where, name, t in getattr(op, "parameters", ()) if where == "query"}
    result = dict(query)
    for name, value in query.items():
        if isinstance(value, int) and not isinstance(value, bool) and name in declared:
            checked = (("query", name, declared[name]),)
            if parameter_problems(checked, {"query": {name: value}}):
                result[name] = str(value)
    return result


def _scalar(value: Any) -> bool:
    """Is `value` text or a number (what a position the server gives is sent as)?"""
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _wire_data(body: Any) -> dict[str, Any]:
    """A request body given as a model or a mapping, as a mapping of wire names (a model's
    fields that were set, as their values: checked again when sent)."""
    if isinstance(body, BaseModel):
        return body.model_dump(by_alias=True, exclude_unset=True)
    return dict(body) if isinstance(body, Mapping) else {}


def _digest(marker: str) -> bytes:
    """A fixed-size digest of a page's position: a server handing out a fresh 512 KiB token a
    page grew the caller's memory by each one it kept to detect a repeat (hostile audit 10)."""
    return hashlib.blake2b(marker.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _ids_digest(items: list[Any], id_field: str) -> bytes | None:
    """A digest of a page's item ids, None when an item has none (nothing to compare)."""
    ids = [wire_field(item, id_field) for item in items]
    if any(value is None or isinstance(value, (dict, list)) for value in ids):
        return None
    return _digest("\x1f".join(f"{type(value).__name__}:{value}" for value in ids))


_NOT_PLANNED: Any = object()  # (a page's next-page arguments not worked out yet)


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
        _seen: frozenset[bytes] = frozenset(),
        _before: int = 0,
        _previous: list[T] | None = None,
        _pages: frozenset[bytes] = frozenset(),
    ) -> None:
        self._client = client
        self._op = op
        self._info = info
        self._call_args = dict(call)
        self._url = _url
        self._seen = _seen  # digests of the positions asked for (`_digest`), this iteration
        self._before = _before  # items on the pages before this one, in this iteration
        self._previous = _previous  # the previous page's items (`_numbered`)
        self._pages = _pages  # digests of the earlier pages' item ids (`_numbered`)
        self._digest: bytes | None = None  # this page's, once loaded
        self._raw: Any = None
        self._items: list[T] = []
        self._following: Any = _NOT_PLANNED  # `_next_args`, once worked out

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
                self._place(args, {param: self._info.first_page}, False)
        if self._url is not None and op.method.upper() != "GET":
            op = op.as_get()
            for name in ("body", "content_type", "extra_body", "idempotency_key"):
                args.pop(name, None)
        return op, args

    def _loaded(self, raw: Any) -> None:
        self._raw = raw
        self._items = _items(self._info, raw.parsed)
        if self._previous and self._items == self._previous:
            if not self._numbered():  # the same page again, under a new token or link
                # (each one new, the iteration went on forever: hostile sweep)
                raise PaginationError(
                    f"the server returned the previous page's items again ({self._info.scheme}"
                    "); stopping instead of looping"
                )
            # a page number or offset past the end answered with the last page again: the
            # list ended (following it would loop forever)
            self._items = []
        elif self._numbered() and self._items:
            self._digest = _ids_digest(self._items, self._info.id_field)
            if self._digest is not None and self._digest in self._pages:
                # an earlier page again, further back than the last (A, B, A, B…: hostile
                # audit 10): following the numbers would loop forever
                raise PaginationError(
                    f"the server returned an earlier page again ({self._info.scheme}); "
                    "stopping instead of looping"
                )

    def _numbered(self) -> bool:
        """Does the list page by number or offset (a page past the end may repeat the last
        one)? A token that is a page number does too (Hetzner Cloud's `next_page`, counted
        up while the same page came back: hostile audit 15)."""
        return self._info.scheme in ("page", "offset") or self._info.numbered

    def _positions(self) -> Mapping[str, Any]:
        """The call's position values: its query, or (`in_body`) its body's `param` and
        `before_param` with `extra_body` over them."""
        if not self._info.in_body:
            return self._call_args.get("query") or {}
        body = self._call_args.get("body")
        names = [n for n in (self._info.param, self._info.before_param) if n]
        given = {n: wire_field(body, n) for n in names}
        return {**given, **(self._call_args.get("extra_body") or {})}

    def _place(self, args: dict[str, Any], values: Mapping[str, Any], received: bool) -> None:
        """Put the next page's position `values` in `args`: its query, or its body (with
        the body, checked against the spec before anything is sent: an offset past its
        `maximum` is refused, not sent). A position the server gave (`received`: a token,
        a cursor) is sent as received, unchecked by the parameter's schema: Twitter's
        four-character token stopped the list, refused by its `minLength` (UX audit 15).
        Only text and numbers: an item id that is an object would add query parameters."""
        received = received and all(_scalar(v) for v in values.values() if v is not None)
        if self._info.in_body:
            extra = {k: v for k, v in (args.get("extra_body") or {}).items() if k not in values}
            if received:  # (`extra_body` is not checked against the body's schema)
                args["extra_body"] = {**extra, **values}
                return
            args["body"] = {**_wire_data(args.get("body")), **values}
            if extra or args.get("extra_body"):  # (the caller's own there would win over it)
                args["extra_body"] = extra
        else:
            args["query"] = {**(args.get("query") or {}), **_as_declared(self._op, values)}
            args["received"] = frozenset(values) if received else frozenset()

    def _next_args(self) -> dict[str, Any] | None:
        """The next page's constructor arguments, None on the last page (worked out once a
        page: iterating asked `has_next_page()`, then `next_page()`, each planning it)."""
        if self._following is not _NOT_PLANNED:
            return cast("dict[str, Any] | None", self._following)
        following = self._plan_following()
        if self._raw is not None:  # (a page not fetched yet has nothing to plan from)
            self._following = following
        return following

    def _plan_following(self) -> dict[str, Any] | None:
        query = self._positions()
        base = self._client._base_url_of(self._op)
        try:
            plan = plan_next(self._info, self._raw, self._items, query, self._before, base)
        except ValueError as exc:  # a next link that is no URL (`https://[::1/x`, a list)
            said = str(exc) if str(exc).startswith("the next-page") else ""
            said = said or "the next-page link is not a URL"
            raise PaginationError(f"{said}; not followed") from None
        if plan is None:
            return None
        seen = _digest(plan.marker)
        if seen in self._seen:
            raise PaginationError(
                f"the server returned the same next page again ({self._info.scheme}); "
                "stopping instead of looping"
            )
        args = dict(self._call_args)
        self._place(args, plan.query, plan.received)
        return {
            "call": args,
            "_url": plan.url,
            "_seen": self._seen | {seen},
            "_before": self._before + len(self._items),
            "_previous": self._items,
            "_pages": self._pages | {self._digest} if self._digest is not None else self._pages,
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
