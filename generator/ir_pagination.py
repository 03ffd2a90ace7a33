"""Which list operations page, and how: detected from the spec, or declared by `x-pagination`.

Schemes (checked in this order, the first that fits wins):

| scheme | the spec shows | next page |
|---|---|---|
| `cursor` | body `has_more` + query `starting_after` (Stripe) | `starting_after` = last item's `id`; `ending_before` = the first item's when the call gave `ending_before` (backwards) |
| `next_link` | body `nextLink`, `@odata.nextLink`, `next_link`, `next_page_uri`, `next_page_url`, … or a `next` URL (Azure, Graph, Twilio), also one level down (`meta.next_page_url`, `links.next`) | GET that URL |
| `token` | body `next_cursor`, `next_page_token`, `nextPageToken`, `next_token`, `nextCursor`, `next_marker`, AWS's `NextToken`, Kubernetes's `continue` or `next` + a query parameter to send it in (`cursor`, `page_token`, `marker`, `nextToken`, `continue`, `pagination_token`, …); a string `next_page` + a string `page` (Stripe's search); a number `next` + `until` (Vercel's timestamps); a body field named as the parameter (Square's `cursor`); an `offset` that is a token (text, called a token or with an example that is no number: Asana's, from `next_page.offset`); an integer `next_page` in a `pagination` object beside its `page` where no page parameter is declared (Hetzner Cloud's `meta.pagination`: sent as `page`) | the token in that parameter |
| `link_header` | a documented `Link` response header (GitHub); or an array body with a cursor and a size query parameter (`after` + `per_page`) | the `rel="next"` URL |
| `page` | query `page` (or `currentPage`, `current_page`, `pageNumber`, `page_number`: api.video's; JSON:API's `page[number]`: Telnyx's) with `per_page`, `page_size`, `pageSize`, `limit`, `size` or `page[size]`; or an integer `page` alone (Xero) | the page + 1 |
| `offset` | query `offset` (or Jira's `startAt`, JSON:API's `page[offset]`) with `limit`, `count`, `size`, `maxResults` or `page[limit]` | `offset` + items seen; once the body gives a token (Box's `next_marker`, with `usemarker`), that token instead |

Query parameter names are matched ignoring case (Twilio's `PageToken`, `PageSize`). A POST
whose JSON body holds a position (Square's and Plaid's searches: `cursor`, `offset`) and
whose names read (`reads`: `search`, `list`, `query`…, not `capture` or `create`) is read
as a GET whose query parameters are the body's properties (`in_body`), for the schemes that
send a position back. The items are the body when it is an array, otherwise its array
property (`data`, `items`, `results`, `value`, … or the only array property but `errors`,
`warnings`, `included`, `_links`, Google's `unreachable`, or the one a path segment names).
A property written as an `allOf` of one schema and annotations (AWS's) is that schema.
A next link or the end of the list may be one or two levels down, in objects named like
`meta`, `links` or `pagination` (through `allOf`, and any member of a union:
DigitalOcean's `links.pages.next`); a link object's `href` is followed (JSON:API's, and
HAL's `_links.next_page` where no page number or offset parameter pages the list: GOV.UK
Pay's searches). A `next` among `cursors` (Apideck's `meta.cursors.next`, beside `previous`
and `current`) is a `token`, sent in the token parameter (`cursor`), not a link.

The `token`, `page` and `offset` schemes also read the end of the list from the body,
where it says so (by name, at the top level or one level down, `meta.total_pages`):
a false `has_more` / `hasNext` / `has_next` / `more` (`more_field`), the page count
(`pagesTotal`, `total_pages`, `last_page`, …, or a bare `pages` where the list pages by
number, with `results` beside it the item count: Linode's: `pages_field`) and the item count
(`total`, `itemsTotal`, `total_count`, …: `total_field`), or a documented `X-Pages` header
(`pages_header`). A field one level down is a tuple of names, `("meta", "total_pages")`.

Hetzner Cloud's `next_page` is a page number (`numbered`): the runtime takes it only as a
whole number above the page asked for, and guards it as page numbers are (a repeated page).

`x-pagination` on the operation (a mapping with `scheme`, `items`, `param`, `field`,
`id_field`) overrides detection; `x-pagination: false` turns it off. Azure's
`x-ms-pageable` is read next: its `nextLinkName` and `itemName` (`value` unless said), when
the response has them, are a `next_link` (7,000 GET operations of the directory's Azure
specs declare one; Batch's `odata.nextLink` and Intune's `nextlink` are found only there);
a null `nextLinkName` says the list comes whole, not paged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from .ir_media import json_media
from .pagination_reads import creates, reads
from .pagination_schema import (
    PAGES_FIELDS,
    FieldPath,
    Fields,
    first_page,
    is_array,
    json_types,
    may_be_items,
    object_properties,
    opaque,
    resolve,
)

SCHEMES = ("cursor", "next_link", "token", "link_header", "page", "offset")
# JSON types of an array of scalars (`_candidates`)
_SCALARS = frozenset({"string", "integer", "number", "boolean"})
_ITEM_FIELDS = ("data", "items", "results", "value", "values", "entries", "records", "list")
_LINK_FIELDS = ("nextLink", "@odata.nextLink", "next_link", "next_url", "nextUrl")
# string fields holding the next page's URL (Twilio's `next_page_uri`, relative to the host)
_TEXT_LINK_FIELDS = ("next_page_uri", "next_page_url", "nextPageUri", "nextPageUrl", "next_uri")
_LINK_OBJECTS = ("next", "next_page", "nextPage")  # HAL link objects (`{"href": …}`)
_PAGES_HEADERS = ("x-pages", "x-total-pages", "x-page-count")  # EVE's ESI: `X-Pages`
_TOKEN_FIELDS = (
    "next_cursor",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
    "nextCursor",
    "next_marker",  # Box's, beside a `marker` parameter
    "nextMarker",
    "NextMarker",  # AWS's (Lambda's `Marker`)
    "NextToken",  # AWS's REST APIs (beside a `nextToken` or `next-token` parameter)
    "continuationToken",
    "ContinuationToken",
    "continue",  # Kubernetes's `metadata.continue`, beside a `continue` parameter
    "next",
)
_TOKEN_PARAMS = (
    "cursor",
    "page_token",
    "pageToken",
    "next_cursor",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "after",
    "token",
    "continuation_token",
    "continuationToken",  # Azure DevOps's (`ContinuationToken` too: names ignore case)
    "marker",
    "nextToken",  # AWS's REST APIs, ~1,100 GET lists of the directory (`NextToken` too)
    "next-token",
    "startingToken",
    "pagination_token",  # Twitter's, beside `meta.next_token`
    "page_cursor",
    "continue",  # Kubernetes's lists
    "page[cursor]",  # JSON:API's (Twine Health's)
    "page[after]",
)
# JSON:API's bracketed names are the page number, size, offset, limit or cursor they name
# (Telnyx's `page[number]` and `page[size]`: its 74 lists returned one page; UX audit 12)
_JSONAPI_CURSORS = ("page[cursor]", "page[after]")
_PAGE_SIZES = ("per_page", "page_size", "pageSize", "limit", "size", "page[size]")
_PAGE_NUMBERS = ("page", "currentPage", "current_page", "pageNumber", "page_number", "page[number]")
# an item offset, and the page sizes beside it (Jira's `startAt` and `maxResults`: 65 of its
# lists returned one page, UX audit 11; DocuSign's `start_position` and `count`: 25 of its 26
# lists, newcomer audit 23)
_OFFSETS = ("offset", "startAt", "start_at", "page[offset]", "start_position")
_OFFSET_SIZES = ("limit", "count", "size", "maxResults", "max_results", "page[limit]")
_OFFSET_NAMES = frozenset(name.lower() for name in _OFFSETS)
_UNDECLARED_PAGE = "page"  # the query parameter a `pagination.next_page` is sent in
# schemes whose `field` is a property of the response (`has_more`, the next link or token)
_FIELD_SCHEMES = ("cursor", "next_link", "token")
# schemes that send the next page's position in a query parameter (`x-pagination`'s `param`)
_PARAM_SCHEMES = ("cursor", "token", "page", "offset")
_TEXT_KEYS = ("field", "id_field")  # other `x-pagination` keys that name something
# schemes that send a position back, which a POST's body may hold
_BODY_SCHEMES = ("cursor", "token", "page", "offset")
_WEAK_BODY_NAMES = ("token", "after", "marker")


@dataclass(frozen=True)
class Detected:
    """A detected (or declared) pagination: the runtime's `PageInfo` plus where the items are."""

    scheme: str
    items: str | None  # wire name of the body's array property, None when the body is one
    param: str | None
    field: FieldPath | None  # a tuple for a next link one level down
    id_field: str
    items_pointer: str  # JSON pointer of the items' schema (for the item type)
    items_schema: Any  # as written there (a `$ref` stays one)
    before_param: str | None = None  # cursor: the query parameter that pages backwards
    more_field: FieldPath | None = None  # a boolean that is false on the last page
    pages_field: FieldPath | None = None  # page: the number of pages
    total_field: FieldPath | None = None  # page, offset: the number of items
    pages_header: str | None = None  # page: a response header holding the number of pages
    first_page: int = 1  # page: the first page's number (0 where the parameter starts there)
    # offset: (the body's field, the query parameter) of a cursor given instead of offsets
    marker: tuple[FieldPath, str] | None = None
    in_body: bool = False  # `param` (`before_param`) is a property of a POST's JSON body
    numbered: bool = False  # token: the token is a page number (checked, guarded as pages)


