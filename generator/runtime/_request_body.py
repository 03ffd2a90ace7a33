"""The body a request sends: built from a method's keyword arguments or `body=`, checked
against the spec's type, merged with `extra_body=`, and encoded in the operation's media
type (JSON, form, multipart, text or raw bytes; `_files.py` lays out the last three).

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import ValidationError

from . import errors
from ._files import (
    FILE_NOT_TEXT,
    FileProblem,
    FilesArgument,
    binary_body,
    check_file,
    encode_body,
    holds_upload,
    is_file_value,
    raw_media,
)
from ._types import NotGiven, outgoing_secrets
from ._wire import dump_for_wire, json_for_wire, problems, validate_python

if TYPE_CHECKING:
    from ._operation import OperationInfo

__all__ = [
    "caller_headers",
    "encode_request_body",
    "multipart_subtype",
    "refused",
    "request_body",
]


def request_body(body: Any, fields: Mapping[str, Any], required: bool) -> Any:
    """The body a method sends: `body=` as given, else the keyword arguments that were
    given (`fields`: wire name → value, `NOT_GIVEN` when left out). Both at once raise
    `RequestValidationError`; a required body given neither way is checked as `{}`."""
    given = {name: value for name, value in fields.items() if not isinstance(value, NotGiven)}
    if not given:
        return {} if body is None and required else body
    if body is not None:
        message = "give `body=` (the whole request body) or keyword arguments, not both"
        named = next((name for name in fields if name.lower() == "body"), None)
        if named is not None:  # Twilio's SMS text: `Body`, a keyword beside `body=`
            message += f"; the body's `{named}` field is the keyword argument `body_=`"
        raise errors.RequestValidationError(
            "request not sent", [{"loc": ("body",), "msg": message, "type": "body"}]
        )
    return given


def multipart_subtype(request: httpx.Request, op: OperationInfo) -> None:
    """A `multipart/mixed` (or other) body: httpx writes `multipart/form-data`, the
    boundary stays."""
    if op.encoding != "multipart":
        return
    media = (op.content_type or "").split(";", 1)[0].strip().lower()
    header = request.headers.get("content-type", "")
    form = "multipart/form-data"
    if media != form and header.startswith(form):
        request.headers["Content-Type"] = media + header[len(form) :]


def caller_headers(
    op: OperationInfo, extra: Mapping[str, str] | None, default: Mapping[str, str]
) -> Mapping[str, str]:
    """`extra_headers`, checked with the client's own headers: `Content-Length` and
    `Transfer-Encoding` frame the body the client sends, so a caller's (which could not
    match it, and which the HTTP transport would reject with its own exception) refuses
    the request with `RequestValidationError` before anything is sent, as a name or value
    of `extra` that is no text does."""
    found = [
        {"loc": ("header", name), "msg": "the client frames the body itself", "type": "header"}
        for given in (default, extra or {})
        for name in given
        if isinstance(name, str) and name.lower() in _FRAMING
    ]
    if extra:  # (an int raised TypeError from the header check: hostile sweep; the
        # client's own are checked when it is made)
        found.extend(
            {
                "loc": ("header", str(name)),
                "msg": "a header's name and value are text",
                "type": "header",
            }
            for name, value in extra.items()
            if not (isinstance(name, str) and isinstance(value, str))
        )
    if found:
        raise refused(op, found)
    return extra or {}


_FRAMING = frozenset({"content-length", "transfer-encoding"})


def refused(op: OperationInfo, found: list[dict[str, Any]]) -> errors.RequestValidationError:
    """The error of a request not sent, naming each problem `found`."""
    return errors.RequestValidationError(f"{op.method} {op.path}: request not sent", found)


def encode_request_body(
    op: OperationInfo,
    body: Any,
    extra: Mapping[str, Any] | None,
    headers: dict[str, str],
    secrets: list[str],
    asynchronous: bool,
) -> tuple[Any, dict[str, Any] | None, list[tuple[str, Any]] | None, bool]:
    """(content, form data, files, streamed?) of the body, checked against its type, with
    `extra` (`extra_body=`) merged in; without a body in the spec, `extra` is a JSON body."""
    if extra is not None and op.body_type is None:
        op, body = replace(op, body_type=Any, encoding="json", content_type=None), {}
    if op.body_type is None:
        return None, None, None, False
    if body is None and extra is None:
        return _no_body(op, headers)
    if op.encoding in ("text", "binary"):
        if extra is not None:
            raise refused(op, [_NOT_AN_OBJECT])
        plain = "text/plain" if op.encoding == "text" else "application/octet-stream"
        headers["Content-Type"] = raw_media(op.content_type, body, plain)
        try:
            content, streamed, length = binary_body(body, asynchronous, _charset(op))
        except TypeError as exc:
            found = [{"loc": ("body",), "msg": str(exc), "type": "type_error"}]
        else:
            if length is not None:
                headers["Content-Length"] = str(length)
            return content, None, None, streamed
        raise refused(op, found)
    if (
        op.encoding == "json"
        and op.body_type is str
        and extra is None
        and isinstance(body, (bytes, bytearray, memoryview))
    ):
        # bytes for a JSON body the spec types as a string are the JSON text itself, not
        # a string to quote (UX audit 14: Walmart's 63 order updates went out quoted)
        _json_content_type(op, headers)
        return bytes(body), None, None, False
    written: bytes | None = None
    dumped: Any = None  # (the data of a body not written as JSON in one step)
    try:
        # only extra fields: the spec's fields were not given, there is nothing to check
        value = {} if body is None else validate_python(op.body_type, body, check=False)
        # the not-null check of models given as such, too, and floats JSON cannot carry
        held = outgoing_secrets(value)
        if op.encoding == "json" and extra is None:  # the JSON itself, in one step
            written = json_for_wire(op.body_type, value)
            if op.content_type and ";" in op.content_type:  # (a charset, perhaps)
                written = _in_charset(written, op)
        else:  # (only `extra_body`: its fields are the body)
            multipart = op.encoding == "multipart"
            dumped = {} if body is None else dump_for_wire(op.body_type, value, multipart)
    except ValidationError as exc:
        found = problems(exc, "body")
    except ValueError as exc:  # None where the spec allows no null; not JSON-ready (`Any`)
        found = [{"loc": ("body",), "msg": _message(exc), "type": "value_error"}]
    else:
        secrets.extend(held)
        if op.encoding == "json":
            _json_content_type(op, headers)
        if written is not None:
            return written, None, None, False
        encodings = op.encodings.get(op.content_type or "", {})
        files: Mapping[str, Any] | None = None
        label = "files" if isinstance(extra, FilesArgument) else "extra_body"
        if extra and op.encoding == "multipart":  # files stay files (not their JSON)
            files = {key: item for key, item in extra.items() if is_file_value(item)}
            extra = {key: None if key in files else item for key, item in extra.items()}
            files = _check_files(op, files, label)
        dumped = _with_extra(op, dumped, extra, secrets, label)
        try:
            content, data, parts = encode_body(op.encoding, value, dumped, encodings, files)
            if op.encoding == "json" and content is not None:
                content = _in_charset(content, op)
        except FileProblem as exc:  # (a path naming no file, a CR LF in a part's header)
            where = label if exc.field in (files or {}) else "body"
            found = [{"loc": (where, exc.field), "msg": str(exc), "type": "file"}]
        except ValueError as exc:  # (the text in a charset that cannot hold it)
            found = [{"loc": ("body",), "msg": str(exc), "type": "value_error"}]
        else:
            if content is None and not data and not parts:
                return _empty_body(op, headers), None, None, False
            return content, data, parts, False
    # raised outside the handler: pydantic's error, which holds the input, is not chained
    raise refused(op, found)


def _no_body(
    op: OperationInfo, headers: dict[str, str]
) -> tuple[Any, dict[str, Any] | None, list[tuple[str, Any]] | None, bool]:
    """`body=None` (and no `extra_body=`): no body when the spec's is optional; when it is
    required, the JSON `null` its schema allows (a nullable JSON body), else refused. Such a
    request went out with no body at all (parity audit F4)."""
    if not op.body_required:
        return None, None, None, False
    if op.encoding == "json":
        try:
            validate_python(op.body_type, None, check=False)
        except (ValidationError, ValueError):
            pass
        else:
            _json_content_type(op, headers)
            return b"null", None, None, False
    raise refused(
        op, [{"loc": ("body",), "msg": "the request body is required", "type": "missing"}]
    )


def _json_content_type(op: OperationInfo, headers: dict[str, str]) -> None:
    """A JSON body's `Content-Type`: the media type the spec declares, and a wildcard
    (`*/*`) sent as JSON says so."""
    declared = op.content_type or ""
    headers["Content-Type"] = declared if declared and "*" not in declared else _JSON


_JSON = "application/json"
_UPLOAD = (
    f"{FILE_NOT_TEXT}; to upload a file the spec does not declare, send multipart:"
    " client.post(path, files={...})"
)
_NOT_AN_OBJECT = {"loc": ("extra_body",), "msg": "the body is not an object", "type": "extra_body"}


def _check_files(
    op: OperationInfo, files: Mapping[str, Any], label: str = "extra_body"
) -> dict[str, Any]:
    """The files of `extra_body` (`files=`: `label`) checked as a file field's are (a tuple's
    name, media type and headers; a memoryview as bytes); `RequestValidationError` names one
    that is not. A tuple is one file: `(b"a.txt", b"…")` went out as two parts (hostile
    audit 16); several files are a list (or a tuple of paths or file objects)."""
    checked: dict[str, Any] = {}
    for key, item in files.items():
        try:
            if isinstance(item, list) or (
                isinstance(item, tuple)
                and is_file_value(item[0])
                and not isinstance(item[0], (bytes, bytearray, memoryview))
            ):  # several files
                checked[key] = [check_file(one) for one in item]
            else:
                checked[key] = check_file(item)
        except ValueError as exc:
            problem = {"loc": (label, key), "msg": str(exc), "type": "file"}
            raise refused(op, [problem]) from None
    return checked


def _with_extra(
    op: OperationInfo,
    dumped: Any,
    extra: Mapping[str, Any] | None,
    secrets: list[str],
    label: str = "extra_body",
) -> Any:
    """The body's wire data with the `extra_body` fields merged in (they win)."""
    if extra is None:
        return dumped
    if not isinstance(dumped, dict):
        raise refused(op, [_NOT_AN_OBJECT])
    if op.encoding != "multipart":  # (a path went out as the local path: hostile audit 15)
        files = [key for key, item in extra.items() if holds_upload(item)]
        if files:
            found = [{"loc": ("extra_body", k), "msg": _UPLOAD, "type": "file"} for k in files]
            raise refused(op, found)
    try:
        held = outgoing_secrets(dict(extra))  # (not-finite floats are refused here too)
        fields = dump_for_wire(Any, dict(extra))
    except ValueError as exc:
        message = _message(exc)
    else:
        secrets.extend(held)
        return {**dumped, **fields}
    raise refused(op, [{"loc": (label,), "msg": message, "type": "extra_body"}])


