"""Origins: which URLs are the API's, how a URL is shown (in reprs, and in logs: the
package's own and httpx's line of a request being sent), and the request a redirect asks
for (same-origin redirects as the same request, others bare).

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import functools
import logging
from contextvars import ContextVar
from typing import Any, cast

import httpx

from . import errors
from ._redaction import redact
from ._sentinels import FOREIGN_ORIGIN

__all__ = [
    "LOGGED",
    "ShownHeaders",
    "ShownRequest",
    "ShownURL",
    "client_auth",
    "hide_header_secrets",
    "hide_secrets",
    "logged_url",
    "redirect",
    "same_origin",
    "shown_url",
]


def shown_url(url: httpx.URL | str) -> httpx.URL:
    """`url` as reprs and logs show it: a password in its userinfo (`https://user:pw@host`)
    is `***`."""
    url = httpx.URL(url)
    if b":" in url.userinfo:
        url = url.copy_with(userinfo=url.userinfo.split(b":", 1)[0] + b":***")
    return url


# (query parameter names, secret values) to redact from the URL of a request while it is
# being sent: httpx logs each request's URL (`HTTP Request: GET <url> …`) at INFO
LOGGED: ContextVar[tuple[frozenset[str], tuple[str, ...]] | None] = ContextVar(
    "logged", default=None
)


def logged_url(url: httpx.URL, names: frozenset[str], secrets: tuple[str, ...]) -> str:
    """`url` as logs show it: a password in its user info masked, the query parameters
    named `names` (credentials, secret parameters) and every secret value (as sent, in the
    path or the query) `[redacted]`."""
    url = shown_url(url)
    if names and url.params:
        url = url.copy_with(
            params=[(k, "[redacted]" if k in names else v) for k, v in url.params.multi_items()]
        )
    shown = str(url)
    return redact(shown, secrets)


class ShownURL(httpx.URL):
    """The URL of a request this package sends, whose `repr` leaves out what the logs leave
    out (`logged_url`). A `repr` reaches error trackers' captured locals, tracebacks that
    show locals and `print(e.response.request)`: it showed a query's API key. Its text, and
    what is sent, are the URL's own."""

    shown: tuple[frozenset[str], tuple[str, ...]]

    def __repr__(self) -> str:
        return f"URL({logged_url(self, *self.shown)!r})"


class ShownRequest(httpx.Request):
    """A request this package sends, whose `repr` shows its URL as the logs do (whatever URL
    it holds: an event hook may give it another, `request.url = …`)."""

    shown: tuple[frozenset[str], tuple[str, ...]]

    def __repr__(self) -> str:
        return f"<Request({self.method!r}, {logged_url(self.url, *self.shown)!r})>"


class ShownHeaders(httpx.Headers):
    """The headers of a request this package sends, whose `repr` masks a header holding a
    secret as httpx masks `Authorization` (`[secure]`): an API key's or a password's header
    showed in `repr(e.response.request.headers)` (hostile sweep)."""

    shown: tuple[str, ...]

    def __repr__(self) -> str:
        secrets = [secret for secret in self.shown if secret]
        items = [
            (name, "[secure]" if _secure(name, value, secrets) else value)
            for name, value in self.multi_items()
        ]
        as_dict = dict(items)
        return f"Headers({as_dict if len(as_dict) == len(items) else items!r})"


def _secure(name: str, value: str, secrets: list[str]) -> bool:
    return name.lower() in _SECURE_HEADERS or any(secret in value for secret in secrets)


_SECURE_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})


def hide_secrets(request: httpx.Request, logged: tuple[frozenset[str], tuple[str, ...]]) -> None:
    """Make the `repr` of `request` and of its URL leave out the query parameters named
    `logged[0]` and the secret values `logged[1]` (its headers': `hide_header_secrets`,
    once sent): the same objects, their classes changed (what httpx and a transport read
    of them is unchanged)."""
    if logged[0] or logged[1] or request.url.userinfo:
        url = request.url
        url.__class__ = ShownURL
        cast(ShownURL, url).shown = logged
        request.__class__ = ShownRequest
        cast(ShownRequest, request).shown = logged


def hide_header_secrets(request: httpx.Request) -> None:
    """Make the `repr` of the headers of `request` (sent, or failed to send) mask those
    holding its secrets (`ShownHeaders`): after sending, since httpx reads a subclass's
    headers more slowly (~2 µs a call)."""
    if type(request) is ShownRequest and type(request.headers) is httpx.Headers:
        secrets = request.shown[1]
        if secrets:
            request.headers.__class__ = ShownHeaders
            cast(ShownHeaders, request.headers).shown = secrets


