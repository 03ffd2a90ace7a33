"""UX audit 15: operations marked `x-twitter-streaming: true` are JSON Lines streams of
their JSON schema (Twitter's 7 `…/stream` GETs), blank keep-alive lines skipped."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import BuildPackage, minimal_spec, recording


def _streaming(marked: bool = True) -> dict[str, Any]:
    tweet = {
        "type": "object",
        "properties": {"data": {"type": "object", "properties": {"id": {"type": "string"}}}},
    }
    operation: dict[str, Any] = {
        "operationId": "searchStream",
        "responses": {
            "200": {
                "description": "The tweets",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/T"}}},
            }
        },
    }
    if marked:
        operation["x-twitter-streaming"] = True
    single = {
        "operationId": "findTweetById",
        "responses": {
            "200": {
                "description": "A tweet",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/T"}}},
            }
        },
    }
    paths = {"/2/tweets/search/stream": {"get": operation}, "/2/tweets/{id}": {"get": single}}
    spec = minimal_spec({"T": tweet}, paths)
    spec["paths"]["/2/tweets/{id}"]["get"]["parameters"] = [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    return spec


def _lines() -> Iterator[bytes]:
    for index in range(3):
        yield (json.dumps({"data": {"id": str(index)}}) + "\r\n").encode()
        yield b"\r\n"  # Twitter's keep-alive


async def _alines() -> AsyncIterator[bytes]:
    for line in _lines():
        yield line


def test_an_operation_marked_streaming_is_a_json_lines_stream(build_package: BuildPackage) -> None:
    """Twitter's 7 `x-twitter-streaming` GETs send one JSON object a line, with blank
    keep-alive lines, under `application/json`: typed as one document, the call buffered
    forever or raised "Invalid JSON"."""
    package = build_package(_streaming())

    def answer(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "application/json"}
        return httpx.Response(200, headers=headers, content=_lines())

    http, _ = recording(answer)
    client = package.Client(http_client=http)
    with client.tweets.search.stream.retrieve() as stream:
        assert isinstance(stream, package.Stream)
        assert [item.data.id for item in stream] == ["0", "1", "2"]
    signature = inspect.signature(client.tweets.search.stream.retrieve)
    assert "Stream[" in str(signature.return_annotation)

    def aanswer(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "application/json"}
        return httpx.Response(200, headers=headers, content=_alines())

    async def main() -> list[str]:
        transport = httpx.MockTransport(aanswer)
        async with package.AsyncClient(
            http_client=httpx.AsyncClient(transport=transport)
        ) as aclient:
            async with await aclient.tweets.search.stream.retrieve() as astream:
                assert isinstance(astream, package.AsyncStream)
                return [item.data.id async for item in astream]

    assert asyncio.run(main()) == ["0", "1", "2"]
    readme = (Path(str(package.__file__)).parents[1] / "README.md").read_text()
    calls = readme.split("One call of each resource", 1)[1].split("```python", 1)[1]
    calls = calls.split("```", 1)[0]
    # the stream, which never ends, comes after the call that does
    assert calls.index("tweets.retrieve(") < calls.index("tweets.search.stream.retrieve(")


def test_without_the_marker_json_stays_one_document(build_package: BuildPackage) -> None:
    package = build_package(_streaming(marked=False))
    http, _ = recording(lambda request: httpx.Response(200, json={"data": {"id": "1"}}))
    found = package.Client(http_client=http).tweets.search.stream.retrieve()
    assert found.data.id == "1"
