"""Long-running operations: Azure's `x-ms-long-running-operation` (1,317 operations of 234
specs in the APIs.guru directory). Such an operation gets, beside its method, a
`begin_<method>` returning the runtime's `Poller` (`_polling.py`), whose `result()` is the
final body: the operation's 200 response, else its 201's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import typeir as t
from .ir_content import Response
from .typeir import S, TypeNode

EXTENSION = "x-ms-long-running-operation"
# `x-ms-long-running-operation-options`' `final-state-via`: where the final body is
FINAL_STATES = frozenset(
    {"azure-async-operation", "location", "original-uri", "operation-location"}
)


@dataclass(frozen=True)
class Polling:
    """How a long-running operation ends: where its final body is, and its type."""

    final_state_via: str | None  # one of FINAL_STATES; None: as Azure's SDKs default
    result_type: TypeNode
    method: str = ""  # the `begin_…` method's name, decided with the resource's others

    def poller_type(self, asynchronous: bool) -> TypeNode:
        """`Poller[Result]` / `AsyncPoller[Result]`."""
        symbol = S.ASYNC_POLLER if asynchronous else S.POLLER
        return t.Subscript(symbol, (self.result_type,))

    def docstring(self, operation: str) -> str:
        """The `begin_…` method's docstring: the operation's, then how it is polled."""
        return (
            operation
            + "\n\nLong-running: sends the request and returns a poller (`await` the method on\n"
            + "the async client). `.result()` polls until the operation ends and returns its\n"
            + "final body; `.status()`, `.done()` and `.wait()` look without taking it.\n"
            + "`polling_interval` is the seconds between polls when the service sends no\n"
            + "`Retry-After` (30 by default)."
        )


def is_long_running(raw: Mapping[str, Any]) -> bool:
    """True when the operation's spec marks it long-running."""
    return raw.get(EXTENSION) is True


def polling_of(raw: Mapping[str, Any], responses: Sequence[Response]) -> Polling | None:
    """The operation's polling, when its spec marks it long-running (a `final-state-via`
    Azure does not define is left out: the default applies)."""
    if not is_long_running(raw):
        return None
    options = raw.get(EXTENSION + "-options")
    via = options.get("final-state-via") if isinstance(options, Mapping) else None
    by_status = {r.status: r.returns for r in responses}
    result = next((by_status[s] for s in ("200", "201") if by_status.get(s) is not None), None)
    known = via if isinstance(via, str) and via in FINAL_STATES else None
    return Polling(known, result or t.NONE)
