"""Private core shared by `Client` and `AsyncClient`.

Request building and checking, the retry policy, logging and the same-origin
redirect rule live here once. The send loops are `_async_client.py` (written by
hand) and `_sync_client.py` (derived from it by billing-sdkgen's unasync transform);
credentials are `_auth.py`, the body `_request_body.py`, values on the wire `_wire.py`,
response parsing and the size limit `_responses.py`.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import copy
import functools
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import quote

import httpx
from pydantic_core import ValidationError

from . import errors
from ._auth import (
    BasicCredential,
    Credential,
    SchemeInfo,
    argument_wins,
    authenticate,
    with_environment,
)
from ._origins import logged_url, redirect, same_origin, shown_url
from ._sentinels import NOT_GIVEN, STREAMED_BODY, NotGiven

if TYPE_CHECKING:
    from . import _files as _files
    from . import _request_body as _request_body
    from . import _responses as _responses
    from . import _streams as _streams
    from . import _wire as _wire
else:  # imported by `load_request_modules` at the first request (they build pydantic types)
    _files = _request_body = _responses = _streams = _wire = None


def load_request_modules() -> None:
    """Import what checking, sending and parsing need, once: `import <package>` and
    `Client()` load no pydantic model machinery."""
    global _files, _request_body, _responses, _streams, _wire
    if _wire is None:
        from . import _files, _request_body, _responses, _streams, _wire


__all__ = [
    "DEFAULT_MAX_RESPONSE_SIZE",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "STREAM_KINDS",
    "BasicCredential",
    "Credential",
    "EventHooks",
    "HttpPool",
    "OperationInfo",
    "SchemeInfo",
    "load_request_modules",
    "redirect",
    "same_origin",
    "shown_url",
]

_ClientT = TypeVar("_ClientT", bound="_BaseClient")
_HttpT = TypeVar("_HttpT", httpx.Client, httpx.AsyncClient)
EventHooks = Mapping[str, list[Callable[..., Any]]]
"""httpx's `event_hooks`: `{"request": [...], "response": [...]}` (async functions on the
async client), called on every attempt, redirect and retry included."""

logger = logging.getLogger(__package__)


DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_MAX_RESPONSE_SIZE = 100 * 1024 * 1024
"""Bytes of response body (decoded) a client reads at most: 100 MiB."""
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
MAX_REDIRECTS = 5
_RETRY_STATUSES = frozenset({408, 409, 429})
STREAM_KINDS = ("sse", "sse-event", "jsonl")
"""Parse kinds of a body that is a stream of events or items (left on the connection)."""


@dataclass(frozen=True)
class OperationInfo:
    """What the spec says about one operation: the data the request loop works from."""

    method: str
    path: str
    responses: Mapping[str, tuple[str, Any]]  # status -> (parse kind, type)
    # status -> ((media type, parse kind, type), ...) of responses with several media types
    media: Mapping[str, tuple[tuple[str, str, Any], ...]] = field(default_factory=dict)
    accept: str = "application/json"  # the media types the responses declare, JSON first
    # request media type -> property -> the spec's `encoding` (contentType, headers, style,
    # explode) of form and multipart bodies
    encodings: Mapping[str, Mapping[str, Mapping[str, Any]]] = field(default_factory=dict)
    security: tuple[tuple[str, ...], ...] = ()
    body_type: Any = None
    encoding: str = "json"
    content_type: str | None = None
    # (media type, encoding) a call may choose with `content_type=`, when the spec gives several
    content_types: tuple[tuple[str, str], ...] = ()
    # media type -> body type, for the media types whose body has another type than body_type
    body_types: Mapping[str, Any] = field(default_factory=dict)
    # (location, wire name, type) of every parameter: values are checked before sending
    parameters: tuple[tuple[str, str, Any], ...] = ()
    idempotent: bool = True
    request_id_headers: tuple[str, ...] = ()
    # (location, wire name, style, explode) of parameters not serialised the default way
    styles: tuple[tuple[str, str, str, bool], ...] = ()
    # (location, wire name) of parameters sent with RFC 3986's reserved characters as they
    # are (`allowReserved`; a path's `x-ms-skip-url-encoding`: its `/`s stay separators)
    reserved: tuple[tuple[str, str], ...] = ()
    # the operation's own server (Stripe's uploads: files.stripe.com), used while the
    # client's base URL is the spec's default
    server: str | None = None

    @functools.cached_property
    def sends_headers(self) -> bool:
        """Whether the operation has header or cookie parameters (a credential of the same
        name then defers to the call's argument: `argument_wins`)."""
        return any(location in ("header", "cookie") for location, _, _ in self.parameters)

    @functools.cached_property
    def may_stream(self) -> bool:
        """Whether a response may be left on the connection (`_responses.streams_body`): a
        stream of events or items, or binary; most operations have none, and their
        responses are read without looking their status up once more."""
        kinds = {kind for kind, _ in self.responses.values()}
        kinds.update(kind for choices in self.media.values() for _, kind, _ in choices)
        return not kinds.isdisjoint((*STREAM_KINDS, "binary"))

    @functools.cached_property
    def secret_parameters(self) -> frozenset[tuple[str, str]]:
        """(location, wire name) of the parameters typed as secrets (`SecretString`): their
        values join a request's secrets (redacted from errors and logs)."""
        load_request_modules()
        return frozenset(
            (where, name) for where, name, kind in self.parameters if _wire.is_secret_type(kind)
        )

    def style_of(self, location: str, name: str) -> tuple[str, bool]:
        """How a parameter is serialised: its OpenAPI `style` and `explode`."""
        for where, wire_name, style, explode in self.styles:
            if where == location and wire_name == name:
                return style, explode
        return ("form", True) if location in ("query", "cookie") else ("simple", False)

    def encoded_as(self, content_type: str | None, body: Any = None) -> OperationInfo:
        """This operation with its body sent as `content_type` (one the spec lists); when
        None, as the body given implies (see `media_type_for`), else the default."""
        if content_type is None:
            content_type = self.media_type_for(body)
        if content_type is None or content_type == self.content_type:
            return self
        for media_type, encoding in self.content_types:
            if media_type == content_type:
                body_type = self.body_types.get(media_type, self.body_type)
                return replace(
                    self, content_type=media_type, encoding=encoding, body_type=body_type
                )
        choices = ", ".join(m for m, _ in self.content_types) or str(self.content_type)
        raise errors.RequestValidationError(f"content_type must be one of: {choices}")

    def media_type_for(self, body: Any) -> str | None:
        """The media type a body given without `content_type=` is sent as, when the spec's
        media types take different bodies: the first whose type the body is (a model of
        it, text for text, bytes, a file or an iterable for raw bytes), else the first
        structured one it validates as; None (the default) when none fits."""
        if not self.body_types or body is None:
            return None
        load_request_modules()  # callable before any request was sent
        structured = []
        for media_type, encoding in self.content_types:
            type_ = self.body_types.get(media_type, self.body_type)
            if encoding == "text" and isinstance(body, str):
                return media_type
            if encoding == "binary" and _files.is_raw_content(body):
                return media_type
            if encoding in ("json", "form", "multipart"):
                if isinstance(type_, type) and isinstance(body, type_):
                    return media_type
                structured.append((media_type, type_))
        for media_type, type_ in structured:
            try:
                _wire.validate_python(type_, body)
            except (ValidationError, ValueError):
                continue
            return media_type
        return None


# RFC 6265: what a cookie's name (a token) and value (cookie-octets) may hold as they are;
# anything else is percent-encoded, so that a value never adds a cookie (`a; admin=true`)
_COOKIE_NAME = "!#$&'*+-.^_`|~"
_COOKIE_VALUE = "!#$&'()*+-./:<=>?@[]^_`{|}~"


@dataclass(frozen=True)
class _Draft:
    """A request checked and encoded, waiting for its credentials (`_build_request`)."""

    op: OperationInfo
    url: str
    params: list[tuple[str, Any]]
    headers: dict[str, str]  # before the credentials: Accept, the defaults, header parameters
    cookies: dict[str, str]
    late_headers: dict[str, str]  # after them: Idempotency-Key, the body's, extra_headers
    body: tuple[Any, dict[str, Any] | None, list[tuple[str, Any]] | None, bool]
    timeout: float | httpx.Timeout | None
    linked: bool = False  # `url` is a next-page link that still holds its query


class HttpPool(Generic[_HttpT]):
    """The httpx client a client sends through: the one given, else one made at the first
    request (so that `Client()` sets up no TLS context), shared by `with_options` copies."""

    def __init__(self, given: _HttpT | None, make: Callable[[], _HttpT]) -> None:
        self._client: _HttpT | None = given
        self._make: Callable[[], _HttpT] = make
        self._lock = threading.Lock()
        self.closed = False

    def get(self) -> _HttpT:
        """The httpx client, made now when this is the first request."""
        client = self._client
        if client is None:
            with self._lock:
                if self._client is None:
                    if self.closed:
                        raise RuntimeError("Cannot send a request, as the client has been closed.")
                    self._client = self._make()
                client = self._client
        return client

    def made(self) -> _HttpT | None:
        """The httpx client, or None while no request has needed it."""
        return self._client


class _RequestBuilder:
    """Checking and encoding a request (parameters, body, then credentials): the part of the
    clients that turns an operation's arguments into an `httpx.Request`, without I/O."""

    base_url: str
    timeout: float | httpx.Timeout | None
    _default_headers: dict[str, str]
    _schemes: dict[str, SchemeInfo]
    _query_credentials: frozenset[str]
    _spec_servers: bool = False  # the base URL is the spec's default: operations' own apply
    _preferred: frozenset[str] | None = None  # credentials passed, when others were read

    def _base_url_of(self, op: OperationInfo) -> str:
        """Where `op` is sent: its own server (`OperationInfo.server`) while the client's
        base URL is the spec's default, else the base URL (the one the caller chose: a
        proxy, a mock, a staging host)."""
        return op.server if op.server is not None and self._spec_servers else self.base_url

    def _check_request(
        self,
        http_client: httpx.Client | httpx.AsyncClient,
        op: OperationInfo,
        *,
        url: str | None = None,
        path: Mapping[str, Any] | None,
        query: Mapping[str, Any] | None,
        headers: Mapping[str, Any] | None,
        cookies: Mapping[str, Any] | None,
        body: Any,
        content_type: str | None,
        extra_headers: Mapping[str, str] | None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        idempotency_key: str | None,
        timeout: float | httpx.Timeout | NotGiven | None,
        secrets: list[str],
    ) -> _Draft:
        """Check and encode the request, all but its credentials (`_build_request` adds
        them); secret body fields are added to `secrets`. Raises `RequestValidationError`,
        naming every problem, before any credential is fetched or anything is sent.

        `url` (a next-page link, already checked to be on the API's origin) replaces the
        operation's path and query. `extra_query` and `extra_body` are merged into the
        query and the (object) body.
        """
        load_request_modules()
        op = op.encoded_as(content_type, body)
        params: list[tuple[str, Any]] = []
        linked = url is not None and not extra_query
        if url is not None:
            path, query = None, None
            if extra_query:  # merged with the link's own query below
                url, params = _wire.split_query(url)
        else:
            given = {"path": path, "query": query, "header": headers, "cookie": cookies}
            found = _wire.parameter_problems(op.parameters, given)
            if found:
                raise _request_body.refused(op, found)
            # a query the spec wrote into the path (`/rest?method=x`) is sent beside `params`
            route, _, fixed = op.path.partition("?")
            if fixed:
                params.extend(httpx.QueryParams(fixed).multi_items())
            url = self._base_url_of(op) + route
        body_headers: dict[str, str] = {}
        asynchronous = isinstance(http_client, httpx.AsyncClient)
        content, data, files, streamed = _request_body.encode_request_body(
            op, body, extra_body, body_headers, secrets, asynchronous
        )
        for name, value in (path or {}).items():
            style, explode = op.style_of("path", name)
            reserved = ("path", name) in op.reserved
            text = _wire.path_value(name, value, style, explode, reserved)
            url = url.replace("{" + name + "}", text)
        for name, value in (query or {}).items():
            if value is not None:
                pairs = _wire.query_pairs(name, value, *op.style_of("query", name))
                if op.reserved and ("query", name) in op.reserved:
                    pairs = _wire.reserved_pairs(pairs)
                params.extend(pairs)
        if extra_query:
            params = [(k, v) for k, v in params if k not in extra_query]
            for name, value in extra_query.items():
                if value is not None:
                    params.extend(_wire.query_pairs(name, value, "form", True))
        if op.secret_parameters:
            given = {"path": path, "query": query, "header": headers, "cookie": cookies}
            for where, name in op.secret_parameters:
                value = (given[where] or {}).get(name)
                if value is not None:
                    secrets.extend(_wire.secret_texts(value))
        request_headers: dict[str, str] = {"Accept": op.accept, **self._default_headers}
        for name, value in (headers or {}).items():
            if value is None and name in op.request_id_headers:
                value = str(uuid.uuid4())
            if value is not None:
                style, explode = op.style_of("header", name)
                request_headers[name] = _wire.header_value(value, explode, style)
        late_headers: dict[str, str] = {}
        if idempotency_key is not None:
            late_headers["Idempotency-Key"] = idempotency_key
        late_headers.update(body_headers)
        late_headers.update(_request_body.caller_headers(op, extra_headers, self._default_headers))
        return _Draft(
            op,
            url,
            params,
            request_headers,
            _wire.cookie_values(cookies or {}, op.style_of),
            late_headers,
            (content, data, files, streamed),
            self.timeout if isinstance(timeout, NotGiven) else timeout,
            linked,
        )

    def _build_request(
        self,
        http_client: httpx.Client | httpx.AsyncClient,
        draft: _Draft,
        credentials: Mapping[str, Any],
        secrets: list[str],
    ) -> httpx.Request:
        """The checked request with the credentials of its security requirement (their
        values join `secrets`): `credentials` are the client's, made fresh for this request
        (`fresh_credentials`)."""
        op = draft.op
        auth_headers, auth_query, auth_cookies = authenticate(
            op, credentials, self._schemes, secrets, self._preferred
        )
        # (a header may repeat a credential only as a parameter or a default header)
        custom = op.sends_headers or len(self._default_headers) > 1
        if (auth_query and draft.params) or (custom and (auth_headers or auth_cookies)):
            argument_wins(
                draft.params,
                draft.headers,
                draft.cookies,
                auth_headers,
                auth_query,
                auth_cookies,
                secrets,
            )
        request_headers = {**draft.headers, **auth_headers}
        all_cookies = {**draft.cookies, **auth_cookies}
        if all_cookies:
            request_headers["Cookie"] = "; ".join(
                f"{quote(k, safe=_COOKIE_NAME)}={quote(v, safe=_COOKIE_VALUE)}"
                for k, v in all_cookies.items()
            )
        if draft.late_headers:  # they win, whatever their case (`extra_headers`)
            spelled = {name.lower(): name for name in request_headers}
            for name in draft.late_headers:
                other = spelled.get(name.lower(), name)
                if other != name:
                    del request_headers[other]
            request_headers.update(draft.late_headers)
        content, data, files, streamed = draft.body
        # None, not [], when there are none: httpx parses the URL again to merge even an
        # empty list (a third of `build_request`'s time, ~17 µs a call)
        params = [*draft.params, *auth_query.items()] or None
        url = draft.url
        if params is not None and draft.linked:  # a credential in the query of a next link
            url, params = _wire.with_query(url, params, replace=True), None
        if params is not None and any(isinstance(v, _wire.Joined) for _, v in params):
            # httpx would percent-encode the delimiters of `a,b,c` like commas inside items
            url, params = _wire.with_query(url, params), None
        try:
            request = http_client.build_request(
                op.method,
                url,
                params=params,
                headers=request_headers,
                content=content,
                data=data,
                files=files,
                timeout=draft.timeout,
            )
        except (ValueError, httpx.InvalidURL) as exc:  # e.g. a header value that is not ASCII
            message = f"the request cannot be built ({type(exc).__name__})"
        else:
            if streamed:  # sent once: never retried
                request.extensions[STREAMED_BODY] = True
            _request_body.multipart_subtype(request, op)
            return request
        # raised outside the handler, so that the error (which may quote a value) is not chained
        raise _request_body.refused(op, [{"loc": (), "msg": message, "type": "request"}])


class _BaseClient(_RequestBuilder):
    """State and I/O-free logic shared by the sync and async clients."""

    _owns_http_client: bool

    def __init__(
        self,
        *,
        base_url: str,
        credentials: Mapping[str, Any],
        schemes: Mapping[str, SchemeInfo],
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        user_agent: str = "",
        max_response_size: int | None = DEFAULT_MAX_RESPONSE_SIZE,
        strict_response_validation: bool = False,
        security: tuple[tuple[str, ...], ...] = (),
        default_base_url: str | None = None,
    ) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        if max_response_size is not None and max_response_size < 0:
            raise ValueError("max_response_size must be >= 0 (or None: no limit)")
        self.base_url = base_url.rstrip("/")
        self._spec_servers = default_base_url is not None and (
            self.base_url == default_base_url.rstrip("/")
        )
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_response_size = max_response_size
        # True: a body off the spec raises APIResponseValidationError (else built leniently)
        self.strict_response_validation = strict_response_validation
        self._schemes = dict(schemes)
        self._query_credentials = frozenset(
            scheme.wire_name for scheme in schemes.values() if scheme.location == "query"
        )
        # the security requirement of endpoints the spec does not document (`request`)
        self._security = security
        self._credentials = with_environment(credentials, schemes)
        # when some credentials were passed and others read from the environment, an
        # operation takes an alternative the passed ones make up first (`requirement`)
        given = frozenset(key for key, value in credentials.items() if value is not None)
        read = any(v is not None for k, v in self._credentials.items() if k not in given)
        self._preferred = given if given and read else None
        # a credential that is a token source (a callable, `OAuth2ClientCredentials`)
        self._token_sources = any(
            callable(v) or hasattr(v, "atoken") for v in self._credentials.values()
        )
        agent = f"{user_agent} python-httpx/{httpx.__version__}".strip()
        self._default_headers = {"User-Agent": agent, **dict(default_headers or {})}

    def __repr__(self) -> str:
        configured = sorted(k for k, v in self._credentials.items() if v is not None)
        shown = str(shown_url(self.base_url)) if "@" in self.base_url else self.base_url
        return f"{type(self).__name__}(base_url={shown!r}, credentials={configured!r})"

    def with_options(
        self: _ClientT,
        *,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        max_response_size: int | NotGiven | None = NOT_GIVEN,
        strict_response_validation: bool | NotGiven = NOT_GIVEN,
    ) -> _ClientT:
        """A copy of this client (sharing its connection pool) with other defaults."""
        clone = copy.copy(self)
        if not isinstance(timeout, NotGiven):
            clone.timeout = timeout
        if not isinstance(max_retries, NotGiven):
            if max_retries < 0:
                raise ValueError("max_retries must be >= 0")
            clone.max_retries = max_retries
        if not isinstance(max_response_size, NotGiven):
            if max_response_size is not None and max_response_size < 0:
                raise ValueError("max_response_size must be >= 0 (or None: no limit)")
            clone.max_response_size = max_response_size
        if not isinstance(strict_response_validation, NotGiven):
            clone.strict_response_validation = strict_response_validation
        # resources already made (cached on this client) would call this client: the copy
        # makes its own
        for name, value in list(vars(clone).items()):
            if getattr(value, "_client", None) is self:
                del vars(clone)[name]
        clone._owns_http_client = False
        return clone

    # ---- retries and logging ---------------------------------------------------------------
    def _may_retry(self, op: OperationInfo, request: httpx.Request) -> bool:
        if request.extensions.get(STREAMED_BODY):
            return False
        return op.idempotent or "Idempotency-Key" in request.headers

    @staticmethod
    def _retryable_status(status_code: int) -> bool:
        return status_code in _RETRY_STATUSES or status_code >= 500

    @staticmethod
    def _retry_delay(attempt: int, response: httpx.Response | None) -> float:
        if response is not None:
            retry_after = _responses.parse_retry_after(response.headers)
            if retry_after is not None and 0 <= retry_after <= MAX_RETRY_AFTER:
                return retry_after
        delay = min(INITIAL_RETRY_DELAY * (2.0**attempt), MAX_RETRY_DELAY)
        return delay * (1.0 - 0.25 * random.random())

    def _logged(
        self, op: OperationInfo, secrets: list[str]
    ) -> tuple[frozenset[str], tuple[str, ...]]:
        """What the logs of this request leave out: the query parameter names of the
        credentials and of the operation's secret parameters, and every secret value."""
        names = self._query_credentials
        if op.secret_parameters:
            names = names | {name for where, name in op.secret_parameters if where == "query"}
        return names, tuple(secrets)

    def _log(
        self,
        request: httpx.Request,
        outcome: str,
        attempt: int,
        started: float,
        logged: tuple[frozenset[str], tuple[str, ...]],
    ) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            elapsed = (time.monotonic() - started) * 1000
            logger.debug(
                "%s %s -> %s (attempt %d, %.1f ms)",
                request.method,
                logged_url(request.url, *logged),
                outcome,
                attempt + 1,
                elapsed,
            )
