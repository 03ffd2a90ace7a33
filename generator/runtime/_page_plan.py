"""Where the next page is: an operation's `PageInfo`, and the request for the page after a
response (a cursor after the last item, a token or a link in the body, a `Link` header, a
page number or an offset), or None where the response says the list ends (a false
`has_more`, the last of `pagesTotal` pages, `total` items seen, a numbered page's `Link`
header without `rel="next"`). Used by `_pagination.py`.

This module is plain Python, copied verbatim into every generated package that pages.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias
from urllib.parse import urljoin, urlsplit

from ._types import wire_field

__all__ = ["FieldPath", "PageInfo", "link_next", "plan_next"]

FieldPath: TypeAlias = "str | tuple[str, ...]"  # a wire name, or the names down to it
_PAGING_RELS = frozenset({"first", "last", "prev", "previous"})  # `Link` relations of a list


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
    position in `extra_body`). `numbered` (token): the token is a page number (Hetzner
    Cloud's `meta.pagination.next_page`), so it must be a whole number above the page asked
    for, and the page numbers' guards against a repeated page apply.
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
    numbered: bool = False


@dataclass(frozen=True)
class _Next:
    """What to send for the next page: query overrides, or a whole URL."""

    query: Mapping[str, Any]
    url: str | None
    marker: str  # identifies the request, to detect a server that loops
    # `query` holds what the server gave (a token, a cursor, an item's id): sent as received,
    # not checked against the parameter's schema (a page number or an offset the client
    # counted is)
    received: bool = False


def _next_link(raw: Any) -> str | None:
    header = raw.headers.get("link") if raw is not None else None
    if not header:
        return None
    return link_next(header)


def link_next(header: str) -> str | None:
    """The target of the `rel="next"` link of an RFC 8288 `Link` header, read in one pass
    (a backtracking pattern took minutes on a long header a server chose)."""
    return next((target for target, rels in _links(header) if "next" in rels), None)


def _links(header: str) -> Iterator[tuple[str, list[str]]]:
    """The (target, relations) of each link of a `Link` header, in one pass."""
    index = 0
    while True:
        start = header.find("<", index)
        end = header.find(">", start + 1) if start >= 0 else -1
        if end < 0:
            return
        params, index = _link_params(header, end + 1)
        rels = [rel for name, value in params if name == "rel" for rel in value.lower().split()]
        yield header[start + 1 : end], rels


def _link_ends(raw: Any) -> bool:
    """Does the response's `Link` header page the list (a `first`, `last` or `prev` link)
    without a `next` one? (Netlify's numbered lists: its last page links `first` and `prev`
    only, and a request past it was sent: UX audit 13.) A header of other links only
    (`rel="deprecation"`) says nothing of the list's end."""
    header = raw.headers.get("link") if raw is not None else None
    if not header:
        return False
    rels = {rel for _, found in _links(header) for rel in found}
    return "next" not in rels and bool(rels & _PAGING_RELS)


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


def _page_number(token: Any, current: Any, first: int) -> int:
    """A next page number (`PageInfo.numbered`) as an int; ValueError for one that is no
    whole number above the page asked for (`current`, the first page when none was): a
    server counting down into negatives, or going back, was followed forever, and `true`
    went out as `page=True` (hostile audit 15)."""
    position = _count(current)
    position = first if position is None else position
    number = token if isinstance(token, (int, float)) and not isinstance(token, bool) else None
    if isinstance(number, float):
        number = int(number) if number.is_integer() else None
    if number is None or number <= position:
        raise ValueError(f"the next-page number is no page after page {position}")
    return number


def _ended(info: PageInfo, raw: Any, position: int, seen: int) -> bool:
    """Does the response say this is the last page? `position` is this page's number
    (page) or the items before it (offset); `seen` the items up to the end of this page."""
    body = raw.parsed
    if _field(body, info.more_field) is False:
        return True
    if info.scheme == "page" and _link_ends(raw):
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


def plan_next(
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
        if not isinstance(link, str):
            # (a lenient body's object or list: its text is no URL; a one-item list joined
            # onto the URL again every page, 10,916 requests: hostile audit 11)
            raise ValueError("the next-page link is not text")
        url = _body_link(link, base, str(raw.http_response.request.url))
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
        if isinstance(cursor, bool) or not isinstance(cursor, (str, int, float)):
            # (an id `true` went out as `starting_after=True`: hostile audit 16)
            raise ValueError("the next-page cursor (the last item's id) is no text or number")
        return _Next({param: cursor}, None, f"{param}={cursor}", received=True)
    if scheme == "token":
        token = _field(body, info.field or "next_cursor")
        if token is None or token == "" or _ended(info, raw, 0, 0):
            return None
        if info.numbered:
            number = _page_number(token, query.get(param), info.first_page)
            return _Next({param: number}, None, f"{param}={number}")
        if (
            isinstance(token, str)
            and token.startswith(("https://", "http://"))
            and not info.in_body
        ):
            # Spotify's and Bitbucket's `next` is the next page's URL, not a token: sent
            # as `after=https%3A…` (or refused by an integer `after`), it is followed (a
            # POST's body position stays one: its next page is no GET of a link)
            url = _body_link(token, base, str(raw.http_response.request.url))
            return _Next({}, url, url)
        if isinstance(token, bool) or not isinstance(token, (str, int, float)):
            # (`true` went out as `nextToken=True`, and the list went on: hostile audit 13)
            raise ValueError("the next-page token is no text or number")
        if isinstance(token, float) and token.is_integer():
            token = int(token)  # a whole `number` (Vercel's `next`): sent as 998, not 998.0
        return _Next({param: token}, None, f"{param}={token}", received=True)
    marker = _field(body, info.marker_field) if info.marker_param else None
    if marker is not None and marker != "":
        name = info.marker_param or ""
        return _Next({name: marker, param: None}, None, f"{name}={marker}", True)
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
