"""A response whose media type the spec does not declare is read as what it says it is
(UX audit 6): OpenAI's `stream: true` answers server-sent events where its spec declares
JSON (the call raised "Invalid JSON" and the events were lost), its transcription answers
`text/plain`, and Docker's container export answers a tar where its spec declares no body
(returned as None)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec

JSON_ONLY = {
    "200": {
        "description": "A completion.",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {"id": {"type": "string"}},
                }
            }
        },
    }
}


def _spec() -> Any:
    return minimal_spec(
        {},
        {
            "/completions": {
                "post": {
                    "operationId": "createCompletion",
                    "x-sdk-resource": "completions",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"stream": {"type": "boolean"}},
                                }
                            }
                        }
                    },
                    "responses": JSON_ONLY,
                }
            },
            "/containers/{id}/stats": {
                "get": {
                    "operationId": "containerStats",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {"200": {"description": "The tar (no content declared)."}},
                }
            },
        },
    )


EVENTS = (
    b'data: {"id": "c1", "text": "Hel"}\n\ndata: {"id": "c1", "text": "lo"}\n\ndata: [DONE]\n\n'
)


def _client(package: Any, response: httpx.Response) -> Any:
    transport = httpx.MockTransport(lambda request: response)
    return package.Client(http_client=httpx.Client(transport=transport))


def test_undeclared_events_are_a_stream(build_package: BuildPackage) -> None:
    package = build_package(_spec())
    answer = httpx.Response(200, headers={"content-type": "text/event-stream"}, content=EVENTS)
    stream = _client(package, answer).completions.create(stream=True)
    assert [event.data for event in stream] == [  # (`[DONE]` ends it, as openai-python's)
        '{"id": "c1", "text": "Hel"}',
        '{"id": "c1", "text": "lo"}',
    ]


def test_an_error_status_with_an_event_stream_type_is_an_error_not_a_stream(
    build_package: BuildPackage, caplog: pytest.LogCaptureFixture
) -> None:
    """Media audit 12: a 429 labelled `text/event-stream` was raised as `RateLimitError` but
    logged "the server answered a stream … returned as a Stream"."""
    spec = _spec()
    errors = {"description": "An error.", "content": {"application/json": {"schema": {}}}}
    spec["paths"]["/completions"]["post"]["responses"]["default"] = errors
    package = build_package(spec)
    answer = httpx.Response(429, headers={"content-type": "text/event-stream"}, content=b"slow")
    client = _client(package, answer).with_options(max_retries=0)
    with caplog.at_level("WARNING"), pytest.raises(package.RateLimitError):
        client.completions.create(stream=True)
    assert not [r for r in caplog.records if "answered a stream" in r.getMessage()]


def test_undeclared_events_are_left_on_the_connection(build_package: BuildPackage) -> None:
    """The events come as they are sent, not after the whole body (a chat completion's
    tokens): the stream reads the body only when iterated."""
    package = build_package(_spec())
    chunks: list[bytes] = []

    def body() -> Any:
        for line in EVENTS.split(b"\n\n")[:-1]:
            chunks.append(line)
            yield line + b"\n\n"

    answer = httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())
    stream = _client(package, answer).completions.create(stream=True)
    assert chunks == []  # nothing read yet
    first = next(iter(stream))
    assert first.data.startswith('{"id"') and len(chunks) == 1


def test_undeclared_json_lines_are_a_stream_async(build_package: BuildPackage) -> None:
    package = build_package(_spec())
    lines = b'{"id": "a"}\n{"id": "b"}\n'

    async def main() -> list[Any]:
        answer = httpx.Response(
            200, headers={"content-type": "application/x-ndjson"}, content=lines
        )
        transport = httpx.MockTransport(lambda request: answer)
        async with package.AsyncClient(http_client=httpx.AsyncClient(transport=transport)) as c:
            return [item async for item in await c.completions.create()]

    assert asyncio.run(main()) == [{"id": "a"}, {"id": "b"}]


def test_text_where_json_is_declared_is_the_text(
    build_package: BuildPackage, caplog: pytest.LogCaptureFixture
) -> None:
    package = build_package(_spec())
    srt = "1\n00:00:00,000 --> 00:00:01,000\nHello\n"
    answer = httpx.Response(200, headers={"content-type": "text/plain"}, text=srt)
    with caplog.at_level(logging.WARNING):
        assert _client(package, answer).completions.create() == srt
    assert "does not match the spec" in caplog.text and "Hello" not in caplog.text
    strict = package.Client(
        http_client=httpx.Client(transport=httpx.MockTransport(lambda request: answer)),
        strict_response_validation=True,
    )
    with pytest.raises(package.APIResponseValidationError):
        strict.completions.create()


def test_bytes_where_json_is_declared_are_a_binary_response(build_package: BuildPackage) -> None:
    """UX audit 9: Open Banking's statement file answered `application/pdf` where its spec
    declares JSON: "Invalid JSON" was raised, the PDF reachable only through the error."""
    package = build_package(_spec())
    pdf = b"%PDF-1.7 statement"
    answer = httpx.Response(200, headers={"content-type": "application/pdf"}, content=pdf)
    found = _client(package, answer).completions.create()
    assert isinstance(found, package.BinaryResponse) and found.read() == pdf
    strict = package.Client(
        http_client=httpx.Client(transport=httpx.MockTransport(lambda request: answer)),
        strict_response_validation=True,
    )
    with pytest.raises(package.APIResponseValidationError):
        strict.completions.create()


def test_a_body_where_none_is_declared_is_returned(
    build_package: BuildPackage, caplog: pytest.LogCaptureFixture
) -> None:
    package = build_package(_spec())
    tar = b"ustar\x00" + bytes(range(256)) * 4
    answer = httpx.Response(200, headers={"content-type": "application/x-tar"}, content=tar)
    with caplog.at_level(logging.DEBUG):
        exported = _client(package, answer).containers.stats.retrieve("c1")
    assert isinstance(exported, package.BinaryResponse) and exported.read() == tar
    assert "declares no body for status 200" in caplog.text
    # at DEBUG: the method's type (`Any`) and docstring say so already (UX audit 15)
    said = {r.levelno for r in caplog.records if "declares no body" in r.getMessage()}
    assert said == {logging.DEBUG}
    data = httpx.Response(200, json={"status": "exported"})
    assert _client(package, data).containers.stats.retrieve("c1") == {"status": "exported"}
    assert _client(package, httpx.Response(200)).containers.stats.retrieve("c1") is None


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_undeclared_stream_is_refused_when_strict(
    build_package: BuildPackage, caplog: pytest.LogCaptureFixture, mode: str
) -> None:
    """Hostile audit 9: under `strict_response_validation` the server does not choose
    another return type: events where the spec says JSON are refused (read within the size
    limit, the connection released), not returned as a `Stream` that held a pooled
    connection until closed. Lenient, the stream comes with a warning saying to close it."""
    package = build_package(_spec())
    answer = httpx.Response(200, headers={"content-type": "text/event-stream"}, content=EVENTS)
    transport = httpx.MockTransport(lambda request: answer)
    if mode == "sync":
        strict = package.Client(
            http_client=httpx.Client(transport=transport), strict_response_validation=True
        )
        with pytest.raises(package.APIResponseValidationError):
            strict.completions.create(stream=True)
    else:

        async def main() -> None:
            async with package.AsyncClient(
                http_client=httpx.AsyncClient(transport=transport),
                strict_response_validation=True,
            ) as client:
                await client.completions.create(stream=True)

        with pytest.raises(package.APIResponseValidationError):
            asyncio.run(main())
    assert answer.is_closed
    lenient = httpx.Response(200, headers={"content-type": "text/event-stream"}, content=EVENTS)
    with caplog.at_level(logging.WARNING):
        stream = _client(package, lenient).completions.create(stream=True)
        stream.close()
    assert "returned as a Stream (close it" in caplog.text


def test_a_get_without_declared_content_is_typed_as_what_arrives(
    build_package: BuildPackage,
) -> None:
    """UX audit 7: Zuora's invoice PDFs and GitLab's archives (a GET's 200 without content)
    were typed `-> None` while a `BinaryResponse` came back: `mypy --strict` refused every
    use of it. Such a GET returns `Any` (JSON, text or binary, as received), unless its path
    names a download (`test_an_undeclared_download_streams`)."""
    import sys
    import typing

    package = build_package(_spec())
    client = _client(package, httpx.Response(200, content=b"%PDF-1.7", headers=PDF))
    stats = type(client.containers.stats).retrieve
    names = vars(sys.modules[stats.__module__])
    assert typing.get_type_hints(stats, names)["return"] is Any
    assert client.containers.stats.retrieve("c1").read() == b"%PDF-1.7"


PDF = {"content-type": "application/pdf"}


def test_every_json_lines_type_the_generator_reads_is_an_undeclared_stream() -> None:
    """Hostile audit 10: `application/stream+json`, `application/x-json-stream` and
    `application/json-seq` were parsed as one JSON document (an error even when lenient)."""
    from generator.ir_media import JSON_LINES
    from generator.runtime._responses import _UNDECLARED_STREAMS

    assert {media for media, kind in _UNDECLARED_STREAMS.items() if kind == "jsonl"} == JSON_LINES


@pytest.mark.parametrize("media_type", ["application/stream+json", "application/json-seq"])
def test_undeclared_json_lines_of_each_type_are_a_stream(
    build_package: BuildPackage, media_type: str
) -> None:
    package = build_package(_spec())
    lines = b'\x1e{"id": "a"}\n\x1e{"id": "b"}\n'
    answer = httpx.Response(200, headers={"content-type": media_type}, content=lines)
    with _client(package, answer).completions.create() as stream:
        assert list(stream) == [{"id": "a"}, {"id": "b"}]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_undeclared_download_streams(
    build_package: BuildPackage, tmp_path: Any, mode: str
) -> None:
    """UX audit 12: GitLab's `GET …/repository/archive` (a 200 without content) was read whole
    into memory, past the size limit, and took no `stream=True`. A GET whose path ends in a
    download's name (`archive`, `download`, `raw`, `export`…) and declares no success body
    returns a `BinaryResponse` and takes `stream=`."""
    item = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
    paths = {
        "/projects/{id}/repository/archive": {
            "get": {
                "operationId": "getArchive",
                "parameters": item,
                "responses": {"200": {"description": "The archive."}},
            }
        }
    }
    package = build_package(minimal_spec({}, paths))
    archive = b"PK\x03\x04" + bytes(range(256)) * 8
    answer = httpx.Response(200, headers={"content-type": "application/zip"}, content=archive)
    target = tmp_path / "archive.zip"
    if mode == "sync":
        client = package.Client(
            base_url="https://api.example.test",
            max_response_size=1000,
            http_client=httpx.Client(transport=httpx.MockTransport(lambda _: answer)),
        )
        with client.projects.repository.archive("7", stream=True) as download:
            download.write_to_file(target)
    else:

        async def run() -> None:
            client = package.AsyncClient(
                base_url="https://api.example.test",
                max_response_size=1000,
                http_client=httpx.AsyncClient(transport=httpx.MockTransport(lambda _: answer)),
            )
            async with await client.projects.repository.archive("7", stream=True) as download:
                await download.awrite_to_file(target)

        asyncio.run(run())
    assert target.read_bytes() == archive


def test_a_post_to_a_stream_without_declared_content_takes_stream(
    build_package: BuildPackage,
) -> None:
    """Media audit 5: ElevenLabs' `POST /v1/text-to-speech/{voice_id}/stream` "returns audio
    as an audio stream" but declares no content: its body was read whole before the method
    returned, and it took no `stream=`. A POST to `…/stream` is a download as a GET's is;
    a POST to `…/archive` (archiving something) keeps its body as received."""
    item = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
    said = {"content": {"application/json": {"schema": {"type": "object"}}}}
    paths = {
        f"/voices/{{id}}/{last}": {
            "post": {
                "operationId": f"{last}Voice",
                "parameters": item,
                "requestBody": said,
                "responses": {"200": {"description": "OK"}},
            }
        }
        for last in ("stream", "archive")
    }
    package = build_package(minimal_spec({}, paths))
    sent: list[int] = []

    def audio() -> Any:
        for n in range(3):
            sent.append(n)
            yield bytes([n]) * 10

    answer = httpx.Response(200, headers={"content-type": "audio/mpeg"}, content=audio())
    client = _client(package, answer)
    with client.voices.stream("v", body={}, stream=True) as spoken:
        assert not spoken.is_read and sent == []
        assert b"".join(spoken.iter_bytes()) == bytes([0]) * 10 + bytes([1]) * 10 + bytes([2]) * 10
    with pytest.raises(TypeError):
        client.voices.archive("v", body={}, stream=True)


def test_a_success_where_the_spec_declares_none_is_returned_as_received(
    build_package: BuildPackage,
) -> None:
    """UX audit 13: Vercel's `GET /v8/artifacts/{hash}` declares only errors; its 200 bytes
    were dropped (`None`). A body where the spec declares no response for the status is
    returned as received, and such a GET is typed `Any`."""
    item = [{"name": "hash", "in": "path", "required": True, "schema": {"type": "string"}}]
    paths = {
        "/artifacts/{hash}": {
            "get": {
                "operationId": "downloadArtifact",
                "parameters": item,
                "responses": {"400": {"description": "bad"}},
            }
        }
    }
    package = build_package(minimal_spec({}, paths))
    answer = httpx.Response(200, content=b"\x00\x01", headers={"content-type": "application/zip"})
    client = package.Client(
        base_url="https://api.example.test",
        http_client=httpx.Client(transport=httpx.MockTransport(lambda _: answer)),
    )
    assert client.artifacts.retrieve("h").read() == b"\x00\x01"
    data = httpx.Response(200, json={"ok": True})
    client = package.Client(
        base_url="https://api.example.test",
        http_client=httpx.Client(transport=httpx.MockTransport(lambda _: data)),
    )
    assert client.artifacts.retrieve("h") == {"ok": True}
