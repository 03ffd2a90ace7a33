"""Lint: schema keywords the generated models do not enforce (W408).

The models carry types, `required`, bounds, lengths, patterns, formats, scalar `const` and
`enum`, `dependentRequired` and discriminators. A few JSON Schema keywords have no
translation: a value they refuse is sent unchecked. Hostile audit 8 sent each of them
(`not: {type: string}` took a string) while the README claimed every constraint; each is
now said, once per document at its first use, with the count of the others.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .load import join_pointer

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


def check_unenforced(spec: Spec) -> Iterator[Diagnostic]:
    """W408 for each keyword of `UNENFORCED` (and a `const` or `enum` of objects or
    arrays, typed `Any`) the document's schemas use: at its first use, with the count."""
    first: dict[str, tuple[str, int]] = {}
    for pointer, node, is_schema in spec.nodes():
        if not is_schema or not isinstance(node, dict):
            continue
        found = _found(node)
        if _structured(node.get("const")) or (
            isinstance(node.get("enum"), list) and any(_structured(v) for v in node["enum"])
        ):
            found.append("const" if "const" in node else "enum")
        for key in found:
            keyword = key.split("` with `", 1)[0]
            where, count = first.get(key, (join_pointer(pointer, keyword), 0))
            first[key] = (where, count + 1)
    for key, (where, count) in first.items():
        others = f" (and {count - 1} more use(s))" if count > 1 else ""
        if " with " in key:  # a string keyword beside a parsed format
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
    with any pattern (the model stays open to every name, unchecked), and a `pattern`,
    `minLength` or `maxLength` beside a format the models parse (`date-time`, `uuid`…)."""
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
        found.extend(f"{key}` with `format: {fmt}" for key in _STRING_KEYWORDS if key in node)
    return found


def _structured(value: Any) -> bool:
    return isinstance(value, (dict, list))
