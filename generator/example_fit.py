"""Does a value fit a type of the IR? What the client would accept, checked on the type nodes
(and the models they name) before a spec's example is used (`examples.py`).

Strict as the client is with what it sends: an integer is an int (not a bool, not
"1"), a date a real date, a string within its lengths and patterns (run on the models'
own regex engine), an object holding its required fields and its rules, an optional
field `None` only where the spec allows null (when sending).
"""

from __future__ import annotations

import json
import re
import uuid
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from . import formats
from . import typeir as t
from .ir_models import Model, ModelField
from .numeric_bounds import is_decimal_multiple
from .typeir import S, TypeNode

__all__ = ["Bounds", "Checker", "in_bounds", "unwrap"]

FILES = (S.FILE_INPUT, S.BINARY_CONTENT)
"""Types of files and raw bodies sent."""


@dataclass
class Bounds:
    """What `Annotated` metadata says about the values of its base type."""

    numbers: dict[str, float] = field(default_factory=dict)  # ge, gt, le, lt, multiple_of
    min_length: int | None = None
    max_length: int | None = None
    patterns: list[tuple[bool, str]] = field(default_factory=list)  # (must match?, Rust regex)
    discriminator: str | None = None  # the property a union's members are told apart by
    tag: Any = None  # the discriminator value of a union member
    unique: bool = False  # an array's `uniqueItems`


def unwrap(node: TypeNode) -> tuple[TypeNode, Bounds]:
    """The node under its `Annotated` layers, and what their metadata constrains (a sized
    integer, `Int32`, is an `int` within its format's range)."""
    bounds = Bounds()
    while isinstance(node, t.Annotated):
        for call in node.metadata:
            _read_call(call, bounds)
        node = node.base
    limits = t.sized_int_bounds(node)
    if limits is not None:
        bounds.numbers.setdefault("ge", limits[0])  # the schema's own bounds are narrower
        bounds.numbers.setdefault("le", limits[1])
        node = t.INT
    return node, bounds


def _read_call(call: t.Call, bounds: Bounds) -> None:
    if call.symbol == S.FIELD:
        for key, value in call.kwargs:
            if key in ("ge", "gt", "le", "lt", "multiple_of") and isinstance(value, (int, float)):
                bounds.numbers[key] = value
            elif key in ("min_length", "max_length") and isinstance(value, int):
                setattr(bounds, key, value)
            elif key == "pattern" and isinstance(value, str):
                bounds.patterns.append((True, value))
    elif call.symbol == S.UNIQUE_ITEMS:
        bounds.unique = True
    elif call.symbol == S.MULTIPLE_OF and call.args and isinstance(call.args[0], (int, float)):
        bounds.numbers["multiple_of"] = call.args[0]
    elif call.symbol in (S.PATTERN_CHECK, S.SECRET_PATTERN):
        bounds.patterns.extend((bool(e), str(p)) for e, p in call.args)
    elif call.symbol == S.TAG and call.args:
        bounds.tag = call.args[0]
    elif call.symbol == S.DISCRIMINATOR and call.args and isinstance(call.args[0], t.Call):
        bounds.discriminator = str(call.args[0].args[0])


@lru_cache(maxsize=1024)
def _validator(pattern: str) -> Any:
    from pydantic_core import SchemaError, SchemaValidator, core_schema

    try:
        schema = core_schema.str_schema(pattern=pattern, regex_engine="rust-regex")
        return SchemaValidator(schema)
    except SchemaError:
        return None


def _matches(text: str, patterns: list[tuple[bool, str]]) -> bool:
    """Does `text` match each pattern that must match and none that must not (as the models'
    engine decides)? A pattern that does not compile here is not held against it."""
    from pydantic_core import ValidationError

    for expected, pattern in patterns:
        validator = _validator(pattern)
        if validator is None:
            continue
        try:
            validator.validate_python(text)
            found = True
        except ValidationError:
            found = False
        if found is not expected:
            return False
    return True


def _repeats(items: list[Any] | tuple[Any, ...]) -> bool:
    """Do two items of an example's array have the same JSON?"""
    texts = [json.dumps(item, sort_keys=True, default=repr) for item in items]
    return len(set(texts)) < len(texts)


