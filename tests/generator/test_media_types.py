"""Content negotiation and binary responses: `Accept` from the declared media types, each
response parsed by its actual `Content-Type`, downloads as `BinaryResponse` on the sync
client and `AsyncBinaryResponse` on the async one (buffered or streamed), through
httpx.MockTransport."""

from __future__ import annotations

import asyncio
import typing
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec

Handler = Callable[[httpx.Request], httpx.Response]
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 4

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
FILES_SPEC = minimal_spec(
    {
        "Problem": {"type": "object", "properties": {"title": {"type": "string"}}},
        "Report": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string"}, "total": {"type": "integer"}},
        },
    },
    {
        "/files/{id}/content": {
            "get": {
                "operationId": "downloadFile",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "The file.",
                        "content": {
                            "application/pdf": {"schema": {"type": "string", "format": "binary"}}
                        },
                    },
                    "404": {"description": "Missing.", "content": PROBLEM},
                },
            }
        },
        "/blobs/{id}": {
            "get": {
                "operationId": "getBlob",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "Any bytes (the issue's `*/*` with `format: binary`).",
                        "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
                    }
                },
            }
        },
        "/reports/{id}": {
            "get": {
                "operationId": "getReport",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "The report as JSON, CSV or PDF.",
                        "content": {
                            "text/csv": {"schema": {"type": "string"}},
                            "application/pdf": {},
                            "application/json": {"schema": {"$ref": "#/components/schemas/Report"}},
                        },
                    },
                    "4XX": {"description": "A problem.", "content": PROBLEM},
                },
            }
        },
    },
)


def _method(client: Any, dotted: str) -> Any:
    """The client's method named by its dotted path from the client (`files.content.retrieve`)."""
    target = client
    for name in dotted.split("."):
        target = getattr(target, name)
    return target


@pytest.fixture
def files(build_package: BuildPackage) -> ModuleType:
    return build_package(FILES_SPEC)


class Server:
    """Answers each request with the next response; records the requests."""

    def __init__(self, *responses: Callable[[], httpx.Response]) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.responses.pop(0)()


class LazyBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body produced chunk by chunk, recording how far the client has read it."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.sent = 0
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.sent += 1
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            self.sent += 1
            yield chunk

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def call(package: ModuleType, mode: str, handler: Handler, method: str, **kwargs: Any) -> Any:
    """Call `method` on a client of `mode` whose transport is `handler`."""
    transport = httpx.MockTransport(handler)
    if mode == "sync":
        client = package.Client(http_client=httpx.Client(transport=transport))
        return _method(client, method)(**kwargs)
    client = package.AsyncClient(http_client=httpx.AsyncClient(transport=transport))
    return asyncio.run(_method(client, method)(**kwargs))


def binary_class(package: ModuleType, mode: str) -> Any:
    """What a download returns on the client of `mode`."""
    binary = package._binary
    return binary.AsyncBinaryResponse if mode == "async" else binary.BinaryResponse


