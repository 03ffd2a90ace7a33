"""Pagination coverage: how many list operations a spec has, and how many we page, by scheme.

A *list operation*, read from the spec independently of the generator's detection, is a GET
whose first 2xx JSON response is an array, or an object holding an array property, and that
shows a sign of paging: a query parameter such as `page`, `limit`, `offset`, `cursor`,
`starting_after`, a `Link` response header, or (objects) a property such as `has_more`,
`next`, `nextLink` (a count alone is no sign). A list without any (GitHub's `/gitignore/templates`)
is returned whole and is not counted.

What we page is read from our generated package with `ast`: each resource module's
`_op_NAME()` gives the operation's `OperationInfo(method=…, path=…)` and `_page_NAME()` its
`PageInfo(scheme=…)`.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench.perf.count import _string_value, _template_key

SCHEMES = ("cursor", "next_link", "token", "link_header", "page", "offset")
_PAGE_FIELDS = {
    "has_more",
    "hasMore",
    "next",
    "next_url",
    "nextLink",
    "@odata.nextLink",
    "next_link",
    "next_cursor",
    "nextCursor",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
}
_PAGE_PARAMS = {
    "page",
    "per_page",
    "page_size",
    "pageSize",
    "limit",
    "offset",
    "cursor",
    "starting_after",
    "ending_before",
    "page_token",
    "pageToken",
    "after",
    "before",
    "$top",
    "$skip",
    "$skiptoken",
}
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def spec_lists(document: Any) -> frozenset[tuple[str, str]]:
    """The list operations of the spec, as (`GET`, path template with blank parameters)."""

    def deref(node: Any) -> Any:
        for _ in range(32):
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not (isinstance(ref, str) and ref.startswith("#/")):
                return node
            target: Any = document
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                target = target.get(part) if isinstance(target, dict) else None
            node = target
        return node

    found: set[tuple[str, str]] = set()
    paths = document.get("paths") if isinstance(document, dict) else None
    for path, item in (paths or {}).items():
        item = deref(item)
        operation = item.get("get") if isinstance(item, dict) else None
        if not isinstance(operation, dict):
            continue
        names = {
            str(p.get("name"))
            for p in map(deref, [*item.get("parameters", []), *operation.get("parameters", [])])
            if isinstance(p, dict) and p.get("in") == "query"
        }
        schema, headers = _success(operation, deref)
        if _is_array(schema, deref):
            paged = bool(_PAGE_PARAMS & names) or "link" in headers
        else:
            paged = _paged_object(schema, names, deref) or (
                "link" in headers and bool(_properties(schema, deref))
            )
        if paged:
            found.add(("GET", _template_key(path)))
    return frozenset(found)


def _success(operation: dict[str, Any], deref: Any) -> tuple[Any, set[str]]:
    """The first 2xx response's JSON schema (dereferenced) and its header names, lower case."""
    responses = operation.get("responses")
    for status, response in sorted(responses.items() if isinstance(responses, dict) else []):
        response = deref(response)
        if not str(status).startswith("2") or not isinstance(response, dict):
            continue
        headers = response.get("headers")
        names = {str(h).lower() for h in headers} if isinstance(headers, dict) else set()
        content = response.get("content")
        for media_type, media in content.items() if isinstance(content, dict) else []:
            base = str(media_type).split(";", 1)[0].strip().lower()
            if (base == "application/json" or base.endswith("+json")) and isinstance(media, dict):
                return deref(media.get("schema")), names
        return None, names
    return None, set()


def _is_array(schema: Any, deref: Any) -> bool:
    schema = deref(schema)
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    return kind == "array" or (isinstance(kind, list) and "array" in kind)


def _properties(schema: Any, deref: Any) -> dict[str, Any]:
    """Properties of an object schema, with those of its `allOf` members."""
    schema = deref(schema)
    if not isinstance(schema, dict):
        return {}
    found: dict[str, Any] = {}
    for member in schema.get("allOf", []) if isinstance(schema.get("allOf"), list) else []:
        found.update(_properties(member, deref))
    properties = schema.get("properties")
    if isinstance(properties, dict):
        found.update(properties)
    return found


def _paged_object(schema: Any, query: set[str], deref: Any) -> bool:
    properties = _properties(schema, deref)
    if not any(_is_array(p, deref) for p in properties.values()):
        return False
    return bool(_PAGE_FIELDS & set(properties) or _PAGE_PARAMS & query)


def ours_pages(output: Path) -> dict[tuple[str, str], str]:
    """(METHOD, path template) → scheme of every operation our package pages."""
    found: dict[tuple[str, str], str] = {}
    for module in sorted(output.rglob("resources/*.py")):
        text = module.read_text(encoding="utf-8")
        if "PageInfo(" not in text:
            continue
        operations: dict[str, tuple[str, str]] = {}
        schemes: dict[str, str] = {}
        for function in ast.parse(text).body:
            if not isinstance(function, ast.FunctionDef):
                continue
            for call in ast.walk(function):
                if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name):
                    continue
                fields = {k.arg: k.value for k in call.keywords if k.arg}
                if call.func.id == "OperationInfo" and function.name.startswith("_op_"):
                    method = _string_value(fields.get("method", ast.Pass()))
                    path = _string_value(fields.get("path", ast.Pass()))
                    if method is not None and path is not None:
                        key = (method.upper(), _template_key(path))
                        operations[function.name.removeprefix("_op_")] = key
                elif call.func.id == "PageInfo" and function.name.startswith("_page_"):
                    scheme = _string_value(fields.get("scheme", ast.Pass()))
                    schemes[function.name.removeprefix("_page_")] = scheme or "?"
        for name, scheme in schemes.items():
            if name in operations:
                found[operations[name]] = scheme
    return found


def render_pages(
    rows: Iterable[tuple[str, frozenset[tuple[str, str]], dict[Any, str]]],
) -> list[str]:
    """The report's pagination table: per spec, list operations and what we page, by scheme."""
    out = [
        "## Pagination",
        "",
        "List operations read from the spec (a GET returning an array, or an object holding",
        "an array with a paging field or query parameter; `bench/perf/pages.py`) against the",
        "operations our package pages, by the scheme detected. *Also paged*: paged operations",
        "that the spec reading does not count as lists.",
        "",
        "| spec | list operations | paged | not paged | also paged | " + " | ".join(SCHEMES) + " |",
        "|---|---|---|---|---|" + "---|" * len(SCHEMES),
    ]
    for name, lists, pages in rows:
        schemes = Counter(pages.values())
        paged = len(lists & set(pages))
        out.append(
            f"| {name} | {len(lists)} | {paged} | {len(lists) - paged} | "
            f"{len(set(pages) - lists)} | " + " | ".join(str(schemes[s]) for s in SCHEMES) + " |"
        )
    out.append("")
    return out
