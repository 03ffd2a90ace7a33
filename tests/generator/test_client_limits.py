"""Issue 11, generated clients: a request that does not match the spec raises the package's
`RequestValidationError` (located, never echoing values) and nothing is sent; a response
body over `max_response_size` raises `ResponseTooLargeError` without being read past the
limit, whatever its `Content-Length` says. Sync and async, through `httpx.MockTransport`."""

from __future__ import annotations

import asyncio
import gzip
import importlib
import json
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.conftest import (
    BuildPackage,
    assert_package_builds,
    method,
    minimal_spec,
    write_spec,
)

CARD = "4111111111111111"
CVC = "737"

SPEC = minimal_spec(
    {
        "Card": {
            "type": "object",
            "required": ["number"],
            "properties": {
                "number": {"type": "string", "x-sensitive": True, "pattern": "^[0-9]{12,19}$"},
                "cvc": {"type": "string", "format": "password", "maxLength": 4},
                "amount": {"type": "integer", "minimum": 1},
            },
        }
    },
    {
        "/items/{id}": {
            "get": {
                "operationId": "getItem",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}},
                    {"name": "X-Mode", "in": "header", "schema": {"type": "string", "enum": ["a", "b"]}},
                ],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}},
            }
        },
        "/cards": {
            "post": {
                "operationId": "addCard",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Card"}}}},
                "responses": {"201": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}},
            }
        },
    },
    security_schemes={"key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}},
)  # fmt: skip

MODES = ("sync", "async")


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    from generator.pipeline import generate_package

    root = tmp_path_factory.mktemp("limits")
    output = root / "pkg_client_limits"
    generate_package(write_spec(root, SPEC), output, package_name="pkg_client_limits")
    sys.path.insert(0, str(output))
    module = importlib.import_module("pkg_client_limits")
    assert_package_builds(module)
    yield module
    sys.path.remove(str(output))
    for key in [k for k in sys.modules if k.split(".")[0] == "pkg_client_limits"]:
        del sys.modules[key]


def call(
    package: ModuleType, mode: str, handler: Callable[..., Any], op: str, **kwargs: Any
) -> Any:
    """Call operation `op` on a sync or async client whose transport is `handler`."""
    options = {
        "key": "k-secret",
        "max_retries": kwargs.pop("max_retries", 0),
        **kwargs.pop("client_options", {}),
    }
    if mode == "sync":
        with package.Client(
            http_client=httpx.Client(transport=httpx.MockTransport(handler)), **options
        ) as client:
            return method(client, op)(**kwargs)

    async def main() -> Any:
        async with package.AsyncClient(
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)), **options
        ) as client:
            return await method(client, op)(**kwargs)

    return asyncio.run(main())


