"""An operation's own `servers` (or its path item's): Stripe sends uploads to
files.stripe.com while everything else goes to api.stripe.com."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Files", "version": "1"},
    "servers": [{"url": "https://api.example.test/"}],
    "paths": {
        "/v1/files": {
            "post": {
                "operationId": "files.create",
                "servers": [
                    {
                        "url": "https://{host}.example.test/",
                        "variables": {"host": {"default": "files"}},
                    }
                ],
                "responses": {"204": {"description": "Stored."}},
            },
            "get": {
                "operationId": "files.list",
                "responses": {"204": {"description": "Listed."}},
            },
        },
        "/v1/uploads": {
            "servers": [{"url": "https://uploads.example.test/v2"}],
            "post": {
                "operationId": "uploads.create",
                "responses": {"204": {"description": "Stored."}},
            },
        },
        "/v1/relative": {
            "post": {
                "operationId": "relative.create",
                "servers": [{"url": "/elsewhere"}],
                "responses": {"204": {"description": "Stored."}},
            },
        },
    },
}


def _sent(package: Any, **options: Any) -> list[str]:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(204)

    client = package.Client(
        http_client=httpx.Client(transport=httpx.MockTransport(handler)), **options
    )
    client.files.create()  # POST /v1/files (a 204 read it as an update; the operationId says)
    client.files.list()
    client.uploads.create()
    client.relative.create()
    return seen


def test_an_operation_goes_to_its_own_server(build_package: BuildPackage) -> None:
    package = build_package(SPEC)
    assert _sent(package) == [
        "https://files.example.test/v1/files",  # the operation's (variables' defaults)
        "https://api.example.test/v1/files",
        "https://uploads.example.test/v2/v1/uploads",  # the path item's
        "https://api.example.test/v1/relative",  # a relative one: the base URL
    ]


@pytest.mark.parametrize("where", ["argument", "environment"])
def test_a_base_url_the_caller_chose_takes_every_operation(
    build_package: BuildPackage, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """A proxy, a mock or a staging host: the caller's choice is where requests go."""
    package = build_package(SPEC)
    options: dict[str, Any] = {}
    if where == "argument":
        options["base_url"] = "https://proxy.test"
    else:
        monkeypatch.setenv(f"{package.__name__.upper()}_BASE_URL", "https://proxy.test")
    assert set(_sent(package, **options)) == {
        "https://proxy.test/v1/files",
        "https://proxy.test/v1/uploads",
        "https://proxy.test/v1/relative",
    }
