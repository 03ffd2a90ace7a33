"""Private core shared by `Client` and `AsyncClient`: their state and options, the
retry policy and logging.

The send loops are `_async_client.py` (written by hand) and `_sync_client.py` (derived
from it by billing-sdkgen's unasync transform); request building is `_request.py`, an
operation's description `_operation.py`, credentials `_auth.py`, the body
`_request_body.py`, values on the wire `_wire.py`, response parsing and the size limit
`_responses.py`, same-origin redirects `_origins.py`.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import copy
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from . import errors
from ._auth import SchemeInfo, for_base_url, with_environment
from ._origins import logged_url, shown_url
from ._redaction import scrub
from ._request import _RequestBuilder, checked_timeout
from ._retry_after import server_wait
from ._sentinels import KEYED_BODY, NOT_GIVEN, STREAMED_BODY, NotGiven

if TYPE_CHECKING:
    from ._operation import OperationInfo


__all__ = [
    "DEFAULT_MAX_RESPONSE_SIZE",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "MAX_REDIRECTS",
    "EventHooks",
    "HttpPool",
    "connection_failed",
    "unreadable_response",
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
"""Seconds: a server asking for a longer wait gets its error at once, not a retry."""
MAX_REDIRECTS = 5
_RETRY_STATUSES = frozenset({408, 409, 429})


class ClientClosedError(errors.APIError, RuntimeError):
    """A request on a client that was closed (`close()`, or its `with` block ended)."""


_INHERITED: list[object] = []  # httpx clients a forked process found made by its parent


class HttpPool(Generic[_HttpT]):
    """The httpx client a client sends through: the one given, else one made at the first
    request (so that `Client()` sets up no TLS context), shared by `with_options` copies."""

    def __init__(self, given: _HttpT | None, make: Callable[[], _HttpT]) -> None:
        self._client: _HttpT | None = given
        self._make: Callable[[], _HttpT] = make
        self._lock = threading.Lock()
        self.closed = False
        self._owned = given is None
        self._pid = os.getpid()  # the process that made `_client` (none crosses a fork)

    def get(self) -> _HttpT:
        """The httpx client, made now when this is the first request, or again in a process
        forked since it was made: the child's copy holds the parent's connections, and two
        processes reading one socket each got the other's responses (runtime audit 20)."""
        client = self._client
        if client is None or self.closed or (self._owned and self._pid != os.getpid()):
            with self._lock:
                if self.closed and self._owned:
                    raise ClientClosedError("the client is closed: no request can be sent")
                if self._client is None or (self._owned and self._pid != os.getpid()):
                    if self._client is not None:
                        # (the inherited one is kept unclosed, never collected: closing it
                        # would close the parent's connections, which are the parent's)
                        _INHERITED.append(self._client)
                    self._client = self._make()
                    self._pid = os.getpid()
                client = self._client
        return client

    def made(self) -> _HttpT | None:
        """The httpx client, or None while no request has needed it."""
        return self._client


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
        base_url_variable: str = "",
        client_parameters: Mapping[tuple[str, str], tuple[str | None, str, str]] | None = None,
    ) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        if max_response_size is not None and max_response_size < 0:
            raise ValueError("max_response_size must be >= 0 (or None: no limit)")
        if "?" in base_url or "#" in base_url:
            # every operation's path was appended to the query: `DELETE /v1?x=1/things/42`
            raise ValueError("base_url must not have a query or fragment (`?`, `#`)")
        self._relative_default = _relative_path(default_base_url)
        self.base_url = _joined(base_url, self._relative_default)
        if base_url_variable:  # (named when the base URL is relative)
            self._base_url_variable = base_url_variable
        if client_parameters:  # (location, wire name) -> (value, variable, argument)
            self._client_values = {
                key: value if value is not None else (os.environ.get(variable) or None)
                for key, (value, variable, _) in client_parameters.items()
            }
            self._client_arguments = {
                key: (argument, variable)
                for key, (_, variable, argument) in client_parameters.items()
            }
        self._spec_servers = default_base_url is not None and (
            self.base_url == default_base_url.rstrip("/")
        )
        self.timeout = checked_timeout(timeout)
        self.max_retries = max_retries
        self.max_response_size = max_response_size
        # True: a body off the spec raises APIResponseValidationError (else built leniently)
        self.strict_response_validation = strict_response_validation
        self._schemes = dict(schemes)
        self._query_credentials = frozenset(
            scheme.wire_name for scheme in schemes.values() if scheme.location == "query"
        )
        self._credential_headers = frozenset(
            "authorization" if scheme.kind != "api_key" else scheme.wire_name.lower()
            for scheme in schemes.values()
            if scheme.location == "header"
        )
        # the security requirement of endpoints the spec does not document (`request`)
        self._security = security
        self._default_base_url = (default_base_url or "").rstrip("/")
        self._credentials = with_environment(
            credentials, schemes, self.base_url, self._default_base_url
        )
        # when some credentials were passed and others read from the environment, an
        # operation takes an alternative the passed ones make up first (`requirement`)
        given = frozenset(key for key, value in credentials.items() if value is not None)
        read = any(v is not None for k, v in self._credentials.items() if k not in given)
        self._preferred = given if given and read else None
        self._given = given  # (also sent where an operation lists their schemes: `requirement`)
        # a credential that is a token source (a callable, `OAuth2ClientCredentials`)
        self._token_sources = any(
            callable(v) or hasattr(v, "atoken") for v in self._credentials.values()
        )
        agent = f"{user_agent} python-httpx/{httpx.__version__}".strip()
        self._default_headers = {"User-Agent": agent, **dict(default_headers or {})}
        if not all(
            isinstance(k, str) and isinstance(v, str) for k, v in self._default_headers.items()
        ):
            raise TypeError("default_headers: a header's name and value are text")

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
        base_url: str | NotGiven = NOT_GIVEN,
    ) -> _ClientT:
        """A copy of this client (sharing its connection pool) with other defaults; another
        `base_url` (one of the spec's other servers: a sandbox) is the copy's."""
        clone = copy.copy(self)
        if not isinstance(base_url, NotGiven):
            if "?" in base_url or "#" in base_url:
                raise ValueError("base_url must not have a query or fragment (`?`, `#`)")
            clone.base_url = _joined(base_url, self._relative_default)
            # an operation's own server is used only with the spec's default base URL
            clone._spec_servers = self._spec_servers and clone.base_url == self.base_url
            if clone.base_url != self.base_url:  # (a token endpoint on the server moves too)
                clone._credentials = for_base_url(
                    self._credentials, self._schemes, clone.base_url, self._default_base_url
                )
        if not isinstance(timeout, NotGiven):
            clone.timeout = checked_timeout(timeout)
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
    def _may_retry(
        self, op: OperationInfo, request: httpx.Request, unprocessed: bool = False
    ) -> bool:
        """Whether `request` may be sent again: an idempotent operation, or one sent with an
        idempotency key; any, where the server did not act on it (`unprocessed`: no
        connection was made, or it answered 429), as OpenAI's SDK and httpx's own
        transport retries have it (billing audit: Adyen's `/payments` raised at once on a
        refused connection). Never a body streamed from an iterator: it is used up."""
        if request.extensions.get(STREAMED_BODY):
            return False
        if unprocessed or request.extensions.get(KEYED_BODY):
            return True
        # (Open Banking's `x-idempotency-key`, the spec's own header, says as much: UX audit 9)
        headers = request.headers
        return op.idempotent or "Idempotency-Key" in headers or "X-Idempotency-Key" in headers

    @staticmethod
    def _retryable_status(status_code: int) -> bool:
        return status_code in _RETRY_STATUSES or status_code >= 500

    @staticmethod
    def _backoff(attempt: int) -> float:
        """Seconds before attempt `attempt + 2`: exponential, with jitter, capped."""
        delay = min(INITIAL_RETRY_DELAY * (2.0**attempt), MAX_RETRY_DELAY)
        return delay * (1.0 - 0.25 * random.random())

    @classmethod
    def _retry_delay(cls, attempt: int, response: httpx.Response) -> float | None:
        """Seconds before a request whose `response` may be retried is sent again: the wait
        the server asks for (`Retry-After`, a 429's rate-limit reset), else the backoff;
        None when the server asks for longer than `MAX_RETRY_AFTER`: not retried, its error
        says how long (`retry_after`; Twitter's 15-minute window was retried twice within
        1.4 s: UX audit 15)."""
        wait = server_wait(response.status_code, response.headers)
        if wait is None:
            return cls._backoff(attempt)
        return wait if wait <= MAX_RETRY_AFTER else None

    def _logged(
        self, op: OperationInfo, secrets: list[str], named: frozenset[str] = frozenset()
    ) -> tuple[frozenset[str], tuple[str, ...]]:
        """What the logs of this request leave out: the query parameter names of the
        credentials, of the operation's secret parameters and `named` (`extra_query`'s
        secrets), and every secret value."""
        names = self._query_credentials | named if named else self._query_credentials
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


