"""Responses: bodies read within the client's size limit, parsed as the spec says, and
non-success statuses turned into the package's exceptions.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import email.utils
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, cast

import httpx
from pydantic import ValidationError

from . import errors
from ._types import lenient_parsing
from ._wire import problems, validate_json

if TYPE_CHECKING:
    from ._base_client import OperationInfo

__all__ = [
    "RawResponse",
    "async_to_raw_response_wrapper",
    "check_declared_size",
    "handle",
    "keep_body",
    "parse_retry_after",
    "to_raw_response_wrapper",
    "undecodable",
]

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class RawResponse(Generic[T]):
    """A response with its status and headers, and the body parsed as the spec says."""

    status_code: int
    headers: httpx.Headers
    parsed: T
    http_response: httpx.Response = field(repr=False)

    @property
    def etag(self) -> str | None:
        """The `ETag` response header, if any."""
        value = self.headers.get("etag")
        return None if value is None else str(value)


def to_raw_response_wrapper(method: Callable[P, R]) -> Callable[P, RawResponse[R]]:
    """A method of a resource's raw twin, typed as what it returns: the same arguments,
    a `RawResponse` of what the plain method returns (`with_raw_response.list(...)`)."""
    return cast("Callable[P, RawResponse[R]]", method)


def async_to_raw_response_wrapper(
    method: Callable[P, Awaitable[R]],
) -> Callable[P, Awaitable[RawResponse[R]]]:
    """`to_raw_response_wrapper` for the async client: an awaitable `RawResponse`."""
    return cast("Callable[P, Awaitable[RawResponse[R]]]", method)


def check_declared_size(response: httpx.Response, limit: int | None) -> None:
    """Raise `ResponseTooLargeError` when the response's `Content-Length` is over `limit`
    (the body is then never read)."""
    declared = response.headers.get("content-length", "")
    if limit is not None and declared.isdigit() and int(declared) > limit:
        raise errors.ResponseTooLargeError(response=response, limit=limit, declared=int(declared))


def keep_body(response: httpx.Response, chunks: list[bytes]) -> None:
    """Store a body read chunk by chunk in the response, as `response.read()` would have."""
    response._content = b"".join(chunks)


def undecodable(
    request: httpx.Request, response: httpx.Response | None, exc: httpx.DecodingError
) -> errors.APIError:
    """The error for a body that cannot be decoded (corrupt gzip, say)."""
    if response is None:  # a transport that reads (and decodes) the body itself
        return errors.APIConnectionError(
            f"Response body could not be decoded: {type(exc).__name__}", request=request
        )
    return errors.APIResponseValidationError(
        f"{response.status_code} response body could not be decoded: {type(exc).__name__}",
        response=response,
    )


def _declared(responses: Mapping[str, tuple[str, Any]], status: int) -> tuple[str, Any] | None:
    for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
        if key in responses:
            return responses[key]
    return None


def handle(op: OperationInfo, response: httpx.Response, raw: bool, secrets: list[str]) -> Any:
    """The parsed body of a success (a `RawResponse` when `raw`), or the status's exception
    carrying the parsed error body; `secrets` are redacted from its message."""
    declared = _declared(op.responses, response.status_code)
    if response.is_success:
        parsed = _parse_success(declared, response)
        if raw:
            return RawResponse(response.status_code, response.headers, parsed, response)
        return parsed
    raise errors.error_class_for(response.status_code)(
        response=response, parsed=_parse_error(declared, response), secrets=secrets
    )


def _parse_success(declared: tuple[str, Any] | None, response: httpx.Response) -> Any:
    if declared is None or declared[1] is None or not response.content:
        return None
    kind, type_ = declared
    if kind == "text":
        return response.text
    if kind == "binary":
        return response.content
    try:
        with lenient_parsing():
            return validate_json(type_, response.content)
    except ValidationError as exc:
        found = problems(exc)
    # raised outside the handler: pydantic's error, which holds the values, is not chained
    raise errors.APIResponseValidationError(
        f"{response.status_code} response does not match the spec: "
        + "; ".join(f"{'.'.join(map(str, e['loc'])) or '(body)'}: {e['msg']}" for e in found),
        response=response,
    )


def _parse_error(declared: tuple[str, Any] | None, response: httpx.Response) -> Any:
    if not response.content:
        return None
    if declared is not None and declared[0] == "json" and declared[1] is not None:
        try:
            with lenient_parsing():
                return validate_json(declared[1], response.content)
        except ValidationError:
            pass
    try:
        return response.json()
    except ValueError:
        return None


def parse_retry_after(headers: httpx.Headers) -> float | None:
    """Seconds to wait, from `retry-after-ms`, or `Retry-After` as seconds or an HTTP date."""
    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            return float(milliseconds) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
