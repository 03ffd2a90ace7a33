"""What a list operation's schemas say, for `ir_pagination`: `$ref`s followed, an object's
properties (through `allOf`, and union members where asked), the JSON types a schema
allows, and the response's fields one or two levels down that end a list."""

from __future__ import annotations

import re
from typing import Any, TypeAlias

from .load import resolve_pointer

# arrays beside an object, not a list: JSON:API's, and HAL-like link arrays (Mailchimp's
# `_links` beside every list: its 55 lists did not page, and one report "paged" its links)
# (a `links` array only beside another: `ir_pagination._candidates`)
# (and Google's `unreachable`: the locations a list could not reach, beside the list; AIP-217)
_NOT_ITEMS = ("errors", "warnings", "included", "_links", "unreachable", "unreachablelocations")
# objects a next link, or the end of the list, may be one level down in: `meta`,
# `_metadata`, `links`, `pagination`, `paging`, `pageInfo`, `pageDetails`, `range`, … (not
# any object: Spotify's playlist holds its `tracks`, a page of another list, with a `next`)
_META_FIELD = re.compile(r"meta|link|pag|range", re.IGNORECASE)
_MORE_FIELDS = ("has_more", "hasMore", "has_next", "hasNext", "has_next_page", "hasNextPage")
_MORE_FIELDS_LAST = ("more",)  # checked after the others: a vaguer name
PAGES_FIELDS = (
    "pagesTotal",
    "total_pages",
    "totalPages",
    "last_page",
    "lastPage",
    "page_count",
    "pageCount",
    "num_pages",
    "TotalPages",  # Open Banking's `Meta.TotalPages`
)
_TOTAL_FIELDS = (
    "total",
    "itemsTotal",
    "total_count",
    "totalCount",
    "total_items",
    "totalItems",
    "total_results",
    "totalResults",
    "TotalCount",  # Xero's (a page past the last was asked for: UX audit 10)
    "totalSetSize",  # DocuSign's (newcomer audit 23)
)
# Linode's envelope `{data, page, pages, results}`: a bare `pages` is the page count of a
# list paged by number, and `results` beside it the item count (elsewhere `results` is the
# list, or this page's count); its lists asked for a page past the last (UX audit 12)
_BARE_PAGES = ("pages",)
_BARE_TOTALS = ("results",)
# an object that says where the next page is by number: Hetzner Cloud's `meta.pagination`
# (`page`, `next_page`, `last_page`, …), where no page parameter is declared
_PAGINATION = re.compile(r"pagination", re.IGNORECASE)
_NUMBERED_NEXT = ("page", "next_page")
# an object of cursors, a `next` among them: Apideck's `meta.cursors` (`previous`, `current`,
# `next`), where a `next` beside the others is a token (its `links.next` is the URL)
_CURSORS = re.compile(r"cursors?", re.IGNORECASE)
_CURSOR_SIBLINGS = ("previous", "prev", "current")
# schemes that read the end of the list from `more_field`, `pages_field` or `total_field`
_ENDING_SCHEMES = ("token", "page", "offset")

FieldPath: TypeAlias = "str | tuple[str, ...]"  # a wire name, or the names down to it


_ZERO_BASED = re.compile(
    r"\b(?:zero|0)[- ]?(?:based|indexed)\b|\b(?:start(?:s|ing)?|begin(?:s|ning)?)\s+(?:at|from|with)"
    r"\s+0\b|\bfrom\s+0\s+to\b|\bfirst\s+page\s+is\s+0\b",
    re.IGNORECASE,
)


def first_page(document: dict[str, Any], schema: Any, description: str = "") -> int:
    """The first page's number: 0 where the page parameter's `default` or `minimum` is 0
    (Spring Data's zero-based pages: page 0 was skipped), where its example is page 0
    (NOWPayments' `example: "0"`: its first page was skipped, and a list of one page came
    back empty; UX audit 8), or where its description says so ("zero-based", "from 0 to
    page count - 1"); else 1."""
    resolved, _ = resolve(document, schema, "")
    start = resolved.get("default", resolved.get("minimum"))
    if start is not None:
        return 0 if start == 0 and not isinstance(start, bool) else 1
    examples = resolved.get("examples")
    shown = [resolved.get("example"), *(examples[:1] if isinstance(examples, list) else [])]
    if any(_is_zero(example) for example in shown):
        return 0
    said = " ".join(t for t in (description, resolved.get("description")) if isinstance(t, str))
    return 0 if _ZERO_BASED.search(said) else 1


def _is_zero(value: Any) -> bool:
    return (value == 0 and not isinstance(value, (bool, float))) or value == "0"


# keys that say something of a schema without constraining it
_ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "default", "deprecated", "readOnly"}
    | {"writeOnly", "nullable", "externalDocs", "$comment", "xml"}
)


