"""Stage 3a (types), scalars: string, integer and number schemas → constrained type nodes.

Formats map to library types (`date`, `uuid`…), secrets to `SecretString`, ECMA-262
patterns to what the models' Rust regex engine runs (`patterns`, within a compile budget:
W405 past it), numeric bounds to `ge`/`gt`/`le`/`lt`/`multiple_of` (integers' as integers).
`schema_types.TypeTranslator` calls it for every scalar it meets.
"""

from __future__ import annotations

import math
import re
from typing import Any

from . import typeir as t
from .ir_media import is_binary_schema
from .naming import Style, styled
from .numeric_bounds import usable_bound
from .patterns import OVER_BUDGET, CompileBudget
from .schema_plans import PlanRegistry
from .typeir import S, TypeNode

STRING_FORMATS: dict[str, TypeNode] = {
    "date": t.Named(S.DATE),
    "date-time": t.Named(S.DATE_TIME),
    "time": t.Named(S.TIME),
    "uuid": t.Named(S.UUID),
    "binary": t.Named(S.FILE_INPUT),  # a file sent as a multipart part (runtime _files)
    # the spellings of `date-time` specs use (UX audit 13: Netlify's 38 `dateTime` fields
    # were plain strings; 2,099 uses in 28 directory specs)
    "dateTime": t.Named(S.DATE_TIME),
    "datetime": t.Named(S.DATE_TIME),
    "date_time": t.Named(S.DATE_TIME),
}


# numbers and booleans are strict (no "101" -> 101, no True -> 1) wherever a value is built or
# sent; response parsing passes `strict=False`, which overrides it (lenient in what we accept)
STRICT = t.Call(S.STRICT)
# an `int` given for a `number` is kept and sent as one (`_scalars.as_given`)
AS_GIVEN = t.Call(S.AS_GIVEN)


def is_secret(schema: dict[str, Any]) -> bool:
    """True for strings marked `x-sensitive: true` or `format: password`."""
    return schema.get("x-sensitive") is True or schema.get("format") == "password"


# property names (snake case) that hold a card or account number, a security code or a
# credential whatever the spec says (Adyen's `cvc`, Stripe's `card[number]`; Qualpay's
# `card_swipe` and `dda_number`, Stripe's `id_number`, a card's `pan` and track data were
# shown in reprs and `to_dict()`: billing audit)
_SENSITIVE_NAMES = frozenset(
    """access_token account_number api_key api_token apikey auth_token bank_account_number
    bearer_token card_number card_swipe cardnumber client_secret ccv csc cvc cvc2 cvv cvv2
    dda_number encrypted_card_number encrypted_security_code iban id_number id_token pan
    passphrase passwd password pin private_key refresh_token secret secret_key security_code
    session_token social_security_number ssn track1 track1_data track2 track2_data
    track_data""".split()
)


# a name whose last words are one of them (`x-api-key`, `webhook_secret`, `new_password`)
_SENSITIVE_SUFFIX = re.compile(
    "_(?:" + "|".join(sorted(_SENSITIVE_NAMES, key=len, reverse=True)) + ")$"
)


def is_sensitive_name(prop: str, model: str) -> bool:
    """True for a property the name of which says it is sensitive (`cvc`, `api_key`, one
    ending so: `x-api-key`), or a `number` of a card (in a model named like one:
    `CardDetails`, `PaymentMethodCard`). The runtime's `_secret_names.sensitive_key` reads a name
    the same way, for fields the spec does not declare (a test holds the two to one verdict)."""
    name = styled(prop, Style.SNAKE)
    if name in _SENSITIVE_NAMES or _SENSITIVE_SUFFIX.search(name):
        return True
    return name == "number" and "card" in styled(model, Style.SNAKE).split("_")


def is_int(value: Any) -> bool:
    """An integer, not a boolean."""
    return isinstance(value, int) and not isinstance(value, bool)