class _RedactSending(logging.Filter):
    """Takes the credentials and secret parameters of a request this package sends out of
    httpx's own log line of it (the URL is the one part of a request httpx logs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        logged = LOGGED.get()
        if logged is not None and isinstance(record.args, tuple):
            record.args = tuple(
                logged_url(a, *logged) if isinstance(a, httpx.URL) else a for a in record.args
            )
        return True


class _RedactTrace(logging.Filter):
    """Takes the secrets of a request this package sends out of httpcore's DEBUG trace
    lines, whose text holds the response's headers as received (a redirect's `Location`
    repeating the query's API key and token showed both; runtime audit 20)."""

    def filter(self, record: logging.LogRecord) -> bool:
        logged = LOGGED.get()
        if logged is not None and logged[1] and not record.args:
            record.msg = redact(str(record.msg), logged[1])
        return True


logging.getLogger("httpx").addFilter(_RedactSending())
for _name in ("connection", "http11", "http2", "proxy", "socks"):  # (httpcore's loggers)
    logging.getLogger(f"httpcore.{_name}").addFilter(_RedactTrace())


def same_origin(url: httpx.URL | str, other: httpx.URL | str) -> bool:
    """True when both URLs have the same scheme, host and port (default ports included);
    False when either is not a URL."""
    a, b = _origin(url), _origin(other)
    return a is not None and a == b


def trusted_server(server: str, base: str, tenants: str = "") -> bool:
    """Do the client's credentials go to an operation's own server (the spec's)? Where it
    is on the base URL's site (Stripe's files.stripe.com beside api.stripe.com) and not in
    clear text where the base URL is not: a spec's `servers` sent the API key and the token
    to another host, a look-alike or an `http://` downgrade (hostile audit 8). A host under
    `tenants`, the domain where the spec's server host begins with a variable (Shopify's
    `{shop}.myshopify.com`), is its own site (hostile audit 10)."""
    a, b = _origin(server), _origin(base)
    if a is None or b is None or (a[0] == "http" and b[0] != "http"):
        return False
    return site(a[1], tenants) == site(b[1], tenants)


# domains whose hosts belong to different owners (each tenant's app, function, bucket, shop
# or help desk): a host there is its own site (hostile audit 9: `attacker.azurewebsites.net`
# beside the API's `vendor.azurewebsites.net` got the token; audit 10: Shopify's, Zendesk's,
# Chargebee's tenants, Lambda's function URLs)
SHARED_HOSTING = (
    "amazonaws.com",
    "appspot.com",
    "atlassian.net",
    "auth0.com",
    "azure-api.net",
    "azurestaticapps.net",
    "azurewebsites.net",
    "azurefd.net",
    "blogspot.com",
    "chargebee.com",
    "cloudapp.azure.com",
    "cloudapp.net",
    "cloudfront.net",
    "cloudfunctions.net",
    "deno.dev",
    "elasticbeanstalk.com",
    "firebaseapp.com",
    "fly.dev",
    "force.com",
    "freshdesk.com",
    "github.io",
    "gitlab.io",
    "glitch.me",
    "herokuapp.com",
    "my.salesforce.com",
    "myshopify.com",
    "netlify.app",
    "ngrok-free.app",
    "ngrok.io",
    "okta.com",
    "on.aws",
    "ondigitalocean.app",
    "onrender.com",
    "pages.dev",
    "r2.dev",
    "railway.app",
    "recurly.com",
    "run.app",
    "service-now.com",
    "sharepoint.com",
    "trafficmanager.net",
    "us.com",
    "vercel.app",
    "web.app",
    "windows.net",
    "workers.dev",
    "zendesk.com",
)
_SHARED = tuple("." + suffix for suffix in SHARED_HOSTING)


def site(host: str, tenants: str = "") -> str:
    """A host's site: its last two labels, three under a two-letter country code with a
    short second level (`example.co.uk`); an IP address, or a host of a shared hosting
    domain (`SHARED_HOSTING`) or of `tenants`, is its own."""
    host = host.lower().rstrip(".")
    labels = host.split(".")
    if ":" in host or labels[-1].isdigit() or host.endswith(_SHARED):
        return host
    if tenants and host.endswith("." + tenants):
        return host
    keep = 3 if len(labels) > 2 and len(labels[-1]) == 2 and len(labels[-2]) <= 3 else 2
    return ".".join(labels[-keep:])


