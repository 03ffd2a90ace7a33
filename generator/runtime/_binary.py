"""Binary response bodies: `BinaryResponse`, what an operation returns for a file, an image,
a PDF or any other body that is not JSON or text.

An operation that may return one takes `stream=`:

- `stream=False` (default): the body is read (within the client's `max_response_size`)
  and the connection released before the method returns; `.read()`, `.text`,
  `.iter_bytes()` and `.write_to_file()` work on the bytes in memory.
- `stream=True`: the method returns as soon as the headers arrive and the body is left
  on the connection. Use the response as a context manager, which releases the
  connection however the block ends; `.iter_bytes()` and `.write_to_file()` then move the
  body chunk by chunk without ever holding it whole (no size limit applies to them),
  while `.read()` reads it whole, within `max_response_size`.

The async client returns an `AsyncBinaryResponse` instead, whose methods are the
`a`-prefixed ones (`await r.aread()`, `async for chunk in r.aiter_bytes()`,
`await r.awrite_to_file(path)`, `async with`): each type has only the methods its client can
run, so that a sync call on an async body (or the reverse) is a type error, not a
`RuntimeError` from httpx. What does not touch the connection (`status_code`, `headers`,
`content_type`, `filename`, `is_read`, `text`) is shared, in `BaseBinaryResponse`.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import unicodedata
import zlib
from collections.abc import AsyncIterator, Iterator
from email.message import Message
from email.utils import collapse_rfc2231_value
from typing import Any

import httpx

from . import errors

__all__ = [
    "ACCEPTED_CODINGS",
    "AsyncBinaryResponse",
    "BaseBinaryResponse",
    "BinaryResponse",
    "SizeLimit",
    "body_read",
    "check_declared_size",
    "release_dropped",
    "stacked_codings",
    "stream_errors",
]

_TOKEN = re.compile(r"[^\s;]+")


def body_read(response: httpx.Response) -> bool:
    """Is the response's whole body in memory (not left on the connection to stream)?"""
    try:
        response.content  # noqa: B018 (raises ResponseNotRead)
    except httpx.ResponseNotRead:
        return False
    return True


def check_declared_size(response: httpx.Response, limit: int | None) -> None:
    """Raise `ResponseTooLargeError` when the response's `Content-Length` is over `limit`
    (the body is then never read)."""
    declared = response.headers.get("content-length", "")
    if limit is not None and declared.isdigit() and int(declared) > limit:
        raise errors.ResponseTooLargeError(response=response, limit=limit, declared=int(declared))


# the content codings a body is asked for in (`Accept-Encoding`) and read in: one layer of
# either expands at most about a thousand times one chunk before its size is counted
ACCEPTED_CODINGS = "gzip, deflate"
_UNBOUNDED_CODINGS = ("br", "zstd")  # decoded by httpx where their libraries are installed


def stacked_codings(response: httpx.Response) -> errors.APIError | None:
    """The error of a response whose body is coded in a way no size limit bounds, to raise
    before reading it: httpx decodes each chunk received whole, layer after layer, so a
    13 kB body of two gzip layers took gigabytes of memory before its size was counted (no
    API sends two), and one layer of brotli or zstd (decoded where their libraries are
    installed) expands a 3 kB body to gigabytes (hostile audit 12; the client asks for
    gzip or deflate only)."""
    value = response.headers.get("content-encoding")
    if not value:
        return None
    codings = [
        c for c in (p.strip().lower() for p in value.split(",")) if c not in ("", "identity")
    ]
    if len(codings) < 2 and not any(c in _UNBOUNDED_CODINGS for c in codings):
        return None
    said = "stacks content codings" if len(codings) > 1 else "is coded"
    return errors.APIResponseValidationError(
        f"{response.status_code} response body not read: it {said} "
        f"({', '.join(codings)}), which could expand past any size limit before it is counted",
        response=response,
    )


