"""Checking and encoding a request (`_RequestBuilder`): an operation's arguments, then its
credentials, into an `httpx.Request`, without I/O.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from . import _lazy, errors
from ._auth import (
    SchemeInfo,
    argument_wins,
    authenticate,
    missing_credentials,
    supplied_by_caller,
)
from ._binary import ACCEPTED_CODINGS
from ._origins import trusted_server
from ._secret_names import secret_name
from ._sentinels import KEYED_BODY, NO_CREDENTIALS, SENT_SECRETS, STREAMED_BODY, NotGiven

if TYPE_CHECKING:
    from ._operation import OperationInfo

__all__ = ["_Draft", "_RequestBuilder", "checked_timeout", "client_request"]

# RFC 6265: what a cookie's name (a token) and value (cookie-octets) may hold as they are;
# anything else is percent-encoded, so that a value never adds a cookie (`a; admin=true`)
_COOKIE_NAME = "!#$&'*+-.^_`|~"
_COOKIE_VALUE = "!#$&'()*+-./:<=>?@[]^_`{|}~"
_NONE_GIVEN = "a value is required, None was given"


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
    # names of `extra_query` pairs named as secrets: redacted from the logs by name
    secret_query: frozenset[str] = frozenset()
    keyed: bool = False  # the body holds the API's own `idempotency_key` (`KEYED_BODY`)


class _RequestBuilder:
    """Checking and encoding a request (parameters, body, then credentials): the part of the
    clients that turns an operation's arguments into an `httpx.Request`, without I/O."""

    base_url: str
    timeout: float | httpx.Timeout | None
    _default_headers: dict[str, str]
    _schemes: dict[str, SchemeInfo]
    _query_credentials: frozenset[str]
    _credential_headers: frozenset[str] = frozenset()  # the schemes' header names, lower case
    _spec_servers: bool = False  # the base URL is the spec's default: operations' own apply
    _tenant_domain: str = ""  # whose hosts are tenants' (`{shop}.myshopify.com`): own sites
    _preferred: frozenset[str] | None = None  # credentials passed, when others were read
    _given: frozenset[str] = frozenset()  # credentials passed
    _base_url_variable: str = "<PACKAGE>_BASE_URL"
    # (location, wire name) -> the client's value of a client parameter, and (argument,
    # environment variable) to name when it has none
    _client_values: Mapping[tuple[str, str], str | None] = {}
    _client_arguments: Mapping[tuple[str, str], tuple[str, str]] = {}

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
        received: frozenset[str] = frozenset(),
    ) -> _Draft:
        """Check and encode the request, all but its credentials (`_build_request` adds
        them); secret body fields are added to `secrets`. Raises `RequestValidationError`,
        naming every problem, before any credential is fetched or anything is sent.

        `url` (a next-page link, already checked to be on the API's origin) replaces the
        operation's path and query. `extra_query` and `extra_body` are merged into the
        query and the (object) body. `received` names the query parameters that hold what
        the server gave for the next page (a token, a cursor): sent as received, whatever
        the parameter's schema says of them.
        """
        _lazy.load_request_modules()
        op = op.encoded_as(content_type, body)
        params: list[tuple[str, Any]] = []
        linked = url is not None and not extra_query
        base = ""  # the base URL, joined after the path's parameters are in its route
        if url is not None:
            path, query = None, None
            if extra_query:  # merged with the link's own query below
                url, params = _lazy._wire.split_query(url)
        else:
            if op.client_parameters:
                path, query, headers = _with_client_values(
                    op, path, query, headers, self._client_values, self._client_arguments
                )
            given = {"path": path, "query": query, "header": headers, "cookie": cookies}
            parameters = op.parameters
            if received:  # (checked as `Any`: only that they can go on the wire at all)
                parameters = tuple(
                    (where, name, Any if where == "query" and name in received else type_)
                    for where, name, type_ in parameters
                )
            found, ready = _lazy._wire.checked_parameters(parameters, given)
            # a required parameter given None (a field a response left out, passed on): it
            # went as the text `None` in the path (`DELETE /repos/me/None`) and was left out
            # of the query (newcomer audit 23)
            for name, value in (path or {}).items():  # (every path parameter is required)
                if value is None:
                    found.append({"loc": ("path", name), "msg": _NONE_GIVEN, "type": "missing"})
            for where, name in op.required:
                if (given[where] or {}).get(name) is None:
                    found.append({"loc": (where, name), "msg": _NONE_GIVEN, "type": "missing"})
            if found:
                raise _lazy._request_body.refused(op, found)
            if ready:  # what validation made of the values (by the spec's names…) is sent
                path, query, headers, cookies = (
                    {**(given[where] or {}), **ready[where]} if where in ready else given[where]
                    for where in ("path", "query", "header", "cookie")
                )
            # a query the spec wrote into the path (`/rest?method=x`) is sent beside `params`
            route, _, fixed = op.path.partition("?")
            if fixed:
                params.extend(httpx.QueryParams(fixed).multi_items())
            base, url = self._base_url_of(op), route
        body_headers: dict[str, str] = {}
        asynchronous = isinstance(http_client, httpx.AsyncClient)
        content, data, files, streamed = _lazy._request_body.encode_request_body(
            op, body, extra_body, body_headers, secrets, asynchronous
        )
        for name, value in (path or {}).items():
            style, explode = op.style_of("path", name)
            reserved = ("path", name) in op.reserved
            text = _lazy._wire.path_value(name, value, style, explode, reserved)
            # `/users/{id}` with "": the collection's URL, another resource (or a label's
            # lone `.`, a segment the URL drops)
            if not text or (not text.strip(".") and _whole_segment(url, name)):
                message = "an empty value would send the request to another URL"
                problem = {"loc": ("path", name), "msg": message, "type": "empty_path"}
                raise _lazy._request_body.refused(op, [problem])
            url = url.replace("{" + name + "}", text)  # in the route only: never the host
        url = base + url
        for name, value in (query or {}).items():
            if value is not None:
                pairs = _lazy._wire.query_pairs(name, value, *op.style_of("query", name))
                if op.reserved and ("query", name) in op.reserved:
                    pairs = _lazy._wire.reserved_pairs(pairs)
                params.extend(pairs)
        secret_query: frozenset[str] = frozenset()
        if extra_query:
            params = [(k, v) for k, v in params if k not in extra_query]
            for name, value in extra_query.items():
                if value is not None:
                    try:
                        params.extend(_lazy._wire.query_pairs(name, value, "form", True))
                    except RecursionError:  # (a list inside itself: hostile sweep)
                        message = "the value holds itself, or is nested too deeply"
                        problem = {
                            "loc": ("extra_query", name),
                            "msg": message,
                            "type": "value_error",
                        }
                        raise _lazy._request_body.refused(op, [problem]) from None
            # named as secrets, as a declared parameter so named is (`client.get(path,
            # query={"api_key": …})` went to httpx's log line in clear: hostile audit 16)
            secret_query = frozenset(
                name for name, value in extra_query.items() if _secret(name, value, secrets)
            )
        if op.secret_parameters:
            given = {"path": path, "query": query, "header": headers, "cookie": cookies}
            for where, name in op.secret_parameters:
                value = (given[where] or {}).get(name)
                if value is not None:
                    secrets.extend(_lazy._wire.secret_texts(value))
        # (httpx asks for brotli and zstd too where their libraries are installed: one layer
        # of either is a decompression bomb no size limit bounds; hostile audit 12)
        request_headers: dict[str, str] = {
            "Accept": op.accept,
            "Accept-Encoding": ACCEPTED_CODINGS,
            **self._default_headers,
        }
        for name, value in (headers or {}).items():
            if value is None and name in op.request_id_headers:
                value = str(uuid.uuid4())
            if value is not None:
                style, explode = op.style_of("header", name)
                sent = _lazy._wire.header_value(value, explode, style)
                if sent is not None:
                    request_headers[name] = sent
        late_headers: dict[str, str] = {}
        if idempotency_key is not None:
            late_headers["Idempotency-Key"] = idempotency_key
        late_headers.update(body_headers)
        late_headers.update(
            _lazy._request_body.caller_headers(op, extra_headers, self._default_headers)
        )
        for name, value in (extra_headers or {}).items():
            _secret_header(name, value, secrets)
        if len(self._default_headers) > 1:  # (beside the User-Agent)
            for name, value in self._default_headers.items():
                _secret_header(name, value, secrets)
        return _Draft(
            op,
            url,
            params,
            request_headers,
            _lazy._wire.cookie_values(cookies or {}, op.style_of),
            late_headers,
            (content, data, files, streamed),
            self.timeout if isinstance(timeout, NotGiven) else _call_timeout(op, timeout),
            linked,
            secret_query,
            not op.idempotent and (_holds_key(body) or _holds_key(extra_body)),
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
        if op.server is not None and self._spec_servers:
            if not trusted_server(op.server, self.base_url, self._tenant_domain):
                credentials = {}  # another site's, or clear text: none of the client's
        auth_headers, auth_query, auth_cookies = authenticate(
            op, credentials, self._schemes, secrets, self._preferred, self._given
        )
        anonymous = None
        # cookie parameters, or a header parameter or default header named as a credential's
        # header (or `Cookie`): looked for by name here, not by `supplied_by_caller`'s walk
        # whenever the operation has a header parameter (~5 µs of a call)
        custom = (op.sends_headers or len(self._default_headers) > 1) and (
            bool(draft.cookies)
            or any(_credential_header(name, self._credential_headers) for name in draft.headers)
        )
        sent = bool(auth_headers or auth_query or auth_cookies)
        # credentials the caller put in headers, the query or cookies (looked for only where
        # the request may carry one the client's own does not replace: ~5 % of a call)
        if self._schemes and (
            not sent
            or custom
            or draft.cookies
            or (draft.params and self._query_credentials)
            or any(name.lower() in self._credential_headers for name in draft.late_headers)
        ):
            headers = {**draft.headers, **draft.late_headers}
            supplied = supplied_by_caller(
                self._schemes, headers, draft.params, draft.cookies, http_client
            )
            secrets.extend(supplied)
            if not (supplied or sent) and op.security and () not in op.security:
                # (sent as it is: a spec may declare security a public endpoint does not
                # need; a 401 or 403 then says what to pass)
                if http_client.auth is None:
                    anonymous = missing_credentials(op, self._schemes)
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
        joined = "".join(request_headers.values())
        if _CONTROL.search(joined) or not joined.isascii():
            _refuse_control(op, request_headers)
        content, data, files, streamed = draft.body
        # None, not [], when there are none: httpx parses the URL again to merge even an
        # empty list (a third of `build_request`'s time, ~17 µs a call)
        params = [*draft.params, *auth_query.items()] or None
        url = draft.url
        if params is not None and draft.linked:  # a credential in the query of a next link
            url, params = _lazy._wire.with_query(url, params, replace=True), None
        if params is not None and any(isinstance(v, _lazy._wire.Joined) for _, v in params):
            # httpx would percent-encode the delimiters of `a,b,c` like commas inside items
            url, params = _lazy._wire.with_query(url, params), None
        absolute = url[:8].lower().startswith(("https://", "http://"))
        if not absolute and not http_client.base_url.host:
            # (httpx's UnsupportedProtocol, retried as a connection error, said nothing of it)
            raise errors.RequestValidationError(
                f"{op.method} {op.path}: the client's base URL ({self.base_url!r}) is not"
                f" absolute: pass base_url= or set ${self._base_url_variable}"
            )
        try:
            request = client_request(
                http_client,
                op.method,
                url,
                absolute=absolute,
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
            elif draft.keyed:
                request.extensions[KEYED_BODY] = True
            if anonymous is not None:
                request.extensions[NO_CREDENTIALS] = anonymous
            request.extensions[SENT_SECRETS] = secrets
            _lazy._request_body.multipart_subtype(request, op)
            return request
        # raised outside the handler, so that the error (which may quote a value) is not chained
        raise _lazy._request_body.refused(op, [{"loc": (), "msg": message, "type": "request"}])


def _holds_key(body: Any) -> bool:
    """Does the body hold an `idempotency_key` (the API's own, as Square's bodies have it; an
    optional one given made no call retryable, a required one did: billing audit)? (On
    every POST: a dict's or a model's fields are looked at before any ABC's `isinstance`.)"""
    if body is None:
        return False
    values = body if type(body) is dict else getattr(body, "__dict__", None)
    if type(values) is not dict:
        if not isinstance(body, Mapping):
            return False
        values = body
    return bool(values.get("idempotency_key"))


def client_request(
    http_client: httpx.Client | httpx.AsyncClient,
    method: str,
    url: str,
    *,
    absolute: bool,
    params: list[tuple[str, Any]] | None,
    headers: dict[str, str],
    content: Any,
    data: Any,
    files: Any,
    timeout: float | httpx.Timeout | None,
) -> httpx.Request:
    """The request `http_client.build_request(...)` builds, made directly where that is the
    same request: an absolute URL, and a client without query parameters or cookies of its
    own whose class keeps httpx's `build_request`. Its headers are the client's, but those
    `headers` replace (whatever their case), then `headers`, as httpx merges them.

    (httpx's merge copies the client's headers and looks each of ours up in them, then pops
    the replaced ones: ~18 µs of a ~200 µs call on a mock transport, with the Accept,
    Accept-Encoding and User-Agent every request of ours sets.)"""
    if (
        not absolute
        or type(http_client).build_request is not httpx.Client.build_request
        or http_client.params
        or http_client.cookies
    ):
        return http_client.build_request(
            method,
            url,
            params=params,
            headers=headers,
            content=content,
            data=data,
            files=files,
            timeout=timeout,
        )
    replaced = {name.lower() for name in headers}
    merged: list[Any] = [  # (the client's as bytes, ours as text: httpx encodes them)
        (name, value)
        for name, value in http_client.headers.raw
        if name.decode("latin-1").lower() not in replaced
    ]
    merged.extend(headers.items())
    return httpx.Request(
        method,
        url,
        params=params,
        headers=merged,
        content=content,
        data=data,
        files=files,
        extensions={"timeout": httpx.Timeout(timeout).as_dict()},
    )


# what no header value may hold: h11 refused it after connecting (three retries, then a
# "connection error", and httpcore's debug log printed the value: an API key read from a
# file with its newline); another transport sent a CRLF as it was (hostile audit 8)
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _refuse_control(op: OperationInfo, headers: Mapping[str, str]) -> None:
    """Raise `RequestValidationError` naming the headers (never their values) that hold a
    line break or another control character, or a character that is not ASCII (httpx
    writes header values in ASCII: the error named no header, parity audit F10)."""
    found = []
    for name, value in headers.items():
        if _CONTROL.search(value):
            message = "holds a line break or control character (a newline read from a file?)"
        elif not value.isascii():
            message = "holds a character that is not ASCII, which HTTP header values cannot"
        else:
            continue
        found.append({"loc": ("header", name), "msg": message, "type": "header_value"})
    raise _lazy._request_body.refused(op, found)


def checked_timeout(timeout: Any) -> float | httpx.Timeout | None:
    """A client's `timeout=`: seconds (a finite number, not negative), an `httpx.Timeout`,
    or None (no limit). `"30"` or `-1` was taken, then raised TypeError or ValueError from
    the socket at the first call (hostile sweep)."""
    if timeout is None or isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError("timeout must be seconds (a number), an httpx.Timeout or None")
    if not 0 <= timeout < float("inf"):
        raise ValueError("timeout must be a finite number of seconds, 0 or more")
    return timeout


def _call_timeout(op: OperationInfo, timeout: Any) -> float | httpx.Timeout | None:
    """A call's `timeout=`, as `checked_timeout` takes it; RequestValidationError else."""
    try:
        return checked_timeout(timeout)
    except (TypeError, ValueError) as exc:
        problem = {"loc": ("timeout",), "msg": str(exc), "type": "timeout"}
        raise _lazy._request_body.refused(op, [problem]) from None


def _credential_header(name: str, credential_headers: frozenset[str]) -> bool:
    """Does a header (any case) carry a credential: a scheme's header, or `Cookie`?"""
    low = name.lower()
    return low in credential_headers or low == "cookie"


def _whole_segment(route: str, name: str) -> bool:
    """Whether the parameter `name` is a whole segment of `route` (`/a/{id}/b`), where a
    value of dots alone would be a `.` or `..` segment."""
    placeholder = "/" + "{" + name + "}"
    return route.endswith(placeholder) or any(placeholder + end in route for end in "/?")


def _secret(name: Any, value: Any, secrets: list[str]) -> bool:
    """Is a value the caller gave by a name the spec does not declare (`extra_query`,
    `extra_headers`) a secret by that name (`_secret_names.secret_name`)? Its texts then
    join `secrets`."""
    if value is None or not isinstance(name, str) or not secret_name(name):
        return False
    secrets.extend(_lazy._wire.secret_texts(value))
    return True


# headers whose value is a credential whatever the spec says of them
_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})


