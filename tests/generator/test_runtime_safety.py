"""Untrusted servers and callers (issue 11, client side): path values cannot name another
resource, redirects never carry credentials to another origin, a corrupt body is an
APIError."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec

SPEC = minimal_spec(
    {},
    {
        "/files/{name}": {
            "get": {
                "operationId": "getFile",
                "parameters": [
                    {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}},
            },
            "post": {
                "operationId": "putFile",
                "parameters": [
                    {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}},
            },
        }
    },
    security_schemes={"key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}},
)  # fmt: skip


@pytest.fixture
def package(build_package: BuildPackage) -> Any:
    return build_package(SPEC)


def _client(package: Any, handler: Any, follow: bool = False) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=follow)
    return package.Client(key="k-secret", base_url="https://api.test/v1", http_client=http)


@pytest.mark.parametrize(
    ("value", "path"),
    [(".", "/v1/files/%2E"), ("..", "/v1/files/%2E%2E"), ("a.b", "/v1/files/a.b")],
)
def test_dot_segments_are_encoded(package: Any, value: str, path: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    _client(package, handler).files.retrieve(name=value)
    assert seen[0].url.raw_path.decode() == path


def test_same_origin_redirects_are_followed(package: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/v1/files/a":
            return httpx.Response(303, headers={"Location": "/v1/files/b"})
        return httpx.Response(200, json={"ok": True})

    assert _client(package, handler).files.update(name="a", body={"x": 1}) == {"ok": True}
    assert [(r.method, r.url.path) for r in seen] == [
        ("POST", "/v1/files/a"),
        ("GET", "/v1/files/b"),
    ]
    assert seen[1].headers["X-Api-Key"] == "k-secret" and seen[1].content == b""


@pytest.mark.parametrize("follow", [False, True])
def test_redirects_to_another_origin_are_refused(package: Any, follow: bool) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(307, headers={"Location": "https://evil.test/steal"})

    errors = __import__(f"{package.__name__}.errors", fromlist=["x"])
    with pytest.raises(errors.APIConnectionError, match="another origin"):
        _client(package, handler, follow).files.update(name="a", body={"x": 1})
    assert [r.url.host for r in seen] == ["api.test"]  # even with follow_redirects=True


def test_a_redirect_status_without_a_location_is_a_status_error(package: Any) -> None:
    """httpx calls a 302 a redirect with or without a `Location` header; one without
    raised a bare KeyError (not an APIError) where the request loop followed it."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302)

    errors = __import__(f"{package.__name__}.errors", fromlist=["x"])
    with pytest.raises(errors.APIStatusError) as info:
        _client(package, handler).files.update(name="a", body={"x": 1})
    assert info.value.status_code == 302


def test_a_corrupt_body_is_an_api_error(package: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=b"not gzip")

    errors = __import__(f"{package.__name__}.errors", fromlist=["x"])
    with pytest.raises(errors.APIError, match="could not be decoded"):
        _client(package, handler).files.retrieve(name="a")