def connection_failed(
    request: httpx.Request, exc: httpx.TransportError, secrets: Iterable[str]
) -> str:
    """An `APIConnectionError`'s message: the error, the host and what the transport said
    (`Connection error: ConnectError` named neither the host nor a DNS failure or a refusal:
    UX audit 10), secrets redacted."""
    said = " ".join(str(exc).split())[:200]
    text = f"Connection error: {type(exc).__name__} ({request.url.host})"
    return scrub(f"{text}: {said}" if said else text, secrets)


def unreadable_response(
    request: httpx.Request, exc: UnicodeError | httpx.InvalidURL
) -> httpx.RemoteProtocolError:
    """The transport error of a response httpx could not read: a redirect's `Location` whose
    host is a malformed IDNA label (`https://xn--/`) raised `IDNAError` out of its `send`
    (hostile audit 12), one with a scheme and no host (`javascript:…`, `https:x`) httpx's
    `InvalidURL` (hostile audit 18), though the redirect is not followed."""
    return httpx.RemoteProtocolError(f"unreadable response: {type(exc).__name__}", request=request)


def unsent_request(request: httpx.Request, exc: Exception) -> httpx.LocalProtocolError | None:
    """httpx's transport error for an exception of the HTTP libraries under it that httpx
    let out of `send` (h11's `LocalProtocolError` when a body outgrew its `Content-Length`
    came out raw, past `except APIError` and the retry rules: media audit 2); None for
    any other exception."""
    if type(exc).__module__.partition(".")[0] not in ("h11", "h2", "hpack", "httpcore"):
        return None
    said = f"the request could not be sent: {type(exc).__name__}: {exc}"
    return httpx.LocalProtocolError(said, request=request)


