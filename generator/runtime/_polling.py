"""Long-running operations: `Poller` and `AsyncPoller`, as Azure's SDKs poll them.

An operation the spec marks `x-ms-long-running-operation` has, beside its method, a
`begin_<method>` that sends the request and returns a poller. `result()` polls until the
operation ends and returns its final body (the operation's 200 or 201 response type);
`status()`, `done()` and `wait()` look without taking the result.

How the poller follows the operation, from the first response (the order of Azure's
ARM polling): an `Azure-AsyncOperation` or `Operation-Location` header names a status
monitor, polled until its `status` is terminal; else a `Location` header is polled until
it stops answering 202; else a PUT or PATCH is polled at its own URL until the body's
`properties.provisioningState` is terminal; else the first response was the end. The
final body comes from where `x-ms-long-running-operation-options`' `final-state-via`
says (`azure-async-operation`, `location`, `original-uri`), else as Azure's SDKs take it
(the resource's URL after a PUT or PATCH, the `Location` after a POST). A `Retry-After`
header sets the delay between polls, else `polling_interval` (30 seconds, Azure's
default). `Failed` and `Canceled` raise `LongRunningOperationError`. A polling URL on
another origin than the API's is not followed (credentials stay home).

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any, Generic, TypeVar

import httpx

from . import _lazy
from ._origins import same_origin
from ._redaction import redact_data, scrub
from ._sentinels import SENT_SECRETS
from .errors import APIError, RequestValidationError, _server_message, response_json

__all__ = ["AsyncPoller", "LongRunningOperationError", "Poller", "PollingTimeoutError"]

T = TypeVar("T")

DEFAULT_POLLING_INTERVAL = 30.0
_SUCCEEDED = "succeeded"
_FAILED = frozenset({"failed", "canceled", "cancelled"})
_MONITOR_HEADERS = ("azure-asyncoperation", "operation-location")
_KEPT = ("extra_headers", "extra_query", "timeout")  # the call's arguments each poll sends


class PollingTimeoutError(APIError, TimeoutError):
    """`wait(timeout)` or `result(timeout)`: the operation had not ended when the timeout
    passed; the poller can go on. (It was the built-in `TimeoutError`, which an `except
    APIError` did not catch: hostile sweep.)"""


class LongRunningOperationError(APIError):
    """A long-running operation ended `Failed` or `Canceled`, or its polling cannot go on
    (a status monitor without a status, a polling URL on another origin).

    `status` is the operation's last status; `response` the last `httpx.Response` polled
    (None when none was); `parsed` its body decoded (the status monitor's `error` is there).
    """

    def __init__(
        self,
        message: str,
        *,
        status: str,
        response: httpx.Response | None = None,
        secrets: Iterable[str] = (),
    ) -> None:
        secrets = list(secrets)
        self.status = status
        self.response = response
        parsed = response_json(response) if response is not None else None
        # (redacted as an ordinary error's `parsed` is: review)
        self.parsed = redact_data(parsed, secrets)[0] if secrets else parsed
        detail = _server_message(self.parsed, "") if response is not None else ""
        text = f"{message}: {detail}"[:600] if detail else message
        super().__init__(scrub(text, secrets))


def _provisioning_state(body: Any) -> str | None:
    properties = body.get("properties") if isinstance(body, dict) else None
    state = properties.get("provisioningState") if isinstance(properties, dict) else None
    return state if isinstance(state, str) else None


class _PollerBase(Generic[T]):
    """The state of one long-running operation, shared by the sync and async pollers: what
    to poll next, the status, and where the final body comes from."""

    def __init__(
        self,
        client: Any,
        op: Any,
        final_state_via: str | None,
        polling_interval: float | None,
        initial: Any,
        call: Mapping[str, Any] | None = None,
    ) -> None:
        self._client = client
        self._op = op
        self._via = final_state_via
        self._interval = DEFAULT_POLLING_INTERVAL if polling_interval is None else polling_interval
        # what the call gave that every poll sends too (credentials in `extra_headers`…)
        self._call = {k: v for k, v in (call or {}).items() if k in _KEPT and v is not None}
        self.initial_response = initial
        """The first response's `RawResponse` (status, headers, parsed body)."""
        response: httpx.Response = initial.http_response
        self._last = response
        self._secrets = list(response.request.extensions.get(SENT_SECRETS, ()))
        self._method = response.request.method.upper()
        self._original = str(response.request.url)
        headers = response.headers
        self._location = self._absolute(headers.get("location"))
        monitor = next((headers[h] for h in _MONITOR_HEADERS if headers.get(h)), None)
        self._monitor = self._absolute(monitor)
        self._result: Any = None
        self._finished = False
        status = response.status_code
        if self._monitor is not None:
            self._kind, self._status = "monitor", "InProgress"
        elif self._location is not None:
            self._kind, self._status = "location", "InProgress"
        elif self._method in ("PUT", "PATCH") and status in (200, 201, 202):
            self._kind = "resource"
            self._status = self._resource_status(response)
        else:
            self._kind, self._status = "done", "Succeeded"
        if self._kind in ("done", "resource") and self._status.lower() == _SUCCEEDED:
            self._finish(initial.parsed)
        else:
            self._check_failed(response)

    def _absolute(self, url: str | None) -> str | None:
        """`url` against the request's; None when there is none, or it is no URL (a
        header or `resourceLocation` a server garbled is not followed)."""
        if not url:
            return None
        try:
            return str(httpx.URL(self._original).join(url))
        except (httpx.InvalidURL, ValueError, TypeError):
            return None

    @staticmethod
    def _resource_status(response: httpx.Response) -> str:
        state = _provisioning_state(response_json(response)) if response.content else None
        if state is not None:
            return state
        return "InProgress" if response.status_code in (201, 202) else "Succeeded"

    def status(self) -> str:
        """The operation's last known status (`InProgress`, `Succeeded`, `Failed`,
        `Canceled`, or the service's own word), without polling."""
        return self._status

    def done(self) -> bool:
        """True once the operation has ended (its result is then at hand)."""
        return self._finished

    def _finish(self, result: Any) -> None:
        self._result, self._finished, self._status = result, True, "Succeeded"

    def _check_failed(self, response: httpx.Response) -> None:
        if self._status.lower() in _FAILED:
            raise LongRunningOperationError(
                f"the long-running operation ended {self._status}",
                status=self._status,
                response=response,
                secrets=self._secrets,
            )

    def _next_poll(self) -> tuple[Any, str]:
        """The operation and URL of the next poll (a GET, the body's type for a resource
        or a `Location`, any JSON for a status monitor)."""
        if self._kind == "monitor":
            assert self._monitor is not None
            return self._get(self._monitor, final=False)
        if self._kind == "location":
            assert self._location is not None
            return self._get(self._location, final=True)
        return self._get(self._original, final=True)

    def _get(self, url: str, *, final: bool) -> tuple[Any, str]:
        # (the origin the operation's request went to: a relative base URL that httpx's
        # own `base_url` completed included)
        if not same_origin(url, self._original):
            raise LongRunningOperationError(
                "the polling URL leaves the API's origin; not followed (credentials stay home)",
                status=self._status,
            )
        return (self._op.as_get() if final else self._op.as_monitor()), url

    def _fetched(self, raw: Any) -> Any:
        """A poll's `RawResponse`, its secrets kept for the errors that may follow."""
        self._secrets.extend(raw.http_response.request.extensions.get(SENT_SECRETS, ()))
        return raw

    def _wait_for(self, deadline: float | None) -> float:
        """The seconds to sleep before the next poll; `TimeoutError` (after sleeping what
        is left) when the deadline comes first."""
        delay = self._delay()
        if deadline is not None and time.monotonic() + delay > deadline:
            raise TimeoutError(max(0.0, deadline - time.monotonic()))
        return delay

    @staticmethod
    def initial_operation(op: Any) -> Any:
        """`op` as its first request reads its answer: a 202 or 204 it does not declare has
        no body to read (a PUT declaring 200 and 201 that answers 202 and a monitor)."""
        missing = {s: ("none", None) for s in ("202", "204") if s not in op.responses}
        if not missing:
            return op
        return replace(op, responses={**op.responses, **missing})

    @staticmethod
    def check_interval(polling_interval: float | None) -> None:
        """Refuse a `polling_interval` that is no number of seconds, before sending."""
        if polling_interval is not None and not 0 <= polling_interval < float("inf"):
            raise RequestValidationError("polling_interval must be a number of seconds, 0 or more")

    def _delay(self) -> float:
        after = _lazy._responses.parse_retry_after(self._last.headers)
        if after is None or not 0 < after <= 600:
            return self._interval  # (as azure-core does with `Retry-After: 0`)
        # at least a second (or the interval, if shorter): `Retry-After: 0.0001` polled
        # without a pause, 1,391 requests in 3 s (hostile audit 12)
        return max(after, min(1.0, self._interval))

    def _polled(self, raw: Any) -> str | None:
        """Take a poll's `RawResponse`; the URL the final body is fetched from when the
        operation has just succeeded and its body is elsewhere, else None."""
        response: httpx.Response = raw.http_response
        self._last = response
        location = response.headers.get("location")
        if location:
            self._location = self._absolute(location)
        if self._kind == "location":
            self._status = "InProgress" if response.status_code == 202 else "Succeeded"
        elif self._kind == "resource":
            self._status = self._resource_status(response)
        else:
            body = response_json(response)
            status = body.get("status") if isinstance(body, dict) else None
            if not isinstance(status, str):
                raise LongRunningOperationError(
                    "the status monitor's body has no status",
                    status=self._status,
                    response=response,
                )
            self._status = status
        self._check_failed(response)
        if self._status.lower() != _SUCCEEDED:
            return None
        final = self._final_url(raw.parsed) if self._kind == "monitor" else None
        if final is None:
            self._finish(self._monitor_result(raw) if self._kind == "monitor" else raw.parsed)
        return final

    def _final_url(self, body: Any) -> str | None:
        """Where the final body is, after a status monitor said `Succeeded` (None: the
        monitor's body itself), as azure-core's `OperationResourcePolling` reads it."""
        if self._via == "location" and self._location is not None:
            return self._location
        if self._via in ("azure-async-operation", "operation-location") and self._method == "POST":
            return None
        located = body.get("resourceLocation") if isinstance(body, dict) else None
        if isinstance(located, str) and located:
            return self._absolute(located)
        if self._via == "original-uri" or self._method in ("PUT", "PATCH"):
            return self._original
        if self._method == "POST" and self._location is not None:
            return self._location
        return None

    def _monitor_result(self, raw: Any) -> Any:
        """The result when the status monitor's body is the final one: that body read as
        the operation's success response (None when the operation returns no body)."""
        strict = self._client.strict_response_validation
        return _lazy._responses.handle(
            self._op.as_get(), raw.http_response, False, [], strict=strict
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._op.method} {self._op.path}: {self._status}>"


class Poller(_PollerBase[T]):
    """A long-running operation (`begin_…` methods): `result()` waits for its end."""

    def _get_raw(self, op: Any, url: str) -> Any:
        return self._fetched(self._client._call(op, url=url, raw=True, **self._call))

    def _poll(self) -> None:
        op, url = self._next_poll()
        final = self._polled(self._get_raw(op, url))
        if final is not None:
            self._finish(self._get_raw(*self._get(final, final=True)).parsed)

    def wait(self, timeout: float | None = None) -> None:
        """Poll until the operation ends (`LongRunningOperationError` when it fails), or
        `timeout` seconds have passed (`PollingTimeoutError`; the poller can go on)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._finished:
            try:
                delay = self._wait_for(deadline)
            except TimeoutError as left:
                time.sleep(left.args[0])
                raise PollingTimeoutError("the long-running operation has not ended yet") from None
            time.sleep(delay)
            self._poll()

    def result(self, timeout: float | None = None) -> T:
        """The operation's final body, once it has ended (see `wait`)."""
        self.wait(timeout)
        result: T = self._result
        return result


class AsyncPoller(_PollerBase[T]):
    """A long-running operation (`begin_…` methods of the async client): `await
    poller.result()` waits for its end."""

    async def _get_raw(self, op: Any, url: str) -> Any:
        return self._fetched(await self._client._call(op, url=url, raw=True, **self._call))

    async def _poll(self) -> None:
        op, url = self._next_poll()
        final = self._polled(await self._get_raw(op, url))
        if final is not None:
            self._finish((await self._get_raw(*self._get(final, final=True))).parsed)

    async def wait(self, timeout: float | None = None) -> None:
        """Poll until the operation ends (`LongRunningOperationError` when it fails), or
        `timeout` seconds have passed (`PollingTimeoutError`; the poller can go on)."""
        import anyio  # (asyncio's or trio's sleep, whichever runs the call)

        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._finished:
            try:
                delay = self._wait_for(deadline)
            except TimeoutError as left:
                await anyio.sleep(left.args[0])
                raise PollingTimeoutError("the long-running operation has not ended yet") from None
            await anyio.sleep(delay)
            await self._poll()

    async def result(self, timeout: float | None = None) -> T:
        """The operation's final body, once it has ended (see `wait`)."""
        await self.wait(timeout)
        result: T = self._result
        return result