def pdf(**headers: str) -> Callable[[], httpx.Response]:
    return lambda: httpx.Response(
        200, content=PDF, headers={"content-type": "application/pdf", **headers}
    )


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_accept_lists_the_declared_media_types_json_first(files: ModuleType, mode: str) -> None:
    server = Server(pdf(), lambda: httpx.Response(200, json={"id": "r1"}))
    call(files, mode, server, "files.content.retrieve", id="a")
    call(files, mode, server, "reports.retrieve", id="r1")
    assert server.requests[0].headers["accept"] == "application/pdf, application/problem+json"
    assert server.requests[1].headers["accept"] == (
        "application/json, text/csv;q=0.9, application/pdf;q=0.9, application/problem+json"
    )


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_extra_headers_choose_another_representation(files: ModuleType, mode: str) -> None:
    server = Server(pdf())
    found = call(
        files,
        mode,
        server,
        "reports.retrieve",
        id="r1",
        extra_headers={"Accept": "application/pdf"},
    )
    assert server.requests[0].headers["accept"] == "application/pdf"
    assert isinstance(found, binary_class(files, mode)) and found.content_type == "application/pdf"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_each_response_is_parsed_by_its_content_type(files: ModuleType, mode: str) -> None:
    server = Server(
        lambda: httpx.Response(
            200,
            content=b'{"id": "r1", "total": "3"}',
            headers={"content-type": "application/json; charset=utf-8"},
        ),
        lambda: httpx.Response(
            200, content=b"id,total\nr1,3\n", headers={"content-type": "text/csv"}
        ),
        pdf(),
        # no Content-Type: the preferred (JSON) media type
        lambda: httpx.Response(200, content=b'{"id": "r2"}'),
    )
    report = call(files, mode, server, "reports.retrieve", id="r1")
    assert isinstance(report, files.models.Report) and report.total == 3
    assert call(files, mode, server, "reports.retrieve", id="r1") == "id,total\nr1,3\n"
    binary = call(files, mode, server, "reports.retrieve", id="r1")
    assert type(binary) is binary_class(files, mode)
    assert binary.is_read and binary.http_response.content == PDF
    assert call(files, mode, server, "reports.retrieve", id="r2").id == "r2"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_problem_body_is_parsed_into_its_model(files: ModuleType, mode: str) -> None:
    server = Server(
        lambda: httpx.Response(
            404,
            json={"title": "no such file"},
            headers={"content-type": "application/problem+json"},
        )
    )
    with pytest.raises(files.NotFoundError) as raised:
        call(files, mode, server, "files.content.retrieve", id="a", stream=True)
    assert isinstance(raised.value.parsed, files.models.Problem)
    assert raised.value.parsed.title == "no such file"


@pytest.mark.parametrize(
    ("disposition", "name"),
    [
        ('attachment; filename=".."', None),
        ('attachment; filename="."', None),
        ('attachment; filename="a\x00b.pdf"', "ab.pdf"),
        ('attachment; filename="invoice\u202efdp.exe"', "invoicefdp.exe"),
        (
            "attachment; filename=\"fallback.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf",
            "r\u00e9sum\u00e9.pdf",
        ),
        ("attachment; filename*=UTF-8''..%2F..%2Fx.pdf; filename=\"y.pdf\"", "x.pdf"),
        # hostile audit 7: a hidden file, a `filename*` that cleans to nothing beside a usable
        # `filename`, a line separator, a name too long to open
        ("attachment; filename*=UTF-8''..%2F..%2F.bashrc", "bashrc"),
        ("attachment; filename=\"report.pdf\"; filename*=UTF-8''%0A%00", "report.pdf"),
        ('attachment; filename="a\u2028b.pdf"', "ab.pdf"),
        ('attachment; filename="' + "n" * 5000 + '.pdf"', "n" * 251 + ".pdf"),
        ("inline", None),
    ],
)
def test_the_suggested_file_name_is_a_plain_name(
    files: ModuleType, disposition: str, name: str | None
) -> None:
    """`..`, `.`, a NUL or a right-to-left override came back as a file name, and RFC 6266's
    `filename*` was ignored beside a `filename`."""
    headers = [
        (b"content-type", b"application/pdf"),
        (b"content-disposition", disposition.encode()),
    ]
    server = Server(lambda: httpx.Response(200, content=PDF, headers=headers))
    assert call(files, "sync", server, "files.content.retrieve", id="a").filename == name


def test_a_buffered_download_reads_writes_and_decodes(files: ModuleType, tmp_path: Path) -> None:
    server = Server(pdf(**{"content-disposition": 'attachment; filename="../../etc/report.pdf"'}))
    found = call(files, "sync", server, "files.content.retrieve", id="a")
    assert found.status_code == 200 and found.content_type == "application/pdf"
    assert found.filename == "report.pdf"  # no folder from the server
    assert found.read() == PDF and found.is_read
    assert found.text.startswith("%PDF-1.7")
    assert b"".join(found.iter_bytes(100)) == PDF
    assert found.write_to_file(tmp_path / "out.pdf") == len(PDF)
    assert (tmp_path / "out.pdf").read_bytes() == PDF
    assert repr(found) == "<BinaryResponse 200 application/pdf>"


