"""`<package>.testing.MockAPI` without the spec's examples (issue 15): it falls back to the
examples of the schemas, then to values synthesised from them at generation time, so a
list endpoint returns a page that is not empty and every answer parses as its model;
pages after the first are empty, so iterating a list ends; bodies go out in the
response's media type (JSON, bytes, server-sent events, JSON Lines)."""

from __future__ import annotations

import asyncio
import importlib
from typing import Any

import pytest

from tests.conftest import BuildPackage, minimal_spec


def _json(schema: dict[str, Any], **media: Any) -> dict[str, Any]:
    return {"description": "ok", "content": {"application/json": {"schema": schema, **media}}}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


SCHEMAS: dict[str, Any] = {
    "Thing": {
        "type": "object",
        "required": ["id", "name", "size"],
        "properties": {
            "id": {"type": "string", "readOnly": True},
            "name": {"type": "string", "example": "lamp"},
            "size": {"type": "integer", "minimum": 10, "multipleOf": 5},
            "kind": {"type": "string", "enum": ["small", "big"]},
        },
    },
    "Shown": {
        "type": "object",
        "required": ["title"],
        "properties": {"title": {"type": "string"}, "rank": {"type": "integer"}},
        "example": {"title": "from the schema", "rank": 3},
    },
    "Problem": {
        "type": "object",
        "required": ["message"],
        "properties": {"message": {"type": "string"}},
    },
}
PAGE = {
    "type": "object",
    "required": ["data", "has_more"],
    "properties": {
        "data": {"type": "array", "items": _ref("Thing")},
        "has_more": {"type": "boolean"},
    },
}
PATHS: dict[str, Any] = {
    "/things": {
        "get": {
            "operationId": "listThings",
            "parameters": [
                {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                {"name": "starting_after", "in": "query", "schema": {"type": "string"}},
            ],
            "responses": {"200": _json(PAGE), "4XX": _json(_ref("Problem"))},
        }
    },
    "/numbered": {
        "get": {
            "operationId": "listNumbered",
            "parameters": [
                {"name": "page", "in": "query", "schema": {"type": "integer"}},
                {"name": "per_page", "in": "query", "schema": {"type": "integer"}},
            ],
            "responses": {
                "200": _json(
                    {"type": "array", "items": _ref("Thing")},
                    example=[{"id": "a", "name": "x", "size": 10}],
                )
            },
        }
    },
    "/shown": {"get": {"operationId": "getShown", "responses": {"200": _json(_ref("Shown"))}}},
    "/things/{id}/file": {
        "get": {
            "operationId": "getThingFile",
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {
                        "application/json": {"schema": _ref("Thing")},
                        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    },
                }
            },
        }
    },
    "/events": {
        "get": {
            "operationId": "watch",
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {"text/event-stream": {"schema": _ref("Thing")}},
                }
            },
        }
    },
    "/lines": {
        "get": {
            "operationId": "export",
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {"application/x-ndjson": {"schema": _ref("Thing")}},
                }
            },
        }
    },
}


@pytest.fixture
def package(build_package: BuildPackage) -> Any:
    built = build_package(minimal_spec(SCHEMAS, PATHS))
    importlib.import_module(f"{built.__name__}.testing")
    return built


def test_a_list_without_examples_answers_a_page_of_valid_items(package: Any) -> None:
    mock = package.testing.MockAPI()
    things = list(mock.client().things.list())
    assert len(things) == 1  # the first page holds an item, the next one is empty
    thing = things[0]
    assert isinstance(thing, package.models.Thing)
    assert (thing.name, thing.size) == ("lamp", 10)  # the property's example; the bounds
    assert len(mock.requests) == 1  # `has_more` is false


def test_numbered_pages_after_the_first_are_empty(package: Any) -> None:
    mock = package.testing.MockAPI()
    assert [t.name for t in mock.client().numbered.list()] == ["x"]
    assert [r.url.params.get("page") for r in mock.requests] == ["1", "2"]


def test_the_schema_example_comes_before_synthesis(package: Any) -> None:
    shown = package.testing.MockAPI().client().shown.retrieve()
    assert (shown.title, shown.rank) == ("from the schema", 3)


def test_errors_without_examples_are_synthesised(package: Any) -> None:
    client = package.testing.MockAPI().client(max_retries=0)
    with pytest.raises(package.NotFoundError) as raised:
        _ = client.things.list(extra_headers={"Prefer": "code=404"}).items
    assert raised.value.parsed.message == "message"


