"""How long a server asks to be left alone before a request is sent again: `Retry-After`
(seconds or an HTTP date), `retry-after-ms`, and, on a 429 that says neither, the reset of
the rate-limit window it used up: `x-rate-limit-reset` (Twitter's), `X-RateLimit-Reset`
(GitHub's), both epoch seconds, and the IETF draft's `RateLimit-Reset` (seconds from now).

A reset is read as a time when it is past 2001 in epoch seconds (or milliseconds), else as a
number of seconds: no delay is a billion seconds. A reset in the past, one further off than
`MAX_WAIT`, or a value that is no finite number, is no wait at all (the client backs off as it
would without it): a hostile header never makes a client wait long. A reset whose window still
has requests left (`x-rate-limit-remaining: 5`: GitHub's secondary limits) is not the wait.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import email.utils
import math
import time
from collections.abc import Mapping
from datetime import timezone

__all__ = ["MAX_WAIT", "parse_retry_after", "server_wait"]

MAX_WAIT = 86_400.0
"""Seconds: a wait the server asks for beyond a day is no wait (garbled or hostile)."""
_EPOCH = 1e9  # a reset at least this large is a time (epoch seconds: September 2001)
_EPOCH_MS = 1e12  # ... and at least this large, epoch milliseconds
# (reset header, the header saying how many requests the window has left)
_RESETS = (
    ("x-rate-limit-reset", "x-rate-limit-remaining"),
    ("x-ratelimit-reset", "x-ratelimit-remaining"),
    ("ratelimit-reset", "ratelimit-remaining"),
)


def _now() -> float:
    """The wall clock, in epoch seconds (a function, so that tests can set it)."""
    return time.time()


def _number(value: str | None) -> float | None:
    """A header's value as a finite number, else None."""
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait, from `retry-after-ms`, or `Retry-After` as seconds or an HTTP date
    (0 for a date in the past); None when neither is a number or a date. A `retry-after-ms`
    that is no wait (negative, past `MAX_WAIT`) gives way to `Retry-After` (a `-1` hid a
    valid `Retry-After: 30`: hostile audit 16)."""
    milliseconds = _number(headers.get("retry-after-ms"))
    if milliseconds is not None and 0 <= milliseconds / 1000 <= MAX_WAIT:
        return milliseconds / 1000
    value = headers.get("retry-after")
    if not value:
        return None
    seconds = _number(value)
    if seconds is not None:
        return seconds
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):  # (a 20-digit year: hostile audit 12)
        return None
    if when.tzinfo is None:  # (a naive date would be local time: HTTP dates are GMT)
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - _now())


def _reset(headers: Mapping[str, str]) -> float | None:
    """Seconds until the used-up rate-limit window resets, from the first reset header
    present whose window has no request left; None when there is none, or it is past."""
    for reset_name, remaining_name in _RESETS:
        reset = _number(headers.get(reset_name))
        if reset is None:
            continue
        remaining = _number(headers.get(remaining_name))
        if remaining is not None and remaining > 0:
            continue  # requests left: the 429 is about something else
        if reset >= _EPOCH_MS:
            reset = reset / 1000 - _now()
        elif reset >= _EPOCH:
            reset -= _now()
        return reset if reset >= 0 else None
    return None


def server_wait(status_code: int, headers: Mapping[str, str]) -> float | None:
    """Seconds the server asks to wait before the request is sent again (`Retry-After`,
    else on a 429 its rate-limit window's reset), from 0 to `MAX_WAIT`; None when it says
    nothing usable."""
    wait = parse_retry_after(headers)
    if wait is None and status_code == 429:
        wait = _reset(headers)
    if wait is None or not 0 <= wait <= MAX_WAIT:
        return None
    return wait