def test_a_buffered_download_async(files: ModuleType, tmp_path: Path) -> None:
    server = Server(pdf())

    async def run() -> None:
        client = files.AsyncClient(
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(server))
        )
        found = await client.files.content.retrieve(id="a")
        assert type(found) is files._binary.AsyncBinaryResponse
        assert repr(found) == "<AsyncBinaryResponse 200 application/pdf>"
        assert found.is_read and found.status_code == 200 and found.filename is None
        assert await found.aread() == PDF
        assert b"".join([chunk async for chunk in found.aiter_bytes()]) == PDF
        assert await found.awrite_to_file(tmp_path / "a.pdf") == len(PDF)
        async with found:
            assert found.text.startswith("%PDF")

    asyncio.run(run())
    assert (tmp_path / "a.pdf").read_bytes() == PDF


def test_the_issue_binary_star_media_type_is_not_parsed_as_json(files: ModuleType) -> None:
    server = Server(
        lambda: httpx.Response(200, content=b"\x89PNG\r\n", headers={"content-type": "image/png"})
    )
    found = call(files, "sync", server, "blobs.retrieve", id="b")
    assert found.read() == b"\x89PNG\r\n" and found.content_type == "image/png"


def test_a_streamed_download_is_never_held_whole(files: ModuleType, tmp_path: Path) -> None:
    body = LazyBody([b"a" * 10, b"b" * 10, b"c" * 10])
    server = Server(
        lambda: httpx.Response(200, stream=body, headers={"content-type": "application/pdf"})
    )
    client = files.Client(
        http_client=httpx.Client(transport=httpx.MockTransport(server)), max_response_size=15
    )
    with client.files.content.retrieve(id="a", stream=True) as found:
        assert not found.is_read and body.sent == 0  # nothing read before it is asked for
        chunks = found.iter_bytes()
        assert next(chunks) == b"a" * 10 and body.sent == 1
        assert list(chunks) == [b"b" * 10, b"c" * 10]  # 30 bytes: the size limit is for reads
    assert body.closed


def test_a_streamed_body_read_through_is_not_read_again(files: ModuleType, tmp_path: Path) -> None:
    """Media audit 12: after `write_to_file`, a second one to the same path emptied the file
    the first had written, then raised httpx's `StreamConsumed`; `read()` raised it raw."""
    body = LazyBody([b"a" * 10, b"b" * 10])
    server = Server(
        lambda: httpx.Response(200, stream=body, headers={"content-type": "application/pdf"})
    )
    client = files.Client(http_client=httpx.Client(transport=httpx.MockTransport(server)))
    target = tmp_path / "out.pdf"
    with client.files.content.retrieve(id="a", stream=True) as found:
        assert found.write_to_file(target) == 20
        again: list[Callable[[], object]] = [
            lambda: found.write_to_file(target),
            found.read,
            lambda: list(found.iter_bytes()),
        ]
        for call_again in again:
            with pytest.raises(RuntimeError, match="streamed already"):
                call_again()
        with pytest.raises(RuntimeError, match="streamed already"):
            _ = found.text
    assert target.read_bytes() == b"a" * 10 + b"b" * 10
    server.responses.append(
        lambda: httpx.Response(
            200, stream=LazyBody([b"c" * 10]), headers={"content-type": "application/pdf"}
        )
    )
    with client.files.content.retrieve(id="a", stream=True) as unread:
        pass  # closed unread: each read says so, and the file written before is kept
    for read_again in (lambda: unread.write_to_file(target), unread.read):
        with pytest.raises(RuntimeError, match="closed unread"):
            read_again()
    assert target.read_bytes() == b"a" * 10 + b"b" * 10

    async def run() -> None:
        body = LazyBody([b"1" * 4])
        server = Server(
            lambda: httpx.Response(200, stream=body, headers={"content-type": "application/pdf"})
        )
        aclient = files.AsyncClient(
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(server))
        )
        async with await aclient.files.content.retrieve(id="a", stream=True) as found:
            assert await found.awrite_to_file(tmp_path / "a.pdf") == 4
            with pytest.raises(RuntimeError, match="streamed already"):
                await found.awrite_to_file(tmp_path / "a.pdf")
            with pytest.raises(RuntimeError, match="streamed already"):
                await found.aread()
        assert (tmp_path / "a.pdf").read_bytes() == b"1111"

    asyncio.run(run())


