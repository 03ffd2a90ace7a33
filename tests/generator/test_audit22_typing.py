"""Typing audit 22, the test kit's part (`<package>.testing.MockAPI`):

- a list paged by a cursor in the JSON request body (Square's 16 searches) got the first
  page again for the next one's request, and the paginator stopped with `PaginationError`;
- a form-encoded body the method offers (`content_type=`) was parsed as JSON and answered
  422.
"""

from __future__ import annotations

import importlib
from typing import Any

from tests.conftest import BuildPackage

_THING = {"type": "object", "properties": {"id": {"type": "string"}}}
_NAMED = {"type": "object", "properties": {"name": {"type": "string"}}}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Things", "version": "1.0.0"},
    "servers": [{"url": "https://api.example.test"}],
    "paths": {
        "/things/search": {
            "post": {
                "operationId": "searchThings",
                "tags": ["things"],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "cursor": {"type": "string"},
                                    "limit": {"type": "integer"},
                                },
                            }
                        }
                    }
                },
                "responses": {
                    "200": {
                        "description": "A page of things.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "things": {"type": "array", "items": _THING},
                                        "cursor": {"type": "string"},
                                    },
                                },
                                "example": {"things": [{"id": "a"}], "cursor": "c2"},
                            }
                        },
                    }
                },
            }
        },
        "/things/{id}": {
            "patch": {
                "operationId": "updateThing",
                "tags": ["things"],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "requestBody": {
                    "content": {
                        "application/json": {"schema": _NAMED},
                        "application/x-www-form-urlencoded": {"schema": _NAMED},
                    }
                },
                "responses": {"204": {"description": "Updated."}},
            }
        },
    },
}


def test_the_mock_pages_by_a_cursor_in_the_body(build_package: BuildPackage) -> None:
    package = build_package(SPEC)
    mock = importlib.import_module(f"{package.__name__}.testing").MockAPI()
    assert [thing.id for thing in mock.client().things.search(limit=10)] == ["a"]
    assert [request.content for request in mock.requests] == [
        b'{"limit":10}',
        b'{"limit":10,"cursor":"c2"}',
    ]


def test_the_mock_takes_a_form_body_the_method_offers(build_package: BuildPackage) -> None:
    package = build_package(SPEC)
    mock = importlib.import_module(f"{package.__name__}.testing").MockAPI()
    form = "application/x-www-form-urlencoded"
    mock.client().things.update("a", name="b", content_type=form)
    assert mock.requests[-1].headers["content-type"] == form
    assert mock.requests[-1].content == b"name=b"


def test_the_mock_s_clients_take_event_hooks(build_package: BuildPackage) -> None:
    """`MockAPI().client(event_hooks=…)`, the README's way to log requests, was refused:
    "give event_hooks= to your own http_client" (payments audit 21)."""
    package = build_package(SPEC)
    mock = importlib.import_module(f"{package.__name__}.testing").MockAPI()
    seen: list[str] = []
    client = mock.client(event_hooks={"request": [lambda r: seen.append(r.url.path)]})
    client.things.update("a", name="b")
    assert seen == ["/things/a"]
