"""The synchronous request loop: send, follow same-origin redirects, retry, read within the
size limit, parse.

Derived from `_async_client.py` by billing-sdkgen's unasync transform
(`python -m generator.unasync`): edit that module, never this one. Like it, this
module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, overload

import httpx

from . import _lazy, errors
from ._auth import SchemeInfo, fresh_credentials
from ._base_client import (
    DEFAULT_MAX_RESPONSE_SIZE,
    MAX_REDIRECTS,
    EventHooks,
    HttpPool,
    _BaseClient,
    connection_failed,
    unreadable_response,
    unsent_request,
    unusable_pool,
)
from ._binary import BinaryResponse, SizeLimit, stacked_codings
from ._origins import LOGGED, client_auth, hide_header_secrets, hide_secrets, redirect
from ._sentinels import NOT_GIVEN, NotGiven
from ._undocumented import Files, Headers, Query, Timeout, Verb, undocumented_call

if TYPE_CHECKING:
    from ._operation import OperationInfo
    from ._undocumented import VerbCall

__all__ = ["SyncAPIClient", "SyncAPIResource"]

_T = TypeVar("_T")
_ClientT = TypeVar("_ClientT", bound="_SyncRequestLoop")
_ResourceT = TypeVar("_ResourceT", bound="SyncAPIResource")


class _SyncRequestLoop(_BaseClient):
    """The synchronous request loop: send, retry, parse."""

    def __init__(
        self,
        *,
        base_url: str,
        credentials: Mapping[str, Any],
        schemes: Mapping[str, SchemeInfo],
        http_client: httpx.Client | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        user_agent: str = "",
        max_response_size: int | None = DEFAULT_MAX_RESPONSE_SIZE,
        strict_response_validation: bool = False,
        security: tuple[tuple[str, ...], ...] = (),
        event_hooks: EventHooks | None = None,
        default_base_url: str | None = None,
        base_url_variable: str = "",
        client_parameters: Mapping[tuple[str, str], tuple[str | None, str, str]] | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            default_base_url=default_base_url,
            base_url_variable=base_url_variable,
            client_parameters=client_parameters,
            credentials=credentials,
            schemes=schemes,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            user_agent=user_agent,
            max_response_size=max_response_size,
            strict_response_validation=strict_response_validation,
            security=security,
        )
        if http_client is not None and event_hooks:
            raise ValueError("give event_hooks= to your own http_client (or no http_client)")
        self._owns_http_client = http_client is None
        self._pool = HttpPool(http_client, lambda: httpx.Client(event_hooks=event_hooks))

    @property
    def _http(self) -> httpx.Client:
        """The httpx client (made at the first request when none was given)."""
        return self._pool.get()

    def close(self) -> None:
        """Close the connection pool (only when this client created it)."""
        if self._owns_http_client:
            self._pool.closed = True
            made = self._pool.made()
            if made is not None:
                made.close()

    def __enter__(self: _ClientT) -> _ClientT:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _call(
        self,
        op: OperationInfo,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        cookies: Mapping[str, Any] | None = None,
        body: Any = None,
        content_type: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        raw: bool = False,
        url: str | None = None,
        stream: bool = False,
        received: frozenset[str] = frozenset(),
    ) -> Any:
        """Send the operation's request and parse the response as the spec says.

        A body that streams (events, JSON Lines, or binary with `stream=True`) is left on
        the connection for the object returned, which releases it when closed. `received`:
        query parameters holding the server's next-page token, sent unchecked."""
        secrets: list[str] = []
        http = self._http
        draft = self._check_request(
            http,
            op,
            url=url,
            path=path,
            query=query,
            headers=headers,
            cookies=cookies,
            body=body,
            content_type=content_type,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            idempotency_key=idempotency_key,
            timeout=timeout,
            secrets=secrets,
            received=received,
        )
        # checked first: a request that is refused fetches no token
        credentials = self._credentials
        if self._token_sources:  # made fresh for each request (else as they are, no copy)
            credentials = fresh_credentials(draft.op, credentials, self._preferred, self._given)
        request = self._build_request(http, draft, credentials, secrets)
        logged = self._logged(draft.op, secrets, draft.secret_query)
        hide_secrets(request, logged)  # (its repr: an error's `response.request` showed them)
        retries = self.max_retries if max_retries is None else max_retries
        sent = request  # whether it may be sent again is asked of it, on the first failure
        attempt = 0
        redirects = 0
        while True:
            started = time.monotonic()
            response: httpx.Response | None = None
            try:
                # redirects are followed here, same origin only (never by the http client)
                sending = LOGGED.set(logged)  # httpx logs the URL: redacted
                try:
                    response = http.send(
                        request, auth=client_auth(request), follow_redirects=False, stream=True
                    )
                except (UnicodeError, httpx.InvalidURL) as exc:
                    raise unreadable_response(request, exc) from None
                except RuntimeError as exc:  # (a closed client, an ended event loop)
                    unusable = unusable_pool(http, request, exc)
                    if unusable is None:
                        raise
                    raise unusable from None
                except Exception as exc:  # (h11's own, say)
                    internal = unsent_request(request, exc)
                    if internal is None:
                        raise
                    raise internal from None
                finally:
                    LOGGED.reset(sending)
                    hide_header_secrets(request)
                # (httpx's is_redirect holds without a Location: that is no redirect to follow)
                follow = response.is_redirect and redirects < MAX_REDIRECTS
                follow = follow and "location" in response.headers
                again = attempt < retries and self._retryable_status(response.status_code)
                again = again and self._may_retry(op, sent, response.status_code == 429)
                # (None: the server asks for a longer wait than the cap, raised at once)
                wait = self._retry_delay(attempt, response) if again else None
                again = wait is not None
                if follow or again:
                    response.close()
                else:
                    stacked = stacked_codings(response)
                    if stacked is not None:
                        response.close()
                        raise stacked
                    strict = self.strict_response_validation
                    if not _lazy._responses.streams_body(op, response, stream, strict):
                        self._read(response)
            except httpx.TimeoutException as exc:
                self._log(request, "timeout", attempt, started, logged)
                # (no connection made, or none free in the pool: nothing was sent)
                unsent = isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout))
                if attempt < retries and self._may_retry(op, sent, unsent):
                    time.sleep(self._backoff(attempt))
                    attempt += 1
                    continue
                raise errors.APITimeoutError(request=request) from None
            except httpx.DecodingError as exc:
                raise _lazy._responses.undecodable(request, response, exc) from None
            except httpx.TransportError as exc:
                self._log(request, type(exc).__name__, attempt, started, logged)
                # (a request the protocol refuses, such as a header h11 cannot write, is
                # refused again on every attempt: not retried)
                local = isinstance(exc, httpx.LocalProtocolError)
                unsent = isinstance(exc, httpx.ConnectError)
                if attempt < retries and not local and self._may_retry(op, sent, unsent):
                    time.sleep(self._backoff(attempt))
                    attempt += 1
                    continue
                raise errors.APIConnectionError(
                    connection_failed(request, exc, secrets), request=request
                ) from None
            self._log(request, str(response.status_code), attempt, started, logged)
            if follow:
                request = redirect(request, response)
                hide_secrets(request, logged)
                redirects += 1
            elif wait is not None:
                time.sleep(wait)
                attempt += 1
            else:
                return _lazy._responses.handle(
                    op,
                    response,
                    raw,
                    secrets,
                    max_size=self.max_response_size,
                    resume=self._resumer(op, request, logged),
                    max_reconnects=retries,
                    strict=self.strict_response_validation,
                    binary_class=BinaryResponse,
                    stream_class=_lazy._streams.Stream,
                )

    def _resumer(
        self,
        op: OperationInfo,
        request: httpx.Request,
        logged: tuple[frozenset[str], tuple[str, ...]],
    ) -> Callable[[str], httpx.Response] | None:
        """What a stream of events calls to reconnect; None where the request may not be sent
        again, as a retry may not (a POST without an idempotency key: the progress stream of a
        charge was resumed by sending the charge again, hostile audit 12; a streamed body)."""
        if not self._may_retry(op, request):
            return None
        if not isinstance(request.stream, httpx.ByteStream):
            return None  # (a multipart body is streamed: `_resume` cannot send it again)

        def resume(last_event_id: str) -> httpx.Response:
            return self._resume(op, request, last_event_id, logged)

        return resume

    def _resume(
        self,
        op: OperationInfo,
        request: httpx.Request,
        last_event_id: str,
        logged: tuple[frozenset[str], tuple[str, ...]],
    ) -> httpx.Response:
        """Send `request` again with `Last-Event-ID`; the response, left open when it is a
        stream again, else the error its status means. Logged as the request was (its URL
        redacted: the resumed one's showed a query credential, hostile audit 12)."""
        again = httpx.Request(
            request.method,
            request.url,
            # (UTF-8, as an EventSource sends it: a text header of an id that is not ASCII
            # raised httpx's UnicodeEncodeError)
            headers=[*request.headers.raw, (b"Last-Event-ID", last_event_id.encode())],
            content=request.content,
            extensions=request.extensions,
        )
        hide_secrets(again, logged)
        started = time.monotonic()
        sending = LOGGED.set(logged)
        try:
            try:
                response = self._http.send(
                    again, auth=client_auth(again), follow_redirects=False, stream=True
                )
            except (UnicodeError, httpx.InvalidURL) as exc:
                raise unreadable_response(again, exc) from None
        except httpx.TimeoutException:
            self._log(again, "timeout", 0, started, logged)
            raise errors.APITimeoutError(request=again) from None
        except httpx.TransportError as exc:
            self._log(again, type(exc).__name__, 0, started, logged)
            raise errors.APIConnectionError(
                connection_failed(again, exc, logged[1]), request=again
            ) from None
        finally:
            LOGGED.reset(sending)
            hide_header_secrets(again)
        self._log(again, str(response.status_code), 0, started, logged)
        stacked = stacked_codings(response)
        if stacked is not None:
            response.close()
            raise stacked
        if _lazy._responses.streams_body(op, response, False, self.strict_response_validation):
            return response
        self._read(response)
        # raises the error the response is
        _lazy._responses.handle(op, response, False, [], strict=self.strict_response_validation)
        raise errors.APIConnectionError("the event stream ended on resuming", request=again)

    def _read(self, response: httpx.Response) -> None:
        """Read the body, decoded, counting the bytes: `ResponseTooLargeError` as soon as
        the declared length or the bytes received pass `max_response_size`."""
        try:
            body = SizeLimit(response, self.max_response_size)
            for chunk in response.iter_bytes():
                body.add(chunk)
        finally:
            response.close()
        body.keep()