def test_a_text_answer_streams_when_asked(files: ModuleType) -> None:
    """`stream=True` leaves a text body on the connection too, as a `BinaryResponse` to
    iterate or write to a file: InfluxDB's CSV query results were read whole into a `str`,
    and the README's `with … as found` raised TypeError (UX audit 16)."""
    body = LazyBody([b"id,total\n", b"r1,3\n"])
    server = Server(
        lambda: httpx.Response(200, stream=body, headers={"content-type": "text/csv"}),
        lambda: httpx.Response(200, text="id,total\nr1,3\n", headers={"content-type": "text/csv"}),
    )
    client = files.Client(http_client=httpx.Client(transport=httpx.MockTransport(server)))
    with client.reports.retrieve(id="r1", stream=True) as found:
        assert isinstance(found, files._binary.BinaryResponse)
        assert not found.is_read and body.sent == 0 and found.content_type == "text/csv"
        assert b"".join(found.iter_bytes()) == b"id,total\nr1,3\n"
    assert body.closed
    assert client.reports.retrieve(id="r1") == "id,total\nr1,3\n"  # not asked: the text


def test_a_text_answer_streams_when_asked_async(files: ModuleType) -> None:
    body = LazyBody([b"id,total\n", b"r1,3\n"])
    server = Server(lambda: httpx.Response(200, stream=body, headers={"content-type": "text/csv"}))

    async def main() -> bytes:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server))
        client = files.AsyncClient(http_client=http)
        async with await client.reports.retrieve(id="r1", stream=True) as found:
            assert isinstance(found, files._binary.AsyncBinaryResponse) and body.sent == 0
            data: bytes = await found.aread()
            return data

    assert asyncio.run(main()) == b"id,total\nr1,3\n"


def test_a_streamed_download_left_early_releases_the_connection(files: ModuleType) -> None:
    body = LazyBody([b"x" * 10] * 5)
    server = Server(
        lambda: httpx.Response(200, stream=body, headers={"content-type": "application/pdf"})
    )
    client = files.Client(http_client=httpx.Client(transport=httpx.MockTransport(server)))
    with client.files.content.retrieve(id="a", stream=True) as found:
        for _chunk in found.iter_bytes():
            break
    assert body.closed and body.sent < 5


def test_a_streamed_read_keeps_the_size_limit(files: ModuleType) -> None:
    server = Server(
        lambda: httpx.Response(
            200, stream=LazyBody([b"x" * 10] * 3), headers={"content-type": "application/pdf"}
        ),
        lambda: httpx.Response(
            200, stream=LazyBody([b"x" * 10] * 3), headers={"content-type": "application/pdf"}
        ),
    )
    client = files.Client(
        http_client=httpx.Client(transport=httpx.MockTransport(server)), max_response_size=15
    )
    with pytest.raises(files.ResponseTooLargeError):
        client.files.content.retrieve(id="a")  # buffered: read within the limit
    with (
        client.files.content.retrieve(id="a", stream=True) as found,
        pytest.raises(files.ResponseTooLargeError),
    ):
        found.read()


def test_a_streamed_download_async(files: ModuleType, tmp_path: Path) -> None:
    body = LazyBody([b"1" * 4, b"2" * 4])
    server = Server(
        lambda: httpx.Response(200, stream=body, headers={"content-type": "application/pdf"})
    )

    async def run() -> None:
        client = files.AsyncClient(
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(server))
        )
        async with await client.files.content.retrieve(id="a", stream=True) as found:
            assert not found.is_read and body.sent == 0
            assert await found.awrite_to_file(tmp_path / "s.bin") == 8

    asyncio.run(run())
    assert (tmp_path / "s.bin").read_bytes() == b"11112222" and body.closed


