"""Lone surrogates (`"\\ud800"` in JSON): text no JSON on the wire can carry.

A JSON document may spell a lone UTF-16 surrogate as an escape, and Python reads it into a
`str`, but UTF-8 cannot encode it: no request or response holds one, and pydantic-core
cannot build a `Literal`, an enum or a field alias holding one. So a string `const` or
`enum` value holding one admits nothing that can arrive, and a property named with one is
never sent. Lint reports each (W406) and the IR leaves it out: a `const` is not checked,
an `enum` keeps its other values (when none is left, it is not checked), and the property is
left out of its model (an unknown key is kept by `model_extra` all the same).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .diagnostics import Diagnostic
from .load import Spec, join_pointer

__all__ = ["check_surrogates", "enum_list", "is_lone_surrogate_text"]

_SURROGATE = re.compile("[\ud800-\udfff]")


def is_lone_surrogate_text(value: Any) -> bool:
    """True for a string holding a lone surrogate, which UTF-8 (the wire) cannot encode."""
    return isinstance(value, str) and _SURROGATE.search(value) is not None


def enum_list(schema: dict[str, Any]) -> list[Any] | None:
    """A schema's `enum` without the values holding a lone surrogate; None when it has no
    `enum`, or only such values (the enum is then not checked)."""
    values = schema.get("enum")
    if not isinstance(values, list):
        return None
    kept = [v for v in values if not is_lone_surrogate_text(v)]
    return kept if kept or not values else None


def check_surrogates(spec: Spec) -> Iterator[Diagnostic]:
    """W406 for each string `const`, `enum` value and property name holding a lone
    surrogate, with what generation does about it."""
    for pointer, node, is_schema in spec.nodes():
        if not is_schema:
            continue
        if is_lone_surrogate_text(node.get("const")):
            yield _warning(
                spec, join_pointer(pointer, "const"), "const", "the const is not checked"
            )
        values = node.get("enum")
        if isinstance(values, list):
            left = enum_list(node) is not None
            for index, value in enumerate(values):
                if is_lone_surrogate_text(value):
                    repair = "the value is left out" if left else "the enum is not checked"
                    yield _warning(spec, join_pointer(pointer, "enum", index), "enum value", repair)
        properties = node.get("properties")
        if isinstance(properties, dict):
            for name in properties:
                if is_lone_surrogate_text(name):
                    where = join_pointer(pointer, "properties", name)
                    repair = "the property is left out of its model"
                    yield _warning(spec, where, "property name", repair)


def _warning(spec: Spec, pointer: str, what: str, repair: str) -> Diagnostic:
    return spec.diagnostic(
        "W406",
        pointer,
        f"{what} holds a lone surrogate, which no JSON on the wire (UTF-8) can carry: {repair}",
        warning=True,
    )
