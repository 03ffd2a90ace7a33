"""Files and raw bodies sent: what a file field or an `application/octet-stream` body
accepts, and how multipart and form bodies are laid out.

- A file field (`format: binary`, or a `contentMediaType` string) is a `FileInput`:
  `bytes`, a path (`pathlib.Path`), a binary file object, or a tuple
  `(filename, content)`, `(filename, content, content_type)` or
  `(filename, content, content_type, headers)`. An array of files is sent as one part
  per file, under the same name.
- A part's content type is the tuple's, else the one the spec's `encoding` gives the
  property, else one guessed from the file name, else `application/octet-stream`; its
  file name is the tuple's, the path's or the file object's, else the field name.
- A raw body (`application/octet-stream`, `image/png`…) is `BinaryContent`: bytes, a path
  or a binary file (streamed from disk in chunks), or an iterable of bytes (async iterable
  on the async client). A streamed body is sent once: it is not retried.
- Form bodies follow the `style` and `explode` the spec's `encoding` gives a property.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import io
import json
import mimetypes
import os
import re
import stat
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Mapping
from pathlib import Path
from typing import IO, Annotated, Any, TypeAlias

from pydantic import BaseModel, PlainSerializer, PlainValidator, SerializationInfo, WithJsonSchema

from ._file_reading import FileChunks, PartReading, PathReading, length_left, why_unreadable
from ._sentinels import STREAMED_BODY
from ._types import field_wire_name
from ._wire import is_json_media, query_pairs, text

__all__ = [
    "STREAMED_BODY",
    "BinaryContent",
    "FileContent",
    "FileInput",
    "FileProblem",
    "FilesArgument",
    "binary_body",
    "encode_body",
    "form_fields",
    "is_raw_content",
    "multipart_parts",
]

FileContent: TypeAlias = bytes | bytearray | memoryview | IO[bytes] | os.PathLike[str]
"""The content of a file: bytes, a binary file object, or a path."""


def _is_content(value: Any) -> bool:
    return isinstance(value, (bytes, bytearray, memoryview, os.PathLike)) or callable(
        getattr(value, "read", None)
    )


class FileProblem(ValueError):
    """A file of a multipart body that cannot be sent: a path naming no readable file, a
    part's content type or header with a line break. `field` names its field; the message
    never holds the file's path or contents."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class FilesArgument(dict[str, Any]):
    """The `files=` of `client.post(path, …)` as the request takes it (`extra_body`): its
    problems are named `files`, not `extra_body`."""


_TEXT_MODE = "a file opened in text mode: open it in binary mode ('rb')"


def check_file(value: Any) -> Any:
    """A `FileInput` as given (a string, as a JSON response holds it, becomes bytes)."""
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, io.TextIOBase):  # (httpx's own TypeError, out of the call)
        raise ValueError(_TEXT_MODE)
    if _is_content(value):
        return bytes(value) if isinstance(value, (bytearray, memoryview)) else value
    if isinstance(value, (tuple, list)) and 2 <= len(value) <= 4:
        name, content, *rest = value
        if isinstance(content, io.TextIOBase):
            raise ValueError(_TEXT_MODE)
        media = rest[0] if rest else None
        headers = rest[1] if len(rest) > 1 else {}
        if (
            (name is None or isinstance(name, str))
            and (_is_content(content) or isinstance(content, str))
            and (media is None or isinstance(media, str))
            and isinstance(headers, Mapping)
        ):
            return tuple(value)
    raise ValueError(
        "expected a file: bytes, a path, a binary file object or a "
        "(filename, content[, content_type[, headers]]) tuple"
    )


FILE_NOT_TEXT = "a file in a JSON or form body must be given as UTF-8 text"


def _file_text(value: Any, info: SerializationInfo) -> Any:
    """A file in JSON: in a request's JSON or form body, its text, else refused (hostile audit
    14: a path went out as the caller's local path, a file object as its repr, bytes with
    U+FFFD for what was not UTF-8); in a multipart body it is a part, never this; shown
    (`to_dict()`), its bytes as text, else its name."""
    content = value[1] if isinstance(value, tuple) else value
    context = info.context
    if isinstance(context, dict) and context.get("request") and not context.get("parts"):
        if isinstance(content, bytes):
            try:
                return content.decode("utf-8")
            except UnicodeDecodeError:
                pass
        raise ValueError(FILE_NOT_TEXT)
    if isinstance(content, bytes):
        return content.decode("utf-8", "replace")
    return str(content) if isinstance(content, (str, os.PathLike)) else repr(content)


