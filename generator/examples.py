"""Example values from the IR: the spec's own examples where they fit their type, else
values synthesised from the type nodes. The README's calls (`readme.py`) and the test
kit's answers (`Response.fallback`) are built from them.

    Examples(models).value(node, sending=…, example=…, hint=…) -> a value
    Examples(models).fits(value, node, sending=…) -> bool   (`example_fit.Checker`)

`sending` says which way the value travels: a request leaves read-only fields out and
refuses `None` where the spec does not allow null; a response leaves write-only
fields out. Values are JSON data (dicts, lists, strings, numbers, booleans, None),
and bytes for files sent; they reach generated text only through `literals.literal`.

Synthesis is deterministic, and as small as the type allows:
- an object gets its required fields (and what `dependentRequired` or a required set
  asks for with them); one with none required gets its first field where it is
  received (or `fill` asks for it: a path parameter cannot be empty); each field its own
  example when that fits, else a value of its type; a model's own example wins when it
  fits;
- a string is its field's or parameter's name where that fits the constraints, else
  `"string"`, else a sample of its pattern (`pattern_samples`), padded or cut to its
  length bounds; formats get a fixed valid value (a date, a UUID, an email…);
- numbers are 1 moved into their bounds and onto their `multipleOf`; booleans False;
- enums and literals their first value; a union its first member that can be built
  (discriminated: the first mapping, its tag set);
- an array one item (at least `minItems`), so that a list endpoint's page is never
  empty; a map one `"key"` entry.
A required cycle cannot be built: past `MAX_DEPTH` models, optional parts are left out
and a union takes `None` where it can.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import typeir as t
from .example_fit import FILES, Bounds, Checker, in_bounds
from .ir import Pagination
from .ir_content import Response
from .ir_models import Model, ModelField
from .numeric_bounds import decimal_fraction
from .pattern_samples import samples
from .typeir import S, TypeNode

__all__ = ["MAX_DEPTH", "Examples", "Unsatisfiable", "response_fallback"]

MAX_DEPTH = 6  # nested models before optional parts are left out
MAX_NESTING = 64  # nested models an example holds at most (required ones)
# The longest string and the largest value (in JSON values, a string counting one per 64
# characters) an example is synthesised as: a spec asking for more (`minLength: 2000000000`,
# `minItems` nested in `minItems`) gets no example, instead of hours and gigabytes of README.
MAX_STRING = 1_000
MAX_SIZE = 10_000
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
# a name whose value is a URL (`callback_url`, `StatusCallback`, `redirectUri`, `href`)
_LINK = re.compile(r"(ur[il]s?|href|callback|webhook)$", re.IGNORECASE)
_FORMATS: dict[t.Symbol, Any] = {
    S.DATE: "2024-01-31",
    S.TIME: "12:00:00Z",
    S.DATE_TIME: "2024-01-31T12:00:00Z",
    S.UUID: "123e4567-e89b-42d3-a456-426614174000",
    S.EMAIL: "user@example.com",
}
FILE_CONTENT = b"example"
"""What a synthesised file (or raw body) sent holds."""


class Unsatisfiable(Exception):
    """No value of the type could be built (a required cycle, say)."""


@dataclass(frozen=True)
class _Walk:
    """Where synthesis is: which way values travel and the models it is inside."""

    sending: bool
    fill: bool  # an object none of whose fields is required gets its first one
    models: tuple[str, ...] = ()

    @property
    def deep(self) -> bool:
        return len(self.models) >= MAX_DEPTH

    def inside(self, model: str) -> _Walk:
        if model in self.models:
            raise Unsatisfiable(f"{model} requires itself")
        if len(self.models) >= MAX_NESTING:  # (each level is a few frames of recursion)
            raise Unsatisfiable(f"an example would nest over {MAX_NESTING} models")
        return _Walk(self.sending, self.fill, (*self.models, model))


class Examples(Checker):
    """Example values of the types of one package (its models by name). The values it
    returns may be shared between calls: they are not to be changed."""

    def __init__(self, models: Iterable[Model]) -> None:
        super().__init__(models)
        # id of a synthesised list or dict -> (it, its size): see `_size`
        self._sizes: dict[int, tuple[Any, int]] = {}
        # (node or its id, walk, hint) -> (node, value, or why there is none)
        self._synthesised: dict[
            tuple[TypeNode | int, _Walk, str], tuple[TypeNode, Any, Exception | None]
        ] = {}

    # ---- the spec's examples -------------------------------------------------------------
    def value(
        self,
        node: TypeNode,
        *,
        sending: bool,
        example: str | None = None,
        hint: str = "",
        fill: bool | None = None,
    ) -> Any:
        """`example` (JSON text) when it fits `node`, else a value synthesised for it
        (`hint`: the name of what holds it, used for strings); Unsatisfiable when none
        can be built. `fill`: an object none of whose fields is required gets its first
        one (default: in responses; a request sends only what is required)."""
        if example is not None:
            given = json.loads(example)
            if self.fits(given, node, sending=sending):
                return given
        walk = _Walk(sending, not sending if fill is None else fill)
        # a model's reference is rebuilt for each use (cheap to hash); other nodes are shared
        key = (node if isinstance(node, t.ModelRef) else id(node), walk, hint)
        found = self._synthesised.get(key)
        if found is None or (found[0] is not node and found[0] != node):
            try:
                found = self._synthesised[key] = (node, self._synthesise(node, walk, hint), None)
            except Unsatisfiable as error:
                found = self._synthesised[key] = (node, None, error)
        if found[2] is not None:
            raise found[2]
        return found[1]

    # ---- synthesis -----------------------------------------------------------------------
    def _synthesise(self, node: TypeNode, walk: _Walk, hint: str) -> Any:
        value = self._synthesise_unbounded(node, walk, hint)
        if isinstance(value, (list, dict)) and self._size(value) > MAX_SIZE:
            raise Unsatisfiable(f"an example would hold over {MAX_SIZE:,} values")
        return value

    def _size(self, value: Any) -> int:
        """JSON values in `value`, a string counting one per 64 characters (values are
        shared: each list or dict is counted once, by identity, and remembered)."""
        if isinstance(value, str):
            return 1 + len(value) // 64
        if not isinstance(value, (list, dict)):
            return 1
        known = self._sizes.get(id(value))
        if known is None or known[0] is not value:
            items = value.values() if isinstance(value, dict) else value
            known = self._sizes[id(value)] = (value, 1 + sum(self._size(v) for v in items))
        return known[1]

    def _synthesise_unbounded(self, node: TypeNode, walk: _Walk, hint: str) -> Any:
        base, bounds = self.unwrap(node)
        if isinstance(base, t.Union):
            return self._union(base, bounds, walk, hint)
        if isinstance(base, t.LiteralType):
            return base.values[0]
        if isinstance(base, t.ModelRef):
            return self._model(base.name, walk, hint, {})
        if isinstance(base, t.Generic):
            return self._generic(base, bounds, walk, hint)
        if isinstance(base, t.Subscript) and base.symbol == S.MAPPING:
            return {}
        if isinstance(base, t.Named):
            return self._named(base.symbol, bounds, walk, hint)
        if isinstance(base, t.Builtin):
            return self._builtin(base.name, bounds, walk, hint)
        raise Unsatisfiable(f"no example for {type(base).__name__}")

    def _builtin(self, name: str, bounds: Bounds, walk: _Walk, hint: str) -> Any:
        if name == "str":
            return _string(bounds, hint)
        if name == "int":
            return _number(bounds, integer=True)
        if name == "float":
            return _number(bounds, integer=False)
        if name == "bool":
            return False
        if name == "bytes":
            return FILE_CONTENT if walk.sending else FILE_CONTENT.decode()
        if name == "None":
            return None
        return {}

    def _named(self, symbol: t.Symbol, bounds: Bounds, walk: _Walk, hint: str) -> Any:
        if symbol == S.NO_VALUE:
            raise Unsatisfiable("no value is valid (an empty enum)")
        if symbol in _FORMATS:
            # the format's value, unless the schema's pattern or lengths refuse it (an
            # e-mail `^[a-z]+@corp\.example$`): then a sample of the pattern that fits
            fixed = _FORMATS[symbol]
            if in_bounds(fixed, bounds):
                return fixed
            sampled = _string(bounds, hint)
            return sampled if in_bounds(sampled, bounds) else fixed
        if symbol in FILES:
            return FILE_CONTENT if walk.sending else FILE_CONTENT.decode()
        return _string(bounds, hint)  # a secret, or any value (`Any`)

    def _union(self, node: t.Union, bounds: Bounds, walk: _Walk, hint: str) -> Any:
        members = [m for m in node.members if m != t.NONE]
        if bounds.discriminator is not None:
            for member in members:
                base, member_bounds = self.unwrap(member)
                if isinstance(base, t.ModelRef):
                    overrides = {bounds.discriminator: member_bounds.tag}
                    try:
                        return self._model(base.name, walk, hint, overrides)
                    except Unsatisfiable:
                        continue
        if t.NONE in node.members and walk.deep:
            return None
        for member in members:
            try:
                return self._synthesise(member, walk, hint)
            except Unsatisfiable:
                continue
        if t.NONE in node.members:
            return None
        raise Unsatisfiable("no member of the union can be built")

    def _generic(self, node: t.Generic, bounds: Bounds, walk: _Walk, hint: str) -> Any:
        if node.origin == "tuple":
            return [self._synthesise(arg, walk, hint) for arg in node.args]
        if node.origin == "dict":
            value_type = node.args[1] if len(node.args) == 2 else t.ANY
            if value_type == t.ANY or walk.deep:
                return {}
            try:
                return {"key": self._synthesise(value_type, walk, "value")}
            except Unsatisfiable:
                return {}
        least = bounds.min_length or 0
        if least > MAX_SIZE:
            raise Unsatisfiable(f"an example would hold over {MAX_SIZE:,} items")
        count = max(1, least)
        if bounds.max_length is not None:
            count = min(count, bounds.max_length)
        if count == 0 or (walk.deep and least == 0):
            return []
        if count > 1 and bounds.unique:  # (copies of one item would repeat)
            raise Unsatisfiable("an example's items would repeat where they must be unique")
        try:
            item = self._synthesise(node.args[0] if node.args else t.ANY, walk, hint)
        except Unsatisfiable:
            if least == 0:
                return []
            raise
        if count * self._size(item) > MAX_SIZE:
            raise Unsatisfiable(f"an example would hold over {MAX_SIZE:,} values")
        return [item for _ in range(count)]

    def _model(self, name: str, walk: _Walk, hint: str, overrides: dict[str, Any]) -> Any:
        model = self.models.get(name)
        if model is None:
            raise Unsatisfiable(f"no model {name}")
        if model.kind == "enum":
            if not model.members:
                raise Unsatisfiable(f"{name} has no member")
            return model.members[0].value
        if model.example is not None and not overrides:
            given = json.loads(model.example)
            if self.fits(given, t.ModelRef(name), sending=walk.sending):
                return self._writable(given, model, walk.sending)
        inner = walk.inside(name)
        if model.kind != "object":
            if model.type is None:
                return _string(Bounds(), hint)
            return self._synthesise(model.type, inner, hint)
        return self._object(model, inner, overrides)

    def _object(self, model: Model, walk: _Walk, overrides: dict[str, Any]) -> dict[str, Any]:
        fields = self.all_fields(model)
        usable = [f for f in fields if not (f.read_only if walk.sending else f.write_only)]
        # (a write-only field the spec requires is required when sent: the README's calls
        # left it out and raised; 3.0.3's `required` then applies to requests only)
        chosen = {f.name for f in usable if f.required or (walk.sending and f.write_required)}
        rules = self.rules(model)
        for alternatives in (rules.required_one_of, rules.required_any_of):
            if alternatives:
                chosen.update(alternatives[0])
        given_first = False
        # (in an answer, the optional fields the spec gives an example of: the test kit
        # answered Linode's instance as `{"alerts": {…}}`, every exampled field None; UX
        # audit 18), each left out when its example does not fit
        exampled: dict[str, Any] = {}
        if walk.fill and not walk.deep:
            for f in usable:
                if f.example is not None and not f.deprecated and f.name not in chosen:
                    given = json.loads(f.example)
                    if self._fits(given, f.type, walk.sending, 0):
                        exampled[f.name] = given
        if not chosen and not exampled and usable and walk.fill and not walk.deep:
            first = next((f for f in usable if not f.deprecated), usable[0])
            chosen.add(first.name)
            given_first = True
        for _ in range(len(fields)):  # dependentRequired, to its closure
            present = chosen | exampled.keys()
            needed = {
                n
                for trigger, names in rules.dependent_required
                if trigger in present
                for n in names
            }
            if needed <= chosen:
                break
            chosen |= needed
        result: dict[str, Any] = {}
        try:
            for model_field in fields:
                if model_field.alias in overrides:
                    result[model_field.alias] = overrides[model_field.alias]
                elif model_field.name in chosen:
                    result[model_field.alias] = self._field(model_field, walk)
                elif model_field.name in exampled:
                    result[model_field.alias] = exampled[model_field.name]
        except Unsatisfiable:
            if not given_first:
                raise
            result = {}  # the one optional field picked could not be built: none is needed
        for alias, value in overrides.items():
            result.setdefault(alias, value)
        return result

    def _field(self, model_field: ModelField, walk: _Walk) -> Any:
        if model_field.example is not None:
            given = json.loads(model_field.example)
            if self._fits(given, model_field.type, walk.sending, 0):
                return given
        return self._synthesise(model_field.type, walk, model_field.alias)

    def _writable(self, value: Any, model: Model, sending: bool) -> Any:
        """A model's example without its read-only properties, when it is sent."""
        if not sending or not isinstance(value, dict):
            return value
        read_only = {f.alias for f in self.all_fields(model) if f.read_only}
        return {k: v for k, v in value.items() if k not in read_only}


