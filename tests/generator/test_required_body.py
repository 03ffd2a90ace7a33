"""`body=None` for a required request body (parity audit F4): the request went out with no
body at all, even where the spec's schema refuses null, and a nullable body could never
send `null`. Now a required body given None is refused before sending, or sent as the
JSON `null` its schema allows; an optional body given None is still left out."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec


def _operation(name: str, schema: dict[str, Any], required: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"content": {"application/json": {"schema": schema}}}
    if required:
        body["required"] = True
    return {
        "post": {
            "operationId": "set" + name.title(),
            "x-sdk-resource": name,
            "requestBody": body,
            "responses": {"204": {"description": "Done."}},
        }
    }


def test_none_for_a_required_body(build_package: BuildPackage) -> None:
    paths = {
        "/amount": _operation("amount", {"type": "number"}, required=True),
        "/maybe": _operation("maybe", {"type": ["number", "null"]}, required=True),
        "/optional": _operation("optional", {"type": "number"}, required=False),
    }
    spec = minimal_spec({}, paths)
    spec["openapi"] = "3.1.0"
    package = build_package(spec)
    sent: list[tuple[str, str | None, bytes]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append((request.url.path, request.headers.get("content-type"), request.content))
        return httpx.Response(204)

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = package.Client(base_url="https://api.test", http_client=http)
    with pytest.raises(package.RequestValidationError, match="body: the request body is required"):
        client.amount.set_amount(body=None)
    client.maybe.set_maybe(body=None)
    client.optional.set_optional(body=None)
    client.amount.set_amount(body=2.5)
    assert sent == [
        ("/maybe", "application/json", b"null"),
        ("/optional", None, b""),
        ("/amount", "application/json", b"2.5"),
    ]
