"""Spec defaults written in a field's own scalar type (the generate profile is lenient)."""

from __future__ import annotations

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
