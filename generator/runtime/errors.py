"""Exceptions raised by this package's clients: every one is an `APIError`.

    APIError
    ├── RequestValidationError        refused before sending (also a ValueError)
    ├── APIConnectionError            the request never got a response
    │   └── APITimeoutError           ... because it timed out
    ├── APIStatusError                the server answered with a non-2xx status
    │   ├── BadRequestError           400
    │   ├── AuthenticationError       401
    │   ├── PaymentRequiredError      402
    │   ├── PermissionDeniedError     403
    │   ├── NotFoundError             404
    │   ├── ConflictError             409
    │   ├── PreconditionFailedError   412
    │   ├── UnprocessableEntityError  422
    │   ├── RateLimitError            429
    │   └── InternalServerError       >= 500
    ├── APIResponseValidationError    a 2xx body does not match the spec (strict_response_validation)
    │   └── EmptyResponseError        ... or is empty where the spec declares one
    ├── ResponseTooLargeError         a body over the client's `max_response_size`
    ├── StreamEventError              a stream of events sent an error event
    └── WebhookError                  a webhook payload that matches no webhook of the spec
        └── WebhookVerificationError  ... or whose signature is missing, wrong or too old

Messages hold the status and the server's own message, never secrets: the
credentials and secret fields of the request are redacted from whatever the
server echoes, and long digit runs (card or account numbers) are masked.
A `RequestValidationError` names the fields and what is wrong with them, never
the values given.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from ._redaction import redact_data, scrub, secret_forms
from ._retry_after import server_wait
from ._sentinels import NO_CREDENTIALS

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "EmptyResponseError",
    "InternalServerError",
    "NotFoundError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "RateLimitError",
    "RequestValidationError",
    "ResponseTooLargeError",
    "StreamEventError",
    "UnprocessableEntityError",
    "WebhookError",
    "WebhookVerificationError",
]

_SHOWN_PROBLEMS = 10  # problems a RequestValidationError names in its message
_SHOWN = 500  # characters of the server's message an APIStatusError shows
_MESSAGE_KEYS = (
    "message",
    "Message",
    "error_message",  # Plaid's
    "description",
    "error_description",
    "detail",
    "reason",  # Linode's `errors[].reason`
    "error-text",  # Vonage's
    "error-code-label",
    "title",
    "error",
)


def _no_credentials(response: httpx.Response) -> str:
    """` (sent without credentials…: pass …)` when the request went out without the
    credentials its operation requires (`_sentinels.NO_CREDENTIALS`), else nothing."""
    try:
        hint = response.request.extensions.get(NO_CREDENTIALS)
    except RuntimeError:  # a response made without its request
        return ""
    return f" ({hint})" if isinstance(hint, str) else ""


def response_text(response: httpx.Response) -> str:
    """The body as text: in the charset the server names, else UTF-8 with errors replaced
    where that charset cannot decode it (`idna`, `undefined`, `rot13`, `utf-16` without a
    byte order mark raised out of the call: hostile audit 12)."""
    try:
        return response.text
    except (LookupError, ValueError, TypeError, AssertionError):
        return response.content.decode("utf-8", "replace")


def response_json(response: httpx.Response) -> Any:
    """The body as JSON data; None where it is none, too deeply nested included (its
    `RecursionError` raised out of the call: hostile audit 12)."""
    try:
        return response.json()
    except (ValueError, RecursionError, LookupError, TypeError, AssertionError):
        return None


def _server_message(parsed: Any, text: str) -> str:
    if hasattr(parsed, "model_dump"):  # built leniently, it may hold values of other types
        data = parsed.model_dump(by_alias=True, warnings=False)
    else:
        data = parsed
    # `{"error": {"message": …}}` (Stripe's, OpenAI's): the message one level down; the
    # first of `{"errors": [{"message"|"detail": …}]}` (Asana's, Square's, JSON:API's)
    listed = data.get("errors", data.get("Errors")) if isinstance(data, dict) else None
    first = listed[0] if isinstance(listed, list) and listed else None
    if isinstance(listed, dict):  # Jira's field errors: `{"summary": "Field required"}`
        first = {"message": _field_errors(listed)}
    found = [
        _message_of(level)
        for level in (data, data.get("error") if isinstance(data, dict) else None)
    ]
    said = next((message for message in found if message), "")
    detail = _message_of(first)
    if said and detail and detail != said:
        # a generic message and the first error's reason (Open Banking's `"Bad request"` and
        # `Errors[0].Message`: the reason was left out; UX audit 9)
        return f"{said}: {detail}"
    return said or detail or text.strip()


def _message_of(level: Any) -> str:
    """The first message-like text of an object (`message`, `Message`, `detail`…), else its
    list of messages (Jira's `errorMessages`, Mux's `error.messages`: `str(e)` was the raw
    JSON; UX audit 11)."""
    if isinstance(level, dict):
        named = level.get("field")  # the field it is about, where one is (Linode's `field`)
        field = named.strip() if isinstance(named, str) else ""
        for key in _MESSAGE_KEYS:
            value = level.get(key)
            if isinstance(value, dict) and key in ("message", "Message"):  # Rails' field lists
                value = _field_errors(value)
            if isinstance(value, str) and value.strip():
                said = value.strip()
                if field and field not in said:
                    said = f"{field}: {said}"
                # a generic message and its `detail` (Apideck's "Invalid Params" and what was
                # wrong, a text or field errors: UX audit 14)
                detail = level.get("detail") if key in _GENERIC_KEYS else None
                if isinstance(detail, dict):
                    detail = _field_errors(detail)
                if isinstance(detail, str) and detail.strip() and detail.strip() not in said:
                    said = f"{said}: {detail.strip()}"
                return said
        for key in _MESSAGE_LISTS:
            value = level.get(key)
            if isinstance(value, list):
                said = _listed(item for item in value if isinstance(item, str))
                if said:
                    return said
    return ""


_MESSAGE_LISTS = ("errorMessages", "messages", "error_messages")  # Jira's, Mux's, Klarna's
_GENERIC_KEYS = frozenset({"message", "Message", "error_message", "description"})


def _field_errors(errors: Mapping[Any, Any]) -> str:
    """`name: reason` for each field of a mapping of field errors (Jira's `errors`, each a
    text; Rails' `message`, each a list of texts: GitLab's; UX audit 12)."""

    def said(value: Any) -> str:
        if isinstance(value, list):
            return _listed(item for item in value if isinstance(item, str))
        return value if isinstance(value, str) else ""

    return _listed(f"{key}: {said(value)}" for key, value in errors.items() if said(value))


def _listed(messages: Iterable[str]) -> str:
    """The first three messages, `; `-separated."""
    return "; ".join(m.strip() for m in itertools.islice(messages, 3) if m.strip())


class APIError(Exception):
    """Root of every exception this package raises."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (and copied) as its class, arguments and attributes, without calling
        `__init__` again: most take keyword-only arguments, which `Exception`'s own reduce
        does not give (a `NotFoundError` raised in a `multiprocessing` worker hung the
        pool; runtime audit 20)."""
        return (_rebuilt, (type(self), self.args, self.__dict__))


def _rebuilt(cls: type[APIError], args: tuple[Any, ...], state: dict[str, Any]) -> APIError:
    """An exception `APIError.__reduce__` wrote, built again."""
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class RequestValidationError(APIError, ValueError):
    """The request was refused before anything was sent: a parameter, the body, the
    content type or a credential does not fit the spec.

    `errors()` lists the problems, each a dict with `loc` (where: `("body", "Address",
    "City")`, `("path", "id")`, `("query", "limit")`…), `msg` and `type`. The values
    given are never kept, so a rejected card number or token cannot leak through the
    exception, its message or a log. Also a `ValueError`, as the caller's arguments are.
    """

    def __init__(self, message: str, problems: Iterable[Mapping[str, Any]] = ()) -> None:
        self._errors: list[dict[str, Any]] = [
            {"loc": tuple(p.get("loc", ())), "msg": str(p.get("msg", "")), "type": p.get("type")}
            for p in problems
        ]
        if self._errors:
            shown = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or '(request)'}: {e['msg']}"
                for e in self._errors[:_SHOWN_PROBLEMS]
            )
            more = len(self._errors) - _SHOWN_PROBLEMS
            message += f": {shown}" + (f" (and {more} more)" if more > 0 else "")
        super().__init__(message)

    def errors(self) -> list[dict[str, Any]]:
        """Each problem: `loc` (a tuple), `msg` and `type`, never the input value."""
        return [dict(e) for e in self._errors]


class APIConnectionError(APIError):
    """The request could not be sent or no response arrived."""

    def __init__(
        self, message: str = "Connection error.", *, request: httpx.Request | None = None
    ) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request timed out."""

    def __init__(
        self, message: str = "Request timed out.", *, request: httpx.Request | None = None
    ) -> None:
        super().__init__(message, request=request)


