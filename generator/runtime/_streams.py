"""Streams of events and items: what an operation returns for `text/event-stream`
(server-sent events) and JSON Lines (`application/jsonl`, `application/x-ndjson`,
`application/json-seq`) bodies.

A stream is returned as soon as the response headers arrive; the body is read as it is
iterated, an event or a line at a time, and never held whole:

    with client.watch_events() as events:        # closes the connection on leaving
        for event in events:                      # ServerSentEvent[Item]: .data typed
            ...
    async with await aclient.watch_events() as events:
        async for event in events:
            ...

- Server-sent events yield `ServerSentEvent(data, event, id, retry)`, `data` parsed into
  the spec's schema (JSON), or kept as text when the schema is a string; OpenAPI 3.2's
  `itemSchema` describes the whole event, which is then validated as that model.
- JSON Lines yield each line's value parsed into the spec's item schema.
- When a server-sent event stream breaks (a connection error mid-stream) after the
  server sent an event `id`, the request is sent again with `Last-Event-ID` after the
  server's `retry:` delay (default 1 s), up to the client's `max_retries` times in a row.
  A stream that ends normally is over.
- An item that does not match the spec is built as far as it can be (`_lenient`), with a
  warning logged once per operation; with `strict_response_validation` it raises
  `APIResponseValidationError`. One event or line longer than the client's
  `max_response_size` raises `ResponseTooLargeError`.
- An event whose data is `[DONE]` ends the stream (the end mark of OpenAI's streams and
  the APIs that follow them, which openai-python stops at), unless the events are text;
  where each event's data is JSON, an event with no data (a keep-alive) is skipped, an
  event named `error`, or whose data is `{"error": {…}}`, that is not an item raises
  `StreamEventError` (openai-python raises on both), and other data that is not JSON is
  yielded as its text with a warning (raised when strict).
- A stream is an iterator: `next(stream)` takes one event, and a loop after it goes on
  from there (a second loop, or one after the stream ended, yields nothing more).

The sync client returns a `Stream` (`for`, `with`, `close()`), the async client an
`AsyncStream` (`async for`, `async with`, `aclose()`): each type has only what its client can
run, so that `for` over an async stream is a type error, not a `RuntimeError` from httpx.
The parsing, the size limit and the resumption rules are shared, in `BaseStream`.

This module is plain Python, copied verbatim into every generated package.
"""

from __future__ import annotations

import codecs
import contextlib
import time
import weakref
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx
from pydantic import ValidationError

from . import errors
from ._binary import release_dropped, stream_errors
from ._lenient import UNDECODABLE, construct, decode, warn_once
from ._types import lenient_parsing
from ._wire import problems, validate_json, validate_python

__all__ = ["AsyncStream", "BaseStream", "ServerSentEvent", "Stream"]

T = TypeVar("T")
DEFAULT_RECONNECT_DELAY = 1.0  # seconds, until the server sends `retry:`
MAX_RETRY = 60_000  # the longest `retry:` (milliseconds) waited before reconnecting


@dataclass(frozen=True)
class ServerSentEvent(Generic[T]):
    """One server-sent event: its `data` parsed as the spec says, and its fields."""

    data: T
    event: str = "message"
    id: str | None = None
    retry: int | None = None


