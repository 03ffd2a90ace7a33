"""An OAuth2 client-credentials `tokenUrl` relative to the server (Sakari's `/oauth2/token`):
OpenAPI resolves it against the server's URL; posted as written, httpx refused it
(`UnsupportedProtocol`, not an `APIError`) and the README's example could never work."""

from __future__ import annotations

import importlib
from typing import Any

import httpx
import pytest

from tests.conftest import BuildPackage, minimal_spec


def _spec(token_url: str, server: str) -> dict[str, Any]:
    spec = minimal_spec(
        {},
        {
            "/contacts": {
                "get": {
                    "operationId": "listContacts",
                    "responses": {"204": {"description": "None."}},
                }
            }
        },
    )
    spec["servers"] = [{"url": server}]
    spec["security"] = [{"auth": []}]
    flow = {"tokenUrl": token_url, "scopes": {}}
    spec.setdefault("components", {})["securitySchemes"] = {
        "auth": {"type": "oauth2", "flows": {"clientCredentials": flow}}
    }
    return spec


@pytest.mark.parametrize(
    ("token_url", "server", "resolved"),
    [
        ("/oauth2/token", "https://api.example.test/v1", "https://api.example.test/oauth2/token"),
        ("token", "https://api.example.test/v1/", "https://api.example.test/v1/token"),
        ("https://auth.example.test/t", "https://api.example.test", "https://auth.example.test/t"),
        ("/oauth2/token", "/v1", "/oauth2/token"),  # no absolute server: as written
    ],
)
def test_a_relative_token_url_is_resolved_against_the_server(
    build_package: BuildPackage, token_url: str, server: str, resolved: str
) -> None:
    package = build_package(_spec(token_url, server))
    oauth2 = importlib.import_module(f"{package.__name__}._oauth2")
    assert oauth2.DEFAULT_TOKEN_URL == resolved
    if not resolved.startswith("https://"):
        return
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path.endswith(resolved.rsplit("/", 1)[1]):
            return httpx.Response(200, json={"access_token": "tok", "expires_in": 3600})
        return httpx.Response(204)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    credentials = oauth2.OAuth2ClientCredentials("id", "secret", http_client=http)
    client = package.Client(auth=credentials, http_client=http)
    client.contacts.list()  # (a GET answering 204, no list: `listContacts` says so)
    assert str(sent[0].url) == resolved and sent[1].headers["Authorization"] == "Bearer tok"
    assert sent[1].url.host == "api.example.test"
