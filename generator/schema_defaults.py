"""Spec defaults: written in a field's own scalar type (the generate profile is lenient),
and checked against their schemas (a default that fails its schema is dropped, E402)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import typeir as t
from .typeir import TypeNode

if TYPE_CHECKING:
    from .schema_check import SchemaChecker

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


class DefaultCheck:
    """Checks defaults against their schemas with lint's checker (`schema_check`: formats,
    `$ref`s, `const`, items, an object's properties), so that `generate` drops what `lint`
    reports as E402. The checker is made at the first default (importing it costs about
    0.2 s); once its budget of steps is spent, later defaults are kept unchecked."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._checker: SchemaChecker | None = None
        self.exhausted = False

    def errors(self, schema: dict[str, Any], value: Any) -> list[str]:
        """How `value` fails `schema`, as lint words it (empty: it fits, or was not checked)."""
        from .schema_check import BudgetExhausted, SchemaChecker

        if self.exhausted or _plainly_fits(schema, value):
            return []
        if self._checker is None:
            self._checker = SchemaChecker(self.document)
        try:
            found = self._checker.errors(schema, value)
        except BudgetExhausted:
            self.exhausted = True
            return []
        # a schema the checker cannot read (too deep, broken) says nothing of the default
        return [] if any(m.startswith(_UNCHECKABLE) for m in found) else found


_UNCHECKABLE = "schema cannot be checked"
# keywords that constrain nothing: a schema of these and `type` only is checked here
_ANNOTATIONS = frozenset(
    {"type", "default", "title", "description", "example", "examples", "deprecated"}
    | {"readOnly", "writeOnly", "nullable", "$comment"}
)
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def _plainly_fits(schema: dict[str, Any], value: Any) -> bool:
    """True when `schema` says nothing but a type that `value` has (`{type: boolean}` and
    `false`, the most common default): such a value needs no checker, nor its import."""
    if not set(schema) <= _ANNOTATIONS and not all(
        key in _ANNOTATIONS or key.startswith("x-") for key in schema
    ):
        return False
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    for kind in kinds:
        types = _JSON_TYPES.get(kind) if isinstance(kind, str) else None
        if types and isinstance(value, types) and (kind == "boolean") == isinstance(value, bool):
            return True
    return False


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