def resolve(document: dict[str, Any], schema: Any, pointer: str) -> tuple[dict[str, Any], str]:
    """Follow a chain of local `$ref`s (bounded), tracking the pointer of the target, and an
    `allOf` that only annotates one schema (`allOf: [{$ref: Token}, {description: …}]`, as
    every property of the directory's 300 AWS specs is written: their lists were not seen)."""
    for _ in range(32):
        if isinstance(schema, dict) and isinstance(schema.get("allOf"), list):
            only = _annotated(schema)
            if only is None:
                break
            schema, pointer = schema["allOf"][only], f"{pointer}/allOf/{only}"
            continue
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


def _annotated(schema: dict[str, Any]) -> int | None:
    """The index of the one `allOf` member of `schema` that says more than annotations,
    where the schema itself says nothing else; else None."""
    if any(key != "allOf" and not _annotation(key) for key in schema):
        return None
    members = schema["allOf"]
    if len(members) > 8:  # (no annotation takes more: 150,000 members were read at each use)
        return None
    found = [
        index
        for index, member in enumerate(members)
        if not (isinstance(member, dict) and all(_annotation(key) for key in member))
    ]
    return found[0] if len(found) == 1 else None


def _annotation(key: Any) -> bool:
    return key in _ANNOTATIONS or (isinstance(key, str) and key.startswith("x-"))


def object_properties(
    document: dict[str, Any], schema: dict[str, Any], pointer: str, unions: bool = False
) -> dict[str, tuple[dict[str, Any], str]]:
    """name → (resolved schema, pointer) of an object's properties, through `allOf` members
    (and those of `anyOf`/`oneOf` too, where `unions`: what any of them may hold)."""
    found: dict[str, tuple[dict[str, Any], str]] = {}
    pending = [(schema, pointer)]
    for _ in range(64):
        if not pending:
            break
        current, at = pending.pop()
        properties = current.get("properties")
        for name, prop in properties.items() if isinstance(properties, dict) else []:
            found.setdefault(str(name), (prop, f"{at}/properties/{_escape(str(name))}"))
        for key in ("allOf", "anyOf", "oneOf") if unions else ("allOf",):
            members = current.get(key)
            # (64 members at most, as 64 schemas are read: 150,000 were resolved at each
            # list operation, 136 s for 1,000 of them; hostile audit 13)
            for index, member in enumerate(members[:64] if isinstance(members, list) else []):
                pending.append(resolve(document, member, f"{at}/{key}/{index}"))
    return found


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def may_be_items(name: str, path: str) -> bool:
    """Can the array property `name` be a list's items? Not `errors`, `warnings`,
    `included` or `_links` beside the object a GET returns (Amadeus's order by id, with its
    `warnings` beside `meta.links.next`), unless the path names it (appcenter's `…/errors`)."""
    lowered = name.lower()
    return lowered not in _NOT_ITEMS or path.rstrip("/").lower().endswith("/" + lowered)


def opaque(document: dict[str, Any], raw: dict[str, Any], name: str, path: str) -> bool:
    """Is the operation's query parameter `name` a token rather than a count: text, whose
    description calls it a token or whose example is no number (Asana's `offset`, example
    `eyJ0eXAiOJiKV1iQLCJhbGciOiJIUzI1NiJ9`)? Most `type: string` offsets are counts."""
    paths = document.get("paths")
    item, _ = resolve(document, paths.get(path) if isinstance(paths, dict) else None, "")
    entries: list[Any] = []
    for owner in (raw, item):
        found = owner.get("parameters")
        entries.extend(found if isinstance(found, list) else [])
    for entry in entries:
        parameter, _ = resolve(document, entry, "")
        if parameter.get("name") != name or parameter.get("in") != "query":
            continue
        schema, _ = resolve(document, parameter.get("schema"), "")
        if schema.get("type") != "string":
            return False
        description = parameter.get("description")
        example = parameter.get("example", schema.get("example"))
        if isinstance(description, str) and "token" in description.lower():
            return True
        return isinstance(example, str) and not example.strip().isdigit()
    return False