class SyncAPIResource:
    """Base of the generated resource classes: a group of operations sharing one client.

    The twin made by `_raw_twin()` (behind a resource's `with_raw_response`) returns each
    call's `RawResponse` instead of the parsed body.
    """

    def __init__(self, client: SyncAPIClient, *, raw: bool = False) -> None:
        self._client = client
        self._raw = raw

    def _raw_twin(self: _ResourceT) -> _ResourceT:
        return type(self)(self._client, raw=True)

    def _request(self, op: OperationInfo, **arguments: Any) -> Any:
        # (async: the client's coroutine is returned, not awaited here: a frame less per call)
        return self._client._call(op, raw=self._raw, **arguments)

    def _paged(
        self, page: Callable[..., Any], op: OperationInfo, info: Any, call: Mapping[str, Any]
    ) -> Any:
        """A paginated method's first page (`page`: the page class), not fetched yet; on the
        raw twin, its `RawResponse` (awaitable on the async client) whose `parsed` is the page."""
        first = page(self._client, op, info, call)
        return first._raw_first() if self._raw else first

    def _begin(
        self,
        poller: Any,
        op: OperationInfo,
        final_state_via: str | None,
        polling_interval: float | None,
        call: Mapping[str, Any],
    ) -> Any:
        """A long-running operation's first request, sent now, and its poller (`poller`:
        the class, `_polling.py`)."""
        poller.check_interval(polling_interval)  # (before anything is sent)
        initial = self._client._call(poller.initial_operation(op), raw=True, **call)
        return poller(self._client, op, final_state_via, polling_interval, initial, call)