class Never:
    """A transport handler that must not be reached."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        return httpx.Response(200, json={})


# ---- request validation ------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_invalid_parameters_raise_request_validation_error_and_send_nothing(
    package: ModuleType, mode: str
) -> None:
    never = Never()
    with pytest.raises(package.RequestValidationError) as raised:
        call(package, mode, never, "items.retrieve", id="12", limit=1000, x_mode="c")
    assert never.calls == 0
    error: Any = raised.value
    locations = [e["loc"] for e in error.errors()]
    assert isinstance(error, package.APIError) and isinstance(error, ValueError)
    assert locations == [("path", "id"), ("query", "limit"), ("header", "X-Mode")]
    assert str(error).startswith("GET /items/{id}: request not sent: path.id: ")
    assert "1000" not in str(error) and "'12'" not in str(error)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("body", "secret", "locations"),
    [
        ({"number": CARD + "x", "cvc": CVC}, CARD, [("body", "number")]),
        ({"number": CARD, "cvc": CVC + "99"}, CVC + "99", [("body", "cvc")]),
        ({"number": CARD, "amount": "5"}, CARD, [("body", "amount")]),
        ({"number": int(CARD)}, CARD, [("body", "number")]),
        ({"cvc": CVC}, CVC, [("body", "number")]),
    ],
)
def test_invalid_body_raises_with_field_paths_and_no_values(
    package: ModuleType, mode: str, body: dict[str, Any], secret: str, locations: list[Any]
) -> None:
    never = Never()
    with pytest.raises(package.RequestValidationError) as raised:
        call(package, mode, never, "cards.create", body=body)
    assert never.calls == 0
    assert [e["loc"] for e in raised.value.errors()] == locations
    shown = str(raised.value) + repr(raised.value) + repr(raised.value.errors())
    assert secret not in shown
    assert raised.value.__cause__ is None and raised.value.__context__ is None  # no pydantic error


# ---- response size ------------------------------------------------------------------------


class Body:
    """A streamed response body that counts the chunks the client pulled."""

    def __init__(self, chunk: bytes, count: int | None) -> None:
        self.chunk, self.count, self.pulled = chunk, count, 0

    def _chunks(self) -> Iterator[bytes]:
        sent = 0
        while self.count is None or sent < self.count:
            sent += 1
            self.pulled += 1
            yield self.chunk

    def __iter__(self) -> Iterator[bytes]:
        return self._chunks()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks():
            yield chunk


def streaming(
    mode: str, body: Body, status: int = 200, headers: dict[str, str] | None = None
) -> Callable[..., Any]:
    """A handler answering `body` as a stream (an iterator for sync, async for async)."""

    def handler(request: httpx.Request) -> httpx.Response:
        content: Any = iter(body) if mode == "sync" else body.__aiter__()
        return httpx.Response(status, headers=headers or {}, content=content)

    return handler


LIMIT = 4096
ENDLESS = 20_000  # chunks of 512 bytes: 10 MB, as good as endless for a 4 KiB limit


@pytest.mark.parametrize("mode", MODES)
def test_a_declared_length_over_the_limit_is_refused_unread(package: ModuleType, mode: str) -> None:
    body = Body(b"x" * 1024, 8)
    handler = streaming(mode, body, headers={"Content-Length": "8192"})
    with pytest.raises(package.ResponseTooLargeError) as raised:
        call(
            package,
            mode,
            handler,
            "items.retrieve",
            id=1,
            client_options={"max_response_size": LIMIT},
        )
    assert body.pulled == 0
    assert raised.value.limit == LIMIT and raised.value.status_code == 200
    assert "8192-byte body" in str(raised.value) and isinstance(raised.value, package.APIError)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("declared", [None, "10"], ids=["no-length", "lying-length"])
def test_an_endless_body_is_cut_at_the_limit(
    package: ModuleType, mode: str, declared: str | None
) -> None:
    body = Body(b"x" * 512, ENDLESS)
    headers = {} if declared is None else {"Content-Length": declared}
    with pytest.raises(package.ResponseTooLargeError, match="exceeds the 4096-byte limit"):
        call(
            package,
            mode,
            streaming(mode, body, headers=headers),
            "items.retrieve",
            id=1,
            client_options={"max_response_size": LIMIT},
        )
    assert body.pulled == LIMIT // 512 + 1  # one chunk past the limit, then it stops


@pytest.mark.parametrize("mode", MODES)
def test_a_compressed_body_counts_its_decoded_bytes(package: ModuleType, mode: str) -> None:
    bomb = gzip.compress(b"[" + b"0," * 500_000 + b"0]")  # 1 MB of JSON, ~1 KB on the wire
    assert len(bomb) < LIMIT
    body = Body(bomb, 1)
    handler = streaming(mode, body, headers={"Content-Encoding": "gzip"})
    with pytest.raises(package.ResponseTooLargeError):
        call(
            package,
            mode,
            handler,
            "items.retrieve",
            id=1,
            client_options={"max_response_size": LIMIT},
        )


def _json_of_size(size: int) -> bytes:
    data = json.dumps({"pad": ""}).encode()
    return json.dumps({"pad": "x" * (size - len(data))}).encode()


@pytest.mark.parametrize("mode", MODES)
def test_a_body_at_the_limit_is_read_and_none_means_no_limit(
    package: ModuleType, mode: str
) -> None:
    exact = _json_of_size(LIMIT)
    assert len(exact) == LIMIT
    options = {"max_response_size": LIMIT}
    result = call(
        package,
        mode,
        streaming(mode, Body(exact, 1)),
        "items.retrieve",
        id=1,
        client_options=options,
    )
    assert result == json.loads(exact)
    bigger = _json_of_size(LIMIT * 4)
    with pytest.raises(package.ResponseTooLargeError):
        call(
            package,
            mode,
            streaming(mode, Body(bigger, 1)),
            "items.retrieve",
            id=1,
            client_options=options,
        )
    unlimited = {"max_response_size": None}
    body = Body(bigger, 1)
    assert call(
        package, mode, streaming(mode, body), "items.retrieve", id=1, client_options=unlimited
    )


def test_the_default_limit_and_with_options(package: ModuleType) -> None:
    client = package.Client(key="k", http_client=httpx.Client())
    assert client.max_response_size == 100 * 1024 * 1024
    assert client.with_options(max_response_size=10).max_response_size == 10
    assert client.max_response_size == 100 * 1024 * 1024
    with pytest.raises(ValueError):
        client.with_options(max_response_size=-1)
    with pytest.raises(ValueError):
        package.Client(key="k", http_client=httpx.Client(), max_response_size=-1)


@pytest.mark.parametrize("mode", MODES)
def test_an_error_body_over_the_limit_is_cut_too(package: ModuleType, mode: str) -> None:
    body = Body(b"x" * 512, ENDLESS)
    handler = streaming(mode, body, status=500)
    with pytest.raises(package.ResponseTooLargeError) as raised:
        call(
            package,
            mode,
            handler,
            "items.retrieve",
            id=1,
            client_options={"max_response_size": LIMIT},
        )
    assert raised.value.status_code == 500 and body.pulled == LIMIT // 512 + 1


@pytest.mark.parametrize("mode", MODES)
def test_a_response_that_is_retried_is_not_read(package: ModuleType, mode: str) -> None:
    endless = Body(b"x" * 512, ENDLESS)
    answers = iter([(503, endless), (200, Body(b"{}", 1))])

    def handler(request: httpx.Request) -> httpx.Response:
        status, body = next(answers)
        response: httpx.Response = streaming(
            mode, body, status=status, headers={"Retry-After": "0"}
        )(request)
        return response

    assert call(package, mode, handler, "items.retrieve", id=1, max_retries=1) == {}
    assert endless.pulled == 0


def test_the_limit_is_documented_on_the_clients(package: ModuleType) -> None:
    for client in (package.Client, package.AsyncClient):
        assert "max_response_size" in (client.__doc__ or "")
    readme = Path(str(package.__file__)).parents[1] / "README.md"
    text = readme.read_text(encoding="utf-8")
    assert "RequestValidationError" in text and "ResponseTooLargeError" in text


def test_a_body_field_called_body_is_named_in_the_conflict(build_package: BuildPackage) -> None:
    """Twilio's SMS: `messages.create(to=…, from_=…, body="Hi")`, twilio-python's spelling,
    was refused with "give body= or keyword arguments, not both", which did not say that
    the spec's `Body` field is `body_=`."""
    form = {
        "type": "object",
        "properties": {"To": {"type": "string"}, "Body": {"type": "string"}},
    }
    operation = {
        "operationId": "createMessage",
        "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": form}}},
        "responses": {"201": {"description": "sent"}},
    }
    package = build_package(minimal_spec({}, {"/messages": {"post": operation}}))
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(201)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Client(base_url="https://api.example.test", http_client=http)
    with pytest.raises(
        package.RequestValidationError, match=r"`Body` field is the keyword argument `body_=`"
    ):
        client.messages.create(to="+1555", body="Hi")
    client.messages.create(to="+1555", body_="Hi")
    assert sent[0].content == b"To=%2B1555&Body=Hi"
