"""Numeric bounds that bound nothing a model can check: NaN, infinities, integers past a
float's range (W407); an `enum` or `const` value that is no finite number, which no request
can carry (left out of the type, W407 too).

YAML has `.nan` and `.inf`, and a number past a float's range (`1e400`) reads as infinite.
NaN compares false with every number: as a bound it refuses every value (pydantic's
`Field(le=float("nan"))` does). An infinite bound bounds nothing on one side and refuses
every value on the other. Translation keeps only `usable_bound`s (an integer's exactly, even
past 64 bits: pydantic compares them exactly; a `number`'s within a float's range) and
drops the others; lint reports those whose dropping lets through what the spec refuses:
a NaN, a lower bound of +inf or an upper one of -inf, an infinite `multipleOf`, and for a
`number` an integer bound past a float's range on the refusing side (W407).
"""

from __future__ import annotations

import decimal
import math
import sys
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

from .diagnostics import Diagnostic
from .load import Spec, join_pointer
from .schema_plans import schema_types

__all__ = [
    "BOUND_KEYS",
    "check_bounds",
    "decimal_fraction",
    "is_decimal_multiple",
    "usable_bound",
]

BOUND_KEYS = ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "multipleOf")
_LOWER = ("minimum", "exclusiveMinimum")


def is_decimal_multiple(value: float, step: float) -> bool:
    """Is `value` a multiple of `step` as the decimals they are written as (the models'
    check, `_scalars.multiple_of`): 19.99 is one of 0.01, 0.30000000000000004 is not."""
    if isinstance(value, int) and isinstance(step, int):
        return step != 0 and value % step == 0  # exact, however long
    try:
        if not (math.isfinite(value) and math.isfinite(step)) or step == 0:
            return False
    except OverflowError:  # an integer past a float's range, beside a float
        return False
    return (decimal_fraction(value) / decimal_fraction(step)).denominator == 1


def decimal_fraction(value: float) -> Fraction:
    """The exact value of the shortest decimal that reads back as `value` (what is sent)."""
    return Fraction(decimal.Decimal(repr(value)))


def usable_bound(value: Any, integer: bool) -> bool:
    """A number a model can bound with: finite, and for a `number` within a float's range
    (an integer bound is kept exactly, however long)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    return integer or abs(value) <= sys.float_info.max


def check_bounds(spec: Spec) -> Iterator[Diagnostic]:
    """W407 at each bound that translation drops and that refused values (see the module)."""
    for pointer, node, is_schema in spec.nodes():
        if not is_schema:
            continue
        for key in BOUND_KEYS:
            value = node.get(key)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            problem = _problem(key, value, _number_only(node))
            if problem is not None:
                message = f"`{key}` {problem}; the bound is dropped (not checked)"
                yield spec.diagnostic("W407", join_pointer(pointer, key), message, warning=True)
        values = node.get("enum")
        values = [node["const"]] if "const" in node else values if isinstance(values, list) else []
        for index, value in enumerate(values):
            if isinstance(value, float) and not math.isfinite(value):
                where = (
                    join_pointer(pointer, "const")
                    if "const" in node
                    else join_pointer(pointer, "enum", index)
                )
                message = f"{value} is not a number JSON can carry; the value is left out"
                yield spec.diagnostic("W407", where, message, warning=True)


def _number_only(node: dict[str, Any]) -> bool:
    names = schema_types(node)
    return "number" in names and "integer" not in names


def _problem(key: str, value: float, number_only: bool) -> str | None:
    """Why dropping the bound lets through what the spec refuses; None when it does not."""
    if isinstance(value, float) and math.isnan(value):
        return "is NaN, which no number compares with (as a bound it refuses every value)"
    if isinstance(value, int) and not number_only:
        return None  # kept exactly
    if isinstance(value, int) and abs(value) <= sys.float_info.max:
        return None
    if isinstance(value, float) and math.isfinite(value):
        return None
    what = "is infinite" if isinstance(value, float) else "is past a float's range"
    if key == "multipleOf":
        return f"{what}: no number but 0 is a multiple of it"
    if value > 0 if key in _LOWER else value < 0:
        return f"{what}: no finite number satisfies it"
    return None