def test_a_broken_stream_is_a_connection_error(files: ModuleType) -> None:
    class Broken(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield b"partial"
            raise httpx.RemoteProtocolError("peer closed connection")

    server = Server(
        lambda: httpx.Response(200, stream=Broken(), headers={"content-type": "application/pdf"})
    )
    client = files.Client(http_client=httpx.Client(transport=httpx.MockTransport(server)))
    with (
        client.files.content.retrieve(id="a", stream=True) as found,
        pytest.raises(files.APIConnectionError) as raised,
    ):
        list(found.iter_bytes())
    assert raised.value.__cause__ is None and raised.value.__context__ is None


def test_raw_response_holds_the_binary_response(files: ModuleType) -> None:
    server = Server(pdf(**{"etag": '"v1"'}))
    client = files.Client(http_client=httpx.Client(transport=httpx.MockTransport(server)))
    raw = client.files.content.with_raw_response.retrieve(id="a")
    assert raw.etag == '"v1"' and raw.parsed.read() == PDF


SYNC_METHODS = ("read", "iter_bytes", "write_to_file", "close", "__enter__", "__exit__")
ASYNC_METHODS = ("aread", "aiter_bytes", "awrite_to_file", "aclose", "__aenter__", "__aexit__")
SHARED = ("status_code", "headers", "content_type", "filename", "is_read", "text")


def test_each_client_s_binary_type_has_only_its_own_methods(files: ModuleType) -> None:
    """httpx refuses a sync read of an async response (and the reverse) with a RuntimeError:
    the type that does not have the method makes it a mypy error (test_async_result_types)."""
    binary = files._binary
    sync, asynchronous = binary.BinaryResponse, binary.AsyncBinaryResponse
    assert not any(hasattr(asynchronous, name) for name in SYNC_METHODS)
    assert not any(hasattr(sync, name) for name in ASYNC_METHODS)
    assert all(hasattr(sync, name) for name in SYNC_METHODS)
    assert all(hasattr(asynchronous, name) for name in ASYNC_METHODS)
    for name in SHARED:  # defined once, on the base
        assert name in vars(binary.BaseBinaryResponse)
        assert getattr(sync, name) is getattr(asynchronous, name)
    assert not issubclass(asynchronous, sync) and not issubclass(sync, asynchronous)


def async_client(package: ModuleType, handler: Handler, **options: Any) -> Any:
    transport = httpx.MockTransport(handler)
    return package.AsyncClient(http_client=httpx.AsyncClient(transport=transport), **options)


def test_a_streamed_download_async_is_never_held_whole(files: ModuleType) -> None:
    body = LazyBody([b"a" * 10, b"b" * 10, b"c" * 10])
    server = Server(
        lambda: httpx.Response(200, stream=body, headers={"content-type": "application/pdf"})
    )

    async def run() -> list[bytes]:
        client = async_client(files, server, max_response_size=15)
        async with await client.files.content.retrieve(id="a", stream=True) as found:
            assert type(found) is files._binary.AsyncBinaryResponse
            assert not found.is_read and body.sent == 0
            with pytest.raises(RuntimeError, match="read"):
                found.text  # noqa: B018 (a streamed body is read first)
            chunks = found.aiter_bytes()
            first = await anext(chunks)
            assert body.sent == 1
            return [first] + [chunk async for chunk in chunks]  # the limit is for reads

    assert asyncio.run(run()) == [b"a" * 10, b"b" * 10, b"c" * 10]
    assert body.closed


def test_a_streamed_download_async_left_early_releases_the_connection(
    files: ModuleType,
) -> None:
    body = LazyBody([b"x" * 10] * 5)
    server = Server(
        lambda: httpx.Response(200, stream=body, headers={"content-type": "application/pdf"})
    )

    async def run() -> None:
        client = async_client(files, server)
        async with await client.files.content.retrieve(id="a", stream=True) as found:
            async for _chunk in found.aiter_bytes():
                break

    asyncio.run(run())
    assert body.closed and body.sent < 5


def test_a_streamed_aread_keeps_the_size_limit(files: ModuleType) -> None:
    def big() -> httpx.Response:
        return httpx.Response(
            200, stream=LazyBody([b"x" * 10] * 3), headers={"content-type": "application/pdf"}
        )

    server = Server(big, big, pdf())

    async def run() -> None:
        client = async_client(files, server, max_response_size=15)
        with pytest.raises(files.ResponseTooLargeError):
            await client.files.content.retrieve(id="a")  # buffered: read within the limit
        found = await client.files.content.retrieve(id="a", stream=True)
        with pytest.raises(files.ResponseTooLargeError):
            await found.aread()
        assert found.http_response.is_closed and not found.is_read
        small = await async_client(files, server).files.content.retrieve(id="a", stream=True)
        assert await small.aread() == PDF and small.is_read and small.text.startswith("%PDF")
        assert await small.aread() == PDF  # read once, kept

    asyncio.run(run())


def test_a_broken_async_stream_is_a_connection_error(files: ModuleType) -> None:
    class Broken(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            yield b"partial"
            raise httpx.RemoteProtocolError("peer closed connection")

    server = Server(
        lambda: httpx.Response(200, stream=Broken(), headers={"content-type": "application/pdf"}),
        lambda: httpx.Response(200, stream=Broken(), headers={"content-type": "application/pdf"}),
    )

    async def run() -> None:
        client = async_client(files, server)
        async with await client.files.content.retrieve(id="a", stream=True) as found:
            with pytest.raises(files.APIConnectionError) as raised:
                _ = [chunk async for chunk in found.aiter_bytes()]
        assert raised.value.__cause__ is None and raised.value.__context__ is None
        found = await client.files.content.retrieve(id="a", stream=True)
        with pytest.raises(files.APIConnectionError):
            await found.aread()

    asyncio.run(run())


def test_raw_response_holds_the_async_binary_response(files: ModuleType) -> None:
    server = Server(pdf(**{"etag": '"v1"'}))

    async def run() -> None:
        client = async_client(files, server)
        raw = await client.files.content.with_raw_response.retrieve(id="a")
        assert raw.etag == '"v1"' and type(raw.parsed) is files._binary.AsyncBinaryResponse
        assert await raw.parsed.aread() == PDF

    asyncio.run(run())


def test_no_content_answers_return_none_whatever_the_spec_declares(
    build_package: BuildPackage,
) -> None:
    """A 204 documented with a JSON schema (ShipEngine's, SendGrid's, ~55 directory specs)
    made every successful call raise `EmptyResponseError`: HTTP forbids content in a 204
    (and a 205, a 304, any answer to HEAD), so the method returns None, typed so."""
    config = {"type": "object", "properties": {"id": {"type": "string"}}}
    json_config = {"application/json": {"schema": {"$ref": "#/components/schemas/Config"}}}
    paths = {
        "/configs/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "delete": {
                "operationId": "deleteConfig",
                "responses": {"204": {"description": "gone", "content": json_config}},
            },
            "head": {
                "operationId": "checkConfig",
                "responses": {"200": {"description": "there", "content": json_config}},
            },
        }
    }
    package = build_package(minimal_spec({"Config": config}, paths))
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        return httpx.Response(204 if request.method == "DELETE" else 200)

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = package.Client(base_url="https://api.example.test", http_client=http)
    assert client.configs.delete("c1") is None
    assert client.configs.check_config("c1") is None
    assert seen == ["DELETE", "HEAD"]
    for method in (client.configs.delete, client.configs.check_config):
        assert typing.get_type_hints(method)["return"] is type(None)