def _ms_pageable(
    declared: Any, arrays: list[str], properties: Mapping[str, Any]
) -> tuple[str, str] | Literal[False] | None:
    """Azure's (AutoRest's) `x-ms-pageable`: (items, next link) where its `itemName`
    (`value` unless said) is an array property and its `nextLinkName` (`nextLink`,
    `@odata.nextLink`, Batch's `odata.nextLink`, Intune's `nextlink`) a property of the
    response; False where `nextLinkName` is null (AutoRest: the whole list in one response,
    not paged); None where it says neither (detection decides)."""
    if not isinstance(declared, dict):
        return None
    link = declared.get("nextLinkName", "")
    if link is None:
        return False
    items = declared.get("itemName", "value")
    if isinstance(link, str) and link in properties and isinstance(items, str) and items in arrays:
        return items, link
    return None


def detect(
    document: dict[str, Any],
    method: str,
    raw: dict[str, Any],
    query_parameters: Mapping[str, Any],
    success: tuple[Any, str, dict[str, Any]] | None,
    notes: list[str] | None = None,
    path: str = "",
) -> Detected | None:
    """The pagination of one operation, or None.

    `query_parameters` maps the operation's query parameter names to their schemas (None
    when unknown). `success` is (schema, pointer, response object) of its first JSON 2xx
    response. What a declared `x-pagination` names that the response lacks is told in
    `notes` (when given), and left to detection: an unknown scheme, `items` or a next-page
    `field` that is no property of the response (followed, it yielded no item or no next
    page, silently).

    A POST pages as Azure declares it (`x-ms-pageable`: the next pages are GETs of the
    link), or by a position in its JSON body (Square's and Plaid's searches: `cursor`,
    `offset`): read as a GET whose query parameters are the body's properties, where the
    scheme sends a position back (`cursor`, `token`, `page`, `offset`; not Box's markers).
    A POST's `x-pagination` must name such a body property as its `param` (else it is told
    in `notes`, and detection decides: `param: amount` on a `POST /charges` sent the
    server's number as the next charge's amount).
    """
    body = _body_positions(document, raw) if method == "post" else {}
    declared = raw.get("x-pagination")
    if body and not isinstance(declared, dict) and (not reads(raw, path) or creates(raw)):
        body = {}  # a capture or a create with an `offset` is no search: sent once, as it is
    if not body or isinstance(raw.get("x-ms-pageable"), dict):
        return _detect(document, method, raw, query_parameters, success, notes, path)
    if isinstance(declared, dict) and not _position_name(declared.get("param"), body):
        told = notes if notes is not None else []
        told.append(
            f"x-pagination param {declared.get('param')!r} of a POST is no position in its"
            " JSON body (an optional `cursor`, `page_token`, `offset`, `page`…)"
        )
        raw = {key: value for key, value in raw.items() if key != "x-pagination"}
    found = _detect(document, "get", raw, body, success, notes, path)
    if found is None or found.scheme not in _BODY_SCHEMES or found.marker is not None:
        return None
    return replace(found, in_body=True)


