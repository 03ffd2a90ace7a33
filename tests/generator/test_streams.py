"""Server-sent events and JSON Lines: typed streams, `Stream` on the sync client and
`AsyncStream` on the async one, against a small HTTP server on 127.0.0.1 started and stopped
by each test (chunked bodies, a connection that breaks mid-stream, a client that leaves
early), and through httpx.MockTransport."""

from __future__ import annotations

import asyncio
import itertools
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import BuildPackage, minimal_spec

TICK = {"$ref": "#/components/schemas/Tick"}
SPEC = minimal_spec(
    {"Tick": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}},
    {
        "/events": {
            "get": {
                "operationId": "watchEvents",
                "responses": {
                    "200": {
                        "description": "Ticks, as server-sent events.",
                        "content": {"text/event-stream": {"schema": TICK}},
                    }
                },
            }
        },
        "/log": {
            "get": {
                "operationId": "tailLog",
                "responses": {
                    "200": {
                        "description": "Log lines, as text events.",
                        "content": {"text/event-stream": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
        "/lines": {
            "get": {
                "operationId": "exportTicks",
                "responses": {
                    "200": {
                        "description": "Ticks, as JSON Lines.",
                        "content": {"application/jsonl": {"schema": TICK}},
                    }
                },
            }
        },
    },
)

Script = Callable[["Handler", int], None]


def _method(client: Any, dotted: str) -> Any:
    """The client's method named by its dotted path from the client (`files.content.retrieve`)."""
    target = client
    for name in dotted.split("."):
        target = getattr(target, name)
    return target


class Handler(BaseHTTPRequestHandler):
    """Runs the test's script for each request (numbered from 0)."""

    protocol_version = "HTTP/1.1"
    server: LocalServer

    def do_GET(self) -> None:
        with self.server.lock:
            index = len(self.server.seen)
            self.server.seen.append(dict(self.headers.items()))
        self.server.script(self, index)

    def start(self, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def end(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def drop(self) -> None:
        """Break the connection mid-body (no terminating chunk)."""
        self.wfile.flush()
        self.connection.shutdown(socket.SHUT_RDWR)
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, script: Script) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.script = script
        self.seen: list[dict[str, str]] = []
        self.lock = threading.Lock()
        self.left = threading.Event()  # the client went away mid-stream

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def serve() -> Iterator[Callable[[Script], LocalServer]]:
    servers: list[tuple[LocalServer, threading.Thread]] = []

    def start(script: Script) -> LocalServer:
        server = LocalServer(script)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        return server

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def ticks(build_package: BuildPackage) -> ModuleType:
    return build_package(SPEC)


def resumable(handler: Handler, index: int) -> None:
    """Two events with ids, then a broken connection; from the id asked for, the rest."""
    handler.start("text/event-stream")
    if index == 0:
        handler.chunk(b': welcome\n\nretry: 5\n\nid: 1\ndata: {"n": 1}\n\n')
        handler.chunk(b'id: 2\nevent: tick\r\ndata: {"n":\r\ndata:  2}\r\n\r\n')
        handler.chunk(b'id: 3\ndata: {"n": 99')  # an event cut short: never seen
        handler.drop()
        return
    start = int(handler.headers["Last-Event-ID"]) + 1
    for n in range(start, 5):
        handler.chunk(f'id: {n}\ndata: {{"n": {n}}}\n\n'.encode())
    handler.end()


def test_events_resume_with_last_event_id_sync(ticks: ModuleType, serve: Any) -> None:
    server = serve(resumable)
    with ticks.Client(base_url=server.url) as client, client.events.retrieve() as events:
        received = [(e.id, e.event, e.data) for e in events]
    assert received == [
        ("1", "message", ticks.models.Tick(n=1)),
        ("2", "tick", ticks.models.Tick(n=2)),
        ("3", "message", ticks.models.Tick(n=3)),
        ("4", "message", ticks.models.Tick(n=4)),
    ]
    assert server.seen[0]["Accept"] == "text/event-stream"
    assert "Last-Event-ID" not in server.seen[0] and server.seen[1]["Last-Event-ID"] == "2"


def test_events_resume_with_last_event_id_async(ticks: ModuleType, serve: Any) -> None:
    server = serve(resumable)

    async def run() -> list[Any]:
        async with ticks.AsyncClient(base_url=server.url) as client:
            async with await client.events.retrieve() as events:
                return [event.data.n async for event in events]

    assert asyncio.run(run()) == [1, 2, 3, 4]
    assert server.seen[1]["Last-Event-ID"] == "2"


def without_ids(handler: Handler, index: int) -> None:
    handler.start("text/event-stream")
    handler.chunk(b'data: {"n": 1}\n\n')
    handler.drop()


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_broken_stream_without_ids_is_a_connection_error(
    ticks: ModuleType, serve: Any, mode: str
) -> None:
    server = serve(without_ids)
    received: list[int] = []
    with pytest.raises(ticks.APIConnectionError):
        if mode == "sync":
            with ticks.Client(base_url=server.url) as client:
                for event in client.events.retrieve():
                    received.append(event.data.n)
        else:

            async def run() -> None:
                async with ticks.AsyncClient(base_url=server.url) as client:
                    async for event in await client.events.retrieve():
                        received.append(event.data.n)

            asyncio.run(run())
    assert received == [1] and len(server.seen) == 1  # nothing to resume from


def endless(handler: Handler, index: int) -> None:
    """Events until the client goes away."""
    handler.start("text/event-stream")
    try:
        for n in range(100_000):
            handler.chunk(f'id: {n}\ndata: {{"n": {n}}}\n\n'.encode())
    except OSError:
        handler.server.left.set()


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_leaving_early_closes_the_connection(ticks: ModuleType, serve: Any, mode: str) -> None:
    server = serve(endless)
    message = "the server kept writing to a connection left open"
    # the iterators are kept alive: the stream's own close must end the connection
    if mode == "sync":
        with ticks.Client(base_url=server.url) as client:
            with client.events.retrieve() as events:
                iterator = iter(events)
                first = [next(iterator).data.n for _ in range(3)]
            assert server.left.wait(timeout=30), message  # the client is still open
            assert iterator is not None
    else:

        async def run() -> list[int]:
            async with ticks.AsyncClient(base_url=server.url) as client:
                async with await client.events.retrieve() as events:
                    iterator = aiter(events)
                    found = [(await anext(iterator)).data.n for _ in range(3)]
                left = await asyncio.to_thread(server.left.wait, 30)
                assert left and iterator is not None, message
            return found

        first = asyncio.run(run())
    assert first == [0, 1, 2]
    assert len(server.seen) == 1  # leaving is not a reason to reconnect


def json_lines(handler: Handler, index: int) -> None:
    handler.start("application/jsonl")
    handler.chunk(b'{"n": 1}\n{"n"')
    handler.chunk(b": 2}\r\n\n")
    handler.chunk(b'{"n": 3}')  # the last line needs no newline
    handler.end()


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_json_lines_are_typed_items(ticks: ModuleType, serve: Any, mode: str) -> None:
    server = serve(json_lines)
    if mode == "sync":
        with ticks.Client(base_url=server.url) as client, client.lines.retrieve() as lines:
            items = list(lines)
    else:

        async def run() -> list[Any]:
            async with ticks.AsyncClient(base_url=server.url) as client:
                async with await client.lines.retrieve() as lines:
                    return [item async for item in lines]

        items = asyncio.run(run())
    assert items == [ticks.models.Tick(n=1), ticks.models.Tick(n=2), ticks.models.Tick(n=3)]
    assert server.seen[0]["Accept"] == "application/jsonl"


# ---- through MockTransport --------------------------------------------------------------------
def mock(
    ticks: ModuleType,
    mode: str,
    body: bytes,
    content_type: str,
    method: str,
    **options: Any,
) -> list[Any]:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": content_type})

    transport = httpx.MockTransport(handler)
    if mode == "sync":
        client = ticks.Client(http_client=httpx.Client(transport=transport), **options)
        with _method(client, method)() as stream:
            return list(stream)

    async def run() -> list[Any]:
        aclient = ticks.AsyncClient(http_client=httpx.AsyncClient(transport=transport), **options)
        async with await _method(aclient, method)() as stream:
            return [item async for item in stream]

    return asyncio.run(run())


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_text_events_keep_their_data_as_text(ticks: ModuleType, mode: str) -> None:
    body = b"data: line one\ndata: line two\n\n: comment\n\nevent: end\ndata:\n\n"
    events = mock(ticks, mode, body, "text/event-stream; charset=utf-8", "log.retrieve")
    assert [(e.event, e.data) for e in events] == [
        ("message", "line one\nline two"),
        ("end", ""),
    ]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_item_off_the_spec_raises_when_strict(ticks: ModuleType, mode: str) -> None:
    with pytest.raises(ticks.APIResponseValidationError, match="stream item does not match"):
        mock(
            ticks,
            mode,
            b'{"n": 1}\n{"m": 2}\n',
            "application/jsonl",
            "lines.retrieve",
            strict_response_validation=True,
        )


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_item_off_the_spec_is_built_leniently_by_default(
    ticks: ModuleType, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = b'{"n": 1}\n{"m": 2}\n{"n": "x"}\n'
    with caplog.at_level("WARNING", logger=ticks.__name__):
        first, second, third = mock(ticks, mode, body, "application/jsonl", "lines.retrieve")
    assert isinstance(second, ticks.models.Tick) and isinstance(third, ticks.models.Tick)
    assert first.n == 1 and second.n is None and second.model_extra == {"m": 2}
    assert third.n == "x"  # kept as received
    warnings = [r for r in caplog.records if "stream item" in r.getMessage()]
    assert len(warnings) == 1 and "n: missing" in warnings[0].getMessage()


def test_an_event_over_the_size_limit_raises(ticks: ModuleType) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = b"data: " + b"x" * 100 + b"\n\n"
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    client = ticks.Client(
        http_client=httpx.Client(transport=httpx.MockTransport(handler)), max_response_size=50
    )
    with pytest.raises(ticks.ResponseTooLargeError), client.log.retrieve() as events:
        list(events)


def test_an_event_over_the_size_limit_raises_async(ticks: ModuleType) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = b"data: " + b"x" * 100 + b"\n\n"
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    async def run() -> None:
        transport = httpx.MockTransport(handler)
        client = ticks.AsyncClient(
            http_client=httpx.AsyncClient(transport=transport), max_response_size=50
        )
        async with await client.log.retrieve() as events:
            with pytest.raises(ticks.ResponseTooLargeError):
                _ = [event async for event in events]

    asyncio.run(run())


# ---- one type per client ----------------------------------------------------------------------
def test_each_client_s_stream_type_has_only_its_own_methods(ticks: ModuleType) -> None:
    """`for` over an async stream (or `async for` over a sync one) raised httpx's
    RuntimeError at run time: the type that does not have the method makes it a mypy error
    (test_async_result_types)."""
    streams = ticks._streams
    sync, asynchronous = streams.Stream, streams.AsyncStream
    sync_only = ("__iter__", "__next__", "close", "__enter__", "__exit__")
    async_only = ("__aiter__", "__anext__", "aclose", "__aenter__", "__aexit__")
    assert not any(hasattr(asynchronous, name) for name in sync_only)
    assert not any(hasattr(sync, name) for name in async_only)
    assert all(hasattr(sync, name) for name in sync_only)
    assert all(hasattr(asynchronous, name) for name in async_only)
    assert sync.last_event_id is asynchronous.last_event_id  # shared, on the base
    assert not issubclass(asynchronous, sync) and not issubclass(sync, asynchronous)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_each_client_returns_its_stream_type(ticks: ModuleType, mode: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = b'id: 7\ndata: {"n": 1}\n\n'
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    transport = httpx.MockTransport(handler)
    if mode == "sync":
        client = ticks.Client(http_client=httpx.Client(transport=transport))
        with client.events.retrieve() as stream:
            assert type(stream) is ticks._streams.Stream
            assert repr(stream) == "<Stream sse 200>"
            assert [e.data.n for e in stream] == [1] and stream.last_event_id == "7"
        raw = client.events.with_raw_response.retrieve()
        assert type(raw.parsed) is ticks._streams.Stream
        raw.parsed.close()
        return

    async def run() -> None:
        aclient = ticks.AsyncClient(http_client=httpx.AsyncClient(transport=transport))
        async with await aclient.events.retrieve() as stream:
            assert type(stream) is ticks._streams.AsyncStream
            assert repr(stream) == "<AsyncStream sse 200>"
            assert [e.data.n async for e in stream] == [1] and stream.last_event_id == "7"
        raw = await aclient.events.with_raw_response.retrieve()
        assert type(raw.parsed) is ticks._streams.AsyncStream
        await raw.parsed.aclose()
        assert raw.http_response.is_closed

    asyncio.run(run())


class BreakingEvents(httpx.AsyncByteStream):
    """Events, then a broken connection (an event cut short); records whether it was closed."""

    def __init__(self, *chunks: bytes, broken: bool = True) -> None:
        self.chunks = chunks
        self.broken = broken
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk
        if self.broken:
            raise httpx.RemoteProtocolError("peer closed connection")

    async def aclose(self) -> None:
        self.closed = True


def test_async_events_resume_with_last_event_id_through_mock_transport(
    ticks: ModuleType,
) -> None:
    """The async stream reconnects as the sync one does: after a broken connection, with
    `Last-Event-ID` (the last complete event's), after the server's `retry:`; the event the
    connection cut short is dropped; each connection is closed."""
    seen: list[httpx.Request] = []
    bodies = [
        BreakingEvents(b'retry: 0\nid: 1\ndata: {"n": 1}\n\n', b'id: 2\ndata: {"n": 2}'),
        BreakingEvents(b'id: 2\ndata: {"n": 2}\n\nid: 3\ndata: {"n": 3}\n\n', broken=False),
    ]
    streams = list(bodies)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        headers = {"content-type": "text/event-stream"}
        return httpx.Response(200, stream=streams.pop(0), headers=headers)

    async def run() -> tuple[list[tuple[str | None, int]], str | None]:
        transport = httpx.MockTransport(handler)
        client = ticks.AsyncClient(http_client=httpx.AsyncClient(transport=transport))
        async with await client.events.retrieve() as events:
            received = [(event.id, event.data.n) async for event in events]
            return received, events.last_event_id

    received, last = asyncio.run(run())
    assert received == [("1", 1), ("2", 2), ("3", 3)] and last == "3"
    assert "last-event-id" not in seen[0].headers and seen[1].headers["last-event-id"] == "1"
    assert all(body.closed for body in bodies)


def test_async_events_stop_resuming_after_max_retries(ticks: ModuleType) -> None:
    """Up to `max_retries` reconnections in a row without an event, then the connection
    error; every attempt asks for the events after the last id received."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        first = b'retry: 0\nid: 1\ndata: {"n": 1}\n\n'
        body = BreakingEvents(first) if len(seen) == 1 else BreakingEvents()
        return httpx.Response(200, stream=body, headers={"content-type": "text/event-stream"})

    received: list[int] = []

    async def run() -> None:
        transport = httpx.MockTransport(handler)
        client = ticks.AsyncClient(
            http_client=httpx.AsyncClient(transport=transport), max_retries=2
        )
        async for event in await client.events.retrieve():
            received.append(event.data.n)

    with pytest.raises(ticks.APIConnectionError):
        asyncio.run(run())
    assert received == [1] and len(seen) == 3
    assert [r.headers.get("last-event-id") for r in seen] == [None, "1", "1"]


# ---- hostile servers: lines, events, retry, codings -------------------------------------------
@given(
    text=st.text(st.sampled_from("ab\r\n\u00e9"), max_size=40),
    cuts=st.lists(st.integers(0, 60), max_size=8),
)
def test_lines_are_the_same_however_the_body_is_cut(text: str, cuts: list[int]) -> None:
    """The line splitter reads only each new chunk (re-reading the open line with every
    chunk took time in the square of its length); its lines are those of the whole body
    read at once, wherever the chunks end (inside a CRLF, inside a UTF-8 sequence)."""
    from generator.runtime._streams import _Lines

    data = text.encode()
    bounds = sorted({min(c, len(data)) for c in cuts} | {0, len(data)})
    response = httpx.Response(200)
    whole, split = _Lines(response, None), _Lines(response, None)
    expected = whole.feed(data) + whole.feed(b"", final=True)
    found: list[str] = []
    for start, end in itertools.pairwise(bounds):
        found += split.feed(data[start:end])
    found += split.feed(b"", final=True)
    assert found == expected
    assert "".join(expected) == text.replace("\r", "").replace("\n", "")


def test_one_event_of_many_short_lines_is_bounded(ticks: ModuleType) -> None:
    """The limit was per line: 64 MiB of `data: xy` lines made one event of 571 MB."""
    chunks = [b"data: xy\n" * 100] * 10  # one event of 1,000 lines, 3,000 characters

    def handler(request: httpx.Request) -> httpx.Response:
        stream = httpx.ByteStream(b"".join(chunks) + b"\n")
        return httpx.Response(200, stream=stream, headers={"content-type": "text/event-stream"})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = ticks.Client(http_client=http, max_response_size=1000)
    with pytest.raises(ticks.ResponseTooLargeError), client.log.retrieve() as events:
        list(events)
    roomy = ticks.Client(http_client=http, max_response_size=4000)
    with roomy.log.retrieve() as events:
        assert [len(e.data) for e in events] == [2999]


@pytest.mark.parametrize(
    ("retry", "delay"),
    [("1500", 1.5), ("99999999999999", 60.0), ("9" * 5000, 60.0), ("12x", 1.0)],
)
def test_the_servers_retry_delay_is_bounded(ticks: ModuleType, retry: str, delay: float) -> None:
    """`retry:` of 14 digits asked for a sleep of 3,000 years; 5,000 digits raised a raw
    ValueError."""
    body = f"retry: {retry}\nid: 1\ndata: a\n\n".encode()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    client = ticks.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    with client.log.retrieve() as events:
        assert [e.data for e in events] == ["a"]
        assert events._delay() == delay


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("coding", ["gzip, gzip", "deflate,gzip", "gzip, identity, br"])
def test_stacked_content_codings_are_refused_unread(
    ticks: ModuleType, mode: str, coding: str
) -> None:
    """A 13 kB body of two gzip layers took gigabytes of memory before its size was
    counted: httpx decodes each chunk whole, layer after layer."""
    read: list[bool] = []

    def chunks() -> Iterator[bytes]:
        read.append(True)
        yield b"\x1f\x8b"

    async def achunks() -> AsyncIterator[bytes]:
        read.append(True)
        yield b"\x1f\x8b"

    def handler(request: httpx.Request) -> httpx.Response:
        stream: Any = ByteIterator(chunks()) if mode == "sync" else AsyncByteIterator(achunks())
        headers = {"content-type": "application/jsonl", "content-encoding": coding}
        return httpx.Response(200, stream=stream, headers=headers)

    match = "stacks content codings"
    if mode == "sync":
        client = ticks.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        with pytest.raises(ticks.APIResponseValidationError, match=match):
            client.lines.retrieve()
    else:

        async def run() -> None:
            http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
            client = ticks.AsyncClient(http_client=http)
            with pytest.raises(ticks.APIResponseValidationError, match=match):
                await client.lines.retrieve()

        asyncio.run(run())
    assert read == []


class ByteIterator(httpx.SyncByteStream):
    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        return self.chunks


class AsyncByteIterator(httpx.AsyncByteStream):
    def __init__(self, chunks: AsyncIterator[bytes]) -> None:
        self.chunks = chunks

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self.chunks


def test_a_stream_json_body_is_a_stream_beside_its_json_twin(build_package: BuildPackage) -> None:
    """Vercel's deployment events: `application/json` (the list) or, with `follow=1`,
    `application/stream+json` (one event a line), which the client asked for in `Accept`
    and then parsed as one JSON document ("Invalid JSON")."""
    event = {"$ref": "#/components/schemas/Ev"}
    operation = {
        "operationId": "getEvents",
        "parameters": [{"name": "follow", "in": "query", "schema": {"type": "integer"}}],
        "responses": {
            "200": {
                "description": "ok",
                "content": {
                    "application/json": {"schema": {"type": "array", "items": event}},
                    "application/stream+json": {"schema": event},
                },
            }
        },
    }
    schemas = {"Ev": {"type": "object", "properties": {"n": {"type": "integer"}}}}
    package = build_package(minimal_spec(schemas, {"/events": {"get": operation}}))

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("follow"):
            lines = b'{"n": 1}\n{"n": 2}\n'
            return httpx.Response(
                200, content=lines, headers={"content-type": "application/stream+json"}
            )
        return httpx.Response(200, json=[{"n": 5}])

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="https://api.example.test/v1", http_client=http)
    with client.events.list(follow=1) as events:
        assert [e.n for e in events] == [1, 2]
    assert [e.n for e in client.events.list()] == [5]
    # the README does not show it as a stream: JSON is what the call gets (UX audit 7:
    # Zuora's charge metrics, shown in a `with … as stream:` block, answered JSON)
    readme = (Path(str(package.__file__)).parents[1] / "README.md").read_text()
    assert "client.events.list() as" not in readme and "client.events.list(" in readme


def test_a_stream_dropped_unclosed_releases_its_connection(ticks: ModuleType) -> None:
    """Hostile audit 9: each `Stream` left unclosed held a pooled connection, and once all
    were held every call timed out; dropping it now closes it."""
    import gc
    import importlib

    streams = importlib.import_module(f"{ticks.__name__}._streams")
    response = httpx.Response(200, content=iter([b"data: 1\n\n"]))
    stream = streams.Stream(response, kind="sse")
    assert not response.is_closed
    del stream
    gc.collect()
    assert response.is_closed


# ---- OpenAI's conventions and the WHATWG rules (media audit) -----------------------------------
@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_done_ends_the_stream_and_keep_alives_are_skipped(
    ticks: ModuleType, mode: str, strict: bool
) -> None:
    """OpenAI's streams (and the servers that copy them) end with `data: [DONE]`: every
    stream ended with APIResponseValidationError, lenient or not; an empty keep-alive event
    broke it mid-way."""
    body = (
        b'data: {"n": 1}\n\nevent: ping\ndata:\n\ndata: {"n": 2}\n\n'
        b'data: [DONE]\n\ndata: {"n": 3}\n\n'
    )
    options = {"strict_response_validation": strict}
    events = mock(ticks, mode, body, "text/event-stream", "events.retrieve", **options)
    assert [e.data.n for e in events] == [1, 2]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_data_that_is_not_json_is_text_leniently_and_raises_when_strict(
    ticks: ModuleType, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = b'data: {"n": 1}\n\ndata: not json\n\ndata: {"n": 2}\n\n'
    with caplog.at_level("WARNING", logger=ticks.__name__):
        events = mock(ticks, mode, body, "text/event-stream", "events.retrieve")
    assert [e.data for e in events] == [ticks.models.Tick(n=1), "not json", ticks.models.Tick(n=2)]
    assert any("stream item" in r.getMessage() for r in caplog.records)
    with pytest.raises(ticks.APIResponseValidationError, match="stream item does not match"):
        mock(
            ticks,
            mode,
            body,
            "text/event-stream",
            "events.retrieve",
            strict_response_validation=True,
        )


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_error_event_raises_stream_event_error(ticks: ModuleType, mode: str) -> None:
    """`event: error` mid-stream came back as a Tick of `None`s; openai-python raises."""
    body = (
        b'data: {"n": 1}\n\nevent: error\n'
        b'data: {"error": {"message": "server overloaded", "type": "overloaded"}}\n\n'
    )
    with pytest.raises(ticks.StreamEventError, match="server overloaded") as caught:
        mock(ticks, mode, body, "text/event-stream", "events.retrieve")
    assert caught.value.data == {"error": {"message": "server overloaded", "type": "overloaded"}}
    assert caught.value.status_code == 200 and isinstance(caught.value, ticks.APIError)
    unnamed = b'data: {"n": 1}\n\ndata: {"error": {"message": "rate limited"}}\n\n'
    with pytest.raises(ticks.StreamEventError, match="rate limited"):  # (OpenAI's usual form)
        mock(ticks, mode, unnamed, "text/event-stream", "events.retrieve")


def test_a_stream_is_one_iterator(ticks: ModuleType) -> None:
    """`next(stream)` was a TypeError, and a loop after `next(iter(stream))` raised httpx's
    StreamConsumed: the stream is its own iterator, a loop goes on where `next` left it."""
    body = b"".join(f'data: {{"n": {n}}}\n\n'.encode() for n in range(4))

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    client = ticks.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    with client.events.retrieve() as stream:
        assert iter(stream) is stream and next(stream).data.n == 0
        assert [e.data.n for e in stream] == [1, 2, 3]
        assert list(stream) == []
        with pytest.raises(StopIteration):
            next(stream)

    async def run() -> list[int]:
        transport = httpx.MockTransport(handler)
        aclient = ticks.AsyncClient(http_client=httpx.AsyncClient(transport=transport))
        async with await aclient.events.retrieve() as events:
            assert aiter(events) is events
            first = (await anext(events)).data.n
            rest = [e.data.n async for e in events]
            assert [e async for e in events] == []
            return [first, *rest]

    assert asyncio.run(run()) == [0, 1, 2, 3]


def test_a_stream_dropped_mid_way_releases_its_connection_without_the_collector(
    ticks: ModuleType,
) -> None:
    """The stream holds its reader; the reader holds the stream weakly, or a stream dropped
    after `next` would wait for the garbage collector to be closed."""
    import gc
    import importlib

    streams = importlib.import_module(f"{ticks.__name__}._streams")
    response = httpx.Response(200, content=iter([b"data: 1\n\n", b"data: 2\n\n"]))
    stream = streams.Stream(response, kind="sse")
    gc.disable()
    try:
        assert next(stream).data == "1"
        del stream
        assert response.is_closed
    finally:
        gc.enable()


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_byte_order_mark_and_per_event_retry(ticks: ModuleType, mode: str) -> None:
    """WHATWG: a leading U+FEFF is no part of the first line (the first event was lost);
    an event's `retry` is its own (it stuck to every later event)."""
    body = '\ufeffretry: 5\ndata: {"n": 1}\n\ndata: {"n": 2}\n\n'.encode()
    events = mock(ticks, mode, body, "text/event-stream", "events.retrieve")
    assert [(e.data.n, e.retry) for e in events] == [(1, 5), (2, None)]


def emptied_id(handler: Handler, index: int) -> None:
    """An event with an id, then one whose empty `id:` resets it, then a broken connection."""
    handler.start("text/event-stream")
    handler.chunk(b'id: 1\ndata: {"n": 1}\n\nid:\ndata: {"n": 2}\n\n')
    handler.drop()


def test_an_emptied_event_id_is_not_resumed(ticks: ModuleType, serve: Any) -> None:
    """An empty `id:` resets the last event id: the stream was resumed with an empty
    `Last-Event-ID`; there is nothing to resume from."""
    server = serve(emptied_id)
    received: list[int] = []
    with pytest.raises(ticks.APIConnectionError), ticks.Client(base_url=server.url) as client:
        for event in client.events.retrieve():
            received.append(event.data.n)
    assert received == [1, 2] and len(server.seen) == 1


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_stream_its_user_closed_ends_and_is_not_resumed(
    ticks: ModuleType, serve: Any, mode: str
) -> None:
    """Review: after the `with` block, a read resumed the closed stream, sending the request
    again with `Last-Event-ID` (the read on the closed connection failed as a broken one)."""
    server = serve(endless)
    if mode == "sync":
        with ticks.Client(base_url=server.url) as client:
            with client.events.retrieve() as events:
                first = next(events).data.n
            rest = list(events)
    else:

        async def run() -> tuple[int, list[Any]]:
            async with ticks.AsyncClient(base_url=server.url) as client:
                async with await client.events.retrieve() as events:
                    found = (await anext(events)).data.n
                return found, [e async for e in events]

        first, rest = asyncio.run(run())
    assert (first, rest) == (0, []) and len(server.seen) == 1
