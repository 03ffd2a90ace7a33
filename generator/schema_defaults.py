"""Spec defaults: written in a field's own scalar type (the generate profile is lenient),
and checked against their schemas (a default that fails its schema is dropped, E402)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import typeir as t
from .load import example_key
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
        scalars.add(t.plain(member))
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


def literal_fits(value: Any, node: TypeNode) -> bool:
    """True when the type mypy infers for the literal of a list or mapping `value` is `node`.

    `Field(default=[...])` gets no type context from a union annotation (`list[str | None] |
    None`): mypy infers the literal alone (`list[str]`), and lists and dicts are invariant.
    Elements must each be of the element type itself, not of a member or a promotion of it
    (`1` for `float`); a default that does not fit is validated instead (`validate_default`).
    """
    while isinstance(node, t.Annotated):
        node = node.base
    if not isinstance(node, t.Generic) or not node.args:
        return False
    if isinstance(value, list) and node.origin == "list":
        return all(_element_fits(item, node.args[0]) for item in value)
    if isinstance(value, dict) and node.origin == "dict" and node.args[0] == t.STR:
        return all(_element_fits(item, node.args[-1]) for item in value.values())
    return False


def _element_fits(value: Any, node: TypeNode) -> bool:
    node = t.plain(node)
    if node == t.ANY:
        return True
    if isinstance(value, (list, dict)):  # an empty one has no element type to infer
        return bool(value) and literal_fits(value, node)
    if isinstance(value, bool):
        return node == t.BOOL
    return node == {str: t.STR, int: t.INT, float: t.FLOAT, type(None): t.NONE}.get(type(value))


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
        if self.exhausted or _plainly_fits(schema, value):
            return []
        from .schema_check import BudgetExhausted, SchemaChecker  # (~0.15 s: only here)

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


def _plainly_fits(schema: dict[str, Any], value: Any, depth: int = 0) -> bool:
    """True when `value` has the one `type` `schema` names and meets what else the schema
    says among the keywords checked here (inclusive bounds, lengths, a string enum, items of
    the same kind): `{type: boolean}` and `false`, `{type: integer, minimum: 1}` and `30`,
    the defaults of most specs. Such a value needs no checker, nor its import (~0.15 s);
    anything else (formats, `$ref`s, objects' properties) goes to the checker."""
    if depth > 8 or any(
        key not in _ANNOTATIONS and key not in _CHECKED_HERE and not key.startswith("x-")
        for key in schema
    ):
        return False
    kind = schema.get("type")
    types = _JSON_TYPES.get(kind) if isinstance(kind, str) else None
    if not types or not isinstance(value, types) or (kind == "boolean") != isinstance(value, bool):
        return False
    if "format" in schema and (not isinstance(value, str) or schema["format"] in _MODEL_FORMATS):
        return False  # a format the models validate (a date, a uuid…), or a number's
    size: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        size, low, high = value, schema.get("minimum"), schema.get("maximum")
    elif isinstance(value, str):
        size, low, high = len(value), schema.get("minLength"), schema.get("maxLength")
    elif isinstance(value, list):
        size, low, high = len(value), schema.get("minItems"), schema.get("maxItems")
    if size is not None:
        if low is not None and not (_is_number(low) and size >= low):
            return False
        if high is not None and not (_is_number(high) and size <= high):
            return False
    if "enum" in schema:
        enum = schema["enum"]
        if not (isinstance(value, str) and isinstance(enum, list) and value in enum):
            return False
    if isinstance(value, list):
        items = schema.get("items")
        if not isinstance(items, dict) or not all(
            _plainly_fits(items, item, depth + 1) for item in value
        ):
            return False
    return True


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# keywords `_plainly_fits` checks itself (any other constraint sends a default to the checker)
_CHECKED_HERE = frozenset(
    {"minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "enum", "items"}
    | {"format"}
)
# string formats the generated models validate (`schema_scalars`): a default of these goes
# to the checker, which fails what validation would fail; another format is left unchecked
_MODEL_FORMATS = frozenset({"date", "date-time", "time", "uuid", "binary", "email", "password"})


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
            key = example_key(entry)
            if key is not None:
                return json_text(entry[key])
    return None