def in_bounds(value: Any, bounds: Bounds) -> bool:
    if isinstance(value, (str, list, tuple, bytes)):
        if bounds.min_length is not None and len(value) < bounds.min_length:
            return False
        if bounds.max_length is not None and len(value) > bounds.max_length:
            return False
        if isinstance(value, str) and bounds.patterns and not _matches(value, bounds.patterns):
            return False
        if bounds.unique and isinstance(value, (list, tuple)) and _repeats(value):
            return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        limits = bounds.numbers
        if "ge" in limits and value < limits["ge"]:
            return False
        if "gt" in limits and value <= limits["gt"]:
            return False
        if "le" in limits and value > limits["le"]:
            return False
        if "lt" in limits and value >= limits["lt"]:
            return False
        multiple = limits.get("multiple_of")
        if isinstance(multiple, int) and isinstance(value, int) and multiple:
            return value % multiple == 0  # exact, however long (`/` overflows past 1e308)
        if multiple:  # in decimal, as the models check it (`_scalars.multiple_of`)
            return is_decimal_multiple(value, multiple)
    return True


class Checker:
    """Checks values against the types of one package (its models by name)."""

    def __init__(self, models: Iterable[Model]) -> None:
        self.models = {m.name: m for m in models}
        self._fields: dict[str, list[ModelField]] = {}
        self._rules: dict[str, Model] = {}
        self._aliases: dict[str, dict[str, ModelField]] = {}
        # id(node) -> (node, its base, bounds): nodes are shared and long-lived in the IR,
        # and hashing a deep node costs as much as reading it again
        self._unwrapped: dict[int, tuple[TypeNode, TypeNode, Bounds]] = {}

    def unwrap(self, node: TypeNode) -> tuple[TypeNode, Bounds]:
        """`unwrap(node)`, remembered (the bounds are shared: not to be changed)."""
        found = self._unwrapped.get(id(node))
        if found is None or found[0] is not node:
            found = self._unwrapped[id(node)] = (node, *unwrap(node))
        return found[1], found[2]

    def fits(self, value: Any, node: TypeNode, *, sending: bool) -> bool:
        """Would `value` be accepted as `node` (strictly, as the client checks what it sends)?"""
        return self._fits(value, node, sending, 0)

    def all_fields(self, model: Model) -> list[ModelField]:
        """The model's fields with those of its bases (bases first; a redeclaration wins)."""
        cached = self._fields.get(model.name)
        if cached is None:
            from .ir_signatures import all_fields

            cached = self._fields[model.name] = all_fields(model, self.models)
        return cached

    def rules(self, model: Model) -> Model:
        """The model in its lineage whose required-field rules apply (its own, else the
        nearest base's: the runtime inherits them as class variables)."""
        cached = self._rules.get(model.name)
        if cached is not None:
            return cached
        # breadth first, each model queued once (bases that share bases form a lattice:
        # queued once per path, a lattice 40 deep is 2**40 entries)
        found, queue, seen = model, deque([model]), {model.name}
        while queue:
            current = queue.popleft()
            if current.dependent_required or current.required_one_of or current.required_any_of:
                found = current
                break
            for base in current.bases:
                if base in self.models and base not in seen:
                    seen.add(base)
                    queue.append(self.models[base])
        self._rules[model.name] = found
        return found

    def aliases(self, model: Model) -> dict[str, ModelField]:
        """The model's fields by the names a value may give them (wire name, other casing)."""
        cached = self._aliases.get(model.name)
        if cached is None:
            cached = {}
            for model_field in self.all_fields(model):
                cached[model_field.alias] = model_field
                if model_field.also_accepts is not None:
                    cached.setdefault(model_field.also_accepts, model_field)
            self._aliases[model.name] = cached
        return cached

    def _fits(self, value: Any, node: TypeNode, sending: bool, depth: int) -> bool:
        if depth > 64:
            return True  # deeper than any example a spec gives: not checked
        base, bounds = self.unwrap(node)
        if not in_bounds(value, bounds):
            return False
        if isinstance(base, t.Union) and bounds.discriminator is not None:
            # the member whose tag the value's discriminator property holds
            tag = value.get(bounds.discriminator) if isinstance(value, dict) else None
            tagged = [m for m in base.members if self.unwrap(m)[1].tag == tag]
            return any(self._fits(value, m, sending, depth + 1) for m in tagged)
        if isinstance(base, t.Union):
            return any(self._fits(value, m, sending, depth + 1) for m in base.members)
        if isinstance(base, t.LiteralType):
            return any(v == value and type(v) is type(value) for v in base.values)
        if isinstance(base, t.ModelRef):
            return self._fits_model(value, base.name, sending, depth + 1)
        if isinstance(base, t.Generic):
            return self._fits_generic(value, base, sending, depth + 1)
        if isinstance(base, t.Subscript):
            return base.symbol == S.MAPPING and isinstance(value, dict)
        if isinstance(base, t.Named):
            return _fits_named(value, base.symbol)
        if isinstance(base, t.Builtin):
            return _fits_builtin(value, base.name, lenient=not sending)
        return False

    def _fits_generic(self, value: Any, node: t.Generic, sending: bool, depth: int) -> bool:
        if node.origin == "dict":
            value_type = node.args[1] if len(node.args) == 2 else t.ANY
            return isinstance(value, dict) and all(
                isinstance(k, str) and self._fits(v, value_type, sending, depth)
                for k, v in value.items()
            )
        if not isinstance(value, (list, tuple)):
            return False
        if node.origin == "tuple":
            return len(value) == len(node.args) and all(
                self._fits(v, a, sending, depth) for v, a in zip(value, node.args, strict=True)
            )
        item = node.args[0] if node.args else t.ANY
        return all(self._fits(v, item, sending, depth) for v in value)

    def _fits_model(self, value: Any, name: str, sending: bool, depth: int) -> bool:
        model = self.models.get(name)
        if model is None:
            return False
        if model.kind == "enum":
            if not sending:  # a response's enum keeps values the spec does not list
                base = int if model.enum_base == "int" else str
                return isinstance(value, base) and not isinstance(value, bool)
            return any(m.value == value and type(m.value) is type(value) for m in model.members)
        if model.kind != "object":
            return model.type is None or self._fits(value, model.type, sending, depth)
        if not isinstance(value, dict):
            return False
        fields = self.all_fields(model)
        by_alias = self.aliases(model)
        given = {by_alias[k].name for k in value if k in by_alias}
        if any(f.required and f.name not in given for f in fields):
            return False
        for key, item in value.items():
            known = by_alias.get(key)
            if known is None:
                if model.extra == "forbid":
                    return False
                if model.extra_type is not None and not self._fits(
                    item, model.extra_type, sending, depth
                ):
                    return False
                continue
            if sending and known.read_only:
                continue
            if item is None and sending and not known.nullable and not known.required:
                return False  # the client refuses None where the spec does not allow null
            if not self._fits(item, known.type, sending, depth):
                return False
        return _sets_hold(self.rules(model), given)