FileInput: TypeAlias = Annotated[
    FileContent
    | tuple[str | None, FileContent]
    | tuple[str | None, FileContent, str | None]
    | tuple[str | None, FileContent, str | None, Mapping[str, str]],
    PlainValidator(check_file),
    PlainSerializer(_file_text, when_used="json"),
    # (pydantic before 2.9 had no JSON Schema for a plain validator: `model_json_schema()`
    # of a model holding a file raised there; install audit)
    WithJsonSchema({"type": "string", "format": "binary"}),
]
"""A file sent as a multipart part (see the module docstring)."""

BinaryContent: TypeAlias = (
    bytes
    | bytearray
    | memoryview
    | IO[bytes]
    | os.PathLike[str]
    | Iterable[bytes]
    | AsyncIterable[bytes]
)
"""A raw request body: bytes, a path, a binary file object, or an iterable of bytes."""


# ---- raw bodies -----------------------------------------------------------------------------
def is_raw_content(body: Any) -> bool:
    """Is `body` a raw body (bytes, a path, a binary file, an iterable of bytes), rather than
    a model, a mapping, a list of values or text?"""
    if isinstance(body, (list, tuple)):  # (`[]` is a JSON array: billbee's empty stock list
        # went as an empty `application/octet-stream` body; round-trip audit 18)
        return bool(body) and all(isinstance(item, bytes) for item in body)
    if isinstance(body, (str, Mapping, BaseModel)):
        return False
    return _is_content(body) or isinstance(body, (Iterable, AsyncIterable))


