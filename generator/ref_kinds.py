"""Lint rule E111: a `$ref` to the wrong kind of object (a parameter's `$ref` to a schema).

OpenAPI's Reference Object stands for an object of the kind its place expects: the `$ref`
of a parameter names a Parameter Object, a response's a Response Object, a schema's a
Schema Object. A spec whose parameter names `#/components/schemas/Id` (a schema: no `name`,
no `in`) has no meaning the generator can honour: such a parameter, request body or
response was read as absent (the method lost an argument, or its body, or returned `Any`),
and nothing said so. The kind of a place is read from where it sits in the document (the
same reading for the `$ref`'s holder and for its target), so a `$ref` to another
operation's parameter, or to a schema nested in a component, is fine; a place this reading
does not know (an extension, a keyword of a later OpenAPI version) is never reported.

Under `generate` the finding is a warning with its repair stated: the referenced object is
not used there (as the IR already ignores it).
"""

from __future__ import annotations

from collections.abc import Iterator

from .diagnostics import Diagnostic
from .load import Spec, join_pointer, split_pointer

__all__ = ["check_ref_kinds"]

_SECTIONS = {
    "schemas": "schema",
    "responses": "response",
    "parameters": "parameter",
    "examples": "example",
    "requestBodies": "request body",
    "headers": "header",
    "securitySchemes": "security scheme",
    "links": "link",
    "callbacks": "callback",
    "pathItems": "path item",
    "mediaTypes": "media type",
}
_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace", "query"})
# (kind, key) → the kind of the object under that key (a map of them: `_MAPS`; a list: `_LISTS`)
_ONE = {
    ("operation", "requestBody"): "request body",
    ("parameter", "schema"): "schema",
    ("header", "schema"): "schema",
    ("media type", "schema"): "schema",
    ("media type", "itemSchema"): "schema",
}
_MAPS = {
    ("operation", "responses"): "response",
    ("operation", "callbacks"): "callback",
    ("response", "headers"): "header",
    ("response", "content"): "media type",
    ("response", "links"): "link",
    ("request body", "content"): "media type",
    ("parameter", "content"): "media type",
    ("header", "content"): "media type",
    ("parameter", "examples"): "example",
    ("header", "examples"): "example",
    ("media type", "examples"): "example",
    ("media type", "encoding"): "encoding",
    ("encoding", "headers"): "header",
    ("path item", "additionalOperations"): "operation",
}
_LISTS = {("path item", "parameters"): "parameter", ("operation", "parameters"): "parameter"}
_DESCRIBED = {  # what such an object holds: said in the message
    "schema": "a schema",
    "parameter": "a parameter",
    "request body": "a request body",
    "response": "a response",
    "header": "a header",
    "example": "an example",
    "link": "a link",
    "callback": "a callback",
    "path item": "a path item",
    "media type": "a media type",
    "security scheme": "a security scheme",
    "encoding": "an encoding",
    "operation": "an operation",
}


def kind_at(tokens: list[str]) -> str | None:
    """The kind of object OpenAPI expects at the pointer `tokens` (None: not known here).
    Anything inside a schema is a schema (a property's, an item's)."""
    if len(tokens) < 2:
        return None
    head, name, rest = tokens[0], tokens[1], tokens[2:]
    if head in ("paths", "webhooks"):
        kind: str | None = "path item"
    elif head == "components" and rest:
        kind = _SECTIONS.get(name)
        name, rest = rest[0], rest[1:]
    else:
        return None
    index = 0
    while kind is not None and index < len(rest):
        if kind == "schema":
            return kind
        key = rest[index]
        if kind == "path item" and key in _METHODS:
            kind, index = "operation", index + 1
        elif kind == "callback":
            kind, index = "path item", index + 1  # (its key is a runtime expression)
        elif (kind, key) in _ONE:
            kind, index = _ONE[kind, key], index + 1
        elif (kind, key) in _MAPS or (kind, key) in _LISTS:
            if index + 1 >= len(rest):
                return None  # the map or list itself
            kind = _MAPS.get((kind, key)) or _LISTS[kind, key]
            index += 2
        else:
            return None
    return kind


def check_ref_kinds(spec: Spec) -> Iterator[Diagnostic]:
    """E111 for each local `$ref` whose target is not the kind of object its place expects."""
    for pointer, node, is_schema in spec.nodes():
        ref = node.get("$ref")
        if not (isinstance(ref, str) and ref.startswith("#")):
            continue
        try:
            expected = "schema" if is_schema else kind_at(split_pointer(pointer))
            found = kind_at(split_pointer(ref))
        except ValueError:  # (an unresolvable pointer: E105's)
            continue
        if expected is None or found is None or expected == found:
            continue
        message = (
            f"$ref {ref!r} points at {_DESCRIBED[found]} where {_DESCRIBED[expected]} is expected"
        )
        hint = f"point it at components/{_section(expected)}/<name>"
        yield spec.diagnostic("E111", join_pointer(pointer, "$ref"), message, hint=hint)


def _section(kind: str) -> str:
    """The components section holding objects of `kind` (`encoding` and `operation` have
    none: their own place)."""
    for section, held in _SECTIONS.items():
        if held == kind:
            return section
    return "<section>"