class APIResponseValidationError(APIError):
    """A successful response's body does not match the spec's schema: raised when the
    client has `strict_response_validation=True` (by default such a body is returned,
    parsed as far as it can be), or when the body is not even valid JSON."""

    def __init__(self, message: str, *, response: httpx.Response) -> None:
        super().__init__(message)
        self.response = response
        self.status_code = response.status_code


class StreamEventError(APIError):
    """A stream of server-sent events sent an `error` event whose data is not one of the
    stream's items (OpenAI's `event: error` mid-stream): `data` is what it said, decoded
    from JSON where it is JSON; the stream is closed."""

    def __init__(self, message: str, *, data: Any, response: httpx.Response) -> None:
        super().__init__(message)
        self.data = data
        self.response = response
        self.status_code = response.status_code


class EmptyResponseError(APIResponseValidationError):
    """A successful response came with an empty body where the spec declares one that
    cannot be null (a model, a list…): there is nothing to return. Raised whatever
    `strict_response_validation` says."""


class ResponseTooLargeError(APIError):
    """A response body is larger than the client's `max_response_size` (its declared
    `Content-Length`, or the bytes actually received): nothing more is read."""

    def __init__(
        self, *, response: httpx.Response, limit: int, declared: int | None = None
    ) -> None:
        self.response = response
        self.status_code = response.status_code
        self.limit = limit
        if declared is not None:
            what = f"declares a {declared}-byte body, over the {limit}-byte limit"
        else:
            what = f"body exceeds the {limit}-byte limit"
        super().__init__(
            f"{response.status_code} response {what} (max_response_size): not read further"
        )


