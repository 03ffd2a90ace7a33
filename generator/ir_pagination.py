"""Which list operations page, and how: detected from the spec, or declared by `x-pagination`.

Schemes (checked in this order, the first that fits wins):

| scheme | the spec shows | next page |
|---|---|---|
| `cursor` | body `has_more` + query `starting_after` (Stripe) | `starting_after` = last item's `id` |
| `next_link` | body `nextLink`, `@odata.nextLink`, `next_link` or a `next` URL (Azure, Graph) | GET that URL |
| `token` | body `next_cursor`, `next_page_token`, `nextPageToken`, `next_token`, `nextCursor` or `next` + a query parameter to send it in | the token in that parameter |
| `link_header` | a documented `Link` response header (GitHub); or an array body with a cursor and a size query parameter (`after` + `per_page`) | the `rel="next"` URL |
| `page` | query `page` (or `currentPage`, `current_page`, `pageNumber`, `page_number`: api.video's) with `per_page`, `page_size`, `pageSize`, `limit` or `size` | the page + 1 |
| `offset` | query `offset` with `limit`, `count` or `size` | `offset` + items seen |

The items are the body when it is an array, otherwise its array property (`data`,
`items`, `results`, `value`, … or the only array property). `x-pagination` on the
operation (a mapping with `scheme`, `items`, `param`, `field`, `id_field`) overrides
detection; `x-pagination: false` turns it off.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .load import resolve_pointer

SCHEMES = ("cursor", "next_link", "token", "link_header", "page", "offset")
_ITEM_FIELDS = ("data", "items", "results", "value", "values", "entries", "records", "list")
_LINK_FIELDS = ("nextLink", "@odata.nextLink", "next_link", "next_url", "nextUrl")
_TOKEN_FIELDS = (
    "next_cursor",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
    "nextCursor",
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
)
_PAGE_SIZES = ("per_page", "page_size", "pageSize", "limit", "size")
_PAGE_NUMBERS = ("page", "currentPage", "current_page", "pageNumber", "page_number")
_OFFSET_SIZES = ("limit", "count", "size")
# schemes whose `field` is a property of the response (`has_more`, the next link or token)
_FIELD_SCHEMES = ("cursor", "next_link", "token")


@dataclass(frozen=True)
class Detected:
    """A detected (or declared) pagination: the runtime's `PageInfo` plus where the items are."""

    scheme: str
    items: str | None  # wire name of the body's array property, None when the body is one
    param: str | None
    field: str | None
    id_field: str
    items_pointer: str  # JSON pointer of the items' schema (for the item type)
    items_schema: Any  # as written there (a `$ref` stays one)


def _resolve(document: dict[str, Any], schema: Any, pointer: str) -> tuple[dict[str, Any], str]:
    """Follow a chain of local `$ref`s (bounded), tracking the pointer of the target."""
    for _ in range(32):
        if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
            break
        ref = schema["$ref"]
        if not ref.startswith("#"):
            return {}, pointer
        try:
            schema, pointer = resolve_pointer(document, ref), ref[1:]
        except (KeyError, ValueError):
            return {}, pointer
    return (schema if isinstance(schema, dict) else {}), pointer


