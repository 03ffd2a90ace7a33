"""Credentials: how each security scheme is sent, read from the environment when the
client is given none, and applied per request (a requirement is sent whole or not at all).

A credential is a value or a callable returning a fresh one, called once a request, after
the request is checked. On the async client, a credential with an `atoken()` coroutine
method (the OAuth2 helper) is awaited instead, so that a token refresh never blocks the
event loop.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import base64
import importlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import errors

if TYPE_CHECKING:
    from ._operation import OperationInfo

__all__ = [
    "BasicCredential",
    "Credential",
    "SchemeInfo",
    "afresh_credentials",
    "argument_wins",
    "authenticate",
    "for_base_url",
    "fresh_credentials",
    "requirement",
    "with_environment",
]

Credential = str | Callable[[], str]
"""A token or key: a string, or a callable returning a fresh one (e.g. an OAuth2 helper)."""
BasicCredential = tuple[str, str] | str | Callable[[], tuple[str, str] | str]
"""HTTP basic credentials: (username, password) or `username:password`, or a callable
returning either."""

# where credentials go: headers, query parameters, cookies
Sent = tuple[dict[str, str], dict[str, str], dict[str, str]]


@dataclass(frozen=True)
class SchemeInfo:
    """How one security scheme is sent."""

    kind: str  # "bearer" | "basic" | "api_key" | "oauth2" | "http" (another HTTP scheme)
    location: str  # "header" | "query" | "cookie"
    wire_name: str
    env_var: str = ""  # read when the client is given no credential for this scheme
    argument: str = ""  # the client's argument taking it
    # an "http" scheme's word (`OAuth`): a value given is sent as `Authorization: OAuth …`;
    # it is computed per request (a signature), best by an `httpx.Auth` of the http_client
    scheme: str = ""
    # an OAuth2 client-credentials flow's token endpoint: a helper given for this scheme
    # fetches its token there (`ClientCredentials.adopt_token_url`)
    token_url: str = ""
    # the variables of a client id and secret the client exchanges for this scheme's token
    # when none is given nor in `env_var` (`_from_environment`)
    client_variables: tuple[str, str] | None = None


def _from_environment(scheme: SchemeInfo) -> Any:
    """A credential from the scheme's environment variable (`user:password` for basic); for
    an OAuth2 client-credentials scheme without one, a helper exchanging the client id and
    secret its `client_variables` hold (the README told newcomers to export them, and no
    client read them: the calls went without credentials; payments audit 21)."""
    value = os.environ.get(scheme.env_var) if scheme.env_var else None
    if not value and scheme.client_variables and scheme.token_url:
        client_id, secret = (os.environ.get(name) for name in scheme.client_variables)
        if client_id and secret:
            # (by name: a package ships `_client_credentials.py` only where a scheme has a
            # client-credentials flow, and mypy reads every import of the package)
            module = importlib.import_module("._client_credentials", __package__)
            helper = module.ClientCredentials(client_id, secret, token_url=scheme.token_url)
            helper._token_url_given = False  # (the scheme's: on the client's server, adopted)
            return helper
    if not value:
        return None
    if scheme.kind == "basic":
        username, colon, password = value.partition(":")
        if not colon:  # (it went out as `<value>:`, a 401 to puzzle over; UX audit 18)
            raise TypeError(
                f"${scheme.env_var} holds no ':': HTTP basic credentials from the environment"
                " are 'username:password' (end with ':' for an empty password)"
            )
        return (username, password)
    return value


def basic_pair(value: Any) -> tuple[str, str]:
    """HTTP basic credentials as (username, password): from a pair, or from the text
    `username:password` (as the environment variable holds them); TypeError, naming no
    value, for anything else (a bare string without `:` unpacked into its characters)."""
    if isinstance(value, str) and ":" in value:
        username, _, password = value.partition(":")
        return username, password
    if (
        isinstance(value, tuple | list)
        and len(value) == 2
        and all(isinstance(v, str) for v in value)
    ):
        return value[0], value[1]
    raise TypeError("HTTP basic credentials are (username, password) or 'username:password'")


def with_environment(
    credentials: Mapping[str, Any],
    schemes: Mapping[str, SchemeInfo],
    base_url: str = "",
    default_base_url: str = "",
) -> dict[str, Any]:
    """The client's credentials, each one not given read from its scheme's variable; an
    `OAuth2ClientCredentials` takes its scheme's token endpoint, on the client's server
    where that is another of the spec's site (`_origins.token_url_for`)."""
    found = {
        key: _from_environment(schemes[key]) if value is None and key in schemes else value
        for key, value in credentials.items()
    }
    for key, value in found.items():  # a wrong shape is refused here, not at the first call
        if key in schemes and schemes[key].kind == "basic" and value is not None:
            found[key] = value if callable(value) else basic_pair(value)
        token_url = schemes[key].token_url if key in schemes else ""
        adopt = getattr(value, "adopt_token_url", None)  # `OAuth2ClientCredentials`'
        if token_url and adopt is not None:
            from ._origins import token_url_for

            adopt(token_url_for(token_url, base_url, default_base_url))
    return found


