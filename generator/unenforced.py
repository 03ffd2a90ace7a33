"""Lint: schema keywords the generated models do not enforce (W408).

The models carry types, `required`, bounds, lengths, patterns, formats, scalar `const` and
`enum`, `dependentRequired` and discriminators. A few JSON Schema keywords have no
translation: a value they refuse is sent unchecked. Hostile audit 8 sent each of them
(`not: {type: string}` took a string) while the README claimed every constraint; each is
now said, once per document at its first use, with the count of the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .lint_targets import declares_property
from .load import deref, join_pointer, resolve_pointer

if TYPE_CHECKING:
    from .diagnostics import Diagnostic
    from .load import Spec

# keyword → what it would have refused
UNENFORCED = {
    "not": "values matching its schema",
    "if": "values its `then`/`else` refuse",
    "contains": "arrays without a matching item",
    "propertyNames": "property names off its schema",
    "dependentSchemas": "objects its dependent schemas refuse",
    "unevaluatedProperties": "properties no other keyword evaluates",
    "unevaluatedItems": "items no other keyword evaluates",
    "minProperties": "objects with fewer properties",
    "maxProperties": "objects with more properties",
    # (a generic's parameter, bound where it is used: read as any value; 3.1 audit 18)
    "$dynamicRef": "values off the schema its dynamic anchor binds (read as any value)",
    # (read where the models cannot say them: see `_found`)
    "prefixItems": "arrays with an item off its position's schema (each is checked against"
    " every position's)",
    "patternProperties": "properties off the schema their name's pattern gives (and names no"
    " pattern matches, under `additionalProperties: false`)",
}
_READ = ("prefixItems", "patternProperties")
# formats the models parse into a Python value (`datetime`, `date`, `time`, `UUID`): a string
# constraint beside one is not checked, and the value goes out in the format's own form
# (`.000Z` as `Z`, a UUID in lower case), which may not match a `pattern` (parity audit F3)
_PARSED_FORMATS = frozenset(
    {"date", "date-time", "time", "uuid", "dateTime", "datetime", "date_time"}
)
_STRING_KEYWORDS = ("pattern", "minLength", "maxLength")
# the shortest and longest text each parsed format is sent as (`2024-01-31T12:00:00Z` to
# `2024-01-31T12:00:00.123456+00:00`; a UUID with its hyphens): lengths within them hold
_SENT_LENGTHS = {"date": (10, 10), "time": (9, 21), "uuid": (36, 36)}
_DATE_TIME_LENGTHS = (20, 32)
# what a schema without `type` (and nothing else giving it one) is: any value, unchecked,
# though JSON Schema applies these keywords to a value of their type (parity audit F9)
_TYPED_KEYWORDS = (
    *_STRING_KEYWORDS,
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
)
_SHAPING = frozenset(
    {"type", "$ref", "const", "enum", "oneOf", "anyOf", "allOf", "properties", "items"}
    | {"additionalProperties", "prefixItems", "not", "if", "nullable"}
)
_UNTYPED = "` without a `type"
_UNDECLARED = "required` without its property"
# a member of a composition: its parent's `properties` (and `allOf`) declare for it too
_MEMBER = re.compile(r"/(?:allOf|oneOf|anyOf)/\d+$")


def check_unenforced(spec: Spec) -> Iterator[Diagnostic]:
    """W408 for each keyword of `UNENFORCED` (and a `const` or `enum` of objects or
    arrays, typed `Any`) the document's schemas use: at its first use, with the count."""
    first: dict[str, tuple[str, int]] = {}
    first_undeclared = ""
    for pointer, node, is_schema in spec.nodes():
        if not is_schema or not isinstance(node, dict):
            continue
        found = _found(node)
        undeclared = _undeclared_required(spec.document, pointer, node)
        if undeclared is not None:
            found.append(_UNDECLARED)
            first_undeclared = first_undeclared or undeclared
        if _structured(node.get("const")) or (
            isinstance(node.get("enum"), list) and any(_structured(v) for v in node["enum"])
        ):
            found.append("const" if "const" in node else "enum")
        for key in found:
            keyword = key.split("` with", 1)[0].split("` without", 1)[0]
            where, count = first.get(key, (join_pointer(pointer, keyword), 0))
            first[key] = (where, count + 1)
    for key, (where, count) in first.items():
        others = f" (and {count - 1} more use(s))" if count > 1 else ""
        if key == _UNDECLARED:
            message = (
                f"`required` names {first_undeclared!r}, which no `properties` declares{others}:"
                " the models do not hold it, and objects without it are sent unchecked"
            )
        elif key.endswith(_UNTYPED):  # the schema is any value
            message = (
                f"`{key}` is not enforced by the models{others}: a schema without `type` is"
                " any value, and values off it are sent unchecked"
            )
        elif " with " in key:  # a string keyword beside a parsed format
            message = (
                f"`{key}` is not enforced by the models{others}: values off it are sent"
                " unchecked, in the format's own form (`.000Z` as `Z`, a UUID in lower case)"
            )
        else:
            refused = UNENFORCED.get(key, "other objects or arrays")
            message = f"`{key}` is not enforced by the models{others}: {refused} are sent unchecked"
        yield spec.diagnostic("W408", where, message, warning=True)


