"""Parameters typed as secrets (`format: password`, `x-sensitive`) and query credentials
stay out of logs: the package's own DEBUG line and httpx's INFO line (`HTTP Request: GET
<url>`), which logs the URL as sent, and out of the error a server's echo of them makes.
The request still carries them. (Hostile audit 3: both log lines showed the path and query
secrets in clear, httpx's the API key too.)"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec

CARD = "4111111111111111"
TOKEN = "tok SECRET/&=1"  # characters the query and the path encode
KEY = "SECRET-api-key"
NAMED = "vonage-secret-XYZ"


def _spec() -> dict[str, Any]:
    operation = {
        "operationId": "payCard",
        "x-sdk-resource": "cards",
        "parameters": [
            {
                "name": "card_number",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "format": "password"},
            },
            {
                "name": "token",
                "in": "query",
                "schema": {"type": "string", "x-sensitive": True},
            },
            {"name": "note", "in": "query", "schema": {"type": "string"}},
            # a plain string named as a secret (Vonage's `api_secret`: UX audit 13)
            {"name": "api_secret", "in": "query", "schema": {"type": "string"}},
        ],
        "responses": {
            "200": {"description": "ok"},
            "400": {
                "description": "refused",
                "content": {
                    "application/json": {
                        "schema": {"type": "object", "properties": {"message": {"type": "string"}}}
                    }
                },
            },
        },
    }
    spec = minimal_spec(
        {},
        {"/cards/{card_number}/pay": {"post": operation}},
        security_schemes={"api_key": {"type": "apiKey", "in": "query", "name": "api_key"}},
    )
    spec["security"] = [{"api_key": []}]
    return spec


@pytest.mark.parametrize("asynchronous", [False, True])
def test_secret_parameters_and_query_credentials_stay_out_of_logs_and_errors(
    build_package: BuildPackage, asynchronous: bool, caplog: pytest.LogCaptureFixture
) -> None:
    package = build_package(_spec())
    sent: list[httpx.Request] = []
    echo = f"card {CARD} with token {TOKEN} and key {KEY} ({NAMED}) refused"

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(400, json={"message": echo})

    async def serve(request: httpx.Request) -> httpx.Response:
        return handler(request)

    arguments = {"token": TOKEN, "note": "plain", "api_secret": NAMED}
    with caplog.at_level(logging.DEBUG), pytest.raises(package.APIStatusError) as raised:
        if asynchronous:

            async def main() -> None:
                http = httpx.AsyncClient(transport=httpx.MockTransport(serve))
                async with package.AsyncClient(api_key=KEY, http_client=http) as client:
                    await client.cards.pay(CARD, **arguments)

            asyncio.run(main())
        else:
            http = httpx.Client(transport=httpx.MockTransport(handler))
            package.Client(api_key=KEY, http_client=http).cards.pay(CARD, **arguments)
    request = sent[0]
    assert request.url.params["token"] == TOKEN and request.url.params["api_key"] == KEY
    assert CARD in request.url.path
    lines = {record.name: record.getMessage() for record in caplog.records}
    assert "HTTP Request: POST" in lines["httpx"] and "note=plain" in lines["httpx"]
    assert "/cards/[redacted]/pay" in lines[package.__name__]
    for shown in (*lines.values(), str(raised.value)):
        for secret in (CARD, TOKEN, KEY, NAMED, "tok+SECRET", "tok%20SECRET"):
            assert secret not in shown