def test_an_operation_documenting_only_a_redirect_returns_its_target(
    build_package: BuildPackage,
) -> None:
    """GitHub's archive downloads document only a 302 to `codeload.github.com` (Twilio's
    deactivation lists a 307 to a signed S3 link): the client refused the redirect to
    another origin (an `APIConnectionError`) and the method returned None. It follows a GET
    there bare (no credential leaves the API) and returns the body as a `BinaryResponse`."""
    operation = {
        "operationId": "downloadZipball",
        "parameters": [
            {"name": "repo", "in": "path", "required": True, "schema": {"type": "string"}}
        ],
        "responses": {"302": {"description": "Found"}},
    }
    schemes = {"token": {"type": "http", "scheme": "bearer"}}
    spec = minimal_spec({}, {"/repos/{repo}/zipball": {"get": operation}}, security_schemes=schemes)
    package = build_package(spec)
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "codeload.test":
            return httpx.Response(200, content=b"PK\x03\x04zip")
        return httpx.Response(302, headers={"Location": "https://codeload.test/r.zip?t=1"})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = package.Client(base_url="https://api.example.test", token="tok-1", http_client=http)
    archive = client.repos.zipball.retrieve("r")
    assert isinstance(archive, package.BinaryResponse) and archive.read() == b"PK\x03\x04zip"
    assert seen[0].headers["Authorization"] == "Bearer tok-1"
    assert "authorization" not in seen[1].headers and "tok-1" not in str(seen[1].url)

    async def fetch() -> bytes:
        transport = httpx.MockTransport(answer)
        async with package.AsyncClient(
            base_url="https://api.example.test",
            token="tok-1",
            http_client=httpx.AsyncClient(transport=transport),
        ) as async_client:
            body = await async_client.repos.zipball.retrieve("r")
            data: bytes = await body.aread()
            return data

    assert asyncio.run(fetch()) == b"PK\x03\x04zip"