async def _async_chunks(chunks: Iterable[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


def guessed_media(body: Any) -> str | None:
    """The media type a raw body's file name suggests (a path's, a file object's `name`:
    `mimetypes`), None without one."""
    name = os.fspath(body) if isinstance(body, os.PathLike) else getattr(body, "name", None)
    if not isinstance(name, str) or not name:
        return None
    return mimetypes.guess_type(os.path.basename(name))[0]


def media_covers(declared: str, media: str) -> bool:
    """Does the spec's media type `declared` (`image/png`, `image/*`, `*/*`) take `media`?"""
    declared = declared.split(";", 1)[0].strip().lower()
    media = media.split(";", 1)[0].strip().lower()
    if declared == media or declared == "*/*":
        return True
    return declared.endswith("/*") and media.startswith(declared[:-1])


def raw_media(declared: str | None, body: Any, fallback: str = "application/octet-stream") -> str:
    """The `Content-Type` of a raw body sent as the spec's media type `declared`: that type,
    or where it is a wildcard (`image/*`, `*/*`), the type the file name suggests when the
    wildcard covers it, else `fallback`. (`image/*` went out as the `Content-Type`, which
    names no type a server can read.)"""
    if declared and "*" not in declared:
        return declared
    guessed = guessed_media(body)
    if declared and guessed and media_covers(declared, guessed):
        return guessed
    return fallback


def binary_body(
    body: Any, asynchronous: bool, charset: str | None = None
) -> tuple[Any, bool, int | None]:
    """(content for httpx, streamed?, length when known) of a raw body: text in `charset`
    (the media type's, else UTF-8), bytes as they are; a path, a file object or an
    iterable as chunks (async ones for the async client)."""
    if isinstance(body, str):
        try:
            return body.encode(charset or "utf-8"), False, None
        except (LookupError, UnicodeError):  # an unknown charset, a lone surrogate
            raise TypeError(f"the text cannot be sent as {charset or 'utf-8'}") from None
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body), False, None
    if isinstance(body, io.TextIOBase):
        raise TypeError(_TEXT_MODE)
    if isinstance(body, os.PathLike) and not os.path.isfile(body):
        raise TypeError("the path names no file that can be read")
    if isinstance(body, os.PathLike) or callable(getattr(body, "read", None)):
        chunks = FileChunks(body)
        return (chunks.__aiter__() if asynchronous else iter(chunks)), True, length_left(body)
    if isinstance(body, Mapping) or hasattr(body, "model_dump"):
        # (httpx raised its own TypeError, or the async client sent half a chunked request)
        raise TypeError(f"a text or binary body cannot be a {type(body).__name__}")
    if isinstance(body, (list, tuple)) and not all(
        isinstance(chunk, (bytes, bytearray, memoryview)) for chunk in body
    ):
        raise TypeError("a body given as a list or tuple must hold bytes only")
    if isinstance(body, AsyncIterable):
        if not asynchronous:
            raise TypeError("an async iterable body needs the async client")
        return body, True, None
    if isinstance(body, Iterable):
        return (_async_chunks(body) if asynchronous else body), True, None
    raise TypeError(
        "a raw body must be bytes, a path, a binary file or an iterable of bytes, "
        f"not {type(body).__name__}"
    )


# ---- multipart ------------------------------------------------------------------------------
def is_file_value(value: Any) -> bool:
    """True for what a multipart body sends as file parts: a file (bytes, a path, a file
    object, a `(name, content[, type[, headers]])` tuple) or a non-empty list of files."""
    if isinstance(value, (list, tuple)) and value and not _is_file(value):
        return all(_is_file(v) for v in value)
    return _is_file(value)


def holds_upload(value: Any, depth: int = 0) -> bool:
    """True for a path, a file object or a `(name, content[, type…])` tuple, alone or in a
    list: what no JSON or form body can carry as text (bytes alone can, as UTF-8). A tuple
    names a file to upload: Bitbucket's `("hello.txt", b"…", "text/plain")` in `extra_body`
    went out as a JSON list of three strings (UX audit 15). Lists are looked into a few
    levels down (a list inside itself recursed without end: hostile sweep)."""
    if isinstance(value, tuple) and len(value) >= 2 and _is_content(value[1]):
        return True
    if isinstance(value, (list, tuple)) and value:
        return depth < 4 and any(holds_upload(v, depth + 1) for v in value)
    return isinstance(value, os.PathLike) or callable(getattr(value, "read", None))


def _is_file(value: Any) -> bool:
    return _is_content(value) or (
        isinstance(value, tuple) and len(value) >= 2 and _is_content(value[1])
    )


def _media_choice(declared: str | None, guessed: str | None) -> str | None:
    """The `encoding.contentType` to send: the guess when the spec lists it, else the first
    concrete type the spec lists."""
    if not declared:
        return None
    listed = [m.strip() for m in declared.split(",") if m.strip()]
    if guessed and any(
        m == guessed or (m.endswith("/*") and guessed.startswith(m[:-1])) for m in listed
    ):
        return guessed
    concrete = [m for m in listed if "*" not in m]
    return concrete[0] if concrete else None


def _file_part(field: str, item: Any, encoding: Mapping[str, Any]) -> tuple[Any, ...]:
    """httpx's `(filename, content, content_type, headers)` of one file. `FileProblem` for a
    path naming no readable file, or a content type or header that would add header lines
    to the part (a CR LF: hostile audit 16)."""
    name, content, media, headers = None, item, None, {}
    if isinstance(item, tuple):
        name, content, *rest = item
        media = rest[0] if rest else None
        headers = dict(rest[1]) if len(rest) > 1 else {}
    if isinstance(content, os.PathLike):
        path = Path(content)
        name = name or path.name
        try:  # (no such file, a directory: Python's own error came out of the call)
            found = path.stat()
            if stat.S_ISREG(found.st_mode) and found.st_size and os.access(path, os.R_OK):
                content = PathReading(field, path, found.st_size)  # read as it is sent
            else:  # a pipe, `/dev/stdin`, a `/proc` file: no size to declare, read now
                content = path.read_bytes()
        except OSError as exc:
            raise FileProblem(field, why_unreadable(exc)) from None
    elif isinstance(content, str):
        content = content.encode()
    elif not isinstance(content, (bytes, bytearray, memoryview)):
        given = getattr(content, "name", None)
        name = name or (os.path.basename(given) if isinstance(given, str) else None)
        content = PartReading(field, content)
    guessed = mimetypes.guess_type(name)[0] if name else None
    media = (
        media
        or _media_choice(encoding.get("contentType"), guessed)
        or guessed
        or "application/octet-stream"
    )
    headers = {**encoding.get("headers", {}), **headers}
    texts = [media, *headers, *headers.values()]
    if not all(isinstance(t, str) for t in texts) or _CONTROL.search("".join(texts)):
        message = "a part's content type and headers must be text without line breaks"
        raise FileProblem(field, message)
    return (name or field, content, media, headers)


# what no part's content type or header may hold: httpx writes them as they are, so a CR LF
# (a content type an end user gave an upload) added header lines to the part
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _part_media(declared: Any, structured: bool) -> str | None:
    """The content type of a part that is no file: of the `encoding`'s (a comma-separated
    list in OpenAPI 3.0), the first, or for an object or array the first that JSON text
    fits (a JSON type, `text/plain`, a wildcard: then `application/json`). An object under
    `application/xml` (OpenAPI's own example) went out as JSON labelled XML: the client
    writes no XML, so the part says what it holds (W305 at generation)."""
    if not isinstance(declared, str) or not declared.strip():
        return None
    listed = [item.strip() for item in declared.split(",") if item.strip()]
    if not structured:
        return listed[0]
    for item in listed:
        essence = item.split(";", 1)[0].strip().lower()
        if is_json_media(essence) or essence == "text/plain":
            return item
    return "application/json"


def _value_part(value: Any, encoding: Mapping[str, Any]) -> tuple[Any, ...]:
    """A part for a value that is not a file: text, or JSON for objects (OpenAPI's default)
    and for any value the spec's `encoding` gives a JSON content type (a string as `"x"`);
    with the content type and headers that `encoding` gives it."""
    structured = isinstance(value, (dict, list))
    media = _part_media(encoding.get("contentType"), structured)
    is_json = structured or is_json_media(media)
    text_value = (
        json.dumps(value, separators=(",", ":"), ensure_ascii=False) if is_json else text(value)
    )
    media = media or ("application/json" if is_json else None)
    headers = dict(encoding.get("headers") or {})
    return (None, text_value.encode(), media, headers)


def multipart_parts(
    raw: Mapping[str, Any], dumped: Mapping[str, Any], encodings: Mapping[str, Mapping[str, Any]]
) -> list[tuple[str, Any]]:
    """The parts of a multipart body, in the properties' order: `raw` holds each property's
    value as given (files), `dumped` its JSON-ready value, both by wire name. Every field is
    a part (so that a body without files is multipart too)."""
    parts: list[tuple[str, Any]] = []
    for key, item in dumped.items():
        original = raw.get(key, item)
        encoding = encodings.get(key, {})
        if _is_file(original):
            parts.append((key, _file_part(key, original, encoding)))
        elif (
            isinstance(original, (list, tuple)) and original and all(_is_file(v) for v in original)
        ):
            parts.extend((key, _file_part(key, v, encoding)) for v in original)
        elif item is None:
            continue
        elif "style" in encoding or "explode" in encoding:
            # OpenAPI 3.0.4/3.1.1: a style given for a multipart field applies as in a form
            # (Stripe's `expand[0]`, `file_link_data[create]` parts), one text part a pair
            style = encoding.get("style", "form")
            explode = encoding.get("explode", style == "form")
            parts.extend(
                (name, _value_part(value, {}))
                for name, value in query_pairs(key, item, style, explode)
            )
        elif isinstance(item, list):
            # each item a part of the property's name (OpenAPI 3.0.3: "each element of a
            # schema array property takes a section"; an array of objects went as one part)
            parts.extend((key, _value_part(v, encoding)) for v in item if v is not None)
        else:
            parts.append((key, _value_part(item, encoding)))
    return parts


# ---- form -----------------------------------------------------------------------------------
def form_fields(
    dumped: Mapping[str, Any], encodings: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """The fields of a form body. A property whose `encoding` gives a `style` or `explode`
    is serialised as that style says (as a query parameter is), one whose `encoding` gives
    a JSON `contentType` as JSON text (a string as `"x"`: OpenAPI 3.1.1's own example);
    otherwise arrays of values repeat the field and objects are sent as JSON text."""
    data: dict[str, Any] = {}
    for key, item in dumped.items():
        if item is None:
            continue
        encoding = encodings.get(key, {})
        if "style" in encoding or "explode" in encoding:
            style = encoding.get("style", "form")
            explode = encoding.get("explode", style == "form")
            for name, value in query_pairs(key, item, style, explode):
                data.setdefault(name, []).append(value)
        elif is_json_media(encoding.get("contentType")) or (
            isinstance(item, (dict, list))
            and not (isinstance(item, list) and all(not isinstance(v, (dict, list)) for v in item))
        ):
            data[key] = json.dumps(item, separators=(",", ":"))
        else:
            is_list = isinstance(item, list)  # (a null item is undefined: left out)
            data[key] = [text(v) for v in item if v is not None] if is_list else text(item)
    return data


# ---- a validated body -----------------------------------------------------------------------
def _by_wire_name(value: Any) -> dict[str, Any]:
    """A model's values as given (files stay files), by wire name."""
    if not isinstance(value, BaseModel):
        return dict(value) if isinstance(value, Mapping) else {}
    found = {
        field_wire_name(name, info): getattr(value, name)
        for name, info in type(value).model_fields.items()
    }
    found.update(value.model_extra or {})
    return found


def encode_body(
    encoding: str,
    value: Any,
    dumped: Any,
    encodings: Mapping[str, Mapping[str, Any]],
    extra_files: Mapping[str, Any] | None = None,
) -> tuple[bytes | None, dict[str, Any] | None, list[tuple[str, Any]] | None]:
    """(content, form data, files) of a validated body (`value`, and `dumped` for the wire)
    in the request `encoding`: `json`, `form` or `multipart` (`encodings`: the spec's
    `encoding` object of each property; `extra_files`: files given in `extra_body`, whose
    keys `dumped` holds in their place)."""
    if encoding == "json":
        return json.dumps(dumped, separators=(",", ":"), ensure_ascii=False).encode(), None, None
    fields = dumped if isinstance(dumped, dict) else {"body": dumped}
    if encoding == "form":
        return None, form_fields(fields, encodings), None
    raw = {**_by_wire_name(value), **(extra_files or {})}
    return None, None, multipart_parts(raw, fields, encodings) or None