def _string(bounds: Bounds, hint: str) -> str:
    """A string within `bounds`: the hint, `"string"`, or a sample of the pattern."""
    candidates = [hint] if _WORD.fullmatch(hint) else []
    candidates.append("string")
    least = bounds.min_length or 0
    if least > MAX_STRING:
        raise Unsatisfiable(f"an example string would be over {MAX_STRING:,} characters")
    if bounds.patterns:
        for expected, pattern in bounds.patterns:
            if expected:
                candidates.extend(samples(pattern, least))
    else:
        candidates = [_fit_length(c, bounds) for c in candidates]
    if _LINK.search(hint):  # Twilio's `CallbackUrl`: an API checks `format: uri`
        candidates.insert(0, "https://example.com/callback")
    for candidate in candidates:
        if in_bounds(candidate, bounds):
            return candidate
    return candidates[-1]  # the best guess: the client will say what is wrong


def _fit_length(text: str, bounds: Bounds) -> str:
    if bounds.max_length is not None:
        text = text[: bounds.max_length]
    least = bounds.min_length or 0
    return text + "x" * (least - len(text)) if len(text) < least else text


def _number(bounds: Bounds, integer: bool) -> int | float:
    """1, moved into the bounds and onto their multiple (an int for an integer); bounds
    or multiples beyond a float's range (`minimum: 1e400`, `multipleOf: 1e-320`) give none."""
    try:
        value = _bounded_number(bounds, integer)
        finite = math.isfinite(value)  # (OverflowError for an int past a float's range)
    except (OverflowError, ValueError, ZeroDivisionError) as error:
        raise Unsatisfiable(f"no number is written for these bounds ({error})") from None
    if not finite:
        raise Unsatisfiable("no finite number fits these bounds")
    return value