def for_base_url(
    credentials: Mapping[str, Any],
    schemes: Mapping[str, SchemeInfo],
    base_url: str,
    default_base_url: str,
) -> dict[str, Any]:
    """The credentials of a client copied onto another base URL (`with_options`): an
    `OAuth2ClientCredentials` whose token endpoint is its scheme's (not `token_url=`) and
    moves with the server (`_origins.token_url_for`) is a copy serving that server's
    endpoint. The production copy of a sandbox client sent the sandbox's token, and the
    sandbox copy of a production client sent a production token to the sandbox's host."""
    found = dict(credentials)
    for key, value in credentials.items():
        token_url = schemes[key].token_url if key in schemes else ""
        rebased = getattr(value, "_for_endpoint", None)
        if not token_url or rebased is None or value._token_url_given:
            continue
        from ._origins import token_url_for

        wanted = token_url_for(token_url, base_url, default_base_url)
        if wanted != value.token_url:
            found[key] = rebased(wanted)
    return found


def requirement(
    op: OperationInfo,
    credentials: Mapping[str, Any],
    preferred: frozenset[str] | None = None,
    given: frozenset[str] = frozenset(),
) -> tuple[str, ...]:
    """`_chosen`'s alternative, then each credential the caller passed the client (`given`)
    for another scheme the operation lists: Gitea's `totp_header=` (its one-time code, which
    goes with basic credentials) and `sudo_header=` were never sent, and a sudo call ran as
    the admin (newcomer audit 23). `authenticate` sends one only where no earlier one
    already holds its header, query parameter or cookie."""
    chosen = _chosen(op, credentials, preferred)
    return _with_given(op, chosen, credentials, given) if given else chosen


def _with_given(
    op: OperationInfo,
    chosen: tuple[str, ...],
    credentials: Mapping[str, Any],
    given: frozenset[str],
) -> tuple[str, ...]:
    """`chosen`, then the schemes of `given` the operation lists besides (`requirement`)."""
    listed = [key for alternative in op.security for key in alternative]
    extra = [
        key
        for key in dict.fromkeys(listed)
        if key in given and key not in chosen and credentials.get(key) is not None
    ]
    return (*chosen, *extra) if extra else chosen


def _chosen(
    op: OperationInfo,
    credentials: Mapping[str, Any],
    preferred: frozenset[str] | None = None,
) -> tuple[str, ...]:
    """The schemes of the first security alternative whose credentials are all configured
    (none: `()`); with `preferred` (the credentials given to the client, when others were
    read from the environment), the first configured alternative holding every one of
    them the operation takes comes first, else the first those alone make up: a variable
    left in the environment for another scheme never outranks the credential the code
    passed, and one read beside it (a spec requiring none: each configured is sent) still
    goes. When only part of a requirement is configured, `RequestValidationError` names
    what is missing."""
    if preferred:
        taken = preferred.intersection(key for alternative in op.security for key in alternative)
        for alternative in op.security:
            if taken and taken.issubset(alternative):
                if all(credentials.get(key) is not None for key in alternative):
                    return alternative
        for alternative in op.security:
            if alternative and all(key in preferred for key in alternative):
                return alternative
    partial: list[tuple[str, ...]] = []
    for alternative in op.security:
        given = [key for key in alternative if credentials.get(key) is not None]
        if len(given) == len(alternative):
            return alternative
        if given:
            partial.append(tuple(k for k in alternative if k not in given))
    if partial:
        # sending part of a requirement would only earn a 401: say what is missing instead
        missing = " or ".join(dict.fromkeys("+".join(keys) for keys in partial))
        raise errors.RequestValidationError(
            f"{op.method} {op.path} also needs the credentials: {missing}"
        )
    return ()