def token_url_for(token_url: str, base_url: str, default_base_url: str) -> str:
    """The spec's token endpoint for a client whose base URL is another server of the
    spec's own site than its default (production beside the sandbox): on that server's
    origin where the endpoint is on the default server's (Velo's production client secret
    went to its sandbox's `/v1/authenticate`, and the token it got was the sandbox's:
    payments audit 21). Elsewhere (a proxy, a mock, an authorization server of its own)
    the endpoint as the spec gives it."""
    token, default, base = _origin(token_url), _origin(default_base_url), _origin(base_url)
    if token is None or default is None or base is None or token != default or base == default:
        return token_url
    if base[0] != "https" or site(base[1]) != site(default[1]):
        return token_url
    return str(httpx.URL(token_url).copy_with(scheme=base[0], host=base[1], port=base[2]))


def _origin(url: httpx.URL | str) -> tuple[str, str, int | None] | None:
    """(scheme, host, port) of a URL, None when it is not one. A base URL's is remembered
    (a paginator checks every next link against the same one); a URL that may carry a
    credential (a query, user info) is not kept."""
    if not isinstance(url, str):
        return (url.scheme, url.host, url.port)
    scheme, sep, rest = url.partition("://")
    if sep and rest.isprintable():  # only `scheme://authority` is parsed: the authority
        # ends at the first `/`, `?` or `#`, as httpx reads it (parsing a next-page link
        # whole, its query included, was ~30 µs of every page); a URL with a control
        # character is parsed whole, and is none
        ends = [at for at in (rest.find("/"), rest.find("?"), rest.find("#")) if at >= 0]
        url = f"{scheme}://{rest[: min(ends)] if ends else rest}"
    if "?" in url or "@" in url:
        return _text_origin.__wrapped__(url)
    return _text_origin(url)


@functools.lru_cache(maxsize=64)
def _text_origin(url: str) -> tuple[str, str, int | None] | None:
    try:
        parsed = httpx.URL(url)
        return (parsed.scheme, parsed.host, parsed.port)
    except (httpx.InvalidURL, ValueError):  # (a malformed IDNA host, `xn--`: hostile audit 12)
        return None


def redirect(request: httpx.Request, response: httpx.Response) -> httpx.Request:
    """The request a redirect asks for: a 303 ("see other": the request was carried out,
    its result is there) becomes a GET without a body; a 301, 302, 307 or 308 repeats the
    request, its method and body, at the new place (a POST answered 301 went there as a
    GET, and what that returned was the POST's result: SendGrid's mail was never sent; UX
    audit 18). To another origin (GitHub's archive downloads on `codeload.github.com`,
    Twilio's signed S3 links), only a GET or HEAD is followed, as a bare request: no
    credential, cookie or body leaves the API, only `Accept`, `Accept-Encoding`,
    `User-Agent` and `Range`; any other method raises."""
    target = request.url.join(response.headers["location"])
    method, content = request.method, request.content
    headers = request.headers.copy()
    if response.status_code == 303:
        method, content = ("HEAD" if method == "HEAD" else "GET"), b""
        for name in ("content-type", "content-length", "transfer-encoding"):
            headers.pop(name, None)
    timeout = request.extensions.get("timeout")
    extensions = {"timeout": timeout} if timeout is not None else {}
    # once away from the API, every further hop stays bare (even one back to the API)
    if request.extensions.get(FOREIGN_ORIGIN) or not same_origin(target, request.url):
        if method not in ("GET", "HEAD"):
            raise errors.APIConnectionError(
                f"{response.status_code} redirect of a {method} to another origin "
                f"({target.scheme}://{target.host}) not followed: the request was not carried"
                " out, and its body stays with the API (give that origin as base_url if it is"
                " the API's)",
                request=request,
            )
        bare = {k: v for k, v in headers.items() if k.lower() in _BARE_HEADERS}
        extensions[FOREIGN_ORIGIN] = True
        return httpx.Request(method, target, headers=bare, extensions=extensions)
    return httpx.Request(
        method, target, headers=headers, content=content or None, extensions=extensions
    )


def client_auth(request: httpx.Request) -> Any:
    """The `auth` to send `request` with: the http client's own (`httpx.Client(auth=…)`),
    except on a request a redirect took to another origin, which gets none (httpx's `send`
    applies the client's `auth` to every request it is given)."""
    return None if request.extensions.get(FOREIGN_ORIGIN) else httpx.USE_CLIENT_DEFAULT


# what a request followed to another origin keeps of the API's request
_BARE_HEADERS = frozenset({"accept", "accept-encoding", "user-agent", "range"})