def _in_charset(text: bytes, op: OperationInfo) -> bytes:
    """JSON text (written in UTF-8) in the charset its media type declares: under
    `application/json; charset=utf-16` the UTF-8 bytes went out (hostile sweep), which no
    server reads as labelled. ValueError for a charset unknown, or one the text does not
    fit in."""
    charset = _charset(op)
    if charset is None:
        return text
    try:
        if codecs.lookup(charset).name == "utf-8":
            return text
        return text.decode("utf-8").encode(charset)
    except (LookupError, UnicodeError):
        raise ValueError(f"the JSON text cannot be sent as {charset}") from None


def _charset(op: OperationInfo) -> str | None:
    """The `charset` parameter of the operation's request media type, if it has one."""
    for parameter in (op.content_type or "").split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"') or None
    return None


def _empty_body(op: OperationInfo, headers: dict[str, str]) -> bytes:
    """A form or multipart body without fields, sent as one (httpx would send no body and no
    Content-Type, which a server requiring the body refuses, as a JSON body sends `{}`): an
    empty form, or a multipart body of only its closing delimiter."""
    if op.encoding == "form":
        headers["Content-Type"] = op.content_type or "application/x-www-form-urlencoded"
        return b""
    boundary = os.urandom(16).hex()  # (as httpx draws one; the subtype is set later)
    headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    return f"--{boundary}--\r\n".encode()


def _message(exc: ValueError) -> str:
    """What a value error says, unless it is a serialisation error, whose detail may quote
    the value (bytes that are not UTF-8): then only that it cannot be serialised."""
    if isinstance(exc, UnicodeError) or type(exc).__name__ == "PydanticSerializationError":
        return FILE_NOT_TEXT if FILE_NOT_TEXT in str(exc) else "a value that cannot be sent as JSON"
    return str(exc)
