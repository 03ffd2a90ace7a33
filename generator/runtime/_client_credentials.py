"""OAuth2's client-credentials flow: an access token fetched from the token endpoint,
cached, and fetched again shortly before it expires.

The helper is a credential for both clients. `Client` calls it (`__call__`): one thread
at a time fetches, under a `threading.Lock`. `AsyncClient` awaits `atoken()` instead: the
token request is sent with an `httpx.AsyncClient` under an `asyncio.Lock` (one per event
loop), so that a refresh never blocks the event loop, and concurrent calls that find the
token expired wait for one request rather than each sending their own.

This module is plain Python, copied verbatim into every generated package whose spec
declares a client-credentials flow; `_oauth2.py` gives the helper the spec's token URL.
"""

from __future__ import annotations

import copy
import threading
import time
import weakref
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any

import httpx

from . import errors
from ._binary import SizeLimit, stacked_codings
from ._origins import LOGGED

_MAX_LIFETIME = 366 * 86400.0  # seconds a token is kept at most, whatever it says
_MAX_TOKEN_RESPONSE = 1 << 20  # bytes of a token response read at most

if TYPE_CHECKING:  # imported where a lock is made: a sync user never pays for asyncio
    import asyncio

__all__ = ["ClientCredentials"]


class ClientCredentials:
    """A callable credential: returns a cached access token, fetching a new one `leeway`
    seconds before the current one expires (`expires_in`, else an hour).

    `http_client` sends the token request of `Client`, `async_http_client` that of
    `AsyncClient` (when not given, a client is opened for each request). The client
    secret and the token never appear in `repr()`.
    """

    default_token_url = ""
    """The token endpoint when `token_url` is not given (the spec's, in `_oauth2.py`)."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        token_url: str | None = None,
        scope: str | None = None,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        leeway: float = 60.0,
    ) -> None:
        self.client_id = client_id
        self._client_secret = client_secret
        self.token_url = token_url or self.default_token_url
        # the token endpoint is the caller's (`token_url=`), else that of the scheme the
        # helper is given for, once a client takes it (`adopt_token_url`)
        self._token_url_given = bool(token_url)
        self._adopted: str | None = None
        if not self.token_url:
            raise ValueError("token_url is required: the spec declares no token endpoint")
        if not _secure(self.token_url):  # (the client secret went there in clear text)
            raise ValueError("token_url must be https:// (the client secret is sent there)")
        self.scope = scope
        self._http = http_client
        self._async_http = async_http_client
        self._leeway = leeway
        self._token: str | None = None
        self._expires_at = 0.0
        self._refresh_at = 0.0
        self._lock = threading.Lock()
        self._async_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock]
        self._async_locks = weakref.WeakKeyDictionary()
        self._other_lock: AbstractAsyncContextManager[Any] | None = None  # (trio's)

    def __repr__(self) -> str:
        name = type(self).__name__
        shown = _shown(self.token_url)
        return f"{name}(client_id={self.client_id!r}, token_url={shown!r})"

    def adopt_token_url(self, token_url: str) -> None:
        """Take the token endpoint of the scheme a client is given this helper for, unless
        `token_url=` was given: a spec may declare a client-credentials flow for each of two
        schemes (Velo Payments' `OAuth2` and `oAuthVeloBackOffice`), each with its own
        endpoint, and the client secret went to the first one's. One helper serves one
        endpoint: a second, different one is refused (give each scheme its own helper)."""
        if self._token_url_given or token_url == self._adopted:
            return
        if self._adopted is not None or (self._token is not None and token_url != self.token_url):
            raise ValueError(
                "this OAuth2ClientCredentials already serves another token endpoint: "
                "give each security scheme its own helper"
            )
        if not _secure(token_url):
            raise ValueError("token_url must be https:// (the client secret is sent there)")
        self.token_url = self._adopted = token_url

    def _for_endpoint(self, token_url: str) -> ClientCredentials:
        """A copy of this helper that fetches its own token from `token_url`: the helper of
        a client copied onto another of the spec's servers (`with_options(base_url=)`),
        whose token endpoint moves with it. The copy shares no token and no lock."""
        if not _secure(token_url):
            raise ValueError("token_url must be https:// (the client secret is sent there)")
        twin = copy.copy(self)
        twin.token_url = twin._adopted = token_url
        twin._token = None
        twin._expires_at = twin._refresh_at = 0.0
        twin._lock = threading.Lock()
        twin._async_locks = weakref.WeakKeyDictionary()
        twin._other_lock = None
        return twin

    def __call__(self) -> str:
        """The access token, fetched (blocking) when there is none or it is about to expire."""
        with self._lock:
            if self._stale():
                client = self._http or httpx.Client()
                sending = LOGGED.set(self._logged())  # httpx logs the URL: redacted
                try:
                    with client.stream("POST", self.token_url, **self._token_request()) as answer:
                        body = self._limited(answer)
                        for chunk in answer.iter_bytes():
                            body.add(chunk)
                        body.keep()
                        response = answer
                except (httpx.HTTPError, httpx.InvalidURL, UnicodeError) as exc:
                    raise _token_error(exc, self.token_url) from None
                finally:
                    LOGGED.reset(sending)
                    if self._http is None:
                        client.close()
                self._keep(response)
            assert self._token is not None
            return self._token

    async def atoken(self) -> str:
        """The access token on `AsyncClient`: fetched without blocking the event loop, by
        one task while the others that need it wait."""
        async with self._async_lock():
            if self._stale():
                client = self._async_http or httpx.AsyncClient()
                sending = LOGGED.set(self._logged())  # httpx logs the URL: redacted
                try:
                    options = self._token_request()
                    auth = options.pop("auth")
                    request = client.build_request("POST", self.token_url, **options)
                    answer = await client.send(request, auth=auth, stream=True)
                    try:
                        body = self._limited(answer)
                        async for chunk in answer.aiter_bytes():
                            body.add(chunk)
                        body.keep()
                    finally:
                        await answer.aclose()
                    response = answer
                except (httpx.HTTPError, httpx.InvalidURL, UnicodeError) as exc:
                    raise _token_error(exc, self.token_url) from None
                finally:
                    LOGGED.reset(sending)
                    if self._async_http is None:
                        await client.aclose()
                self._keep(response)
            assert self._token is not None
            return self._token

    def _stale(self) -> bool:
        return self._token is None or time.monotonic() >= self._refresh_at

    def _async_lock(self) -> AbstractAsyncContextManager[Any]:
        """This event loop's lock (an `asyncio.Lock` belongs to the loop it first waits in);
        under another event loop than asyncio's (trio), anyio's (`asyncio` raised there:
        runtime audit 20)."""
        import asyncio

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            if self._other_lock is None:
                import anyio

                self._other_lock = anyio.Lock()
            return self._other_lock
        lock = self._async_locks.get(loop)
        if lock is None:
            lock = self._async_locks[loop] = asyncio.Lock()
        return lock

    def _token_request(self) -> dict[str, Any]:
        data = {"grant_type": "client_credentials"}
        if self.scope:
            data["scope"] = self.scope
        return {
            "data": data,
            "auth": (self.client_id, self._client_secret),
            "headers": {"Accept": "application/json"},
        }

    def _logged(self) -> tuple[frozenset[str], tuple[str, ...]]:
        """What the log line of the token request leaves out: the token URL's query values
        (a key written there) and the client secret (its password is masked anyway:
        `logged_url`); httpx's line showed both (hostile audit 12)."""
        try:
            names = frozenset(httpx.URL(self.token_url).params.keys())
        except (httpx.InvalidURL, ValueError):
            names = frozenset()
        return names, (self._client_secret,)

    @staticmethod
    def _limited(response: httpx.Response) -> SizeLimit:
        """The token response's body collector: at most `_MAX_TOKEN_RESPONSE` bytes, in no
        coding that expands past that before it is counted (a token endpoint's 300 MiB was
        read whole: hostile audit 12)."""
        coded = stacked_codings(response)
        if coded is not None:
            raise coded
        return SizeLimit(response, _MAX_TOKEN_RESPONSE)

    def _keep(self, response: httpx.Response) -> None:
        """Keep the token a token response carries; raise the error a failure means."""
        if response.status_code != 200:  # (an endpoint may echo what it was sent)
            sent = response.request.headers.get("authorization", "").partition(" ")[2]
            secrets = [self._client_secret, sent]
            # (said: it surfaced as the operation's own 404, with no word of the token)
            context = f"the token request to {_shown(str(response.request.url))} failed: "
            raise errors.error_class_for(response.status_code)(
                response=response, secrets=secrets, context=context
            )
        payload = errors.response_json(response)  # (a deeply nested one: RecursionError)
        token = payload.get("access_token") if isinstance(payload, dict) else None
        if not isinstance(token, str):
            raise errors.APIResponseValidationError(
                "the token endpoint answered without an access_token", response=response
            )
        self._token = token
        expires_in = payload.get("expires_in") if isinstance(payload, dict) else None
        lifetime = 3600.0
        if isinstance(expires_in, (int, float)) and not isinstance(expires_in, bool):
            # (a number past a float's range, NaN or below zero: bounded, never a refresh
            # that does not come)
            seconds = float(min(expires_in, _MAX_LIFETIME))
            lifetime = max(0.0, seconds) if seconds == seconds else lifetime
        self._expires_at = time.monotonic() + lifetime
        # (a token living no longer than the leeway was stale as soon as fetched: every call
        # fetched another; payments audit 21) refreshed past half its life at the latest
        self._refresh_at = self._expires_at - min(self._leeway, lifetime / 2)


def _token_error(exc: Exception, token_url: str) -> errors.APIError:
    """The package's error for a token request that failed in transport (httpx's own
    `ConnectError` or `ReadTimeout` came out of the operation's call: hostile audit 12), or
    whose answer httpx could not read: a redirect to `javascript:…` (`InvalidURL`) or to a
    malformed IDNA host (`UnicodeError`), which httpx reads even when not following it
    (hostile audit 18)."""
    request: httpx.Request | None = None
    if isinstance(exc, httpx.HTTPError):
        try:
            request = exc.request
        except RuntimeError:  # (none set)
            request = None
    if isinstance(exc, httpx.TimeoutException):
        return errors.APITimeoutError(request=request)
    where = f" to {_shown(str(request.url) if request is not None else token_url)}"
    return errors.APIConnectionError(
        f"the token request{where} failed: {type(exc).__name__}", request=request
    )


def _shown(url: str) -> str:
    """A token URL as messages show it: no user info, no query (a password or a key written
    into it stays out of reprs and errors: hostile audit 11)."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        return "(the token URL)"
    port = f":{parsed.port}" if parsed.port is not None else ""
    return f"{parsed.scheme}://{parsed.host}{port}{parsed.path}"


def _secure(url: str) -> bool:
    """Is a token endpoint fit for a client secret: https, or http to this machine?"""
    if url.lower().startswith("https://"):
        return True
    try:
        host = httpx.URL(url).host
    except (httpx.InvalidURL, ValueError):
        return False
    return url.lower().startswith("http://") and host in ("localhost", "127.0.0.1", "::1")