class _BoundedDecoder:
    """httpx's gzip or deflate decoder of a body read whole within `limit` bytes: each
    chunk is decompressed only as far as the bytes left under the limit, so that a body
    past it raises `ResponseTooLargeError` without being expanded first (httpx's own
    decoder expanded each chunk received whole: a 1 MiB gzip body took 2 GiB of memory
    before its size was counted; hostile sweep)."""

    def __init__(self, response: httpx.Response, limit: int, gzip: bool) -> None:
        self.response = response
        self.limit = limit
        self.out = 0
        self.first = True  # (deflate: zlib's format, else raw from the first chunk, as httpx)
        self.inflate = zlib.decompressobj(zlib.MAX_WBITS | 16 if gzip else zlib.MAX_WBITS)
        self.gzip = gzip

    def decode(self, data: bytes) -> bytes:
        """The bytes `data` expands to; `ResponseTooLargeError` past the limit."""
        if not data:
            return b""
        try:
            out = self.inflate.decompress(data, self.limit - self.out + 1)
        except zlib.error as exc:
            if self.gzip or not self.first:
                raise httpx.DecodingError(str(exc)) from None
            self.inflate = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate
            self.first = False
            return self.decode(data)
        self.first = False
        self.out += len(out)
        if self.out > self.limit or self.inflate.unconsumed_tail:
            raise errors.ResponseTooLargeError(response=self.response, limit=self.limit)
        return out

    def flush(self) -> bytes:
        """What is left (nothing: `decode` took all it could)."""
        try:
            return self.inflate.flush()
        except zlib.error as exc:
            raise httpx.DecodingError(str(exc)) from None


def bound_decoding(response: httpx.Response, limit: int | None) -> None:
    """Decode the body of `response`, about to be read whole, within `limit` bytes
    (`_BoundedDecoder`), where it is gzip or deflate and httpx has not begun decoding."""
    coding = response.headers.get("content-encoding", "").strip().lower()
    if limit is None or coding not in ("gzip", "x-gzip", "deflate"):
        return
    if "_decoder" not in vars(response):  # (httpx makes its decoder on the first read)
        decoder = _BoundedDecoder(response, limit, coding != "deflate")
        response._decoder = decoder  # type: ignore[assignment]


class SizeLimit:
    """Collects a body chunk by chunk: `ResponseTooLargeError` as soon as the declared
    length or the bytes received pass `limit`."""

    def __init__(self, response: httpx.Response, limit: int | None) -> None:
        check_declared_size(response, limit)
        bound_decoding(response, limit)
        self.response = response
        self.limit = limit
        self.chunks: list[bytes] = []
        self.received = 0

    def add(self, chunk: bytes) -> None:
        """Keep `chunk`, or raise when the body is now over the limit."""
        self.received += len(chunk)
        if self.limit is not None and self.received > self.limit:
            raise errors.ResponseTooLargeError(response=self.response, limit=self.limit)
        self.chunks.append(chunk)

    def keep(self) -> None:
        """Store the body in the response, as `response.read()` would have."""
        self.response._content = b"".join(self.chunks)


_CLOSING: set[Any] = set()  # the tasks releasing dropped async responses, kept till done


def release_dropped(response: httpx.Response, asynchronous: bool) -> None:
    """Release the connection of a response dropped unclosed (from a finaliser: each held
    one of the pool's, and once all were held every call waited for one; hostile audits 9
    and 12). An async one's `aclose()` is scheduled on the running event loop, as a
    finaliser cannot await; with none running in this thread, nothing can be done."""
    if response.is_closed:
        return
    if not asynchronous:
        response.close()
        return
    import asyncio  # here: only a dropped async response needs it

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # trio's, if it runs this thread: a system task closes it
        trio = sys.modules.get("trio")
        if trio is not None:
            try:
                trio.lowlevel.spawn_system_task(response.aclose)
            except RuntimeError:  # (no trio run in this thread)
                pass
        return
    task = loop.create_task(response.aclose())
    _CLOSING.add(task)
    task.add_done_callback(_CLOSING.discard)


