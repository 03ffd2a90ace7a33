"""The OpenAPI 3.2 kitchen sink (tests/golden): its package builds, and what 3.2 adds reaches the
wire as the spec says: the `QUERY` method with a body, `additionalOperations` sent with their
own method names, an `in: querystring` object as the query's pairs, sequential media types
returned whole."""

from __future__ import annotations

import asyncio
import importlib
import json
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.ir_build import build_api
from generator.load import load_spec
from tests.conftest import GOLDEN_SPECS_DIR, KITCHEN_SINK_32, assert_package_builds, method


def _package() -> ModuleType:
    return importlib.import_module(KITCHEN_SINK_32)


def _handler(seen: list[httpx.Request], status: int, body: Any) -> Any:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if isinstance(body, bytes):
            return httpx.Response(status, content=body)
        return httpx.Response(status, json=body)

    return handle


def _client(seen: list[httpx.Request], body: Any, status: int = 200, **options: Any) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(_handler(seen, status, body)))
    return _package().Client(bearer="tok", base_url="https://x.test", http_client=http, **options)


def test_every_model_builds() -> None:
    assert_package_builds(_package())


def test_query_method_is_sent_as_query_with_its_body() -> None:
    seen: list[httpx.Request] = []
    items = _client(seen, [{"id": "a", "name": "A"}]).catalog.search.query_items(
        body={"text": "lamp"}
    )
    assert [item.id for item in items] == ["a"]
    (request,) = seen
    assert request.method == "QUERY"
    assert request.url.path == "/items"
    assert json.loads(request.content) == {"text": "lamp"}
    assert request.headers["content-type"] == "application/json"


def test_query_method_async() -> None:
    seen: list[httpx.Request] = []
    transport = httpx.MockTransport(_handler(seen, 200, []))

    async def call() -> Any:
        async with httpx.AsyncClient(transport=transport) as http:
            client = _package().AsyncClient(
                bearer="tok", base_url="https://x.test", http_client=http
            )
            return await client.catalog.search.query_items(body={"limit": 5})

    assert asyncio.run(call()) == []
    assert seen[0].method == "QUERY" and json.loads(seen[0].content) == {"limit": 5}


@pytest.mark.parametrize(
    ("method_name", "wire_method", "status", "arguments"),
    [
        ("catalog.copy_item", "COPY", 201, {"item_id": "i1", "destination": "/items/i2"}),
        # `purge` in the spec: httpx upper-cases method names (W308 says so)
        ("beta.purge_item", "PURGE", 204, {"item_id": "i1"}),
    ],
)
def test_additional_operations_are_sent_with_their_own_method(
    method_name: str, wire_method: str, status: int, arguments: dict[str, Any]
) -> None:
    seen: list[httpx.Request] = []
    body = {"id": "i2", "name": "copy"} if status == 201 else b""
    method(_client(seen, body, status), method_name)(**arguments)
    (request,) = seen
    assert request.method == wire_method
    assert request.url.path == "/items/i1"
    if "destination" in arguments:
        assert request.headers["destination"] == "/items/i2"


def test_query_is_retried_and_a_custom_method_is_not(monkeypatch: pytest.MonkeyPatch) -> None:
    """QUERY is idempotent (retried like GET); a custom method is not known to be."""
    monkeypatch.setattr(f"{KITCHEN_SINK_32}._base_client.time.sleep", lambda _: None)
    seen: list[httpx.Request] = []
    client = _client(seen, {"title": "busy"}, 503, max_retries=1)
    errors = importlib.import_module(f"{KITCHEN_SINK_32}.errors")
    with pytest.raises(errors.APIStatusError):
        client.catalog.search.query_items(body={})
    with pytest.raises(errors.APIStatusError):
        client.catalog.copy_item(item_id="i", destination="d")
    assert [request.method for request in seen] == ["QUERY", "QUERY", "COPY"]


def test_querystring_object_becomes_the_query_pairs() -> None:
    seen: list[httpx.Request] = []
    models = importlib.import_module(f"{KITCHEN_SINK_32}.models")
    _client(seen, []).catalog.list_items(filter=models.ItemFilter(name="lamp", max_price=9.5))
    assert seen[0].url.query.decode() == "name=lamp&max_price=9.5"


def test_sequential_media_types_stream_their_items() -> None:
    """3.2 `itemSchema` (also through `components/mediaTypes`) types the items of a stream."""
    seen: list[httpx.Request] = []
    events = b'event: created\ndata: {"id":"a"}\n\n'
    with _client(seen, events).catalog.events.retrieve() as stream:
        assert len(list(stream)) == 1
    lines = b'{"id":"a","name":"A"}\n{"id":"b","name":"B"}\n'
    with _client(seen, lines).catalog.export_items() as items:
        assert [item.name for item in items] == ["A", "B"]
    _client(seen, b"", 202).catalog.import_items(body=lines)
    assert seen[-1].content == lines
    assert seen[-1].headers["content-type"] == "application/x-ndjson"


def test_item_schemas_and_the_tag_tree_are_in_the_ir() -> None:
    spec = load_spec(GOLDEN_SPECS_DIR / "kitchen_sink_32.yaml")
    api = build_api(spec, KITCHEN_SINK_32, "kitchen_sink_32.yaml")
    operations = {op.operation_id: op for op in api.operations}
    events = operations["streamEvents"].responses[0]
    assert (events.status, events.parse) == ("200", "sse-event")
    assert str(events.type) == "ModelRef(name='StreamEventsResponseEvent')"
    exported = operations["exportItems"].responses[0]
    assert (exported.parse, str(exported.type)) == ("jsonl", "ModelRef(name='Item')")
    assert operations["queryItems"].responses[0].parse == "json"
    assert "StreamEventsResponseEvent" in {model.name for model in api.models}
    tags = {tag.name: tag for tag in api.tags}
    assert [tag.name for tag in api.tags] == ["catalog", "search", "events", "beta"]
    assert tags["catalog"].children == ("search", "events")
    assert (tags["search"].parent, tags["search"].summary, tags["search"].kind) == (
        "catalog",
        "Search",
        "nav",
    )
    assert tags["beta"].parent is None and tags["beta"].kind == "badge"
    assert operations["copyItem"].tags == ("catalog", "beta")
    assert [op.http_method for op in api.operations] == [
        "GET",
        "QUERY",
        "COPY",
        "PURGE",
        "GET",
        "GET",
        "POST",
    ]