# response headers in which servers return their id of a request (Stripe's `Request-Id`,
# the common `X-Request-Id`, Twilio's, AWS's, Azure's, Microsoft Partner Center's, GitHub's),
# in the order they are looked for
REQUEST_ID_HEADERS = (
    "x-request-id",
    "request-id",
    "twilio-request-id",
    "x-amzn-requestid",
    "x-amz-request-id",
    "x-ms-request-id",
    "ms-requestid",
    "x-github-request-id",
    "klarna-correlation-id",
    "x-vercel-id",
    "x-correlation-id",
    "x-slack-req-id",
    "x-shopify-request-id",
)


# endings of other headers read as the request's id (Zuora's `Zuora-Request-Id`, Xero's
# `Xero-Correlation-Id`: billing audit), after the names above
_REQUEST_ID_ENDINGS = ("request-id", "requestid", "correlation-id", "correlationid")


def request_id_of(headers: Mapping[str, str]) -> str | None:
    """The server's id of the request, from the first of `REQUEST_ID_HEADERS` present, else
    the first header whose name ends as a request or correlation id does."""
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            return str(value)
    for name, value in headers.items():
        if value and name.lower().endswith(_REQUEST_ID_ENDINGS):
            return str(value)
    return None


class APIStatusError(APIError):
    """The server answered with a non-success status, or with a success status and a body
    that says the call failed as the spec's error response does (Slack's `ok: false`).

    `status_code`, `headers`, `request_id` (the server's id of the request, to quote to
    its support), `body` (raw bytes), `text` and `parsed` (the body parsed into the
    spec's error model for this status, when one is declared and the body matches it;
    else the decoded JSON, or None). `retry_after`: the seconds the server asked to wait
    before trying again, as of the error (`Retry-After`, or a 429's rate-limit reset:
    Twitter's `x-rate-limit-reset`), None when it said nothing usable.
    """

    def __init__(
        self,
        *,
        response: httpx.Response,
        parsed: Any = None,
        secrets: Iterable[str] = (),
        context: str = "",
    ) -> None:
        self.response = response
        self.status_code = response.status_code
        self.headers: Mapping[str, str] = response.headers
        self.body: bytes = response.content
        secrets = list(secrets)
        # the secrets the request sent, redacted where the server echoed them: `parsed` is
        # printed and logged as the message is (`redact_data`; `body` stays the server's)
        self.parsed = redact_data(parsed, secrets)[0] if secrets else parsed
        self.retry_after: float | None = server_wait(response.status_code, response.headers)
        # redacted and masked before it is cut: a token or a card number across the cut
        # showed its first part (hostile audit 15)
        longest = max((len(form) for form in secret_forms(secrets)), default=0)
        said = _server_message(self.parsed, response_text(response))[: _SHOWN + longest + 64]
        detail = scrub(said, secrets)[:_SHOWN]
        message = context + f"{response.status_code} {response.reason_phrase}".strip()
        if detail:
            message += f": {detail}"
        if response.status_code in (401, 403):
            message += _no_credentials(response)
        super().__init__(scrub(message, secrets))

    @property
    def text(self) -> str:
        """The response body decoded as text."""
        return response_text(self.response)

    @property
    def request_id(self) -> str | None:
        """The server's id of the request (`X-Request-Id`, Stripe's `Request-Id`…), else the
        error body's (ShipEngine's `request_id`, Adyen's `requestId`: UX audits 10, 11)."""
        found = request_id_of(self.headers)
        if found is not None:
            return found
        data = self.parsed
        if hasattr(data, "model_dump"):
            data = data.model_dump(by_alias=True, warnings=False)
        for key in _BODY_REQUEST_IDS if isinstance(data, dict) else ():
            value = data.get(key)
            if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
                return str(value)
        return None