def test_the_accepted_media_type_is_answered(package: Any) -> None:
    client = package.testing.MockAPI().client()
    assert isinstance(client.things.file.retrieve("a"), package.models.Thing)
    pdf = client.things.file.retrieve("a", extra_headers={"Accept": "application/pdf"})
    assert pdf.content_type == "application/pdf" and pdf.read() == b"example"


def test_streams_are_answered_as_streams(package: Any) -> None:
    client = package.testing.MockAPI().client()
    with client.events.retrieve() as events:
        (event,) = list(events)
    assert event.data.name == "lamp"
    with client.lines.retrieve() as lines:
        assert [item.size for item in lines] == [10]


def test_the_async_client_pages_too(package: Any) -> None:
    async def names() -> list[str]:
        async with package.testing.MockAPI().async_client() as client:
            return [thing.name async for thing in client.things.list()]

    assert asyncio.run(names()) == ["lamp"]


def test_routes_start_where_the_server_path_ends(build_package: BuildPackage) -> None:
    """cloud-elements' server ends in `/elements/api-v2`: a call to `/{objectName}/{objectId}`
    (four segments with the server's) was answered by `/{a}/{b}/{c}/{d}`, a 4-segment route
    whose pattern took the server's path for its parameters."""

    def answer(name: str) -> dict[str, Any]:
        schema = {"type": "object", "properties": {"kind": {"const": name}}}
        content = {"application/json": {"schema": schema, "example": {"kind": name}}}
        return {"responses": {"200": {"description": "ok", "content": content}}}

    def parameters(*names: str) -> list[dict[str, Any]]:
        return [
            {"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in names
        ]

    spec = minimal_spec(
        {},
        {
            "/{objectName}/{objectId}": {
                "get": {
                    "operationId": "getObject",
                    "parameters": parameters("objectName", "objectId"),
                    **answer("object"),
                }
            },
            "/{objectName}/{objectId}/{child}/{childId}": {
                "get": {
                    "operationId": "getChild",
                    "parameters": parameters("objectName", "objectId", "child", "childId"),
                    **answer("child"),
                }
            },
        },
    )
    spec["servers"] = [{"url": "https://api.example.test/elements/api-v2"}]
    package = build_package(spec)
    mock = importlib.import_module(f"{package.__name__}.testing").MockAPI()
    client = mock.client()
    assert client.root.get_object("contacts", "7").kind == "object"
    assert client.root.get_child("contacts", "7", "notes", "1").kind == "child"


@pytest.mark.parametrize("servers", [None, [{"url": "/api/v3"}], [{"url": "api/v3/"}]])
def test_a_spec_without_an_absolute_server_is_mocked_on_a_placeholder_origin(
    build_package: BuildPackage, servers: list[dict[str, str]] | None
) -> None:
    """No `servers`, or a relative one (the spec's own location): `MockAPI()`'s clients sent
    every call to `/api/v3/...` and httpx refused the URL (a raw ValueError)."""
    content = {"application/json": {"schema": {"type": "integer"}, "example": 7}}
    operation = {
        "operationId": "ping",
        "responses": {"200": {"description": "ok", "content": content}},
    }
    spec = minimal_spec({}, {"/ping": {"get": operation}})
    spec.pop("servers", None)
    if servers is not None:
        spec["servers"] = servers
    package = build_package(spec)
    mock = importlib.import_module(f"{package.__name__}.testing").MockAPI()
    assert mock.client().ping.retrieve() == 7

    async def main() -> int:
        async with mock.async_client() as client:
            return int(await client.ping.retrieve())

    assert asyncio.run(main()) == 7
    path = "/api/v3/ping" if servers else "/ping"
    assert [str(r.url) for r in mock.requests] == [f"https://api.example.test{path}"] * 2


def test_a_stream_is_answered_as_the_stream_the_request_asks_for(
    build_package: BuildPackage,
) -> None:
    """Media audit 9: an operation answering JSON or server-sent events served its JSON
    example as the one event (`object: chat.completion`, no `delta`): streaming code met
    offline what it never meets live. The stream has its own fallback, answered when the
    body's `stream` is true (OpenAI's; the client's `Accept` names JSON first) or `Accept`
    asks for it."""
    from tests.generator.test_async_result_types import CHAT

    package = build_package(CHAT)
    testing = importlib.import_module(f"{package.__name__}.testing")
    client = testing.MockAPI().client()
    answer = client.chat.completions.create(model="m")
    assert type(answer).__name__ == "Completion"
    with client.chat.completions.create(model="m", stream=True) as events:
        assert [type(e.data).__name__ for e in events] == ["Chunk"]
    asked = client.chat.completions.create(model="m", extra_headers={"Accept": "text/event-stream"})
    assert [type(e.data).__name__ for e in asked] == ["Chunk"]
