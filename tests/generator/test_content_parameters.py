"""A parameter described by `content: {application/json: {schema}}` instead of `schema` goes
out as its JSON text under its own name (OpenAPI: serialised by its media type), in the
query, a header, the path and a cookie: stream-io's `json` and Superset's `q` were sent as
exploded form objects (`?status=open&ids=1,2`, the parameter's name lost), sync and async."""

from __future__ import annotations

import asyncio
import json
from types import ModuleType
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec


def _json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


FILTER = {
    "type": "object",
    "properties": {
        "status": {"type": "string"},
        "ids": {"type": "array", "items": {"type": "integer"}},
        "archived": {"type": "boolean"},
        "owner": {"type": "object", "properties": {"id": {"type": "string"}}},
    },
}
SPEC = minimal_spec(
    {},
    {
        "/search/{sel}": {
            "get": {
                "operationId": "search",
                "parameters": [
                    {
                        "name": "sel",
                        "in": "path",
                        "required": True,
                        "content": _json_content({"type": "array", "items": {"type": "string"}}),
                    },
                    {"name": "filter", "in": "query", "content": _json_content(FILTER)},
                    {"name": "plain", "in": "query", "schema": FILTER},
                    {
                        "name": "X-Meta",
                        "in": "header",
                        "content": _json_content(
                            {"type": "object", "properties": {"a": {"type": "string"}}}
                        ),
                    },
                    {
                        "name": "prefs",
                        "in": "cookie",
                        "content": _json_content(
                            {"type": "object", "properties": {"dark": {"type": "boolean"}}}
                        ),
                    },
                ],
                "responses": {"204": {"description": "ok"}},
            }
        }
    },
)


@pytest.fixture
def package(build_package: BuildPackage) -> ModuleType:
    return build_package(SPEC)


def sent(package: ModuleType, mode: str, **kwargs: Any) -> httpx.Request:
    """The request one `search.retrieve` call sends."""
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(204)

    async def async_handler(request: httpx.Request) -> httpx.Response:
        return handler(request)

    if mode == "sync":
        client = package.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        client.search.retrieve(**kwargs)
    else:
        transport = httpx.MockTransport(async_handler)
        aclient = package.AsyncClient(http_client=httpx.AsyncClient(transport=transport))
        asyncio.run(aclient.search.retrieve(**kwargs))
    return requests[0]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_json_content_parameter_is_sent_as_json_text_under_its_name(
    package: ModuleType, mode: str
) -> None:
    value = {"status": "open", "ids": [1, 2], "archived": False, "owner": {"id": "u é"}}
    request = sent(
        package,
        mode,
        sel=["a", "b/c"],
        filter=value,
        plain={"status": "open"},
        x_meta={"a": "ü"},
        prefs={"dark": True},
    )
    assert json.loads(request.url.params["filter"]) == value
    # only the `schema` parameter is form-exploded (`status=open`, its name not sent)
    assert request.url.params.get_list("status") == ["open"]
    assert "plain" not in request.url.params
    assert json.loads(request.headers["x-meta"]) == {"a": "ü"}
    assert request.headers["x-meta"] == '{"a":"\\u00fc"}'  # a header stays ASCII
    segment = request.url.raw_path.decode().split("?")[0].rsplit("/", 1)[1]
    assert json.loads(unquote(segment)) == ["a", "b/c"]
    cookie = request.headers["cookie"].split("=", 1)[1]
    assert json.loads(unquote(cookie)) == {"dark": True}


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_model_given_for_a_json_content_parameter_is_its_json(
    package: ModuleType, mode: str
) -> None:
    model = package.models.SearchFilter(status="open", archived=True)
    request = sent(package, mode, sel=[], filter=model)
    assert json.loads(request.url.params["filter"]) == {"status": "open", "archived": True}