def _body_positions(document: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    """A POST's JSON request body properties that may hold the page's position: name →
    schema. Left out: a token-named one that the body requires (the first page has no
    token: a required `cursor` is the call's input), `token`, `after` and `marker` (a
    body's `token` is a credential as often as a position), and an `offset` its description
    calls an identifier (Telegram's `getUpdates`: the id of the first update to return,
    where a count asked for updates again)."""
    request, at = resolve(document, raw.get("requestBody"), "")
    found = json_media(request.get("content"))
    if found is None:
        return {}
    schema, at = resolve(document, found[1].get("schema"), at)
    required: set[str] = set()
    members = schema.get("allOf")
    for part in [schema, *(members if isinstance(members, list) else [])]:
        names = resolve(document, part, "")[0].get("required")
        if isinstance(names, list):
            required.update(n for n in names if isinstance(n, str))
    return {
        name: prop
        for name, (prop, _) in object_properties(document, schema, at).items()
        if name not in _WEAK_BODY_NAMES
        and not (name in _TOKEN_PARAMS and name in required)
        and not (name.lower() in _OFFSET_NAMES and _identifier(document, prop))
    }


def _identifier(document: dict[str, Any], prop: Any) -> bool:
    """Does a body's `offset` say it is an identifier (Telegram's `getUpdates`: the first
    update's id), not a count? (A cursor may say so of itself: Plaid's "an identifier that
    determines which page of results you receive".)"""
    return "identifier" in str(resolve(document, prop, "")[0].get("description", "")).lower()


def _detect(
    document: dict[str, Any],
    method: str,
    raw: dict[str, Any],
    query_parameters: Mapping[str, Any],
    success: tuple[Any, str, dict[str, Any]] | None,
    notes: list[str] | None = None,
    path: str = "",
) -> Detected | None:
    """`detect` for a GET, an Azure POST, or a POST read as a GET (`query_parameters`: its
    body's properties)."""
    declared = raw.get("x-pagination")
    # a POST pages only as Azure declares it (the next pages are GETs of the link)
    azure_post = method == "post" and isinstance(raw.get("x-ms-pageable"), dict)
    if declared is False or (method != "get" and not azure_post) or success is None:
        return None
    schema, pointer = resolve(document, success[0], success[1])
    headers = success[2].get("headers")
    header_names = {str(h).lower() for h in headers} if isinstance(headers, dict) else set()
    # names ignoring case (Twilio's `PageSize`): the lower-case name → the spec's own
    query = {str(name).lower(): str(name) for name in reversed(list(query_parameters))}

    def param(*names: str) -> str | None:
        return next((query[n.lower()] for n in names if n.lower() in query), None)

    def param_types(name: str) -> set[str]:
        return json_types(document, query_parameters.get(name))

    if is_array(schema):
        items_schema, items_pointer = schema.get("items"), pointer + "/items"
        items_name: str | None = None
        properties: dict[str, tuple[dict[str, Any], str]] = {}
    else:
        properties = object_properties(document, schema, pointer)
        arrays = [n for n, (p, at) in properties.items() if is_array(resolve(document, p, at)[0])]
        found_azure = _ms_pageable(raw.get("x-ms-pageable"), arrays, properties)
        if found_azure is False and not isinstance(declared, dict):  # `x-pagination` first
            return None
        azure = found_azure or None
        preferred = [n for n in _ITEM_FIELDS if n in arrays]

        def scalars(names: list[str]) -> set[str]:
            """The arrays of `names` whose items the schema says are scalars."""
            found = set()
            for name in names:
                array, _ = resolve(document, *properties[name])
                kinds = json_types(document, array.get("items"))
                if kinds and kinds <= _SCALARS:
                    found.add(name)
            return found

        if azure is not None:
            items_name = azure[0]
        elif preferred:
            items_name = preferred[0]
        elif len(candidates := _candidates(arrays, path, scalars(arrays))) == 1:
            items_name = candidates[0]
        elif len(named := [n for n in candidates if n.lower() in _segments(path)]) == 1:
            items_name = named[0]  # Square's `orders` (not `order_entries`) of /v2/orders/search
        else:
            return None
        prop, at = properties[items_name]
        array_schema, array_pointer = resolve(document, prop, at)
        items_schema, items_pointer = array_schema.get("items"), array_pointer + "/items"
        if azure is not None and not isinstance(declared, dict):
            return Detected(
                "next_link", items_name, None, azure[1], "id", items_pointer, items_schema
            )
    if method != "get":
        return None
    fields = Fields(document, properties)

    def found(
        scheme: str, param: str | None, field: FieldPath | None, id_field: str = "id"
    ) -> Detected:
        pages_header = next((h for h in _PAGES_HEADERS if h in header_names), None)
        return Detected(
            scheme,
            items_name,
            param,
            field,
            id_field,
            items_pointer,
            items_schema,
            None,
            *fields.ending(scheme),
            pages_header if scheme == "page" else None,
            first_page(document, query_parameters.get(param)) if scheme == "page" and param else 1,
        )

    if isinstance(declared, dict):
        scheme = declared.get("scheme")
        items, field = declared.get("items"), declared.get("field")
        param_name = declared.get("param")
        told = notes if notes is not None else []
        if scheme not in SCHEMES:
            told.append(f"x-pagination scheme {scheme!r} is none of {', '.join(SCHEMES)}")
        elif isinstance(items, str) and items not in properties:
            told.append(f"x-pagination items {items!r} is no property of the response")
        elif isinstance(field, str) and field not in properties and scheme in _FIELD_SCHEMES:
            told.append(f"x-pagination field {field!r} is no property of the response")
        elif scheme in _PARAM_SCHEMES and not (isinstance(param_name, str) and param_name):
            # (without one, the next page was asked for as `?=2`: page 1 again)
            told.append(f"x-pagination scheme {scheme!r} needs `param`, the query parameter")
        elif any(k in declared and not isinstance(declared[k], str) for k in _TEXT_KEYS):
            keys = ", ".join(k for k in _TEXT_KEYS if k in declared)
            told.append(f"x-pagination {keys} must be text")
        else:
            return replace(
                found(str(scheme), None, None),
                items=str(items) if isinstance(items, str) else items_name,
                param=str(declared["param"]) if isinstance(declared.get("param"), str) else None,
                field=str(field) if isinstance(field, str) else None,
                id_field=str(declared.get("id_field", "id")),
            )
    starting_after = param("starting_after")
    if "has_more" in properties and starting_after is not None:
        return replace(
            found("cursor", starting_after, "has_more"), before_param=param("ending_before")
        )
    for name in _LINK_FIELDS:
        if name in properties:
            return found("next_link", None, name)
    link = fields.find(_TEXT_LINK_FIELDS, "string", nested=False)
    link = link or fields.find((*_LINK_FIELDS, *_TEXT_LINK_FIELDS), "string")
    numbered = param(*_PAGE_NUMBERS)
    if link is not None and numbered is not None and fields.find(PAGES_FIELDS, "integer"):
        # a page number, the page count and a link (Laravel's paginators: Billingo's
        # `next_page_url` carries `page` alone unless the app adds the query, so following
        # it dropped the caller's filters and page size): the next number, with the query
        return found("page", numbered, None)
    if link is not None:
        return found("next_link", None, link)
    token_param = param(*_TOKEN_PARAMS)
    offset = param(*_OFFSETS) if param(*_OFFSET_SIZES) is not None else None
    if offset is not None and _dated(document, query_parameters.get(offset)):
        offset = (
            None  # (sinao's `start_at`, a chart's first date: paged as a count; regression audit)
        )
    for name in _TOKEN_FIELDS:
        if name in properties and token_param is not None:
            if offset is not None:
                # both (Box's `marker` with `usemarker`): offsets until the body gives a marker
                return replace(found("offset", offset, None), marker=(name, token_param))
            return found("token", token_param, name)
    # the body's field named as the parameter (Square's `cursor` in, `cursor` out)
    if token_param is not None and fields.find((token_param,), "string", nested=False):
        return found("token", token_param, token_param)
    # one level down (Slack's `response_metadata.next_cursor` beside a `cursor` parameter);
    # not `next`, which is a link there as often as a token
    nested_token = fields.find(_TOKEN_FIELDS[:-1], "string") if token_param else None
    # a `next` among `cursors` (Apideck's `meta.cursors.next`, beside `previous` and
    # `current`, its `links.next` a URL: its 64 lists returned one page; UX audit 14)
    nested_token = nested_token or (fields.cursor_next() if token_param else None)
    if nested_token is not None:
        return found("token", token_param, nested_token)
    # a number (Vercel's `pagination.next`, a timestamp sent back as `until`): no link
    until = token_param or param("until")
    numeric_next = fields.find(("next",), "integer") if until else None
    if until is not None and numeric_next is not None:
        return found("token", until, numeric_next)
    # Stripe's search: a string `page` that takes the body's `next_page` (a page number
    # is an integer)
    page_token = param("page")
    if page_token is not None and "string" in param_types(page_token) and not token_param:
        if fields.find(("next_page",), "string", nested=False):
            return found("token", page_token, "next_page")
    if "next" in properties and token_param is None:
        return found("next_link", None, "next")
    # (JSON:API's `links.next` is a link beside its `page[cursor]`: Twine Health's)
    linked = token_param is None or token_param.lower() in _JSONAPI_CURSORS
    nested_next = fields.find(("next",), "string") if linked else None
    if nested_next is not None:
        return found("next_link", None, nested_next)
    if "link" in header_names:
        return found("link_header", None, None)
    page_param = param(*_PAGE_NUMBERS)
    sized = param(*_PAGE_SIZES) is not None
    if page_param is not None and sized:
        return found("page", page_param, None)
    # a page number without a page size (Xero's `page`): the server's page size
    if page_param is not None and "integer" in param_types(page_param):
        return found("page", page_param, None)
    if offset is not None and opaque(document, raw, offset, path):
        # an offset that is a token (Asana's: "you can only pass in an offset that was
        # returned to you"; sent as a count, it was refused), read from `next_page.offset`,
        # which Asana's spec leaves undeclared (absent, the list ends after one page)
        declared = fields.find(("next_offset",), "string")
        return found("token", offset, declared or ("next_page", "offset"))
    if offset is not None:
        marker = param("marker")  # Box's, whose own spec leaves `next_marker` out of the body
        return replace(
            found("offset", offset, None), marker=("next_marker", marker) if marker else None
        )
    # a `next` declared as a URL (SendGrid's `_metadata.next` beside `page_token`: UX audit
    # 9), or a `nextPage` (Zuora's 47 lists, `format: URL`: billing audit), where nothing
    # above pages the list
    uri_next = fields.uri(("next", "nextPage", "next_page"))
    if uri_next is not None:
        return found("next_link", None, uri_next)
    # a HAL link object (GOV.UK Pay's `_links.next_page.href` beside a string `page` and a
    # `display_size`: its searches returned one page; UX audit 8), where no page number or
    # offset does, and the items are a list's by name (a single resource's HAL `_links`
    # may name a `next` too: LaunchDarkly's member and its `customRoles`)
    listed = items_name in _ITEM_FIELDS or (items_name or "").lower() in _segments(path)
    next_object = fields.link_object(_LINK_OBJECTS) if listed and not token_param else None
    if next_object is not None:
        return found("next_link", None, next_object)
    # an array body cannot say where the next page is: with a cursor and a size asked
    # for (GitHub's `after`/`before` + `per_page`, `cursor` + `per_page`), only a `Link`
    # header can, documented or not; the page stops where no `rel="next"` comes
    if items_name is None and sized and param(*_TOKEN_PARAMS, "before") is not None:
        return found("link_header", None, None)
    # Hetzner Cloud's `meta.pagination`: `page` and an integer `next_page` (null on the last
    # page) where the operation declares no page parameter (its documentation names `page`;
    # its ~30 lists returned their first page only: UX audit 12): `next_page` is sent as
    # `page`, the first request sends none; a page number (`numbered`), it must count up
    numbered_next = fields.numbered_next() if not _page_named(query) else None
    if numbered_next is not None:
        return replace(found("token", _UNDECLARED_PAGE, numbered_next), numbered=True)
    return None


def _page_named(query: Mapping[str, str]) -> bool:
    """Does the operation declare a query parameter named like a page number (any name
    holding `page` but a page size's)?"""
    sizes = {name.lower() for name in _PAGE_SIZES}
    return any("page" in name and name not in sizes for name in query)


def _dated(document: dict[str, Any], schema: Any) -> bool:
    """Is a parameter's schema a date or a date-time?"""
    return resolve(document, schema, "")[0].get("format") in ("date", "date-time")


def _segments(path: str) -> set[str]:
    """The path's literal segments, lower-cased."""
    return {s.lower() for s in path.split("/") if s and not s.startswith("{")}


def _position_name(name: Any, body: Mapping[str, Any]) -> bool:
    """Is `name` a property of the body named as a page position (a cursor or token, a page
    number, an offset)?"""
    names = {n.lower() for n in (*_TOKEN_PARAMS, *_PAGE_NUMBERS, *_OFFSETS, "starting_after")}
    return isinstance(name, str) and name in body and name.lower() in names


def _candidates(arrays: list[str], path: str, scalars: set[str]) -> list[str]:
    """The arrays that may be a list's items (`may_be_items`); a `links` array beside
    another is none (Spring HATEOAS's beside `content`: Velo Payments' 23 lists), alone it is
    the list (Google Content's `listlinks`); an array of scalars (`scalars`) beside one of
    anything else is none either (Jira's `warningMessages` beside the `issues` of its search,
    which was left unpaged: UX audit 18)."""
    found = [name for name in arrays if may_be_items(name, path)]
    others = [name for name in found if name.lower() != "links"] or found
    return [name for name in others if name not in scalars] or others
