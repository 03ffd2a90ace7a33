"""`generator.formats`: the string formats lint and the examples check, as the clients send
them (vectors from JSON-Schema-Test-Suite's draft2020-12 `format/time.json` and
`format/date-time.json`, where the clients agree; they send no time without an offset)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from generator.formats import is_date_time, is_full_date, is_full_time
from generator.runtime._scalars import DateTime, Time

TIMES = {
    "08:30:06Z": True,
    "08:30:06.283185Z": True,
    "08:30:06+00:20": True,
    "08:30:06-08:00": True,
    "08:30:06z": True,
    "23:59:60Z": True,  # a leap second
    "008:030:006Z": False,
    "8:3:6Z": False,
    "8:0030:6Z": False,
    "24:00:00Z": False,
    "00:60:00Z": False,
    "00:00:61Z": False,
    "01:02:03+24:00": False,
    "01:02:03+00:60": False,
    "01:02:03Z+00:30": False,
    "08:30:06 PST": False,
    "01:01:01,1111": False,
    "12:00:00": False,  # no offset
    "12:00:00Z\n": False,
    "1\u09e8:00:00Z": False,  # a Bengali digit
    "": False,
}
DATE_TIMES = {
    "1963-06-19T08:30:06.283185Z": True,
    "1963-06-19T08:30:06Z": True,
    "1937-01-01T12:00:27.87+00:20": True,
    "1990-12-31T15:59:50.123-08:00": True,
    "1963-06-19t08:30:06.283185z": True,
    "1963-06-19 08:30:06Z": True,  # RFC 3339 lets a space stand for the T
    "1990-02-31T15:59:59.123-08:00": False,
    "1990-12-31T15:59:59-24:00": False,
    "1963-06-19T08:30:06.28123+01:00Z": False,
    "06/19/1963 08:30:06 PST": False,
    "2013-350T01:01:01": False,
    "1963-6-19T08:30:06.283185Z": False,
    "1963-06-19T08:30:06": False,
    "2020-01-01T00:00:00Z\n": False,
    "1963-06-1\u09eaT00:00:00Z": False,  # a Bengali digit
}


@pytest.mark.parametrize(
    ("value", "valid"),
    [("2024-02-29", True), ("2023-02-29", False), ("20240131", False), ("2024-01-31\n", False)],
)
def test_date(value: str, valid: bool) -> None:
    assert is_full_date(value) is valid


@pytest.mark.parametrize(("value", "valid"), TIMES.items())
def test_time(value: str, valid: bool) -> None:
    assert is_full_time(value) is valid


@pytest.mark.parametrize(("value", "valid"), DATE_TIMES.items())
def test_date_time(value: str, valid: bool) -> None:
    assert is_date_time(value) is valid


@pytest.mark.parametrize(
    ("node", "vectors"), [(Time, TIMES), (DateTime, DATE_TIMES)], ids=["time", "date-time"]
)
def test_what_lint_passes_the_client_sends(node: Any, vectors: dict[str, bool]) -> None:
    """A value lint passes is one the client sends (but a leap second: `datetime` has none),
    so that no example or default lint passes fails when the model is built."""
    adapter: TypeAdapter[object] = TypeAdapter(node)
    for value, valid in vectors.items():
        if not valid or ":60" in value:
            continue
        try:
            adapter.validate_python(value)
        except ValidationError as exc:  # pragma: no cover - the failure's message
            raise AssertionError(f"{value!r}: {exc}") from None