def missing_credentials(op: OperationInfo, schemes: Mapping[str, SchemeInfo]) -> str:
    """What to configure, said by the 401 or 403 of an operation that requires credentials
    and was sent with none."""
    ways = []
    for alternative in op.security:
        named = [schemes[key] for key in alternative if key in schemes]
        ways.append(" + ".join(_way(s) for s in named))
    return "sent without credentials, which the spec requires: pass " + (
        " or ".join(w for w in ways if w) or "one"
    )


def _way(scheme: SchemeInfo) -> str:
    """How to configure one scheme's credential, said by `missing_credentials`."""
    if scheme.kind == "http":  # (a signature per request: no variable can hold it)
        return (
            f"an httpx.Auth computing `Authorization: {scheme.scheme} …` as http_client's"
            f" auth= (or {scheme.argument or 'a credential'}=)"
        )
    if scheme.client_variables:
        client_id, secret = scheme.client_variables
        variables = f"${scheme.env_var}, or ${client_id} and ${secret}"
        return f"{scheme.argument or 'a credential'}= ({variables})"
    return f"{scheme.argument or 'a credential'}= (${scheme.env_var})"


def supplied_by_caller(
    schemes: Mapping[str, SchemeInfo],
    headers: Mapping[str, str],
    query: list[tuple[str, Any]],
    cookies: Mapping[str, str],
    http_client: Any = None,
) -> list[str]:
    """The values of what the request carries where a security scheme sends its credential
    (a header set in `default_headers`, `extra_headers` or the httpx client's own, a query
    or cookie parameter, a `Cookie` header, the httpx client's cookies): credentials the
    caller supplied, which join the request's secrets."""
    spelled = {name.lower(): value for name, value in headers.items()}
    found: list[str] = []
    for scheme in schemes.values():
        if scheme.kind != "api_key" or scheme.location == "header":
            name = "authorization" if scheme.kind != "api_key" else scheme.wire_name.lower()
            value = spelled.get(name) or (http_client.headers.get(name) if http_client else None)
            if value:
                found.append(str(value))
                found.extend(part for part in str(value).split()[1:2] if len(part) >= 3)
        elif scheme.location == "query":
            found.extend(str(v) for k, v in query if k == scheme.wire_name and v is not None)
        else:
            value = cookies.get(scheme.wire_name) or _cookie(spelled.get("cookie", ""), scheme)
            if not value and http_client is not None:
                value = http_client.cookies.get(scheme.wire_name)
            if value:
                found.append(str(value))
    return found


def _cookie(header: str, scheme: SchemeInfo) -> str | None:
    """The value of the scheme's cookie in a `Cookie` header, if it holds it."""
    for pair in header.split(";"):
        name, _, value = pair.strip().partition("=")
        if name == scheme.wire_name and value:
            return value
    return None


