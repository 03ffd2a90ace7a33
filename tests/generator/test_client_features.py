"""Inline specs → generated clients exercised through httpx.MockTransport, sync and async."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec

Handler = Callable[[httpx.Request], httpx.Response]

SHOP_SPEC = minimal_spec(
    {
        "Item": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "maxLength": 5},
                "price": {"type": "number"},
                "note": {"type": ["string", "null"]},
                "card": {"type": "string", "x-sensitive": True},
            },
        },
        "Problem": {"type": "object", "properties": {"message": {"type": "string"}}},
        "Upload": {
            "type": "object",
            "properties": {
                "file": {"type": "string", "format": "binary"},
                "title": {"type": "string"},
            },
        },
    },
    {
        "/items/{item_id}": {
            "parameters": [
                {"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "get": {
                "operationId": "getItem",
                "summary": "Get an item.",
                "parameters": [
                    {
                        "name": "fields",
                        "in": "query",
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                    {
                        "name": "ids",
                        "in": "query",
                        "explode": False,
                        "schema": {"type": "array", "items": {"type": "integer"}},
                    },
                    {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
                    {"name": "X-Request-Id", "in": "header", "schema": {"type": "string"}},
                    {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Item"}}
                        },
                    },
                    "404": {
                        "description": "missing",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                        },
                    },
                },
            },
            "patch": {
                "operationId": "class",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Item"}}
                    },
                },
                "responses": {"204": {"description": "updated"}, "400": {"description": "bad"}},
            },
        },
        "/forms": {
            "post": {
                "operationId": "post form",
                "requestBody": {
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {"$ref": "#/components/schemas/Item"}
                        }
                    }
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
        "/uploads": {
            "post": {
                "operationId": "upload",
                "requestBody": {
                    "content": {
                        "multipart/form-data": {"schema": {"$ref": "#/components/schemas/Upload"}}
                    }
                },
                "responses": {"201": {"description": "created"}},
            }
        },
    },
    security_schemes={"apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}},
)


class Recorder:
    """A MockTransport handler that records requests and answers from a queue."""

    def __init__(self, *responses: httpx.Response) -> None:
        self.requests: list[httpx.Request] = []
        self.responses = list(responses)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.responses.pop(0) if self.responses else httpx.Response(200, json={"name": "ok"})


@pytest.fixture
def shop(build_package: BuildPackage) -> Any:
    return build_package(SHOP_SPEC)


def sync_client(package: Any, handler: Handler, **kwargs: Any) -> Any:
    return package.Client(
        http_client=httpx.Client(transport=httpx.MockTransport(handler)), **kwargs
    )


def async_client(package: Any, handler: Handler, **kwargs: Any) -> Any:
    return package.AsyncClient(
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)), **kwargs
    )


def test_parameters_are_serialised(shop: Any) -> None:
    recorder = Recorder(httpx.Response(200, json={"name": "pen", "price": 1.5}))
    client = sync_client(shop, recorder, api_key="k-123")
    item = client.items.retrieve(
        item_id=7, fields=["a", "b"], ids=[1, 2], verbose=True, session="s1"
    )
    assert isinstance(item, shop.models.Item) and item.price == 1.5
    request = recorder.requests[0]
    assert request.url.path == "/v1/items/7"
    assert request.url.params.get_list("fields") == ["a", "b"]
    assert request.url.params["ids"] == "1,2"
    assert request.url.params["verbose"] == "true"
    assert request.headers["X-API-Key"] == "k-123"
    assert request.headers["Cookie"] == "session=s1"
    assert len(request.headers["X-Request-Id"]) == 36  # filled with a fresh UUID


def test_cookie_values_cannot_add_cookies(shop: Any) -> None:
    """A value holding `;` (or `,`, a space, a quote) went out as it was: `session=abc;
    admin=true` is two cookies. Outside RFC 6265's cookie-octets it is percent-encoded."""
    recorder = Recorder(httpx.Response(200, json={"name": "pen", "price": 1.5}))
    client = sync_client(shop, recorder, api_key="k-123")
    client.items.retrieve(item_id=7, session='abc; admin=true, "x"\\')
    cookie = recorder.requests[0].headers["Cookie"]
    assert cookie == "session=abc%3B%20admin=true%2C%20%22x%22%5C"
    assert unquote(cookie.split("=", 1)[1]) == 'abc; admin=true, "x"\\'
    client.items.retrieve(item_id=7, session="tok/en+base64==")
    assert recorder.requests[1].headers["Cookie"] == "session=tok/en+base64=="  # as it was