_BODY_REQUEST_IDS = (
    "request_id",
    "requestId",
    "RequestId",
    "traceId",
    "trace_id",
    "correlation_id",  # Klarna's
    "correlationId",
    "pspReference",  # Adyen's
)


class BadRequestError(APIStatusError):
    """400 Bad Request."""


class AuthenticationError(APIStatusError):
    """401 Unauthorized: credentials missing or rejected."""


class PaymentRequiredError(APIStatusError):
    """402 Payment Required: billing APIs answer a declined card or an unpaid account so."""


class PermissionDeniedError(APIStatusError):
    """403 Forbidden."""


class NotFoundError(APIStatusError):
    """404 Not Found."""


class ConflictError(APIStatusError):
    """409 Conflict."""


class PreconditionFailedError(APIStatusError):
    """412 Precondition Failed: the resource changed since it was read (stale ETag)."""


class UnprocessableEntityError(APIStatusError):
    """422 Unprocessable Entity."""


class RateLimitError(APIStatusError):
    """429 Too Many Requests: `retry_after` says in how many seconds the server takes
    requests again, when it says so."""


class InternalServerError(APIStatusError):
    """A 5xx server error."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    412: PreconditionFailedError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class_for(status_code: int) -> type[APIStatusError]:
    """The exception class for an HTTP status code."""
    if status_code >= 500:
        return InternalServerError
    return _BY_STATUS.get(status_code, APIStatusError)


class WebhookError(APIError):
    """A webhook payload that matches no webhook of the spec (`webhooks.parse`)."""


class WebhookVerificationError(WebhookError):
    """A webhook whose signature is missing, does not match, or is outside the timestamp
    tolerance: the payload must not be trusted. The message never repeats the secret,
    the signature or the payload."""