def _secret_header(name: Any, value: Any, secrets: list[str]) -> bool:
    """Is a header the caller gave (`default_headers`, `extra_headers`) a secret: named as one
    (`_secret`), or `Authorization` (the README's way to send a token where the spec declares
    no scheme: a server echoing it showed it in the error; UX audit 18), `Cookie`? Its value
    joins `secrets`, and so does its credential after the scheme (`Bearer <token>`), and a
    cookie's each value."""
    if not isinstance(name, str) or not isinstance(value, str):
        return _secret(name, value, secrets)
    if name.lower() not in _CREDENTIAL_HEADERS:
        return _secret(name, value, secrets)
    secrets.append(value)
    _, _, credential = value.strip().partition(" ")
    if credential.strip():
        secrets.append(credential.strip())
    if name.lower() == "cookie":
        pieces = (piece.partition("=")[2].strip() for piece in value.split(";"))
        secrets.extend(piece for piece in pieces if piece)
    return True


def _with_client_values(
    op: OperationInfo,
    path: Mapping[str, Any] | None,
    query: Mapping[str, Any] | None,
    headers: Mapping[str, Any] | None,
    values: Mapping[tuple[str, str], str | None],
    arguments: Mapping[tuple[str, str], tuple[str, str]],
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The call's path, query and header values with the client's value (`values`) of each
    client parameter the call does not give; a required one (a path one always) neither
    gives is refused, naming the client's argument and its variable (`arguments`)."""
    given = {"path": dict(path or {}), "query": dict(query or {}), "header": dict(headers or {})}
    for location, name, required in op.client_parameters:
        found = given[location]
        if found.get(name) is None:
            found[name] = values.get((location, name))
        if found[name] is None and required:
            argument, variable = arguments.get((location, name), (name, ""))
            where = f"pass {argument}= to the client (or set ${variable}) or to the call"
            problem = {"loc": (location, name), "msg": f"no value: {where}", "type": "missing"}
            raise _lazy._request_body.refused(op, [problem])
    return given["path"], given["query"], given["header"]
