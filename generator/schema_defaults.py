"""Spec defaults written in a field's own scalar type (the generate profile is lenient)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from . import typeir as t
from .typeir import TypeNode

UNUSABLE = object()
"""A default that fits no member of the field's type: left to the server."""


def native_default(value: Any, node: TypeNode) -> Any:
    """A default written in the field's own scalar type: `"true"` for a boolean, `"4"` for an
    integer (openapi-python-client's test specs have them) are read as such; a default
    that fits no member of the type is `UNUSABLE` (mypy would refuse it, pydantic too)."""
    members = node.members if isinstance(node, t.Union) else (node,)
    scalars = set()
    for member in members:
        while isinstance(member, t.Annotated):
            member = member.base
        scalars.add(member)
    if not scalars <= {t.STR, t.INT, t.FLOAT, t.BOOL, t.NONE}:
        return value  # containers, literals, Any: written as the spec gives them
    if isinstance(value, bool):
        return value if t.BOOL in scalars else UNUSABLE
    if isinstance(value, int):
        return value if scalars & {t.INT, t.FLOAT} else UNUSABLE
    if isinstance(value, float):
        return value if t.FLOAT in scalars else UNUSABLE
    if isinstance(value, str):
        if t.STR in scalars:
            return value
        if t.BOOL in scalars and value.lower() in ("true", "false"):
            return value.lower() == "true"
        for kind, convert in ((t.INT, int), (t.FLOAT, float)):
            if kind in scalars:
                try:
                    return convert(value)
                except ValueError:
                    pass
    return UNUSABLE if value is not None else None


def json_text(value: Any) -> str:
    """A spec value as compact JSON text (kept as text in the IR, parsed where used)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def example_text(node: Any, deref: Callable[[Any], Any] | None = None) -> str | None:
    """The example a schema, parameter or media type object gives, as JSON text: its
    `example`, else the first of its `examples` (a JSON Schema list, or OpenAPI's map of
    Example Objects, `$ref`s followed by `deref`, whose `value` is taken; an
    `externalValue` is never fetched). None when it gives none."""
    if not isinstance(node, dict):
        return None
    if "example" in node:
        return json_text(node["example"])
    examples = node.get("examples")
    if isinstance(examples, list) and examples:
        return json_text(examples[0])
    if isinstance(examples, dict):
        for entry in examples.values():
            entry = deref(entry) if deref is not None else entry
            if isinstance(entry, dict) and "value" in entry:
                return json_text(entry["value"])
    return None
