"""Responses: bodies read within the client's size limit, parsed as the spec says, and
non-success statuses turned into the package's exceptions.

A body that does not match the spec (a success's or an error's) is returned built as
far as it can be (`_lenient`), with a warning logged once per operation, unless the
client is `strict_response_validation`: a success then raises
`APIResponseValidationError`, an error keeps its decoded JSON as `parsed`. An empty
success body where the spec declares a value that cannot be null raises
`EmptyResponseError` either way.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, cast

import httpx
from pydantic import ValidationError

from . import errors
from ._binary import BaseBinaryResponse, BinaryResponse, body_read
from ._lenient import UNDECODABLE, accepts_null, construct, decode, first_time, logger, warn_once
from ._operation import STREAM_KINDS
from ._retry_after import parse_retry_after
from ._streams import BaseStream, Stream
from ._types import lenient_parsing
from ._wire import is_json_media, problems, validate_json

if TYPE_CHECKING:
    from ._operation import OperationInfo

__all__ = [
    "RawResponse",
    "async_to_raw_response_wrapper",
    "declared_for",
    "handle",
    "parse_retry_after",
    "streams_body",
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

    @property
    def request_id(self) -> str | None:
        """The server's id of the request (`X-Request-Id`, Stripe's `Request-Id`…), if any."""
        return errors.request_id_of(self.headers)


def to_raw_response_wrapper(method: Callable[P, R]) -> Callable[P, RawResponse[R]]:
    """A method of a resource's raw twin, typed as what it returns: the same arguments,
    a `RawResponse` of what the plain method returns (`with_raw_response.list(...)`)."""
    return cast("Callable[P, RawResponse[R]]", method)


def async_to_raw_response_wrapper(
    method: Callable[P, Awaitable[R]],
) -> Callable[P, Awaitable[RawResponse[R]]]:
    """`to_raw_response_wrapper` for the async client: an awaitable `RawResponse`."""
    return cast("Callable[P, Awaitable[RawResponse[R]]]", method)


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


def declared_for(
    op: OperationInfo, response: httpx.Response, strict: bool = False
) -> tuple[str, Any] | None:
    """(parse kind, type) the spec declares for the response's status and `Content-Type`,
    or None when it declares nothing for the status. A success status the spec does not
    list (a 201 where it documents a 200) is read as its first success response, logged
    once per operation: the method's return type is that response's, not None. A 204 or
    205, documented or not, has no content to read: None. A stream the spec does not
    declare is one unless `strict` (see `_declared`)."""
    status = response.status_code
    if status in (204, 205):  # no content by definition (Spotify's "nothing playing")
        return None
    for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
        if key in op.responses:
            return _declared(op, key, response, strict)
    if 200 <= status < 300:
        for key in op.responses:
            if key[:1] == "2":
                operation = f"{op.method} {op.path}"
                if first_time(operation, f"status {status}"):
                    logger.warning(
                        "%s: the spec does not document status %s; its body is read as "
                        "the %s response's",
                        operation,
                        status,
                        key,
                    )
                return _declared(op, key, response, strict)
    return None


def _declared(
    op: OperationInfo, key: str, response: httpx.Response, strict: bool = False
) -> tuple[str, Any]:
    header = response.headers.get("content-type", "")
    choices = op.media.get(key)
    found = _matching(choices, header) if choices else op.responses[key]
    if found[0] not in STREAM_KINDS and header and not strict and response.is_success:
        # a stream the spec does not declare (OpenAI's `stream: true` answers events where
        # its spec says JSON): its items untyped, rather than one JSON document refused;
        # under `strict`, the declared body, which the stream is not (refused); an error's
        # body is read whole, never a stream (a 429 logged "returned as a Stream": media
        # audit 12)
        undeclared = _undeclared_stream(header)
        if undeclared is not None:
            operation = f"{op.method} {op.path}"
            if first_time(operation, "undeclared stream"):
                logger.warning(
                    "%s: the server answered a stream (%s) where the spec declares none: "
                    "returned as a Stream (close it, or read it in a `with` block)",
                    operation,
                    _essence(header),
                )
            return undeclared, None
    return found


# media types of a stream read even where the spec declares none (`_declared`): server-sent
# events and every JSON Lines type the generator reads as one (`ir_media.JSON_LINES`)
_UNDECLARED_STREAMS = {
    "text/event-stream": "sse",
    "application/jsonl": "jsonl",
    "application/x-jsonl": "jsonl",
    "application/jsonlines": "jsonl",
    "application/x-jsonlines": "jsonl",
    "application/x-ndjson": "jsonl",
    "application/ndjson": "jsonl",
    "application/json-seq": "jsonl",
    "application/stream+json": "jsonl",
    "application/x-json-stream": "jsonl",
}


def _undeclared_stream(header: str) -> str | None:
    return _UNDECLARED_STREAMS.get(_essence(header)) if header else None


def _matching(choices: tuple[tuple[str, str, Any], ...], header: str) -> tuple[str, Any]:
    """The declared media type a `Content-Type` is: the same, then `type/*`, then any JSON
    for a JSON body, then `*/*`; the preferred (first) one when none matches."""
    actual = _essence(header)
    if actual:
        for rule in range(4):
            for media_type, kind, type_ in choices:
                if _matches(rule, _essence(media_type), actual):
                    return kind, type_
    return choices[0][1], choices[0][2]


def _matches(rule: int, declared: str, actual: str) -> bool:
    if rule == 0:
        return declared == actual
    if rule == 1:
        return declared.endswith("/*") and declared != "*/*" and actual.startswith(declared[:-1])
    if rule == 2:
        return is_json_media(actual) and is_json_media(declared)
    return declared == "*/*"


def _wildcard_kind(response: httpx.Response) -> str:
    """How a body declared as any media type (`*/*`) is read: as JSON when it says it is
    (or says nothing), as text when it is text, else as binary."""
    actual = _essence(response.headers.get("content-type", ""))
    if not actual or is_json_media(actual) or actual == "*/*":
        return "json"
    return "text" if actual.startswith("text/") else "binary"


def _essence(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip().lower()


def streams_body(
    op: OperationInfo, response: httpx.Response, stream: bool, strict: bool = False
) -> bool:
    """Is the body of this response left on the connection for the caller? A success
    that is a stream of events or items, or binary or text when the call asked for
    `stream=True` (InfluxDB's CSV query results were read whole: UX audit 16); an
    undeclared stream unless `strict` (then it is read, bounded, and refused)."""
    if not response.is_success:
        return False
    if not op.may_stream:  # unless the server says it streams (see `_declared`)
        header = response.headers.get("content-type", "")
        return not strict and _undeclared_stream(header) is not None
    declared = declared_for(op, response, strict)
    kind = declared[0] if declared is not None else None
    return kind in STREAM_KINDS or (stream and kind in ("binary", "text"))


def handle(
    op: OperationInfo,
    response: httpx.Response,
    raw: bool,
    secrets: list[str],
    *,
    max_size: int | None = None,
    resume: Callable[[str], Any] | None = None,
    max_reconnects: int = 0,
    strict: bool = False,
    binary_class: type[BaseBinaryResponse] = BinaryResponse,
    stream_class: type[BaseStream[Any]] = Stream,
) -> Any:
    """The parsed body of a success (a `RawResponse` when `raw`), or the status's exception
    carrying the parsed error body; `secrets` are redacted from its message. A binary body
    is a `binary_class` (holding `max_size` for a streamed body's `read()`); events and
    JSON Lines are a `stream_class` (which calls `resume(last_event_id)` to reconnect): the
    sync client's `BinaryResponse` and `Stream`, the async client's `AsyncBinaryResponse`
    and `AsyncStream`. A body off the spec is built leniently unless `strict` (see the
    module docstring)."""
    declared = declared_for(op, response, strict)
    if response.is_success and declared is not None and declared[0] in STREAM_KINDS:
        stream = stream_class(
            response,
            kind=declared[0],
            item_type=declared[1],
            resume=resume,
            max_reconnects=max_reconnects,
            max_size=max_size,
            strict=strict,
            operation=f"{op.method} {op.path}",
        )
        if raw:
            return RawResponse(response.status_code, response.headers, stream, response)
        return stream
    if response.is_success:
        try:
            parsed = _parse_success(op, declared, response, max_size, strict, binary_class)
        except _SaysFailed as failed:
            raise errors.APIStatusError(
                response=response, parsed=failed.parsed, secrets=secrets
            ) from None
        if raw:
            return RawResponse(response.status_code, response.headers, parsed, response)
        return parsed
    raise errors.error_class_for(response.status_code)(
        response=response, parsed=_parse_error(op, declared, response, strict), secrets=secrets
    )


def _parse_success(
    op: OperationInfo,
    declared: tuple[str, Any] | None,
    response: httpx.Response,
    max_size: int | None,
    strict: bool,
    binary_class: type[BaseBinaryResponse] = BinaryResponse,
) -> Any:
    kind = declared[0] if declared is not None else "none"
    if kind == "any":  # a wildcard media type: what the server says it sent
        kind = _wildcard_kind(response)
    if kind == "binary" or (kind == "text" and not body_read(response)):  # (`stream=True`)
        return binary_class(response, max_size=max_size)
    if declared is None:  # no response for this status: a body comes back as received
        # (Vercel's artifact download declares errors only: its bytes were dropped; UX 13)
        if response.content and not strict:
            return _undeclared_body(op, response, max_size, binary_class)
        return None
    type_ = declared[1]
    if not response.content:
        if kind == "json" and type_ is not None and not accepts_null(type_):
            raise errors.EmptyResponseError(
                f"{response.status_code} response has an empty body, where the spec "
                "declares one that cannot be null",
                response=response,
            )
        return "" if kind == "text" else None
    if kind == "text":
        return errors.response_text(response)
    if type_ is None:
        if kind == "none" and not strict:
            return _undeclared_body(op, response, max_size, binary_class)
        return None
    content = _json_text(response.content)
    try:
        with lenient_parsing(strict):
            return validate_json(type_, content)
    except ValidationError as exc:
        data = UNDECODABLE if strict and op.failure is None else decode(content)
        if op.failure is not None:
            _check_failure(op, response, data)
            data = UNDECODABLE if strict else data
        if data is not UNDECODABLE:
            warn_once(f"{op.method} {op.path}", "response body", exc, type_)
            return construct(type_, data)
        actual = _essence(response.headers.get("content-type", ""))
        if not strict and actual.startswith("text/"):
            # text the server says is text (OpenAI's transcription as `text/plain`, `srt`)
            warn_once(f"{op.method} {op.path}", "response body", exc, type_)
            return errors.response_text(response)
        if not strict and actual and not is_json_media(actual) and "/" in actual:
            # bytes the server says are something else (Open Banking's statement file as
            # `application/pdf` where its spec declares JSON: UX audit 9)
            warn_once(f"{op.method} {op.path}", "response body", exc, type_)
            return binary_class(response, max_size=max_size)
        found = problems(exc)
    # raised outside the handler: pydantic's error, which holds the values, is not chained
    raise errors.APIResponseValidationError(
        f"{response.status_code} response does not match the spec: "
        + "; ".join(f"{'.'.join(map(str, e['loc'])) or '(body)'}: {e['msg']}" for e in found),
        response=response,
    )


def _undeclared_body(
    op: OperationInfo,
    response: httpx.Response,
    max_size: int | None,
    binary_class: type[BaseBinaryResponse],
) -> Any:
    """A success body where the spec declares none, as received rather than dropped
    (Docker's container export, a tar, came back as None): JSON as data, text as text,
    anything else a `binary_class`; logged once per operation: a warning where the method's
    type says otherwise (`None`, a model), at DEBUG where it says so (`typed_as_received`:
    Trello's 324 operations declare no body, and each first call warned of what the user
    can neither fix nor miss; UX audit 15)."""
    operation = f"{op.method} {op.path}"
    if first_time(operation, "undeclared body"):
        said = typed_as_received(op)
        logger.log(
            logging.DEBUG if said else logging.WARNING,
            "%s: the spec declares no body for status %s; it is returned as received",
            operation,
            response.status_code,
        )
    actual = _essence(response.headers.get("content-type", ""))
    if not actual or is_json_media(actual):
        data = decode(_json_text(response.content))
        return errors.response_text(response) if data is UNDECODABLE else data
    if actual.startswith("text/"):
        return errors.response_text(response)
    return binary_class(response, max_size=max_size)


_NO_CONTENT = ("204", "205", "304")  # statuses that carry no body: their methods return None


def typed_as_received(op: OperationInfo) -> bool:
    """Is the method typed `Any`, its docstring saying a body the spec leaves out is
    returned as received? So the generator types it (`ir_content.received_as_is`): a
    success declared without content (without a 2xx, a `default` without content), but a
    204, 205, 304 or a HEAD's, and, but for a GET's, one beside a success declaring a body;
    a GET declaring no success at all."""
    answers = [status for status in op.responses if status.upper().startswith("2")]
    if not answers and op.responses.get("default", ("",))[0] == "none":
        answers = ["default"]
    if not answers:
        return op.method == "GET"
    bodied = any(op.responses[status][0] != "none" for status in answers)
    return op.method != "HEAD" and any(
        op.responses[status][0] == "none"
        and status not in _NO_CONTENT
        and (op.method == "GET" or not bodied)
        for status in answers
    )


class _SaysFailed(Exception):
    """A success status whose body says the call failed (`OperationInfo.failure`)."""

    def __init__(self, parsed: Any) -> None:
        self.parsed = parsed


def _check_failure(op: OperationInfo, response: httpx.Response, data: Any) -> None:
    """Raise `_SaysFailed` with the body (`data`, decoded) as the error response's type
    where it has the error's value (Slack's `ok: false`); a body off the success schema
    otherwise."""
    name, value, key = op.failure or ("", None, "")
    found = data.get(name, UNDECODABLE) if isinstance(data, dict) else UNDECODABLE
    if found is not UNDECODABLE and (type(found), found) == (type(value), value):
        error = _declared(op, key, response) if key in op.responses else None
        raise _SaysFailed(_parse_error(op, error, response, False))


def _parse_error(
    op: OperationInfo, declared: tuple[str, Any] | None, response: httpx.Response, strict: bool
) -> Any:
    if not response.content:
        return None
    kind = declared[0] if declared is not None else "none"
    if kind == "any":
        kind = _wildcard_kind(response)
    if declared is not None and kind == "json" and declared[1] is not None:
        content = _json_text(response.content)
        try:
            with lenient_parsing(strict):
                return validate_json(declared[1], content)
        except ValidationError as exc:
            data = UNDECODABLE if strict else decode(content)
            if data is not UNDECODABLE:
                warn_once(f"{op.method} {op.path}", "error body", exc, declared[1])
                return construct(declared[1], data)
    return errors.response_json(response)


def _json_text(content: bytes) -> bytes:
    """A JSON body without the UTF-8 byte order mark some servers (IIS, .NET) put first:
    RFC 8259 lets a parser ignore it, as `json.loads` and `response.json()` do, and
    pydantic refused the whole 2xx as invalid JSON."""
    return content[3:] if content.startswith(b"\xef\xbb\xbf") else content