class _Lines:
    """Text lines from chunks of bytes (UTF-8; CRLF, LF or CR), each at most `limit` long.

    Only each new chunk is searched for line breaks: the pieces of a line still open are
    kept apart and joined once it ends (re-reading the open line with every chunk took
    time in the square of its length: a 50 MiB line took 40 s)."""

    def __init__(self, response: httpx.Response, limit: int | None) -> None:
        self.response = response
        self.limit = limit
        self.pieces: list[str] = []  # the line still open
        self.open = 0  # its length
        self.cr = False  # the chunk before ended with CR: maybe the half of a CRLF
        # (a byte order mark opening the stream is no part of its first line: WHATWG)
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")("replace")

    def feed(self, chunk: bytes, final: bool = False) -> list[str]:
        text = self.decoder.decode(chunk, final)
        if self.cr:
            text, self.cr = "\r" + text, False
        if text.endswith("\r") and not final:
            text, self.cr = text[:-1], True
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        found = text.split("\n")
        last = found.pop()
        if found:
            found[0] = "".join(self.pieces) + found[0]
            self.pieces, self.open = [], 0
        if last:
            self.pieces.append(last)
            self.open += len(last)
        limit = self.limit
        if limit is not None and (self.open > limit or any(len(f) > limit for f in found)):
            raise errors.ResponseTooLargeError(response=self.response, limit=limit)
        if final and self.pieces:
            found.append("".join(self.pieces))
            self.pieces, self.open = [], 0
        return found


class _EventParser:
    """The WHATWG event stream interpretation: fields into events, dispatched on blank lines."""

    def __init__(self) -> None:
        self.data: list[str] = []
        self.size = 0  # the characters in `data`, with the line breaks that will join them
        self.event = ""
        self.id_buffer: str | None = None
        self.last_id: str | None = None  # committed when an event ends (a blank line)
        self.retry: int | None = None  # the reconnection delay: the last `retry:` sent
        self.event_retry: int | None = None  # the `retry:` of the event being read

    def line(self, line: str) -> tuple[str, str, str | None, int | None] | None:
        """(event, data, id, retry) when `line` ends an event, else None."""
        if not line:
            found = None
            self.last_id = self.id_buffer
            if self.data:
                data = "\n".join(self.data)
                found = (self.event or "message", data, self.last_id, self.event_retry)
            self.data, self.event, self.size, self.event_retry = [], "", 0, None
            return found
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self.data.append(value)
            self.size += len(value) + 1
        elif name == "event":
            self.event = value
        elif name == "id" and "\0" not in value:
            self.id_buffer = value
        elif name == "retry" and value.isascii() and value.isdigit():
            # milliseconds, bounded as `Retry-After` is (a 5,000-digit value was a raw
            # ValueError, a 14-digit one a sleep of 3,000 years)
            self.retry = min(int(value) if len(value) <= 12 else MAX_RETRY, MAX_RETRY)
            self.event_retry = self.retry
        return None


class _Finished(Exception):
    """The stream's end mark (`data: [DONE]`) was read."""


def _error_message(data: Any, text: str) -> str:
    """What an `error` event says: its `message` (or its `error`'s), else its text."""
    found = data.get("error", data) if isinstance(data, dict) else None
    found = found.get("message") if isinstance(found, dict) else found
    said = found if isinstance(found, str) and found.strip() else text
    return f"the stream sent an error event: {said[:500]}"


