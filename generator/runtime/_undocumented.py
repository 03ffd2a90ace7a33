"""Calls to endpoints the spec does not document: `client.get(path, ...)`, `post`, `put`,
`patch`, `delete` and `request(method, path, ...)`.

Such a call goes through the loop the generated methods use: the client's credentials (for
the spec's top-level security requirement), retries (POST and PATCH only with an
`idempotency_key`), redirects within the API's origin, the size limit, the typed errors.
Only a path on the API's origin is sent: an absolute URL on another origin is refused
before any credential is read, so that credentials never leave the API.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Mapping
from typing import Any, Generic, Protocol, TypeAlias, TypeVar, cast, overload

import httpx

from . import errors
from ._operation import OperationInfo
from ._origins import same_origin
from ._sentinels import NOT_GIVEN, NotGiven

__all__ = [
    "AsyncVerbCall",
    "Files",
    "Headers",
    "Query",
    "Timeout",
    "Verb",
    "VerbCall",
    "undocumented_call",
    "undocumented_url",
]

_T = TypeVar("_T")
_CallT = TypeVar("_CallT")

Query: TypeAlias = Mapping[str, Any] | None
"""Query parameters: a list value repeats the parameter, `None` leaves it out."""
Headers: TypeAlias = Mapping[str, str] | None
Files: TypeAlias = Mapping[str, Any] | None
"""Files to upload as a multipart body: field name → bytes, a path, a binary file object,
a `(filename, content[, content_type[, headers]])` tuple, or a list of them."""
Timeout: TypeAlias = float | httpx.Timeout | NotGiven | None

# methods safe to retry without an idempotency key
_IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
# the parsed body when no `cast_to` is given: JSON, else text
_ANY_BODY = (("application/json", "json", Any), ("*/*", "text", str))


def _refused(method: str, message: str) -> errors.RequestValidationError:
    """The error of a call not sent (the path given is not repeated: it may hold a token)."""
    return errors.RequestValidationError(
        f"{method} request not sent", [{"loc": ("path",), "msg": message, "type": "url"}]
    )


def undocumented_url(method: str, path: str, origin: str) -> str:
    """The URL `path` names: relative to the client's base URL `origin` (with or without a
    leading `/`), or an absolute URL on the same origin. Another origin, or a scheme-relative
    `//host/…`, is refused with `RequestValidationError`."""
    try:
        target = httpx.URL(path)
        absolute = target.is_absolute_url or bool(target.host)
    except (httpx.InvalidURL, TypeError, ValueError):  # (a malformed IDNA host: `xn--`)
        raise _refused(method, "not a URL path") from None
    if absolute:
        url = str(target)
    elif not origin:
        url = path  # relative to the http client's own base URL
    else:
        url = origin.rstrip("/") + "/" + path.lstrip("/")
    if origin and not same_origin(url, origin):
        raise _refused(
            method,
            "a URL on another origin than the API's: credentials are only sent to the API",
        )
    return url


def undocumented_call(
    method: str,
    path: str,
    *,
    cast_to: Any,
    body: Any,
    origin: str,
    security: tuple[tuple[str, ...], ...],
    files: Files = None,
) -> tuple[OperationInfo, str, Files]:
    """The operation a call to an undocumented endpoint performs, its URL, and its `files`
    checked (as the request's `extra_body` takes them).

    `cast_to` is what a success is parsed as: a pydantic model or any type pydantic
    validates (`dict[str, Any]`, `list[Item]`…), `str` for the text, `httpx.Response` for the
    response itself, or `None` for the JSON (text when the body is not JSON). A `body` is
    sent as JSON (a pydantic model by its aliases), bytes as `application/octet-stream`;
    with `files`, the body's fields and the files are one `multipart/form-data` body.
    The URL is checked first: a file is never looked at for a request that is refused.
    """
    method = method.upper()
    url = undocumented_url(method, path, origin)
    if files is not None:
        files = _check_upload(method, body, files)
    responses: dict[str, tuple[str, Any]]
    media: dict[str, Any] = {}
    if cast_to is None:
        responses = {"2XX": ("json", Any)}
        media = {"2XX": _ANY_BODY}
    elif cast_to is str:
        responses = {"2XX": ("text", str)}
    else:
        responses = {"2XX": ("json", None if cast_to is httpx.Response else cast_to)}
    binary = isinstance(body, (bytes, bytearray)) and files is None
    encoding, content_type = ("binary", "application/octet-stream") if binary else ("json", None)
    if files is not None:
        encoding, content_type = "multipart", "multipart/form-data"
    op = OperationInfo(
        method=method,
        path=httpx.URL(url).path,
        responses=responses,
        media=media,
        accept="application/json" if cast_to not in (str, httpx.Response) else "*/*",
        security=security,
        body_type=None if body is None and files is None else (bytes if binary else Any),
        encoding=encoding,
        content_type=content_type,
        idempotent=method in _IDEMPOTENT,
    )
    return op, url, files


def _check_upload(method: str, body: Any, files: Any) -> Mapping[str, Any]:
    """`files=` as the request takes it (`_files.FilesArgument`: its problems are named
    `files`); refused when it is not a mapping of field names (text) to files, or a `body`
    beside it is no mapping of form fields (`RequestValidationError`, naming fields, never
    values)."""
    from ._files import FilesArgument, is_file_value  # (loaded with the request modules)

    found: list[dict[str, Any]] = []
    if not isinstance(files, Mapping) or not files:
        message = "files= takes a mapping of field names to files"
        found.append({"loc": ("files",), "msg": message, "type": "files"})
    else:
        found.extend(
            {"loc": ("files", str(name)), "msg": _NOT_A_FILE, "type": "file"}
            for name, value in files.items()
            if not isinstance(name, str) or not is_file_value(value)
        )
        if any(isinstance(name, str) and not _is_text(name) for name in files):
            message = "a field name that is not text (a lone surrogate)"  # (not repeated)
            found.append({"loc": ("files",), "msg": message, "type": "files"})
    if body is not None and not isinstance(body, Mapping) and not hasattr(body, "model_dump"):
        message = "with files=, the body is the form's other fields: a mapping or a model"
        found.append({"loc": ("body",), "msg": message, "type": "body"})
    if found:
        raise errors.RequestValidationError(f"{method} request not sent", found)
    return FilesArgument(files)


def _is_text(name: str) -> bool:
    """Can `name` be written as UTF-8 (not a lone surrogate)?"""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_NOT_A_FILE = (
    "expected a file: bytes, a path, a binary file object, a "
    "(filename, content[, content_type[, headers]]) tuple, or a list of them"
)


class VerbCall(Protocol):
    """`client.get(path, ...)` (and `post`, `put`, `patch`, `delete`) on `Client`:
    `client.request("GET", path, ...)`."""

    @overload
    def __call__(
        self,
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
    def __call__(
        self,
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


class AsyncVerbCall(Protocol):
    """`await client.get(path, ...)` (and `post`, `put`, `patch`, `delete`) on
    `AsyncClient`: `await client.request("GET", path, ...)`."""

    @overload
    def __call__(
        self,
        path: str,
        *,
        cast_to: type[_T],
        query: Query = None,
        body: Any = None,
        files: Files = None,
        headers: Headers = None,
        idempotency_key: str | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> Awaitable[_T]: ...

    @overload
    def __call__(
        self,
        path: str,
        *,
        cast_to: None = None,
        query: Query = None,
        body: Any = None,
        files: Files = None,
        headers: Headers = None,
        idempotency_key: str | None = None,
        timeout: Timeout = NOT_GIVEN,
    ) -> Awaitable[Any]: ...


class Verb(Generic[_CallT]):
    """A client's `get`, `post`, `put`, `patch` or `delete`: its `request` with the HTTP
    method filled in, typed as `_CallT` (`VerbCall`, `AsyncVerbCall`)."""

    def __init__(self, method: str) -> None:
        self.method = method

    @overload
    def __get__(self, client: None, owner: type[Any] | None = None) -> Verb[_CallT]: ...

    @overload
    def __get__(self, client: object, owner: type[Any] | None = None) -> _CallT: ...

    def __get__(self, client: Any, owner: type[Any] | None = None) -> Any:
        if client is None:
            return self
        return cast("_CallT", functools.partial(client.request, self.method))
