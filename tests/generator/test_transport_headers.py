"""Headers the HTTP transport writes (`Content-Length`, `Transfer-Encoding`, `Host`,
`Connection`) are no method's parameters: VTEX declares `Content-Length` (example `2183`),
and the caller's value made h11 refuse to frame the request with its own exception, outside
the package's `APIError`. Such a parameter is left out with a W310 warning; a caller's
`Content-Length` or `Transfer-Encoding` in `extra_headers` (or the client's headers) is
refused with `RequestValidationError` before anything is sent, sync and async."""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.diagnostics import Severity
from generator.pipeline import generate_package
from tests.conftest import BuildPackage, minimal_spec, write_spec

BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"type": "object", "properties": {"id": {"type": "string"}}}}
    },
}


def _header(name: str) -> dict[str, Any]:
    return {"name": name, "in": "header", "schema": {"type": "string", "example": "2183"}}


SPEC = minimal_spec(
    {},
    {
        "/orders": {
            "parameters": [_header("Host")],  # a path item's: noted once, not per operation
            "post": {
                "operationId": "placeOrder",
                "parameters": [
                    _header("Content-Length"),
                    _header("transfer-encoding"),
                    _header("Connection"),
                    _header("X-Trace"),
                ],
                "requestBody": BODY,
                "responses": {"204": {"description": "ok"}},
            },
            "get": {"operationId": "listOrders", "responses": {"204": {"description": "ok"}}},
        }
    },
)


def test_transport_headers_are_left_out_with_w310(
    tmp_path: Path, build_package: BuildPackage
) -> None:
    path = write_spec(tmp_path, SPEC)
    result = generate_package(path, tmp_path / "out", package_name="w310_pkg")
    found = sorted(
        (d.location.pointer, d.message.split("'")[1])
        for d in result.diagnostics
        if d.code == "W310" and d.severity is Severity.WARNING
    )
    assert found == [
        ("/paths/~1orders/parameters/0", "Host"),
        ("/paths/~1orders/post/parameters/0", "Content-Length"),
        ("/paths/~1orders/post/parameters/1", "transfer-encoding"),
        ("/paths/~1orders/post/parameters/2", "Connection"),
    ]
    package = build_package(SPEC)
    client = package.Client(base_url="https://x.test")
    kept = set(inspect.signature(client.orders.create).parameters)
    assert "x_trace" in kept
    assert not kept & {"content_length", "transfer_encoding", "host", "connection"}


@pytest.fixture
def package(build_package: BuildPackage) -> ModuleType:
    return build_package(SPEC)


def call(package: ModuleType, mode: str, sent: list[httpx.Request], **options: Any) -> None:
    """One `orders.create` call with `options` (client keyword arguments, `extra_headers`)."""
    extra = options.pop("extra_headers", None)

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    async def async_handler(request: httpx.Request) -> httpx.Response:
        return handler(request)

    if mode == "sync":
        transport = httpx.MockTransport(handler)
        client = package.Client(http_client=httpx.Client(transport=transport), **options)
        client.orders.create(id="o1", extra_headers=extra)
    else:
        atransport = httpx.MockTransport(async_handler)
        aclient = package.AsyncClient(
            http_client=httpx.AsyncClient(transport=atransport), **options
        )
        asyncio.run(aclient.orders.create(id="o1", extra_headers=extra))


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    "options",
    [
        {"extra_headers": {"Content-Length": "2183"}},
        {"extra_headers": {"transfer-encoding": "chunked"}},
        {"default_headers": {"Content-Length": "2"}},
    ],
)
def test_a_callers_framing_header_is_refused_before_sending(
    package: ModuleType, mode: str, options: dict[str, Any]
) -> None:
    sent: list[httpx.Request] = []
    with pytest.raises(package.RequestValidationError) as caught:
        call(package, mode, sent, **options)
    assert isinstance(caught.value, package.APIError) and sent == []
    assert "frames the body" in str(caught.value.errors)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_other_extra_headers_and_the_clients_own_length_go_out(
    package: ModuleType, mode: str
) -> None:
    sent: list[httpx.Request] = []
    call(package, mode, sent, extra_headers={"Connection": "close", "X-Trace": "t"})
    (request,) = sent
    assert request.headers["connection"] == "close" and request.headers["x-trace"] == "t"
    assert request.headers["content-length"] == str(len(request.content))


def test_names_http_cannot_carry_are_left_out_with_w311(
    tmp_path: Path, build_package: BuildPackage
) -> None:
    """A header or cookie parameter named with a space, a control character or a separator
    (`X Key`, `X-Trace\\r\\nId`, `a;b`) generated a method every call of which the transport
    refused, outside `APIError`: it is left out with W311, the rest of the call works."""
    cookie = {"name": "a;b", "in": "cookie", "schema": {"type": "string"}}
    operation = {
        "operationId": "listItems",
        "parameters": [_header("X Key"), _header("X-Trace\r\nId"), cookie, _header("X-Ok")],
        "responses": {"204": {"description": "ok"}},
    }
    spec = minimal_spec({}, {"/items": {"get": operation}})
    result = generate_package(write_spec(tmp_path, spec), tmp_path / "out", package_name="w311")
    found = sorted(d.location.pointer for d in result.diagnostics if d.code == "W311")
    assert found == [f"/paths/~1items/get/parameters/{i}" for i in range(3)]
    package = build_package(spec)
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    http = httpx.Client(transport=httpx.MockTransport(answer))
    package.Client(http_client=http).items.list(x_ok="1")
    assert sent[0].headers["x-ok"] == "1"
    assert list(inspect.signature(package.Client().items.list).parameters)[:1] == ["x_ok"]