def test_path_values_cannot_escape_the_template(build_package: BuildPackage) -> None:
    spec = minimal_spec(
        paths={
            "/files/{name}": {
                "get": {
                    "operationId": "getFile",
                    "parameters": [
                        {
                            "name": "name",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        }
    )
    package = build_package(spec)
    recorder = Recorder(httpx.Response(200))
    sync_client(package, recorder).files.retrieve(name="../admin?x=1#y")
    assert recorder.requests[0].url.raw_path == b"/v1/files/..%2Fadmin%3Fx%3D1%23y"


def test_operation_named_like_a_keyword(shop: Any) -> None:
    recorder = Recorder(httpx.Response(204))
    client = sync_client(shop, recorder)
    assert client.items.update(item_id=1, body={"name": "pen"}) is None
    assert recorder.requests[0].method == "PATCH"


def test_partial_update_sends_exactly_what_was_set(shop: Any) -> None:
    recorder = Recorder(httpx.Response(204), httpx.Response(204))
    client = sync_client(shop, recorder)
    client.items.update(item_id=1, body={"name": "pen", "note": None})
    assert json.loads(recorder.requests[0].content) == {"name": "pen", "note": None}
    client.items.update(item_id=1, body=shop.models.Item(name="pen", card="4111111111111111"))
    assert json.loads(recorder.requests[1].content) == {"name": "pen", "card": "4111111111111111"}


def test_invalid_body_is_rejected_before_sending(shop: Any) -> None:
    recorder = Recorder()
    client = sync_client(shop, recorder)
    with pytest.raises(shop.RequestValidationError) as raised:
        client.items.update(item_id=1, body={"name": "far too long", "card": "4111111111111111"})
    assert [e["loc"] for e in raised.value.errors()] == [("body", "name")]
    assert "4111111111111111" not in str(raised.value) + repr(raised.value.errors())
    with pytest.raises(shop.RequestValidationError):
        client.items.update(item_id=1, body={"price": 1})
    assert recorder.requests == []


def test_form_and_multipart_bodies(shop: Any) -> None:
    recorder = Recorder(httpx.Response(200, text="done"), httpx.Response(201))
    client = sync_client(shop, recorder)
    assert client.forms.create(body={"name": "pen", "price": 2.5}) == "done"
    form = recorder.requests[0]
    assert form.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert form.content == b"name=pen&price=2.5"
    assert client.uploads.create(body={"file": b"\x00\x01", "title": "t"}) is None
    multipart = recorder.requests[1]
    assert multipart.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert b'name="file"' in multipart.content and b"\x00\x01" in multipart.content
    assert b'name="title"' in multipart.content


def test_error_status_raises_with_parsed_model(shop: Any) -> None:
    recorder = Recorder(httpx.Response(404, json={"message": "no such item"}))
    client = sync_client(shop, recorder, max_retries=0)
    with pytest.raises(shop.NotFoundError) as raised:
        client.items.retrieve(item_id=9)
    error = raised.value
    assert error.status_code == 404
    assert isinstance(error.parsed, shop.models.Problem)
    assert "no such item" in str(error)


def test_async_client_mirrors_sync(shop: Any) -> None:
    recorder = Recorder(httpx.Response(200, json={"name": "pen"}), httpx.Response(404, json={}))

    async def scenario() -> None:
        client = async_client(shop, recorder, api_key="k")
        item = await client.items.retrieve(item_id=1)
        assert item.name == "pen"
        raw = await client.items.with_raw_response.retrieve(item_id=2)
        assert raw.status_code == 404 or raw.status_code == 200

    with pytest.raises(shop.NotFoundError):
        asyncio.run(scenario())
    assert [r.url.path for r in recorder.requests] == ["/v1/items/1", "/v1/items/2"]


def test_raw_response_exposes_status_and_headers(shop: Any) -> None:
    recorder = Recorder(httpx.Response(200, json={"name": "pen"}, headers={"ETag": '"v1"'}))
    raw = sync_client(shop, recorder).items.with_raw_response.retrieve(item_id=1)
    assert raw.status_code == 200 and raw.etag == '"v1"' and raw.parsed.name == "pen"


def test_repr_hides_credentials(shop: Any) -> None:
    client = shop.Client(api_key="super-secret-key")
    assert "super-secret-key" not in repr(client)
    assert "api_key" in repr(client) or "apiKey" in repr(client)


def test_multi_line_descriptions_hang_under_their_argument(build_package: BuildPackage) -> None:
    """A parameter's or a response's description of several lines continued at the
    section's margin, so Google-style readers (IDEs, napoleon) took its second line for
    the next argument: the further lines hang four spaces under their entry."""
    operation = {
        "operationId": "listThings",
        "parameters": [
            {
                "name": "q",
                "in": "query",
                "schema": {"type": "string"},
                "description": "First line.\nsecond: line.\n\n- a bullet",
            }
        ],
        "responses": {
            "200": {
                "description": "The things,\nin two lines.",
                "content": {"application/json": {"schema": {"type": "array", "items": {}}}},
            },
            "404": {"description": "Not\nfound."},
        },
    }
    package = build_package(minimal_spec({}, {"/things": {"get": operation}}))
    client = package.Client(base_url="https://api.example.test")
    doc = client.things.list.__doc__
    assert doc is not None
    section = doc[doc.index("Args:") :]
    assert "\n            q: First line.\n                second: line.\n\n" in section
    assert "\n                - a bullet (query)\n            extra_headers:" in section
    assert "\n            200: The things,\n                in two lines.\n" in section
    assert "\n                404: Not\n                    found." in section


def test_a_parameter_that_repeats_a_credential_is_sent_once(build_package: BuildPackage) -> None:
    """Trello declares its `key` and `token` credentials as required query parameters of
    all 324 operations too: every call sent `?key=A&key=B` (Prism: "must be string"), and a
    header parameter `x-api-key` beside an `X-API-Key` scheme went out twice. Such a
    parameter is optional; the credential goes out unless the call gives the argument,
    which is then kept secret like the credential; `extra_headers` win in any case."""
    schemes = {
        "key": {"type": "apiKey", "in": "query", "name": "key"},
        "header": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    }
    params = [
        {"name": "key", "in": "query", "required": True, "schema": {"type": "string"}},
        {"name": "x-api-key", "in": "header", "required": True, "schema": {"type": "string"}},
    ]
    operation = {
        "operationId": "getBoard",
        "parameters": params,
        "responses": {"200": {"description": "ok"}, "404": {"description": "missing"}},
    }
    spec = minimal_spec({}, {"/board": {"get": operation}}, security_schemes=schemes)
    spec["security"] = [{"key": [], "header": []}]  # both at once
    package = build_package(spec)
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(404 if request.url.params.get("key") == "ARG-404" else 200)

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = package.Client(key="CRED", header="HCRED", http_client=http)
    client.board.retrieve()
    client.board.retrieve(key="ARG", x_api_key="HARG")
    client.board.retrieve(extra_headers={"x-API-key": "EXTRA"})
    queries = [r.url.params.get_list("key") for r in sent]
    headers = [r.headers.get_list("x-api-key") for r in sent]
    assert queries == [["CRED"], ["ARG"], ["CRED"]]
    assert headers == [["HCRED"], ["HARG"], ["EXTRA"]]
    with pytest.raises(package.NotFoundError) as info:
        client.board.retrieve(key="ARG-404")
    assert "ARG-404" not in str(info.value) and "ARG-404" not in repr(info.value)
    # Trello's own spec: `key` or `token` (alternatives, one sent), both parameters
    # required by every operation: the query credential is the client's (the call's
    # argument optional, and winning when given), each sent once
    trello = minimal_spec({}, {"/board": {"get": operation}}, security_schemes=schemes)
    trello["security"] = [{"key": []}, {"header": []}]
    either = build_package(trello)
    signature = inspect.signature(either.Client(http_client=http).board.retrieve)
    assert signature.parameters["key"].default is None
    either.Client(key="CRED", http_client=http).board.retrieve(key="K", x_api_key="H")
    assert (sent[-1].url.params.get_list("key"), sent[-1].headers.get_list("x-api-key")) == (
        ["K"],
        ["H"],
    )


def test_a_cookie_parameter_that_repeats_a_cookie_credential_wins(
    build_package: BuildPackage,
) -> None:
    """A cookie parameter named as a cookie credential is sent instead of it when given,
    and kept secret like it (as a header or query parameter is): the credential otherwise."""
    schemes = {"session": {"type": "apiKey", "in": "cookie", "name": "session"}}
    parameters = [{"name": "session", "in": "cookie", "schema": {"type": "string"}}]
    operation = {
        "operationId": "getBoard",
        "parameters": parameters,
        "responses": {"200": {"description": "ok"}, "404": {"description": "missing"}},
    }
    spec = minimal_spec({}, {"/board": {"get": operation}}, security_schemes=schemes)
    spec["security"] = [{"session": []}]
    package = build_package(spec)
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(404 if "ARG-404" in request.headers.get("cookie", "") else 200)

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = package.Client(session="CRED", http_client=http)
    client.board.retrieve()
    client.board.retrieve(session="ARG")
    assert [r.headers.get("cookie") for r in sent] == ["session=CRED", "session=ARG"]
    with pytest.raises(package.NotFoundError) as info:
        client.board.retrieve(session="ARG-404")
    assert "ARG-404" not in str(info.value) and "ARG-404" not in repr(info.value)


def test_a_parameter_that_is_nan_or_infinite_is_refused(build_package: BuildPackage) -> None:
    """`min_price=nan` went out as `nan` (a JSON body refused it already): no number of the
    spec is NaN or infinite. E2E audit 3."""
    number = {"type": "number"}
    parameters = [
        {"name": "min_price", "in": "query", "schema": number},
        {"name": "prices", "in": "query", "schema": {"type": "array", "items": number}},
    ]
    operation = {
        "operationId": "search",
        "x-sdk-resource": "items",
        "parameters": parameters,
        "responses": {"200": {"description": "ok"}},
    }
    package = build_package(minimal_spec({}, {"/items": {"get": operation}}))
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(http_client=http)
    for arguments in ({"min_price": float("nan")}, {"prices": [1.5, float("-inf")]}):
        with pytest.raises(package.RequestValidationError) as refused:
            client.items.search(**arguments)
        assert "NaN and infinity" in str(refused.value)
    client.items.search(min_price=2.5, prices=[1.5])
    assert [r.url.query for r in sent] == [b"min_price=2.5&prices=1.5"]


def test_an_exploded_object_cookie_is_a_cookie_a_property(build_package: BuildPackage) -> None:
    """OpenAPI's style table: `form` exploded (a cookie's default) sends an object as its
    properties (`R=100; G=200; B=150`); it went out as one cookie `color=R,100,G,200,B,150`,
    which a server reading `R` never found (style audit). Not exploded, it is one cookie."""
    rgb = {"type": "object", "properties": {c: {"type": "integer"} for c in "RGB"}}
    parameters = [
        {"name": "color", "in": "cookie", "schema": rgb},
        {"name": "shade", "in": "cookie", "explode": False, "schema": rgb},
    ]
    operation: dict[str, Any] = {"operationId": "getPaint", "parameters": parameters}
    operation["responses"] = {"204": {"description": "none"}}
    package = build_package(minimal_spec({}, {"/paint": {"get": operation}}))
    recorder = Recorder(httpx.Response(204))
    client = package.Client(http_client=httpx.Client(transport=httpx.MockTransport(recorder)))
    value = {"R": 100, "G": 200, "B": 150}
    client.paint.retrieve(color=value, shade=value)
    cookie = recorder.requests[0].headers["Cookie"]
    assert cookie == "R=100; G=200; B=150; shade=R%2C100%2CG%2C200%2CB%2C150"