def _properties(
    document: dict[str, Any], schema: dict[str, Any], pointer: str
) -> dict[str, tuple[dict[str, Any], str]]:
    """name → (resolved schema, pointer) of an object's properties, through `allOf` members."""
    found: dict[str, tuple[dict[str, Any], str]] = {}
    pending = [(schema, pointer)]
    for _ in range(64):
        if not pending:
            break
        current, at = pending.pop()
        properties = current.get("properties")
        for name, prop in properties.items() if isinstance(properties, dict) else []:
            found.setdefault(str(name), (prop, f"{at}/properties/{_escape(str(name))}"))
        members = current.get("allOf")
        for index, member in enumerate(members if isinstance(members, list) else []):
            pending.append(_resolve(document, member, f"{at}/allOf/{index}"))
    return found


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _is_array(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return kind == "array" or (isinstance(kind, list) and "array" in kind) or "items" in schema


def detect(
    document: dict[str, Any],
    method: str,
    raw: dict[str, Any],
    query_names: list[str],
    success: tuple[Any, str, dict[str, Any]] | None,
    notes: list[str] | None = None,
) -> Detected | None:
    """The pagination of one operation, or None.

    `success` is (schema, pointer, response object) of its first JSON 2xx response. What a
    declared `x-pagination` names that the response lacks is told in `notes` (when given),
    and left to detection: an unknown scheme, `items` or a next-page `field` that is no
    property of the response (followed, it yielded no item or no next page, silently).
    """
    declared = raw.get("x-pagination")
    if declared is False or method != "get" or success is None:
        return None
    schema, pointer = _resolve(document, success[0], success[1])
    headers = success[2].get("headers")
    header_names = {str(h).lower() for h in headers} if isinstance(headers, dict) else set()
    query = set(query_names)
    if _is_array(schema):
        items_schema, items_pointer = schema.get("items"), pointer + "/items"
        items_name: str | None = None
        properties: dict[str, tuple[dict[str, Any], str]] = {}
    else:
        properties = _properties(document, schema, pointer)
        arrays = [n for n, (p, at) in properties.items() if _is_array(_resolve(document, p, at)[0])]
        preferred = [n for n in _ITEM_FIELDS if n in arrays]
        if preferred:
            items_name = preferred[0]
        elif len(arrays) == 1:
            items_name = arrays[0]
        else:
            return None
        prop, at = properties[items_name]
        array_schema, array_pointer = _resolve(document, prop, at)
        items_schema, items_pointer = array_schema.get("items"), array_pointer + "/items"

    def found(scheme: str, param: str | None, field: str | None, id_field: str = "id") -> Detected:
        return Detected(scheme, items_name, param, field, id_field, items_pointer, items_schema)

    if isinstance(declared, dict):
        scheme = declared.get("scheme")
        items, field = declared.get("items"), declared.get("field")
        told = notes if notes is not None else []
        if scheme not in SCHEMES:
            told.append(f"x-pagination scheme {scheme!r} is none of {', '.join(SCHEMES)}")
        elif isinstance(items, str) and items not in properties:
            told.append(f"x-pagination items {items!r} is no property of the response")
        elif isinstance(field, str) and field not in properties and scheme in _FIELD_SCHEMES:
            told.append(f"x-pagination field {field!r} is no property of the response")
        else:
            return Detected(
                str(scheme),
                str(items) if isinstance(items, str) else items_name,
                str(declared["param"]) if isinstance(declared.get("param"), str) else None,
                str(field) if isinstance(field, str) else None,
                str(declared.get("id_field", "id")),
                items_pointer,
                items_schema,
            )
    if "has_more" in properties and "starting_after" in query:
        return found("cursor", "starting_after", "has_more")
    for name in _LINK_FIELDS:
        if name in properties:
            return found("next_link", None, name)
    token_param = next((p for p in _TOKEN_PARAMS if p in query), None)
    for name in _TOKEN_FIELDS:
        if name in properties and token_param is not None:
            return found("token", token_param, name)
    if "next" in properties and token_param is None:
        return found("next_link", None, "next")
    if "link" in header_names:
        return found("link_header", None, None)
    page_param = next((p for p in _PAGE_NUMBERS if p in query), None)
    if page_param is not None and any(size in query for size in _PAGE_SIZES):
        return found("page", page_param, None)
    if "offset" in query and any(size in query for size in _OFFSET_SIZES):
        return found("offset", "offset", None)
    # an array body cannot say where the next page is: with a cursor and a page size asked
    # for (GitHub's `after`/`before` + `per_page`, `cursor` + `per_page`), only a `Link`
    # header can, documented or not; the page stops where no `rel="next"` comes
    sized = any(size in query for size in _PAGE_SIZES)
    if items_name is None and sized and any(p in query for p in (*_TOKEN_PARAMS, "before")):
        return found("link_header", None, None)
    return None
