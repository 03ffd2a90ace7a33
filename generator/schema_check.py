"""Validate instance values (examples, defaults) against schemas: offline, linear, bounded.

Uses openapi-schema-validator's dialects (JSON Schema 2020-12 for OpenAPI 3.1 and
3.2, the OpenAPI 3.0 dialect with `nullable` for 3.0), formats checked, `$ref`s
resolved inside the document only. Three things make that safe on an untrusted
document:

- **Offline.** The validators get an explicit `referencing.Registry` whose
  `retrieve` refuses every URI: a `$ref`, `$dynamicRef`, `$schema` or `$id` that
  points outside the document is reported, never fetched or opened.
- **Linear-time patterns.** `pattern`, `patternProperties` (also inside
  `additionalProperties` and `unevaluatedProperties`) and `format: regex` run on
  `patterns` (ECMA-262 semantics, Rust's linear-time engine), not on Python's
  backtracking `re`; `uniqueItems` is a hash set, not a pairwise comparison.
  Patterns the engine cannot run are skipped here (`lint` warns about them).
- **Bounded work.** Every keyword evaluation spends from a `Budget` of steps
  (regex matches by their size, `enum` by its length, and so on): an example
  whose schema branches exponentially (`anyOf` over `anyOf`…) stops at the
  budget instead of running for hours. The budget is deterministic, never a
  clock: the same spec always gets the same diagnostics.

A subschema's `$schema` does not switch the validator to another dialect here
(that would bring back Python's `re`): the document's dialect applies throughout.
"""

from __future__ import annotations

import contextvars
import itertools
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs
import referencing
import referencing.exceptions
from jsonschema import FormatChecker, ValidationError, validators
from jsonschema._utils import extras_msg

from . import formats, patterns
from .limits import MAX_REPORTED
from .numeric_bounds import is_decimal_multiple

CHECK_STEPS = 1_500_000
"""Steps one lint run may spend checking examples and defaults: GitHub's 13 MB spec,
the most example-heavy we know, needs about 470,000; a step costs 4-10 µs."""

MAX_ERRORS_PER_VALUE = 20
_MESSAGE_CHARS = 300
_MATCH_SCALE = 200  # characters times pattern weight per step
_COMPILE_SCALE = 10  # pattern weight compiled per step (compiling costs about 0.7 µs a unit)
_FORMAT_SCALE = 100  # characters per step


class BudgetExhausted(Exception):
    """The checks have spent their budget."""


class Budget:
    """A deterministic amount of work: steps are spent, never measured in time."""

    def __init__(self, steps: int) -> None:
        self.left = steps

    def spend(self, steps: int) -> None:
        """Take `steps`; BudgetExhausted when none are left."""
        self.left -= steps
        if self.left < 0:
            raise BudgetExhausted


_BUDGET: contextvars.ContextVar[Budget] = contextvars.ContextVar("schema_check_budget")


def _spend(steps: int) -> None:
    budget = _BUDGET.get(None)
    if budget is not None:
        budget.spend(steps)


def refuse_retrieval(uri: str) -> referencing.Resource[Any]:
    """A `retrieve` for referencing: nothing outside the document is ever fetched or read."""
    raise referencing.exceptions.NoSuchResource(uri)


OFFLINE_REGISTRY: referencing.Registry[Any] = referencing.Registry(retrieve=refuse_retrieval)  # type: ignore[call-arg]
"""The registry every jsonschema validator of the generator gets: documents only, no retrieval."""


