"""JSON Schema's string formats as the generated clients send them, for the generator's own
checks of a spec's examples and defaults (lint's E401/E402, `example_fit`): one definition,
so that lint never refuses a value the client sends, nor passes one it refuses.

- `time`: RFC 3339's full-time, with its offset (`12:00:00Z`), as `_scalars.Time` sends it.
  (openapi-schema-validator's checker used jsonschema's draft-3 `time`, `%H:%M:%S`: it
  refused every valid one and passed `12:00:00`, which no client sends.)
- `date`, `date-time`: RFC 3339, to the end of the text (a `$` let `…Z\\n` through).
- `email`: RFC 5321's `Mailbox` (`runtime._mailbox`, which the clients use).

Standard library only: the lint child imports it.
"""

from __future__ import annotations

import datetime
import re

from .runtime._mailbox import is_mailbox

__all__ = ["is_date_time", "is_full_date", "is_full_time", "is_mailbox"]

_FULL_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", re.ASCII)
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DATE_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[Tt ](.*)", re.ASCII | re.DOTALL)


def is_full_time(value: object) -> bool:
    """Is `value` an RFC 3339 full-time with its offset (a leap second `:60` included)?"""
    if not isinstance(value, str):
        return False
    found = _FULL_TIME.fullmatch(value)
    if found is None:
        return False
    hour, minute, second, _, offset = found.groups()
    if int(hour) > 23 or int(minute) > 59 or int(second) > 60:
        return False
    if offset not in "Zz":
        hours, minutes = offset[1:].split(":")
        return int(hours) <= 23 and int(minutes) <= 59
    return True


def is_full_date(value: object) -> bool:
    """Is `value` an RFC 3339 full-date, a real one (`2024-02-30` is not)? (Python's
    `date.fromisoformat` also reads ISO 8601's `20240131`, which the clients do not send.)"""
    if not isinstance(value, str) or _FULL_DATE.fullmatch(value) is None:
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_date_time(value: object) -> bool:
    """Is `value` an RFC 3339 date-time: a real date, a full-time with its offset?"""
    if not isinstance(value, str):
        return False
    found = _DATE_TIME.fullmatch(value)
    return found is not None and is_full_date(found.group(1)) and is_full_time(found.group(2))