def stream_errors(
    request: httpx.Request, response: httpx.Response, exc: Exception
) -> errors.APIError:
    """The package's error for an httpx error met while a body streams."""
    if isinstance(exc, httpx.DecodingError):
        return errors.APIResponseValidationError(
            f"{response.status_code} response body could not be decoded: {type(exc).__name__}",
            response=response,
        )
    if isinstance(exc, httpx.TimeoutException):
        return errors.APITimeoutError(request=request)
    return errors.APIConnectionError(
        f"Connection error while reading the body: {type(exc).__name__}", request=request
    )


def _plain_name(name: str) -> str | None:
    """A file name without folders, leading dots (a hidden file, `.bashrc`), control,
    format or separator characters (a right-to-left override, a line separator), at most
    255 characters (its extension kept); None when nothing is left."""
    name = os.path.basename(name.replace("\\", "/"))
    kept = "".join(c for c in name if unicodedata.category(c) not in _UNPRINTED).strip()
    kept = kept.lstrip(".").strip()
    if len(kept) > 255:
        stem, dot, extension = kept.rpartition(".")
        short = dot and len(extension) < 16
        kept = stem[: 254 - len(extension)] + "." + extension if short else kept[:255]
    return kept or None


_UNPRINTED = frozenset({"Cc", "Cf", "Zl", "Zp"})  # control, format, line and paragraph


class BaseBinaryResponse:
    """What `BinaryResponse` and `AsyncBinaryResponse` share: the description of the body.

    `status_code`, `headers`, `content_type` (the media type, without parameters) and
    `filename` (from `Content-Disposition`) describe it; `http_response` is httpx's.
    """

    def __init__(self, response: httpx.Response, *, max_size: int | None = None) -> None:
        self.http_response = response
        self.max_size = max_size

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.status_code} {self.content_type}>"

    @property
    def status_code(self) -> int:
        """The response's status code."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response's headers."""
        return self.http_response.headers

    @property
    def content_type(self) -> str:
        """The media type of the body (`application/pdf`), lower case, without parameters;
        `application/octet-stream` when the server names none."""
        found = _TOKEN.match(self.headers.get("content-type", ""))
        return found.group().lower() if found else "application/octet-stream"

    @property
    def filename(self) -> str | None:
        """The file name the server suggests in `Content-Disposition` (`filename*` first, as
        RFC 6266 says), without any folder, control or bidirectional-override characters;
        None when it names none (or only `.` or `..`)."""
        header = self.headers.get("content-disposition")
        if not header:
            return None
        message = Message()
        message["content-disposition"] = header
        plain: str | None = None
        extended: str | None = None
        for key, value in (message.get_params(header="content-disposition") or [])[1:]:
            if key.lower() != "filename":
                continue
            if isinstance(value, tuple):  # `filename*=UTF-8''…` (RFC 2231)
                decoded = _collapsed(value)
                extended = extended or (_plain_name(decoded) if decoded is not None else None)
            elif plain is None:
                plain = _plain_name(value)
        return extended or plain

    @property
    def is_read(self) -> bool:
        """True once the whole body is in memory."""
        return body_read(self.http_response)

    @property
    def text(self) -> str:
        """The body decoded as text (the charset the server names, else UTF-8 or a guess);
        a streamed body must be read first."""
        self._check_unconsumed()
        if not self.is_read:
            raise RuntimeError("a streamed body: call read() (or aread()) before .text")
        return errors.response_text(self.http_response)

    def _check_unconsumed(self) -> None:
        """Raise `RuntimeError` when the body streamed through already (`iter_bytes`,
        `write_to_file`) and was not kept, or was closed unread: httpx's `StreamConsumed`
        or `StreamClosed` came out raw, and a second `write_to_file` to the same path
        emptied the file the first had written (media audit 12, and its review)."""
        if self.is_read:
            return
        if self.http_response.is_stream_consumed:
            raise RuntimeError(
                "the body was streamed already (iter_bytes, write_to_file): a streamed body"
                " is read once; call read() (or aread()) first to keep it"
            )
        if self.http_response.is_closed:  # (left unread: `close()`, a `with` block's end)
            raise RuntimeError("the body was closed unread: read it before closing it")