def fresh_credentials(
    op: OperationInfo,
    credentials: Mapping[str, Any],
    preferred: frozenset[str] | None = None,
    given: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The credentials with those `op` sends made values for this request: each callable
    (a token source) is called once."""
    values = dict(credentials)
    for key in requirement(op, credentials, preferred, given):
        credential = credentials[key]
        values[key] = credential() if callable(credential) else credential
    return values


async def afresh_credentials(
    op: OperationInfo,
    credentials: Mapping[str, Any],
    preferred: frozenset[str] | None = None,
    given: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """`fresh_credentials` on the async client: a credential with an `atoken()` coroutine
    method (`OAuth2ClientCredentials`) is awaited, so that fetching a token never blocks
    the event loop; other callables are called."""
    values = dict(credentials)
    for key in requirement(op, credentials, preferred, given):
        credential = credentials[key]
        atoken = getattr(credential, "atoken", None)
        if atoken is not None:
            values[key] = await atoken()
        else:
            values[key] = credential() if callable(credential) else credential
    return values


def authenticate(
    op: OperationInfo,
    credentials: Mapping[str, Any],
    schemes: Mapping[str, SchemeInfo],
    secrets: list[str],
    preferred: frozenset[str] | None = None,
    given: frozenset[str] = frozenset(),
) -> Sent:
    """The headers, query and cookies that carry the first security alternative whose
    credentials are all configured, and those passed for the operation's other schemes
    where nothing sent already holds their place (their values join `secrets`); see
    `requirement`."""
    sent: Sent = ({}, {}, {})
    chosen = _chosen(op, credentials, preferred)
    for key in chosen:
        _apply(schemes[key], credentials[key], sent, secrets)
    for key in _with_given(op, chosen, credentials, given)[len(chosen) :] if given else ():
        if not _taken(schemes[key], sent):
            _apply(schemes[key], credentials[key], sent, secrets)
    return sent


def _taken(scheme: SchemeInfo, sent: Sent) -> bool:
    """Whether what `scheme` sends is already in `sent` (an `Authorization` header, a query
    parameter or cookie of its name)."""
    headers, query, cookies = sent
    if scheme.kind != "api_key" or scheme.scheme:
        return "authorization" in (name.lower() for name in headers)
    if scheme.location == "header":
        return scheme.wire_name.lower() in (name.lower() for name in headers)
    return scheme.wire_name in (query if scheme.location == "query" else cookies)


def _apply(scheme: SchemeInfo, credential: Any, sent: Sent, secrets: list[str]) -> None:
    headers, query, cookies = sent
    value = credential() if callable(credential) else credential
    if scheme.kind == "basic":
        username, password = basic_pair(value)
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        # the header's value too: a server echoing it put a password anyone decodes into
        # the error's text (hostile sweep)
        secrets.extend((password, token))
        headers["Authorization"] = f"Basic {token}"
        return
    secrets.append(str(value))
    if scheme.kind in ("bearer", "oauth2"):
        # (a token given with its scheme word is not sent as `Bearer Bearer …`)
        said = str(value)
        headers["Authorization"] = said if said[:7].lower() == "bearer " else f"Bearer {said}"
        return
    if scheme.kind == "http" or scheme.scheme:
        # another HTTP scheme, under its own word (not as Bearer), or an API key its spec
        # says goes after a word (`Authorization: Token <key>`)
        said, word = str(value), f"{scheme.scheme} "
        prefixed = said[: len(word)].lower() == word.lower()
        headers["Authorization"] = said if prefixed else f"{word}{said}"
        return
    target = {"header": headers, "query": query, "cookie": cookies}[scheme.location]
    target[scheme.wire_name] = str(value)


def argument_wins(
    params: list[tuple[str, Any]],
    given_headers: Mapping[str, str],
    given_cookies: Mapping[str, str],
    headers: dict[str, str],
    query: dict[str, str],
    cookies: dict[str, str],
    secrets: list[str],
) -> None:
    """Credentials (`headers`, `query`, `cookies`, as `authenticate` made them) the call
    also gives as arguments (`params`, `given_headers`, `given_cookies`: Trello's `key=`
    and `token=`, a header parameter `x-api-key` beside an `X-API-Key` scheme) are dropped:
    the argument is sent, once, and kept secret like the credential it replaces (both
    went out: `?key=A&key=B`)."""
    for name in {n for n, _ in params} & query.keys():
        del query[name]
        secrets.extend(str(value) for key, value in params if key == name)
    for name in list(headers):  # (one or two: the credential headers)
        low = name.lower()
        given = next((v for k, v in given_headers.items() if k.lower() == low), None)
        if given is not None:
            del headers[name]
            secrets.append(given)
    for name in cookies.keys() & given_cookies.keys():
        del cookies[name]
        secrets.append(given_cookies[name])