def test_a_redirect_beside_a_success_without_content_returns_its_target(
    build_package: BuildPackage,
) -> None:
    """Box's download documents a 302 to `dl.boxcloud.com`, a 202 without content (not
    ready: retry) and a JSON `default` error: the method was typed None and the file, a
    200 after the redirect, was parsed as the error's JSON (APIResponseValidationError)."""
    error = {"type": "object", "properties": {"message": {"type": "string"}}}
    operation = {
        "operationId": "getFilesIdContent",
        "parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        ],
        "responses": {
            "202": {
                "description": "not ready",
                "headers": {"Retry-After": {"schema": {"type": "integer"}}},
            },
            "302": {"description": "Found"},
            "default": {
                "description": "error",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ClientError"}}
                },
            },
        },
    }
    package = build_package(
        minimal_spec({"ClientError": error}, {"/files/{id}/content": {"get": operation}})
    )

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.host == "dl.test":
            return httpx.Response(
                200, content=b"%PDF-1.7", headers={"content-type": "application/pdf"}
            )
        if request.url.path.endswith("/later/content"):
            return httpx.Response(202, headers={"Retry-After": "5"})
        return httpx.Response(302, headers={"Location": "https://dl.test/f.pdf"})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = package.Client(base_url="https://api.example.test", http_client=http)
    found = client.files.content.retrieve("12345")
    assert isinstance(found, package.BinaryResponse) and found.read() == b"%PDF-1.7"
    assert client.files.content.retrieve("later") is None


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_wildcard_response_is_read_as_the_server_sent_it(
    build_package: BuildPackage, mode: str
) -> None:
    """`*/*` allows any media type (kubernetes' proxy endpoints, ndhm's QR code): it was
    parsed as JSON whatever came, and a text or an image raised even in lenient mode. E2E
    audit 3."""
    content = {"*/*": {"schema": {"type": "string"}}}
    operation = {
        "operationId": "getNote",
        "x-sdk-resource": "note",
        "responses": {"200": {"description": "Anything.", "content": content}},
    }
    package = build_package(minimal_spec({}, {"/note": {"get": operation}}))
    answers = [
        ("text/plain; charset=utf-8", b"hello world"),
        ("application/json", b'"aGk="'),
        ("image/png", b"\x89PNG\r\n"),
    ]

    def handler(request: httpx.Request) -> httpx.Response:
        media_type, body = answers[int(request.url.params["n"])]
        return httpx.Response(200, content=body, headers={"Content-Type": media_type})

    async def serve(request: httpx.Request) -> httpx.Response:
        return handler(request)

    async def fetch_async() -> list[Any]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(serve))
        async with package.AsyncClient(http_client=http) as client:
            return [await client.note.retrieve(extra_query={"n": n}) for n in range(len(answers))]

    if mode == "sync":
        client = package.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        got = [client.note.retrieve(extra_query={"n": n}) for n in range(len(answers))]
    else:
        got = asyncio.run(fetch_async())
    assert got[:2] == ["hello world", "aGk="]
    assert got[2].content_type == "image/png" and got[2].http_response.content == b"\x89PNG\r\n"