def _search(pattern: str, text: str) -> bool | None:
    """`patterns` search with its cost spent; None when the pattern cannot run here."""
    if not patterns.is_compiled(pattern):
        _spend(1 + patterns.weight(pattern) // _COMPILE_SCALE)
    matcher = patterns.matcher(pattern)
    if matcher is None:
        return None
    _spend(1 + matcher.weight * (len(text) + 1) // _MATCH_SCALE)
    return matcher.search(text)


def _matching(pattern_properties: Mapping[str, Any], key: str) -> bool:
    return any(_search(pattern, key) for pattern in pattern_properties)


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (dict, list)) else 0


def _nodes(value: Any) -> int:
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


# --- keywords that would otherwise use Python's `re` or quadratic work -------------------


def _pattern(validator: Any, pattern: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if not (isinstance(pattern, str) and validator.is_type(instance, "string")):
        return
    if _search(pattern, instance) is False:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, pattern_properties: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not (validator.is_type(instance, "object") and isinstance(pattern_properties, dict)):
        return
    for pattern, subschema in pattern_properties.items():
        for key, value in instance.items():
            if _search(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _without_pattern_matches(instance: Any, schema: Any) -> tuple[Any, Any]:
    """`instance` without the keys `schema`'s patternProperties match, and `schema` without them."""
    pattern_properties = schema.get("patternProperties") if isinstance(schema, dict) else None
    if not (isinstance(instance, dict) and isinstance(pattern_properties, dict)):
        return instance, schema
    kept = {k: v for k, v in instance.items() if not _matching(pattern_properties, k)}
    return kept, {k: v for k, v in schema.items() if k != "patternProperties"}


def _additional_properties(original: Callable[..., Any]) -> Callable[..., Any]:
    def check(validator: Any, value: Any, instance: Any, schema: Any) -> Any:
        instance, schema = _without_pattern_matches(instance, schema)
        return original(validator, value, instance, schema)

    return check


def _evaluated_keys(validator: Any, instance: dict[str, Any], schema: Any) -> set[str]:
    """The keys of `instance` that `schema` evaluates (jsonschema's rule, with `patterns`)."""
    if not isinstance(schema, dict):
        return set()
    _spend(1 + len(instance))
    keys: set[str] = set()
    for keyword in ("$ref", "$dynamicRef"):
        reference = schema.get(keyword)
        if isinstance(reference, str):
            resolved = validator._resolver.lookup(reference)
            inner = validator.evolve(schema=resolved.contents, _resolver=resolved.resolver)
            keys |= _evaluated_keys(inner, instance, resolved.contents)
    properties = schema.get("properties")
    if isinstance(properties, dict):
        keys |= properties.keys() & instance.keys()
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        if (subschema := schema.get(keyword)) is not None:
            keys |= {
                k for k, v in instance.items() if validator.evolve(schema=subschema).is_valid(v)
            }
    pattern_properties = schema.get("patternProperties")
    if isinstance(pattern_properties, dict):
        keys |= {k for k in instance if _matching(pattern_properties, k)}
    dependent = schema.get("dependentSchemas")
    if isinstance(dependent, dict):
        for name, subschema in dependent.items():
            if name in instance:
                keys |= _evaluated_keys(validator, instance, subschema)
    for keyword in ("allOf", "oneOf", "anyOf"):
        for subschema in schema.get(keyword) or []:
            if validator.evolve(schema=subschema).is_valid(instance):
                keys |= _evaluated_keys(validator, instance, subschema)
    if "if" in schema:
        if validator.evolve(schema=schema["if"]).is_valid(instance):
            keys |= _evaluated_keys(validator, instance, schema["if"])
            keys |= _evaluated_keys(validator, instance, schema.get("then"))
        else:
            keys |= _evaluated_keys(validator, instance, schema.get("else"))
    return keys


def _unevaluated_properties(
    validator: Any, unevaluated: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    evaluated = _evaluated_keys(validator, instance, schema)
    bad = [
        key
        for key in instance
        if key not in evaluated
        and any(True for _ in validator.descend(instance[key], unevaluated, path=key))
    ]
    if bad and unevaluated is False:
        yield ValidationError(
            "Unevaluated properties are not allowed ({} {} unexpected)".format(
                *extras_msg(sorted(bad, key=str))
            )
        )
    elif bad:
        yield ValidationError(
            "Unevaluated properties are not valid under the given schema"
            " ({} {} unevaluated and invalid)".format(*extras_msg(bad))
        )


def _canonical(value: Any) -> Any:
    """A hashable form under which two JSON values are equal exactly when jsonschema says so."""
    if isinstance(value, bool) or value is None:
        return ("literal", value)
    if isinstance(value, (int, float)):
        return ("number", value)
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, list):
        return ("array", tuple(_canonical(item) for item in value))
    if isinstance(value, dict):
        return ("object", frozenset((k, _canonical(v)) for k, v in value.items()))
    return ("other", id(value))


def _unique_items(
    validator: Any, unique: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not (unique and validator.is_type(instance, "array")):
        return
    _spend(_nodes(instance))
    if len({_canonical(item) for item in instance}) != len(instance):
        yield ValidationError(f"{instance!r} has non-unique elements")


def _any_of(original: Callable[..., Any]) -> Callable[..., Any]:
    """`anyOf` that stops at the first valid branch and keeps no errors of the others.

    jsonschema keeps every failing branch's errors as context; over nested unions
    that is as much memory as work. Only the message is reported, so none is kept.
    """

    def check(validator: Any, branches: Any, instance: Any, schema: Any) -> Any:
        if "discriminator" in schema or not isinstance(branches, list):
            return original(validator, branches, instance, schema)
        return _count_valid(validator, branches, instance, 1, "")

    return check


def _one_of(original: Callable[..., Any]) -> Callable[..., Any]:
    """`oneOf` that counts valid branches (up to two) without keeping errors."""

    def check(validator: Any, branches: Any, instance: Any, schema: Any) -> Any:
        if "discriminator" in schema or not isinstance(branches, list):
            return original(validator, branches, instance, schema)
        return _count_valid(validator, branches, instance, 2, "more than one of")

    return check


def _count_valid(
    validator: Any, branches: list[Any], instance: Any, enough: int, too_many: str
) -> Iterator[ValidationError]:
    valid = 0
    for branch in branches:
        if validator.evolve(schema=branch).is_valid(instance):
            valid += 1
            if valid == enough:
                break
    if valid == 0:
        yield ValidationError(f"{instance!r} is not valid under any of the given schemas")
    elif too_many and valid > 1:
        yield ValidationError(f"{instance!r} is valid under {too_many} the given schemas")


def _enum(original: Callable[..., Any]) -> Callable[..., Any]:
    def check(validator: Any, enums: Any, instance: Any, schema: Any) -> Any:
        _spend(_size(enums) * _nodes(instance))
        return original(validator, enums, instance, schema)

    return check


def _counted(original: Callable[..., Any], base_cost: int = 1) -> Callable[..., Any]:
    def check(validator: Any, value: Any, instance: Any, schema: Any) -> Any:
        _spend(base_cost + _size(value) + _size(instance))
        return original(validator, value, instance, schema)

    return check


_REFERENCE_COST = 4  # resolving a reference costs about four plain keywords


def _multiple_of(
    validator: Any, step: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    """`multipleOf` as the models check it, on the decimals written (`is_decimal_multiple`):
    jsonschema divides floats, and 19.99 was "not a multiple of 0.01" (E401/E402 on a price
    the client sends)."""
    if not (validator.is_type(instance, "number") and validator.is_type(step, "number")):
        return
    if not is_decimal_multiple(instance, step):
        yield ValidationError(f"{instance!r} is not a multiple of {step}")


_REPLACED: dict[str, Callable[[Callable[..., Any]], Callable[..., Any]]] = {
    "multipleOf": lambda _: _multiple_of,
    "pattern": lambda _: _pattern,
    "patternProperties": lambda _: _pattern_properties,
    "additionalProperties": _additional_properties,
    "unevaluatedProperties": lambda _: _unevaluated_properties,
    "uniqueItems": lambda _: _unique_items,
    "enum": _enum,
    "const": _enum,
    "anyOf": _any_of,
    "oneOf": _one_of,
}


def _format_checker(base: FormatChecker) -> FormatChecker:
    """`base`'s formats at a cost per character, with `regex` meaning ECMA-262."""
    checker = FormatChecker(formats=())
    for name, (function, raises) in base.checkers.items():
        checker.checks(name, raises)(_charged(function))
    checker.checks("regex")(lambda value: not isinstance(value, str) or patterns.is_valid(value))
    # as the clients send them (`formats`): the base's `time` was jsonschema's draft-3 one
    for name, check in (
        ("time", formats.is_full_time),
        ("date-time", formats.is_date_time),
        ("email", formats.is_mailbox),
    ):
        checker.checks(name)(_charged(_strings_only(check)))
    return checker


def _strings_only(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """A format's check that passes what is no string (a format constrains strings only)."""
    return lambda value: not isinstance(value, str) or check(value)


def _charged(function: Callable[[Any], bool]) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        _spend(1 + (len(value) // _FORMAT_SCALE if isinstance(value, str) else 0))
        return function(value)

    return check


def _same_dialect_evolve(self: Any, **changes: Any) -> Any:
    """`evolve` that keeps this validator class whatever a subschema's `$schema` says."""
    cls = type(self)
    changes.setdefault("schema", self.schema)
    for field in attrs.fields(cls):
        if field.init and field.alias not in changes:
            changes[field.alias] = getattr(self, field.name)
    return cls(**changes)


def _unchanged(function: Callable[..., Any]) -> Callable[..., Any]:
    return function


def _safe_validator(base: Any) -> Any:
    keywords = {
        name: _REPLACED.get(name, _unchanged)(function)
        for name, function in base.VALIDATORS.items()
    }
    keywords = {
        name: function
        if name in ("pattern", "uniqueItems")
        else _counted(function, _REFERENCE_COST if name in ("$ref", "$dynamicRef") else 1)
        for name, function in keywords.items()
    }
    cls: Any = validators.extend(base, keywords)  # type: ignore[no-untyped-call]
    cls.evolve = _same_dialect_evolve
    return cls


class SchemaChecker:
    """Checks values against schemas taken from one OpenAPI document, within one budget."""

    def __init__(self, document: dict[str, Any], steps: int | None = None) -> None:
        from openapi_schema_validator import (
            OAS30Validator,
            OAS31Validator,
            OAS32Validator,
            oas30_format_checker,
            oas31_format_checker,
            oas32_format_checker,
        )

        self.budget = Budget(CHECK_STEPS if steps is None else steps)
        version = str(document.get("openapi", ""))
        if version.startswith("3.0"):
            cls, formats = _safe_validator(OAS30Validator), oas30_format_checker
        elif version.startswith("3.2"):
            cls, formats = _safe_validator(OAS32Validator), oas32_format_checker
        else:
            cls, formats = _safe_validator(OAS31Validator), oas31_format_checker
        self._root = cls(
            document, registry=OFFLINE_REGISTRY, format_checker=_format_checker(formats)
        )

    @property
    def exhausted(self) -> bool:
        """True once the budget is spent: later values are not checked."""
        return self.budget.left < 0

    def errors(self, schema: Any, value: Any) -> list[str]:
        """Messages for the ways `value` fails `schema` (empty when it is valid or unchecked).

        Raises BudgetExhausted when the budget runs out during this check.
        """
        token = _BUDGET.set(self.budget)
        try:
            validator = self._root.evolve(schema=schema)
            found = list(itertools.islice(validator.iter_errors(value), MAX_ERRORS_PER_VALUE))
        except BudgetExhausted:
            raise
        except RecursionError:
            return ["schema cannot be checked: it nests too deeply"]
        except Exception as exc:  # a broken schema must not crash the linter
            return [_shorten(f"schema cannot be checked ({type(exc).__name__}: {exc})")]
        finally:
            _BUDGET.reset(token)
        found.sort(key=lambda e: [str(p) for p in e.absolute_path])
        messages = []
        for error in found[:MAX_REPORTED]:
            where = "".join(
                f"[{p!r}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path
            )
            messages.append(_shorten(f"{where.lstrip('.') or '(root)'}: {error.message}"))
        return messages


def _shorten(message: str) -> str:
    """A long message cut in the middle (a huge value's repr), keeping how it ends."""
    if len(message) <= _MESSAGE_CHARS:
        return message
    half = _MESSAGE_CHARS // 2
    return message[:half] + " … " + message[-half:]