def is_array(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return kind == "array" or (isinstance(kind, list) and "array" in kind) or "items" in schema


def json_types(document: dict[str, Any], schema: Any, depth: int = 0) -> set[str]:
    """The JSON types a schema allows but null (through `$ref`, `anyOf`/`oneOf`); empty
    when it does not say."""
    resolved, _ = resolve(document, schema, "")
    kind = resolved.get("type")
    found: set[str] = set()
    if isinstance(kind, str):
        found = {kind}
    elif isinstance(kind, list):
        found = {str(k) for k in kind}
    for key in ("anyOf", "oneOf") if depth < 4 and not found else ():
        members = resolved.get(key)
        for member in members[:64] if isinstance(members, list) else []:  # (as above)
            found |= json_types(document, member, depth + 1)
    return found - {"null"}


def numeric(types: set[str]) -> bool:
    return bool(types & {"integer", "number"})


class Fields:
    """The response's properties, and those of its objects one or two levels down (in
    objects named like `meta` or `links`: DigitalOcean's `links.pages.next`), by name."""

    def __init__(
        self, document: dict[str, Any], properties: dict[str, tuple[dict[str, Any], str]]
    ) -> None:
        self.document = document
        self.top = {name: schema for name, (schema, _) in properties.items()}
        self.nested: list[tuple[tuple[str, ...], dict[str, Any]]] = []
        self._below((), properties, 2)

    def _below(
        self, path: tuple[str, ...], properties: dict[str, tuple[dict[str, Any], str]], depth: int
    ) -> None:
        """Record the meta-named objects among `properties` (at `path`), `depth` levels on."""
        for name in [n for n in properties if _META_FIELD.search(n)] if depth else []:
            schema, at = resolve(self.document, *properties[name])
            # through `allOf` (DigitalOcean's `meta`) and the members of a union (its `pages`)
            inner = object_properties(self.document, schema, at, unions=True)
            if inner:
                self.nested.append(((*path, name), {k: v for k, (v, _) in inner.items()}))
                self._below((*path, name), inner, depth - 1)

    def find(self, names: tuple[str, ...], wanted: str, nested: bool = True) -> FieldPath | None:
        """The first of `names` whose schema has the JSON type `wanted` (`integer` takes a
        `number` too): a top-level property's name, else (parent, name) one level down."""

        def fits(schema: Any) -> bool:
            types = json_types(self.document, schema)
            return numeric(types) if wanted == "integer" else wanted in types

        for name in names:
            if name in self.top and fits(self.top[name]):
                return name
        for parents, inner in self.nested if nested else []:
            for name in names:
                if name in inner and fits(inner[name]):
                    return (*parents, name)
        return None

    def uri(self, names: tuple[str, ...]) -> FieldPath | None:
        """The first of `names`, at the top or one or two levels down, whose schema is a
        string of `format: uri` (SendGrid's `_metadata.next` beside a `page_token`: a link,
        though a `next` may be a token elsewhere)."""
        scopes = [((), self.top), *self.nested]
        for parents, inner in scopes:
            for name in names:
                if name in inner:
                    schema, _ = resolve(self.document, inner[name], "")
                    shape = schema.get("format")  # (Zuora writes `URL`)
                    if isinstance(shape, str) and shape.lower() in ("uri", "url", "uri-reference"):
                        return (*parents, name) if parents else name
        return None

    def link_object(self, names: tuple[str, ...]) -> FieldPath | None:
        """The first of `names`, one or two levels down (in a `links`-like object), whose
        schema is an object with an `href`: a HAL link (GOV.UK Pay's `_links.next_page`)."""
        for parents, inner in self.nested:
            for name in names:
                if name in inner:
                    schema, at = resolve(self.document, inner[name], "")
                    if "href" in object_properties(self.document, schema, at):
                        return (*parents, name)
        return None

    def numbered_next(self) -> FieldPath | None:
        """An integer `next_page` in a `pagination` object one or two levels down that
        numbers its `page` too (Hetzner Cloud's `meta.pagination`), else None."""
        for parents, inner in self.nested:
            if _PAGINATION.fullmatch(parents[-1]) is None:
                continue
            if all(
                name in inner and numeric(json_types(self.document, inner[name]))
                for name in _NUMBERED_NEXT
            ):
                return (*parents, _NUMBERED_NEXT[-1])
        return None

    def cursor_next(self) -> FieldPath | None:
        """A text `next` beside a `previous`, `prev` or `current` in an object named
        `cursors` (or `cursor`), at the top or in a meta-named object one or two levels down
        (Apideck's `meta.cursors.next`), that no `format: uri` makes a link; else None."""
        for parents, inner in [((), self.top), *self.nested]:
            for name in [n for n in inner if _CURSORS.fullmatch(n)]:
                schema, at = resolve(self.document, inner[name], "")
                cursors = object_properties(self.document, schema, at, unions=True)
                if "next" not in cursors or not any(n in cursors for n in _CURSOR_SIBLINGS):
                    continue
                next_schema, _ = resolve(self.document, *cursors["next"])
                if "string" in json_types(self.document, next_schema) and next_schema.get(
                    "format"
                ) not in ("uri", "url", "uri-reference"):
                    return (*parents, name, "next")
        return None

    def ending(self, scheme: str) -> tuple[FieldPath | None, FieldPath | None, FieldPath | None]:
        """`more_field`, `pages_field` and `total_field` of a scheme that reads them."""
        if scheme not in _ENDING_SCHEMES:
            return None, None, None
        more = self.find(_MORE_FIELDS, "boolean") or self.find(_MORE_FIELDS_LAST, "boolean")
        pages = self.find(PAGES_FIELDS, "integer") if scheme == "page" else None
        total = self.find(_TOTAL_FIELDS, "integer") if scheme != "token" else None
        if scheme == "page" and pages is None:
            pages = self.find(_BARE_PAGES, "integer")
            if pages is not None and total is None:
                total = self._beside(pages, _BARE_TOTALS, "integer")
        return more, pages, total

    def _beside(self, field: FieldPath, names: tuple[str, ...], wanted: str) -> FieldPath | None:
        """The first of `names` of type `wanted` in the object that holds `field`."""
        parents = field[:-1] if isinstance(field, tuple) else ()
        found = self.find(names, wanted, nested=bool(parents))
        if found is None or not parents:
            return found
        return found if isinstance(found, tuple) and found[:-1] == parents else None
