"""Scalar field types of the models: secrets, e-mail addresses, date-times, sized integers,
patterns, and the type no value is valid against.

- `SecretString`: masked in `repr`, `str`, logs and `model_dump()`; sent as the
  real value only on the wire.
- `EmailStr`: an email address (RFC 5321's `Mailbox`), checked without extra dependencies.
- `DateTime`: an RFC 3339 date-time, with its offset (a response may also give ISO 8601's
  offset without a colon, or seconds since the epoch).
- `Date`: an RFC 3339 full-date; a date-time (its text, or a `datetime` past midnight) is
  no date when sent.
- `Time`: an RFC 3339 full-time, with its offset, when sent.
- `Int32` / `Int64`: integers of the spec's `format: int32` / `int64`, strict, within
  the format's range (a value past it is refused before it is sent).
- `NoValue`: the type of a schema that admits no value (`enum: []`): a class without
  instances that validation refuses every value for.
- `pattern_check` / `secret_pattern`: patterns the spec gives as several pieces.
- `unique_items`: an array's `uniqueItems: true`.
- `multiple_of`: a number's `multipleOf`, checked in decimal, on the text that is sent.
- `as_given`: a `number` given as an `int` is kept and sent as one (read as a `float`).
- `literal_types`: a `Literal` of integers refuses booleans (of booleans, numbers; of both,
  a whole float is its integer).

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import datetime
import decimal
import json
import math
import re
from fractions import Fraction
from typing import Annotated, Any, NoReturn

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    SecretStr,
    SerializationInfo,
    Strict,
    ValidationError,
)
from pydantic_core import SchemaValidator, core_schema, to_json

from ._mailbox import is_mailbox

__all__ = [
    "Date",
    "DateTime",
    "EmailStr",
    "Int32",
    "Int64",
    "NoValue",
    "SecretString",
    "Time",
    "as_given",
    "literal_types",
    "multiple_of",
    "pattern_check",
    "secret_pattern",
    "unique_items",
]


Int32 = Annotated[int, Strict(), Field(ge=-(2**31), le=2**31 - 1)]
"""An integer of `format: int32`: from -2,147,483,648 to 2,147,483,647."""

Int64 = Annotated[int, Strict(), Field(ge=-(2**63), le=2**63 - 1)]
"""An integer of `format: int64`: from -9,223,372,036,854,775,808 to 9,223,372,036,854,775,807."""


def _reveal(value: SecretStr, info: SerializationInfo) -> str:
    context = info.context
    if isinstance(context, dict) and context.get("reveal_secrets") is True:
        return value.get_secret_value()
    return str(value)


SecretString = Annotated[SecretStr, PlainSerializer(_reveal, return_type=str)]
"""A secret string: `**********` in repr/str/dumps, the real value only in request bodies."""


def _check_email(value: str) -> str:
    """An RFC 5321 `Mailbox` (`_mailbox.is_mailbox`): `joe.bloggs@example.com`, `test@io`,
    `"joe bloggs"@example.com`, `a@[IPv6:::1]`."""
    if not is_mailbox(value):
        raise ValueError("value is not a valid email address")
    return value


EmailStr = Annotated[str, AfterValidator(_check_email)]
"""An email address: RFC 5321's `Mailbox`, as JSON Schema's `format: email` defines it."""

_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$"
)


# ISO 8601's offset without a colon (Jira's `2024-01-31T12:00:00.000+0000`), or none
# (Linode's `2018-01-01T00:01:01`)
_BASIC_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?[+-]\d{4}$")
_NO_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?$")


def _check_date_time(value: Any) -> Any:
    """An RFC 3339 date-time, sent or received. A response may also give ISO 8601's offset
    without a colon (Jira's `+0000`) or seconds since the epoch (AWS's), or no offset at all
    (Linode's: a naive `datetime`, as received, its time zone being the API's to say): each
    read warned, and failed under `strict_response_validation` (UX audits 11, 12); a
    request may not."""
    if isinstance(value, str):
        if not _RFC3339.match(value):
            if _receiving() and _BASIC_OFFSET.match(value):
                return value[:-2] + ":" + value[-2:]
            if _receiving() and _NO_OFFSET.match(value):
                return value
            raise ValueError("value is not an RFC 3339 date-time with a time zone offset")
    elif isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise ValueError("date-time needs a time zone")
    elif isinstance(value, (int, float)) and not isinstance(value, bool) and _receiving():
        return value  # seconds since the epoch, in UTC (pydantic reads them so)
    else:
        raise ValueError("date-time must be an RFC 3339 string")
    return value


def _receiving() -> bool:
    """Is a response being parsed (`_types.lenient_parsing`), not a request checked?"""
    from ._types import _LENIENT  # (here: `_types` imports pydantic's model machinery)

    return _LENIENT.get()


DateTime = Annotated[datetime.datetime, BeforeValidator(_check_date_time)]
"""An RFC 3339 `date-time`: date, time and offset (`2024-01-31T12:00:00Z`)."""


_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _check_date(value: Any) -> Any:
    """An RFC 3339 full-date when sent: its text, or a `date` (a `datetime` at midnight is
    the date it is). Pydantic's lax `date` took a date-time's text at midnight, and an
    `anyOf [date, date-time]` sent `2000-01-01T00:00:00-08:00` as `2000-01-01` (parity
    audit F2), and took an integer as days since 1970 (`0` went as `1970-01-01`). A
    response is read as pydantic reads it (lenient in what is accepted)."""
    if isinstance(value, datetime.date) or (isinstance(value, str) and _FULL_DATE.match(value)):
        return value  # (first: most values, without the context lookup)
    if _receiving():
        return value
    if isinstance(value, str):
        raise ValueError("value is not an RFC 3339 full-date (YYYY-MM-DD)")
    raise ValueError("date must be an RFC 3339 full-date string or a date")


Date = Annotated[datetime.date, BeforeValidator(_check_date)]
"""An RFC 3339 `date` (`2024-01-31`): a `datetime.date`."""

_FULL_TIME = re.compile(r"^\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$")


def _check_time(value: Any) -> Any:
    """An RFC 3339 full-time when sent (JSON Schema's `time`): its text with an offset, or a
    `time` with a time zone. Pydantic's lax `time` took an integer as seconds (`3600` went
    as `01:00:00Z`), `01:01:01,1111` and `08:30:06+0130`, and a time without an offset
    (parity audit F7). A response is read as pydantic reads it."""
    if isinstance(value, str) and _FULL_TIME.match(value):
        return value
    if isinstance(value, datetime.time) and value.tzinfo is not None:
        return value
    if _receiving():
        return value
    if isinstance(value, datetime.time):
        raise ValueError("time needs a time zone (RFC 3339 full-time: 12:00:00Z)")
    if isinstance(value, str):
        raise ValueError("value is not an RFC 3339 full-time with its offset (12:00:00Z)")
    raise ValueError("time must be an RFC 3339 full-time string or a time")


Time = Annotated[datetime.time, BeforeValidator(_check_time)]
"""An RFC 3339 `time` with its offset (`12:00:00Z`): a `datetime.time` with a time zone."""


def _no_value(value: Any) -> NoReturn:
    raise ValueError("no value is valid here: the schema admits none (an empty enum)")


class NoValue:
    """The type of a schema no value is valid against (`enum: []`): validation refuses every
    value, and the class has no instances, so a type checker accepts nothing either (pydantic
    builds no schema for `Never`, which Python 3.10 lacks, and a method declared to return
    `Never` could not return the body a lenient response parse keeps)."""

    def __new__(cls) -> NoValue:
        raise TypeError("NoValue has no instances: no value is valid for an empty enum")

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(_no_value)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {"not": {}}


def _pieces_match(pieces: list[tuple[bool, SchemaValidator]], text: str) -> bool:
    """Does `text` match every piece that must match and none that must not?"""
    for expected, validator in pieces:
        try:
            validator.validate_python(text)
            found = True
        except ValidationError:
            found = False
        if found is not expected:
            return False
    return True


def _compiled(pieces: tuple[tuple[bool, str], ...]) -> list[tuple[bool, SchemaValidator]]:
    return [(e, SchemaValidator(core_schema.str_schema(pattern=p))) for e, p in pieces]


def pattern_check(*pieces: tuple[bool, str]) -> AfterValidator:
    """A pattern the spec gives as several (an `allOf`, or leading lookaheads such as
    `^(?!0+$)…`): each (must match?, Rust regex) piece is checked, in linear time."""
    compiled = _compiled(pieces)

    def check(value: str) -> str:
        if not _pieces_match(compiled, value):
            raise ValueError("string does not match the required pattern")
        return value

    return AfterValidator(check)


def secret_pattern(*pieces: tuple[bool, str]) -> AfterValidator:
    """Check a secret against its pattern's (must match?, Rust regex) pieces without ever
    echoing it."""
    compiled = _compiled(pieces)

    def check(value: SecretStr) -> SecretStr:
        if not _pieces_match(compiled, value.get_secret_value()):
            raise ValueError("secret does not match the required pattern")
        return value

    return AfterValidator(check)


def _unique(value: list[Any]) -> list[Any]:
    """The list, unless two items are equal as JSON values (secrets revealed in memory
    only: two masked secrets are not the same value): objects whatever their keys' order,
    numbers by value (`1` is `1.0`; hostile audit 15)."""
    seen: set[str] = set()
    for item in value:
        text = to_json(item, by_alias=True, context=_REVEALED, fallback=repr)
        key = json.dumps(json.loads(text, parse_float=_number), sort_keys=True)
        if key in seen:
            raise ValueError("array items must be unique (the schema's uniqueItems)")
        seen.add(key)
    return value


def _number(text: str) -> Any:
    """A JSON number as its value: an integral one as the integer it equals."""
    value = decimal.Decimal(text)
    integral = value.is_finite() and value.adjusted() < 64  # (not `1e999999999` as an int)
    return int(value) if integral and value == value.to_integral_value() else float(text)


_REVEALED = {"reveal_secrets": True}


def unique_items() -> AfterValidator:
    """An array's `uniqueItems: true`: a repeated item is refused before it is sent (hostile
    audit 14: duplicates went out unchecked, and W408 did not say so)."""
    return AfterValidator(_unique)


def multiple_of(step: float) -> AfterValidator:
    """A `number`'s `multipleOf`, checked on the decimal the value is sent as (JSON numbers
    are decimal text: JSON Schema's "division by this keyword's value results in an
    integer"). Pydantic's own check divides floats (parity audit F1, pydantic#3074):
    8,388,608.54 was no multiple of 0.01, and 0.1 + 0.2 (0.30000000000000004) was one."""
    exact = _decimal(step)

    def check(value: float) -> float:
        if not (math.isfinite(value) and (_decimal(value) / exact).denominator == 1):
            raise ValueError(f"Input should be a multiple of {step!r}")
        return value

    return AfterValidator(check)


def as_given() -> _AsGiven:
    """A `number` field's last metadata: an `int` given (not read) is kept and sent as an
    `int` (parity audit F5: `7` went out as `7.0`, which a server binding an integer
    refuses, and 2**53 + 1 as 9007199254740992.0); checked as the float it is meanwhile.
    Read from a response, a number is a `float`, as its type says."""
    return _AS_GIVEN


class _AsGiven:
    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_wrap_validator_function(
            _keep_int,
            handler(source),
            serialization=core_schema.wrap_serializer_function_ser_schema(_int_as_is),
        )


_AS_GIVEN = _AsGiven()


def _keep_int(value: Any, handler: core_schema.ValidatorFunctionWrapHandler) -> Any:
    checked = handler(value)
    if type(value) is int and not _receiving():
        return value
    if type(value) is decimal.Decimal and not _receiving() and math.isfinite(checked):
        # sent as the float it reads as: refused where that loses digits (billing audit:
        # Decimal("12345678901234567.89") went out as 1.2345678901234568e+16, unsaid)
        if decimal.Decimal(repr(checked)) != value:
            raise ValueError(
                "a Decimal with more digits than a JSON number (a float) keeps: round it to"
                " 15 significant digits, or give a float"
            )
    return checked


def _int_as_is(value: Any, handler: core_schema.SerializerFunctionWrapHandler) -> Any:
    return value if type(value) is int else handler(value)


def _decimal(value: float) -> Fraction:
    """The exact value of the shortest decimal that reads back as `value` (what is sent)."""
    return Fraction(decimal.Decimal(repr(float(value))))


def literal_types(
    *, bools: bool = True, numbers: bool = True, floats: bool = True
) -> BeforeValidator:
    """A `Literal`'s guard: pydantic matches literals by equality, so `Literal[1, 3]` took
    `True` (sent as `1`) and `Literal[False]` took `0` (sent as `false`: hostile audit 14).
    `bools=False` refuses booleans, `numbers=False` integers and floats; `floats=False` (a
    literal of both) reads a whole float as the integer it equals: `Literal[1, True]` took
    `1.0` as `True` (names audit 18)."""

    def check(value: Any) -> Any:
        if isinstance(value, bool):
            if not bools:
                raise ValueError("a boolean is none of the allowed values")
        elif isinstance(value, (int, float)) and not numbers:
            raise ValueError("a number is none of the allowed values")
        elif not floats and isinstance(value, float) and value.is_integer():
            return int(value)
        return value

    return BeforeValidator(check)