class SyncAPIClient(_SyncRequestLoop):
    """The base of the generated synchronous clients: the request loop, and calls to
    endpoints the spec does not document (`request`, and `get`, `post`, `put`, `patch`,
    `delete`, which take the same arguments after the path), sent through it with the
    client's credentials, retries, redirect rule, size limit and errors.

    `cast_to` says what a success is parsed as: a pydantic model or any type pydantic
    validates, `str` for the text, `httpx.Response` for the response itself; without it,
    the JSON (text when the body is not JSON). `path` is relative to the base URL; an
    absolute URL is sent only on the API's origin (`RequestValidationError` otherwise).
    """

    get: Verb[VerbCall] = Verb("GET")
    post: Verb[VerbCall] = Verb("POST")
    put: Verb[VerbCall] = Verb("PUT")
    patch: Verb[VerbCall] = Verb("PATCH")
    delete: Verb[VerbCall] = Verb("DELETE")

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[_T],
        query: Query = None,
        body: Any = None,
        files: Files = None,
        headers: Headers = None,
        idempotency_key: str | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> _T: ...

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: None = None,
        query: Query = None,
        body: Any = None,
        files: Files = None,
        headers: Headers = None,
        idempotency_key: str | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> Any: ...

    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: Any = None,
        query: Query = None,
        body: Any = None,
        files: Files = None,
        headers: Headers = None,
        idempotency_key: str | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> Any:
        """Call `method` on `path`, an endpoint the spec does not document (see the class).
        `body` is sent as JSON (bytes as they are); with `files` (field name → bytes, a
        path, a binary file, a `(filename, content[, content_type])` tuple), the body's
        fields and the files go as `multipart/form-data`, as httpx's `files=`. GET, HEAD,
        PUT, DELETE and OPTIONS are retried, other methods only with an `idempotency_key`."""
        origin = self.base_url or str(self._http.base_url)
        op, url, files = undocumented_call(
            method,
            path,
            cast_to=cast_to,
            body=body,
            origin=origin,
            security=self._security,
            files=files,
        )
        raw = self._call(
            op,
            url=url,
            body=body,
            extra_body=files,
            extra_query=query,
            extra_headers=headers,
            idempotency_key=idempotency_key,
            timeout=timeout,
            raw=True,
        )
        return raw.http_response if cast_to is httpx.Response else raw.parsed