def unusable_pool(
    http: httpx.Client | httpx.AsyncClient, request: httpx.Request, exc: RuntimeError
) -> errors.APIError | None:
    """The package's error for httpx's `RuntimeError` out of `send`: the httpx client was
    closed (the client's `close()`, or a `with_options` copy's parent's), or the async
    client's connections belong to an event loop that has ended (a second `asyncio.run`);
    None for any other (raised as it is). Both were httpx's bare `RuntimeError`."""
    if http.is_closed:
        return ClientClosedError("the client is closed: no request can be sent")
    if "event loop is closed" in str(exc).lower():
        message = (
            "the client's connections belong to an event loop that has ended: make the"
            " async client in the event loop that uses it (one per `asyncio.run`)"
        )
        return errors.APIConnectionError(message, request=request)
    return None


def _relative_path(default_base_url: str | None) -> str:
    """The path of a spec's relative server (Gitea's `/api/v1`), else an empty string."""
    if not default_base_url or not default_base_url.startswith("/"):
        return ""
    return "" if default_base_url.startswith("//") else default_base_url.strip("/")


def _joined(base_url: str, relative: str) -> str:
    """The base URL a client sends to: the one given, and, where the spec's server is a path
    relative to where the API is served (Gitea's `/api/v1`) and the one given is an origin
    alone (`https://gitea.example.com`), that path below it, as OpenAPI resolves it: calls
    went to the web UI, whose login page came back as a string (newcomer audit 23)."""
    base_url = base_url.rstrip("/")
    if relative and "://" in base_url and "/" not in base_url.partition("://")[2]:
        return f"{base_url}/{relative}"
    return base_url