def _bounded_number(bounds: Bounds, integer: bool) -> int | float:
    limits = bounds.numbers
    low = max([limits[k] for k in ("ge",) if k in limits] or [-math.inf])
    high = min([limits[k] for k in ("le",) if k in limits] or [math.inf])
    step = 1 if integer else 0.5
    if "gt" in limits:
        low = max(low, limits["gt"] + step)
    if "lt" in limits:
        high = min(high, limits["lt"] - step)
    if low <= high:
        value: float = min(max(1, low), high)
    else:  # an open interval narrower than the step: its middle
        value = (limits.get("gt", limits.get("ge", 0)) + limits.get("lt", limits.get("le", 0))) / 2
    multiple = limits.get("multiple_of")
    if multiple and not integer and isinstance(multiple, float):  # in decimal, as checked
        unit = decimal_fraction(multiple)
        exact = math.ceil(decimal_fraction(value) / unit) * unit
        if math.isfinite(high) and exact > decimal_fraction(high):
            exact = math.floor(decimal_fraction(high) / unit) * unit
        return float(exact)
    if multiple:
        value = math.ceil(value / multiple) * multiple
        if value > high:
            value = math.floor(high / multiple) * multiple
    if integer:
        return int(value)
    return float(value)


def stream_fallbacks(examples: Examples, response: Response) -> tuple[tuple[str, str], ...]:
    """(media type, JSON text of a list of one item) of each of the response's other media
    types that is a stream of events or lines (`Response.stream_fallbacks`)."""
    found = []
    for media in response.alternatives:
        if media.parse not in _STREAMS:
            continue
        try:
            found.append((media.media_type, _json(_stream_items(examples, media.type))))
        except Unsatisfiable:
            continue
    return tuple(found)