class ScalarTypes:
    """The types of scalar schemas, and the compile budget their patterns share."""

    def __init__(self, registry: PlanRegistry) -> None:
        self.registry = registry  # where W405 is noted
        self.compile_budget = CompileBudget()
        self.over_budget = 0  # patterns left out of models for the compile budget (W405)

    def number(self, schema: dict[str, Any], integer: bool) -> TypeNode:
        """An integer or number schema's strict type, with its bounds (an integer of
        `format: int32`/`int64` is an `Int32`/`Int64`, strict and within the format's range,
        with the schema's bounds that are narrower)."""
        constraints = self._numeric_constraints(schema, integer)
        if not integer:
            # a number's `multipleOf` is checked in decimal (pydantic's divides floats)
            steps = [value for name, value in constraints if name == "multiple_of"]
            bounds = [(name, value) for name, value in constraints if name != "multiple_of"]
            node = t.annotated(t.constrained(t.FLOAT, bounds), STRICT)
            node = t.annotated(node, *(t.Call(S.MULTIPLE_OF, (step,)) for step in steps))
            return t.annotated(node, AS_GIVEN)  # (last: around the checks above)
        constraints = _integer_bounds(constraints)
        fmt = schema.get("format")
        sized = SIZED_FORMATS.get(fmt) if isinstance(fmt, str) else None
        if sized is not None:
            return t.constrained(sized, _narrower(constraints, t.SIZED_INTS[sized.symbol]))
        return t.annotated(t.constrained(t.INT, constraints), STRICT)

    def string(self, schema: dict[str, Any], pointer: str) -> TypeNode:
        """A string schema's type: its format's, secret, email or `str`, with its constraints."""
        pattern = self._pattern(schema, pointer)
        if is_secret(schema):
            node: TypeNode = t.constrained(t.Named(S.SECRET), length_constraints(schema))
            if pattern is not None:
                pieces = pattern.args if isinstance(pattern, t.Call) else ((True, pattern),)
                node = t.annotated(node, t.Call(S.SECRET_PATTERN, pieces))
            return node
        constraints = length_constraints(schema)
        if isinstance(pattern, str):
            constraints.append(("pattern", pattern))
        fmt = schema.get("format")
        if is_binary_schema(schema):
            return t.Named(S.FILE_INPUT)
        if fmt == "email":
            node = t.constrained(t.Named(S.EMAIL), constraints)
        elif isinstance(fmt, str) and fmt in STRING_FORMATS:
            return STRING_FORMATS[fmt]
        else:
            node = t.constrained(t.STR, constraints)
        return t.annotated(node, pattern) if isinstance(pattern, t.Call) else node

    def _pattern(self, schema: dict[str, Any], pointer: str) -> t.Call | str | None:
        """What enforces the schema's ECMA-262 pattern(s) in a model, in the syntax of the
        models' (Rust, linear-time) regex engine.

        One plain pattern is a `Field(pattern=…)` string. Several (an `allOf` of patterned
        strings) or leading lookaheads (`^(?!0+$)…`) become a `pattern_check(…)` validator
        running every piece. A pattern the engine cannot run (other lookarounds,
        backreferences: lint's W403) is left out of the model.
        """
        found = schema.get("patterns")
        ecma = [p for p in found if isinstance(p, str)] if isinstance(found, list) else []
        if not ecma and isinstance(schema.get("pattern"), str):
            ecma = [schema["pattern"]]
        pieces: list[tuple[bool, str]] = []
        for p in ecma:
            found_pieces = self.compile_budget.model_pieces(p)
            if found_pieces == OVER_BUDGET:
                self._note_over_budget(pointer)
            elif isinstance(found_pieces, list):
                pieces.extend(found_pieces)
        if not pieces:
            return None
        if len(pieces) == 1 and pieces[0][0]:
            return pieces[0][1]
        return t.Call(S.PATTERN_CHECK, tuple(pieces))

    def _note_over_budget(self, pointer: str) -> None:
        """W405 once (at the first pattern left out), however many follow."""
        self.over_budget += 1
        if self.over_budget == 1:
            message = (
                "pattern left out of the model: proving the spec's patterns compile reached"
                " its work limit (heavy patterns after this one are left out too; requests"
                " are not checked against them)"
            )
            self.registry.notes.append((pointer, "W405", message))

    def _numeric_constraints(self, schema: dict[str, Any], integer: bool) -> list[tuple[str, Any]]:
        """The bounds a model can check: NaN, infinite bounds and a `number`'s past a
        float's range are dropped (lint's W407 names those that refused values)."""
        constraints: list[tuple[str, Any]] = []
        for key, name, exclusive_key, exclusive_name in (
            ("minimum", "ge", "exclusiveMinimum", "gt"),
            ("maximum", "le", "exclusiveMaximum", "lt"),
        ):
            value = schema.get(key)
            exclusive = schema.get(exclusive_key)
            if usable_bound(value, integer):
                # `exclusiveMinimum: true` (OpenAPI 3.0) makes `minimum` exclusive
                constraints.append((exclusive_name if exclusive is True else name, value))
            if usable_bound(exclusive, integer):
                constraints.append((exclusive_name, exclusive))
        multiple = schema.get("multipleOf")
        if isinstance(multiple, (int, float)) and usable_bound(multiple, integer) and multiple > 0:
            constraints.append(("multiple_of", multiple))
        return constraints


