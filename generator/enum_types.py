"""Enum values against their schema's `type` (W409).

JSON Schema applies both: `{type: string, enum: [1, 2]}` admits no value at all (1 is no
string, and no string is among the values). Such a schema is nearly always YAML's doing:
unquoted `001`, `419` or `on` are read as the number 1, 419 and true. Generation takes the
values as written (an enum of numbers), which sends `1` where the API meant `"001"`, so
lint says so at each value, with the repair (quote it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .diagnostics import Diagnostic
from .limits import MAX_ENUM_MEMBERS
from .load import Spec, join_pointer

__all__ = ["check_enum_types", "json_type"]


def json_type(value: Any) -> str:
    """The JSON Schema type of a JSON value (`integer` for a number without a fraction)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _admits(types: set[str], value: Any) -> bool:
    kind = json_type(value)
    return kind in types or (kind == "integer" and "number" in types)


def check_enum_types(spec: Spec) -> Iterator[Diagnostic]:
    """W409 for each `enum` with values that are not of its schema's `type` (null allowed
    where the schema is `nullable`, in OpenAPI 3.0), at the first of them; W410 for each
    of more than `MAX_ENUM_MEMBERS` values."""
    for pointer, node, is_schema in spec.nodes():
        values = node.get("enum") if is_schema else None
        if isinstance(values, list) and len(values) > MAX_ENUM_MEMBERS:
            yield spec.diagnostic(
                "W410",
                join_pointer(pointer, "enum"),
                f"an enum of {len(values):,} values is a Literal type, not an Enum class"
                f" (over {MAX_ENUM_MEMBERS:,}: mypy checks an Enum class at about 1 ms a"
                " member); the values are checked all the same",
                warning=True,
            )
        declared = node.get("type") if isinstance(values, list) else None
        if isinstance(declared, str):
            types = {declared}
        elif isinstance(declared, list) and all(isinstance(t, str) for t in declared):
            types = set(declared)
        else:
            continue
        if node.get("nullable") is True:
            types.add("null")
        wrong = [(i, v) for i, v in enumerate(values or ()) if not _admits(types, v)]
        if not wrong:
            continue
        shown = ", ".join(f"{v!r} ({json_type(v)})" for _, v in wrong[:3])
        more = f" and {len(wrong) - 3} more" if len(wrong) > 3 else ""
        yield spec.diagnostic(
            "W409",
            join_pointer(pointer, "enum", wrong[0][0]),
            f"enum values {shown}{more} are not of type {' or '.join(sorted(types))}, as the"
            " schema's `type` says: no value can match both; the values are used as written"
            " (YAML reads an unquoted 001 as the number 1, `on` as true: quote them)",
            warning=True,
        )