_STREAMS = ("sse", "sse-event", "jsonl")


def _stream_items(examples: Examples, node: t.TypeNode | None) -> list[Any]:
    """What the test kit sends of a stream by default: one item of its type."""
    return [examples.value(node or t.STR, sending=False, hint="data")]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def response_fallback(
    examples: Examples, response: Response, pagination: Pagination | None = None
) -> str | None:
    """What the test kit answers by default for a response, as JSON text, when the spec's
    examples cannot serve: it has none, or its first does not parse as the response's
    type (GitHub's `api-overview` example has numbers where its schema says strings). A
    value of its type then (a list of one item for a stream of events or lines); None when
    the first example serves, or for no body. The page of a paginated operation
    (`pagination`) holds an item even where its items are optional."""
    if response.content_type is None:
        return None
    kind, node = response.parse, response.type
    if response.examples:
        if kind not in ("json", "any") or node is None:
            return None  # a stream's or a text's example is sent as it is
        first = json.loads(response.examples[0][1])
        if examples.fits(first, node, sending=False):
            return None
    try:
        if kind in ("json", "any"):
            value: Any = examples.value(node or t.ANY, sending=False)
            items = pagination.items if pagination is not None else None
            if pagination is not None and items is not None and isinstance(value, dict):
                if not value.get(items):
                    item = examples.value(pagination.item_type, sending=False)
                    value = {**value, items: [item]}
        elif kind in _STREAMS:
            value = _stream_items(examples, node)
        else:  # text, binary
            value = "example"
    except Unsatisfiable:
        return None
    return _json(value)