class BaseStream(Generic[T]):
    """What `Stream` and `AsyncStream` share: parsing events and items, and when to resume."""

    def __init__(
        self,
        response: httpx.Response,
        *,
        kind: str,
        item_type: Any = None,
        resume: Callable[[str], Any] | None = None,
        max_reconnects: int = 2,
        max_size: int | None = None,
        strict: bool = False,
        operation: str = "",
    ) -> None:
        self.response = response
        self._strict = strict
        self._operation = operation  # `GET /path`, for the warning about items off the spec
        self.kind = kind  # "sse" (data typed) | "sse-event" (event typed) | "jsonl"
        self.item_type = item_type
        self._resume = resume
        self._max_reconnects = max_reconnects
        self._max_size = max_size
        self._parser = _EventParser()
        # closed by its user (`close()`, leaving `with`): ended, never resumed (a read
        # after the `with` block sent the request again with `Last-Event-ID`; review)
        self._stopped = False

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.kind} {self.response.status_code}>"

    @property
    def last_event_id(self) -> str | None:
        """The last event id the server sent (sent back as `Last-Event-ID` to resume)."""
        return self._parser.last_id

    # ---- items ----------------------------------------------------------------------------
    def _items(self, line: str) -> list[Any]:
        if self.kind == "jsonl":
            value = line.strip().strip("\x1e").strip()
            return [self._parse(value)] if value else []
        parser = self._parser
        found = parser.line(line)
        if found is None:
            if self._max_size is not None and parser.size > self._max_size:
                # one event of many short `data:` lines: bounded as one long line is
                raise errors.ResponseTooLargeError(response=self.response, limit=self._max_size)
            return []
        event, data, event_id, retry = found
        if self.kind == "sse-event":
            fields = {"event": event, "data": data, "id": event_id, "retry": retry}
            return [self._validate({k: v for k, v in fields.items() if v is not None})]
        if self.item_type is str:  # (text events: `[DONE]` may be a line of the text)
            return [ServerSentEvent(data, event, event_id, retry)]
        said = data.strip()
        if said == "[DONE]":  # (an undeclared stream's too: OpenAI's `stream: true`)
            raise _Finished
        if self.item_type is None:
            return [ServerSentEvent(data, event, event_id, retry)]
        if not said:  # a keep-alive (`event: ping`, `data:`): no item
            return []
        parsed = self._parse(data, event)
        return [ServerSentEvent(parsed, event, event_id, retry)]

    def _parse(self, text: str, event: str = "") -> Any:
        try:
            with lenient_parsing():
                return validate_json(self.item_type or Any, text.encode())
        except ValidationError as exc:
            data = decode(text.encode())
            # the server's error, not an item off the spec: an `error` event, or data that
            # is an error object (OpenAI's `data: {"error": …}` with no event name, on which
            # openai-python raises as well)
            if event == "error" or (isinstance(data, dict) and isinstance(data.get("error"), dict)):
                raise errors.StreamEventError(
                    _error_message(data, text), data=data, response=self.response
                ) from None
            if not self._strict:
                return self._lenient(exc, text if data is UNDECODABLE else data)
            found = problems(exc)
        raise self._mismatch(found)

    def _validate(self, value: dict[str, Any]) -> Any:
        try:
            with lenient_parsing():
                return validate_python(self.item_type or Any, value)
        except ValidationError as exc:
            if not self._strict:
                return self._lenient(exc, value)
            found = problems(exc)
        raise self._mismatch(found)

    def _lenient(self, error: ValidationError, data: Any) -> Any:
        """An item off the spec, built as far as it can be (a warning, once); text that
        is not JSON, as it is."""
        warn_once(self._operation or "stream", "stream item", error, self.item_type)
        return data if isinstance(data, str) else construct(self.item_type or Any, data)

    def _mismatch(self, found: list[dict[str, Any]]) -> errors.APIResponseValidationError:
        where = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(item)'}: {e['msg']}" for e in found)
        return errors.APIResponseValidationError(
            f"{self.response.status_code} stream item does not match the spec: {where}",
            response=self.response,
        )

    def _connected(self) -> _Lines:
        """The lines of the current response, the event parser set to read them (an event
        a broken connection cut short is dropped)."""
        parser = self._parser
        parser.data, parser.event, parser.id_buffer, parser.size = [], "", parser.last_id, 0
        return _Lines(self.response, self._max_size)

    def _may_resume(self, exc: httpx.HTTPError, attempts: int) -> bool:
        """True when the request is to be sent again after `exc` ended the body: a broken
        connection, of an event stream whose server sent an id, `attempts` in a row so far."""
        return (
            isinstance(exc, httpx.TransportError)
            and not self._stopped
            and self.kind != "jsonl"
            and self._resume is not None
            and bool(self._parser.last_id)  # (an empty `id:` resets it: nothing to send)
            and attempts < self._max_reconnects
        )

    def _delay(self) -> float:
        retry = self._parser.retry
        return DEFAULT_RECONNECT_DELAY if retry is None else retry / 1000