# integer formats with a range (OpenAPI's format registry); the runtime's aliases are strict
SIZED_FORMATS: dict[str, t.Named] = {"int32": t.INT32, "int64": t.INT64}


def _narrower(constraints: list[tuple[str, Any]], limits: tuple[int, int]) -> list[tuple[str, Any]]:
    """The integer bounds that say more than the format's range `limits` (`minimum: 0` of an
    int32 stays; a `minimum` below -2**31 goes: the alias's bound applies, and a second
    `Field(ge=…)` would replace it, not add to it)."""
    low, high = limits
    kept: list[tuple[str, Any]] = []
    for name, value in constraints:
        if (name == "ge" and value <= low) or (name == "gt" and value < low):
            continue
        if (name == "le" and value >= high) or (name == "lt" and value > high):
            continue
        kept.append((name, value))
    return kept


def _integer_bounds(constraints: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Bounds of an integer as integers (pydantic refuses `ge=-19.5` on an `int`): a
    fractional lower bound rounds up, an upper one down (`gt=-19.5` is `ge=-19`); a
    fractional `multipleOf` no integer check can express is left out. (Bounds are finite:
    `_numeric_constraints` dropped the others.)"""
    result: list[tuple[str, Any]] = []
    for name, value in constraints:
        if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
            result.append((name, int(value)))
        elif name == "multiple_of":
            continue
        elif name in ("ge", "gt"):
            result.append(("ge", math.ceil(value)))
        else:
            result.append(("le", math.floor(value)))
    # a rounded bound beside one of the same name keeps the tighter (`minimum: 0` with a 3.1
    # `exclusiveMinimum: 1.5` wrote `Field(ge=0, ge=2)`, a SyntaxError: hostile sweep)
    tightest: dict[str, Any] = {}
    for name, value in result:
        known = tightest.get(name)
        if known is None or (value > known if name in ("ge", "gt") else value < known):
            tightest[name] = value
    return [(name, tightest[name]) for name in dict.fromkeys(n for n, _ in result)]


def length_constraints(schema: dict[str, Any]) -> list[tuple[str, Any]]:
    """`minLength`/`maxLength` as `min_length`/`max_length` (non-negative integers only)."""
    return _sizes(schema, "minLength", "maxLength")


def array_constraints(schema: dict[str, Any]) -> list[tuple[str, Any]]:
    """`minItems`/`maxItems` as `min_length`/`max_length` (non-negative integers only)."""
    return _sizes(schema, "minItems", "maxItems")


# pydantic-core holds a length bound in a machine word: a larger one raised OverflowError
# when the model was built (no string, list or mapping is that long: the bound says nothing)
_MAX_SIZE = 2**63 - 1


def _sizes(schema: dict[str, Any], low: str, high: str) -> list[tuple[str, Any]]:
    constraints: list[tuple[str, Any]] = []
    for key, name in ((low, "min_length"), (high, "max_length")):
        value = schema.get(key)
        if isinstance(value, int) and is_int(value) and 0 <= value <= _MAX_SIZE:
            constraints.append((name, value))
    return constraints