def _collapsed(value: tuple[str, str, str]) -> str | None:
    """An RFC 2231 value decoded; None where its charset cannot decode it (`idna''…`,
    `undefined''…` raised `UnicodeError` out of `.filename`: hostile audit 12)."""
    try:
        return collapse_rfc2231_value(value)
    except (LookupError, ValueError, TypeError, AssertionError):
        return None


class BinaryResponse(BaseBinaryResponse):
    """A binary response body of the sync client: read whole, iterated in chunks, or
    written to a file (the async client's is `AsyncBinaryResponse`)."""

    def read(self) -> bytes:
        """The whole body (read now, within `max_response_size`, when streaming)."""
        self._check_unconsumed()
        if not self.is_read:
            try:
                body = SizeLimit(self.http_response, self.max_size)
                for chunk in self.http_response.iter_bytes():
                    body.add(chunk)
            except httpx.HTTPError as exc:
                error = stream_errors(self.http_response.request, self.http_response, exc)
            else:
                body.keep()
                return self.http_response.content
            finally:
                self.close()
            raise error
        return self.http_response.content

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body in chunks, as it arrives (decoded from any `Content-Encoding`)."""
        self._check_unconsumed()
        try:
            yield from self.http_response.iter_bytes(chunk_size)
        except httpx.HTTPError as exc:
            error = stream_errors(self.http_response.request, self.http_response, exc)
        else:
            return
        finally:
            self.close()
        raise error

    def write_to_file(self, path: str | os.PathLike[str]) -> int:
        """Write the body to `path` chunk by chunk; the number of bytes written."""
        self._check_unconsumed()  # (before the file is opened, and emptied)
        written = 0
        with open(path, "wb") as file:
            for chunk in self.iter_bytes():
                written += file.write(chunk)
        return written

    def close(self) -> None:
        """Release the connection (a body not read yet is discarded)."""
        if not self.http_response.is_closed:
            self.http_response.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            release_dropped(self.http_response, False)

    def __enter__(self) -> BinaryResponse:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncBinaryResponse(BaseBinaryResponse):
    """A binary response body of the async client: read whole, iterated in chunks, or
    written to a file, with `await` (the sync client's is `BinaryResponse`)."""

    async def aread(self) -> bytes:
        """The whole body (read now, within `max_response_size`, when streaming)."""
        self._check_unconsumed()
        if not self.is_read:
            try:
                body = SizeLimit(self.http_response, self.max_size)
                async for chunk in self.http_response.aiter_bytes():
                    body.add(chunk)
            except httpx.HTTPError as exc:
                error = stream_errors(self.http_response.request, self.http_response, exc)
            else:
                body.keep()
                return self.http_response.content
            finally:
                await self.aclose()
            raise error
        return self.http_response.content

    async def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The body in chunks, as it arrives (decoded from any `Content-Encoding`)."""
        self._check_unconsumed()
        try:
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                yield chunk
        except httpx.HTTPError as exc:
            error = stream_errors(self.http_response.request, self.http_response, exc)
        else:
            return
        finally:
            await self.aclose()
        raise error

    async def awrite_to_file(self, path: str | os.PathLike[str]) -> int:
        """Write the body to `path` chunk by chunk; the number of bytes written."""
        self._check_unconsumed()  # (before the file is opened, and emptied)
        written = 0
        with open(path, "wb") as file:  # local disk, chunk by chunk
            async for chunk in self.aiter_bytes():
                written += file.write(chunk)
        return written

    async def aclose(self) -> None:
        """Release the connection (a body not read yet is discarded)."""
        if not self.http_response.is_closed:
            await self.http_response.aclose()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            release_dropped(self.http_response, True)

    async def __aenter__(self) -> AsyncBinaryResponse:
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.aclose()