class Stream(BaseStream[T]):
    """A typed stream of server-sent events or JSON Lines items, of the sync client (see
    the module docstring; the async client's is `AsyncStream`)."""

    _iterator: Iterator[T] | None = None

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        if self._stopped:  # (what was read before `close()` is discarded with the rest)
            raise StopIteration
        if self._iterator is None:
            # (read through a weak reference: a stream its reader held alive was released
            # only by the garbage collector, not when dropped: `__del__`)
            self._iterator = type(self)._read(weakref.proxy(self))
        return next(self._iterator)

    def _read(self) -> Iterator[T]:
        attempts = 0
        while not self._stopped:
            lines = self._connected()
            try:
                for chunk in self.response.iter_bytes():
                    for line in lines.feed(chunk):
                        for item in self._items(line):
                            attempts = 0
                            yield item
                for line in lines.feed(b"", final=True):
                    yield from self._items(line)
                return
            except _Finished:
                return
            except httpx.HTTPError as exc:
                if self._stopped:  # (closed by its user, from another thread say: ended)
                    return
                error = stream_errors(self.response.request, self.response, exc)
                resume = self._may_resume(exc, attempts)
            finally:
                with contextlib.suppress(ReferenceError):  # (the stream was dropped: closed)
                    self._release()
            if not resume:
                raise error
            attempts += 1
            time.sleep(self._delay())
            assert self._resume is not None and self._parser.last_id is not None
            self.response = self._resume(self._parser.last_id)

    def close(self) -> None:
        """Close the connection (an unread rest of the stream is discarded): the stream
        ends, and is not resumed."""
        self._stopped = True
        self._release()

    def _release(self) -> None:
        if not self.response.is_closed:
            self.response.close()

    def __del__(self) -> None:
        # a stream dropped unclosed releases its connection: each held one of the pool's,
        # and once all were held every call timed out (hostile audit 9)
        with contextlib.suppress(Exception):
            release_dropped(self.response, False)

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncStream(BaseStream[T]):
    """A typed stream of server-sent events or JSON Lines items, of the async client (see
    the module docstring; the sync client's is `Stream`)."""

    _iterator: AsyncIterator[T] | None = None

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        if self._stopped:  # (as `Stream.__next__`)
            raise StopAsyncIteration
        if self._iterator is None:  # (through a weak reference, as `Stream.__next__`)
            self._iterator = type(self)._read(weakref.proxy(self))
        return await self._iterator.__anext__()

    async def _read(self) -> AsyncIterator[T]:
        attempts = 0
        while not self._stopped:
            lines = self._connected()
            try:
                async for chunk in self.response.aiter_bytes():
                    for line in lines.feed(chunk):
                        for item in self._items(line):
                            attempts = 0
                            yield item
                for line in lines.feed(b"", final=True):
                    for item in self._items(line):
                        yield item
                return
            except _Finished:
                return
            except httpx.HTTPError as exc:
                if self._stopped:  # (closed by its user, from another thread say: ended)
                    return
                error = stream_errors(self.response.request, self.response, exc)
                resume = self._may_resume(exc, attempts)
            finally:
                with contextlib.suppress(ReferenceError):  # (the stream was dropped: closed)
                    await self._arelease()
            if not resume:
                raise error
            attempts += 1
            import anyio  # here: a client that never reconnects a stream never imports it

            await anyio.sleep(self._delay())  # (asyncio's or trio's, whichever runs it)
            assert self._resume is not None and self._parser.last_id is not None
            self.response = await self._resume(self._parser.last_id)

    async def aclose(self) -> None:
        """Close the connection (an unread rest of the stream is discarded): the stream
        ends, and is not resumed."""
        self._stopped = True
        await self._arelease()

    async def _arelease(self) -> None:
        if not self.response.is_closed:
            await self.response.aclose()

    def __del__(self) -> None:  # (the async client's too: hostile audit 12)
        with contextlib.suppress(Exception):
            release_dropped(self.response, True)

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