def _found(node: dict[str, Any]) -> list[str]:
    """The keywords of `UNENFORCED` in `node`: `prefixItems` where the models do not make it
    an exact tuple (`items: false` with `minItems` reaching its length), `patternProperties`
    with any pattern (the model stays open to every name, unchecked), a `pattern`,
    `minLength` or `maxLength` beside a format the models parse (`date-time`, `uuid`…), and
    a string's or number's keyword in a schema that nothing gives a type (any value)."""
    found = [key for key in UNENFORCED if key in node and key not in _READ]
    prefix = node.get("prefixItems")
    if isinstance(prefix, list) and prefix:
        least = node.get("minItems", 0)
        counted = isinstance(least, int) and not isinstance(least, bool)
        exact = node.get("items") is False and counted and least >= len(prefix)
        found.extend(() if exact else ("prefixItems",))
    patterns = node.get("patternProperties")
    if isinstance(patterns, dict) and patterns:
        found.append("patternProperties")
    fmt = node.get("format")
    if isinstance(fmt, str) and fmt in _PARSED_FORMATS:
        found.extend(f"{key}` with `format: {fmt}" for key in _STRING_KEYWORDS if _binds(node, key))
    if not _SHAPING.intersection(node):  # (a file part's `format: binary` is read as one)
        found.extend(
            key + _UNTYPED
            for key in _TYPED_KEYWORDS
            if key in node and not (key == "format" and node[key] == "binary")
        )
    return found


def _undeclared_required(
    document: dict[str, Any], pointer: str, node: dict[str, Any]
) -> str | None:
    """The first name `node` requires that neither it (its `allOf`, a `$ref` beside it) nor, for
    a member of an `allOf`/`oneOf`/`anyOf`, the schema holding it declares. The models carry
    only declared properties (as datamodel-code-generator's do), so it is not checked (parity
    audit F9; Redocly's `no-required-schema-properties-undefined`)."""
    required = node.get("required")
    if not isinstance(required, list) or not required:
        return None
    holders = [node, deref(document, node)] if "$ref" in node else [node]
    for _ in range(4):  # (a member of a member: `allOf/0/oneOf/1`)
        match = _MEMBER.search(pointer)
        if match is None:
            break
        pointer = pointer[: match.start()]
        try:
            parent = resolve_pointer(document, pointer)
        except (KeyError, ValueError):
            break
        if not isinstance(parent, dict):
            break
        holders.append(parent)
    for name in required:
        if isinstance(name, str) and not any(declares_property(document, h, name) for h in holders):
            return name
    return None


def _binds(node: dict[str, Any], key: str) -> bool:
    """Could `key` of a parsed format's schema refuse what is sent (a `minLength: 1` of a
    date-time cannot)?"""
    if key not in node:
        return False
    if key == "pattern":
        return True
    shortest, longest = _SENT_LENGTHS.get(str(node.get("format")), _DATE_TIME_LENGTHS)
    bound = node[key]
    if isinstance(bound, bool) or not isinstance(bound, int):
        return False  # (E201's to say)
    return bound > shortest if key == "minLength" else bound < longest


def _structured(value: Any) -> bool:
    return isinstance(value, (dict, list))