def _sets_hold(model: Model, given: set[str]) -> bool:
    """Does a set of given field names satisfy the model's required-field rules?"""
    for trigger, needed in model.dependent_required:
        if trigger in given and not set(needed) <= given:
            return False
    for alternatives, exactly in ((model.required_one_of, True), (model.required_any_of, False)):
        if alternatives:
            met = sum(1 for names in alternatives if set(names) <= given)
            if met == 0 or (exactly and met > 1):
                return False
    return True


_LAX_INTEGER = re.compile(r"[+-]?\d+")
_LAX_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_LAX_BOOLEANS = ("0", "1", "true", "false", "yes", "no", "on", "off", "t", "f", "y", "n")


def _fits_builtin(value: Any, name: str, lenient: bool) -> bool:
    """Strictly, as the client sends; `lenient`: as responses are parsed (pydantic's lax
    mode: `"101"` is an int, `"true"` a bool)."""
    if name == "str":
        return isinstance(value, str)
    if name == "int":
        if lenient and isinstance(value, str):
            return bool(_LAX_INTEGER.fullmatch(value.strip()))
        if lenient and isinstance(value, float):
            return value.is_integer()
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "float":
        if lenient and isinstance(value, str):
            return bool(_LAX_NUMBER.fullmatch(value.strip()))
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "bool":
        if lenient and isinstance(value, (str, int)) and not isinstance(value, bool):
            return str(value).strip().lower() in _LAX_BOOLEANS
        return isinstance(value, bool)
    if name == "bytes":
        return isinstance(value, bytes)
    if name == "None":
        return value is None
    return True


def _fits_named(value: Any, symbol: t.Symbol) -> bool:
    if symbol == S.ANY:
        return True
    if symbol == S.NO_VALUE:
        return False
    if symbol in FILES:
        return isinstance(value, bytes)
    if not isinstance(value, str):
        return False
    if symbol == S.UUID:
        try:
            uuid.UUID(value)
        except ValueError:
            return False
        return True
    if symbol == S.DATE:
        return formats.is_full_date(value)
    if symbol == S.TIME:
        return formats.is_full_time(value)
    if symbol == S.DATE_TIME:
        return formats.is_date_time(value)
    if symbol == S.EMAIL:
        return formats.is_mailbox(value)
    return True  # a secret: any string
